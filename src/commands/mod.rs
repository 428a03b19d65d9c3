//! The non-interactive commands: each renders one operation of the run layer (`ops`) as
//! lines, and returns `Ok` or a `Failure` carrying the exit code and the message.

pub mod apply;
pub mod destroy;
pub mod drill;
pub mod plan;
pub mod status;

use crate::ops::{Action, Changeset};
pub use crate::ops::{Env, Failure};
use std::io::IsTerminal;

/// Ask before changing anything; refuses to guess when nobody can answer.
pub fn confirm(question: &str) -> Result<bool, Failure> {
    if !std::io::stdin().is_terminal() {
        return Err(Failure::invalid(
            "this changes your AWS account and there is no terminal to confirm on; \
             pass --yes to go ahead",
        ));
    }
    match inquire::Confirm::new(question).with_default(false).prompt() {
        Ok(answer) => Ok(answer),
        Err(inquire::InquireError::OperationInterrupted) => Err(Failure {
            code: 130,
            message: "interrupted; nothing was changed".into(),
            findings: Vec::new(),
        }),
        // Esc is "no", never "yes".
        Err(inquire::InquireError::OperationCanceled) => Ok(false),
        Err(e) => Err(Failure::failed(format!("cannot ask for confirmation: {e}"))),
    }
}

/// `3 to create, 1 to change, 40 unchanged`: the counts that are not zero.
pub fn counts(cs: &Changeset, unchanged: usize) -> String {
    let parts: Vec<String> = [
        (cs.count(Action::Create), "to create"),
        (cs.count(Action::Update), "to change"),
        (cs.count(Action::Replace), "to replace"),
        (cs.count(Action::Delete), "to delete"),
        (unchanged, "unchanged"),
        (cs.count(Action::Yours), "yours (used as is)"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect();
    if parts.is_empty() {
        "Nothing in the plan".into()
    } else {
        parts.join(", ")
    }
}

/// The changeset as `hawiz plan` and `hawiz apply` print it: one line per resource that
/// changes (`+`, `~`, `-/+`, `-`), a count of the unchanged, and the cost change.
pub fn print_changes(cs: &Changeset) {
    for note in &cs.notes {
        println!("{note}");
    }
    if !cs.warnings.is_empty() {
        eprintln!("{}", crate::ops::list("warning:", &cs.warnings));
    }
    let mut unchanged = 0;
    for item in &cs.items {
        match item.action {
            Action::Keep => unchanged += 1,
            Action::Yours => println!(
                "  =   {:<17} {:<30} yours, used as is",
                item.kind, item.name
            ),
            action => println!(
                "  {:<3} {:<17} {:<30} {}",
                action.symbol(),
                item.kind,
                item.name,
                item.detail()
            ),
        }
    }
    println!("{}.", counts(cs, unchanged));
    if let Some((before, after)) = cs.cost {
        match before {
            Some(b) if (b - after).abs() >= 0.01 => println!(
                "Estimated cost: ${b:.2} → ${after:.2} per month ({}{:.2}).",
                if after >= b { "+$" } else { "-$" },
                (after - b).abs()
            ),
            Some(b) => println!("Estimated cost: ${b:.2} per month (unchanged)."),
            None => println!("Estimated cost: ${after:.2} per month."),
        }
    }
}
