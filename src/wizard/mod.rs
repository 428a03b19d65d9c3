//! What the wizard asks, step by step, shared by the full-screen and the plain wizard:
//! the steps, their questions (`fields`), their explanations (steps/*.md), and the checks
//! (the same `plan::validate` that `hawiz plan` runs).

pub mod draft;
pub mod fields;

use crate::i18n::Lang;
use crate::plan::{Finding, Plan, Report, validate::validate};
use fields::{FieldId, Spec};

pub struct StepInfo {
    pub id: &'static str,
    pub title: (&'static str, &'static str),
}

pub const STEPS: [StepInfo; 10] = [
    StepInfo {
        id: "account",
        title: ("Account", "계정"),
    },
    StepInfo {
        id: "network",
        title: ("Network", "네트워크"),
    },
    StepInfo {
        id: "bastion",
        title: ("Bastion", "배스천"),
    },
    StepInfo {
        id: "database",
        title: ("Database", "데이터베이스"),
    },
    StepInfo {
        id: "files",
        title: ("Shared files", "공유 파일"),
    },
    StepInfo {
        id: "launch-template",
        title: ("Launch template", "시작 템플릿"),
    },
    StepInfo {
        id: "load-balancer",
        title: ("Load balancer", "로드 밸런서"),
    },
    StepInfo {
        id: "domain",
        title: ("Domain & HTTPS", "도메인 & HTTPS"),
    },
    StepInfo {
        id: "failover",
        title: ("Failover", "장애 조치"),
    },
    StepInfo {
        id: "review",
        title: ("Review & build", "검토 & 구축"),
    },
];

pub const REVIEW: usize = 9;

pub fn title(step: usize, lang: Lang) -> &'static str {
    STEPS
        .get(step)
        .map(|s| lang.pick(s.title.0, s.title.1))
        .unwrap_or("")
}

const TEXTS: [(&str, &str); 10] = [
    (
        include_str!("../../steps/0-account.en.md"),
        include_str!("../../steps/0-account.ko.md"),
    ),
    (
        include_str!("../../steps/1-network.en.md"),
        include_str!("../../steps/1-network.ko.md"),
    ),
    (
        include_str!("../../steps/2-bastion.en.md"),
        include_str!("../../steps/2-bastion.ko.md"),
    ),
    (
        include_str!("../../steps/3-database.en.md"),
        include_str!("../../steps/3-database.ko.md"),
    ),
    (
        include_str!("../../steps/4-files.en.md"),
        include_str!("../../steps/4-files.ko.md"),
    ),
    (
        include_str!("../../steps/5-launch-template.en.md"),
        include_str!("../../steps/5-launch-template.ko.md"),
    ),
    (
        include_str!("../../steps/6-load-balancer.en.md"),
        include_str!("../../steps/6-load-balancer.ko.md"),
    ),
    (
        include_str!("../../steps/7-domain.en.md"),
        include_str!("../../steps/7-domain.ko.md"),
    ),
    (
        include_str!("../../steps/8-failover.en.md"),
        include_str!("../../steps/8-failover.ko.md"),
    ),
    (
        include_str!("../../steps/9-review.en.md"),
        include_str!("../../steps/9-review.ko.md"),
    ),
];

/// The step's explanation: a `# title` line, then paragraphs.
pub fn explanation(step: usize, lang: Lang) -> &'static str {
    TEXTS
        .get(step)
        .map(|(en, ko)| lang.pick(en, ko))
        .unwrap_or("")
}

/// All findings for the answers so far (resolved the way `hawiz plan` resolves them).
pub fn check(plan: &Plan) -> Report {
    let mut p = plan.clone();
    p.resolve(None);
    validate(&p)
}

/// The findings that belong to one field: (errors, warnings).
pub fn at_field<'a>(report: &'a Report, spec: &Spec) -> (Vec<&'a Finding>, Vec<&'a Finding>) {
    let mine = |f: &&Finding| fields::owns(spec.paths, &f.field);
    (
        report.errors.iter().filter(mine).collect(),
        report.warnings.iter().filter(mine).collect(),
    )
}

/// The questions of a step that apply to these answers.
pub fn visible_fields(plan: &Plan, step: usize) -> Vec<Spec> {
    fields::for_step(step)
        .into_iter()
        .filter(|s| fields::visible(plan, s.id))
        .collect()
}

/// Errors that stop the user from leaving a step.
pub fn step_errors<'a>(
    plan: &Plan,
    report: &'a Report,
    step: usize,
) -> Vec<(FieldId, &'a Finding)> {
    visible_fields(plan, step)
        .iter()
        .flat_map(|spec| {
            at_field(report, spec)
                .0
                .into_iter()
                .map(move |f| (spec.id, f))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_has_texts_in_both_languages() {
        for step in 0..STEPS.len() {
            for lang in [Lang::En, Lang::Ko] {
                let text = explanation(step, lang);
                assert!(text.starts_with("# "), "step {step} {lang:?}");
                assert!(text.len() > 200, "step {step} {lang:?} is too short");
            }
            assert!(
                explanation(step, Lang::Ko)
                    .chars()
                    .any(|c| ('가'..='힣').contains(&c))
            );
        }
    }

    #[test]
    fn errors_block_only_their_own_step() {
        let mut plan = Plan::default();
        plan.resolve(None);
        plan.network.cidr = "10.0.0.0/33".into();
        let report = check(&plan);
        assert!(!step_errors(&plan, &report, 1).is_empty());
        assert!(step_errors(&plan, &report, 0).is_empty());
        let (errs, _) = at_field(
            &report,
            fields::for_step(1)
                .iter()
                .find(|s| s.id == FieldId::Cidr)
                .unwrap(),
        );
        assert!(errs[0].message.contains("is not an IPv4 CIDR block"));
    }
}
