//! For a hawiz stack, what differs from its plan — read by each kind exactly as `status`
//! reads it (`ops::status`: the kinds' own settings), so doctor never keeps a second copy
//! of what a kind knows about itself.

use super::{Finding, Severity};
use crate::i18n::Text;
use crate::ops::status::{State, StatusReport};

/// Each part that drifted from the plan or is missing, as a finding; a part that could not
/// be read, as a sentence for "not checked".
pub fn findings(
    stack: &str,
    status: &StatusReport,
    target: &crate::aws::Target,
) -> (Vec<Finding>, Vec<Text>) {
    let mut found = Vec::new();
    let mut unchecked = Vec::new();
    let apply = target.hawiz(&format!("apply {stack}"));
    let edit = target.hawiz(&format!("edit {stack}"));
    for row in &status.rows {
        let resource = match row.ids.first() {
            Some(id) if *id != row.name => format!("{} ({id})", row.name),
            _ => row.name.clone(),
        };
        match &row.state {
            State::Drifted(words) => found.push(Finding {
                check: "stack-drift",
                severity: Severity::Medium,
                resource,
                what: Text::new(
                    format!("differs from the stack's plan: {}", words.join("; ")),
                    format!("스택의 계획과 다릅니다: {}", words.join("; ")),
                ),
                why: Text::new(
                    "the plan is what was reviewed, checked and priced; a change made by hand is undone by the next apply, or leaves the stack other than its checks assume",
                    "계획은 검토하고 검사하고 가격을 매긴 것입니다. 직접 바꾼 것은 다음 apply가 되돌리거나, 스택을 검사가 가정하는 것과 다르게 남깁니다",
                ),
                fix: Text::new(
                    format!("{apply} puts it back; to keep the change, make it in the plan ({edit}) and apply"),
                    format!("{apply}이 되돌립니다. 바꾼 것을 유지하려면 계획에서 바꾸고({edit}) apply하세요"),
                ),
            }),
            State::Missing { .. } => found.push(Finding {
                check: "stack-missing",
                severity: Severity::High,
                resource,
                what: Text::new(
                    format!("this {} of the stack is missing", row.kind),
                    format!("스택의 {}가 없습니다", row.kind),
                ),
                why: Text::new(
                    "a part the plan needs is gone (deleted by hand, or a build that did not finish): the stack is not what its plan says",
                    "계획에 필요한 부분이 없습니다 (직접 지웠거나 구축이 끝나지 않음): 스택이 계획과 다릅니다",
                ),
                fix: Text::new(
                    format!("{apply} makes it again (nothing else is made twice)"),
                    format!("{apply}이 다시 만듭니다 (다른 것은 두 번 만들지 않습니다)"),
                ),
            }),
            State::Unknown(problem) => unchecked.push(super::survey::unread(
                problem,
                &format!("the stack's {} {}", row.kind, row.name),
                &format!("스택의 {} {}", row.kind, row.name),
            )),
            _ => {}
        }
    }
    (found, unchecked)
}
