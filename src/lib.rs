//! hawiz: a terminal wizard that builds a highly available web site on AWS.
//!
//! Three front-ends render one run layer. Every arrow points down: a module uses only
//! what is below it. Nothing outside `tui` imports `tui`; plain mode imports neither `tui`
//! nor `commands`.
//!
//! ```text
//!  main ─► commands (CLI)     plain (line prompts)     tui (full screen)
//!              │                     │                      │
//!              ▼                     ▼                      ▼
//!     progress: the run's model (rows, counts, log, heartbeat) and its lines; an
//!               operation's question on a line terminal
//!     wizard:   the steps, their questions (fields per step), drafts     settings, sandbox
//!              │
//!              ▼
//!     ops: the run layer. compute → Question → Answer → run, for apply (changes),
//!          destroy, drill; status; connect, validate, preflight, lock, sweep, advice,
//!          the lists pickers offer
//!              │
//!              ▼
//!     cost (prices a graph, each kind its own charges)
//!     blueprint (plan → graph) ─► resources (one kind each) ─► engine (survey, apply,
//!                                                             destroy over a graph; what
//!                                                             a kind knows of itself)
//!              │                                                        │
//!              ▼                                                        ▼
//!     aws (clients, errors) · state (per-stack file) · plan (parse, resolve, validate)
//!     · policy · userdata · names · secret · i18n
//! ```
//!
//! `shape` (a test) checks this against the source: no cycle between these modules,
//! nothing outside `tui` imports it, and no file longer than one reads whole.

pub mod aws;
pub mod blueprint;
pub mod cli;
pub mod commands;
pub mod cost;
pub mod engine;
pub mod http;
pub mod i18n;
pub mod myip;
pub mod names;
pub mod ops;
pub mod paths;
pub mod plain;
pub mod plan;
pub mod policy;
pub mod progress;
pub mod resources;
pub mod sandbox;
pub mod secret;
pub mod settings;
#[cfg(test)]
mod shape;
pub mod state;
pub mod time;
pub mod tui;
pub mod userdata;
pub mod wizard;
