//! The dialogs over a screen: leaving, a saved stack's name, and an operation's question.
//! A destroy or a drill is asked of the run layer first (`Effect::Ask`): the dialog shows
//! what it will do and what that asks (deletion protection, the final snapshot and its
//! cost, the instance and AZ a drill breaks) before the yes, and the answer goes back to
//! the operation that is waiting for it.

use super::{App, Asking, Dialog, Effect, Loadable, Op, Screen, Slot};
use crate::ops::{Answer, Failure, Question};
use crate::progress::BuildState;
use crate::tui::keys::{Action, Input};
use crate::wizard::fields::FieldId;
use std::time::Instant;

impl App {
    /// Ask the run layer about an operation; the dialog shows its question once it comes.
    pub(super) fn ask(&mut self, op: Op) -> Vec<Effect> {
        let ticket = self.tickets.issue(Slot::Ask);
        self.dialog = Some(Dialog::Ask(Box::new(Asking {
            op: op.clone(),
            ticket,
            question: Loadable::Loading,
            answer: Answer::default(),
            selected: 0,
            scroll: 0,
        })));
        vec![Effect::Ask {
            ticket,
            op,
            profile: self.profile.clone(),
        }]
    }

    /// The run layer's question came (or its refusal).
    pub(super) fn asked(&mut self, r: Result<Box<Question>, Failure>) -> Vec<Effect> {
        let Some(Dialog::Ask(a)) = &mut self.dialog else {
            return vec![];
        };
        match r {
            Ok(q) => {
                a.answer = q.default_answer();
                a.question = Loadable::Ready(*q);
            }
            Err(f) => a.question = Loadable::Failed(f.message),
        }
        a.selected = 0;
        a.scroll = 0;
        vec![]
    }

    pub(super) fn on_dialog(&mut self, dialog: Dialog, input: Input) -> Vec<Effect> {
        match (dialog, input) {
            (Dialog::Quit, Input::Do(Action::Yes | Action::Confirm | Action::Quit)) => {
                self.dialog = None;
                self.quit()
            }
            (Dialog::Leave { .. }, Input::Do(Action::Confirm | Action::Quit)) => {
                vec![Effect::Quit]
            }
            (Dialog::Leave { stack }, Input::Do(Action::Destroy)) => {
                self.dialog = None;
                self.end_early();
                self.ask(Op::Destroy { stack })
            }
            (Dialog::Leave { .. }, Input::Do(Action::Back)) => {
                self.dialog = None;
                vec![]
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
            (Dialog::NewOverDraft, Input::Do(Action::Confirm)) => {
                self.dialog = None;
                self.restore_draft()
            }
            (Dialog::NewOverDraft, Input::Do(Action::Yes)) => {
                self.dialog = None;
                self.new_setup()
            }
            (Dialog::NewOverDraft, Input::Do(Action::Back)) => {
                self.dialog = None;
                vec![]
            }
            (Dialog::Ask(a), input) => self.on_asking(*a, input),
            _ => vec![],
        }
    }

    fn on_asking(&mut self, a: Asking, input: Input) -> Vec<Effect> {
        let options = match &a.question {
            Loadable::Ready(q) => q.options.len(),
            _ => 0,
        };
        match input {
            Input::Do(Action::Yes) if matches!(a.op, Op::Early { .. }) => {
                self.dialog = None;
                self.start_early()
            }
            Input::Do(Action::Yes) => match &a.question {
                Loadable::Ready(q) => {
                    let answer = Answer {
                        yes: true,
                        ..a.answer.clone()
                    };
                    if q.refusal(&answer).is_some() {
                        // A choice the yes needs is not made: the dialog says which.
                        return vec![];
                    }
                    self.dialog = None;
                    self.tickets.forget(Slot::Ask);
                    self.screen = Screen::Build;
                    self.inspector = None;
                    self.build = Some(BuildState::empty(a.op.kind(), Instant::now()));
                    vec![Effect::Answer {
                        ticket: a.ticket,
                        answer,
                        run: self.tickets.issue(Slot::Run),
                    }]
                }
                _ => vec![],
            },
            Input::Do(Action::Back | Action::New) => self.decline(&a),
            // Enter closes a refusal; on a question only `y` says yes.
            Input::Do(Action::Confirm) if matches!(a.question, Loadable::Failed(_)) => {
                self.decline(&a)
            }
            Input::Do(Action::NextField | Action::PrevField) if options > 0 => {
                let down = input == Input::Do(Action::NextField);
                if let Some(Dialog::Ask(d)) = &mut self.dialog {
                    d.selected = if down {
                        (d.selected + 1) % options
                    } else {
                        (d.selected + options - 1) % options
                    };
                }
                vec![]
            }
            Input::Do(Action::Toggle | Action::Left | Action::Right) if options > 0 => {
                if let (Some(Dialog::Ask(d)), Loadable::Ready(q)) = (&mut self.dialog, &a.question)
                    && let Some(o) = q.options.get(d.selected)
                {
                    d.answer.toggle(o.choice);
                }
                vec![]
            }
            // The question is long: it can be read in the other language too.
            Input::Do(Action::Language) => {
                self.lang = self.lang.toggle();
                vec![Effect::SaveSettings(crate::settings::Settings {
                    lang: Some(self.lang),
                    theme: Some(self.theme.name.clone()),
                })]
            }
            Input::Do(Action::ScrollDown | Action::NextStep) => {
                self.scroll_page(1);
                vec![]
            }
            Input::Do(Action::ScrollUp | Action::PrevStep) => {
                self.scroll_page(-1);
                vec![]
            }
            _ => vec![],
        }
    }

    /// No: nothing is run, and the operation lets its lock go.
    fn decline(&mut self, a: &Asking) -> Vec<Effect> {
        self.dialog = None;
        if let Op::Early { .. } = a.op {
            // Asked of no operation: nothing waits for the answer.
            return vec![];
        }
        self.tickets.forget(Slot::Ask);
        vec![Effect::Answer {
            ticket: a.ticket,
            answer: Answer::default(),
            run: 0,
        }]
    }
}
