//! Destroy: delete every node's live resources, dependents first, concurrently where the
//! graph allows; wait out "still in use" refusals (network interfaces draining) with a
//! bounded backoff; never touch adopted resources.

use super::dag::{self, Direction, Outcome};
use super::wait::Backoff;
use super::{Error, Node, Runner, Survey, What};
use crate::aws::retry::{Sent, noting_failures};
use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

#[derive(Debug, Default, Clone)]
pub struct DestroyOutcome {
    pub nodes: BTreeMap<String, Outcome>,
    pub deleted: usize,
}

impl DestroyOutcome {
    /// Nodes whose resources may still exist, with the reason.
    pub fn left(&self) -> Vec<(String, crate::aws::Problem)> {
        self.nodes
            .iter()
            .filter_map(|(k, o)| match o {
                Outcome::Done => None,
                Outcome::Failed(e) => Some((k.clone(), e.clone())),
                Outcome::Blocked(by) => Some((
                    k.clone(),
                    crate::aws::Problem::other(format!("kept because {by} could not be deleted")),
                )),
            })
            .collect()
    }
}

/// How long to keep retrying a delete that AWS refuses because of dependencies. ALB, NAT
/// and EFS network interfaces can take several minutes to go.
pub fn patience() -> Duration {
    std::env::var("HAWIZ_DESTROY_PATIENCE_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .map(Duration::from_secs)
        .unwrap_or(Duration::from_secs(20 * 60))
}

/// What a destroy deletes: node key → the IDs to delete.
pub type Doomed = BTreeMap<String, Vec<String>>;

/// Which resources a destroy deletes.
#[derive(Debug, Clone)]
pub enum Scope {
    /// The whole stack: every node's resources (and the state forgets each node).
    Stack(Doomed),
    /// Only these (the stack's duplicates and leftovers): the stack and its state stay,
    /// and nodes with nothing listed are passed over in silence.
    Only(Doomed),
}

impl Scope {
    fn ids(&self, key: &str) -> Vec<String> {
        match self {
            Scope::Stack(d) | Scope::Only(d) => d.get(key).cloned().unwrap_or_default(),
        }
    }

    fn whole(&self) -> bool {
        matches!(self, Scope::Stack(_))
    }
}

/// Delete what `scope` lists of the runner's graph, dependents first; the survey gives
/// each node its dependencies as they are.
pub async fn destroy(runner: Runner, found: Survey, scope: Scope) -> DestroyOutcome {
    let graph = runner.graph.clone();
    let nodes = dag::run(
        &graph,
        Direction::Reverse,
        runner.parallelism,
        |node, by| {
            runner.emit(
                node,
                What::Kept {
                    reason: format!("{by} is still there"),
                    ko: format!(
                        "{} 아직 있습니다",
                        crate::i18n::korean::with(by, crate::i18n::korean::Josa::IGa)
                    ),
                },
            )
        },
        |node| {
            let runner = runner.clone();
            let (found, scope) = (found.clone(), scope.clone());
            async move { runner.outcome(&node, destroy_node(&runner, &node, &found, &scope).await) }
        },
    )
    .await;
    // Whole: the resources (nodes) that are gone now; only some: the IDs listed that went.
    let deleted = match &scope {
        Scope::Stack(_) => nodes.values().filter(|o| **o == Outcome::Done).count(),
        Scope::Only(d) => nodes
            .iter()
            .filter(|(_, o)| **o == Outcome::Done)
            .map(|(k, _)| d.get(k).map_or(0, Vec::len))
            .sum(),
    };
    DestroyOutcome { nodes, deleted }
}

async fn destroy_node(
    runner: &Runner,
    node: &Node,
    found: &Survey,
    scope: &Scope,
) -> Result<(), Error> {
    let ids = scope.ids(&node.key);
    if !scope.whole() && ids.is_empty() {
        return Ok(());
    }
    if let Some((why, why_ko)) = node.res.kept() {
        let (reason, ko) = if node.res.adopted() {
            (
                "adopted: hawiz never deletes what it did not create".to_string(),
                "가져온 것: hawiz는 자기가 만들지 않은 것을 지우지 않습니다".to_string(),
            )
        } else {
            (format!("kept: {why}"), format!("남김: {why_ko}"))
        };
        runner.emit(node, What::Kept { reason, ko });
        return Ok(());
    }
    // What is proven the user's own (a boundary an administrator made, say) is used,
    // never deleted.
    if ids.is_empty() && !found.yours(&node.key).is_empty() {
        runner.emit(
            node,
            What::Kept {
                reason: "yours: hawiz never deletes what it did not create".into(),
                ko: "사용자의 것: hawiz는 자기가 만들지 않은 것을 지우지 않습니다".into(),
            },
        );
        return Ok(());
    }
    if ids.is_empty() {
        runner.store.put(&node.key, None)?;
        runner.emit(node, What::Absent);
        return Ok(());
    }
    let deps: HashMap<String, super::Dep> = node
        .deps
        .iter()
        .filter_map(|d| found.dep(d).map(|dep| (d.clone(), dep)))
        .collect();
    let cx = runner.ctx(node, deps);
    let own = found.ids(&node.key);
    for id in ids {
        // A leftover this node's kind deletes is not the node's own: not under its name
        // (its kind and ID say what it is; why was said before the question).
        let name = if own.contains(&id) {
            node.label()
        } else {
            String::new()
        };
        runner.emit_as(node, &name, What::Deleting { id: id.clone() });
        let mut backoff = Backoff::refused(patience());
        let mut retry = Backoff::transient();
        let mut told = false;
        loop {
            let (result, failed) = noting_failures(node.res.delete(&cx, &id)).await;
            match result {
                Ok(()) => break,
                Err(Error::Aws(e)) if e.is_not_found() => break,
                // Deletes are safe to resend (gone counts as done). Most went through the
                // SDK, which already tried them (`aws::retry`); this covers the calls that
                // go out once.
                Err(Error::Aws(e)) if e.is_transient() => {
                    let delay = match failed {
                        Some(Sent::Retried) => None,
                        _ => retry.next_delay(),
                    };
                    let Some(delay) = delay else {
                        return Err(Error::Aws(e));
                    };
                    runner.emit_as(
                        node,
                        &name,
                        What::Retrying {
                            reason: e.to_string(),
                        },
                    );
                    tokio::time::sleep(delay).await;
                }
                Err(Error::Aws(e)) if e.is_dependency() => {
                    let Some(delay) = backoff.next_delay() else {
                        return Err(Error::Failed(format!(
                            "{e} (still in use after {:.0?}; run destroy again later)",
                            patience()
                        )));
                    };
                    if !told {
                        runner.emit_as(
                            node,
                            &name,
                            What::Retrying {
                                reason: e.to_string(),
                            },
                        );
                        told = true;
                    }
                    tokio::time::sleep(delay).await;
                }
                Err(e) => return Err(e),
            }
        }
        node.res.wait_deleted(&cx, &id).await?;
        runner.emit_as(node, &name, What::Deleted { id });
    }
    if scope.whole() {
        runner.store.put(&node.key, None)?;
    }
    Ok(())
}
