//! Recovering from what people do, end to end in a pseudo-terminal with the real binary:
//! Esc on every screen (never out without asking), a hard kill in the middle of a sandbox
//! build and the next `--sandbox` run finishing it, adopting a hand-built VPC by picking
//! its subnets from the list, and `hawiz edit PLAN.toml` changing one answer in place.
//! Everything is checked from outside too: describe calls, the files on disk, the process.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod adopt;
mod edit;
mod esc;
mod killed;

use crate::support;

use portable_pty::CommandBuilder;
use std::path::Path;
use support::env::Env;
use support::pty::Pty;

pub(super) const LEAVE: &str = "Leave hawiz?";

/// `hawiz ARGS` in a pty, talking to the emulator at `endpoint`.
pub(super) fn hawiz(endpoint: &str, home: &Path, args: &[&str]) -> CommandBuilder {
    Env::emulator(endpoint, home).pty(args)
}

/// The title of a wizard step's form panel, as drawn on its top border.
pub(super) fn step_title(step: usize) -> String {
    format!(
        "┌ {step} {} ",
        hawiz::wizard::title(step, hawiz::i18n::Lang::En)
    )
}

/// Wait until a line of the screen reads `words` once its runs of spaces are collapsed
/// (labels are padded to a column).
#[track_caller]
pub(super) fn wait_for_words(p: &Pty, words: &str, secs: u64) {
    p.wait_until(words, secs, |s| {
        s.lines().any(|l| {
            l.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .contains(words)
        })
    });
}
