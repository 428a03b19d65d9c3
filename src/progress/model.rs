//! A run as every front-end shows it, fed by its events: a row per resource with its
//! status and times (elapsed against the typical time for its kind, frozen when the run
//! ends), the events as they came (drawn in the user's language), the selection for the
//! wizard's inspector, and how the run ended. The CLI and plain mode keep one for the
//! heartbeat; the wizard draws it.

use crate::engine::{Graph, Resource, What};
use crate::ops::{self, Failure};
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
    /// Could not be checked (a read failed): neither present nor missing.
    Unknown,
}

/// What the build screen shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunKind {
    Build,
    Destroy,
    /// A read-only look at a saved stack (from the resume screen).
    View,
    /// The HA drill on a complete stack: its live lines in the log, its table at the end.
    Drill,
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
    pub error: Option<crate::aws::Problem>,
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

    /// Seconds spent so far; a row still working when the run ended stops there.
    pub fn elapsed(&self, now: Instant, ended: Option<Instant>) -> u64 {
        self.took
            .or_else(|| {
                self.started
                    .map(|s| ended.unwrap_or(now).saturating_duration_since(s))
            })
            .map_or(0, |d| d.as_secs())
    }
}

#[derive(Debug, Clone)]
pub struct BuildState {
    pub kind: RunKind,
    pub stack: String,
    pub rows: Vec<Row>,
    /// Every event as it came, with when: drawn as log lines in the current language.
    pub log: Vec<(Instant, ops::Event)>,
    pub started: Instant,
    /// When the run ended: every timer stops here.
    pub ended: Option<Instant>,
    pub region: String,
    /// A failure of the run itself (not of one resource): a refusal with its messages, no
    /// credentials, a lock held by another process.
    pub failure: Option<Failure>,
    /// What a destroy could not delete, with why.
    pub left: Vec<(String, crate::aws::Problem)>,
    /// Final snapshots a destroy kept.
    pub snapshots: Vec<ops::Snapshot>,
    /// The selected row's key (for the inspector); the first row when none.
    pub selected: Option<String>,
    /// The log's scroll; `None` follows the newest lines.
    pub log_scroll: Option<u16>,
    /// The plan being built (or looked at, or deleted), for the diagram.
    pub plan: Option<Box<crate::plan::Plan>>,
    /// A drill's measured result.
    pub drill: Option<Box<ops::drill::DrillResult>>,
    /// A build whose stack is up while the database's standby is still being added
    /// (`ops::Event::Up`): its final screen may be shown before the run ends.
    pub up: bool,
}

/// How a run ended when it did not fail as a whole.
#[derive(Debug, Clone, PartialEq)]
pub enum RunEnd {
    /// Built (or partly: the rows say which failed), with where the site is.
    Built(Box<ops::summary::Summary>),
    /// A drill ended, with what it measured.
    Drilled(Box<ops::drill::DrillResult>),
    /// Destroyed; the final snapshots kept, and what could not be deleted.
    Destroyed {
        snapshots: Vec<ops::Snapshot>,
        left: Vec<(String, crate::aws::Problem)>,
    },
}

const LOG_KEPT: usize = 2000;

impl BuildState {
    pub fn new(graph: &Graph, stack: &str, region: &str, kind: RunKind, now: Instant) -> Self {
        let mut b = BuildState::empty(kind, now);
        b.stack = stack.to_string();
        b.region = region.to_string();
        b.rows = graph
            .nodes()
            .map(|n| Row {
                key: n.key.clone(),
                kind: n.res.kind(),
                name: n.label(),
                state: RowState::Waiting,
                id: None,
                started: None,
                took: None,
                error: None,
                res: n.res.clone(),
            })
            .collect();
        b
    }

    /// Before the run has said what it will do (or when it could not start).
    pub fn empty(kind: RunKind, now: Instant) -> Self {
        BuildState {
            kind,
            stack: String::new(),
            rows: Vec::new(),
            log: Vec::new(),
            started: now,
            ended: None,
            region: String::new(),
            failure: None,
            left: Vec::new(),
            snapshots: Vec::new(),
            selected: None,
            log_scroll: None,
            plan: None,
            drill: None,
            up: false,
        }
    }

    pub fn finished(&self) -> bool {
        self.ended.is_some()
    }

    /// Time spent, stopped when the run ended.
    pub fn elapsed(&self, now: Instant) -> Duration {
        self.ended
            .unwrap_or(now)
            .saturating_duration_since(self.started)
    }

