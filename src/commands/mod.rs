//! The non-interactive commands: each renders one operation of the run layer (`ops`) as
//! lines, and returns `Ok` or a `Failure` carrying the exit code and the message.

pub mod apply;
pub mod destroy;
pub mod doctor;
pub mod drill;
pub mod failback;
pub mod failover;
pub mod plan;
pub mod policy;
pub mod status;

pub use crate::ops::{Env, Failure};

pub use crate::progress::{confirm, counts, follow, print_changes};
