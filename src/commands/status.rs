//! `hawiz status [STACK]`: saved stacks, or one stack as it is in AWS: present, missing,
//! drifted from the plan, left over from an earlier plan, or tagged and unaccounted for.

use super::{Env, Failure};
use crate::i18n::korean::{self, Josa};
use crate::i18n::{Lang, text::pad};
use crate::ops::{self, status::State};
use crate::state::Store;

pub async fn run(env: &Env, stack: Option<&str>) -> Result<(), Failure> {
    let Some(stack) = stack else {
        return list(env).await;
    };
    let lang = env.lang;
    let r = ops::status(env, stack).await?;
    match lang {
        Lang::En => println!(
            "Stack {:?} in {} (state: {})",
            r.stack, r.region, r.state_file
        ),
        Lang::Ko => println!(
            "스택 {:?}, 리전 {} (상태 파일: {})",
            r.stack, r.region, r.state_file
        ),
    }
    // The state word's column (the Korean words are wider: two columns a character).
    let word_cols = match lang {
        Lang::En => 8,
        Lang::Ko => 10,
    };
    for row in &r.rows {
        // Duplicates are listed below with the reason; the row names the one in use.
        let ids = match row.state {
            State::LeftThePlan => row.ids.join(", "),
            _ => row.ids.first().cloned().unwrap_or_default(),
        };
        let (word, detail) = match &row.state {
            State::Present => (lang.pick("present", "있음"), ids),
            State::Yours => (lang.pick("yours", "기존"), ids),
            State::Drifted(what) => (
                lang.pick("DRIFTED", "달라짐"),
                format!("{ids}: {}", what.join("; ")),
            ),
            State::Missing { was: Some(id) } => (
                lang.pick("missing", "없음"),
                match lang {
                    Lang::En => format!("{id} was recorded but is gone"),
                    Lang::Ko => format!(
                        "{} 기록되어 있지만 없어졌습니다",
                        korean::with(id, Josa::IGa)
                    ),
                },
            ),
            State::Missing { was: None } => (lang.pick("missing", "없음"), String::new()),
            State::LeftThePlan => (
                lang.pick("left", "계획 밖"),
                match lang {
                    Lang::En => format!("{ids} (no longer in the plan; apply removes it)"),
                    Lang::Ko => format!("{ids} (더 이상 계획에 없습니다. apply가 지웁니다)"),
                },
            ),
            State::Unknown(e) => (lang.pick("unknown", "확인 불가"), e.text.clone()),
        };
        println!(
            "  {} {} {:<30} {detail}",
            pad(word, word_cols),
            pad(lang.kind(row.kind), 17),
            row.name
        );
    }
    for x in &r.extras {
        println!(
            "  {} {} {:<30} {}",
            pad(lang.pick("EXTRA", "남는 것"), word_cols),
            pad(lang.kind(x.kind), 17),
            x.id,
            x.reason(&r.stack).pick(lang)
        );
    }
    if let Some(e) = &r.sweep {
        println!(
            "  {} {} {:<30} {}",
            pad(lang.pick("unknown", "확인 불가"), word_cols),
            pad("sweep", 17),
            "-",
            match lang {
                Lang::En => format!("could not sweep for leftovers: {e}"),
                Lang::Ko => format!("남은 리소스를 찾아보지 못했습니다: {e}"),
            }
        );
    }
    let (present, total) = r.present();
    let drifted = r.drifted();
    match (lang, drifted > 0) {
        (Lang::En, true) => println!(
            "{present} of {total} resources present; {drifted} drifted from the plan (the next apply changes them back)."
        ),
        (Lang::En, false) => println!("{present} of {total} resources present."),
        (Lang::Ko, true) => println!(
            "리소스 {total}개 중 {present}개가 있습니다. {drifted}개는 계획과 달라졌습니다 (다음 apply가 되돌립니다)."
        ),
        (Lang::Ko, false) => println!("리소스 {total}개 중 {present}개가 있습니다."),
    }
    if !r.extras.is_empty() {
        let n = r.extras.len();
        let remover = ops::sweep::remover(&env.target, &r.stack);
        match lang {
            Lang::En => println!(
                "{n} resource(s) carry the stack's tag but are not explained by its plan: \
                 `{remover}` deletes them (and only them); apply refuses until they are gone."
            ),
            Lang::Ko => println!(
                "스택 태그가 있지만 계획으로 설명되지 않는 리소스가 {n}개 있습니다. \
                 `{remover}` 명령이 이것들만 지웁니다. 지우기 전에는 apply가 거절합니다."
            ),
        }
    }
    for n in &r.notes {
        println!("{} {}", lang.pick("Note:", "참고:"), n.pick(lang));
    }
    ops::summary::print(&r.summary, lang);
    if let Some(d) = ops::drill::last(&env.stacks_dir, stack) {
        println!("{}", drill_line(&d, lang));
    }
    if r.unknown() {
        return Err(Failure::failed(
            "some resources could not be checked (see above)",
        ));
    }
    Ok(())
}

