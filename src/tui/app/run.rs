//! Runs on the build screen (a build, a destroy, a look at a saved stack), the final
//! screen, and the inspector over both. A failed build goes back to the answers with
//! everything kept; nothing here leaves the program without asking.

use super::{App, Dialog, Effect, Inspector, Loadable, Screen, Slot};
use crate::ops::{Answer, Failure};
use crate::progress::{BuildState, RunEnd, RunKind};
use crate::tui::keys::{Action, Input};
use std::time::Instant;

impl App {
    /// The user said yes: build the reviewed answers with the choices made.
    pub(super) fn start_build(&mut self, answer: Answer) -> Vec<Effect> {
        let Some(r) = &self.review else {
            return vec![];
        };
        self.warned = match &r.check {
            super::Check::Passed(p) => p.warnings.clone(),
            _ => Vec::new(),
        };
        let plan = Box::new(r.plan.clone());
        self.end_early();
        self.screen = Screen::Build;
        self.build = None;
        self.inspector = None;
        self.summary = Loadable::Idle;
        self.final_scroll = 0;
        vec![Effect::Build {
            ticket: self.tickets.issue(Slot::Run),
            plan,
            profile: self.profile.clone(),
            answer,
        }]
    }

    pub(super) fn started(&mut self, r: Result<Box<BuildState>, Failure>) -> Vec<Effect> {
        match r {
            Ok(mut b) => {
                let building = b.kind == RunKind::Build;
                // A stack rebuilt from the account to be looked at: its log says so first.
                if b.kind == RunKind::View
                    && let Some((en, ko)) = self.notice.take()
                {
                    b.log.insert(
                        0,
                        (
                            b.started,
                            crate::ops::Event::Note {
                                en: format!("Note: {en}"),
                                ko: format!("참고: {ko}"),
                            },
                        ),
                    );
                }
                self.build = Some(*b);
                // The answers are in the stack's state and its plan file now.
                if building {
                    vec![Effect::ClearDraft]
                } else {
                    vec![]
                }
            }
            Err(f) => {
                let kind = self.build.as_ref().map_or(RunKind::Build, |b| b.kind);
                let mut b = BuildState::empty(kind, Instant::now());
                b.finish(Err(f), Instant::now());
                self.build = Some(b);
                vec![]
            }
        }
    }

    pub(super) fn done(&mut self, r: Result<RunEnd, Failure>, at: Instant) -> Vec<Effect> {
        let Some(b) = &mut self.build else {
            return vec![];
        };
        if let Ok(RunEnd::Built(s)) = &r {
            self.summary = Loadable::Ready((**s).clone());
        }
        b.finish(r, at);
        // A run that failed after the final screen was shown early (the standby could not
        // be added): back to the run, where the failure and its advice are.
        if self.screen == Screen::Final && b.failure.is_some() {
            self.screen = Screen::Build;
        }
        vec![Effect::RefreshStacks]
    }

