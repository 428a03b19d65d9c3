//! Plain mode's review and build, as `hawiz apply` does them: the run layer's changes for
//! the answers (the same checks as `hawiz plan`, with the stack's lock), the diff and the
//! cost change, then the apply's own question. A refusal lists every message and offers
//! to go back to the question that causes it; a no changes nothing, and leaves an existing
//! stack's plan file as it was.

use super::Session;
use super::ask::{cancelled, explain, select_help};
use crate::i18n::Lang;
use crate::i18n::korean::{self, Josa};
use crate::ops::{self, ApplyOptions, Failure};
use crate::progress::ask::{self as asking, Asking};
use crate::progress::print::{applied_in, print_changes_in};
use crate::progress::{BuildState, Lines, RunKind};
use crate::wizard::{REVIEW, draft, fields};
use inquire::InquireError;

pub(super) enum Ended {
    Done,
    /// Back to the question of this plan field.
    Back(String),
    /// The review once more (AWS could not be read).
    Again,
}

/// A yes/no on the terminal in the user's language: Esc is no, Ctrl-C stops.
pub(super) fn yes_no(text: &str, default: bool, lang: Lang) -> Result<bool, Failure> {
    match super::ask::yes_no(text, default, false, lang) {
        Ok(answer) => Ok(answer.unwrap_or(false)),
        Err(InquireError::OperationCanceled) => Ok(false),
        Err(e) => Err(cancelled(e, lang)),
    }
}

pub(super) async fn review(s: &mut Session<'_>) -> Result<Ended, Failure> {
    let lang = s.lang;
    explain(REVIEW, lang);
    s.reviewed = true;
    // What was built while answering: its run under way ends first (it holds the lock).
    s.building.settle(lang).await;
    let mut plan = s.plan.clone();
    plan.resolve(None);
    s.env.target.profile = Some(s.profile.clone());
    let cs = match ops::changes(&s.env, plan, true).await {
        Ok(cs) => cs,
        Err(f) => return refused(s, f),
    };
    println!(
        "{} {:?} ({}) — {} {} ({})",
        lang.pick("Stack", "스택"),
        cs.plan.stack.name,
        cs.plan.region(),
        lang.pick("AWS account", "AWS 계정"),
        cs.session.who.account,
        cs.session.who.arn
    );
    print_changes_in(&cs, lang);
    let plans_home = crate::sandbox::plans_home(s.sandbox, s.home);
    let plan_file = ops::stacks::plan_file(&plans_home, &cs.plan.stack.name);
    let existed = cs.before.is_some();
    let save = |plan: &crate::plan::Plan| -> Result<(), Failure> {
        let path = ops::stacks::save_plan(&plans_home, plan).map_err(|e| {
            Failure::failed(format!(
                "cannot save the plan under {}: {e}",
                plans_home.display()
            ))
        })?;
        println!(
            "{} {}",
            lang.pick("Answers saved as", "답을 저장했습니다:"),
            path.display()
        );
        Ok(())
    };
    // A new stack's answers are saved now, to build later; an existing stack's plan file
    // holds what it was built with until a change is confirmed.
    if !existed {
        save(&cs.plan)?;
    }
    let how = Asking {
        yes: false,
        flags: Default::default(),
        ask_required: true,
        lang,
    };
    let question = cs.question();
    let answer = match asking::answer(&question, &how, &mut |q, d| yes_no(q, d, lang)) {
        Ok(a) => a,
        Err(f) if f.code == 130 => return Err(s.interrupted(f)),
        Err(f) => {
            for x in &f.findings {
                println!("  ✗ {}", x.text(lang));
            }
            let stack = &cs.plan.stack.name;
            let path = plan_file.display();
            println!(
                "{}",
                match (existed, lang) {
                    (true, Lang::En) => format!(
                        "Nothing was changed: stack {stack} and its plan file {path} are as they were."
                    ),
                    (true, Lang::Ko) => format!(
                        "아무것도 바꾸지 않았습니다. 스택 {} 계획 파일 {} 그대로입니다.",
                        korean::with(stack, Josa::GwaWa),
                        korean::with(&path.to_string(), Josa::EunNeun)
                    ),
                    (false, Lang::En) =>
                        format!("Nothing was created. To build later: `hawiz apply {path}`"),
                    (false, Lang::Ko) => format!(
                        "아무것도 만들지 않았습니다. 나중에 구축하려면: `hawiz apply {path}`"
                    ),
                }
            );
            return Ok(Ended::Done);
        }
    };
    if existed {
        save(&cs.plan)?;
    }
    let stack = cs.plan.stack.name.clone();
    let run = BuildState::new(
        &cs.graph,
        &stack,
        cs.plan.region(),
        RunKind::Build,
        std::time::Instant::now(),
    );
    let (mut events, work) = ops::apply(&s.env, cs, ApplyOptions::from(&answer));
    crate::progress::follow(&mut events, run, &Lines::new(lang)).await;
    let report = work
        .await
        .map_err(|e| Failure::failed(format!("internal error: {e}")))??;
    applied_in(&report, &stack, &plan_file, lang)?;
    draft::clear(s.home, s.sandbox);
    Ok(Ended::Done)
}

/// The run layer refused the answers (or could not read AWS): every message, then the way
/// back to the question that causes one, a second look, or leaving with the answers saved.
fn refused(s: &Session<'_>, f: Failure) -> Result<Ended, Failure> {
    let lang = s.lang;
    println!(
        "✗ {}",
        lang.pick(
            "The build cannot start; nothing was created:",
            "구축을 시작할 수 없습니다. 아무것도 만들지 않았습니다:"
        )
    );
    if f.findings.is_empty() {
        for l in f.message.lines() {
            println!("  {l}");
        }
    }
    let label = |field: &str| {
        fields::all()
            .into_iter()
            .find(|q| fields::owns(q.paths, field))
            .map(|q| q.label(lang))
    };
    // Each message at its question; one way back per question.
    let mut back: Vec<(String, String)> = Vec::new();
    for x in &f.findings {
        let at = label(&x.field);
        println!(
            "  ✗ {}{}",
            at.map(|l| format!("{l}: ")).unwrap_or_default(),
            x.text(lang)
        );
        let to = at.unwrap_or(lang.pick("the answers", "답"));
        let option = format!("{} {to}", lang.pick("← back to", "← 돌아가기:"));
        if !back.iter().any(|(o, _)| *o == option) {
            back.push((option, x.field.clone()));
        }
    }
    let again = lang.pick("check again", "다시 확인").to_string();
    let answers = lang
        .pick("← back to the answers", "← 답으로 돌아가기")
        .to_string();
    let leave = lang
        .pick(
            "leave (the answers are saved)",
            "나가기 (답은 저장되어 있습니다)",
        )
        .to_string();
    let mut options: Vec<String> = back.iter().map(|(o, _)| o.clone()).collect();
    if f.findings.is_empty() {
        options.push(again.clone());
        options.push(answers.clone());
    }
    options.push(leave);
    let picked = inquire::Select::new(lang.pick("What now?", "어떻게 할까요?"), options.clone())
        .with_help_message(select_help(lang))
        .prompt()
        .map_err(|e| s.interrupted(cancelled(e, lang)))?;
    if let Some((_, field)) = back.iter().find(|(o, _)| *o == picked) {
        return Ok(Ended::Back(field.clone()));
    }
    if picked == again {
        return Ok(Ended::Again);
    }
    if picked == answers {
        return Ok(Ended::Back(String::new()));
    }
    Err(f)
}
