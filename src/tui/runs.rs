//! The wizard's runs, each a task that renders one operation of the run layer as
//! messages: the review's preflight, a build, an asked operation (a destroy or a drill:
//! its question first, then, on a yes, the run), and a look at a saved stack. Each sends
//! its rows (`Started`), its events and how it ended (`Done`) with its ticket.

use super::msg::{Loaded, Msg, Preview};
use crate::ops::{self, Answer, ApplyOptions, Env, Failure};
use crate::plan::Plan;
use crate::progress::{BuildState, RunEnd, RunKind};
use crate::state::Store;
use std::time::Instant;
use tokio::sync::{mpsc, oneshot};

type Tx = mpsc::UnboundedSender<Msg>;

fn sender(tx: &Tx, ticket: u64) -> impl Fn(Loaded) + '_ {
    move |l: Loaded| {
        let _ = tx.send(Msg::Loaded(ticket, l));
    }
}

/// The review's preflight: `ops::changes` without the lock (the plan's own checks, what
/// exists, what is in the way, the account's checks, the question building asks).
/// Nothing is made or locked.
pub(super) async fn preflight(env: &Env, plan: Plan) -> Result<Box<Preview>, Failure> {
    let cs = ops::changes(env, plan, false).await?;
    Ok(Box::new(Preview::from_changeset(&cs)))
}

/// Build with the review's answer: the question is asked again under the lock, and an
/// answer that lacks what it needs now is refused.
pub(super) async fn build(env: Env, plan: Plan, answer: Answer, ticket: u64, tx: Tx) {
    let send = sender(&tx, ticket);
    let cs = match ops::changes(&env, plan, true).await {
        Ok(cs) => cs,
        Err(f) => return send(Loaded::Started(Err(f))),
    };
    let mut state = BuildState::new(
        &cs.graph,
        &cs.plan.stack.name,
        cs.plan.region(),
        RunKind::Build,
        Instant::now(),
    );
    state.plan = Some(Box::new(cs.plan.clone()));
    send(Loaded::Started(Ok(Box::new(state))));
    for w in &cs.warnings {
        let ev = ops::Event::Note {
            en: format!("warning: {}", w.message),
            ko: format!("경고: {}", w.ko),
        };
        send(Loaded::Event(ev, Instant::now()));
    }
    if let Some(f) = cs.question().refusal(&answer) {
        return send(Loaded::Done(Err(f), Instant::now()));
    }
    let (mut events, work) = ops::apply(&env, cs, ApplyOptions::from(&answer));
    while let Some(ev) = events.recv().await {
        send(Loaded::Event(ev, Instant::now()));
    }
    let done = match work.await {
        Ok(Ok(report)) => built(report),
        Ok(Err(f)) => Err(f),
        Err(e) => Err(Failure::failed(format!("internal error: {e}"))),
    };
    send(Loaded::Done(done, Instant::now()));
}

/// How a build ended: the resources' problems are on their rows; the site not serving or
/// the database's standby not added belong to no row, so they fail the run as a whole
/// (with their advice), never pass for an HA site that is up.
fn built(report: ops::ApplyReport) -> Result<RunEnd, Failure> {
    let loose: Vec<String> = report
        .problems
        .iter()
        .filter(|(k, _)| k == "site" || k == "db-standby")
        .map(|(k, e)| format!("{k}: {e}"))
        .collect();
    if loose.is_empty() {
        Ok(RunEnd::Built(Box::new(report.summary)))
    } else {
        Err(Failure::failed(loose.join("\n")))
    }
}

