//! What the wizard's state is made of, besides `App` itself: the screens, the dialogs
//! (an operation's question among them), the effects the loop carries out, and the
//! tickets that make stale answers recognisable.

use crate::ops::drill::Part;
use crate::ops::{Answer, Question, inspect::Inspection};
use crate::plan::Plan;
use crate::progress::RunKind;
use crate::settings::Settings;
use crate::tui::msg::Loaded;
use crate::wizard::draft::Draft;
use crate::wizard::fields::Source;
use std::collections::HashMap;
use std::path::PathBuf;

/// Something that arrives from AWS later.
#[derive(Debug, Clone, PartialEq)]
pub enum Loadable<T> {
    Idle,
    Loading,
    Ready(T),
    Failed(String),
}

impl<T> Loadable<T> {
    pub fn ready(&self) -> Option<&T> {
        match self {
            Loadable::Ready(v) => Some(v),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Screen {
    /// Saved setups: the unfinished answers (if any) first, then the saved stacks.
    Resume {
        selected: usize,
        confirm_destroy: bool,
    },
    Wizard,
    /// "Check an existing setup": the region's VPCs with a verdict each (`App::doctor`),
    /// or one VPC's findings (`open`). `from_resume`: where Esc goes back to.
    Doctor {
        selected: usize,
        open: bool,
        from_resume: bool,
    },
    /// The state lives in `App::review`.
    Review,
    /// A build, a destroy or a look at a saved stack; the state lives in `App::build`.
    Build,
    Final,
}

/// A question over the screen that must be answered before anything else.
#[derive(Debug, Clone, PartialEq)]
pub enum Dialog {
    /// Esc would leave the program: ask first.
    Quit,
    /// A new setup is about to use a saved stack's name.
    SameName { stack: String },
    /// A new setup is asked for while unfinished answers are saved: hawiz keeps one set,
    /// and the new setup's first answer would replace them.
    NewOverDraft,
    /// An operation's question (delete a stack, break a part of it): the run layer works
    /// out what it will do and what that asks, the dialog shows it, the user answers.
    Ask(Box<Asking>),
    /// Leaving while part of the stack was built while answering: keep it or delete it.
    Leave { stack: String },
}

/// An operation the wizard asks the run layer about before it runs.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    Destroy {
        stack: String,
    },
    Drill {
        stack: String,
        part: Part,
    },
    /// Build while answering (`ops::early`): its question needs no look at AWS.
    Early {
        stack: String,
    },
}

impl Op {
    pub fn stack(&self) -> &str {
        match self {
            Op::Destroy { stack } | Op::Drill { stack, .. } | Op::Early { stack } => stack,
        }
    }

    pub fn kind(&self) -> RunKind {
        match self {
            Op::Destroy { .. } => RunKind::Destroy,
            Op::Early { .. } => RunKind::Build,
            Op::Drill { .. } => RunKind::Drill,
        }
    }
}

/// An operation's question as the dialog shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Asking {
    pub op: Op,
    /// The ticket it was asked with; the answer goes back with it.
    pub ticket: u64,
    /// The run layer's question (loading while it looks at the stack; failed when it
    /// refuses, saying why).
    pub question: Loadable<Question>,
    pub answer: Answer,
    /// The highlighted choice.
    pub selected: usize,
    pub scroll: u16,
}

