//! "Check an existing setup" (F3 on the first screen): the run layer's `doctor` over the
//! region's VPCs, a verdict each; one VPC's findings with their lessons and fixes; and
//! from there, a new setup that adopts that VPC (the answers the wizard then walks).

use super::{App, Effect, Loadable, Screen, Slot};
use crate::tui::keys::{Action, Input};
use crate::wizard;

impl App {
    /// F3: only where a setup begins (the first step, the resume screen); elsewhere it
    /// says where it works.
    pub(super) fn check_existing(&mut self) -> Vec<Effect> {
        let from_resume = match self.screen {
            Screen::Resume { .. } => true,
            Screen::Wizard if self.step == 0 => false,
            Screen::Doctor { .. } => return self.reload_doctor(),
            _ => {
                self.notice = Some((
                    "Checking an existing setup starts from the first screen (the Account step, or Resume)."
                        .into(),
                    "기존 설정 검사는 첫 화면(계정 단계나 이어서 하기)에서 시작합니다.".into(),
                ));
                return vec![];
            }
        };
        self.screen = Screen::Doctor {
            selected: 0,
            open: false,
            from_resume,
        };
        self.reload_doctor()
    }

    fn reload_doctor(&mut self) -> Vec<Effect> {
        self.doctor = Loadable::Loading;
        self.doctor_scroll = 0;
        vec![Effect::Doctor {
            ticket: self.tickets.issue(Slot::Doctor),
            region: self.plan.region().to_string(),
            profile: self.profile.clone(),
        }]
    }

    pub(super) fn on_doctor(
        &mut self,
        input: Input,
        selected: usize,
        open: bool,
        from_resume: bool,
    ) -> Vec<Effect> {
        let count = self.doctor.ready().map_or(0, Vec::len);
        let at = |selected, open| Screen::Doctor {
            selected,
            open,
            from_resume,
        };
        match (input, open) {
            (Input::Do(Action::Back), true) => self.screen = at(selected, false),
            (Input::Do(Action::Back), false) => {
                self.tickets.forget(Slot::Doctor);
                self.screen = if from_resume {
                    Screen::Resume {
                        selected: 0,
                        confirm_destroy: false,
                    }
                } else {
                    Screen::Wizard
                };
            }
            (Input::Do(Action::NextField), false) if count > 0 => {
                self.screen = at((selected + 1) % count, false)
            }
            (Input::Do(Action::PrevField), false) if count > 0 => {
                self.screen = at((selected + count - 1) % count, false)
            }
            (Input::Do(Action::Confirm), false) if selected < count => {
                self.doctor_scroll = 0;
                self.screen = at(selected, true);
            }
            (Input::Do(Action::Retry), false) => return self.reload_doctor(),
            (Input::Do(Action::NextField), true) => self.scroll(1),
            (Input::Do(Action::PrevField), true) => self.scroll(-1),
            (Input::Do(Action::NextStep), true) => self.scroll_page(1),
            (Input::Do(Action::PrevStep), true) => self.scroll_page(-1),
            (Input::Do(Action::New), true) => return self.adopt_checked(selected, from_resume),
            _ => {}
        }
        vec![]
    }

    /// A new setup that adopts the checked VPC: its region, its subnets in two AZs, a
    /// stack name from its Name tag (unless one was typed). The wizard opens on the first
    /// step with those answers; the network step shows the VPC and its subnets.
    fn adopt_checked(&mut self, selected: usize, from_resume: bool) -> Vec<Effect> {
        let Some(report) = self.doctor.ready().and_then(|r| r.get(selected)).cloned() else {
            return vec![];
        };
        let mut plan = if from_resume || self.continuing.is_some() || self.origin.is_some() {
            self.fresh.clone()
        } else {
            self.plan.clone()
        };
        if plan.stack.name == self.fresh.stack.name {
            plan.stack.name = crate::ops::doctor::adopt::suggested_name(&report);
        }
        if let Err(why) = crate::ops::doctor::adopt::adopt(&mut plan, &report) {
            self.notice = Some((why.en, why.ko));
            return vec![];
        }
        self.reset_answers();
        self.plan = plan;
        self.report = wizard::check(&self.plan);
        self.screen = Screen::Wizard;
        let vpc = &report.survey.vpc;
        self.notice = Some((
            format!(
                "Adopting {vpc}: hawiz uses its network as it is and builds what is missing. Check the stack name, then go on."
            ),
            format!(
                "{} 가져옵니다: hawiz는 그 네트워크를 그대로 쓰고 빠진 것을 만듭니다. 스택 이름을 확인하고 계속하세요.",
                crate::i18n::korean::with(vpc, crate::i18n::korean::Josa::EulReul)
            ),
        ));
        let mut fx = self.loads_for_step();
        fx.push(self.draft());
        fx
    }
}
