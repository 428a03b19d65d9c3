//! What a run would do and how it ended, as lines: `hawiz plan`, `hawiz apply` and plain
//! mode's review and build.

use crate::i18n::Lang;
use crate::i18n::korean::{self, Josa};
use crate::i18n::text::pad;
use crate::ops::{self, Action, ApplyReport, Changeset, Failure};
use std::path::Path;

/// `3 to create, 1 to change, 40 unchanged`: the counts that are not zero.
pub fn counts(cs: &Changeset, unchanged: usize) -> String {
    counts_in(cs, unchanged, Lang::En)
}

fn counts_in(cs: &Changeset, unchanged: usize, lang: Lang) -> String {
    let parts: Vec<String> = [
        (cs.count(Action::Create), "to create", "생성 예정"),
        (cs.count(Action::Update), "to change", "변경 예정"),
        (cs.count(Action::Replace), "to replace", "교체 예정"),
        (cs.count(Action::Delete), "to delete", "삭제 예정"),
        (unchanged, "unchanged", "변경 없음"),
        (
            cs.count(Action::Yours),
            "yours (used as is)",
            "기존 리소스 사용",
        ),
    ]
    .into_iter()
    .filter(|(n, _, _)| *n > 0)
    .map(|(n, en, ko)| match lang {
        Lang::En => format!("{n} {en}"),
        Lang::Ko => format!("{ko} {n}개"),
    })
    .collect();
    if parts.is_empty() {
        lang.pick("Nothing in the plan", "계획에 아무것도 없음")
            .into()
    } else {
        parts.join(", ")
    }
}

/// The changeset as `hawiz plan` and `hawiz apply` print it: one line per resource that
/// changes (`+`, `~`, `-/+`, `-`), a count of the unchanged, and the cost change.
pub fn print_changes(cs: &Changeset) {
    print_changes_in(cs, Lang::En);
}

/// The changeset in `lang` (plain mode asks in the user's language).
pub fn print_changes_in(cs: &Changeset, lang: Lang) {
    for note in &cs.notes {
        println!("{}", note.pick(lang));
    }
    if !cs.warnings.is_empty() {
        let mut s = lang.pick("warning:", "경고:").to_string();
        for f in &cs.warnings {
            s.push_str(&format!("\n  - {}", f.text(lang)));
        }
        eprintln!("{s}");
    }
    let mut unchanged = 0;
    for item in &cs.items {
        match item.action {
            Action::Keep => unchanged += 1,
            Action::Yours => println!(
                "  =   {} {:<30} {}",
                pad(lang.kind(item.kind), 17),
                item.name,
                lang.pick("yours, used as is", "기존 리소스, 그대로 사용")
            ),
            action => println!(
                "  {:<3} {} {:<30} {}",
                action.symbol(),
                pad(lang.kind(item.kind), 17),
                item.name,
                item.detail()
            ),
        }
    }
    println!("{}.", counts_in(cs, unchanged, lang));
    if let Some((before, after)) = cs.cost {
        let line = match (before, lang) {
            (Some(b), Lang::En) if (b - after).abs() >= 0.01 => format!(
                "Estimated cost: ${b:.2} → ${after:.2} per month ({}{:.2}).",
                if after >= b { "+$" } else { "-$" },
                (after - b).abs()
            ),
            (Some(b), Lang::Ko) if (b - after).abs() >= 0.01 => format!(
                "예상 비용: 월 ${b:.2} → ${after:.2} ({}{:.2}).",
                if after >= b { "+$" } else { "-$" },
                (after - b).abs()
            ),
            // The whole stack's bill, which this plan leaves as it was, even where parts
            // of it are still to be made (a bare "unchanged" beside "46 to create" misled).
            (Some(b), Lang::En) => format!(
                "Estimated cost of the whole stack: ${b:.2} per month (this plan does not \
                 change it)."
            ),
            (Some(b), Lang::Ko) => {
                format!("스택 전체 예상 비용: 월 ${b:.2} (이 계획으로 바뀌지 않음).")
            }
            (None, Lang::En) => format!("Estimated cost: ${after:.2} per month."),
            (None, Lang::Ko) => format!("예상 비용: 월 ${after:.2}."),
        };
        println!("{line}");
    }
}

/// How an apply ended, as `hawiz apply` and plain mode print it, in `lang`: what was made
/// and where the site is, or what failed with the advice and the command that finishes it
/// (the failure's message stays English, as errors do).
pub fn applied_in(
    report: &ApplyReport,
    stack: &str,
    plan_file: &Path,
    lang: Lang,
) -> Result<(), Failure> {
    let o = &report.outcome;
    if report.is_complete() {
        let mut done = match lang {
            Lang::En => format!(
                "Stack {stack:?} is ready: {} created, {} already there",
                o.created, o.existing
            ),
            Lang::Ko => format!(
                "스택 {stack:?} 준비 완료: {}개 생성, {}개 이미 있음",
                o.created, o.existing
            ),
        };
        let waiting = |key: &String| report.deferred.contains(key);
        let now = o.updated.keys().filter(|k| !waiting(k)).count();
        let later = o.updated.len() - now;
        // Each count that is not zero, after the sentence so far.
        for (n, en, ko) in [
            (now, "changed", " 변경"),
            (
                later,
                "to change in its next maintenance window",
                "는 다음 유지 관리 기간에 변경",
            ),
            (report.replaced, "replaced", " 교체"),
            (
                report.removed,
                "removed (left the plan)",
                " 제거 (계획에서 빠짐)",
            ),
        ] {
            if n > 0 {
                done.push_str(&match lang {
                    Lang::En => format!(", {n} {en}"),
                    Lang::Ko => format!(", {n}개{ko}"),
                });
            }
        }
        println!("{done}.");
        for (key, what) in &o.updated {
            let what = what.join("; ");
            match (waiting(key), lang) {
                (true, Lang::En) => println!(
                    "  to change {key} in its next maintenance window (`--db-now`: at once): {what}"
                ),
                (true, Lang::Ko) => println!(
                    "  다음 유지 관리 기간에 {} 변경합니다 (`--db-now`: 바로): {what}",
                    korean::with(key, Josa::EulReul)
                ),
                (false, Lang::En) => println!("  changed {key}: {what}"),
                (false, Lang::Ko) => println!(
                    "  {} 변경했습니다: {what}",
                    korean::with(key, Josa::EulReul)
                ),
            }
        }
        ops::summary::print(&report.summary, lang);
        return Ok(());
    }
    let mut msg = format!(
        "stack {stack:?} is not complete ({} created, {} already there):",
        o.created, o.existing
    );
    for (key, why) in &report.problems {
        msg.push_str(&format!("\n  - {key} failed: {why}"));
        if let Some(a) = ops::advice::of(why) {
            msg.push_str(&format!("\n    {}", a.en));
        }
    }
    if !report.blocked.is_empty() {
        msg.push_str(&format!(
            "\n  - not started because of those: {}",
            report.blocked.join(", ")
        ));
    }
    msg.push_str(&format!(
        "\nEverything else is in place and recorded; fix the cause and run `hawiz apply {}` again to finish.",
        plan_file.display()
    ));
    Err(Failure::failed(msg))
}