    pub(super) fn on_build(&mut self, input: Input) -> Vec<Effect> {
        let Some(b) = &mut self.build else {
            return match input {
                Input::Do(Action::Back) => {
                    self.dialog = Some(Dialog::Quit);
                    vec![]
                }
                _ => vec![],
            };
        };
        match input {
            Input::Do(Action::NextField) => {
                b.select(1);
                return vec![];
            }
            Input::Do(Action::PrevField) => {
                b.select(-1);
                return vec![];
            }
            Input::Do(Action::NextStep) => {
                self.scroll_page(1);
                return vec![];
            }
            Input::Do(Action::PrevStep) => {
                self.scroll_page(-1);
                return vec![];
            }
            Input::Do(Action::Inspect) => return self.inspect_selected(),
            Input::Do(Action::Copy) => return self.copy_selected(),
            _ => {}
        }
        let finished = b.finished();
        match (b.kind, finished, input) {
            // Up, the database's standby still coming: the final screen now, the run going
            // on (its end updates what the final screen says of the standby).
            (RunKind::Build, false, Input::Do(Action::Confirm)) if b.up => {
                self.screen = Screen::Final;
                self.final_scroll = 0;
                vec![]
            }
            // While it runs, Esc asks before leaving (the run stops; a later start resumes).
            (_, false, Input::Do(Action::Back)) => {
                self.dialog = Some(Dialog::Quit);
                vec![]
            }
            (
                RunKind::View | RunKind::Destroy | RunKind::Drill,
                true,
                Input::Do(Action::Confirm | Action::Back),
            ) => {
                self.build = None;
                self.back_to_saved()
            }
            (RunKind::Build, true, Input::Do(Action::Retry)) if !b.succeeded() => {
                let answer = self
                    .review
                    .as_ref()
                    .map(|r| r.answered())
                    .unwrap_or_default();
                self.start_build(answer)
            }
            (RunKind::Build, true, Input::Do(Action::Back)) if !b.succeeded() => {
                self.back_to_review()
            }
            (RunKind::Build, true, Input::Do(Action::Confirm)) if b.succeeded() => {
                self.screen = Screen::Final;
                self.final_scroll = 0;
                vec![]
            }
            (RunKind::Build, true, Input::Do(Action::Back | Action::Confirm)) => {
                self.dialog = Some(Dialog::Quit);
                vec![]
            }
            _ => vec![],
        }
    }

