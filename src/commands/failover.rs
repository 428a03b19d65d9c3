//! `hawiz failover STACK [--yes]`: make the standby region the site, every step shown as
//! it goes and timed, then the way back.

use super::{Env, Failure};
use crate::i18n::text::{columns, pad};
use crate::ops;
use crate::progress::ask;
use crate::progress::{BuildState, Lines, RunKind};

pub async fn run(env: &Env, stack: &str, yes: bool) -> Result<(), Failure> {
    let plan = ops::failover::prepare(env, stack).await?;
    let answer = ask::cli(&plan.question(), yes, env.lang)?;
    plan.answer(&answer)?;
    let (stack, standby) = (plan.stack.clone(), plan.standby.clone());
    let failback = plan.failback();
    let (events, work) = ops::failover::run(env, plan);
    let report = steps(env, &stack, &standby, events, work).await?;
    if !report.is_complete() {
        return Err(incomplete(
            env,
            &report,
            &format!("stack {stack:?} failed over to {standby}, but the standby is not whole yet"),
            &format!("status {stack}"),
        ));
    }
    match env.lang {
        crate::i18n::Lang::En => println!(
            "Stack {stack:?} now serves from {standby}: its database and files are writable \
             there, and the site's name points at it alone."
        ),
        crate::i18n::Lang::Ko => println!(
            "스택 {} 이제 {standby}에서 서비스합니다. 그곳의 데이터베이스와 파일에 쓸 수 \
             있고, 사이트 이름은 그곳만 가리킵니다.",
            crate::i18n::korean::with(&stack, crate::i18n::korean::Josa::EunNeun)
        ),
    }
    println!();
    println!("{}", env.lang.pick(&failback.en, &failback.ko));
    Ok(())
}

/// Follow a failover's or failback's events as lines, then print its steps with the time
/// each took.
pub(super) async fn steps(
    env: &Env,
    stack: &str,
    region: &str,
    mut events: tokio::sync::mpsc::UnboundedReceiver<ops::Event>,
    work: tokio::task::JoinHandle<Result<ops::failover::FailoverReport, Failure>>,
) -> Result<ops::failover::FailoverReport, Failure> {
    let graph = crate::engine::Graph::default();
    let run = BuildState::new(
        &graph,
        stack,
        region,
        RunKind::Build,
        std::time::Instant::now(),
    );
    super::follow(&mut events, run, &Lines::new(env.lang)).await;
    let report = work
        .await
        .map_err(|e| Failure::failed(format!("internal error: {e}")))??;
    println!();
    let rows: Vec<(String, String)> = report
        .steps
        .iter()
        .map(|(what, secs)| {
            (
                env.lang.pick(&what.en, &what.ko).to_string(),
                crate::time::span(*secs),
            )
        })
        .collect();
    let width = rows.iter().map(|(l, _)| columns(l)).max().unwrap_or(0);
    for (label, value) in &rows {
        println!("  {}  {value}", pad(label, width));
    }
    println!();
    Ok(report)
}

/// What is left when some resources could not be brought to the plan: each problem, and
/// the command that finishes it.
pub(super) fn incomplete(
    env: &Env,
    report: &ops::failover::FailoverReport,
    what: &str,
    then: &str,
) -> Failure {
    Failure::failed(format!(
        "{what}:\n{}\nfix the cause and run `{}` to finish it",
        report.problem_lines(),
        env.target.hawiz(then)
    ))
}
