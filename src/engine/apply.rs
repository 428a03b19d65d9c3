//! Apply: for every node, in dependency order and concurrently where possible, look up
//! with proof → otherwise record intent, create, record the ID → settle → compare the
//! settings and update in place what differs → record ready with its outputs.

use super::dag::{self, Direction, Outcome};
use super::settings;
use super::wait::Backoff;
use super::{Ctx, Dep, Error, Node, Outputs, Runner, What};
use crate::aws::retry::{SDK_TRIES, Sent, noting_failures};
use crate::state::{Record, Status};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Instant;

#[derive(Debug, Default, Clone)]
pub struct ApplyOutcome {
    /// Per node: `Done`, `Failed(error)` or `Blocked(by)`.
    pub nodes: BTreeMap<String, Outcome>,
    pub created: usize,
    pub existing: usize,
    /// Nodes whose settings were changed in place, with what changed.
    pub updated: BTreeMap<String, Vec<String>>,
    /// The ready nodes: ID and outputs.
    pub ready: BTreeMap<String, Dep>,
}

impl ApplyOutcome {
    pub fn is_complete(&self) -> bool {
        self.nodes.values().all(|o| *o == Outcome::Done)
    }
    pub fn failed(&self) -> impl Iterator<Item = (&String, &crate::aws::Problem)> {
        self.nodes.iter().filter_map(|(k, o)| match o {
            Outcome::Failed(e) => Some((k, e)),
            _ => None,
        })
    }
    pub fn blocked(&self) -> impl Iterator<Item = (&String, &String)> {
        self.nodes.iter().filter_map(|(k, o)| match o {
            Outcome::Blocked(by) => Some((k, by)),
            _ => None,
        })
    }
}

/// Shared by the node tasks of one apply: ready nodes, and counters.
#[derive(Default)]
struct Progress {
    ready: HashMap<String, Dep>,
    created: usize,
    existing: usize,
    updated: BTreeMap<String, Vec<String>>,
}

