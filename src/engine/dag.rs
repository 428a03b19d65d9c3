//! Runs a function over every node of the graph, each as soon as its predecessors are done
//! (dependencies for apply, dependents for destroy), at most `parallelism` at a time.
//! A node whose predecessor failed is not run: it is reported blocked by that one.

use super::graph::{Graph, Node};
use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;
use std::sync::Arc;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Dependencies first (apply, discover).
    Forward,
    /// Dependents first (destroy).
    Reverse,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Done,
    Failed(crate::aws::Problem),
    /// Not run; names the predecessor that failed or was blocked.
    Blocked(String),
}

pub async fn run<F, Fut>(
    graph: &Graph,
    direction: Direction,
    parallelism: usize,
    on_blocked: impl Fn(&Node, &str),
    f: F,
) -> BTreeMap<String, Outcome>
where
    F: Fn(Node) -> Fut,
    Fut: Future<Output = Outcome> + Send + 'static,
{
    let before = |n: &Node| -> Vec<String> {
        match direction {
            Direction::Forward => graph.in_order(n),
            Direction::Reverse => graph.dependents(&n.key),
        }
    };
    let limit = Arc::new(Semaphore::new(parallelism.max(1)));
    let mut results: BTreeMap<String, Outcome> = BTreeMap::new();
    let mut started: BTreeSet<String> = BTreeSet::new();
    let mut tasks: JoinSet<(String, Outcome)> = JoinSet::new();
    loop {
        // Start (or block) everything whose predecessors have all finished. Blocking can
        // cascade, so repeat until nothing changes.
        let mut changed = true;
        while changed {
            changed = false;
            for node in graph.nodes() {
                if started.contains(&node.key) {
                    continue;
                }
                let preds = before(node);
                if !preds.iter().all(|p| results.contains_key(p)) {
                    continue;
                }
                started.insert(node.key.clone());
                changed = true;
                if let Some(bad) = preds.iter().find(|p| results[*p] != Outcome::Done) {
                    on_blocked(node, bad);
                    results.insert(node.key.clone(), Outcome::Blocked(bad.clone()));
                    continue;
                }
                let fut = f(node.clone());
                let key = node.key.clone();
                let limit = limit.clone();
                tasks.spawn(async move {
                    let _permit = limit.acquire_owned().await;
                    // An inner task, so a panic in one resource becomes that resource's
                    // failure instead of losing track of which node it was.
                    match tokio::spawn(fut).await {
                        Ok(outcome) => (key, outcome),
                        Err(e) => (
                            key,
                            Outcome::Failed(crate::aws::Problem::other(format!(
                                "internal error: {e}"
                            ))),
                        ),
                    }
                });
            }
        }
        match tasks.join_next().await {
            Some(Ok((key, outcome))) => {
                results.insert(key, outcome);
            }
            // The outer task only awaits the inner one; it cannot panic.
            Some(Err(_)) => {}
            None => break,
        }
    }
    results
}
