//! `hawiz --plain`: the same steps, questions, defaults, checks and explanations as the
//! full-screen wizard, as line prompts (inquire) — for screen readers, simple terminals
//! and logs. A saved stack's name offers its own answers; the review is the run layer's
//! (`ops::changes`: the same checks as `hawiz plan`, the diff, the cost change) and asks
//! its question, as `hawiz apply` does; a refusal goes back to the question that causes
//! it. Builds with one progress line per event.

mod ask;
mod check;
mod early;
mod review;

use crate::i18n::Lang;
use crate::i18n::korean::{self, Josa};
use crate::ops::{Env, Failure};
use crate::plan::Plan;
use crate::wizard::fields::{FieldId, Kind, Source, Spec};
use crate::wizard::{self, REVIEW, draft};
use ask::{Answered, cancelled, explain, yes_no};
use std::collections::HashMap;
use std::path::Path;

/// The command that offers the saved answers again.
pub fn resume_command(sandbox: bool) -> &'static str {
    if sandbox {
        "hawiz --sandbox --plain"
    } else {
        "hawiz --plain"
    }
}

/// Plain mode's answers so far and where they stand.
struct Session<'a> {
    env: Env,
    home: &'a Path,
    lang: Lang,
    sandbox: bool,
    plan: Plan,
    profile: String,
    /// The saved stack these answers are for (its name is then not a collision).
    continuing: Option<String>,
    /// Whether any answer was taken (and so saved as a draft).
    answered: bool,
    connected: bool,
    /// "Check an existing setup" was offered (once, leaving the first step).
    offered_check: bool,
    /// Lists read from AWS for the fields that have one, per region and profile.
    lists: HashMap<(Source, String, String), Vec<String>>,
    /// Build while answering (`early`).
    building: early::Building,
    /// The review was reached (answers back from it are not offered a build while
    /// answering).
    reviewed: bool,
}

pub async fn run(env: &Env, home: &Path) -> Result<(), Failure> {
    let lang = env.lang;
    let sandbox = env.target.sandbox;
    let mut plan = Plan::default();
    plan.resolve(crate::aws::configured_region().await.as_deref());
    let mut s = Session {
        env: env.clone(),
        home,
        lang,
        sandbox,
        plan,
        profile: std::env::var("AWS_PROFILE").unwrap_or_else(|_| "default".into()),
        continuing: None,
        answered: false,
        connected: false,
        offered_check: false,
        lists: HashMap::new(),
        building: early::Building::default(),
        reviewed: false,
    };

    // Answers left by an interrupted run are offered again.
    if let Some(d) = draft::load(home, sandbox) {
        let question = lang
            .pick(
                &format!(
                    "Continue the answers saved {} (stack {}, at step {})?",
                    d.saved, d.plan.stack.name, d.step
                ),
                &format!(
                    "{}에 저장한 답(스택 {}, {}단계)을 이어서 할까요?",
                    d.saved, d.plan.stack.name, d.step
                ),
            )
            .to_string();
        if yes_no(&question, true, false, lang)
            .map_err(|e| cancelled(e, lang))?
            .unwrap_or(true)
        {
            s.plan = d.plan;
            s.profile = d.profile;
            s.answered = true;
        } else {
            draft::clear(home, sandbox);
        }
    }

    // One question at a time over every step, so `<` can go back across steps; the review
    // may send the user back to a question.
    let mut at = 0usize;
    loop {
        s.questions(&mut at).await?;
        match review::review(&mut s).await? {
            review::Ended::Done => return Ok(()),
            review::Ended::Back(field) => at = s.index_of(&field),
            review::Ended::Again => {}
        }
    }
}

