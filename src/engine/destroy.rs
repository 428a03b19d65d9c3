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

/// Delete every node of the runner's graph that the survey found, dependents first.
pub async fn destroy(runner: Runner, found: Survey) -> DestroyOutcome {
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
            let found = found.clone();
            async move { runner.outcome(&node, destroy_node(&runner, &node, &found).await) }
        },
    )
    .await;
    let deleted = nodes.values().filter(|o| **o == Outcome::Done).count();
    DestroyOutcome { nodes, deleted }
}

async fn destroy_node(runner: &Runner, node: &Node, found: &Survey) -> Result<(), Error> {
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
    let ids = found.owned(&node.key);
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
    for id in ids {
        runner.emit(node, What::Deleting { id: id.clone() });
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
                    runner.emit(
                        node,
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
                        runner.emit(
                            node,
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
        runner.emit(node, What::Deleted { id });
    }
    runner.store.put(&node.key, None)?;
    Ok(())
}
