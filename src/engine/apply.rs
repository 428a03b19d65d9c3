//! Apply: for every node, in dependency order and concurrently where possible,
//! look up by tag → otherwise record intent, create, record the ID → settle → record ready.

use super::dag::{self, Direction, Outcome};
use super::wait::Retry;
use super::{Ctx, Error, Node, Runner, What};
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
    /// IDs of the nodes that are ready.
    pub ids: BTreeMap<String, String>,
}

impl ApplyOutcome {
    /// The ready nodes as a discovery result, for summaries that need IDs.
    pub fn discovered(&self) -> super::Discovered {
        super::Discovered {
            found: self
                .ids
                .iter()
                .map(|(k, v)| (k.clone(), vec![v.clone()]))
                .collect(),
            errors: BTreeMap::new(),
        }
    }

    pub fn is_complete(&self) -> bool {
        self.nodes.values().all(|o| *o == Outcome::Done)
    }
    pub fn failed(&self) -> impl Iterator<Item = (&String, &String)> {
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

/// Shared by the node tasks of one apply: IDs of ready nodes, and counters.
#[derive(Default)]
struct Progress {
    ids: HashMap<String, String>,
    created: usize,
    existing: usize,
}

pub async fn apply(runner: Runner) -> ApplyOutcome {
    let progress = Arc::new(Mutex::new(Progress::default()));
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
    // Remembered for the resume screen: complete, or why not.
    let first_failure = nodes.iter().find_map(|(k, o)| match o {
        Outcome::Failed(e) => Some(format!("{k}: {e}")),
        _ => None,
    });
    let _ = runner.store.set_last_error(first_failure);
    let p = progress.lock().unwrap_or_else(|p| p.into_inner());
    ApplyOutcome {
        nodes,
        created: p.created,
        existing: p.existing,
        ids: p.ids.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
    }
}

/// One node: attempts until it is ready, a permanent error, or the transient retries
/// run out. A transient error (throttling, 5xx, a lost answer) says nothing about whether
/// the call took effect, so each retry starts over from `find`: a create whose answer was
/// lost is found by its tags instead of being made twice.
async fn apply_node(runner: &Runner, node: &Node, progress: &Mutex<Progress>) -> Result<(), Error> {
    let started = Instant::now();
    let deps: HashMap<String, String> = {
        let p = progress.lock().unwrap_or_else(|p| p.into_inner());
        node.deps
            .iter()
            .filter_map(|d| p.ids.get(d).map(|id| (d.clone(), id.clone())))
            .collect()
    };
    let cx = runner.ctx(node, deps);
    let mut retry = Retry::transient();
    loop {
        match attempt(runner, node, progress, &cx, started).await {
            Err(Error::Aws(e)) if e.is_transient() => {
                let Some(delay) = retry.next_delay() else {
                    return Err(Error::Failed(format!(
                        "{e} (still failing after {} attempts; run apply again later)",
                        retry.attempts()
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

/// Look up → (record intent, create, record ID) → settle → record ready.
async fn attempt(
    runner: &Runner,
    node: &Node,
    progress: &Mutex<Progress>,
    cx: &Ctx,
    started: Instant,
) -> Result<(), Error> {
    let res = &node.res;
    let record = |status: Status, id: Option<String>| -> Result<(), Error> {
        runner.store.put(
            &node.key,
            Some(Record {
                kind: res.kind().to_string(),
                name: res.name().to_string(),
                status,
                id,
                token: cx.token.clone(),
            }),
        )?;
        Ok(())
    };

    let mut found = res.find(cx).await?;
    // Prefer the ID the state file knows when several carry the same tags.
    if let Some(known) = runner.store.get(&node.key).and_then(|r| r.id)
        && let Some(pos) = found.iter().position(|id| *id == known)
    {
        found.swap(0, pos);
    }
    if found.len() > 1 {
        runner.emit(node, What::Duplicates { ids: found.clone() });
    }

    let id = if res.adopted() {
        let Some(id) = found.into_iter().next() else {
            return Err(Error::Failed(format!(
                "{} {} does not exist (or is not visible with these credentials in region {})",
                res.kind(),
                res.name(),
                runner.aws.region
            )));
        };
        record(Status::Adopted, Some(id.clone()))?;
        runner.emit(node, What::Adopted { id: id.clone() });
        let mut p = progress.lock().unwrap_or_else(|p| p.into_inner());
        p.existing += 1;
        p.ids.insert(node.key.clone(), id);
        return Ok(());
    } else if let Some(id) = found.into_iter().next() {
        runner.emit(node, What::Found { id: id.clone() });
        if runner
            .store
            .get(&node.key)
            .is_none_or(|r| r.id.as_deref() != Some(&id))
        {
            record(Status::Created, Some(id.clone()))?;
        }
        progress.lock().unwrap_or_else(|p| p.into_inner()).existing += 1;
        id
    } else {
        // Intent first: if hawiz dies during the call, the next run knows the token and
        // looks for the resource by its tags before creating anything.
        record(Status::Creating, None)?;
        runner.emit(node, What::Creating);
        let id = res.create(cx).await?;
        record(Status::Created, Some(id.clone()))?;
        runner.emit(node, What::Created { id: id.clone() });
        progress.lock().unwrap_or_else(|p| p.into_inner()).created += 1;
        id
    };

    res.settle(cx, &id).await?;
    if runner
        .store
        .get(&node.key)
        .is_none_or(|r| r.status != Status::Ready)
    {
        record(Status::Ready, Some(id.clone()))?;
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
        .ids
        .insert(node.key.clone(), id);
    Ok(())
}
