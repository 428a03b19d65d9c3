//! Build while answering, as the wizard holds it (the run layer's `ops::early` decides
//! what is built and when): asked once after the network step, each confirmed step sent
//! on, the rows of what is built kept for the step list and the review, and leaving
//! with part of a stack made asks whether to keep it or delete it.

use super::{App, Asking, Dialog, Effect, Loadable, Op, Slot};
use crate::ops::early::{self, Report};
use crate::progress::early::EarlyProgress;
use std::time::Instant;

/// The wizard's side of a build while answering.
#[derive(Debug, Clone, Default)]
pub struct EarlyBuild {
    /// The question was asked (it is asked once).
    pub asked: bool,
    /// The stack it builds, once the user said yes.
    pub stack: Option<String>,
    /// Still taking steps (a failure or a refusal ends it: the review's build does the
    /// rest).
    pub on: bool,
    /// The steps sent so far.
    pub through: usize,
    /// What it has made, from the run layer's reports.
    pub progress: EarlyProgress,
    /// What its reports come with.
    pub ticket: u64,
}

impl EarlyBuild {
    /// Whether anything of the stack may exist because of it (leaving then asks).
    pub fn made_any(&self) -> bool {
        self.stack.is_some() && self.progress.made_any()
    }
}

impl App {
    /// Leaving the network step on the way to a first review: the question, once, for a
    /// new stack (answers back from the review to fix one are not asked it).
    pub(super) fn offer_early(&mut self) {
        let new_stack = self.continuing.is_none() && self.same_name().is_none();
        let left = self.step.saturating_sub(1);
        if !early::offered(left, self.early.asked, new_stack, self.review.is_none()) {
            return;
        }
        self.early.asked = true;
        let question = early::question(&self.plan);
        self.dialog = Some(Dialog::Ask(Box::new(Asking {
            op: Op::Early {
                stack: self.plan.stack.name.clone(),
            },
            ticket: 0,
            answer: question.default_answer(),
            question: Loadable::Ready(question),
            selected: 0,
            scroll: 0,
        })));
    }

    /// Yes: build the network now.
    pub(super) fn start_early(&mut self) -> Vec<Effect> {
        self.early.stack = Some(self.plan.stack.name.clone());
        self.early.on = true;
        self.early.through = 0;
        // Every run of it reports under this ticket.
        self.early.ticket = self.tickets.issue(Slot::Early);
        self.send_early(early::OFFERED_AFTER)
    }

    /// A step before the review was confirmed: its part joins the build (the review's
    /// own build does the last steps, so they are not started twice).
    pub(super) fn confirmed(&mut self, step: usize) -> Vec<Effect> {
        if !self.early.on || step > early::LAST_JOINING {
            return vec![];
        }
        self.send_early(step.max(self.early.through))
    }

    fn send_early(&mut self, through: usize) -> Vec<Effect> {
        if self.early.stack.as_deref() != Some(self.plan.stack.name.as_str()) {
            let was = self.early.stack.clone().unwrap_or_default();
            self.stop_early(format!(
                "the stack's name changed: what was built while answering stays under {was}"
            ));
            return vec![];
        }
        self.early.through = through;
        vec![Effect::Early {
            ticket: self.early.ticket,
            plan: Box::new(self.plan.clone()),
            through,
            profile: self.profile.clone(),
        }]
    }

    fn stop_early(&mut self, why: String) {
        self.early.on = false;
        self.early.progress.stopped = Some(why);
    }

    /// What the run layer reported.
    pub(super) fn on_early(&mut self, r: Report) -> Vec<Effect> {
        let ended = matches!(r, Report::Ended { .. });
        let (stack, region) = (self.plan.stack.name.clone(), self.plan.region().to_string());
        if self
            .early
            .progress
            .on_report(r, &stack, &region, Instant::now())
        {
            self.early.on = false;
        }
        if ended {
            vec![Effect::RefreshStacks]
        } else {
            vec![]
        }
    }

    /// Leave the program: when part of a stack was built while answering (and its
    /// build was not started), ask first whether to keep it or delete it.
    pub(super) fn quit(&mut self) -> Vec<Effect> {
        match &self.early.stack {
            Some(stack) if self.early.made_any() && self.build.is_none() => {
                self.dialog = Some(Dialog::Leave {
                    stack: stack.clone(),
                });
                vec![]
            }
            _ => vec![Effect::Quit],
        }
    }

    /// The build of the whole plan takes over from the build while answering.
    pub(super) fn end_early(&mut self) {
        self.early.on = false;
        self.early.progress.running = false;
        self.tickets.forget(Slot::Early);
    }
}
