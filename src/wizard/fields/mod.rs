//! Every question the wizard asks: its label, kind, default (from the plan's defaults),
//! how it reads and writes the plan, and which plan fields' findings belong to it. The
//! full-screen and the plain wizard both ask from this one table.

macro_rules! spec {
    ($id:ident, $step:expr, $en:expr, $ko:expr, $kind:expr, [$($p:expr),*]) => {
        Spec { id: FieldId::$id, step: $step, label: ($en, $ko), kind: $kind, paths: &[$($p),*] }
    };
}

mod domain;
mod failover;
mod network;
mod scaling;
mod servers;

use crate::i18n::Lang;
use crate::plan::Plan;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldId {
    Profile,
    Region,
    StackName,
    VpcMode,
    VpcId,
    PublicSubnetIds,
    PrivateSubnetIds,
    Cidr,
    Az1,
    Az2,
    PublicSubnets,
    PrivateSubnets,
    Nat,
    BastionEnabled,
    BastionType,
    SshCidr,
    KeyName,
    Engine,
    DbClass,
    Storage,
    MaxStorage,
    MultiAz,
    FastStart,
    DbName,
    DbUser,
    FilesEnabled,
    AppType,
    HealthPath,
    Min,
    Desired,
    Max,
    CpuTarget,
    ScalingPolicy,
    CpuAlarms,
    StepCooldown,
    Schedule,
    ScheduleCron,
    ScheduleZone,
    ScheduleSizes,
    AlertEmail,
    Dashboard,
    DomainEnabled,
    DomainName,
    Host,
    CreateZone,
    Https,
    FailoverEnabled,
    FailoverRegion,
    StandbyMode,
    StandbyMin,
    CheckInterval,
    CloudFront,
    StaticBucket,
}

pub use crate::ops::lists::Source;

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// Free text; `Some(source)`: suggestions from AWS, cycled with ←/→.
    Text(Option<Source>),
    /// One of fixed values: (value, English label, Korean label).
    Choice(&'static [(&'static str, &'static str, &'static str)]),
    Toggle,
}

#[derive(Debug, Clone)]
pub struct Spec {
    pub id: FieldId,
    pub step: usize,
    pub label: (&'static str, &'static str),
    pub kind: Kind,
    /// Plan paths whose findings show at this field (prefix match).
    pub paths: &'static [&'static str],
}

impl Spec {
    pub fn label(&self, lang: Lang) -> &'static str {
        lang.pick(self.label.0, self.label.1)
    }
}

pub fn all() -> Vec<Spec> {
    let mut all = network::specs();
    all.extend(servers::specs());
    all.extend(scaling::specs());
    all.extend(domain::specs());
    all.extend(failover::specs());
    all
}

pub fn for_step(step: usize) -> Vec<Spec> {
    all().into_iter().filter(|s| s.step == step).collect()
}

/// Whether a field is asked, given the other answers.
pub fn visible(plan: &Plan, id: FieldId) -> bool {
    use FieldId::*;
    if let Some(shown) = failover::visible(plan, id) {
        return shown;
    }
    let adopt = plan.network.adopts_vpc();
    match id {
        VpcId | PublicSubnetIds | PrivateSubnetIds => adopt,
        Cidr | Az1 | Az2 | PublicSubnets | PrivateSubnets | Nat => !adopt,
        BastionType | SshCidr | KeyName => plan.bastion.enabled,
        FastStart => plan.database.multi_az,
        DomainName | Host | CreateZone | Https => plan.domain.is_some(),
        CpuTarget => plan.scaling.policy == crate::plan::ScalingPolicy::TargetTracking,
        CpuAlarms | StepCooldown => plan.scaling.policy == crate::plan::ScalingPolicy::Simple,
        ScheduleCron | ScheduleZone | ScheduleSizes => !plan.scaling.schedule.is_empty(),
        _ => true,
    }
}