pub async fn apply(runner: Runner) -> ApplyOutcome {
    let progress = Arc::new(Mutex::new(Progress {
        ready: (*runner.known).clone(),
        ..Progress::default()
    }));
    let graph = runner.graph.clone();
    let nodes = dag::run(
        &graph,
        Direction::Forward,
        runner.parallelism,
        |node, by| runner.emit(node, What::Blocked { by: by.to_string() }),
        |node| {
            let runner = runner.clone();
            let progress = progress.clone();
            async move { runner.outcome(&node, apply_node(&runner, &node, &progress).await) }
        },
    )
    .await;
    let p = progress.lock().unwrap_or_else(|p| p.into_inner());
    ApplyOutcome {
        nodes,
        created: p.created,
        existing: p.existing,
        updated: p.updated.clone(),
        ready: p
            .ready
            .iter()
            .filter(|(k, _)| !runner.known.contains_key(*k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    }
}

/// One node: attempts until it is ready, a permanent error, or the transient retries
/// run out. A transient error (throttling, 5xx, a lost answer) of a call sent once says
/// nothing about whether the call took effect, so each retry starts over from `find`: a
/// create whose answer was lost is found by its tags instead of being made twice, and a
/// lost update is compared again instead of being assumed. A read or delete that failed
/// was already tried by the SDK, and is not tried again here (`aws::retry`).
async fn apply_node(runner: &Runner, node: &Node, progress: &Mutex<Progress>) -> Result<(), Error> {
    let started = Instant::now();
    let deps: HashMap<String, Dep> = {
        let p = progress.lock().unwrap_or_else(|p| p.into_inner());
        node.deps
            .iter()
            .filter_map(|d| p.ready.get(d).map(|dep| (d.clone(), dep.clone())))
            .collect()
    };
    let cx = runner.ctx(node, deps);
    let mut retry = Backoff::transient();
    loop {
        let (result, failed) = noting_failures(attempt(runner, node, progress, &cx, started)).await;
        match result {
            Err(Error::Aws(e)) if e.is_transient() => {
                // A call the SDK already tried is not tried again (8 × 8 calls otherwise).
                let retried = failed == Some(Sent::Retried);
                let delay = if retried { None } else { retry.next_delay() };
                let Some(delay) = delay else {
                    let tries = if retried {
                        SDK_TRIES
                    } else {
                        retry.tries_made()
                    };
                    return Err(Error::Failed(format!(
                        "{e} (still failing after {tries} tries; run apply again later)"
                    )));
                };
                runner.emit(
                    node,
                    What::Retrying {
                        reason: e.to_string(),
                    },
                );
                tokio::time::sleep(delay).await;
            }
            other => return other,
        }
    }
}

/// Look up → (record intent, create, record ID) → settle → update → record ready.
async fn attempt(
    runner: &Runner,
    node: &Node,
    progress: &Mutex<Progress>,
    cx: &Ctx,
    started: Instant,
) -> Result<(), Error> {
    let res = &node.res;
    // What the state says of this node is kept current as this attempt records it: kinds
    // that cannot be tagged prove a resource is ours by what the state recorded.
    let mut cx = cx.clone();
    let token = cx.token.clone();
    let record = |cx: &mut Ctx, status: Status, id: Option<String>, outputs: Outputs| {
        runner.store.put(
            &node.key,
            Some(Record {
                kind: res.kind().to_string(),
                name: res.name().to_string(),
                status,
                id,
                token: token.clone(),
                outputs,
            }),
        )?;
        cx.recorded = runner.store.get(&node.key);
        Ok::<(), Error>(())
    };

    let mut found = res.find(&cx).await?;
    found.prefer(cx.recorded.as_ref().and_then(|r| r.id.as_deref()));
    let ids = found.ids();
    if ids.is_empty()
        && let Some(conflict) = found.foreign.into_iter().next()
    {
        // The plan's checks refuse this before anything is created; this is the guard for
        // a resource that appeared in between.
        return Err(Error::Conflict(conflict));
    }
    if ids.len() > 1 {
        runner.emit(node, What::Duplicates { ids: ids.clone() });
    }

    if res.adopted() {
        let Some(id) = ids.into_iter().next() else {
            return Err(Error::Failed(format!(
                "{} {} does not exist (or is not visible with these credentials in region {})",
                res.kind(),
                res.name(),
                runner.aws.region
            )));
        };
        let outputs = res.outputs(&cx, &id).await?;
        record(&mut cx, Status::Adopted, Some(id.clone()), outputs.clone())?;
        runner.emit(node, What::Adopted { id: id.clone() });
        let mut p = progress.lock().unwrap_or_else(|p| p.into_inner());
        p.existing += 1;
        p.ready.insert(node.key.clone(), Dep { id, outputs });
        return Ok(());
    }

    // A change is a change to something this stack had made ready before; settings done
    // right after a create (or on a resource AWS made with its parent) are part of making.
    let existed = cx.recorded.as_ref().is_some_and(|r| {
        r.status == Status::Ready && ids.contains(r.id.as_ref().unwrap_or(&String::new()))
    });
    let mut id = if let Some(id) = ids.into_iter().next() {
        runner.emit(node, What::Found { id: id.clone() });
        if cx
            .recorded
            .as_ref()
            .is_none_or(|r| r.id.as_deref() != Some(&id))
        {
            record(&mut cx, Status::Created, Some(id.clone()), Outputs::new())?;
        }
        progress.lock().unwrap_or_else(|p| p.into_inner()).existing += 1;
        id
    } else {
        // Intent first: if hawiz dies during the call, the next run knows the token and
        // looks for the resource by its tags before creating anything.
        record(&mut cx, Status::Creating, None, Outputs::new())?;
        runner.emit(node, What::Creating);
        let id = res.create(&cx).await?;
        record(&mut cx, Status::Created, Some(id.clone()), Outputs::new())?;
        runner.emit(node, What::Created { id: id.clone() });
        progress.lock().unwrap_or_else(|p| p.into_inner()).created += 1;
        id
    };

    if runner.options.start_only.contains(&node.key) {
        // Started: it becomes ready in AWS while the user answers; the next run waits.
        return Ok(());
    }
    res.settle(&cx, &id).await?;

    // Settings: the same comparison for a new resource (settings that take a second
    // call), a changed plan, and drift made by hand.
    let desired = res.desired(&cx);
    if !desired.is_empty() {
        let changes = settings::diff(&desired, &res.read(&cx, &id).await?);
        if let Some(c) = changes.iter().find(|c| c.replaces()) {
            return Err(Error::Failed(format!(
                "{} must be replaced ({}); run `hawiz plan` to see why and apply again to confirm",
                res.name(),
                c.describe()
            )));
        }
        if !changes.is_empty() {
            let said: Vec<String> = changes.iter().map(|c| c.describe()).collect();
            runner.emit(
                node,
                What::Updating {
                    changes: said.clone(),
                },
            );
            res.update(&cx, &id, &changes).await?;
            // Some changes take a while (a database being modified): wait for them too.
            res.settle(&cx, &id).await?;
            // A few change the resource's ID (a route table association is replaced).
            let again = res.find(&cx).await?.ids();
            if !again.contains(&id)
                && let Some(new) = again.into_iter().next()
            {
                id = new;
            }
            runner.emit(node, What::Updated { id: id.clone() });
            // A new resource's second calls are part of making it, not a change.
            if existed {
                progress
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .updated
                    .insert(node.key.clone(), said);
            }
        }
    }

    let outputs = res.outputs(&cx, &id).await?;
    if cx.recorded.as_ref().is_none_or(|r| {
        r.status != Status::Ready || r.outputs != outputs || r.id.as_deref() != Some(&id)
    }) {
        record(&mut cx, Status::Ready, Some(id.clone()), outputs.clone())?;
    }
    runner.emit(
        node,
        What::Ready {
            id: id.clone(),
            took: started.elapsed(),
        },
    );
    progress
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .ready
        .insert(node.key.clone(), Dep { id, outputs });
    Ok(())
}
