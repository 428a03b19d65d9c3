//! `hawiz --plain`: the same steps, questions, defaults, checks and explanations as the
//! full-screen wizard, as line prompts (inquire) — for screen readers, simple terminals
//! and logs. Builds with one progress line per event.

use crate::i18n::Lang;
use crate::ops::{Env, Failure};
use crate::plan::Plan;
use crate::settings::Settings;
use crate::wizard::fields::{self, Kind, Source, Spec};
use crate::wizard::{self, REVIEW, draft};
use inquire::InquireError;
use std::path::Path;

fn cancelled(e: InquireError, lang: Lang) -> Failure {
    match e {
        InquireError::OperationCanceled | InquireError::OperationInterrupted => Failure {
            code: 130,
            message: lang.pick("cancelled; nothing was created", "취소했습니다. 아무것도 만들지 않았습니다").into(),
            findings: Vec::new(),
        },
        InquireError::NotTTY => Failure::invalid(lang.pick(
            "plain mode asks questions and needs a terminal; without one, use `hawiz apply PLAN.toml`",
            "plain 모드는 질문을 하므로 터미널이 필요합니다. 터미널이 없으면 `hawiz apply PLAN.toml`을 쓰세요",
        )),
        other => Failure::failed(other.to_string()),
    }
}

/// What the user did at a question.
enum Answered {
    Next,
    Back,
}

/// The typed word that goes back to the previous question.
const BACK: &str = "<";

/// Findings about other fields that this field's answer can cause first: a minimum above
/// the maximum makes every later "Desired" answer fail, so it is refused at the minimum.
fn cross_field(plan: &Plan, spec: &Spec, lang: Lang) -> Option<String> {
    let a = &plan.app;
    (spec.id == fields::FieldId::Min && a.min > a.max).then(|| {
        lang.pick(
            &format!(
                "Minimum instances ({}) is above Maximum instances ({}): Auto Scaling needs \
                 minimum ≤ desired ≤ maximum. Enter at most {} here; to allow more, raise \
                 Maximum instances (two questions on) first, then come back with {BACK}",
                a.min, a.max, a.max
            ),
            &format!(
                "최소 용량({})이 최대 용량({})보다 큽니다. Auto Scaling은 최소 ≤ 원하는 용량 ≤ 최대여야 \
                 합니다. 여기에는 {} 이하를 입력하세요. 더 크게 하려면 먼저 최대 용량(두 질문 뒤)을 \
                 늘린 다음 {BACK}로 돌아오세요",
                a.min, a.max, a.max
            ),
        )
        .to_string()
    })
}

/// Yes / no / back as a list, so a rejected answer never stays typed in the input.
/// inquire's own help for a list is English; this is the same in the user's language.
fn select_help(lang: Lang) -> &'static str {
    lang.pick(
        "↑↓ to move, Enter to select, type to filter",
        "↑↓ 이동, Enter 선택, 입력하면 목록을 좁힙니다",
    )
}

fn yes_no(
    label: &str,
    yes: bool,
    can_back: bool,
    lang: Lang,
) -> Result<Option<bool>, InquireError> {
    let mut options = vec![lang.pick("yes", "예"), lang.pick("no", "아니요")];
    if can_back {
        options.push(lang.pick("← back to the previous question", "← 이전 질문으로"));
    }
    let picked = inquire::Select::new(label, options.clone())
        .with_starting_cursor(if yes { 0 } else { 1 })
        .with_help_message(select_help(lang))
        .prompt()?;
    Ok(match options.iter().position(|o| *o == picked) {
        Some(0) => Some(true),
        Some(1) => Some(false),
        _ => None,
    })
}

