//! The review screen's state: the plan's resources and cost (worked out once, on entry),
//! the preflight (`ops::changes` without the lock) run on entry and after every change,
//! its messages (choosing one jumps to its field), and the run layer's question for the
//! answers: its choices (what a replacement needs) and the two-step yes.

use super::{App, Effect, Screen, Slot};
use crate::cost::{self, Estimate};
use crate::ops::{Action as Op, Answer, ApplyOptions, Choice, Failure};
use crate::plan::{Finding, Plan};
use crate::tui::keys::{Action, Input};
use crate::tui::msg::Preview;
use crate::wizard::fields;
use crate::wizard::{self, REVIEW};

#[derive(Debug, Clone, PartialEq)]
pub enum Check {
    Running,
    Passed(Preview),
    /// Refused (exit code 2: the plan or what is in the way) or not checkable (1: AWS
    /// could not be read). Either way nothing can be built yet.
    Refused(Failure),
}

/// A line of the review the user can choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// A preflight message (index into `Review::messages`).
    Message(usize),
    /// A choice of the question (a replacement's yes, database changes now).
    Choice(Choice),
    Build,
}

/// One message of the preflight, at its plan field (when it names one).
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub error: bool,
    pub field: Option<String>,
    pub en: String,
    pub ko: String,
}

/// Resources of one kind in the plan, before the preflight says what exists.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub kind: &'static str,
    pub adopted: bool,
    pub names: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    /// The answers as reviewed (resolved).
    pub plan: Plan,
    pub groups: Vec<Group>,
    pub cost: Result<Estimate, String>,
    pub check: Check,
    pub selected: usize,
    pub scroll: u16,
    pub confirm: bool,
    /// The answer to the question so far (its choices; the yes is the confirm).
    pub answer: Answer,
}

impl Review {
    /// The graph and the cost are worked out here, once, not on every frame.
    pub fn new(plan: &Plan) -> Review {
        let mut plan = plan.clone();
        plan.resolve(None);
        let prefix = format!("{}-", plan.stack.name);
        let mut groups: Vec<Group> = Vec::new();
        if let Ok(graph) = crate::blueprint::build(&plan, std::path::Path::new(".")) {
            for n in graph.nodes() {
                let (kind, adopted) = (n.res.kind(), n.res.adopted());
                let name = n.res.name().trim_start_matches(&prefix).to_string();
                match groups
                    .iter_mut()
                    .find(|g| g.kind == kind && g.adopted == adopted)
                {
                    Some(g) => g.names.push(name),
                    None => groups.push(Group {
                        kind,
                        adopted,
                        names: vec![name],
                    }),
                }
            }
        }
        Review {
            cost: cost::estimate(&plan).map_err(|e| e.to_string()),
            plan,
            groups,
            check: Check::Running,
            selected: 0,
            scroll: 0,
            confirm: false,
            answer: Answer::default(),
        }
    }

    /// Every message of the preflight, errors first, in full.
    pub fn messages(&self) -> Vec<Note> {
        let note = |error: bool, f: &Finding| Note {
            error,
            field: Some(f.field.clone()),
            en: f.message.clone(),
            ko: f.ko.clone(),
        };
        match &self.check {
            Check::Running => vec![],
            Check::Passed(p) => p.warnings.iter().map(|f| note(false, f)).collect(),
            Check::Refused(f) if f.findings.is_empty() => vec![Note {
                error: true,
                field: None,
                en: f.message.clone(),
                ko: f.message.clone(),
            }],
            Check::Refused(f) => f.findings.iter().map(|x| note(true, x)).collect(),
        }
    }

    /// What the user can choose, in screen order; the build is always last.
    pub fn entries(&self) -> Vec<Entry> {
        let mut e: Vec<Entry> = (0..self.messages().len()).map(Entry::Message).collect();
        if let Check::Passed(p) = &self.check {
            e.extend(p.question.options.iter().map(|o| Entry::Choice(o.choice)));
        }
        e.push(Entry::Build);
        e
    }

    pub fn selected_entry(&self) -> Entry {
        let e = self.entries();
        e.get(self.selected)
            .or(e.last())
            .copied()
            .unwrap_or(Entry::Build)
    }