/// What the app asks the loop to do. Each carries everything it needs, so the loop never
/// reads the app's state to do it.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Look something up for the answers so far.
    Load {
        ticket: u64,
        what: Loader,
        region: String,
        profile: String,
        vpc: String,
    },
    /// The review's preflight: `ops::changes` for these answers, nothing locked or made.
    Preflight {
        ticket: u64,
        plan: Box<Plan>,
        profile: String,
    },
    /// Build these answers with the answer to their question (its choices); the run
    /// layer asks its question again under the lock and refuses an answer that lacks what
    /// it needs.
    Build {
        ticket: u64,
        plan: Box<Plan>,
        profile: String,
        answer: Answer,
    },
    /// Ask the run layer what an operation would do and what it asks (`Loaded::Asked`);
    /// the operation then waits for `Answer` under the same ticket.
    Ask {
        ticket: u64,
        op: Op,
        profile: String,
    },
    /// The answer to an asked operation. A yes runs it, its events under the `run`
    /// ticket on the build screen; a no lets it go (and the lock it held).
    Answer {
        ticket: u64,
        answer: Answer,
        run: u64,
    },
    /// Build while answering: start building the steps through `through`, or (once
    /// started) let them join the next run with these answers.
    Early {
        ticket: u64,
        plan: Box<Plan>,
        through: usize,
        profile: String,
    },
    /// Check the region's VPCs (`doctor`), read-only.
    Doctor {
        ticket: u64,
        region: String,
        profile: String,
    },
    /// Read a saved stack's plan, to continue it or look at it.
    Open {
        ticket: u64,
        stack: String,
        view: bool,
    },
    /// Look at a saved stack's resources as they are in AWS (read-only).
    View {
        ticket: u64,
        plan: Box<Plan>,
        profile: String,
    },
    /// Read one resource's wiring from AWS for the inspector.
    Inspect {
        ticket: u64,
        key: String,
        kind: &'static str,
        id: String,
        /// The plan the resource belongs to: its kind writes the inspector's sections.
        plan: Option<Box<Plan>>,
        region: String,
        profile: String,
    },
    /// Save the answers as a plan file: `origin` (`hawiz edit FILE`), else the data dir's.
    SavePlan {
        plan: Box<Plan>,
        origin: Option<PathBuf>,
    },
    SaveDraft(Box<Draft>),
    /// Put a text on the clipboard through the terminal (OSC 52).
    Copy(String),
    ClearDraft,
    SaveSettings(Settings),
    /// Read the saved stacks again (after a run changed them), and look in the account
    /// for those this machine has no state of.
    RefreshStacks,
    Quit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Loader {
    Identity,
    MyAddress,
    List(Source),
    /// The chosen VPC's subnets with their Name tags and tiers.
    Subnets,
}

/// The kinds of request whose answers can go stale: one live ticket each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Slot {
    Identity,
    Address,
    List(Source),
    Subnets,
    Preflight,
    Run,
    Inspect,
    Open,
    Ask,
    Doctor,
    Early,
}

impl Loaded {
    pub(super) fn slot(&self) -> Slot {
        match self {
            Loaded::Identity(_) => Slot::Identity,
            Loaded::Address(_) => Slot::Address,
            Loaded::List(s, _) => Slot::List(*s),
            Loaded::Subnets(_) => Slot::Subnets,
            Loaded::Preflight(_) => Slot::Preflight,
            Loaded::Opened { .. } => Slot::Open,
            Loaded::Started(_) | Loaded::Event(..) | Loaded::Done(..) => Slot::Run,
            Loaded::Inspected(..) => Slot::Inspect,
            Loaded::Asked(_) => Slot::Ask,
            Loaded::Doctor(_) => Slot::Doctor,
            Loaded::Early(_) => Slot::Early,
        }
    }
}

/// The latest request of each slot; answers to earlier ones are stale.
#[derive(Debug, Clone, Default)]
pub struct Tickets {
    next: u64,
    live: HashMap<Slot, u64>,
}

impl Tickets {
    pub fn issue(&mut self, slot: Slot) -> u64 {
        self.next += 1;
        self.live.insert(slot, self.next);
        self.next
    }
    pub fn is_live(&self, slot: Slot, ticket: u64) -> bool {
        self.live.get(&slot) == Some(&ticket)
    }
    pub fn forget(&mut self, slot: Slot) {
        self.live.remove(&slot);
    }
}

/// The focused text field's editor.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Editor {
    pub text: String,
    /// Cursor position in characters.
    pub cursor: usize,
}

/// The inspector over the build or final screen.
#[derive(Debug, Clone, PartialEq)]
pub struct Inspector {
    pub key: String,
    pub kind: &'static str,
    pub name: String,
    pub id: String,
    /// Its page in the AWS console, when it has one.
    pub link: Option<String>,
    /// Why it failed, when it did: shown first.
    pub error: Option<crate::aws::Problem>,
    pub body: Loadable<Inspection>,
    pub scroll: u16,
}
