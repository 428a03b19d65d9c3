//! Plain mode's build while answering: the run layer's question (`ops::early`), asked once
//! as the answers leave the network step of a new stack, as the full-screen wizard asks
//! it. On a yes each step left forward joins the next run; a line under each step's
//! explanation says what is built; the review waits for the run under way. What the runs
//! report is read in the background: nothing is printed between the prompts.

use super::Session;
use crate::i18n::Lang;
use crate::ops::early::{self, Early};
use crate::ops::{self, Failure};
use crate::progress::ask::{self as asking, Asking};
use crate::progress::early::EarlyProgress;
use std::sync::{Arc, Mutex};

/// The session's side of it.
#[derive(Default)]
pub(super) struct Building {
    /// The question was asked (it is asked once).
    asked: bool,
    /// Under way (taken by the review, which waits for its run).
    early: Option<Early>,
    /// The stack it builds.
    stack: Option<String>,
    progress: Arc<Mutex<EarlyProgress>>,
}

impl Building {
    fn progress(&self) -> EarlyProgress {
        self.progress
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The line under a step's explanation, once anything was started.
    pub(super) fn say(&self, lang: Lang) {
        let p = self.progress();
        if let Some(line) = p.stop_line(lang).or_else(|| p.summary(lang)) {
            println!("{line}");
        }
    }

    /// What an interrupted session says of what it made: it stays, and how to delete it.
    pub(super) fn left(&self, lang: Lang) -> Option<String> {
        let stack = self.stack.as_deref()?;
        self.progress().made_any().then(|| {
            lang.pick(
                &format!("part of stack {stack} was built while you answered and stays (`hawiz destroy {stack}` deletes it)"),
                &format!("답하는 동안 스택 {stack}의 일부를 만들었고 그대로 남아 있습니다 (`hawiz destroy {stack}`로 지웁니다)"),
            )
            .to_string()
        })
    }

    /// The review takes over: wait for the run under way (it holds the stack's lock).
    pub(super) async fn settle(&mut self, lang: Lang) {
        let Some(e) = self.early.take() else {
            return;
        };
        if self.progress().running {
            println!(
                "{}",
                lang.pick(
                    "Waiting for the part being built to finish…",
                    "만드는 중인 부분이 끝나기를 기다리는 중…"
                )
            );
        }
        e.settle().await;
        self.say(lang);
    }
}

/// Step `step` was answered and left forward.
pub(super) fn confirmed(s: &mut Session<'_>, step: usize) -> Result<(), Failure> {
    let mut plan = s.plan.clone();
    plan.resolve(None);
    if early::offered(step, s.building.asked, s.continuing.is_none(), !s.reviewed) {
        s.building.asked = true;
        return offer(s, plan);
    }
    let stopped = s.building.progress().stopped.is_some();
    if let Some(e) = &s.building.early
        && step <= early::LAST_JOINING
        && !stopped
        && s.building.stack.as_deref() == Some(plan.stack.name.as_str())
    {
        e.confirm(plan, step);
    }
    Ok(())
}

fn offer(s: &mut Session<'_>, plan: crate::plan::Plan) -> Result<(), Failure> {
    let lang = s.lang;
    let question = early::question(&plan);
    let how = Asking {
        yes: false,
        flags: Default::default(),
        ask_required: true,
        lang,
    };
    match asking::answer(&question, &how, &mut |q, d| {
        super::review::yes_no(q, d, lang)
    }) {
        Ok(_) => {}
        Err(f) if f.code == 130 => return Err(s.interrupted(f)),
        Err(_) => {
            println!("{}.", question.declined.pick(lang));
            return Ok(());
        }
    }
    let (stack, region) = (plan.stack.name.clone(), plan.region().to_string());
    let (handle, mut reports) = ops::early::start(&s.env, plan, early::OFFERED_AFTER);
    let progress = s.building.progress.clone();
    tokio::spawn(async move {
        while let Some(r) = reports.recv().await {
            progress
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .on_report(r, &stack, &region, std::time::Instant::now());
        }
    });
    s.building.stack = Some(s.plan.stack.name.clone());
    s.building.early = Some(handle);
    println!(
        "{}",
        lang.pick(
            "Building the network now; a line under each step says how far it got.",
            "지금 네트워크를 만듭니다. 각 단계 설명 아래에 어디까지 만들었는지 나옵니다."
        )
    );
    Ok(())
}