    /// Whether the build may start: the preflight passed and every replacement it
    /// needs was confirmed.
    pub fn unconfirmed(&self) -> Option<Entry> {
        let Check::Passed(p) = &self.check else {
            return None;
        };
        p.question
            .missing(&self.answer)
            .first()
            .map(|o| Entry::Choice(o.choice))
    }

    /// The answer as the build takes it: the choices made, and the yes.
    pub fn answered(&self) -> Answer {
        Answer {
            yes: true,
            ..self.answer.clone()
        }
    }

    pub fn options(&self) -> ApplyOptions {
        ApplyOptions::from(&self.answer)
    }
}

impl App {
    /// Open the review: save the answers as a plan file, work out the graph and cost once,
    /// and start the preflight.
    pub(super) fn enter_review(&mut self) -> Vec<Effect> {
        self.step = REVIEW;
        self.screen = Screen::Review;
        self.review = Some(Review::new(&self.plan));
        let mut fx = vec![Effect::SavePlan {
            plan: Box::new(self.plan.clone()),
            origin: self.origin.clone(),
        }];
        fx.extend(self.preflight());
        fx.push(self.draft());
        fx
    }

    fn preflight(&mut self) -> Vec<Effect> {
        let Some(r) = &mut self.review else {
            return vec![];
        };
        r.check = Check::Running;
        r.confirm = false;
        let plan = Box::new(r.plan.clone());
        vec![Effect::Preflight {
            ticket: self.tickets.issue(Slot::Preflight),
            plan,
            profile: self.profile.clone(),
        }]
    }

    pub(super) fn preflighted(&mut self, result: Result<Box<Preview>, Failure>) -> Vec<Effect> {
        let Some(r) = &mut self.review else {
            return vec![];
        };
        r.check = match result {
            Ok(p) => {
                // The question's defaults, and what the user already chose that it still
                // offers.
                let mut answer = p.question.default_answer();
                for c in &r.answer.chosen {
                    if p.question.option(*c).is_some() {
                        answer.set(*c, true);
                    }
                }
                r.answer = answer;
                Check::Passed(*p)
            }
            Err(f) => Check::Refused(f),
        };
        // Refused: the first message is chosen (Enter goes to its field). Passed: the
        // first replacement to confirm, else the build.
        let entries = r.entries();
        r.selected = match &r.check {
            Check::Refused(_) => 0,
            _ => r
                .unconfirmed()
                .and_then(|u| entries.iter().position(|e| *e == u))
                .unwrap_or(entries.len().saturating_sub(1)),
        };
        r.scroll = 0;
        vec![]
    }

    pub(super) fn on_review(&mut self, input: Input) -> Vec<Effect> {
        let Some(r) = &mut self.review else {
            return vec![];
        };
        let count = r.entries().len();
        match input {
            Input::Do(Action::Confirm) if r.confirm => {
                let answer = r.answered();
                self.start_build(answer)
            }
            Input::Do(Action::Back) if r.confirm => {
                r.confirm = false;
                vec![]
            }
            Input::Do(Action::Back) => {
                self.screen = super::Screen::Wizard;
                self.step = REVIEW - 1;
                self.focus = 0;
                self.text_scroll = 0;
                self.loads_for_step()
            }
            Input::Do(Action::NextField) => {
                r.selected = (r.selected + 1) % count;
                r.confirm = false;
                self.reveal_selected();
                vec![]
            }
            Input::Do(Action::PrevField) => {
                r.selected = (r.selected + count - 1) % count;
                r.confirm = false;
                self.reveal_selected();
                vec![]
            }
            Input::Do(Action::NextStep) => {
                self.scroll_page(1);
                vec![]
            }
            Input::Do(Action::PrevStep) => {
                self.scroll_page(-1);
                vec![]
            }
            Input::Do(Action::Retry) => self.preflight(),
            Input::Do(Action::Confirm | Action::Toggle | Action::Left | Action::Right) => {
                let pressed_enter = input == Input::Do(Action::Confirm);
                match r.selected_entry() {
                    Entry::Message(i) if pressed_enter => {
                        let field = r.messages().get(i).and_then(|n| n.field.clone());
                        self.jump_to(field.as_deref())
                    }
                    Entry::Choice(c) => {
                        r.answer.toggle(c);
                        vec![]
                    }
                    Entry::Build if pressed_enter => self.ask_build(),
                    _ => vec![],
                }
            }
            _ => vec![],
        }
    }

