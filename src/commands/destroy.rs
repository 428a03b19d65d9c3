//! `hawiz destroy STACK [--yes]`: show what will be deleted and what that asks (deletion
//! protection, the final snapshot and its cost), delete everything the stack owns,
//! dependents first, then prove that nothing tagged with it is left (or list what is).

use super::{Env, Failure};
use crate::i18n::Lang;
use crate::i18n::korean::{self, Josa};
use crate::ops::{self, Choice};
use crate::progress::ask::{self, Asking};
use crate::progress::{BuildState, Lines, RunKind};

pub async fn run(
    env: &Env,
    stack: &str,
    yes: bool,
    skip_final_snapshot: bool,
    scope: ops::DestroyScope,
) -> Result<(), Failure> {
    let lang = env.lang;
    // Destroying what is already gone succeeds, as a teardown script run twice expects.
    if !crate::state::Store::exists(&env.stacks_dir, stack)
        && !ops::account::kept(env, stack).await?
    {
        let here = env.stacks_dir.display();
        match lang {
            Lang::En => println!(
                "Nothing to delete: no stack named {stack:?} is saved here ({here}) or kept in \
                 the account. `hawiz status` lists the stacks."
            ),
            Lang::Ko => println!(
                "지울 것이 없습니다: 스택 {stack:?}{} 여기({here})에도 계정에도 없습니다. \
                 `hawiz status`로 스택을 볼 수 있습니다.",
                korean::particle(&format!("{stack:?}"), Josa::EunNeun)
            ),
        }
        return Ok(());
    }
    let mut plan = ops::destroy_plan(env, stack, scope).await?;
    let count = plan.count();
    let (region, account) = (&plan.region, &plan.session.who.account);
    match (lang, scope) {
        (Lang::En, ops::DestroyScope::Stack) => println!(
            "Stack {stack:?} in {region} — AWS account {account}: {count} resources to delete."
        ),
        (Lang::Ko, ops::DestroyScope::Stack) => {
            println!("스택 {stack:?}, 리전 {region} — AWS 계정 {account}: 삭제할 리소스 {count}개.")
        }
        (Lang::En, ops::DestroyScope::Leftovers) => println!(
            "Stack {stack:?} in {region} — AWS account {account}: {count} duplicates and \
             leftovers to delete; the stack stays."
        ),
        (Lang::Ko, ops::DestroyScope::Leftovers) => println!(
            "스택 {stack:?}, 리전 {region} — AWS 계정 {account}: 삭제할 중복·남은 리소스 \
             {count}개. 스택은 그대로 둡니다."
        ),
    }
    let how = Asking {
        yes,
        flags: skip_final_snapshot
            .then_some(Choice::SkipFinalSnapshot)
            .into_iter()
            .collect(),
        ask_required: false,
        lang: env.lang,
    };
    let answer = ask::answer(&plan.question(), &how, &mut |q, _| ask::confirm(q))?;
    plan.answer(&answer)?;
    let run = BuildState::new(
        plan.graph(),
        stack,
        &plan.region,
        RunKind::Destroy,
        std::time::Instant::now(),
    );
    let (mut events, work) = ops::destroy(env, plan);
    super::follow(&mut events, run, &Lines::new(lang)).await;
    let report = work
        .await
        .map_err(|e| Failure::failed(format!("internal error: {e}")))??;
    for s in &report.snapshots {
        let (name, gib) = (&s.name, s.gib);
        match lang {
            Lang::En => {
                let cost = s
                    .monthly
                    .map(|m| format!(", about ${m:.2} a month to keep"))
                    .unwrap_or_default();
                println!(
                    "Kept: database snapshot {name} ({gib} GiB{cost}). Restore it from the RDS \
                     console's Snapshots page; delete it there when it is no longer needed."
                );
            }
            Lang::Ko => {
                let cost = s
                    .monthly
                    .map(|m| format!(", 보관 비용 월 약 ${m:.2}"))
                    .unwrap_or_default();
                println!(
                    "보관: 데이터베이스 스냅샷 {name} ({gib} GiB{cost}). RDS 콘솔의 스냅샷 \
                     페이지에서 복원할 수 있고, 더 필요 없으면 그곳에서 삭제하세요."
                );
            }
        }
    }
    if report.left.is_empty() && scope == ops::DestroyScope::Leftovers {
        let deleted = report.deleted;
        let status = env.target.hawiz(&format!("status {stack}"));
        match lang {
            Lang::En => println!(
                "Stack {stack:?} is as its plan explains it: {deleted} duplicates and leftovers \
                 deleted, the stack kept. `{status}` shows it; apply works again."
            ),
            Lang::Ko => println!(
                "스택 {stack:?}에 계획으로 설명되지 않는 것이 없습니다: 중복·남은 리소스 {deleted}개를 \
                 지우고 스택은 그대로 두었습니다. `{status}`로 확인할 수 있고, apply가 다시 \
                 됩니다."
            ),
        }
        return Ok(());
    }
    if report.left.is_empty() {
        let tag = crate::aws::ec2::STACK_TAG;
        let kept = !report.snapshots.is_empty();
        match lang {
            Lang::En => {
                let but = if kept {
                    " but the final snapshot kept on purpose (above)"
                } else {
                    ""
                };
                println!("Stack {stack:?} is gone: nothing tagged {tag}={stack} remains{but}.");
            }
            Lang::Ko => {
                let but = if kept {
                    "일부러 보관한 최종 스냅샷(위) 말고는 "
                } else {
                    ""
                };
                println!(
                    "스택 {stack:?}{} 삭제되었습니다: {tag}={stack} 태그가 붙은 것은 {but}남아 \
                     있지 않습니다.",
                    korean::particle(&format!("{stack:?}"), Josa::IGa)
                );
            }
        }
        return Ok(());
    }
    let mut msg = format!("stack {stack:?} was not deleted completely:");
    for (key, why) in &report.left {
        msg.push_str(&format!("\n  - {key}: {why}"));
    }
    let again = match scope {
        ops::DestroyScope::Stack => format!("destroy {stack}"),
        ops::DestroyScope::Leftovers => format!("destroy {stack} --leftovers"),
    };
    msg.push_str(&format!(
        "\nRun `{}` again to retry; the state file is kept.",
        env.target.hawiz(&again)
    ));
    Err(Failure::failed(msg))
}
