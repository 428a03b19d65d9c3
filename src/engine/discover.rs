//! Discover: find what exists of every node (by tag, or through its parents for things
//! without tags), without changing anything. Status prints it; destroy deletes from it.

use super::Runner;
use super::dag::{self, Direction, Outcome};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

#[derive(Debug, Default, Clone)]
pub struct Discovered {
    /// Live IDs per node (empty: missing).
    pub found: BTreeMap<String, Vec<String>>,
    /// Lookups that failed, with the error.
    pub errors: BTreeMap<String, String>,
}

impl Discovered {
    pub fn first(&self, key: &str) -> Option<&String> {
        self.found.get(key).and_then(|ids| ids.first())
    }
}

pub async fn discover(runner: &Runner) -> Discovered {
    let found: Arc<Mutex<BTreeMap<String, Vec<String>>>> = Arc::default();
    let graph = runner.graph.clone();
    let results = dag::run(
        &graph,
        Direction::Forward,
        runner.parallelism,
        |_, _| {},
        |node| {
            let runner = runner.clone();
            let found = found.clone();
            async move {
                let deps: HashMap<String, String> = {
                    let f = found.lock().unwrap_or_else(|p| p.into_inner());
                    node.deps
                        .iter()
                        .filter_map(|d| {
                            f.get(d)
                                .and_then(|ids| ids.first())
                                .map(|id| (d.clone(), id.clone()))
                        })
                        .collect()
                };
                let cx = runner.ctx(&node, deps);
                match node.res.find(&cx).await {
                    Ok(ids) => {
                        found
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .insert(node.key.clone(), ids);
                        Outcome::Done
                    }
                    Err(e) => Outcome::Failed(e.to_string()),
                }
            }
        },
    )
    .await;
    let found = found.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let errors = results
        .into_iter()
        .filter_map(|(k, o)| match o {
            Outcome::Done => None,
            Outcome::Failed(e) => Some((k, e)),
            Outcome::Blocked(by) => Some((k, format!("not checked: looking up {by} failed"))),
        })
        .collect();
    Discovered { found, errors }
}