/// An asked operation: work out what it will do and send its question (or why it will
/// not run), wait for the answer, and on a yes run it under the answer's run ticket. A
/// no (or the wizard gone) drops it, and with it the stack's lock.
pub(super) async fn asked(
    env: Env,
    op: super::app::Op,
    ticket: u64,
    answered: oneshot::Receiver<(Answer, u64)>,
    tx: Tx,
) {
    let ask = sender(&tx, ticket);
    match op {
        super::app::Op::Destroy { stack } => {
            let mut plan = match ops::destroy_plan(&env, &stack, ops::DestroyScope::Stack).await {
                Ok(p) => p,
                Err(f) => return ask(Loaded::Asked(Err(f))),
            };
            ask(Loaded::Asked(Ok(Box::new(plan.question()))));
            let Ok((answer, run)) = answered.await else {
                return;
            };
            if !answer.yes {
                return;
            }
            let send = sender(&tx, run);
            if let Err(f) = plan.answer(&answer) {
                return send(Loaded::Started(Err(f)));
            }
            destroy(env, plan, stack, &send).await;
        }
        // Its question is the run layer's too, but needs no look at AWS (`ops::early`).
        super::app::Op::Early { .. } => {}
        super::app::Op::Drill { stack, part } => {
            let plan = match ops::drill::prepare(&env, &stack, part).await {
                Ok(p) => p,
                Err(f) => return ask(Loaded::Asked(Err(f))),
            };
            ask(Loaded::Asked(Ok(Box::new(plan.question()))));
            let Ok((answer, run)) = answered.await else {
                return;
            };
            if !answer.yes {
                return;
            }
            let send = sender(&tx, run);
            if let Err(f) = plan.answer(&answer) {
                return send(Loaded::Started(Err(f)));
            }
            drill(env, plan, stack, &send).await;
        }
    }
}

async fn destroy(env: Env, plan: ops::DestroyPlan, stack: String, send: &impl Fn(Loaded)) {
    let saved = Store::open(&env.stacks_dir, &stack)
        .ok()
        .map(|s| s.snapshot().plan);
    let graph = saved
        .as_ref()
        .and_then(|p| crate::blueprint::build(p, &env.stacks_dir).ok())
        .unwrap_or_default();
    let mut state = BuildState::new(
        &graph,
        &stack,
        &plan.region,
        RunKind::Destroy,
        Instant::now(),
    );
    state.plan = saved.map(Box::new);
    send(Loaded::Started(Ok(Box::new(state))));
    let (mut events, work) = ops::destroy(&env, plan);
    while let Some(ev) = events.recv().await {
        send(Loaded::Event(ev, Instant::now()));
    }
    let done = match work.await {
        Ok(Ok(r)) => Ok(RunEnd::Destroyed {
            snapshots: r.snapshots,
            left: r.left,
        }),
        Ok(Err(f)) => Err(f),
        Err(e) => Err(Failure::failed(format!("internal error: {e}"))),
    };
    send(Loaded::Done(done, Instant::now()));
}

/// The HA drill: its live lines go to the log, its measured result ends the run.
async fn drill(env: Env, plan: ops::drill::DrillPlan, stack: String, send: &impl Fn(Loaded)) {
    let mut state = BuildState::new(
        &crate::engine::Graph::default(),
        &stack,
        "",
        RunKind::Drill,
        Instant::now(),
    );
    state.plan = Store::open(&env.stacks_dir, &stack)
        .ok()
        .map(|s| Box::new(s.snapshot().plan));
    send(Loaded::Started(Ok(Box::new(state))));
    send(Loaded::Event(
        ops::Event::Note {
            en: format!("Drill: {}.", plan.en),
            ko: format!("훈련: {}.", plan.ko),
        },
        Instant::now(),
    ));
    let (mut events, work) = ops::drill::run(plan);
    while let Some(ev) = events.recv().await {
        send(Loaded::Event(ev, Instant::now()));
    }
    let done = match work.await {
        Ok(Ok(r)) => Ok(RunEnd::Drilled(Box::new(r))),
        Ok(Err(f)) => Err(f),
        Err(e) => Err(Failure::failed(format!("internal error: {e}"))),
    };
    send(Loaded::Done(done, Instant::now()));
}

/// A saved stack's resources as `ops::status` finds them in AWS (read-only): present,
/// drifted, missing or not checkable, with what is left over and its notes.
pub(super) async fn view_stack(env: Env, plan: Plan, ticket: u64, tx: Tx) {
    let send = sender(&tx, ticket);
    let graph = match crate::blueprint::build(&plan, &env.stacks_dir) {
        Ok(g) => g,
        Err(e) => return send(Loaded::Started(Err(Failure::failed(e.to_string())))),
    };
    let report = match ops::status(&env, &plan.stack.name).await {
        Ok(r) => r,
        Err(f) => return send(Loaded::Started(Err(f))),
    };
    let b = BuildState::viewing(&graph, &plan, &report, Instant::now());
    send(Loaded::Started(Ok(Box::new(b))));
    send(Loaded::Done(
        Ok(RunEnd::Built(Box::new(report.summary))),
        Instant::now(),
    ));
}
