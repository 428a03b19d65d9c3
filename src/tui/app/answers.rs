//! The answers as the screens show them: the messages at a field, the saved stack a new
//! name would collide with, which steps have errors, the draft, and starting over.

use super::{App, Effect, Loadable, SavedStack, Slot};
use crate::i18n::Lang;
use crate::plan::Finding;
use crate::wizard::draft::Draft;
use crate::wizard::fields::{FieldId, Spec};
use crate::wizard::{self, REVIEW};
use std::collections::BTreeMap;

impl App {
    /// Errors and warnings to show at a field, in the user's language.
    pub fn messages(&self, spec: &Spec) -> (Vec<String>, Vec<String>) {
        let mut warnings = Vec::new();
        if spec.id == FieldId::StackName
            && let Some(s) = self.same_name()
        {
            let said = s.same_name();
            warnings.push(match self.lang {
                Lang::En => format!("{} Leaving this step asks whether to continue it.", said.en),
                Lang::Ko => format!("{} 이 단계를 떠날 때 이어서 할지 묻습니다.", said.ko),
            });
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
        if matches!(spec.id, FieldId::PrivateSubnetIds)
            && let Some(choices) = self.subnets.ready()
        {
            // What `hawiz plan` would warn of the picked subnets, from the list read.
            let picked = crate::ops::lists::check_picked(&self.plan.network, choices);
            warnings.extend(wizard::at_field(&picked, spec).1.iter().map(text));
        }
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
    pub(super) fn draft(&self) -> Effect {
        Effect::SaveDraft(Box::new(Draft::new(
            self.plan.clone(),
            self.step,
            &self.profile,
            self.origin.clone(),
        )))
    }

    /// Start over from the defaults (a new setup): nothing of a viewed or continued stack
    /// stays.
    pub(super) fn reset_answers(&mut self) {
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
