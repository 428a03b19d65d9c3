//! The wizard's state and the only place it changes (`update`). Drawing reads it; work
//! that takes time (AWS look-ups, the preflight, the build, saving files) is returned as
//! `Effect`s for the loop to start, and comes back as a `Msg` carrying the ticket it was
//! asked with, so an answer to a question no longer asked is dropped.

pub mod resume;
pub mod review;
mod run;
mod steps;

#[cfg(test)]
mod tests;

pub use review::{Check, Entry, Review};

use super::keys::{Action, Input, Keymap};
pub use super::msg::{Extents, Scroller};
use super::msg::{Loaded, Msg};
use super::theme::Theme;
use crate::aws::Identity;
use crate::i18n::Lang;
use crate::ops::lists::SubnetChoice;
use crate::ops::{ApplyOptions, inspect::Inspection};
use crate::plan::{Finding, Plan, Report};
use crate::progress::{BuildState, RunKind};
use crate::settings::Settings;
use crate::wizard::draft::Draft;
use crate::wizard::fields::{self, FieldId, Kind, Source, Spec};
use crate::wizard::{self, REVIEW};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::time::Instant;

pub use crate::ops::stacks::SavedStack;
pub use crate::ops::summary::Summary;

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
    /// Break a part of this stack on purpose?
    Drill {
        stack: String,
        part: crate::ops::drill::Part,
    },
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
    /// Build these answers (the plan file is saved first).
    Build {
        ticket: u64,
        plan: Box<Plan>,
        profile: String,
        options: ApplyOptions,
    },
    /// The HA drill on a saved, complete stack, with its lines on the build screen.
    Drill {
        ticket: u64,
        stack: String,
        part: crate::ops::drill::Part,
        profile: String,
    },
    /// Destroy a saved stack, with progress on the build screen.
    Destroy {
        ticket: u64,
        stack: String,
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
        region: String,
        profile: String,
    },
    /// Save the answers as a plan file: `origin` (`hawiz edit FILE`), else the data dir's.
    SavePlan {
        plan: Box<Plan>,
        origin: Option<PathBuf>,
    },
    SaveDraft(Box<Draft>),
    ClearDraft,
    SaveSettings(Settings),
    /// Read the saved stacks again (after a run changed them).
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
}