/// Ask one question until the answer holds, the user goes back, or cancels. A rejected
/// answer is never written into the plan, so the default stays what it was.
fn ask(
    plan: &mut Plan,
    profile: &mut String,
    spec: &Spec,
    known: &[String],
    can_back: bool,
    lang: Lang,
) -> Result<Answered, Failure> {
    let back_label = lang.pick("← back to the previous question", "← 이전 질문으로");
    let mut help = lang
        .pick(
            "Enter keeps the default; < goes back to the previous question",
            "Enter는 기본값 유지, <는 이전 질문으로",
        )
        .to_string();
    // A short list read from AWS is shown as the choices (AZs, key pairs).
    if !known.is_empty() && known.len() <= 8 {
        help.push_str(lang.pick(
            &format!(" · from AWS: {}", known.join(", ")),
            &format!(" · AWS에 있는 것: {}", known.join(", ")),
        ));
    }
    let help = help.as_str();
    loop {
        let current = fields::get(plan, profile, spec.id);
        let answer = match &spec.kind {
            Kind::Text(_) => inquire::Text::new(spec.label(lang))
                .with_default(&current)
                .with_help_message(help)
                .prompt()
                .map(Some),
            Kind::Choice(options) => {
                let mut labels: Vec<&str> = options
                    .iter()
                    .map(|(_, en, ko)| lang.pick(en, ko))
                    .collect();
                if can_back {
                    labels.push(back_label);
                }
                let start = options
                    .iter()
                    .position(|(v, _, _)| *v == current)
                    .unwrap_or(0);
                inquire::Select::new(spec.label(lang), labels.clone())
                    .with_starting_cursor(start)
                    .with_help_message(select_help(lang))
                    .prompt()
                    .map(|picked| {
                        labels
                            .iter()
                            .position(|l| *l == picked)
                            .and_then(|i| options.get(i))
                            .map(|o| o.0.to_string())
                    })
            }
            Kind::Toggle => yes_no(spec.label(lang), current == "true", can_back, lang)
                .map(|a| a.map(|yes| yes.to_string())),
        }
        .map_err(|e| cancelled(e, lang))?;
        let Some(answer) = answer else {
            return Ok(Answered::Back);
        };
        if answer.trim() == BACK && can_back {
            return Ok(Answered::Back);
        }
        // Try the answer on a copy: only an accepted one is kept.
        let mut tried = plan.clone();
        let mut tried_profile = profile.clone();
        if let Err(bad) = fields::set(&mut tried, &mut tried_profile, spec.id, &answer) {
            println!("  ✗ {}", bad.text(lang));
            continue;
        }
        // What AWS does not have (an AZ of another region, a key pair that does not
        // exist, an instance type not offered here) is refused here, as in the wizard.
        if let Some(bad) = fields::not_in_set(&tried, spec.id, &answer, known) {
            println!("  ✗ {}", bad.text(lang));
            continue;
        }
        let report = wizard::check(&tried);
        let (errors, warnings) = wizard::at_field(&report, spec);
        let cross = cross_field(&tried, spec, lang);
        if errors.is_empty() && cross.is_none() {
            for w in &warnings {
                println!("  ⚠ {}", w.text(lang));
            }
            *plan = tried;
            *profile = tried_profile;
            return Ok(Answered::Next);
        }
        for e in &errors {
            println!("  ✗ {}", e.text(lang));
        }
        if let Some(c) = cross {
            println!("  ✗ {c}");
        }
    }
}

/// The command that offers the saved answers again.
pub fn resume_command(sandbox: bool) -> &'static str {
    if sandbox {
        "hawiz --sandbox --plain"
    } else {
        "hawiz --plain"
    }
}

fn explain(step: usize, lang: Lang) {
    // Wrapped at word boundaries to the terminal (the terminal itself would cut words).
    let width = crossterm::terminal::size().map_or(80, |(w, _)| usize::from(w).clamp(20, 100));
    println!();
    for line in wizard::explanation(step, lang).lines() {
        match line.strip_prefix("# ") {
            Some(title) => println!("== {step}. {title} =="),
            None if line.trim().is_empty() => println!(),
            None => {
                for part in crate::i18n::text::wrap(line, width - 1) {
                    println!("{part}");
                }
            }
        }
    }
    println!();
}

