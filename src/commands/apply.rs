//! `hawiz apply PLAN [--yes]`: show what will change, confirm, carry it out with one
//! progress line per event, and print where the site is.

use super::{Env, Failure, confirm, print_changes};
use crate::ops::{self, Action, ApplyOptions};
use crate::progress::Lines;
use crate::progress::{BuildState, RunKind};
use std::io::IsTerminal;
use std::path::Path;

pub struct Flags {
    pub yes: bool,
    pub db_now: bool,
    pub replace_vpc: bool,
    pub replace_database: bool,
}

pub async fn run(env: &Env, path: &Path, flags: Flags) -> Result<(), Failure> {
    let plan = ops::load_plan(path).await?;
    let cs = ops::changes(env, plan, true).await?;
    println!(
        "Stack {:?} in {} — AWS account {} ({})",
        cs.plan.stack.name,
        cs.plan.region(),
        cs.session.who.account,
        cs.session.who.arn
    );
    print_changes(&cs);
    cs.refuse_without(flags.replace_vpc, flags.replace_database)?;
    let mut db_now = flags.db_now;
    if !cs.is_noop() && !flags.yes {
        let question = if cs.count(Action::Replace) + cs.count(Action::Delete) > 0 {
            format!(
                "Apply these changes to stack {:?}? What is replaced or deleted is gone for good.",
                cs.plan.stack.name
            )
        } else {
            format!("Apply these changes to stack {:?}?", cs.plan.stack.name)
        };
        if !confirm(&question)? {
            return Err(Failure::invalid("nothing was changed (not confirmed)"));
        }
        if cs.needs().db_when && !db_now && std::io::stdin().is_terminal() {
            db_now = confirm(
                "Change the database now? (a class change restarts it; Multi-AZ fails over \
                 first, about a minute) No: in its next maintenance window",
            )?;
        }
    }
    let stack = cs.plan.stack.name.clone();
    let options = ApplyOptions {
        db_now,
        replace_vpc: flags.replace_vpc,
        replace_database: flags.replace_database,
    };
    let run = BuildState::new(
        &cs.graph,
        &stack,
        cs.plan.region(),
        RunKind::Build,
        std::time::Instant::now(),
    );
    let (mut events, work) = ops::apply(env, cs, options);
    super::follow(&mut events, run, &Lines::default()).await;
    let report = work
        .await
        .map_err(|e| Failure::failed(format!("internal error: {e}")))??;
    let o = &report.outcome;
    if report.is_complete() {
        let mut done = format!(
            "Stack {stack:?} is ready: {} created, {} already there",
            o.created, o.existing
        );
        if !o.updated.is_empty() {
            done.push_str(&format!(", {} changed", o.updated.len()));
        }
        if report.replaced > 0 {
            done.push_str(&format!(", {} replaced", report.replaced));
        }
        if report.removed > 0 {
            done.push_str(&format!(", {} removed (left the plan)", report.removed));
        }
        println!("{done}.");
        for (key, what) in &o.updated {
            println!("  changed {key}: {}", what.join("; "));
        }
        crate::ops::summary::print(&report.summary);
        return Ok(());
    }
    let mut msg = format!(
        "stack {stack:?} is not complete ({} created, {} already there):",
        o.created, o.existing
    );
    for (key, why) in &report.problems {
        msg.push_str(&format!("\n  - {key} failed: {why}"));
        if let Some(a) = ops::advice::hint(why) {
            msg.push_str(&format!("\n    {}", a.en));
        }
    }
    if !report.blocked.is_empty() {
        msg.push_str(&format!(
            "\n  - not started because of those: {}",
            report.blocked.join(", ")
        ));
    }
    msg.push_str(&format!(
        "\nEverything else is in place and recorded; fix the cause and run `hawiz apply {}` again to finish.",
        path.display()
    ));
    Err(Failure::failed(msg))
}
