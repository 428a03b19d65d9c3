//! The build screen's state, fed by engine events: a row per resource with its status,
//! elapsed time against the typical time for its kind, the resources' IDs, and a log.

use crate::engine::{Graph, Resource, What};
use crate::ops;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowState {
    Waiting,
    Working,
    Ready,
    Failed,
    Blocked,
    Kept,
    Gone,
}

#[derive(Debug, Clone)]
pub struct Row {
    pub key: String,
    pub kind: &'static str,
    pub name: String,
    pub state: RowState,
    pub id: Option<String>,
    pub started: Option<Instant>,
    pub took: Option<Duration>,
    pub error: Option<String>,
    /// The kind itself: its typical time and console link.
    pub res: Arc<dyn Resource>,
}

impl Row {
    /// Typical seconds on AWS, for "elapsed vs typical".
    pub fn typical(&self) -> u64 {
        self.res.typical().as_secs()
    }

    pub fn console(&self, region: &str) -> Option<String> {
        self.id.as_ref().and_then(|id| self.res.console(id, region))
    }
}

#[derive(Debug, Clone)]
pub struct BuildState {
    pub rows: Vec<Row>,
    pub log: Vec<String>,
    pub started: Instant,
    pub finished: bool,
    pub destroying: bool,
    /// A read-only look at a saved stack (from the resume screen).
    pub viewing: bool,
    pub region: String,
    /// A failure of the run itself (not of one resource), e.g. no credentials.
    pub fatal: Option<String>,
    /// Where the site is and how to get in, once built.
    pub summary: Option<ops::summary::Summary>,
}

impl BuildState {
    pub fn new(graph: &Graph, region: &str, destroying: bool) -> BuildState {
        BuildState {
            rows: graph
                .nodes()
                .map(|n| Row {
                    key: n.key.clone(),
                    kind: n.res.kind(),
                    name: n.res.name().to_string(),
                    state: RowState::Waiting,
                    id: None,
                    started: None,
                    took: None,
                    error: None,
                    res: n.res.clone(),
                })
                .collect(),
            log: Vec::new(),
            started: Instant::now(),
            finished: false,
            destroying,
            viewing: false,
            region: region.to_string(),
            fatal: None,
            summary: None,
        }
    }

    pub fn on_event(&mut self, ev: &ops::Event, line: String) {
        self.log.push(line);
        if self.log.len() > 200 {
            self.log.remove(0);
        }
        let ops::Event::Resource(ev) = ev else {
            return;
        };
        let Some(row) = self.rows.iter_mut().find(|r| r.key == ev.key) else {
            return;
        };
        let now = Instant::now();
        match &ev.what {
            What::Creating
            | What::Deleting { .. }
            | What::Retrying { .. }
            | What::Updating { .. } => {
                row.state = RowState::Working;
                row.started.get_or_insert(now);
                if let What::Deleting { id } = &ev.what {
                    row.id = Some(id.clone());
                }
            }
            What::Found { id } | What::Created { id } => {
                row.state = RowState::Working;
                row.started.get_or_insert(now);
                row.id = Some(id.clone());
            }
            What::Adopted { id } => {
                row.state = RowState::Ready;
                row.id = Some(id.clone());
            }
            What::Updated { id } => {
                row.id = Some(id.clone());
            }
            What::Ready { id, took } => {
                row.state = RowState::Ready;
                row.id = Some(id.clone());
                row.took = Some(*took);
            }
            What::Failed { error } => {
                row.state = RowState::Failed;
                row.error = Some(error.clone());
                row.took = row.started.map(|s| now - s);
            }
            What::Blocked { by } => {
                row.state = RowState::Blocked;
                row.error = Some(by.clone());
            }
            What::Deleted { .. } | What::Absent => {
                row.state = RowState::Gone;
                row.took = row.started.map(|s| now - s);
            }
            What::Kept { reason } => {
                row.state = RowState::Kept;
                row.error = Some(reason.clone());
            }
            What::Duplicates { .. } | What::Warning { .. } => {}
        }
    }

    pub fn count(&self, state: RowState) -> usize {
        self.rows.iter().filter(|r| r.state == state).count()
    }

    pub fn succeeded(&self) -> bool {
        self.finished
            && self.fatal.is_none()
            && self
                .rows
                .iter()
                .all(|r| matches!(r.state, RowState::Ready | RowState::Gone | RowState::Kept))
    }

    /// Whether every resource of these keys' kinds is ready (for the diagram).
    pub fn ready(&self, prefix: &str) -> Option<bool> {
        let rows: Vec<&Row> = self
            .rows
            .iter()
            .filter(|r| r.key == prefix || r.key.starts_with(&format!("{prefix}/")))
            .collect();
        if rows.is_empty() {
            return None;
        }
        Some(rows.iter().all(|r| r.state == RowState::Ready))
    }

    pub fn failed_rows(&self) -> impl Iterator<Item = &Row> {
        self.rows.iter().filter(|r| r.state == RowState::Failed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_know_their_kinds_typical_time_and_console_page() {
        let mut plan = crate::plan::Plan::default();
        plan.resolve(None);
        let g = crate::blueprint::build(&plan, std::path::Path::new("/tmp")).unwrap();
        let mut b = BuildState::new(&g, "ap-northeast-2", false);
        let typical = |key: &str| b.rows.iter().find(|r| r.key == key).unwrap().typical();
        assert!(typical("db") > typical("nat/a"));
        let vpc = b.rows.iter_mut().find(|r| r.key == "vpc").unwrap();
        assert!(vpc.console("ap-northeast-2").is_none(), "no ID yet");
        vpc.id = Some("vpc-1".into());
        assert!(
            vpc.console("ap-northeast-2")
                .unwrap()
                .ends_with("#VpcDetails:VpcId=vpc-1")
        );
    }
}