pub async fn run(env: &Env, home: &Path) -> Result<(), Failure> {
    let lang = Settings::load(home).lang;
    let sandbox = env.target.sandbox;
    let mut plan = Plan::default();
    plan.resolve(crate::aws::configured_region().await.as_deref());
    let mut profile = std::env::var("AWS_PROFILE").unwrap_or_else(|_| "default".into());
    let mut env = env.clone();

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
            plan = d.plan;
            profile = d.profile;
        } else {
            draft::clear(home, sandbox);
        }
    }

    // One question at a time over every step, so `<` can go back across steps.
    let mut at = 0usize;
    let mut explained: Option<usize> = None;
    // Lists read from AWS for the fields that have one, per region and profile.
    let mut lists: std::collections::HashMap<(Source, String, String), Vec<String>> =
        std::collections::HashMap::new();
    let mut connected = false;
    loop {
        let questions: Vec<Spec> = (0..REVIEW)
            .flat_map(|step| wizard::visible_fields(&plan, step))
            .collect();
        let Some(spec) = questions.get(at).cloned() else {
            break;
        };
        // Leaving step 0 forward: sign in and show who we are.
        if spec.step > 0 && !connected {
            connected = true;
            env.target.profile = Some(profile.clone());
            match crate::ops::connect(&env, plan.region()).await {
                Ok(crate::ops::Session { who, .. }) => println!(
                    "{} {} ({})",
                    lang.pick("AWS account:", "AWS 계정:"),
                    who.account,
                    who.arn
                ),
                Err(f) => println!("⚠ {}", f.message),
            }
        }
        if explained.is_none_or(|s| s < spec.step) {
            explain(spec.step, lang);
            explained = Some(spec.step);
        }
        let known = match &spec.kind {
            Kind::Text(Some(source)) if connected => {
                let key = (*source, plan.region().to_string(), profile.clone());
                if !lists.contains_key(&key) {
                    let clients = crate::aws::Clients::new(plan.region(), &env.target).await;
                    // Unreadable (no permission, an emulator without the catalogue):
                    // nothing is refused at the field, the review's checks still run.
                    let read = crate::ops::lists::list(&clients, *source, &plan.network.vpc_id)
                        .await
                        .map(|l| l.into_iter().map(|(value, _)| value).collect())
                        .unwrap_or_default();
                    lists.insert(key.clone(), read);
                }
                lists.get(&key).cloned().unwrap_or_default()
            }
            _ => Vec::new(),
        };
        let result = ask(&mut plan, &mut profile, &spec, &known, at > 0, lang);
        let _ = draft::save(
            home,
            sandbox,
            &draft::Draft::new(plan.clone(), spec.step, &profile, None),
        );
        match result {
            Ok(Answered::Next) => at += 1,
            Ok(Answered::Back) => {
                at = at.saturating_sub(1);
                if questions.get(at).is_some_and(|q| q.step == 0) {
                    connected = false;
                }
            }
            Err(mut f) => {
                if f.code == 130 {
                    f.message = lang
                        .pick(
                            &format!(
                                "interrupted; nothing was created. Your answers are saved: `{}` \
                                 offers them again",
                                resume_command(sandbox)
                            ),
                            &format!(
                                "중단했습니다. 아무것도 만들지 않았습니다. 답은 저장했습니다: `{}`{} \
                                 다시 보여 줍니다",
                                resume_command(sandbox),
                                crate::i18n::korean::particle(
                                    resume_command(sandbox),
                                    crate::i18n::korean::Josa::IGa
                                )
                            ),
                        )
                        .to_string();
                }
                return Err(f);
            }
        }
    }

    explain(REVIEW, lang);
    plan.resolve(None);
    let graph = crate::blueprint::build(&plan, &env.stacks_dir)
        .map_err(|e| Failure::failed(e.to_string()))?;
    for n in graph.nodes() {
        let mark = if n.res.adopted() { "=" } else { "+" };
        println!("  {mark} {:<16} {}", n.res.kind(), n.res.name());
    }
    match crate::cost::estimate(&plan) {
        Ok(est) => {
            println!();
            for l in &est.lines {
                println!("  {:>8.2}  {}", l.monthly, l.item(lang));
            }
            println!(
                "  {:>8.2}  {} ({} {})",
                est.total,
                lang.pick("USD / month, estimate", "USD / 월, 추정"),
                est.priced_as,
                est.date
            );
        }
        Err(e) => println!("  {e}"),
    }
    let plans_home = crate::sandbox::plans_home(env.target.sandbox, home);
    let path = crate::ops::stacks::save_plan(&plans_home, &plan).map_err(|e| {
        Failure::failed(format!(
            "cannot save the plan under {}: {e}",
            home.display()
        ))
    })?;
    println!(
        "\n{} {}",
        lang.pick("Answers saved as", "답을 저장했습니다:"),
        path.display()
    );

    let go = yes_no(
        lang.pick("Build it now?", "지금 구축할까요?"),
        false,
        false,
        lang,
    )
    .map_err(|e| cancelled(e, lang))?
    .unwrap_or(false);
    if !go {
        println!(
            "{} `hawiz apply {}`",
            lang.pick(
                "Nothing was created. To build later:",
                "아무것도 만들지 않았습니다. 나중에 구축하려면:"
            ),
            path.display()
        );
        return Ok(());
    }
    let flags = crate::commands::apply::Flags {
        yes: true,
        db_now: false,
        replace_vpc: false,
        replace_database: false,
    };
    let built = crate::commands::apply::run(&env, &path, flags).await;
    if built.is_ok() {
        draft::clear(home, sandbox);
    }
    built
}
