//! The engine: runs a resource graph for apply, status (discover) and destroy, with
//! independent nodes concurrently, the state file written around every create, and
//! progress as events. The front-ends only send it a graph and render its events.

mod apply;
mod dag;
mod destroy;
mod discover;
pub mod events;
pub mod graph;
mod resource;
pub mod wait;

pub use apply::{ApplyOutcome, apply};
pub use destroy::{DestroyOutcome, destroy};
pub use discover::{Discovered, discover};
pub use events::{Event, What};
pub use graph::{Graph, GraphError, Node};
pub use resource::{Ctx, Resource};

use crate::aws::{AwsError, Clients};
use crate::state::{StateError, Store};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

#[derive(Debug, Clone, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Aws(#[from] AwsError),
    #[error("gave up after {waited:.0?} waiting for {what}")]
    Timeout { what: String, waited: Duration },
    #[error("{node} needs {dep}, which does not exist")]
    MissingDependency { node: String, dep: String },
    #[error("{0}")]
    Failed(String),
    #[error("{0}")]
    State(String),
}

impl From<StateError> for Error {
    fn from(e: StateError) -> Self {
        Error::State(e.to_string())
    }
}

/// What every engine run shares.
#[derive(Debug, Clone)]
pub struct Runner {
    pub aws: Arc<Clients>,
    pub store: Arc<Store>,
    pub graph: Arc<Graph>,
    /// How many resources may be worked on at once.
    pub parallelism: usize,
    pub events: mpsc::UnboundedSender<Event>,
}

impl Runner {
    fn emit(&self, node: &Node, what: What) {
        // A front-end that stopped listening is not the engine's problem.
        let _ = self.events.send(Event {
            key: node.key.clone(),
            kind: node.res.kind(),
            name: node.res.name().to_string(),
            what,
        });
    }

    /// A node's result as the DAG runner counts it; a failure is also reported.
    fn outcome(&self, node: &Node, result: Result<(), Error>) -> dag::Outcome {
        match result {
            Ok(()) => dag::Outcome::Done,
            Err(e) => {
                let error = e.to_string();
                self.emit(
                    node,
                    What::Failed {
                        error: error.clone(),
                    },
                );
                dag::Outcome::Failed(error)
            }
        }
    }

    fn ctx(&self, node: &Node, deps: std::collections::HashMap<String, String>) -> Ctx {
        let state = self.store.snapshot();
        Ctx {
            aws: self.aws.clone(),
            stack: state.stack,
            key: node.key.clone(),
            name: node.res.name().to_string(),
            token: self.store.token_for(&node.key),
            deps,
        }
    }
}
