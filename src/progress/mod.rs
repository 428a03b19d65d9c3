//! The run's model beside the run layer, shared by every front-end: a run's events become
//! rows, counts and a log (`model`; a stack looked at, `status`), lines and a heartbeat
//! (`lines`, `follow`); what a run would do, what it asks and how it ended, as lines
//! (`print`, `ask`) for the CLI and plain mode; what a build while answering has made
//! (`early`).

pub mod ask;
pub mod early;
mod follow;
pub mod lines;
pub mod model;
pub mod print;
mod status;

pub use ask::confirm;
pub use follow::follow;
pub use lines::Lines;
pub use model::{BuildState, Row, RowState, RunEnd, RunKind};
pub use print::{counts, print_changes};
