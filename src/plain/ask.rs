//! Plain mode's questions: one field at a time (a rejected answer is never written into
//! the plan), yes / no / back as a list in the user's language, and each step's
//! explanation wrapped to the terminal.

use crate::i18n::Lang;
use crate::ops::Failure;
use crate::plan::Plan;
use crate::wizard;
use crate::wizard::fields::{self, Kind, Spec};
use inquire::InquireError;

pub(super) fn cancelled(e: InquireError, lang: Lang) -> Failure {
    match e {
        InquireError::OperationCanceled | InquireError::OperationInterrupted => Failure::interrupted(lang.pick("cancelled; nothing was created", "취소했습니다. 아무것도 만들지 않았습니다")),
        InquireError::NotTTY => Failure::invalid(lang.pick(
            "plain mode asks questions and needs a terminal; without one, use `hawiz apply PLAN.toml`",
            "plain 모드는 질문을 하므로 터미널이 필요합니다. 터미널이 없으면 `hawiz apply PLAN.toml`을 쓰세요",
        )),
        other => Failure::failed(other.to_string()),
    }
}

/// What the user did at a question.
pub(super) enum Answered {
    Next,
    Back,
}

/// The typed word that goes back to the previous question.
pub(super) const BACK: &str = "<";

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
pub(super) fn select_help(lang: Lang) -> &'static str {
    lang.pick(
        "↑↓ to move, Enter to select, type to filter",
        "↑↓ 이동, Enter 선택, 입력하면 목록을 좁힙니다",
    )
}

pub(super) fn yes_no(
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
pub(super) fn ask(
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

/// The width plain mode wraps at: the terminal's, within 20..=100 columns; 80 when it
/// reports none (a pty without a size, a CI log).
pub(super) fn width(reported: Option<(u16, u16)>) -> usize {
    match reported {
        Some((w, _)) if w > 0 => usize::from(w).clamp(20, 100),
        _ => 80,
    }
}

pub(super) fn explain(step: usize, lang: Lang) {
    // Wrapped at word boundaries to the terminal (the terminal itself would cut words).
    let width = width(crossterm::terminal::size().ok());
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

#[cfg(test)]
mod tests {
    /// A terminal that reports no width (a pty without a size, a CI log) gets 80 columns,
    /// not the narrowest wrap.
    #[test]
    fn no_reported_width_wraps_at_80() {
        assert_eq!(super::width(None), 80);
        assert_eq!(super::width(Some((0, 0))), 80);
        assert_eq!(super::width(Some((12, 5))), 20);
        assert_eq!(super::width(Some((120, 40))), 100);
        assert_eq!(super::width(Some((90, 40))), 90);
    }
}