impl Loaded {
    fn slot(&self) -> Slot {
        match self {
            Loaded::Identity(_) => Slot::Identity,
            Loaded::Address(_) => Slot::Address,
            Loaded::List(s, _) => Slot::List(*s),
            Loaded::Subnets(_) => Slot::Subnets,
            Loaded::Preflight(_) => Slot::Preflight,
            Loaded::Opened { .. } => Slot::Open,
            Loaded::Started(_) | Loaded::Event(..) | Loaded::Done(..) => Slot::Run,
            Loaded::Inspected(..) => Slot::Inspect,
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
    pub body: Loadable<Inspection>,
    pub scroll: u16,
}

pub struct App {
    pub screen: Screen,
    pub dialog: Option<Dialog>,
    pub lang: Lang,
    pub theme: Theme,
    pub keys: Keymap,
    pub sandbox: bool,
    /// AWS here is an emulator (the sandbox, or `AWS_ENDPOINT_URL`): nothing boots.
    pub emulator: bool,
    pub plan: Plan,
    /// The answers a new setup starts from.
    pub fresh: Plan,
    pub profile: String,
    pub step: usize,
    /// Index into the step's visible fields.
    pub focus: usize,
    /// Text as typed, per field (kept even when it does not parse yet).
    pub inputs: HashMap<FieldId, Editor>,
    pub invalid: HashMap<FieldId, fields::Invalid>,
    /// Fields whose messages are shown (left once, or the user tried to move on).
    pub touched: HashSet<FieldId>,
    pub report: Report,
    pub lists: HashMap<Source, Loadable<Vec<(String, String)>>>,
    /// The chosen VPC's subnets (for picking them by tier).
    pub subnets: Loadable<Vec<SubnetChoice>>,
    /// The highlighted subnet in the picker.
    pub pick: usize,
    /// Why the last pick was refused (en, ko), shown at the field.
    pub pick_refusal: Option<(String, String)>,
    pub identity: Loadable<Identity>,
    pub address: Loadable<String>,
    pub help: bool,
    pub help_scroll: u16,
    /// The explanation's scroll (back to the top on every step).
    pub text_scroll: u16,
    pub stacks: Vec<SavedStack>,
    /// Unfinished answers from an earlier run, offered on the resume screen.
    pub draft: Option<Draft>,
    /// The plan file these answers came from and are saved back to (`hawiz edit`).
    pub origin: Option<PathBuf>,
    /// The saved stack these answers continue (its name is then not a collision).
    pub continuing: Option<String>,
    pub saved_plan: Option<PathBuf>,
    pub review: Option<Review>,
    pub build: Option<BuildState>,
    /// Warnings the preflight gave for the plan being built (the final screen says what
    /// they mean for the site).
    pub warned: Vec<Finding>,
    pub summary: Loadable<Summary>,
    pub final_scroll: u16,
    pub inspector: Option<Inspector>,
    pub notice: Option<(String, String)>,
    pub tick: u64,
    /// The terminal's size (0×0 until known).
    pub size: (u16, u16),
    /// What the last frame showed of the scrolled panel (for clamping scrolls).
    pub extents: Extents,
    pub tickets: Tickets,
}

impl App {
    pub fn new(
        plan: Plan,
        lang: Lang,
        theme: Theme,
        keys: Keymap,
        stacks: Vec<SavedStack>,
        sandbox: bool,
    ) -> App {
        let report = wizard::check(&plan);
        let profile = std::env::var("AWS_PROFILE").unwrap_or_else(|_| {
            if sandbox {
                "sandbox".into()
            } else {
                "default".into()
            }
        });
        App {
            screen: if stacks.is_empty() {
                Screen::Wizard
            } else {
                Screen::Resume {
                    selected: 0,
                    confirm_destroy: false,
                }
            },
            dialog: None,
            lang,
            theme,
            keys,
            sandbox,
            emulator: sandbox,
            fresh: plan.clone(),
            plan,
            profile,
            step: 0,
            focus: 0,
            inputs: HashMap::new(),
            invalid: HashMap::new(),
            touched: HashSet::new(),
            report,
            lists: HashMap::new(),
            subnets: Loadable::Idle,
            pick: 0,
            pick_refusal: None,
            identity: Loadable::Idle,
            address: Loadable::Idle,
            help: false,
            help_scroll: 0,
            text_scroll: 0,
            stacks,
            draft: None,
            origin: None,
            continuing: None,
            saved_plan: None,
            review: None,
            build: None,
            warned: Vec::new(),
            summary: Loadable::Idle,
            final_scroll: 0,
            inspector: None,
            notice: None,
            tick: 0,
            size: (0, 0),
            extents: Extents::default(),
            tickets: Tickets::default(),
        }
    }

    pub fn t<'a>(&self, en: &'a str, ko: &'a str) -> &'a str {
        self.lang.pick(en, ko)
    }

    /// The questions on screen now.
    pub fn fields(&self) -> Vec<Spec> {
        wizard::visible_fields(&self.plan, self.step)
    }

    pub fn focused(&self) -> Option<Spec> {
        self.fields().into_iter().nth(self.focus)
    }

    /// Whether keys type into a text field right now.
    pub fn typing(&self) -> bool {
        self.screen == Screen::Wizard
            && !self.help
            && self.dialog.is_none()
            && self
                .focused()
                .is_some_and(|s| matches!(s.kind, Kind::Text(_)) && !self.picking(&s))
    }

    /// Whether a field is answered by picking from the VPC's subnets (once they are
    /// listed; until then, or if they cannot be, IDs can be typed).
    pub fn picking(&self, spec: &Spec) -> bool {
        matches!(spec.kind, Kind::Text(Some(Source::Subnets)))
            && matches!(self.subnets, Loadable::Ready(_))
    }

    /// The text shown for a field.
    pub fn value(&self, id: FieldId) -> String {
        match self.inputs.get(&id) {
            Some(e) => e.text.clone(),
            None => fields::get(&self.plan, &self.profile, id),
        }
    }

    /// `hawiz edit FILE`: the wizard opens on the file's answers, and the review saves
    /// back to it.
    pub fn open_file(&mut self, plan: Plan, path: PathBuf) {
        self.reset_answers();
        self.plan = plan;
        self.origin = Some(path);
        self.report = wizard::check(&self.plan);
        self.screen = Screen::Wizard;
    }

    /// Effects to run when the app starts: what AWS says about the answers so far, and the
    /// first screen (the resume screen when there is something to resume).
    pub fn start(&mut self) -> Vec<Effect> {
        if (self.draft.is_some() || !self.stacks.is_empty()) && self.origin.is_none() {
            self.screen = Screen::Resume {
                selected: 0,
                confirm_destroy: false,
            };
        }
        let mut fx = self.load(Loader::Identity);
        fx.extend(self.load(Loader::List(Source::Regions)));
        if self.screen == Screen::Wizard {
            fx.extend(self.loads_for_step());
        }
        fx
    }

    /// Ask for a look-up, making any earlier answer to it stale.
    fn load(&mut self, what: Loader) -> Vec<Effect> {
        let slot = match what {
            Loader::Identity => {
                self.identity = Loadable::Loading;
                Slot::Identity
            }
            Loader::MyAddress => {
                self.address = Loadable::Loading;
                Slot::Address
            }
            Loader::List(s) => {
                self.lists.insert(s, Loadable::Loading);
                Slot::List(s)
            }
            Loader::Subnets => {
                self.subnets = Loadable::Loading;
                Slot::Subnets
            }
        };
        vec![Effect::Load {
            ticket: self.tickets.issue(slot),
            what,
            region: self.plan.region().to_string(),
            profile: self.profile.clone(),
            vpc: self.plan.network.vpc_id.trim().to_string(),
        }]
    }

    /// The look-ups a step needs that have not been made yet.
    fn loads_for_step(&mut self) -> Vec<Effect> {
        let wanted: &[Loader] = match self.step {
            1 => &[Loader::List(Source::Azs), Loader::List(Source::Vpcs)],
            2 => &[
                Loader::List(Source::KeyPairs),
                Loader::List(Source::InstanceTypes),
                Loader::MyAddress,
            ],
            5 => &[Loader::List(Source::InstanceTypes)],
            7 => &[Loader::List(Source::HostedZones)],
            _ => &[],
        };
        let mut fx = Vec::new();
        for l in wanted {
            let idle = match l {
                Loader::List(s) => matches!(self.lists.get(s), None | Some(Loadable::Idle)),
                Loader::MyAddress => self.address == Loadable::Idle,
                Loader::Identity => matches!(self.identity, Loadable::Idle),
                Loader::Subnets => self.subnets == Loadable::Idle,
            };
            if idle {
                fx.extend(self.load(*l));
            }
        }
        if self.step == 1 && self.adopting_known_vpc() && self.subnets == Loadable::Idle {
            fx.extend(self.load(Loader::Subnets));
        }
        fx
    }

    /// An adopted VPC ID that looks complete (`vpc-` and 8 or 17 hex digits).
    fn adopting_known_vpc(&self) -> bool {
        let id = self.plan.network.vpc_id.trim();
        id.strip_prefix("vpc-")
            .is_some_and(|h| matches!(h.len(), 8 | 17) && h.chars().all(|c| c.is_ascii_hexdigit()))
    }

    pub fn update(&mut self, msg: impl Into<Msg>) -> Vec<Effect> {
        match msg.into() {
            Msg::Key(k) => match self.keys.input(k, self.typing()) {
                Some(i) => self.on_input(i),
                None => vec![],
            },
            Msg::Input(i) => self.on_input(i),
            Msg::Tick => {
                self.tick = self.tick.wrapping_add(1);
                vec![]
            }
            Msg::Resize(w, h) => {
                self.size = (w, h);
                vec![]
            }
            Msg::Drawn(extents) => {
                self.extents = extents;
                self.clamp_scrolls();
                vec![]
            }
            Msg::Loaded(ticket, loaded) => {
                if !self.tickets.is_live(loaded.slot(), ticket) {
                    return vec![];
                }
                self.on_loaded(loaded)
            }
            Msg::PlanSaved(r) => {
                match r {
                    Ok(p) => self.saved_plan = Some(p),
                    Err(e) => {
                        self.saved_plan = None;
                        self.notice = Some((
                            format!("could not save the plan file: {e}"),
                            format!("계획 파일을 저장하지 못했습니다: {e}"),
                        ));
                    }
                }
                vec![]
            }
            Msg::Stacks(s) => {
                self.stacks = s;
                vec![]
            }
            Msg::Terminate => vec![Effect::Quit],
        }
    }

    fn on_loaded(&mut self, loaded: Loaded) -> Vec<Effect> {
        match loaded {
            Loaded::Identity(r) => {
                self.identity = into_loadable(r);
                vec![]
            }
            Loaded::Address(r) => {
                // The caller's address: the bastion's SSH default when none was typed.
                if let Ok(cidr) = &r
                    && self.plan.bastion.ssh_cidr.trim().is_empty()
                    && !self.inputs.contains_key(&FieldId::SshCidr)
                {
                    self.plan.bastion.ssh_cidr = cidr.clone();
                    self.report = wizard::check(&self.plan);
                }
                self.address = into_loadable(r);
                vec![]
            }
            Loaded::List(source, r) => {
                self.lists.insert(source, into_loadable(r));
                self.recheck_offered(source);
                vec![]
            }
            Loaded::Subnets(r) => {
                self.subnets = into_loadable(r);
                self.pick = 0;
                vec![]
            }
            Loaded::Preflight(r) => self.preflighted(r),
            Loaded::Opened { stack, view, plan } => self.opened(stack, view, plan),
            Loaded::Started(r) => self.started(r),
            Loaded::Event(ev, at) => {
                if let Some(b) = &mut self.build {
                    b.on_event(&ev, at);
                }
                vec![]
            }
            Loaded::Done(r, at) => self.done(r, at),
            Loaded::Inspected(key, r) => {
                if let Some(i) = &mut self.inspector
                    && i.key == key
                {
                    i.body = into_loadable(r);
                }
                vec![]
            }
        }
    }

    fn on_input(&mut self, input: Input) -> Vec<Effect> {
        if let Input::Wheel(down) = input {
            self.scroll(if down { 3 } else { -3 });
            return vec![];
        }
        if self.help {
            match input {
                Input::Do(Action::Help | Action::Back | Action::Confirm) => self.help = false,
                Input::Do(Action::Quit) => return vec![Effect::Quit],
                Input::Do(Action::ScrollDown | Action::NextStep | Action::NextField) => {
                    self.scroll_page(1)
                }
                Input::Do(Action::ScrollUp | Action::PrevStep | Action::PrevField) => {
                    self.scroll_page(-1)
                }
                _ => {}
            }
            return vec![];
        }
        if let Some(dialog) = self.dialog.clone() {
            return self.on_dialog(dialog, input);
        }
        match input {
            Input::Do(Action::Quit) => return vec![Effect::Quit],
            Input::Do(Action::Help) => {
                self.help = true;
                self.help_scroll = 0;
                return vec![];
            }
            Input::Do(Action::Language) => {
                self.lang = self.lang.toggle();
                return vec![Effect::SaveSettings(Settings {
                    lang: self.lang,
                    theme: Some(self.theme.name.clone()),
                })];
            }
            Input::Do(Action::ScrollDown) => {
                self.scroll_page(1);
                return vec![];
            }
            Input::Do(Action::ScrollUp) => {
                self.scroll_page(-1);
                return vec![];
            }
            _ => {}
        }
        if self.inspector.is_some() {
            return self.on_inspector(input);
        }
        self.notice = None;
        match self.screen.clone() {
            Screen::Resume {
                selected,
                confirm_destroy,
            } => self.on_resume(input, selected, confirm_destroy),
            Screen::Wizard => self.on_wizard(input),
            Screen::Review => self.on_review(input),
            Screen::Build => self.on_build(input),
            Screen::Final => self.on_final(input),
        }
    }

    fn on_dialog(&mut self, dialog: Dialog, input: Input) -> Vec<Effect> {
        match (dialog, input) {
            (Dialog::Quit, Input::Do(Action::Yes | Action::Confirm | Action::Quit)) => {
                vec![Effect::Quit]
            }
            (Dialog::Quit, Input::Do(Action::Back | Action::New)) => {
                self.dialog = None;
                vec![]
            }
            (Dialog::SameName { stack }, Input::Do(Action::Confirm)) => {
                self.dialog = None;
                self.open_stack(stack, false)
            }
            (Dialog::SameName { stack }, Input::Do(Action::Yes)) => {
                // Keep these answers: the review shows what they change in that stack.
                self.dialog = None;
                self.continuing = Some(stack);
                self.next_step()
            }
            (Dialog::Drill { stack, part }, Input::Do(Action::Yes)) => {
                self.dialog = None;
                self.screen = Screen::Build;
                self.build = Some(BuildState::empty(RunKind::Drill, Instant::now()));
                vec![Effect::Drill {
                    ticket: self.tickets.issue(Slot::Run),
                    stack,
                    part,
                    profile: self.profile.clone(),
                }]
            }
            (Dialog::Drill { .. }, Input::Do(Action::Back | Action::New)) => {
                self.dialog = None;
                vec![]
            }
            (Dialog::SameName { .. }, Input::Do(Action::Back)) => {
                self.dialog = None;
                if let Some(i) = self
                    .fields()
                    .iter()
                    .position(|s| s.id == FieldId::StackName)
                {
                    self.focus = i;
                }
                vec![]
            }
            _ => vec![],
        }
    }

    /// Which panel the scroll keys move on this screen.
    pub fn scroller(&self) -> Option<Scroller> {
        if self.help {
            return Some(Scroller::Help);
        }
        if self.inspector.is_some() {
            return Some(Scroller::Inspector);
        }
        match self.screen {
            Screen::Wizard => Some(Scroller::Explanation),
            Screen::Review => Some(Scroller::Review),
            Screen::Build => Some(Scroller::Log),
            Screen::Final => Some(Scroller::Final),
            Screen::Resume { .. } => None,
        }
    }

    /// The scrolled panel's (lines, height) as last drawn, when the last frame showed it.
    pub(super) fn room(&self, s: Scroller) -> Option<(usize, usize)> {
        (self.extents.scroller == Some(s) && self.extents.height > 0)
            .then_some((self.extents.lines, self.extents.height))
    }

    /// Scroll by half the panel.
    fn scroll_page(&mut self, dir: i32) {
        let Some(s) = self.scroller() else { return };
        let height = self.room(s).map_or(0, |(_, h)| h);
        self.scroll(dir * (height as i32 / 2).max(1));
    }

    /// Scroll the current panel by `delta` lines, within its text (as last drawn; not
    /// clamped before the panel was drawn).
    pub fn scroll(&mut self, delta: i32) {
        let Some(s) = self.scroller() else { return };
        let room = self.room(s);
        let max = room.map_or(0, |(total, height)| total.saturating_sub(height)) as i32;
        let clamp = |v: i32| -> u16 {
            let top = if room.is_none() { i32::MAX } else { max };
            u16::try_from(v.clamp(0, top.max(0))).unwrap_or(u16::MAX)
        };
        match s {
            Scroller::Help => self.help_scroll = clamp(i32::from(self.help_scroll) + delta),
            Scroller::Explanation => self.text_scroll = clamp(i32::from(self.text_scroll) + delta),
            Scroller::Final => self.final_scroll = clamp(i32::from(self.final_scroll) + delta),
            Scroller::Inspector => {
                if let Some(i) = &mut self.inspector {
                    i.scroll = clamp(i32::from(i.scroll) + delta);
                }
            }
            Scroller::Review => {
                if let Some(r) = &mut self.review {
                    r.scroll = clamp(i32::from(r.scroll) + delta);
                }
            }
            Scroller::Log => {
                if let Some(b) = &mut self.build {
                    // Following the tail until the user scrolls; back at the end, follow again.
                    let now = b.log_scroll.map_or(max, i32::from);
                    let next = clamp(now + delta);
                    b.log_scroll = (i32::from(next) < max).then_some(next);
                }
            }
        }
    }

    /// A new frame may have other lengths (a resize, a language switch, new lines).
    fn clamp_scrolls(&mut self) {
        self.scroll(0);
    }

    /// Errors and warnings to show at a field, in the user's language.
    pub fn messages(&self, spec: &Spec) -> (Vec<String>, Vec<String>) {
        let mut warnings = Vec::new();
        if spec.id == FieldId::StackName
            && let Some(s) = self.same_name()
        {
            warnings.push(self.lang.pick(
                &format!(
                    "A saved stack is named {} ({}, {}/{} in {}); leaving this step asks whether to continue it.",
                    s.name, s.state(Lang::En), s.ready, s.total, s.region
                ),
                &format!(
                    "저장된 스택 이름이 {}입니다 ({}, {} 중 {}개, {}). 이 단계를 떠날 때 이어서 할지 묻습니다.",
                    s.name, s.state(Lang::Ko), s.total, s.ready, s.region
                ),
            ).to_string());
        }
        if self.picking(spec)
            && let Some((en, ko)) = &self.pick_refusal
            && self.focused().is_some_and(|f| f.id == spec.id)
        {
            return (vec![self.lang.pick(en, ko).to_string()], warnings);
        }
        if !self.touched.contains(&spec.id) && !self.inputs.contains_key(&spec.id) {
            return (vec![], warnings);
        }
        if let Some(bad) = self.invalid.get(&spec.id) {
            return (vec![bad.text(self.lang).to_string()], warnings);
        }
        let (errs, warns) = wizard::at_field(&self.report, spec);
        let text = |f: &&Finding| f.text(self.lang).to_string();
        warnings.extend(warns.iter().map(text));
        (errs.iter().map(text).collect(), warnings)
    }

    /// The saved stack that a new setup's name would collide with.
    pub fn same_name(&self) -> Option<&SavedStack> {
        let name = self.plan.stack.name.trim();
        if self.continuing.as_deref() == Some(name) {
            return None;
        }
        self.stacks.iter().find(|s| s.name == name)
    }

    /// Steps done so far: (step, has errors).
    pub fn step_marks(&self) -> BTreeMap<usize, bool> {
        (0..REVIEW)
            .map(|s| {
                (
                    s,
                    !wizard::step_errors(&self.plan, &self.report, s).is_empty(),
                )
            })
            .collect()
    }

    /// The answers as they are now, to offer at the next start if the program ends here.
    fn draft(&self) -> Effect {
        Effect::SaveDraft(Box::new(Draft::new(
            self.plan.clone(),
            self.step,
            &self.profile,
            self.origin.clone(),
        )))
    }

    /// Start over from the defaults (a new setup): nothing of a viewed or continued stack
    /// stays.
    fn reset_answers(&mut self) {
        self.plan = self.fresh.clone();
        self.inputs.clear();
        self.invalid.clear();
        self.touched.clear();
        self.report = wizard::check(&self.plan);
        self.step = 0;
        self.focus = 0;
        self.text_scroll = 0;
        self.continuing = None;
        self.origin = None;
        self.review = None;
        self.build = None;
        self.subnets = Loadable::Idle;
        self.tickets.forget(Slot::Subnets);
        if let Loadable::Ready(cidr) = &self.address
            && self.plan.bastion.ssh_cidr.trim().is_empty()
        {
            self.plan.bastion.ssh_cidr = cidr.clone();
            self.report = wizard::check(&self.plan);
        }
    }
}

fn into_loadable<T>(r: Result<T, String>) -> Loadable<T> {
    match r {
        Ok(v) => Loadable::Ready(v),
        Err(e) => Loadable::Failed(e),
    }
}
