//! The non-interactive commands: each renders one operation of the run layer (`ops`) as
//! lines, and returns `Ok` or a `Failure` carrying the exit code and the message.

pub mod apply;
pub mod destroy;
pub mod drill;
pub mod plan;
pub mod policy;
pub mod status;

use crate::ops::{Action, Changeset};
pub use crate::ops::{Env, Failure};
use std::io::IsTerminal;

/// After this long without a line, a run prints what it is waiting for: an RDS instance
/// or a certificate takes minutes on AWS, and silence reads as a hang.
const HEARTBEAT: std::time::Duration = std::time::Duration::from_secs(10);

/// Print a run's events as they come and, whenever it has been quiet for `HEARTBEAT`,
/// a line naming what it waits for, for how long against the typical time, and how many
/// resources are done. Returns when the run closes its events.
pub async fn follow(
    events: &mut tokio::sync::mpsc::UnboundedReceiver<crate::ops::Event>,
    mut run: crate::tui::build::BuildState,
    lines: &crate::progress::Lines,
) {
    use std::time::Instant;
    let mut quiet_since = Instant::now();
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            ev = events.recv() => {
                let Some(ev) = ev else { return };
                lines.print(&ev);
                run.on_event(&ev, Instant::now());
                quiet_since = Instant::now();
            }
            _ = tick.tick() => {
                let now = Instant::now();
                if now.duration_since(quiet_since) >= HEARTBEAT {
                    if let Some(line) = lines.heartbeat(&run, now) {
                        println!("{line}");
                    }
                    quiet_since = now;
                }
            }
        }
    }
}

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
