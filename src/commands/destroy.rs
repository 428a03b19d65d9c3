//! `hawiz destroy STACK [--yes]`: delete everything the stack owns, dependents first, then
//! prove that nothing tagged with it is left (or list what is).

use super::{Env, Failure, confirm};
use crate::ops;
use crate::progress::Lines;
use crate::progress::{BuildState, RunKind};

pub async fn run(
    env: &Env,
    stack: &str,
    yes: bool,
    skip_final_snapshot: bool,
) -> Result<(), Failure> {
    let mut plan = ops::destroy_plan(env, stack).await?;
    plan.skip_final_snapshot |= skip_final_snapshot;
    let count = plan.count();
    println!(
        "Stack {stack:?} in {} — AWS account {}: {count} resources to delete.",
        plan.region, plan.session.who.account
    );
    for kept in &plan.kept {
        println!("  kept {kept}");
    }
    for (en, _) in plan.warnings() {
        println!("  note: {en}");
    }
    if count > 0
        && !yes
        && !confirm(&format!(
            "Delete {count} resources of stack {stack:?}? This cannot be undone."
        ))?
    {
        return Err(Failure::invalid("nothing was deleted (not confirmed)"));
    }
    let run = BuildState::new(
        plan.graph(),
        stack,
        &plan.region,
        RunKind::Destroy,
        std::time::Instant::now(),
    );
    let (mut events, work) = ops::destroy(env, plan);
    super::follow(&mut events, run, &Lines::default()).await;
    let report = work
        .await
        .map_err(|e| Failure::failed(format!("internal error: {e}")))??;
    for s in &report.snapshots {
        let cost = s
            .monthly
            .map(|m| format!(", about ${m:.2} a month to keep"))
            .unwrap_or_default();
        println!(
            "Kept: database snapshot {} ({} GiB{cost}). Restore it from the RDS console's \
             Snapshots page; delete it there when it is no longer needed.",
            s.name, s.gib
        );
    }
    if report.left.is_empty() {
        println!(
            "Stack {stack:?} is gone: nothing tagged {}={stack} remains.",
            crate::aws::ec2::STACK_TAG
        );
        return Ok(());
    }
    let mut msg = format!("stack {stack:?} was not deleted completely:");
    for (key, why) in &report.left {
        msg.push_str(&format!("\n  - {key}: {why}"));
    }
    msg.push_str(&format!(
        "\nRun `hawiz destroy {stack}` again to retry; the state file is kept."
    ));
    Err(Failure::failed(msg))
}
