//! `hawiz apply PLAN [--yes]`: create or resume the stack, one progress line per event.

use super::{Env, Failure, Prepared, confirm, load_plan, prepare, resolve_ssh_cidr, runner};
use crate::engine;
use crate::progress::Lines;
use crate::state::Store;
use std::path::Path;
use std::sync::Arc;

pub async fn run(env: &Env, path: &Path, yes: bool) -> Result<(), Failure> {
    let mut plan = load_plan(path).await?;
    if let Some(note) = resolve_ssh_cidr(&mut plan, env).await? {
        println!("{note}");
    }
    let Prepared {
        clients,
        who,
        graph,
        warnings,
    } = prepare(env, &plan).await?;
    println!(
        "Stack {:?} in {} — AWS account {} ({})",
        plan.stack.name,
        plan.region(),
        who.account,
        who.arn
    );
    if !warnings.is_empty() {
        eprintln!("{}", super::findings("warning:", &warnings));
    }
    if !yes
        && !confirm(&format!(
            "Build {} resources for stack {:?} now?",
            graph.len(),
            plan.stack.name
        ))?
    {
        return Err(Failure::invalid("nothing was created (not confirmed)"));
    }
    let store = Arc::new(
        Store::open_for_apply(&env.stacks_dir, &plan)
            .map_err(|e| Failure::failed(e.to_string()))?,
    );
    println!("State: {}", store.path().display());

    let (runner, mut events) = runner(env, clients.clone(), store.clone(), graph);
    let work = tokio::spawn(engine::apply(runner));
    let lines = Lines::default();
    while let Some(ev) = events.recv().await {
        lines.print(&ev);
    }
    let outcome = work
        .await
        .map_err(|e| Failure::failed(format!("internal error: {e}")))?;

    if outcome.is_complete() {
        println!(
            "Stack {:?} is ready: {} created, {} already there.",
            plan.stack.name, outcome.created, outcome.existing
        );
        super::summary::print(
            &super::summary::collect(&clients, &plan, &env.stacks_dir, &outcome.discovered()).await,
        );
        return Ok(());
    }
    let mut msg = format!(
        "stack {:?} is not complete ({} created, {} already there):",
        plan.stack.name, outcome.created, outcome.existing
    );
    for (key, err) in outcome.failed() {
        msg.push_str(&format!("\n  - {key} failed: {err}"));
    }
    let blocked: Vec<&String> = outcome.blocked().map(|(k, _)| k).collect();
    if !blocked.is_empty() {
        msg.push_str(&format!(
            "\n  - not started because of those: {}",
            blocked
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    msg.push_str(&format!(
        "\nEverything else is in place and recorded; fix the cause and run `hawiz apply {}` again to finish.",
        path.display()
    ));
    Err(Failure::failed(msg))
}
