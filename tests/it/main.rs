//! hawiz's integration and end-to-end tests, in one test binary: each file below was its
//! own binary once, and every one of them linked the whole AWS SDK again (about 90 MB and
//! several seconds of linking each, on a 2-core CI machine with a bounded disk). One
//! binary links once; the files stay as modules named for what they test, so
//! `cargo test --test it wizard::` runs one of them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

mod account;
mod adopt;
mod asks;
mod bench;
mod changes;
mod cloudfront;
mod doctor;
mod drill;
mod failback;
mod failover;
mod fast_start;
mod faults;
mod iam_policy;
mod inspect;
mod lived_in;
mod network;
mod operations;
mod output;
mod plain;
mod plan_apply;
mod proxy;
mod proxy_env;
mod recovery;
mod render;
mod resume;
mod retries;
mod sandbox;
mod security;
mod stack;
mod static_bucket;
mod sweep;
mod userdata;
mod wizard;
