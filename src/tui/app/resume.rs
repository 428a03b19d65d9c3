//! The resume screen: the unfinished answers of an earlier run (if any) and the saved
//! stacks, each to continue, view or destroy; and opening a saved stack's plan.

use super::{App, Dialog, Effect, Loadable, Screen, Slot};
use crate::plan::Plan;
use crate::progress::{BuildState, RunKind};
use crate::tui::keys::{Action, Input};
use crate::wizard::{self, REVIEW};
use std::time::Instant;

/// A line of the resume screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    Draft,
    Stack(usize),
}

impl App {
    /// The resume screen's lines: the draft first.
    pub fn saved(&self) -> Vec<Saved> {
        let mut v = Vec::new();
        if self.draft.is_some() {
            v.push(Saved::Draft);
        }
        v.extend((0..self.stacks.len()).map(Saved::Stack));
        v
    }

    pub(super) fn on_resume(
        &mut self,
        input: Input,
        selected: usize,
        confirm: bool,
    ) -> Vec<Effect> {
        let lines = self.saved();
        let count = lines.len();
        let line = lines.get(selected).copied();
        let stack = match line {
            Some(Saved::Stack(i)) => self.stacks.get(i).map(|s| s.name.clone()),
            _ => None,
        };
        let at = |selected, confirm_destroy| Screen::Resume {
            selected,
            confirm_destroy,
        };
        match (input, confirm) {
            (Input::Do(Action::Yes), true) => match (line, stack) {
                (Some(Saved::Draft), _) => {
                    self.draft = None;
                    self.screen = at(0, false);
                    if self.saved().is_empty() {
                        return self.new_setup();
                    }
                    vec![Effect::ClearDraft]
                }
                _ => vec![],
            },
            (_, true) => {
                self.screen = at(selected, false);
                vec![]
            }
            (Input::Do(Action::NextField), _) if count > 0 => {
                self.screen = at((selected + 1) % count, false);
                vec![]
            }
            (Input::Do(Action::PrevField), _) if count > 0 => {
                self.screen = at((selected + count - 1) % count, false);
                vec![]
            }
            (Input::Do(a @ (Action::Drill | Action::DrillDatabase | Action::DrillRegion)), _) => {
                match stack {
                    // The run layer picks the target (or refuses a stack that is not complete
                    // or healthy, saying why); the question names it.
                    Some(stack) => self.ask(super::Op::Drill {
                        stack,
                        part: super::run::drill_part(a),
                    }),
                    None => vec![],
                }
            }
            (Input::Do(Action::Destroy), _) => match (line, stack) {
                // What deleting it asks comes from the run layer: deletion protection, the
                // final snapshot and its cost.
                (_, Some(stack)) => self.ask(super::Op::Destroy { stack }),
                (Some(Saved::Draft), _) => {
                    self.screen = at(selected, true);
                    vec![]
                }
                _ => vec![],
            },
            (Input::Do(Action::Confirm), _) => match (line, stack) {
                (Some(Saved::Draft), _) => self.restore_draft(),
                (_, Some(stack)) => self.open_stack(stack, false),
                _ => vec![],
            },
            (Input::Do(Action::View), _) => match stack {
                Some(stack) => self.open_stack(stack, true),
                None => vec![],
            },
            (Input::Do(Action::New), _) if self.draft.is_some() => {
                // The new setup's first answer would replace the unfinished ones: ask.
                self.dialog = Some(Dialog::NewOverDraft);
                vec![]
            }
            (Input::Do(Action::New), _) => self.new_setup(),
            (Input::Do(Action::Back), _) => {
                self.dialog = Some(Dialog::Quit);
                vec![]
            }
            _ => vec![],
        }
    }

    /// A new setup from the defaults: nothing of a viewed or continued stack stays.
    pub(super) fn new_setup(&mut self) -> Vec<Effect> {
        self.reset_answers();
        self.screen = Screen::Wizard;
        self.loads_for_step()
    }

    /// Continue the unfinished answers where they were left.
    pub(super) fn restore_draft(&mut self) -> Vec<Effect> {
        let Some(d) = self.draft.clone() else {
            return vec![];
        };
        self.reset_answers();
        self.plan = d.plan;
        self.profile = if d.profile.is_empty() {
            self.profile.clone()
        } else {
            d.profile
        };
        self.origin = d.origin;
        self.report = wizard::check(&self.plan);
        self.step = d.step.min(REVIEW);
        if self.step == REVIEW {
            return self.enter_review();
        }
        self.screen = Screen::Wizard;
        self.loads_for_step()
    }

    pub(super) fn open_stack(&mut self, stack: String, view: bool) -> Vec<Effect> {
        vec![Effect::Open {
            ticket: self.tickets.issue(Slot::Open),
            stack,
            view,
        }]
    }

    /// A saved stack's plan was read: continue at the review (what exists and what is
    /// left), or look at its resources without touching the answers.
    pub(super) fn opened(
        &mut self,
        stack: String,
        view: bool,
        plan: Result<Box<Plan>, String>,
    ) -> Vec<Effect> {
        let plan = match plan {
            Ok(p) => *p,
            Err(e) => {
                self.notice = Some((
                    format!("could not read stack {stack}: {e}"),
                    format!(
                        "스택 {} 읽지 못했습니다: {e}",
                        crate::i18n::korean::with(&stack, crate::i18n::korean::Josa::EulReul)
                    ),
                ));
                return vec![];
            }
        };
        if view {
            self.screen = Screen::Build;
            self.build = Some(BuildState::empty(RunKind::View, Instant::now()));
            return vec![Effect::View {
                ticket: self.tickets.issue(Slot::Run),
                plan: Box::new(plan),
                profile: self.profile.clone(),
            }];
        }
        self.reset_answers();
        self.plan = plan;
        self.continuing = Some(stack);
        self.report = wizard::check(&self.plan);
        let mut fx = self.enter_review();
        if !matches!(self.identity, Loadable::Ready(_)) {
            fx.extend(self.load(super::Loader::Identity));
        }
        fx
    }
}