impl Session<'_> {
    fn all_questions(&self) -> Vec<Spec> {
        (0..REVIEW)
            .flat_map(|step| wizard::visible_fields(&self.plan, step))
            .collect()
    }

    /// The question a plan field is asked at (the last one when none owns it).
    fn index_of(&self, field: &str) -> usize {
        let questions = self.all_questions();
        questions
            .iter()
            .position(|q| crate::wizard::fields::owns(q.paths, field))
            .unwrap_or(questions.len().saturating_sub(1))
    }

    /// Ask from question `at` to the last.
    async fn questions(&mut self, at: &mut usize) -> Result<(), Failure> {
        let mut explained: Option<usize> = None;
        loop {
            let questions = self.all_questions();
            let Some(spec) = questions.get(*at).cloned() else {
                return Ok(());
            };
            // Leaving step 0 forward: sign in and show who we are.
            if spec.step > 0 && !self.connected {
                self.connected = true;
                self.env.target.profile = Some(self.profile.clone());
                match crate::ops::connect(&self.env, self.plan.region()).await {
                    Ok(crate::ops::Session { who, .. }) => {
                        println!(
                            "{} {} ({})",
                            self.lang.pick("AWS account:", "AWS 계정:"),
                            who.account,
                            who.arn
                        );
                        // A new setup may start from a VPC built by hand.
                        let fresh = self.continuing.is_none() && !self.plan.network.adopts_vpc();
                        if fresh && !self.offered_check {
                            self.offered_check = true;
                            check::offer(self).await?;
                        }
                    }
                    Err(f) => println!("⚠ {}", f.message),
                }
            }
            if explained.is_none_or(|s| s < spec.step) {
                // A step left forward: what a build while answering does about it.
                if explained.is_some() {
                    early::confirmed(self, spec.step - 1)?;
                }
                explain(spec.step, self.lang);
                self.building.say(self.lang);
                explained = Some(spec.step);
            }
            let known = self.known(&spec).await;
            let result = ask::ask(
                &mut self.plan,
                &mut self.profile,
                &spec,
                &known,
                *at > 0,
                self.lang,
            );
            match result {
                Ok(answered) => {
                    // Only a taken answer is saved: Ctrl-C at the first question leaves no
                    // draft of pure defaults.
                    self.answered = true;
                    self.save_draft(spec.step);
                    match answered {
                        Answered::Next if spec.id == FieldId::StackName => {
                            if self.same_name().await? {
                                *at += 1;
                            }
                        }
                        Answered::Next => *at += 1,
                        Answered::Back => {
                            *at = at.saturating_sub(1);
                            if questions.get(*at).is_some_and(|q| q.step == 0) {
                                self.connected = false;
                            }
                        }
                    }
                }
                Err(f) => return Err(self.interrupted(f)),
            }
        }
    }

    /// A list read from AWS for this field, once per region and profile. Unreadable (no
    /// permission, an emulator without the catalogue): nothing is refused at the field,
    /// the review's checks still run.
    async fn known(&mut self, spec: &Spec) -> Vec<String> {
        let Kind::Text(Some(source)) = &spec.kind else {
            return Vec::new();
        };
        if !self.connected {
            return Vec::new();
        }
        let key = (
            *source,
            self.plan.region().to_string(),
            self.profile.clone(),
        );
        if !self.lists.contains_key(&key) {
            let clients = crate::aws::Clients::new(self.plan.region(), &self.env.target).await;
            let read = crate::ops::lists::list(&clients, *source, &self.plan.network.vpc_id)
                .await
                .map(|l| l.into_iter().map(|(value, _)| value).collect())
                .unwrap_or_default();
            self.lists.insert(key.clone(), read);
        }
        self.lists.get(&key).cloned().unwrap_or_default()
    }

    fn save_draft(&self, step: usize) {
        let _ = draft::save(
            self.home,
            self.sandbox,
            &draft::Draft::new(self.plan.clone(), step, &self.profile, None),
        );
    }

    /// The stack name names a saved stack: say so, and offer its own answers. `Ok(false)`
    /// asks for the name again.
    async fn same_name(&mut self) -> Result<bool, Failure> {
        let name = self.plan.stack.name.trim().to_string();
        if self.continuing.as_deref() == Some(name.as_str()) {
            return Ok(true);
        }
        // This machine's, else one the account keeps (built elsewhere): its plan record.
        let (saved, kept) = match crate::ops::stacks::saved_one(&self.env.stacks_dir, &name) {
            Ok(saved) => (saved, None),
            Err(_) => {
                // With the profile just chosen; bounded, since a machine without
                // credentials yet may take a while to find that out (and then there is
                // no account stack to offer).
                let mut target = self.env.target.clone();
                target.profile = Some(self.profile.clone());
                let look = async {
                    let clients = crate::aws::Clients::new(self.plan.region(), &target).await;
                    crate::ops::account::read_plan(&clients, &name).await
                };
                match tokio::time::timeout(std::time::Duration::from_secs(10), look).await {
                    Ok(Ok(Some(plan))) => (
                        crate::ops::stacks::SavedStack::in_account(&name, plan.region()),
                        Some(plan),
                    ),
                    _ => return Ok(true),
                }
            }
        };
        let lang = self.lang;
        println!("{}", saved.same_name().pick(lang));
        let options = [
            lang.pick(
                "continue it with its own answers",
                "저장된 답으로 이어서 하기",
            ),
            lang.pick(
                "keep my answers for it (the review shows what they change)",
                "이 답을 그 스택에 적용 (검토에서 바뀌는 점을 보여 줍니다)",
            ),
            lang.pick("choose another name", "다른 이름 고르기"),
        ];
        let picked = inquire::Select::new(
            lang.pick(
                &format!("Stack {name} exists. What now?"),
                &format!(
                    "스택 {name}{} 있습니다. 어떻게 할까요?",
                    korean::particle(&name, Josa::IGa)
                ),
            ),
            options.to_vec(),
        )
        .with_help_message(ask::select_help(lang))
        .prompt()
        .map_err(|e| self.interrupted(cancelled(e, lang)))?;
        match options.iter().position(|o| *o == picked) {
            Some(0) => {
                self.plan = match kept {
                    Some(plan) => plan,
                    None => {
                        crate::state::Store::open(&self.env.stacks_dir, &name)
                            .map_err(|e| Failure::failed(e.to_string()))?
                            .snapshot()
                            .plan
                    }
                };
                self.continuing = Some(name);
                println!(
                    "{}",
                    lang.pick(
                        "Its answers are the defaults now: Enter keeps each one.",
                        "이제 그 스택의 답이 기본값입니다. Enter를 누르면 그대로 둡니다.",
                    )
                );
                self.save_draft(0);
                Ok(true)
            }
            Some(1) => {
                self.continuing = Some(name);
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    /// What Ctrl-C or Esc at a question says: the answers are saved when there were any.
    fn interrupted(&self, mut f: Failure) -> Failure {
        if f.code != 130 {
            return f;
        }
        let command = resume_command(self.sandbox);
        if let Some(left) = self.building.left(self.lang) {
            f.message = self
                .lang
                .pick(
                    &format!(
                        "interrupted; {left}. Your answers are saved: `{command}` offers them again"
                    ),
                    &format!(
                        "중단했습니다. {left}. 답은 저장했습니다: `{command}`{} 다시 보여 줍니다",
                        korean::particle(command, Josa::IGa)
                    ),
                )
                .to_string();
            return f;
        }
        f.message = if self.answered {
            self.lang
                .pick(
                    &format!(
                        "interrupted; nothing was created. Your answers are saved: `{command}` \
                         offers them again"
                    ),
                    &format!(
                        "중단했습니다. 아무것도 만들지 않았습니다. 답은 저장했습니다: `{command}`{} \
                         다시 보여 줍니다",
                        korean::particle(command, Josa::IGa)
                    ),
                )
                .to_string()
        } else {
            self.lang
                .pick(
                    "interrupted; nothing was created",
                    "중단했습니다. 아무것도 만들지 않았습니다",
                )
                .to_string()
        };
        f
    }
}
