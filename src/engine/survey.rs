//! Survey: find what exists of every node (with its proof), and optionally read and
//! compare its settings, without changing anything. The plan's diff, status's drift and
//! destroy's list of what to delete all come from here.

use super::dag::{self, Direction, Outcome};
use super::settings::{self, Change};
use super::{Dep, Found, Outputs, Runner};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

/// What the survey saw of one node.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Seen {
    pub found: Found,
    /// Outputs of the first of its resources.
    pub outputs: Outputs,
    /// Settings that differ from the plan (only when settings were read).
    pub changes: Vec<Change>,
}

#[derive(Debug, Default, Clone)]
pub struct Survey {
    pub nodes: BTreeMap<String, Seen>,
    /// Look-ups that failed, with the error.
    pub errors: BTreeMap<String, crate::aws::Problem>,
}

impl Survey {
    /// The look-ups that failed, one `  - key: error` line each (what a refusal to go on
    /// lists).
    pub fn error_list(&self) -> String {
        self.errors
            .iter()
            .map(|(k, e)| format!("  - {k}: {e}"))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Live IDs of a node (empty: missing).
    pub fn ids(&self, key: &str) -> Vec<String> {
        self.nodes
            .get(key)
            .map(|s| s.found.ids())
            .unwrap_or_default()
    }

    /// Live IDs of a node that are proven the user's own (`Proof::Yours`): used, never
    /// deleted.
    pub fn yours(&self, key: &str) -> Vec<String> {
        self.matching(key, |p| p == super::Proof::Yours)
    }

    /// Live IDs of a node that are the stack's to delete: all but the user's own.
    pub fn owned(&self, key: &str) -> Vec<String> {
        self.matching(key, |p| p != super::Proof::Yours)
    }

    fn matching(&self, key: &str, keep: impl Fn(super::Proof) -> bool) -> Vec<String> {
        self.nodes
            .get(key)
            .map(|s| {
                s.found
                    .ours
                    .iter()
                    .filter(|m| keep(m.proof))
                    .map(|m| m.id.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Every node's resources that are the stack's to delete (what a whole destroy
    /// deletes).
    pub fn doomed(&self) -> super::Doomed {
        self.nodes
            .keys()
            .map(|k| (k.clone(), self.owned(k)))
            .filter(|(_, ids)| !ids.is_empty())
            .collect()
    }

    pub fn first(&self, key: &str) -> Option<&String> {
        self.nodes
            .get(key)
            .and_then(|s| s.found.ours.first())
            .map(|m| &m.id)
    }

    /// A node as its dependents see it.
    pub fn dep(&self, key: &str) -> Option<Dep> {
        let seen = self.nodes.get(key)?;
        let first = seen.found.ours.first()?;
        Some(Dep {
            id: first.id.clone(),
            outputs: seen.outputs.clone(),
        })
    }
}

/// Look at every node in dependency order. With `settings`, also read and compare what
/// each existing resource has with what the plan asks for.
pub async fn survey(runner: &Runner, settings: bool) -> Survey {
    let seen: Arc<Mutex<BTreeMap<String, Seen>>> = Arc::default();
    let graph = runner.graph.clone();
    let results = dag::run(
        &graph,
        Direction::Forward,
        runner.parallelism,
        |_, _| {},
        |node| {
            let runner = runner.clone();
            let seen = seen.clone();
            async move {
                let deps: HashMap<String, Dep> = {
                    let s = seen.lock().unwrap_or_else(|p| p.into_inner());
                    node.deps
                        .iter()
                        .filter_map(|d| {
                            let seen = s.get(d)?;
                            let first = seen.found.ours.first()?;
                            Some((
                                d.clone(),
                                Dep {
                                    id: first.id.clone(),
                                    outputs: seen.outputs.clone(),
                                },
                            ))
                        })
                        .collect()
                };
                let cx = runner.ctx(&node, deps);
                let look = async {
                    let mut found = node.res.find(&cx).await?;
                    found.prefer(cx.recorded.as_ref().and_then(|r| r.id.as_deref()));
                    let mut item = Seen {
                        found,
                        ..Seen::default()
                    };
                    if let Some(first) = item.found.ours.first().map(|m| m.id.clone()) {
                        if settings && !node.res.adopted() {
                            let actual = node.res.read(&cx, &first).await?;
                            item.changes = settings::diff(&node.res.desired(&cx), &actual);
                        }
                        item.outputs = node.res.outputs(&cx, &first).await?;
                    }
                    Ok::<_, super::Error>(item)
                };
                match look.await {
                    Ok(item) => {
                        seen.lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .insert(node.key.clone(), item);
                        Outcome::Done
                    }
                    Err(e) => Outcome::Failed(e.problem()),
                }
            }
        },
    )
    .await;
    let nodes = seen.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let errors = results
        .into_iter()
        .filter_map(|(k, o)| match o {
            Outcome::Done => None,
            Outcome::Failed(e) => Some((k, e)),
            Outcome::Blocked(by) => Some((
                k,
                crate::aws::Problem::other(format!("not checked: looking up {by} failed")),
            )),
        })
        .collect();
    Survey { nodes, errors }
}

/// Everything of the stack each kind of the graph can find by its tags, whatever its key
/// (one sweep per kind): `(kind, resource)`. The proof destroy ends with, and what status
/// reports as leftovers when no node claims it.
pub async fn sweep(runner: &Runner) -> Result<Vec<(&'static str, super::Swept)>, String> {
    // One lister per kind, side by side (bounded like every run): the sweep runs beside
    // the plan's survey and should not outlast it.
    let mut kinds = std::collections::BTreeSet::new();
    let gate = Arc::new(tokio::sync::Semaphore::new(runner.parallelism.max(1)));
    let mut set = tokio::task::JoinSet::new();
    for (order, node) in runner.graph.nodes().enumerate() {
        // Per region: a standby's VPCs are listed by the standby region's clients.
        if !kinds.insert((node.res.kind(), runner.clients(node).region.clone())) {
            continue;
        }
        let (runner, key, gate) = (runner.clone(), node.key.clone(), gate.clone());
        set.spawn(async move {
            let _turn = gate.acquire_owned().await;
            let Some(node) = runner.graph.get(&key) else {
                return Ok((order, Vec::new()));
            };
            let cx = runner.ctx(node, HashMap::new());
            let kind = node.res.kind();
            node.res
                .sweep(&cx)
                .await
                .map(|found| (order, found.into_iter().map(|s| (kind, s)).collect()))
                .map_err(|e| format!("{kind}: {e}"))
        });
    }
    let mut parts: Vec<(usize, Vec<(&'static str, super::Swept)>)> = Vec::new();
    while let Some(done) = set.join_next().await {
        parts.push(done.map_err(|e| format!("the sweep stopped: {e}"))??);
    }
    parts.sort_by_key(|(order, _)| *order);
    // A global kind (IAM, Route 53) answers the same from every region: once each.
    let mut seen = std::collections::HashSet::new();
    Ok(parts
        .into_iter()
        .flat_map(|(_, found)| found)
        .filter(|(kind, s)| seen.insert((*kind, s.id.clone())))
        .collect())
}

/// What deleting the doomed resources takes with them (protection, data), as each kind
/// says: read before destroy asks.
pub async fn deleting(
    runner: &Runner,
    doomed: &super::Doomed,
) -> Result<Vec<super::Deleting>, String> {
    let mut out = Vec::new();
    for node in runner.graph.nodes() {
        for id in doomed.get(&node.key).into_iter().flatten() {
            let cx = runner.ctx(node, HashMap::new());
            if let Some(d) = node
                .res
                .deleting(&cx, id)
                .await
                .map_err(|e| format!("{}: {e}", node.key))?
            {
                out.push(d);
            }
        }
    }
    Ok(out)
}

/// What deletions left on purpose (final snapshots), as each kind finds it.
pub async fn remains(runner: &Runner) -> Result<Vec<super::Remains>, String> {
    let mut out = Vec::new();
    for node in runner.graph.nodes() {
        let cx = runner.ctx(node, HashMap::new());
        let found = node
            .res
            .remains(&cx)
            .await
            .map_err(|e| format!("{}: {e}", node.key))?;
        for r in found {
            if !out.contains(&r) {
                out.push(r);
            }
        }
    }
    Ok(out)
}
