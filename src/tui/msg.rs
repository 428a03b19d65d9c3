//! Everything that can wake the wizard: a key (or the mouse wheel), the clock, the
//! terminal's size, and the answers of the work it asked for. One type, so `App::update`
//! is the only place state changes. Answers carry the ticket of the request they answer:
//! a request asked again (a VPC ID typed further, a region changed) makes the earlier
//! answer stale, and `update` drops it.

use super::keys::Input;
use crate::aws::Identity;
use crate::i18n::Text;
use crate::ops::lists::SubnetChoice;
use crate::ops::stacks::SavedStack;
use crate::ops::{self, Failure, inspect::Inspection};
use crate::plan::{Finding, Plan};
use crate::progress::{BuildState, RunEnd};
use crate::wizard::fields::Source;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Debug)]
pub enum Msg {
    /// A key as the terminal gave it; `update` reads it with the keymap, in context.
    Key(crossterm::event::KeyEvent),
    /// A key already read (tests), or the mouse wheel.
    Input(Input),
    /// The spinner's beat.
    Tick,
    /// The terminal's size (columns, rows).
    Resize(u16, u16),
    /// What the frame just drawn showed of the scrolled panel: scrolling is clamped to it.
    Drawn(Extents),
    /// An answer to a ticketed request.
    Loaded(u64, Loaded),
    /// Where the answers were saved as a plan file.
    PlanSaved(Result<PathBuf, String>),
    /// The saved stacks, read again after a run.
    Stacks(Vec<SavedStack>),
    /// The stacks the account keeps that this machine has no state of (looked up in the
    /// background; nothing when the account cannot be read).
    AccountStacks(Vec<SavedStack>),
    /// SIGTERM or SIGHUP: leave now (the terminal is restored on the way out).
    Terminate,
}

impl From<Input> for Msg {
    fn from(i: Input) -> Msg {
        Msg::Input(i)
    }
}

/// What a ticketed request returns.
#[derive(Debug)]
pub enum Loaded {
    Identity(Result<Identity, String>),
    /// The caller's public address as a /32.
    Address(Result<String, String>),
    List(Source, Result<Vec<(String, String)>, String>),
    /// The chosen VPC's subnets, classified.
    Subnets(Result<Vec<SubnetChoice>, String>),
    /// The review's preflight: what a run would do, or why it is refused.
    Preflight(Result<Box<Preview>, Failure>),
    /// A saved stack's plan, to continue (`view: false`) or look at.
    Opened {
        stack: String,
        view: bool,
        plan: Result<Box<Plan>, String>,
        /// Said when its state was rebuilt from the account (this machine had none).
        rebuilt: Option<crate::i18n::Text>,
    },
    /// A build, destroy or view started (its rows), or could not start.
    Started(Result<Box<BuildState>, Failure>),
    /// One event of the run, stamped when it arrived.
    Event(ops::Event, Instant),
    /// The run ended.
    Done(Result<RunEnd, Failure>, Instant),
    /// The inspector's reading of one resource.
    Inspected(String, Result<Inspection, String>),
    /// What an operation asks before it runs (a destroy, a drill), or why it will not.
    Asked(Result<Box<ops::Question>, Failure>),
    /// The region's VPCs, each checked (`doctor`), or why they could not be read.
    Doctor(Result<Vec<ops::doctor::Report>, String>),
    /// What the build while answering reports.
    Early(ops::early::Report),
}

/// What the review's preflight found: `ops::changes` without the lock, reduced to what the
/// screen shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Preview {
    pub items: Vec<PreviewItem>,
    pub warnings: Vec<Finding>,
    pub notes: Vec<Text>,
    /// Monthly estimate before (when the stack exists and can be priced) and after.
    pub cost: Option<(Option<f64>, f64)>,
    /// The stack exists already (this run continues or changes it).
    pub existed: bool,
    /// What building these answers asks (the run layer's question for them).
    pub question: ops::Question,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PreviewItem {
    pub key: String,
    pub kind: &'static str,
    pub name: String,
    pub action: ops::Action,
    /// The settings that change, or why it is replaced or deleted.
    pub detail: String,
}

impl Preview {
    pub fn from_changeset(cs: &ops::Changeset) -> Preview {
        Preview {
            items: cs
                .items
                .iter()
                .map(|i| PreviewItem {
                    key: i.key.clone(),
                    kind: i.kind,
                    name: i.name.clone(),
                    action: i.action,
                    detail: i.detail(),
                })
                .collect(),
            warnings: cs.warnings.clone(),
            notes: cs.notes.clone(),
            cost: cs.cost,
            existed: cs.before.is_some(),
            question: cs.question(),
        }
    }

    pub fn count(&self, action: ops::Action) -> usize {
        self.items.iter().filter(|i| i.action == action).count()
    }
}

/// What the last frame showed of the panel the scroll keys move: how many lines its text
/// has, how many fit, and where the review's entries start. The view reports it after
/// every frame (`Msg::Drawn`), so scrolling stops at the last line without the model
/// laying anything out itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extents {
    /// The panel these numbers are about (`None`: nothing scrolls, or nothing drawn yet).
    pub scroller: Option<Scroller>,
    pub lines: usize,
    pub height: usize,
    /// The widest line and the panel's inner width: a wider line pans sideways.
    pub widest: usize,
    pub width: usize,
    /// The line each choosable entry of the review starts at, in the review's order.
    pub entries: Vec<usize>,
}

/// Which panel the scroll keys move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scroller {
    Help,
    /// An operation's question.
    Dialog,
    Inspector,
    Explanation,
    Review,
    Log,
    Final,
    /// One VPC's findings (check an existing setup).
    Doctor,
}
