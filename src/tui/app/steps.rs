//! The steps: editing answers, moving between fields and steps, picking an adopted VPC's
//! subnets by tier, and saving the unfinished answers on every change.

use super::{App, Dialog, Editor, Effect, Loadable, Loader, Slot};
use crate::i18n::korean::{self, Josa};
use crate::ops::lists::{SubnetChoice, Tier};
use crate::tui::keys::{Action, Input};
use crate::wizard::fields::{self, FieldId, Kind, Source, Spec};
use crate::wizard::{self, REVIEW};

impl App {
    pub(super) fn on_wizard(&mut self, input: Input) -> Vec<Effect> {
        let Some(spec) = self.focused() else {
            return self.move_step(input);
        };
        if self.picking(&spec) {
            match input {
                Input::Do(Action::NextSuggestion | Action::Right) => return self.move_pick(1),
                Input::Do(Action::PrevSuggestion | Action::Left) => return self.move_pick(-1),
                Input::Do(Action::Toggle) => return self.pick_subnet(&spec),
                _ => {}
            }
        }
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
            Input::Do(Action::Toggle) if spec.kind == Kind::Toggle => {
                let on = self.value(spec.id) == "true";
                self.answer(spec.id, if on { "false" } else { "true" });
                self.after_change(spec.id)
            }
            Input::Do(Action::NextSuggestion | Action::PrevSuggestion) => {
                self.suggest(&spec, input == Input::Do(Action::NextSuggestion))
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

    /// Ctrl-N / Ctrl-P: the next value AWS listed for this field.
    fn suggest(&mut self, spec: &Spec, forward: bool) -> Vec<Effect> {
        let Kind::Text(Some(source)) = spec.kind else {
            return vec![];
        };
        let Some(Loadable::Ready(list)) = self.lists.get(&source) else {
            return vec![];
        };
        if list.is_empty() {
            return vec![];
        }
        let current = self.value(spec.id);
        let n = list.len();
        let next = match list.iter().position(|(v, _)| *v == current) {
            Some(i) if forward => (i + 1) % n,
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
        self.after_change(spec.id)
    }

    fn move_pick(&mut self, delta: i32) -> Vec<Effect> {
        let n = self.subnets.ready().map_or(0, Vec::len);
        if n > 0 {
            let i = i32::try_from(self.pick).unwrap_or(0) + delta;
            self.pick = usize::try_from(i.rem_euclid(i32::try_from(n).unwrap_or(1))).unwrap_or(0);
        }
        self.pick_refusal = None;
        vec![]
    }

    /// Space on a subnet: pick it for this field's tier, or unpick it. A subnet of the
    /// other kind is refused here, with the route that makes it so.
    fn pick_subnet(&mut self, spec: &Spec) -> Vec<Effect> {
        let Some(s) = self.subnets.ready().and_then(|l| l.get(self.pick)).cloned() else {
            return vec![];
        };
        let public = spec.id == FieldId::PublicSubnetIds;
        let net = &self.plan.network;
        let (mine, other) = if public {
            (&net.public_subnet_ids, &net.private_subnet_ids)
        } else {
            (&net.private_subnet_ids, &net.public_subnet_ids)
        };
        let mut picked = mine.clone();
        self.pick_refusal = None;
        if let Some(i) = picked.iter().position(|id| *id == s.id) {
            picked.remove(i);
        } else if other.contains(&s.id) {
            self.pick_refusal = Some(already_other(&s, public));
            return vec![];
        } else if let Some(why) = wrong_tier(&s, public) {
            self.pick_refusal = Some(why);
            return vec![];
        } else {
            picked.push(s.id.clone());
        }
        let text = picked.join(", ");
        self.inputs.remove(&spec.id);
        self.answer(spec.id, &text);
        self.after_change(spec.id)
    }

    pub(super) fn move_step(&mut self, input: Input) -> Vec<Effect> {
        match input {
            Input::Do(Action::NextStep | Action::Confirm) => self.next_step(),
            Input::Do(Action::PrevStep | Action::Back) if self.step > 0 => {
                self.step -= 1;
                self.arrive();
                let mut fx = self.loads_for_step();
                fx.push(self.draft());
                fx
            }
            Input::Do(Action::Back) => {
                // Esc at the first step would leave the program: ask.
                self.dialog = Some(Dialog::Quit);
                vec![]
            }
            _ => vec![],
        }
    }

    /// Entering a step: first field, explanation from the top, and typed text kept only
    /// where it does not parse (so its message stays true).
    fn arrive(&mut self) {
        self.focus = 0;
        self.text_scroll = 0;
        self.pick_refusal = None;
        let invalid = self.invalid.clone();
        self.inputs.retain(|id, _| invalid.contains_key(id));
    }

    /// Leave the step only when its answers hold; otherwise show every message.
    pub(super) fn next_step(&mut self) -> Vec<Effect> {
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
        if self.step == 0
            && let Some(s) = self.same_name()
        {
            self.dialog = Some(Dialog::SameName {
                stack: s.name.clone(),
            });
            return vec![];
        }
        let mut fx = Vec::new();
        if self.step == 0 {
            // A new region or profile means new lists and perhaps another account.
            self.lists.retain(|s, _| *s == Source::Regions);
            fx.extend(self.load(Loader::Identity));
        }
        self.step += 1;
        self.arrive();
        fx.extend(self.confirmed(self.step - 1));
        self.offer_early();
        if self.step >= REVIEW {
            self.step = REVIEW;
            fx.extend(self.enter_review());
            return fx;
        }
        fx.extend(self.loads_for_step());
        fx.push(self.draft());
        fx
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
    pub(super) fn answer(&mut self, id: FieldId, value: &str) {
        // Checked as the user answers: a choice or a keystroke shows its message at once.
        self.touched.insert(id);
        match fields::set(&mut self.plan, &mut self.profile, id, value) {
            Ok(()) => match self.not_offered(id, value) {
                Some(e) => {
                    self.invalid.insert(id, e);
                }
                None => {
                    self.invalid.remove(&id);
                }
            },
            Err(e) => {
                self.invalid.insert(id, e);
            }
        }
        if !matches!(
            fields::all().iter().find(|s| s.id == id).map(|s| &s.kind),
            Some(Kind::Text(_))
        ) {
            self.inputs.remove(&id);
        }
        let before = self.report.errors.clone();
        self.report = wizard::check(&self.plan);
        // An answer can make another one wrong (a minimum above the maximum, the same AZ
        // twice): that field's new message shows at once too, not only after PgDn. A field
        // still empty is not wrong yet, only not answered: it waits for its turn.
        for spec in fields::all() {
            let (errors, _) = wizard::at_field(&self.report, &spec);
            let answered = !fields::get(&self.plan, &self.profile, spec.id)
                .trim()
                .is_empty();
            if answered && errors.iter().any(|f| !before.contains(f)) {
                self.touched.insert(spec.id);
            }
        }
    }

    /// A value the loaded list of its field does not have (a region of another account,
    /// an AZ the region lacks, a key pair that does not exist), in `hawiz plan`'s words.
    /// Nothing is refused before the list has loaded.
    fn not_offered(&self, id: FieldId, value: &str) -> Option<fields::Invalid> {
        let spec = fields::all().into_iter().find(|s| s.id == id)?;
        let Kind::Text(Some(source)) = spec.kind else {
            return None;
        };
        let set: Vec<String> = self
            .lists
            .get(&source)?
            .ready()?
            .iter()
            .map(|(value, _)| value.clone())
            .collect();
        fields::not_in_set(&self.plan, id, value, &set)
    }

    /// A list that arrives after the user typed: the answers it feeds are checked again.
    pub(super) fn recheck_offered(&mut self, source: Source) {
        for spec in fields::all() {
            if spec.kind != Kind::Text(Some(source)) || !self.touched.contains(&spec.id) {
                continue;
            }
            let value = self.value(spec.id);
            if let Some(e) = self.not_offered(spec.id, &value) {
                self.invalid.insert(spec.id, e);
            } else if fields::set(
                &mut self.plan.clone(),
                &mut self.profile.clone(),
                spec.id,
                &value,
            )
            .is_ok()
            {
                self.invalid.remove(&spec.id);
            }
        }
    }

    /// What a changed answer sets off: new lists, fields appearing, and the draft.
    fn after_change(&mut self, id: FieldId) -> Vec<Effect> {
        let mut fx = Vec::new();
        match id {
            FieldId::VpcId | FieldId::VpcMode => {
                if self.adopting_known_vpc() {
                    fx.extend(self.load(Loader::Subnets));
                } else {
                    // A half-typed ID: whatever was asked for an earlier one is stale.
                    self.subnets = Loadable::Idle;
                    self.tickets.forget(Slot::Subnets);
                }
                self.focus = self.focus.min(self.fields().len().saturating_sub(1));
            }
            FieldId::Region | FieldId::Profile => {
                // Lists belong to a region and an account: the old ones are stale.
                self.lists.retain(|s, _| *s == Source::Regions);
                for s in [Slot::List(Source::Azs), Slot::List(Source::Vpcs)] {
                    self.tickets.forget(s);
                }
            }
            FieldId::DomainEnabled | FieldId::BastionEnabled => {
                self.focus = self.focus.min(self.fields().len().saturating_sub(1));
            }
            _ => {}
        }
        fx.push(self.draft());
        fx
    }

    fn leave(&mut self, id: FieldId) {
        self.touched.insert(id);
        self.pick_refusal = None;
    }
}

fn who(s: &SubnetChoice) -> String {
    if s.name.is_empty() {
        format!("{} ({}, {})", s.id, s.cidr, s.az)
    } else {
        format!("{} {} ({}, {})", s.name, s.id, s.cidr, s.az)
    }
}

fn already_other(s: &SubnetChoice, public: bool) -> (String, String) {
    let (en, ko) = if public {
        ("private", "프라이빗")
    } else {
        ("public", "퍼블릭")
    };
    (
        format!(
            "{} is already picked as a {en} subnet; unpick it there first",
            who(s)
        ),
        format!(
            "{}: 이미 {ko} 서브넷으로 골랐습니다. 먼저 그쪽에서 선택을 해제하세요",
            who(s)
        ),
    )
}

/// Why a subnet cannot serve this tier (en, ko), from the route its table has.
pub fn wrong_tier(s: &SubnetChoice, public: bool) -> Option<(String, String)> {
    let (w, rt) = (who(s), s.table.as_str());
    match (public, &s.tier) {
        (true, Tier::Public) | (false, Tier::PrivateNat) => None,
        (true, Tier::PrivateNat) => Some((
            format!(
                "{w} is private: its route table {rt} sends 0.0.0.0/0 to {}, not to an \
                 Internet gateway, so a load balancer there could not be reached from the \
                 internet. Pick a public subnet",
                s.via
            ),
            format!(
                "{w}: 프라이빗 서브넷입니다. 라우팅 테이블 {} 0.0.0.0/0을 인터넷 게이트웨이가 \
                 아닌 {} 보내므로, 그곳의 로드 밸런서에 인터넷에서 접근할 수 없습니다. 퍼블릭 \
                 서브넷을 고르세요",
                korean::with(rt, Josa::IGa),
                korean::with(&s.via, Josa::EuroRo)
            ),
        )),
        (true, Tier::Isolated) => Some((
            format!(
                "{w} is private: its route table {rt} has no 0.0.0.0/0 route to an Internet \
                 gateway, so a load balancer there could not be reached from the internet. \
                 Pick a public subnet"
            ),
            format!(
                "{w}: 프라이빗 서브넷입니다. 라우팅 테이블 {rt}에 인터넷 게이트웨이로 가는 0.0.0.0/0 \
                 경로가 없어, 그곳의 로드 밸런서에 인터넷에서 접근할 수 없습니다. 퍼블릭 서브넷을 \
                 고르세요"
            ),
        )),
        (false, Tier::Public) => Some((
            format!(
                "{w} is public: its route table {rt} sends 0.0.0.0/0 to the Internet gateway \
                 {}, so the app servers and the database there would face the internet. Pick a \
                 private subnet (one that routes through a NAT gateway)",
                s.via
            ),
            format!(
                "{w}: 퍼블릭 서브넷입니다. 라우팅 테이블 {} 0.0.0.0/0을 인터넷 게이트웨이 \
                 {} 보내므로, 그곳의 앱 서버와 데이터베이스가 인터넷에 노출됩니다. NAT \
                 게이트웨이를 거치는 프라이빗 서브넷을 고르세요",
                korean::with(rt, Josa::IGa),
                korean::with(&s.via, Josa::EuroRo)
            ),
        )),
        // Private without a NAT route: allowed (the plan's checks warn what it costs).
        (false, Tier::Isolated) => None,
    }
}

fn byte_index(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(i, _)| i)
}
