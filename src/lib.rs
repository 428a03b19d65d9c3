//! hawiz: a terminal wizard that builds a highly available web site on AWS.
//!
//! ```text
//! cli ─► commands ─┐                     plan (parse, resolve, validate)
//! tui (wizard) ────┼─► ops (run layer) ─► blueprint (plan → graph) ─► resources (one kind each)
//! plain ───────────┘    connect, lock,    engine (survey/apply/destroy over a graph, events)
//!                       diff, sweep,      state (per-stack file)            aws (clients, errors)
//!                       advice
//! ```

pub mod aws;
pub mod blueprint;
pub mod cli;
pub mod commands;
pub mod cost;
pub mod engine;
pub mod http;
pub mod i18n;
pub mod myip;
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
pub mod state;
pub mod time;
pub mod tui;
pub mod userdata;
pub mod wizard;