/// The field's current answer, as text.
pub fn get(plan: &Plan, profile: &str, id: FieldId) -> String {
    if id == FieldId::Profile {
        return profile.to_string();
    }
    network::get(plan, id)
        .or_else(|| servers::get(plan, id))
        .or_else(|| scaling::get(plan, id))
        .or_else(|| domain::get(plan, id))
        .or_else(|| failover::get(plan, id))
        .unwrap_or_default()
}

/// A problem with the text itself (before the plan's own checks), in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub en: String,
    pub ko: String,
}

impl Invalid {
    pub fn text(&self, lang: Lang) -> &str {
        lang.pick(&self.en, &self.ko)
    }
}

pub(super) fn number<T: std::str::FromStr>(text: &str) -> Result<T, Invalid> {
    text.trim().parse().map_err(|_| Invalid {
        en: format!("{:?} is not a number", text.trim()),
        ko: format!(
            "{} 숫자가 아닙니다",
            crate::i18n::korean::with(
                &format!("{:?}", text.trim()),
                crate::i18n::korean::Josa::EunNeun
            )
        ),
    })
}

/// Write an answer into the plan. `profile` holds the one answer that is not in the plan.
pub fn set(plan: &mut Plan, profile: &mut String, id: FieldId, value: &str) -> Result<(), Invalid> {
    let v = value.trim();
    if id == FieldId::Profile {
        *profile = v.to_string();
        return Ok(());
    }
    for step in [
        network::set,
        servers::set,
        scaling::set,
        domain::set,
        failover::set,
    ] {
        if step(plan, id, v)? {
            break;
        }
    }
    Ok(())
}

/// A field with a known set of values (region, AZs, instance types offered in the region,
/// DB classes for the engine, key pairs) refuses what is not in the set the wizard loaded,
/// in the same words as `hawiz plan`. An empty set (not loaded, or not read) refuses
/// nothing; an empty key pair means "create one".
pub fn not_in_set(plan: &Plan, id: FieldId, value: &str, set: &[String]) -> Option<Invalid> {
    use crate::plan::validate::known;
    use FieldId::*;
    let v = value.trim();
    if set.is_empty() {
        return None;
    }
    let region = plan.region();
    let finding = match id {
        Region | FailoverRegion if !set.iter().any(|r| r == v) => Some(crate::plan::Finding {
            field: if id == Region {
                "stack.region"
            } else {
                "failover.region"
            }
            .into(),
            message: format!(
                "Region {v:?} is not one of this account's regions; pick one of: {}",
                set.join(", ")
            ),
            ko: format!(
                "리전 {} 이 계정의 리전이 아닙니다. 다음 중에서 고르세요: {}",
                crate::i18n::korean::with(&format!("{v:?}"), crate::i18n::korean::Josa::EunNeun),
                set.join(", ")
            ),
        }),
        Az1 | Az2 => {
            let i = usize::from(id == Az2);
            known::az(&format!("network.azs[{i}]"), i, v, region, set)
        }
        BastionType => known::instance_type(
            "bastion.instance_type",
            ("Bastion instance type", "배스천 인스턴스 유형"),
            v,
            region,
            set,
        ),
        AppType => known::instance_type(
            "app.instance_type",
            ("Web server instance type", "웹 서버 인스턴스 유형"),
            v,
            region,
            set,
        ),
        DbClass => known::db_class(v, plan.database.engine, region, set),
        KeyName if !v.is_empty() => known::key_pair(v, region, set),
        _ => None,
    };
    finding.map(|f| Invalid {
        en: f.message,
        ko: f.ko,
    })
}

/// Whether a finding about `path` belongs to the field with these paths. A field that
/// names one element (`network.azs[1]`) takes that element's findings and the list's own,
/// not its siblings'.
pub fn owns(paths: &[&str], path: &str) -> bool {
    if paths.contains(&path) {
        return true;
    }
    let base = path.split('[').next().unwrap_or(path);
    let indexed_here = paths
        .iter()
        .any(|p| p.contains('[') && p.split('[').next() == Some(base));
    if path.contains('[') && indexed_here {
        return false;
    }
    paths.contains(&base)
}

#[cfg(test)]
mod tests;
