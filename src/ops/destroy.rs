//! Destroy a stack: everything it owns (its plan's resources and any an earlier plan left),
//! dependents first, then the proof: every resource looked for again, and every service
//! swept for anything still tagged with the stack. The state is forgotten only when
//! nothing is left; otherwise what is left is listed and the next run picks it up.

use super::sweep::leftovers;
use super::{Env, Events, Failure, Phase, Session, StackLock, connect, runner, union_graph};
use crate::engine::{self, Graph, RunOptions, Survey};
use crate::state::Store;
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// What a destroy would delete, looked up and locked, ready to confirm.
#[derive(Debug)]
pub struct DestroyPlan {
    pub stack: String,
    pub region: String,
    pub session: Session,
    store: Arc<Store>,
    union: Graph,
    survey: Survey,
    /// Resources to delete: (kind, name, IDs).
    pub doomed: Vec<(&'static str, String, Vec<String>)>,
    /// The user's own resources the stack uses, which stay.
    pub kept: Vec<String>,
    lock: StackLock,
}

impl DestroyPlan {
    pub fn count(&self) -> usize {
        self.doomed.iter().map(|(_, _, ids)| ids.len()).sum()
    }
}

#[derive(Debug, Clone, Default)]
pub struct DestroyReport {
    pub deleted: usize,
    /// What is still there, with why.
    pub left: Vec<(String, String)>,
    /// The user's own resources, untouched.
    pub kept: Vec<String>,
}

pub async fn destroy_plan(env: &Env, stack: &str) -> Result<DestroyPlan, Failure> {
    let lock = StackLock::acquire(&env.stacks_dir, stack, "hawiz destroy")?;
    let store =
        Arc::new(Store::open(&env.stacks_dir, stack).map_err(|e| Failure::invalid(e.to_string()))?);
    let state = store.snapshot();
    let union = union_graph(&env.stacks_dir, &state.plan, &state.earlier)?;
    let session = connect(env, &state.region).await?;
    let runner = super::quiet_runner(env, &session, store.clone(), union.clone());
    let survey = engine::survey(&runner, false).await;
    if !survey.errors.is_empty() {
        let list: Vec<String> = survey
            .errors
            .iter()
            .map(|(k, e)| format!("  - {k}: {e}"))
            .collect();
        return Err(Failure::failed(format!(
            "could not look up every resource, so nothing was deleted:\n{}",
            list.join("\n")
        )));
    }
    let mut doomed = Vec::new();
    let mut kept = Vec::new();
    for node in union.nodes() {
        let ids = survey.ids(&node.key);
        if ids.is_empty() {
            continue;
        }
        if node.res.adopted() {
            kept.push(format!("{} {}", node.res.kind(), node.res.name()));
        } else {
            doomed.push((node.res.kind(), node.res.name().to_string(), ids));
        }
    }
    Ok(DestroyPlan {
        stack: stack.to_string(),
        region: state.region,
        session,
        store,
        union,
        survey,
        doomed,
        kept,
        lock,
    })
}

pub fn destroy(
    env: &Env,
    plan: DestroyPlan,
) -> (
    mpsc::UnboundedReceiver<super::Event>,
    JoinHandle<Result<DestroyReport, Failure>>,
) {
    let (events, rx) = Events::channel();
    let env = env.clone();
    let work = tokio::spawn(async move { run(env, plan, events).await });
    (rx, work)
}

async fn run(env: Env, plan: DestroyPlan, events: Events) -> Result<DestroyReport, Failure> {
    let DestroyPlan {
        stack,
        session,
        store,
        union,
        survey,
        kept,
        lock,
        ..
    } = plan;
    events.phase(Phase::Deleting);
    let done = events
        .run(|tx| {
            engine::destroy(
                runner(
                    &env,
                    &session,
                    store.clone(),
                    union.clone(),
                    tx,
                    RunOptions::default(),
                ),
                survey,
            )
        })
        .await;
    let mut left = done.left();

    // Proof, not hope: look for every resource again, and sweep every kind's service for
    // anything still tagged with the stack.
    events.phase(Phase::Checking);
    let checker = super::quiet_runner(&env, &session, store.clone(), union.clone());
    let after = engine::survey(&checker, false).await;
    for node in union.nodes().filter(|n| !n.res.adopted()) {
        let ids = after.ids(&node.key);
        if !ids.is_empty() && !left.iter().any(|(k, _)| *k == node.key) {
            left.push((
                node.key.clone(),
                format!("still exists: {}", ids.join(", ")),
            ));
        }
    }
    for (key, err) in &after.errors {
        left.push((key.clone(), format!("could not check: {err}")));
    }
    match leftovers(&checker, &after).await {
        Ok(found) => {
            for l in found {
                left.push((
                    format!("{} {}", l.kind, l.id),
                    format!("still tagged {}={stack}", crate::aws::ec2::STACK_TAG),
                ));
            }
        }
        Err(e) => left.push(("sweep".into(), format!("could not sweep: {e}"))),
    }
    if left.is_empty() {
        lock.remove();
        store.remove().map_err(|e| Failure::failed(e.to_string()))?;
    }
    Ok(DestroyReport {
        deleted: done.deleted,
        left,
        kept,
    })
}
