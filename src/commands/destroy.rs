//! `hawiz destroy STACK [--yes]`: show what will be deleted and what that asks (deletion
//! protection, the final snapshot and its cost), delete everything the stack owns,
//! dependents first, then prove that nothing tagged with it is left (or list what is).

use super::{Env, Failure};
use crate::ops::{self, Choice};
use crate::progress::ask::{self, Asking};
use crate::progress::{BuildState, Lines, RunKind};

pub async fn run(
    env: &Env,
    stack: &str,
    yes: bool,
    skip_final_snapshot: bool,
) -> Result<(), Failure> {
    // Destroying what is already gone succeeds, as a teardown script run twice expects.
    if !crate::state::Store::exists(&env.stacks_dir, stack) {
        println!(
            "Nothing to delete: no saved stack named {stack:?} here ({}); hawiz knows a stack \
             by the state saved on this machine. `hawiz status` lists the saved stacks.",
            env.stacks_dir.display()
        );
        return Ok(());
    }
    let mut plan = ops::destroy_plan(env, stack).await?;
    let count = plan.count();
    println!(
        "Stack {stack:?} in {} — AWS account {}: {count} resources to delete.",
        plan.region, plan.session.who.account
    );
    let how = Asking {
        yes,
        flags: skip_final_snapshot
            .then_some(Choice::SkipFinalSnapshot)
            .into_iter()
            .collect(),
        ask_required: false,
        lang: env.lang,
    };
    let answer = ask::answer(&plan.question(), &how, &mut |q, _| ask::confirm(q))?;
    plan.answer(&answer)?;
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
        let but = if report.snapshots.is_empty() {
            String::new()
        } else {
            " but the final snapshot kept on purpose (above)".to_string()
        };
        println!(
            "Stack {stack:?} is gone: nothing tagged {}={stack} remains{but}.",
            crate::aws::ec2::STACK_TAG
        );
        return Ok(());
    }
    let mut msg = format!("stack {stack:?} was not deleted completely:");
    for (key, why) in &report.left {
        msg.push_str(&format!("\n  - {key}: {why}"));
    }
    msg.push_str(&format!(
        "\nRun `{}` again to retry; the state file is kept.",
        env.target.hawiz(&format!("destroy {stack}"))
    ));
    Err(Failure::failed(msg))
}
