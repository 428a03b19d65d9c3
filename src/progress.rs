//! Engine events as one line each, for `apply`, `destroy` and logs.

use crate::engine::{Event, What};
use std::time::Instant;

pub struct Lines {
    start: Instant,
}

impl Default for Lines {
    fn default() -> Self {
        Lines {
            start: Instant::now(),
        }
    }
}

impl Lines {
    pub fn line(&self, ev: &Event) -> String {
        let detail = match &ev.what {
            What::Found { id }
            | What::Adopted { id }
            | What::Created { id }
            | What::Deleting { id }
            | What::Deleted { id } => id.clone(),
            What::Ready { id, took } => format!("{id} ({:.1}s)", took.as_secs_f64()),
            What::Duplicates { ids } => format!(
                "{} resources carry this key: {}; using the first",
                ids.len(),
                ids.join(", ")
            ),
            What::Failed { error } => error.clone(),
            What::Blocked { by } => format!("not started: {by} failed"),
            What::Retrying { reason } => format!("{reason}; retrying while it clears"),
            What::Kept { reason } => reason.clone(),
            What::Creating | What::Absent => String::new(),
        };
        format!(
            "[{:>6.1}s] {:<8} {:<16} {:<28} {}",
            self.start.elapsed().as_secs_f64(),
            ev.what.label(),
            ev.kind,
            ev.name,
            detail
        )
        .trim_end()
        .to_string()
    }

    pub fn print(&self, ev: &Event) {
        println!("{}", self.line(ev));
    }
}