/// The last drill in one line: `ops::drill::status_line` in English; in Korean, the same
/// facts.
fn drill_line(d: &ops::drill::DrillResult, lang: Lang) -> String {
    if lang == Lang::En {
        return ops::drill::status_line(d);
    }
    if d.part == ops::drill::Part::Region && d.emulator {
        return format!(
            "마지막 훈련: 리전, {}: 호출은 실행됨. 시간은 측정 안 함 (에뮬레이터는 상태 확인을 평가하지 \
             않음)",
            d.started
        );
    }
    let secs = |s: Option<u64>| s.map_or("도달하지 않음".to_string(), |s| format!("{s}초"));
    let part = match d.part {
        ops::drill::Part::Instance => "인스턴스",
        ops::drill::Part::Database => "데이터베이스",
        ops::drill::Part::Region => "리전",
    };
    let failed = if d.probed {
        format!("{}개", d.requests_failed)
    } else {
        "확인 안 함".to_string()
    };
    format!(
        "마지막 훈련: {part}, {}: 감지 {}, 대체 {}, 정상 {}, 실패한 요청 {failed}{}",
        d.started,
        secs(d.detect_secs),
        secs(d.replace_secs),
        secs(d.healthy_secs),
        if d.emulator { " (에뮬레이터)" } else { "" }
    )
}

/// The stacks saved on this machine, then those the account keeps in the region that this
/// machine has no state of (any machine's: `status NAME` rebuilds them from the account).
async fn list(env: &Env) -> Result<(), Failure> {
    let lang = env.lang;
    let names = Store::list(&env.stacks_dir);
    let dir = env.stacks_dir.display();
    if names.is_empty() {
        match lang {
            Lang::En => println!("No saved stacks in {dir}."),
            Lang::Ko => println!("{dir}에 저장된 스택이 없습니다."),
        }
    }
    for name in &names {
        match ops::stacks::saved_one(&env.stacks_dir, name) {
            Ok(s) => println!(
                "  {name:<32} {:<16} {} {}/{}{}",
                s.region,
                pad(s.state(lang), 9),
                s.made,
                s.total,
                lang.pick(" made", "개 만듦")
            ),
            Err(e) => println!("  {name:<32} {e}"),
        }
    }
    let region = ops::account::region(env).await;
    match ops::stacks::in_account(env, &region).await {
        Ok(found) => {
            for name in found.iter().filter(|n| !names.contains(n)) {
                println!(
                    "  {name:<32} {region:<16} {}",
                    lang.pick(
                        &format!(
                            "in the account; no state on this machine (`hawiz status {name}` rebuilds it)"
                        ),
                        &format!(
                            "계정에 있음, 이 컴퓨터에는 상태 없음 (`hawiz status {name}`로 다시 만듦)"
                        ),
                    )
                );
            }
        }
        Err(e) => println!(
            "{}",
            lang.pick(
                &format!(
                    "(the account was not checked for stacks in {region}: {})",
                    e.message
                ),
                &format!(
                    "({region}의 계정에서 스택을 찾아보지 못했습니다: {})",
                    e.message
                ),
            )
        ),
    }
    Ok(())
}