    /// Enter on the build: first a question; refused while the preflight runs or refuses,
    /// or a replacement is not confirmed.
    fn ask_build(&mut self) -> Vec<Effect> {
        let Some(r) = &mut self.review else {
            return vec![];
        };
        match &r.check {
            Check::Running => {
                self.notice = Some((
                    "Still checking the plan against AWS; the build can start once it passes."
                        .into(),
                    "아직 AWS에 대해 계획을 확인하는 중입니다. 확인을 통과하면 구축할 수 있습니다."
                        .into(),
                ));
            }
            Check::Refused(_) => {
                self.notice = Some((
                    "The checks above refuse this plan, so nothing can be built yet: choose a \
                     message and press Enter to go to its answer."
                        .into(),
                    "위의 확인에서 이 계획이 거부되어 아직 구축할 수 없습니다. 메시지를 골라 Enter를 \
                     누르면 해당 답으로 갑니다."
                        .into(),
                ));
            }
            Check::Passed(_) => {
                if let Some(u) = r.unconfirmed() {
                    r.selected = r.entries().iter().position(|e| *e == u).unwrap_or(0);
                    self.notice = Some((
                        "This change replaces something that holds data: confirm it first \
                         (Space on the highlighted line)."
                            .into(),
                        "이 변경은 데이터가 있는 것을 교체합니다. 먼저 확인해 주세요 (강조된 줄에서 \
                         Space)."
                            .into(),
                    ));
                } else {
                    r.confirm = true;
                }
            }
        }
        vec![]
    }

    /// Go to the field a message is about: its step, focused and with its messages shown.
    pub(super) fn jump_to(&mut self, field: Option<&str>) -> Vec<Effect> {
        let spec = field.and_then(|f| fields::all().into_iter().find(|s| fields::owns(s.paths, f)));
        let step = match (&spec, field) {
            (Some(s), _) => s.step,
            (None, Some(f)) => step_of(f),
            (None, None) => return vec![],
        };
        self.screen = Screen::Wizard;
        self.step = step.min(REVIEW - 1);
        self.text_scroll = 0;
        self.focus = spec
            .as_ref()
            .and_then(|s| {
                self.touched.insert(s.id);
                wizard::visible_fields(&self.plan, self.step)
                    .iter()
                    .position(|v| v.id == s.id)
            })
            .unwrap_or(0);
        let mut fx = self.loads_for_step();
        fx.push(self.draft());
        fx
    }

    /// Keep the chosen message on screen (where the last frame drew the entries).
    fn reveal_selected(&mut self) {
        let Some(r) = &self.review else { return };
        let Some(line) = self.extents.entries.get(r.selected).copied() else {
            return;
        };
        let height = self.room(super::Scroller::Review).map_or(0, |(_, h)| h);
        if let Some(r) = &mut self.review {
            let top = usize::from(r.scroll);
            if line < top {
                r.scroll = u16::try_from(line).unwrap_or(0);
            } else if height > 0 && line >= top + height {
                r.scroll = u16::try_from(line + 1 - height).unwrap_or(0);
            }
        }
    }

    /// The review again, with the answers as they are now (after a failed build, or
    /// after changing something): the preflight runs again.
    pub(super) fn back_to_review(&mut self) -> Vec<Effect> {
        self.build = None;
        self.inspector = None;
        self.enter_review()
    }
}

/// The step a plan field is asked at, for fields no question owns.
fn step_of(field: &str) -> usize {
    match field.split(['.', '[']).next().unwrap_or("") {
        "stack" => 0,
        "network" => 1,
        "bastion" => 2,
        "database" => 3,
        "files" => 4,
        "app" => 5,
        "load_balancer" => 6,
        "domain" => 7,
        _ => 0,
    }
}

/// Counts of what a run does, for the review's headline.
pub fn counts(p: &Preview) -> [(Op, usize); 6] {
    [
        Op::Keep,
        Op::Yours,
        Op::Create,
        Op::Update,
        Op::Replace,
        Op::Delete,
    ]
    .map(|a| (a, p.count(a)))
}
