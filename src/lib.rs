//! hawiz: a terminal wizard that builds a highly available web site on AWS.
//!
//! ```text
//! cli ─► commands ─► plan (parse, resolve, validate)
//!                 └► engine (graph, apply/discover/destroy, events) ─► resources (one kind each) ─► aws
//!                 └► state (per-stack file)        progress (events as lines)      sandbox (moto)
//! ```

pub mod aws;
pub mod blueprint;
pub mod cli;
pub mod commands;
pub mod cost;
pub mod engine;
pub mod i18n;
pub mod myip;
pub mod paths;
pub mod plain;
pub mod plan;
pub mod progress;
pub mod resources;
pub mod sandbox;
pub mod secret;
pub mod state;
pub mod tui;
pub mod userdata;
pub mod wizard;
