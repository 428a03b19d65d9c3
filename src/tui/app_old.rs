//! The wizard's state and the only place it changes (`update`). Drawing reads it; effects
//! (AWS look-ups, the build) are returned as `Effect`s for the loop to start.

use super::build::BuildState;
use super::keys::{Action, Input, Keymap};
use super::theme::Theme;
use crate::aws::Identity;
use crate::i18n::Lang;
use crate::plan::{Plan, Report};
use crate::wizard::fields::{self, FieldId, Kind, Source, Spec};
use crate::wizard::{self, REVIEW};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

/// Something that arrives from AWS later.
#[derive(Debug, Clone, PartialEq)]
pub enum Loadable<T> {
    Idle,
    Loading,
    Ready(T),
    Failed(String),
}

/// A saved stack, for the resume screen.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedStack {
    pub name: String,
    pub region: String,
    pub ready: usize,
    pub total: usize,
    pub last_error: Option<String>,
}

impl SavedStack {
    pub fn state(&self, lang: Lang) -> &'static str {
        match (&self.last_error, self.ready == self.total) {
            (Some(_), _) => lang.pick("failed", "실패"),
            (None, true) => lang.pick("complete", "완료"),
            (None, false) => lang.pick("partial", "일부"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Screen {
    Resume {
        selected: usize,
        confirm_destroy: bool,
    },
    Wizard,
    Review {
        confirm: bool,
    },
    Build,
    Final,
}

/// What the app asks the loop to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Load a list (or the identity, or the caller's address) for the current answers.
    Load(Loader),
    /// Save the plan and start building it.
    Build,
    /// Destroy a saved stack, with progress on the build screen.
    Destroy(String),
    /// Read a saved stack's plan, to continue or view it.
    Open {
        stack: String,
        view: bool,
    },
    /// Collect the final screen's facts (URL, ssh command) after a build.
    Summarise,
    /// Save the answers as a plan file (shown on the review screen).
    SavePlan,
    SaveSettings,
    Quit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Loader {
    Identity,
    MyAddress,
    List(Source),
}

/// The focused text field's editor.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Editor {
    pub text: String,
    /// Cursor position in characters.
    pub cursor: usize,
}

pub use crate::ops::summary::Summary;

pub struct App {
    pub screen: Screen,
    pub lang: Lang,
    pub theme: Theme,
    pub keys: Keymap,
    pub sandbox: bool,
    pub plan: Plan,
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
    pub identity: Loadable<Identity>,
    pub address: Loadable<String>,
    pub help: bool,
    pub stacks: Vec<SavedStack>,
    pub saved_plan: Option<PathBuf>,
    pub build: Option<BuildState>,
    pub summary: Loadable<Summary>,
    pub notice: Option<(String, String)>,
    pub tick: u64,
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
            lang,
            theme,
            keys,
            sandbox,
            plan,
            profile,
            step: 0,
            focus: 0,
            inputs: HashMap::new(),
            invalid: HashMap::new(),
            touched: HashSet::new(),
            report,
            lists: HashMap::new(),
            identity: Loadable::Idle,
            address: Loadable::Idle,
            help: false,
            stacks,
            saved_plan: None,
            build: None,
            summary: Loadable::Idle,
            notice: None,
            tick: 0,
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
            && self
                .focused()
                .is_some_and(|s| matches!(s.kind, Kind::Text(_)))
    }

    /// The text shown for a field.
    pub fn value(&self, id: FieldId) -> String {
        match self.inputs.get(&id) {
            Some(e) => e.text.clone(),
            None => fields::get(&self.plan, &self.profile, id),
        }
    }

    /// Effects to run when the app starts.
    pub fn start(&mut self) -> Vec<Effect> {
        let mut fx = vec![
            Effect::Load(Loader::Identity),
            Effect::Load(Loader::List(Source::Regions)),
        ];
        fx.extend(self.loads_for_step());
        fx
    }

    fn loads_for_step(&mut self) -> Vec<Effect> {
        let wanted: &[Loader] = match self.step {
            1 => &[Loader::List(Source::Azs), Loader::List(Source::Vpcs)],
            2 => &[Loader::List(Source::KeyPairs), Loader::MyAddress],
            7 => &[Loader::List(Source::HostedZones)],
            _ => &[],
        };
        let mut fx = Vec::new();
        for l in wanted {
            let idle = match l {
                Loader::List(s) => matches!(self.lists.get(s), None | Some(Loadable::Idle)),
                Loader::MyAddress => self.address == Loadable::Idle,
                Loader::Identity => matches!(self.identity, Loadable::Idle),
            };
            if idle {
                match l {
                    Loader::List(s) => {
                        self.lists.insert(*s, Loadable::Loading);
                    }
                    Loader::MyAddress => self.address = Loadable::Loading,
                    Loader::Identity => self.identity = Loadable::Loading,
                }
                fx.push(Effect::Load(*l));
            }
        }
        fx
    }

    pub fn on_tick(&mut self) {
        self.tick = self.tick.wrapping_add(1);
    }

    pub fn update(&mut self, input: Input) -> Vec<Effect> {
        if self.help {
            if matches!(
                input,
                Input::Do(Action::Help | Action::Back | Action::Confirm)
            ) {
                self.help = false;
            } else if input == Input::Do(Action::Quit) {
                return vec![Effect::Quit];
            }
            return vec![];
        }
        match input {
            Input::Do(Action::Quit) => return vec![Effect::Quit],
            Input::Do(Action::Help) => {
                self.help = true;
                return vec![];
            }
            Input::Do(Action::Language) => {
                self.lang = self.lang.toggle();
                return vec![Effect::SaveSettings];
            }
            _ => {}
        }
        self.notice = None;
        match self.screen.clone() {
            Screen::Resume {
                selected,
                confirm_destroy,
            } => self.on_resume(input, selected, confirm_destroy),
            Screen::Wizard => self.on_wizard(input),
            Screen::Review { confirm } => self.on_review(input, confirm),
            Screen::Build => self.on_build(input),
            Screen::Final => match input {
                Input::Do(Action::Confirm | Action::Back) => vec![Effect::Quit],
                _ => vec![],
            },
        }
    }

    fn on_resume(&mut self, input: Input, selected: usize, confirm: bool) -> Vec<Effect> {
        let count = self.stacks.len();
        let name = self.stacks.get(selected).map(|s| s.name.clone());
        match (input, confirm) {
            (Input::Do(Action::Yes), true) => {
                if let Some(name) = name {
                    self.screen = Screen::Build;
                    return vec![Effect::Destroy(name)];
                }
            }
            (_, true) => {
                self.screen = Screen::Resume {
                    selected,
                    confirm_destroy: false,
                };
            }
            (Input::Do(Action::NextField), _) if count > 0 => {
                self.screen = Screen::Resume {
                    selected: (selected + 1) % count,
                    confirm_destroy: false,
                };
            }
            (Input::Do(Action::PrevField), _) if count > 0 => {
                self.screen = Screen::Resume {
                    selected: (selected + count - 1) % count,
                    confirm_destroy: false,
                };
            }
            (Input::Do(Action::Destroy), _) if name.is_some() => {
                self.screen = Screen::Resume {
                    selected,
                    confirm_destroy: true,
                };
            }
            (Input::Do(Action::Confirm), _) => {
                if let Some(stack) = name {
                    return vec![Effect::Open { stack, view: false }];
                }
            }
            (Input::Do(Action::View), _) => {
                if let Some(stack) = name {
                    return vec![Effect::Open { stack, view: true }];
                }
            }
            (Input::Do(Action::New), _) => {
                self.screen = Screen::Wizard;
                return self.loads_for_step();
            }
            _ => {}
        }
        vec![]
    }

    /// A saved stack's plan was read: continue at the review screen.
    pub fn opened(&mut self, plan: Plan) {
        self.plan = plan;
        self.inputs.clear();
        self.invalid.clear();
        self.report = wizard::check(&self.plan);
        self.step = REVIEW;
        self.screen = Screen::Review { confirm: false };
    }

    fn on_wizard(&mut self, input: Input) -> Vec<Effect> {
        let Some(spec) = self.focused() else {
            return self.move_step(input);
        };
        match input {
            Input::Type(c) => self.edit(&spec, |e| {
                let at = byte_index(&e.text, e.cursor);
                e.text.insert(at, c);
                e.cursor += 1;
            }),
            Input::Backspace => self.edit(&spec, |e| {
                if e.cursor > 0 {
                    e.cursor -= 1;
                    let at = byte_index(&e.text, e.cursor);
                    e.text.remove(at);
                }
            }),
            Input::Delete => self.edit(&spec, |e| {
                if e.cursor < e.text.chars().count() {
                    let at = byte_index(&e.text, e.cursor);
                    e.text.remove(at);
                }
            }),
            Input::Home => self.edit(&spec, |e| e.cursor = 0),
            Input::End => self.edit(&spec, |e| e.cursor = e.text.chars().count()),
            Input::Do(Action::Left | Action::Right) => {
                let forward = input == Input::Do(Action::Right);
                match &spec.kind {
                    Kind::Text(_) => {
                        return self.edit(&spec, |e| {
                            let len = e.text.chars().count();
                            e.cursor = if forward {
                                (e.cursor + 1).min(len)
                            } else {
                                e.cursor.saturating_sub(1)
                            };
                        });
                    }
                    Kind::Choice(options) => {
                        let current = self.value(spec.id);
                        let i = options
                            .iter()
                            .position(|(v, _, _)| *v == current)
                            .unwrap_or(0);
                        let n = options.len();
                        let next = if forward {
                            (i + 1) % n
                        } else {
                            (i + n - 1) % n
                        };
                        self.answer(spec.id, options[next].0);
                    }
                    Kind::Toggle => {
                        let on = self.value(spec.id) == "true";
                        self.answer(spec.id, if on { "false" } else { "true" });
                    }
                }
                self.after_change(spec.id)
            }
            Input::Do(Action::NextSuggestion | Action::PrevSuggestion) => {
                if let Kind::Text(Some(source)) = spec.kind
                    && let Some(Loadable::Ready(list)) = self.lists.get(&source)
                    && !list.is_empty()
                {
                    let current = self.value(spec.id);
                    let n = list.len();
                    let next = match list.iter().position(|(v, _)| *v == current) {
                        Some(i) if input == Input::Do(Action::NextSuggestion) => (i + 1) % n,
                        Some(i) => (i + n - 1) % n,
                        None => 0,
                    };
                    let value = list[next].0.clone();
                    self.inputs.insert(
                        spec.id,
                        Editor {
                            cursor: value.chars().count(),
                            text: value.clone(),
                        },
                    );
                    self.answer(spec.id, &value);
                    return self.after_change(spec.id);
                }
                vec![]
            }
            Input::Do(Action::NextField) => {
                self.leave(spec.id);
                self.focus = (self.focus + 1).min(self.fields().len().saturating_sub(1));
                vec![]
            }
            Input::Do(Action::PrevField) => {
                self.leave(spec.id);
                self.focus = self.focus.saturating_sub(1);
                vec![]
            }
            Input::Do(Action::Confirm) => {
                self.leave(spec.id);
                if self.focus + 1 < self.fields().len() {
                    self.focus += 1;
                    vec![]
                } else {
                    self.move_step(Input::Do(Action::NextStep))
                }
            }
            other => self.move_step(other),
        }
    }

    fn move_step(&mut self, input: Input) -> Vec<Effect> {
        match input {
            Input::Do(Action::NextStep | Action::Confirm) => self.next_step(),
            Input::Do(Action::PrevStep | Action::Back) if self.step > 0 => {
                self.step -= 1;
                self.focus = 0;
                self.loads_for_step()
            }
            _ => vec![],
        }
    }

    /// Leave the step only when its answers hold; otherwise show every message.
    fn next_step(&mut self) -> Vec<Effect> {
        let errors = wizard::step_errors(&self.plan, &self.report, self.step);
        let parse_errors = self
            .fields()
            .iter()
            .any(|s| self.invalid.contains_key(&s.id));
        if !errors.is_empty() || parse_errors {
            for spec in self.fields() {
                self.touched.insert(spec.id);
            }
            let first = self.fields().iter().position(|s| {
                self.invalid.contains_key(&s.id) || errors.iter().any(|(id, _)| *id == s.id)
            });
            self.focus = first.unwrap_or(0);
            self.notice = Some((
                "Fix the marked answer first.".into(),
                "표시된 답을 먼저 고쳐 주세요.".into(),
            ));
            return vec![];
        }
        let mut fx = Vec::new();
        if self.step == 0 {
            // A new region or profile means new lists.
            self.lists.retain(|s, _| *s == Source::Regions);
            self.identity = Loadable::Idle;
            fx.extend(self.loads_for_step_of(Loader::Identity));
        }
        self.step += 1;
        self.focus = 0;
        self.inputs.clear();
        if self.step >= REVIEW {
            self.step = REVIEW;
            self.screen = Screen::Review { confirm: false };
            fx.push(Effect::SavePlan);
        }
        fx.extend(self.loads_for_step());
        fx
    }

    fn loads_for_step_of(&mut self, l: Loader) -> Vec<Effect> {
        if l == Loader::Identity {
            self.identity = Loadable::Loading;
        }
        vec![Effect::Load(l)]
    }

    fn on_review(&mut self, input: Input, confirm: bool) -> Vec<Effect> {
        match input {
            Input::Do(Action::Confirm) if confirm => {
                self.screen = Screen::Build;
                vec![Effect::Build]
            }
            Input::Do(Action::Confirm) => {
                if !wizard::check(&self.plan).is_ok() {
                    self.notice = Some((
                        "Some answers are not valid yet; go back and fix them.".into(),
                        "아직 올바르지 않은 답이 있습니다. 돌아가서 고쳐 주세요.".into(),
                    ));
                    return vec![];
                }
                self.screen = Screen::Review { confirm: true };
                vec![]
            }
            Input::Do(Action::Back | Action::PrevStep) if confirm => {
                self.screen = Screen::Review { confirm: false };
                vec![]
            }
            Input::Do(Action::Back | Action::PrevStep) => {
                self.screen = Screen::Wizard;
                self.step = REVIEW - 1;
                self.focus = 0;
                self.loads_for_step()
            }
            _ => vec![],
        }
    }

    fn on_build(&mut self, input: Input) -> Vec<Effect> {
        let Some(build) = &self.build else {
            return vec![];
        };
        if !build.finished {
            return vec![];
        }
        if build.viewing
            || (build.destroying && matches!(input, Input::Do(Action::Confirm | Action::Back)))
        {
            if matches!(input, Input::Do(Action::Confirm | Action::Back)) {
                self.build = None;
                self.screen = if self.stacks.is_empty() {
                    Screen::Wizard
                } else {
                    Screen::Resume {
                        selected: 0,
                        confirm_destroy: false,
                    }
                };
            }
            return vec![];
        }
        match input {
            Input::Do(Action::Retry) if !build.succeeded() && !build.destroying => {
                vec![Effect::Build]
            }
            Input::Do(Action::Confirm) if build.succeeded() && !build.destroying => {
                self.screen = Screen::Final;
                self.summary = Loadable::Loading;
                vec![Effect::Summarise]
            }
            Input::Do(Action::Confirm | Action::Back) => vec![Effect::Quit],
            _ => vec![],
        }
    }

    fn edit(&mut self, spec: &Spec, f: impl FnOnce(&mut Editor)) -> Vec<Effect> {
        let current = self.value(spec.id);
        let editor = self.inputs.entry(spec.id).or_insert_with(|| Editor {
            cursor: current.chars().count(),
            text: current,
        });
        let before = editor.text.clone();
        f(editor);
        let text = editor.text.clone();
        if text != before {
            self.answer(spec.id, &text);
            return self.after_change(spec.id);
        }
        vec![]
    }

    /// Write an answer into the plan and re-check everything.
    fn answer(&mut self, id: FieldId, value: &str) {
        // Checked as the user answers: a choice or a keystroke shows its message at once.
        self.touched.insert(id);
        match fields::set(&mut self.plan, &mut self.profile, id, value) {
            Ok(()) => {
                self.invalid.remove(&id);
            }
            Err(e) => {
                self.invalid.insert(id, e);
                self.touched.insert(id);
            }
        }
        if !matches!(
            fields::all().iter().find(|s| s.id == id).map(|s| &s.kind),
            Some(Kind::Text(_))
        ) {
            self.inputs.remove(&id);
        }
        self.report = wizard::check(&self.plan);
    }

    fn after_change(&mut self, id: FieldId) -> Vec<Effect> {
        // Answers that change what AWS lists apply to.
        match id {
            // A (plausibly complete) VPC ID: list its subnets, classified.
            FieldId::VpcId if self.plan.network.vpc_id.trim().len() >= 12 => {
                self.lists.insert(Source::Subnets, Loadable::Loading);
                vec![Effect::Load(Loader::List(Source::Subnets))]
            }
            FieldId::VpcMode | FieldId::DomainEnabled | FieldId::BastionEnabled => {
                self.focus = self.focus.min(self.fields().len().saturating_sub(1));
                vec![]
            }
            _ => vec![],
        }
    }

    fn leave(&mut self, id: FieldId) {
        self.touched.insert(id);
    }

    /// A look-up finished.
    pub fn loaded_list(&mut self, source: Source, result: Result<Vec<(String, String)>, String>) {
        self.lists.insert(
            source,
            match result {
                Ok(v) => Loadable::Ready(v),
                Err(e) => Loadable::Failed(e),
            },
        );
    }

    pub fn loaded_identity(&mut self, result: Result<Identity, String>) {
        self.identity = match result {
            Ok(i) => Loadable::Ready(i),
            Err(e) => Loadable::Failed(e),
        };
    }

    /// The caller's address: the bastion's SSH default when the user has not typed one.
    pub fn loaded_address(&mut self, result: Result<String, String>) {
        if let Ok(cidr) = &result
            && self.plan.bastion.ssh_cidr.trim().is_empty()
        {
            self.plan.bastion.ssh_cidr = cidr.clone();
            self.report = wizard::check(&self.plan);
        }
        self.address = match result {
            Ok(c) => Loadable::Ready(c),
            Err(e) => Loadable::Failed(e),
        };
    }

    /// Errors and warnings to show at a field, in the user's language.
    pub fn messages(&self, spec: &Spec) -> (Vec<String>, Vec<String>) {
        if !self.touched.contains(&spec.id) && !self.inputs.contains_key(&spec.id) {
            return (vec![], vec![]);
        }
        if let Some(bad) = self.invalid.get(&spec.id) {
            return (vec![bad.text(self.lang).to_string()], vec![]);
        }
        let (errs, warns) = wizard::at_field(&self.report, spec);
        let text = |f: &&crate::plan::Finding| f.text(self.lang).to_string();
        (
            errs.iter().map(text).collect(),
            warns.iter().map(text).collect(),
        )
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
}

fn byte_index(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(i, _)| i)
}
