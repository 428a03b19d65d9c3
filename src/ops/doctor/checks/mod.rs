//! The lab's HA mistakes, each a check of a `Survey` that says what is wrong, why it
//! matters (the lab's step and its classic mistake) and how to fix it: the console's
//! path and the AWS CLI command. Pure: tested on surveys built by hand.

use super::survey::Survey;
use crate::i18n::Text;
use crate::i18n::korean::{self, Josa};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    High,
    Medium,
    Info,
}

impl Severity {
    pub fn word(self, lang: crate::i18n::Lang) -> &'static str {
        match self {
            Severity::High => lang.pick("HIGH", "높음"),
            Severity::Medium => lang.pick("medium", "중간"),
            Severity::Info => lang.pick("info", "참고"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// The check's stable ID (`lb-private-subnets`).
    pub check: &'static str,
    pub severity: Severity,
    /// The resource: its name and ID.
    pub resource: String,
    pub what: Text,
    /// Why it matters, in the lab's words.
    pub why: Text,
    /// The console's path and the AWS CLI command.
    pub fix: Text,
}

mod data;
mod dns;
mod health;
mod network;
mod tiers;

/// Every check, in the order of the lab's steps.
pub fn all(s: &Survey) -> Vec<Finding> {
    let mut out = Vec::new();
    network::network(s, &mut out);
    network::security(s, &mut out);
    data::databases(s, &mut out);
    data::files(s, &mut out);
    tiers::templates(s, &mut out);
    tiers::load_balancers(s, &mut out);
    tiers::scaling_groups(s, &mut out);
    health::health_checks(s, &mut out);
    tiers::listeners(s, &mut out);
    dns::records(s, &mut out);
    if let Some(stack) = &s.standby_of {
        for f in out.iter_mut().filter(|f| SCALED_DOWN.contains(&f.check)) {
            f.severity = Severity::Info;
            f.why = Text::new(
                format!(
                    "{} (this VPC is hawiz stack {stack}'s failover standby: scaled down on purpose, a replica for its database, until `hawiz failover {stack}` runs it at the primary's size)",
                    f.why.en
                ),
                format!(
                    "{} (이 VPC는 hawiz 스택 {stack}의 장애 조치 대기 리전입니다: `hawiz failover {stack}`이 기본 리전 크기로 돌릴 때까지 일부러 작게, 데이터베이스는 복제본으로 둡니다)",
                    f.why.ko
                ),
            );
        }
    }
    out.sort_by_key(|f| f.severity);
    out
}

/// What a hawiz failover standby does on purpose until it fails over.
const SCALED_DOWN: [&str; 3] = ["asg-min-below-2", "db-single-az", "nat-other-az"];

pub(super) fn named(name: &str, id: &str) -> String {
    if name.is_empty() || name == id {
        id.to_string()
    } else {
        format!("{name} ({id})")
    }
}

/// A part that lives in one AZ only.
pub(super) fn one_az(
    check: &'static str,
    resource: &str,
    what: &str,
    what_ko: &str,
    fix: String,
) -> Finding {
    Finding {
        check,
        severity: Severity::High,
        resource: resource.to_string(),
        what: Text::new(
            format!("the {what} is in one AZ only"),
            format!("{} AZ 하나에만 있습니다", korean::with(what_ko, Josa::IGa)),
        ),
        why: Text::new(
            "the whole lab: high availability means two AZs for every tier, so the loss of one AZ leaves the other serving",
            "실습 전체: 고가용성은 모든 계층을 두 AZ에 두는 것입니다. AZ 하나를 잃어도 다른 쪽이 서비스합니다",
        ),
        fix: Text::new(fix.clone(), fix),
    }
}

#[cfg(test)]
mod tests;
