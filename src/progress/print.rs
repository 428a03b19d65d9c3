//! What a run would do, as lines: `hawiz plan`, `hawiz apply` and plain mode's review.

use crate::ops::{Action, Changeset};

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