    pub fn finish(&mut self, result: Result<RunEnd, Failure>, at: Instant) {
        self.ended = Some(at);
        match result {
            Ok(RunEnd::Destroyed { snapshots, left }) => {
                self.snapshots = snapshots;
                self.left = left;
            }
            Ok(RunEnd::Built(_)) => {}
            Ok(RunEnd::Drilled(r)) => self.drill = Some(r),
            Err(f) => self.failure = Some(f),
        }
        // A run that stopped opens its log at the top, where the failure, what failed and
        // the advice are, not at its last (successful) events.
        if !self.succeeded() {
            self.log_scroll = Some(0);
        }
    }

    pub fn on_event(&mut self, ev: &ops::Event, at: Instant) {
        self.up |= matches!(ev, ops::Event::Up(_));
        self.log.push((at, ev.clone()));
        if self.log.len() > LOG_KEPT {
            self.log.remove(0);
        }
        let ops::Event::Resource(ev) = ev else {
            return;
        };
        let Some(row) = self.rows.iter_mut().find(|r| r.key == ev.key) else {
            return;
        };
        match &ev.what {
            What::Creating
            | What::Deleting { .. }
            | What::Retrying { .. }
            | What::Updating { .. } => {
                // Work again on a row that had finished (a replacement's delete, a change
                // after it was found ready): its time starts now, not frozen at the old one.
                if matches!(
                    row.state,
                    RowState::Ready | RowState::Gone | RowState::Failed | RowState::Kept
                ) {
                    row.started = None;
                    row.took = None;
                }
                row.state = RowState::Working;
                row.started.get_or_insert(at);
                if let What::Deleting { id } = &ev.what {
                    row.id = Some(id.clone());
                }
            }
            What::Found { id } | What::Created { id } => {
                row.state = RowState::Working;
                row.started.get_or_insert(at);
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
                row.took = row.started.map(|s| at.saturating_duration_since(s));
            }
            What::Blocked { by } => {
                row.state = RowState::Blocked;
                row.error = Some(crate::aws::Problem::other(by.clone()));
            }
            What::Deleted { .. } | What::Absent => {
                row.state = RowState::Gone;
                row.took = row.started.map(|s| at.saturating_duration_since(s));
            }
            What::Kept { reason, .. } => {
                row.state = RowState::Kept;
                row.error = Some(crate::aws::Problem::other(reason.clone()));
            }
            What::Duplicates { .. } | What::Warning { .. } => {}
        }
    }

    /// Whether every row is present (for the final screen's claims).
    pub fn all_ready(&self) -> bool {
        self.rows.iter().all(|r| r.state == RowState::Ready)
    }

    pub fn count(&self, state: RowState) -> usize {
        self.rows.iter().filter(|r| r.state == state).count()
    }

    pub fn succeeded(&self) -> bool {
        self.finished()
            && self.failure.is_none()
            && self.left.is_empty()
            && self
                .rows
                .iter()
                .all(|r| matches!(r.state, RowState::Ready | RowState::Gone | RowState::Kept))
    }

    /// Whether every resource of these keys' kinds is ready (for the diagram).
    pub fn ready(&self, prefix: &str) -> Option<bool> {
        let rows: Vec<&Row> = self.rows_of(prefix).collect();
        if rows.is_empty() {
            return None;
        }
        Some(rows.iter().all(|r| r.state == RowState::Ready))
    }

