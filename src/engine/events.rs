//! Progress events: the only thing the engine tells its front-ends (CLI lines, the
//! wizard's build screen). One event per change in one resource's life.

use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Event {
    pub key: String,
    pub kind: &'static str,
    pub name: String,
    pub what: What,
}

#[derive(Debug, Clone, PartialEq)]
pub enum What {
    // apply
    /// Already exists (found by tag); nothing will be created.
    Found {
        id: String,
    },
    /// Belongs to the user; used, never created or deleted.
    Adopted {
        id: String,
    },
    Creating,
    Created {
        id: String,
    },
    Ready {
        id: String,
        took: Duration,
    },
    /// Its settings differ from the plan (a changed plan, or drift): changing in place.
    Updating {
        changes: Vec<String>,
    },
    Updated {
        id: String,
    },
    /// Not a failure, but something the user should know and act on.
    Warning {
        message: String,
        ko: String,
    },
    /// More than one resource carries this key (an earlier duplicate); the first is used
    /// and `destroy` removes all of them.
    Duplicates {
        ids: Vec<String>,
    },
    Failed {
        error: crate::aws::Problem,
    },
    /// Not attempted because something it needs failed.
    Blocked {
        by: String,
    },
    // destroy
    Deleting {
        id: String,
    },
    /// AWS refused the delete for now (dependencies draining); hawiz waits and retries.
    Retrying {
        reason: String,
    },
    Deleted {
        id: String,
    },
    /// Nothing to delete.
    Absent,
    /// Left in place on purpose.
    Kept {
        reason: String,
        /// The same reason in Korean.
        ko: String,
    },
}

impl What {
    /// A short word for progress lines: at most 8 columns (Hangul takes two), the
    /// log's label column.
    pub fn label(&self, lang: crate::i18n::Lang) -> &'static str {
        let (en, ko) = match self {
            What::Found { .. } => ("exists", "있음"),
            What::Adopted { .. } => ("adopted", "가져옴"),
            What::Creating => ("creating", "생성 중"),
            What::Created { .. } => ("created", "생성됨"),
            What::Ready { .. } => ("ready", "준비됨"),
            What::Updating { .. } => ("updating", "변경 중"),
            What::Updated { .. } => ("updated", "변경됨"),
            What::Warning { .. } | What::Duplicates { .. } => ("warning", "경고"),
            What::Failed { .. } => ("FAILED", "실패"),
            What::Blocked { .. } => ("blocked", "막힘"),
            What::Deleting { .. } => ("deleting", "삭제 중"),
            What::Retrying { .. } => ("waiting", "대기 중"),
            What::Deleted { .. } => ("deleted", "삭제됨"),
            What::Absent => ("absent", "없음"),
            What::Kept { .. } => ("kept", "남김"),
        };
        lang.pick(en, ko)
    }
}
