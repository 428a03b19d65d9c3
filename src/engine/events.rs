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
    },
    /// More than one resource carries this key (an earlier duplicate); the first is used
    /// and `destroy` removes all of them.
    Duplicates {
        ids: Vec<String>,
    },
    Failed {
        error: String,
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
    },
}

impl What {
    /// A short word for progress lines.
    pub fn label(&self) -> &'static str {
        match self {
            What::Found { .. } => "exists",
            What::Adopted { .. } => "adopted",
            What::Creating => "creating",
            What::Created { .. } => "created",
            What::Ready { .. } => "ready",
            What::Updating { .. } => "updating",
            What::Updated { .. } => "updated",
            What::Warning { .. } => "warning",
            What::Duplicates { .. } => "warning",
            What::Failed { .. } => "FAILED",
            What::Blocked { .. } => "blocked",
            What::Deleting { .. } => "deleting",
            What::Retrying { .. } => "waiting",
            What::Deleted { .. } => "deleted",
            What::Absent => "absent",
            What::Kept { .. } => "kept",
        }
    }
}