    /// The rows of a key or a key family (`nat` → `nat/a`, `nat/c`).
    pub fn rows_of<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a Row> + 'a {
        self.rows
            .iter()
            .filter(move |r| r.key == prefix || r.key.starts_with(&format!("{prefix}/")))
    }

    pub fn failed_rows(&self) -> impl Iterator<Item = &Row> {
        self.rows.iter().filter(|r| r.state == RowState::Failed)
    }

    /// The rows in screen order: failures and work in progress first, then what waits,
    /// then what is done (in graph order within each).
    pub fn order(&self) -> Vec<usize> {
        let rank = |s: RowState| match s {
            RowState::Failed | RowState::Unknown => 0,
            RowState::Working => 1,
            RowState::Waiting => 2,
            RowState::Blocked => 3,
            _ => 4,
        };
        let mut idx: Vec<usize> = (0..self.rows.len()).collect();
        idx.sort_by_key(|i| rank(self.rows[*i].state));
        idx
    }

    /// The rows still being worked on (created and waited for, or being deleted), the
    /// longest-running first, with the seconds each has taken so far.
    pub fn working(&self, now: Instant) -> Vec<(&Row, u64)> {
        let mut rows: Vec<(&Row, u64)> = self
            .rows
            .iter()
            .filter(|r| r.state == RowState::Working)
            .map(|r| (r, r.elapsed(now, self.ended)))
            .collect();
        rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.key.cmp(&b.0.key)));
        rows
    }

    /// The selected row's position in `order()`.
    pub fn selected_index(&self) -> usize {
        let order = self.order();
        self.selected
            .as_ref()
            .and_then(|k| order.iter().position(|i| self.rows[*i].key == *k))
            .unwrap_or(0)
    }

    pub fn selected_row(&self) -> Option<&Row> {
        let order = self.order();
        order
            .get(self.selected_index())
            .and_then(|i| self.rows.get(*i))
    }

    /// Move the selection through the rows as the screen orders them.
    pub fn select(&mut self, delta: i32) {
        let order = self.order();
        if order.is_empty() {
            return;
        }
        let n = i32::try_from(order.len()).unwrap_or(1);
        let at = i32::try_from(self.selected_index()).unwrap_or(0);
        let next = usize::try_from((at + delta).rem_euclid(n)).unwrap_or(0);
        self.selected = Some(self.rows[order[next]].key.clone());
    }

    /// The rows that exist (have an ID), for the final screen's list.
    pub fn built(&self) -> Vec<&Row> {
        self.rows.iter().filter(|r| r.id.is_some()).collect()
    }

    /// Move the selection through the rows that exist.
    pub fn select_built(&mut self, delta: i32) {
        let keys: Vec<String> = self.built().iter().map(|r| r.key.clone()).collect();
        if keys.is_empty() {
            return;
        }
        let n = i32::try_from(keys.len()).unwrap_or(1);
        let at = self
            .selected
            .as_ref()
            .and_then(|k| keys.iter().position(|x| x == k))
            .map_or(-1, |i| i32::try_from(i).unwrap_or(0));
        let next = usize::try_from((at + delta).rem_euclid(n)).unwrap_or(0);
        self.selected = Some(keys[next].clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> BuildState {
        let mut plan = crate::plan::Plan::default();
        plan.resolve(None);
        let g = crate::blueprint::build(&plan, std::path::Path::new("/tmp")).unwrap();
        BuildState::new(
            &g,
            "wordpress-ha",
            "ap-northeast-2",
            RunKind::Build,
            Instant::now(),
        )
    }

    /// A row at work again after it was ready (a replacement's delete that waits out
    /// "still in use") counts its time from then: never a frozen 0 s.
    #[test]
    fn a_row_at_work_again_counts_from_then() {
        let mut b = state();
        let t0 = Instant::now();
        let ev = |what| {
            ops::Event::Resource(crate::engine::Event {
                key: "igw".into(),
                kind: "internet-gateway",
                name: "wordpress-ha-igw".into(),
                what,
            })
        };
        b.on_event(
            &ev(What::Ready {
                id: "igw-1".into(),
                took: std::time::Duration::ZERO,
            }),
            t0,
        );
        b.on_event(&ev(What::Deleting { id: "igw-1".into() }), t0);
        let later = t0 + std::time::Duration::from_secs(840);
        let (row, secs) = b.working(later)[0];
        assert_eq!((row.key.as_str(), secs), ("igw", 840));
    }

    #[test]
    fn rows_know_their_kinds_typical_time_and_console_page() {
        let mut b = state();
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

    #[test]
    fn timers_stop_when_the_run_ends() {
        let mut b = state();
        let t0 = b.started;
        let ev = |what| {
            ops::Event::Resource(crate::engine::Event {
                key: "db".into(),
                kind: "rds-instance",
                name: "wordpress-ha-db".into(),
                what,
            })
        };
        b.on_event(&ev(What::Creating), t0 + Duration::from_secs(1));
        let end = t0 + Duration::from_secs(10);
        b.finish(Err(Failure::failed("stopped")), end);
        let later = t0 + Duration::from_secs(100);
        assert_eq!(b.elapsed(later), Duration::from_secs(10));
        let db = b.rows.iter().find(|r| r.key == "db").unwrap();
        assert_eq!(
            db.elapsed(later, b.ended),
            9,
            "a row still working stops too"
        );
    }

    #[test]
    fn selection_follows_the_screen_order() {
        let mut b = state();
        b.select(1);
        let first = b.selected_row().unwrap().key.clone();
        b.rows.iter_mut().find(|r| r.key == "db").unwrap().state = RowState::Failed;
        b.selected = None;
        assert_eq!(b.selected_row().unwrap().key, "db", "failures come first");
        b.select(-1);
        assert_ne!(b.selected_row().unwrap().key, first);
    }
}
