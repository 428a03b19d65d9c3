//! `doctor`: a VPC someone built by hand (or with hawiz), read with describe calls only
//! and checked for the lab's HA mistakes. Which VPC (a stack's, an ID, or every VPC of
//! the region with a verdict each) and the refusals of bad input are decided here, so
//! every front-end asks and answers the same.

pub mod adopt;
pub mod checks;
mod drift;
pub mod survey;

use super::{Env, Failure, connect};
use crate::i18n::Text;
pub use checks::{Finding, Severity};
pub use survey::Survey;

/// What to look at.
#[derive(Debug, Clone, Default)]
pub struct Target {
    pub vpc: Option<String>,
    pub stack: Option<String>,
    pub region: Option<String>,
    /// Write a plan that adopts the VPC here (a new file only).
    pub write_plan: Option<std::path::PathBuf>,
}

/// One VPC, checked.
#[derive(Debug, Clone)]
pub struct Report {
    pub region: String,
    pub survey: Survey,
    pub findings: Vec<Finding>,
    /// With `write_plan`: where the adopting plan was written, or why none could be.
    pub plan: Option<Result<std::path::PathBuf, Text>>,
}

impl Report {
    pub fn high(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::High)
            .count()
    }

    /// One line: how many of each severity.
    pub fn verdict(&self) -> Text {
        let count = |s| self.findings.iter().filter(|f| f.severity == s).count();
        let (h, m, i) = (
            count(Severity::High),
            count(Severity::Medium),
            count(Severity::Info),
        );
        if self.findings.is_empty() {
            return Text::new("no finding", "발견 없음");
        }
        let mut en = vec![format!("{h} high"), format!("{m} medium")];
        let mut ko = vec![format!("높음 {h}개"), format!("중간 {m}개")];
        if i > 0 {
            en.push(format!("{i} info"));
            ko.push(format!("참고 {i}개"));
        }
        Text::new(en.join(", "), ko.join(", "))
    }
}

impl Report {
    /// The VPC in one line: ID, name, verdict.
    pub fn line(&self, lang: crate::i18n::Lang) -> String {
        let s = &self.survey;
        format!(
            "{:<22} {:<24} {}",
            s.vpc,
            s.name,
            lang.pick(&self.verdict().en, &self.verdict().ko)
        )
    }

    /// The whole report as the command line and plain mode print it: the VPC, each
    /// finding with why and the fix, what went unchecked, the verdict.
    pub fn text(&self, lang: crate::i18n::Lang) -> String {
        use std::fmt::Write;
        let s = &self.survey;
        let pick = |t: &Text| lang.pick(&t.en, &t.ko).to_string();
        let mut out = format!(
            "VPC {} ({}, {})\n",
            s.vpc,
            if s.name.is_empty() { "-" } else { &s.name },
            self.region
        );
        for f in &self.findings {
            let _ = write!(
                out,
                "\n[{}] {} ({})\n  {} {}\n  {} {}\n",
                f.severity.word(lang),
                pick(&f.what),
                f.resource,
                lang.pick("why:", "이유:"),
                pick(&f.why),
                lang.pick("fix:", "해결:"),
                pick(&f.fix)
            );
        }
        for u in &s.unchecked {
            let _ = writeln!(
                out,
                "{} {}",
                lang.pick("not checked:", "검사 못 함:"),
                pick(u)
            );
        }
        let _ = writeln!(
            out,
            "\n{} {}",
            lang.pick("Verdict:", "판정:"),
            pick(&self.verdict())
        );
        out
    }
}

/// What doctor answers: one VPC's report, or the region's VPCs with theirs.
#[derive(Debug, Clone)]
pub enum Outcome {
    One(Box<Report>),
    Region { region: String, vpcs: Vec<Report> },
}

/// `vpc-` and 8 or 17 hex digits, as EC2 makes them.
fn well_formed(vpc: &str) -> bool {
    vpc.strip_prefix("vpc-").is_some_and(|hex| {
        (hex.len() == 8 || hex.len() == 17) && hex.chars().all(|c| c.is_ascii_hexdigit())
    })
}

