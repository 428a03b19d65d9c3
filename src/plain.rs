//! `hawiz --plain`: the same steps, questions, defaults, checks and explanations as the
//! full-screen wizard, as line prompts (inquire) — for screen readers, simple terminals
//! and logs. Builds with one progress line per event.

use crate::commands::{Env, Failure};
use crate::i18n::Lang;
use crate::plan::Plan;
use crate::tui::settings::Settings;
use crate::wizard::fields::{self, Kind, Spec};
use crate::wizard::{self, REVIEW};
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

/// Ask one question until the answer holds (or the user cancels).
fn ask(plan: &mut Plan, profile: &mut String, spec: &Spec, lang: Lang) -> Result<(), Failure> {
    loop {
        let current = fields::get(plan, profile, spec.id);
        let answer = match &spec.kind {
            Kind::Text(_) => inquire::Text::new(spec.label(lang))
                .with_default(&current)
                .prompt(),
            Kind::Choice(options) => {
                let labels: Vec<&str> = options
                    .iter()
                    .map(|(_, en, ko)| lang.pick(en, ko))
                    .collect();
                let start = options
                    .iter()
                    .position(|(v, _, _)| *v == current)
                    .unwrap_or(0);
                inquire::Select::new(spec.label(lang), labels.clone())
                    .with_starting_cursor(start)
                    .prompt()
                    .map(|picked| {
                        options[labels.iter().position(|l| *l == picked).unwrap_or(0)]
                            .0
                            .to_string()
                    })
            }
            Kind::Toggle => inquire::Confirm::new(spec.label(lang))
                .with_default(current == "true")
                .prompt()
                .map(|yes| yes.to_string()),
        }
        .map_err(|e| cancelled(e, lang))?;
        if let Err(bad) = fields::set(plan, profile, spec.id, &answer) {
            println!("  ✗ {}", bad.text(lang));
            continue;
        }
        let report = wizard::check(plan);
        let (errors, warnings) = wizard::at_field(&report, spec);
        for w in &warnings {
            println!("  ⚠ {}", w.text(lang));
        }
        if errors.is_empty() {
            return Ok(());
        }
        for e in &errors {
            println!("  ✗ {}", e.text(lang));
        }
    }
}

fn explain(step: usize, lang: Lang) {
    println!();
    for line in wizard::explanation(step, lang).lines() {
        match line.strip_prefix("# ") {
            Some(title) => println!("== {step}. {title} =="),
            None => println!("{line}"),
        }
    }
    println!();
}

pub async fn run(env: &Env, home: &Path) -> Result<(), Failure> {
    let lang = Settings::load(home).lang;
    let mut plan = Plan::default();
    plan.resolve(crate::aws::configured_region().await.as_deref());
    let mut profile = std::env::var("AWS_PROFILE").unwrap_or_else(|_| "default".into());
    let mut env = env.clone();

    for step in 0..REVIEW {
        explain(step, lang);
        // Visibility depends on earlier answers in the same step (new/existing VPC...).
        let mut asked = Vec::new();
        while let Some(spec) = wizard::visible_fields(&plan, step)
            .into_iter()
            .find(|s| !asked.contains(&s.id))
        {
            asked.push(spec.id);
            ask(&mut plan, &mut profile, &spec, lang)?;
        }
        if step == 0 {
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
                println!("  {:>8.2}  {}", l.monthly, l.item);
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
    // Plans made in the sandbox stay with the sandbox.
    let plans_home = if env.target.sandbox {
        crate::sandbox::dir(home)
    } else {
        home.to_path_buf()
    };
    let path = crate::tui::save_plan(&plans_home, &plan).map_err(|e| {
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

    let go = inquire::Confirm::new(lang.pick("Build it now?", "지금 구축할까요?"))
        .with_default(false)
        .prompt()
        .map_err(|e| cancelled(e, lang))?;
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
    crate::commands::apply::run(&env, &path, flags).await
}
