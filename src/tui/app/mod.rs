//! The wizard's state and the only place it changes (`update`). Drawing reads it; work
//! that takes time (AWS look-ups, the preflight, the build, saving files) is returned as
//! `Effect`s for the loop to start, and comes back as a `Msg` carrying the ticket it was
//! asked with, so an answer to a question no longer asked is dropped.

mod answers;
mod dialog;
mod doctor;
mod early;
mod loads;
pub mod resume;
pub mod review;
mod run;
mod scroll;
mod steps;
mod types;

#[cfg(test)]
mod tests;

pub use early::EarlyBuild;
pub use review::{Check, Entry, Review};
pub use types::{
    Asking, Dialog, Editor, Effect, Inspector, Loadable, Loader, Op, Screen, Slot, Tickets,
};

use super::keys::{Action, Input, Keymap};
use super::msg::Msg;
pub use super::msg::{Extents, Scroller};
use super::theme::Theme;
use crate::aws::Identity;
use crate::i18n::Lang;
use crate::ops::lists::SubnetChoice;
use crate::plan::{Finding, Plan, Report};
use crate::progress::BuildState;
use crate::settings::Settings;
use crate::wizard;
use crate::wizard::draft::Draft;
use crate::wizard::fields::{self, FieldId, Kind, Source, Spec};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

pub use crate::ops::stacks::SavedStack;
pub use crate::ops::summary::Summary;

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
    /// How far the panel the keys move is panned sideways, and which panel that is (a
    /// panel the keys did not pan shows its start).
    pub pan: (Option<Scroller>, u16),
    /// What the user copied (OSC 52 may be refused by the terminal): printed in full when
    /// the wizard ends.
    pub copied: Vec<String>,
    pub inspector: Option<Inspector>,
    pub notice: Option<(String, String)>,
    /// "Check an existing setup": the region's VPCs, checked.
    pub doctor: Loadable<Vec<crate::ops::doctor::Report>>,
    /// The open VPC's findings, scrolled.
    pub doctor_scroll: u16,
    pub tick: u64,
    /// The terminal's size (0×0 until known).
    pub size: (u16, u16),
    /// What the last frame showed of the scrolled panel (for clamping scrolls).
    pub extents: Extents,
    pub tickets: Tickets,
    /// Build while answering: what was asked, sent and built.
    pub early: EarlyBuild,
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
            pan: (None, 0),
            copied: Vec::new(),
            inspector: None,
            notice: None,
            doctor: Loadable::Idle,
            doctor_scroll: 0,
            tick: 0,
            size: (0, 0),
            extents: Extents::default(),
            tickets: Tickets::default(),
            early: EarlyBuild::default(),
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
                // The account's are looked up again beside it.
                self.stacks = s;
                vec![]
            }
            Msg::AccountStacks(found) => {
                self.stacks.retain(|s| !s.elsewhere);
                let mine: Vec<String> = self.stacks.iter().map(|s| s.name.clone()).collect();
                self.stacks
                    .extend(found.into_iter().filter(|s| !mine.contains(&s.name)));
                // A machine with nothing saved opened on a new setup; the account has
                // stacks to continue: offer them, as long as nothing was answered yet.
                let untouched = self.screen == Screen::Wizard
                    && self.step == 0
                    && self.touched.is_empty()
                    && self.dialog.is_none()
                    && self.origin.is_none()
                    && self.continuing.is_none();
                if untouched && self.stacks.iter().any(|s| s.elsewhere) {
                    self.screen = Screen::Resume {
                        selected: 0,
                        confirm_destroy: false,
                    };
                }
                vec![]
            }
            Msg::Terminate => vec![Effect::Quit],
        }
    }

    fn on_input(&mut self, input: Input) -> Vec<Effect> {
        if let Input::Wheel(down) = input {
            self.scroll(if down { 3 } else { -3 });
            return vec![];
        }
        if self.help {
            match input {
                Input::Do(Action::Left) => self.pan_by(-1),
                Input::Do(Action::Right) => self.pan_by(1),
                Input::Do(Action::Help | Action::Back | Action::Confirm) => self.help = false,
                Input::Do(Action::Quit) => return self.quit(),
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
        if let Input::Do(a @ (Action::PanLeft | Action::PanRight)) = input {
            self.pan_by(if a == Action::PanRight { 1 } else { -1 });
            return vec![];
        }
        if let Some(dialog) = self.dialog.clone() {
            return self.on_dialog(dialog, input);
        }
        match input {
            Input::Do(Action::Quit) => return self.quit(),
            Input::Do(Action::Help) => {
                self.help = true;
                self.help_scroll = 0;
                return vec![];
            }
            Input::Do(Action::Language) => {
                self.lang = self.lang.toggle();
                return vec![Effect::SaveSettings(Settings {
                    lang: Some(self.lang),
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
        // Where ← and → move nothing else (the inspector, the build and final screens), they
        // pan the wide panel too.
        let free_arrows = self.inspector.is_some()
            || matches!(
                self.screen,
                Screen::Build | Screen::Final | Screen::Doctor { open: true, .. }
            );
        if let (true, Input::Do(a @ (Action::Left | Action::Right))) = (free_arrows, input) {
            self.pan_by(if a == Action::Right { 1 } else { -1 });
            return vec![];
        }
        if self.inspector.is_some() {
            return self.on_inspector(input);
        }
        self.notice = None;
        if input == Input::Do(Action::Check) {
            return self.check_existing();
        }
        match self.screen.clone() {
            Screen::Resume {
                selected,
                confirm_destroy,
            } => self.on_resume(input, selected, confirm_destroy),
            Screen::Wizard => self.on_wizard(input),
            Screen::Doctor {
                selected,
                open,
                from_resume,
            } => self.on_doctor(input, selected, open, from_resume),
            Screen::Review => self.on_review(input),
            Screen::Build => self.on_build(input),
            Screen::Final => self.on_final(input),
        }
    }
}

fn into_loadable<T>(r: Result<T, String>) -> Loadable<T> {
    match r {
        Ok(v) => Loadable::Ready(v),
        Err(e) => Loadable::Failed(e),
    }
}
