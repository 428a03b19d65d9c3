//! The engine: runs a resource graph to survey it (find, read, compare: the plan and
//! status), apply it (create, settle, update in place) and delete it, with independent
//! nodes concurrently, the state file written around every create, and progress as
//! events. The run layer (`ops`) decides which graph and which phase; front-ends only
//! render its events.

mod apply;
pub mod charge;
pub mod consequence;
mod dag;
mod destroy;
pub mod events;
pub mod fact;
pub mod graph;
pub mod inspection;
mod resource;
pub mod settings;
mod survey;
pub mod wait;

pub use apply::{ApplyOutcome, apply};
pub use charge::Charge;
pub use consequence::{Altered, Deleting, Remains, Replacing};
pub use dag::Outcome;
pub use destroy::{DestroyOutcome, Doomed, Scope, destroy};
pub use events::{Event, What};
pub use fact::Fact;
pub use graph::{Graph, GraphError, Node};
pub use resource::{Ctx, Dep, Found, Match, Outputs, Proof, Resource, RunOptions, Swept, foreign};
pub use survey::{Seen, Survey, deleting, remains, survey, sweep};

use crate::aws::{AwsError, Clients};
use crate::plan::Finding;
use crate::state::{StateError, Store};
use std::collections::HashMap;
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
    /// Something in the way that is not this stack's (see `foreign`).
    #[error("{}", .0.message)]
    Conflict(Finding),
    #[error("{0}")]
    Failed(String),
    #[error("{0}")]
    State(String),
}

impl Error {
    /// The error as a front-end shows it: its words and its class (AWS's code decides it).
    pub fn problem(&self) -> crate::aws::Problem {
        match self {
            Error::Aws(e) => crate::aws::Problem::from(e),
            other => crate::aws::Problem::other(other.to_string()),
        }
    }
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
    pub options: RunOptions,
    /// Resources outside the graph that its nodes may depend on, as the state recorded
    /// them: a run over part of the stack (the standby region alone, at failover, when
    /// the primary's region may not answer) takes their IDs and outputs from here.
    pub known: Arc<HashMap<String, Dep>>,
}

impl Runner {
    fn emit(&self, node: &Node, what: What) {
        self.emit_as(node, &node.label(), what);
    }

    /// An event of a node about a resource that is not the node's own (a leftover its
    /// kind deletes), under the name given.
    fn emit_as(&self, node: &Node, name: &str, what: What) {
        // A front-end that stopped listening is not the engine's problem.
        let _ = self.events.send(Event {
            key: node.key.clone(),
            kind: node.res.kind(),
            name: name.to_string(),
            what,
        });
    }

    /// A node's result as the DAG runner counts it; a failure is also reported.
    fn outcome(&self, node: &Node, result: Result<(), Error>) -> dag::Outcome {
        match result {
            Ok(()) => dag::Outcome::Done,
            Err(e) => {
                let error = e.problem();
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

    /// The same runner over another graph (a phase's subset), sharing everything else.
    pub fn with_graph(&self, graph: Graph) -> Runner {
        Runner {
            graph: Arc::new(graph),
            ..self.clone()
        }
    }

    /// The same runner with its events going nowhere (checks nobody needs to watch).
    pub fn quiet(&self) -> Runner {
        let (events, _) = mpsc::unbounded_channel();
        Runner {
            events,
            ..self.clone()
        }
    }

    /// The clients of the region a node lives in.
    fn clients(&self, node: &Node) -> Arc<Clients> {
        match &node.region {
            Some(region) if *region != self.aws.region => self.aws.in_region(region),
            _ => self.aws.clone(),
        }
    }

    fn ctx(&self, node: &Node, deps: HashMap<String, Dep>) -> Ctx {
        let recorded = self.store.get(&node.key);
        Ctx {
            aws: self.clients(node),
            stack: self.store.stack(),
            key: node.key.clone(),
            name: node.res.name().to_string(),
            token: self.store.token_for(&node.key),
            kind: node.res.kind(),
            deps,
            recorded,
            options: self.options.clone(),
            events: Some(self.events.clone()),
        }
    }
}