pub async fn run(env: &Env, target: &Target) -> Result<Outcome, Failure> {
    if let Some(path) = &target.write_plan {
        if target.vpc.is_none() && target.stack.is_none() {
            return Err(Failure::invalid(
                "--write-plan writes a plan for one VPC: name it with --vpc ID (or a stack)",
            ));
        }
        if path.exists() {
            return Err(Failure::invalid(format!(
                "{} already exists: --write-plan writes a new file only, so a plan of yours is never written over; name another",
                path.display()
            )));
        }
    }
    let (vpc, region) = match (&target.vpc, &target.stack) {
        (Some(_), Some(_)) => {
            return Err(Failure::invalid(
                "name a stack or a VPC (--vpc), not both: a stack's VPC is the one its state records",
            ));
        }
        (Some(v), None) if !well_formed(v.trim()) => {
            return Err(Failure::invalid(format!(
                "{v:?} is not a VPC ID: they look like vpc-0abc1234def567890 (`aws ec2 describe-vpcs --query 'Vpcs[].VpcId'` lists yours)"
            )));
        }
        (Some(v), None) => (Some(v.trim().to_string()), None),
        (None, Some(stack)) => {
            let store = crate::state::Store::open(&env.stacks_dir, stack).map_err(|_| {
                Failure::invalid(format!(
                    "no stack named {stack:?} is saved on this machine: `hawiz status` lists them; for a VPC built by hand, pass --vpc ID"
                ))
            })?;
            let state = store.snapshot();
            let vpc = state
                .resources
                .get("vpc")
                .and_then(|r| r.id.clone())
                .ok_or_else(|| {
                    Failure::invalid(format!(
                        "stack {stack:?} has no VPC yet: `hawiz apply` builds it first"
                    ))
                })?;
            (Some(vpc), Some(state.plan.region().to_string()))
        }
        (None, None) => (None, None),
    };
    let region = match region
        .or_else(|| target.region.clone())
        .or(env.region.clone())
    {
        Some(r) => r,
        None => crate::aws::configured_region()
            .await
            .unwrap_or_else(|| crate::plan::DEFAULT_REGION.to_string()),
    };
    let mut r = crate::plan::validate::Report::default();
    crate::plan::validate::region(&region, &mut r);
    if !r.is_ok() {
        return Err(Failure::refused("nothing was read:", r.errors));
    }
    let session = connect(env, &region).await?;
    let c = &session.clients;
    let read = |e: crate::aws::AwsError| Failure::failed(e.to_string()).of_class(e.class);
    match vpc {
        Some(vpc) => {
            let survey = survey::read(c, &vpc).await.map_err(read)?.ok_or_else(|| {
                Failure::invalid(format!(
                    "there is no VPC {vpc} in {region}: check the ID and the region (--region)"
                ))
            })?;
            let mut survey = survey;
            let mut findings = said_of_emulator(checks::all(&survey), env);
            // A hawiz stack: what drifted from its plan, as status reads it.
            if let Some(stack) = &target.stack {
                match crate::ops::status::status(env, stack).await {
                    Ok(status) => {
                        let (drifted, unread) = drift::findings(stack, &status, &env.target);
                        findings.extend(drifted);
                        findings.sort_by_key(|f| f.severity);
                        survey.unchecked.extend(unread);
                    }
                    Err(f) => survey.unchecked.push(survey::unread(
                        f.message,
                        "the stack's plan against its resources",
                        "스택의 계획과 리소스의 비교",
                    )),
                }
            }
            let mut report = Report {
                region,
                survey,
                findings,
                plan: None,
            };
            if let Some(path) = &target.write_plan {
                report.plan = Some(match adopt::plan(&report) {
                    Ok(plan) => crate::plan::file::save(path, &plan)
                        .map(|()| path.clone())
                        .map_err(|e| Text::new(e.to_string(), e.to_string())),
                    Err(why) => Err(why),
                });
            }
            Ok(Outcome::One(Box::new(report)))
        }
        None => {
            let vpcs = survey::read_region(c, None)
                .await
                .map_err(read)?
                .into_iter()
                .map(|survey| Report {
                    region: region.clone(),
                    findings: said_of_emulator(checks::all(&survey), env),
                    survey,
                    plan: None,
                })
                .collect();
            Ok(Outcome::Region { region, vpcs })
        }
    }
}

/// What an emulator does that AWS would not, said at the finding it causes: it starts
/// every instance of a group in the group's first subnet.
fn said_of_emulator(mut findings: Vec<Finding>, env: &Env) -> Vec<Finding> {
    if env.target.emulated() {
        for f in findings.iter_mut().filter(|f| f.check == "asg-unbalanced") {
            f.why.en.push_str(
                " (here the emulator starts every instance of a group in its first subnet; on AWS the group spreads them)",
            );
            f.why.ko.push_str(
                " (이 에뮬레이터는 그룹의 인스턴스를 모두 첫 서브넷에서 시작합니다. AWS에서는 그룹이 고르게 나눕니다)",
            );
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::well_formed;

    #[test]
    fn vpc_ids_are_checked_for_their_shape() {
        assert!(well_formed("vpc-0abc1234def567890"));
        assert!(well_formed("vpc-1a2b3c4d"));
        assert!(!well_formed("vpc-xyz"));
        assert!(!well_formed("subnet-1a2b3c4d"));
        assert!(!well_formed("vpc-0abc1234def56789"));
    }
}
