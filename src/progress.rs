//! Run events as one line each, for `apply`, `destroy`, plain mode and the wizard's log.

use crate::engine::{Event, What};
use crate::i18n::Lang;
use crate::ops;
use std::time::Instant;

pub struct Lines {
    start: Instant,
    lang: Lang,
}

impl Default for Lines {
    fn default() -> Self {
        Lines::new(Lang::En)
    }
}

impl Lines {
    pub fn new(lang: Lang) -> Lines {
        Lines {
            start: Instant::now(),
            lang,
        }
    }

    fn stamp(&self) -> String {
        format!("[{:>6.1}s]", self.start.elapsed().as_secs_f64())
    }

    /// A resource event as a line.
    pub fn line(&self, ev: &Event) -> String {
        let detail = match &ev.what {
            What::Found { id }
            | What::Adopted { id }
            | What::Created { id }
            | What::Updated { id }
            | What::Deleting { id }
            | What::Deleted { id } => id.clone(),
            What::Ready { id, took } => format!("{id} ({:.1}s)", took.as_secs_f64()),
            What::Updating { changes } => changes.join("; "),
            What::Duplicates { ids } => format!(
                "{} resources carry this key: {}; using the first",
                ids.len(),
                ids.join(", ")
            ),
            What::Failed { error } => match ops::advice::hint(error) {
                Some(a) => format!("{error} — {}", a.text(self.lang)),
                None => error.clone(),
            },
            What::Blocked { by } => format!("not started: {by} failed"),
            What::Retrying { reason } => format!("{reason}; retrying while it clears"),
            What::Kept { reason } => reason.clone(),
            What::Warning { message } => message.clone(),
            What::Creating | What::Absent => String::new(),
        };
        format!(
            "{} {:<8} {:<16} {:<28} {}",
            self.stamp(),
            ev.what.label(),
            ev.kind,
            ev.name,
            detail
        )
        .trim_end()
        .to_string()
    }

    /// Any run event as a line.
    pub fn event(&self, ev: &ops::Event) -> String {
        match ev {
            ops::Event::Resource(e) => self.line(e),
            ops::Event::Phase(p) => format!("{} == {} ==", self.stamp(), p.text(self.lang)),
            ops::Event::Note { en, ko } => {
                format!("{} {}", self.stamp(), self.lang.pick(en, ko))
            }
        }
    }

    pub fn print(&self, ev: &ops::Event) {
        println!("{}", self.event(ev));
    }
}
