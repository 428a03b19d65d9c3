//! `hawiz status [STACK]`: saved stacks, or one stack's resources as they are in AWS.

use super::{Env, Failure, connect, runner};
use crate::state::{Status, Store};
use crate::{blueprint, engine};
use std::sync::Arc;

pub async fn run(env: &Env, stack: Option<&str>) -> Result<(), Failure> {
    let Some(stack) = stack else {
        return list(env);
    };
    let store =
        Arc::new(Store::open(&env.stacks_dir, stack).map_err(|e| Failure::invalid(e.to_string()))?);
    let state = store.snapshot();
    let graph = blueprint::build(&state.plan, &env.stacks_dir)
        .map_err(|e| Failure::failed(e.to_string()))?;
    let (clients, _) = connect(env, &state.region).await?;
    let (runner, _events) = runner(env, clients, store.clone(), graph);
    let found = engine::discover(&runner).await;

    println!(
        "Stack {:?} in {} (state: {})",
        state.stack,
        state.region,
        store.path().display()
    );
    let (mut present, mut total) = (0, 0);
    for node in runner.graph.nodes() {
        total += 1;
        let ids = found.found.get(&node.key).cloned().unwrap_or_default();
        let recorded = state.resources.get(&node.key);
        let (word, detail) = if let Some(err) = found.errors.get(&node.key) {
            ("unknown", err.clone())
        } else if ids.is_empty() {
            match recorded.and_then(|r| r.id.as_ref()) {
                Some(id) if recorded.is_some_and(|r| r.status != Status::Creating) => {
                    ("missing", format!("drifted: {id} was recorded but is gone"))
                }
                _ => ("missing", String::new()),
            }
        } else {
            present += 1;
            let mut d = ids.join(", ");
            if ids.len() > 1 {
                d.push_str("  (duplicates: destroy removes all)");
            } else if let Some(rec_id) = recorded.and_then(|r| r.id.as_ref())
                && *rec_id != ids[0]
            {
                d.push_str(&format!("  (drifted: state had {rec_id})"));
            }
            (
                if node.res.adopted() {
                    "adopted"
                } else {
                    "present"
                },
                d,
            )
        };
        println!(
            "  {word:<8} {:<16} {:<28} {detail}",
            node.res.kind(),
            node.res.name()
        );
    }
    println!("{present} of {total} resources present.");
    super::summary::print(
        &super::summary::collect(&runner.aws, &state.plan, &env.stacks_dir, &found).await,
    );
    if !found.errors.is_empty() {
        return Err(Failure::failed(
            "some resources could not be checked (see above)",
        ));
    }
    Ok(())
}

fn list(env: &Env) -> Result<(), Failure> {
    let names = Store::list(&env.stacks_dir);
    if names.is_empty() {
        println!("No saved stacks in {}.", env.stacks_dir.display());
        return Ok(());
    }
    for name in names {
        match Store::open(&env.stacks_dir, &name) {
            Ok(store) => {
                let s = store.snapshot();
                let ready = s
                    .resources
                    .values()
                    .filter(|r| matches!(r.status, Status::Ready | Status::Adopted))
                    .count();
                let total = blueprint::build(&s.plan, &env.stacks_dir)
                    .map(|g| g.len())
                    .unwrap_or(0);
                let word = if ready == total {
                    "complete"
                } else {
                    "partial"
                };
                println!(
                    "  {name:<32} {:<16} {word:<9} {ready}/{total} ready",
                    s.region
                );
            }
            Err(e) => println!("  {name:<32} {e}"),
        }
    }
    Ok(())
}