    pub(super) fn on_final(&mut self, input: Input) -> Vec<Effect> {
        match input {
            Input::Do(Action::NextField) => {
                if let Some(b) = &mut self.build {
                    b.select_built(1);
                }
                vec![]
            }
            Input::Do(Action::PrevField) => {
                if let Some(b) = &mut self.build {
                    b.select_built(-1);
                }
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
            Input::Do(Action::Inspect) => self.inspect_selected(),
            Input::Do(Action::Copy) => self.copy_selected(),
            Input::Do(a @ (Action::Drill | Action::DrillDatabase | Action::DrillRegion)) => {
                match self.build.as_ref().map(|b| b.stack.clone()) {
                    // The run layer picks the target first; the question names it.
                    Some(stack) => self.ask(super::Op::Drill {
                        stack,
                        part: drill_part(a),
                    }),
                    None => vec![],
                }
            }
            // The end of the road: everything is built and recorded.
            Input::Do(Action::Confirm) => vec![Effect::Quit],
            Input::Do(Action::Back) => {
                self.dialog = Some(Dialog::Quit);
                vec![]
            }
            _ => vec![],
        }
    }

    /// Copy the inspected (else the selected) resource's console link, or its ID when it
    /// has no page: through the terminal, and kept to be printed whole at the end.
    pub(super) fn copy_selected(&mut self) -> Vec<Effect> {
        let (name, text) = match (&self.inspector, &self.build) {
            (Some(i), _) if !i.id.is_empty() => (
                i.name.clone(),
                i.link.clone().unwrap_or_else(|| i.id.clone()),
            ),
            (None, Some(b)) => match b.selected_row() {
                Some(row) => match (row.console(&b.region), &row.id) {
                    (Some(link), _) => (row.name.clone(), link),
                    (None, Some(id)) => (row.name.clone(), id.clone()),
                    (None, None) => return vec![],
                },
                None => return vec![],
            },
            _ => return vec![],
        };
        let link = text.starts_with("https://");
        self.notice = Some((
            format!(
                "Copied {} of {name} (if your terminal allows OSC 52); it is printed whole when you leave.",
                if link { "the console link" } else { "the ID" }
            ),
            format!(
                "{name}의 {} 복사했습니다 (터미널이 OSC 52를 허용하면). 나갈 때 전체를 출력합니다.",
                if link { "콘솔 링크를" } else { "ID를" }
            ),
        ));
        if !self.copied.contains(&text) {
            self.copied.push(text.clone());
        }
        vec![Effect::Copy(text)]
    }

    /// Open the inspector on the selected resource and read its wiring from AWS.
    fn inspect_selected(&mut self) -> Vec<Effect> {
        let Some(b) = &self.build else {
            return vec![];
        };
        let Some(row) = b.selected_row() else {
            return vec![];
        };
        if row.id.is_none()
            && let Some(error) = row.error.clone()
        {
            // A failed resource that was never made: its error is what there is to see.
            self.inspector = Some(Inspector {
                key: row.key.clone(),
                kind: row.kind,
                name: row.name.clone(),
                id: String::new(),
                link: None,
                error: Some(error),
                body: Loadable::Ready(Default::default()),
                scroll: 0,
            });
            return vec![];
        }
        let Some(id) = row.id.clone() else {
            self.notice = Some((
                format!("{} does not exist yet: nothing to inspect", row.name),
                format!(
                    "{} 아직 없습니다. 살펴볼 것이 없습니다",
                    crate::i18n::korean::with(&row.name, crate::i18n::korean::Josa::EunNeun)
                ),
            ));
            return vec![];
        };
        let (key, kind, name, region, error) = (
            row.key.clone(),
            row.kind,
            row.name.clone(),
            b.region.clone(),
            row.error.clone(),
        );
        let link = row.console(&region);
        self.inspector = Some(Inspector {
            key: key.clone(),
            kind,
            name,
            id: id.clone(),
            link,
            error,
            body: Loadable::Loading,
            scroll: 0,
        });
        let plan = b.plan.clone();
        vec![Effect::Inspect {
            ticket: self.tickets.issue(Slot::Inspect),
            key,
            kind,
            id,
            plan,
            region,
            profile: self.profile.clone(),
        }]
    }

    pub(super) fn on_inspector(&mut self, input: Input) -> Vec<Effect> {
        match input {
            Input::Do(Action::Back | Action::Inspect | Action::Confirm) => {
                self.inspector = None;
                self.tickets.forget(Slot::Inspect);
                vec![]
            }
            Input::Do(Action::NextStep | Action::NextField) => {
                self.scroll_page(1);
                vec![]
            }
            Input::Do(Action::PrevStep | Action::PrevField) => {
                self.scroll_page(-1);
                vec![]
            }
            Input::Do(Action::Copy) => self.copy_selected(),
            _ => vec![],
        }
    }

    /// The resume screen, or a new setup when nothing is left to resume.
    pub(super) fn back_to_saved(&mut self) -> Vec<Effect> {
        if self.stacks.is_empty() && self.draft.is_none() {
            self.reset_answers();
            self.screen = Screen::Wizard;
            return self.loads_for_step();
        }
        self.screen = Screen::Resume {
            selected: 0,
            confirm_destroy: false,
        };
        vec![Effect::RefreshStacks]
    }
}

impl App {
    /// The preflight's warnings that mean the site cannot serve once built: private
    /// subnets without a way out, so instances cannot install anything.
    pub fn cannot_serve(&self) -> Vec<&crate::plan::Finding> {
        let no_nat = self
            .build
            .as_ref()
            .and_then(|b| b.plan.as_ref())
            .is_some_and(|p| {
                !p.network.adopts_vpc() && p.network.nat == crate::plan::NatMode::None
            });
        self.warned
            .iter()
            .filter(|f| {
                (f.field == "network.nat" && no_nat)
                    || (f.field.starts_with("network.private_subnet_ids")
                        && f.message.contains("NAT"))
            })
            .collect()
    }
}

/// Which part a drill key breaks.
pub(super) fn drill_part(a: Action) -> crate::ops::drill::Part {
    match a {
        Action::DrillDatabase => crate::ops::drill::Part::Database,
        Action::DrillRegion => crate::ops::drill::Part::Region,
        _ => crate::ops::drill::Part::Instance,
    }
}
