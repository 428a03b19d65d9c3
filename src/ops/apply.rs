//! Carry out a confirmed changeset: delete what must be replaced (dependents first), build
//! and update the plan's resources, then remove what left the plan. A crash anywhere is
//! resumed by the next run: its changeset sees what is missing, what differs and what is
//! left over, like after a crash in a create.

use super::summary::{self, Summary};
use super::{Changeset, Env, Events, Failure, Phase, runner};
use crate::engine::{self, ApplyOutcome, Dep, RunOptions};
use crate::state::Store;
use std::collections::BTreeMap;
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApplyOptions {
    /// Database changes now rather than in its next maintenance window.
    pub db_now: bool,
    /// The user allowed replacing the VPC (and everything in it).
    pub replace_vpc: bool,
    /// The user allowed replacing the database.
    pub replace_database: bool,
    /// End once the site serves; what still converges (a fast start's database standby)
    /// goes on in AWS.
    pub no_wait: bool,
    /// Build only these keys (and what they need): part of a plan still being answered
    /// (`ops::early`). Nothing is removed, nothing replaced, no site is waited for.
    pub only: Option<std::collections::BTreeSet<String>>,
}

impl From<&super::Answer> for ApplyOptions {
    /// The choices of an answer to the apply's question.
    fn from(a: &super::Answer) -> ApplyOptions {
        use super::Choice;
        ApplyOptions {
            db_now: a.has(Choice::DbNow),
            replace_vpc: a.has(Choice::ReplaceVpc),
            replace_database: a.has(Choice::ReplaceDatabase),
            no_wait: false,
            only: None,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ApplyReport {
    pub outcome: ApplyOutcome,
    /// Resources deleted to be made again, and resources removed because they left the plan.
    pub replaced: usize,
    pub removed: usize,
    /// What failed or could not be deleted, with why.
    pub problems: Vec<(String, crate::aws::Problem)>,
    /// What was not started because something it needs failed.
    pub blocked: Vec<String>,
    pub summary: Summary,
    /// Whether the built site serves (or why that was not waited for).
    pub serving: Option<super::serving::Outcome>,
    /// Resources whose changes were sent but wait for their maintenance window (the
    /// database's, without `--db-now`): "changed" would say they are in effect.
    pub deferred: Vec<String>,
}

impl ApplyReport {
    pub fn is_complete(&self) -> bool {
        self.problems.is_empty() && self.blocked.is_empty()
    }
}

pub fn apply(
    env: &Env,
    changes: Changeset,
    options: ApplyOptions,
) -> (
    mpsc::UnboundedReceiver<super::Event>,
    JoinHandle<Result<ApplyReport, Failure>>,
) {
    let (events, rx) = Events::channel();
    let env = env.clone();
    let work = tokio::spawn(async move { run(env, changes, options, events).await });
    (rx, work)
}

async fn run(
    env: Env,
    cs: Changeset,
    options: ApplyOptions,
    events: Events,
) -> Result<ApplyReport, Failure> {
    cs.refuse_without(options.replace_vpc, options.replace_database)?;
    let store = Arc::new(
        Store::open_for_apply(&env.stacks_dir, &cs.plan)
            .map_err(|e| Failure::failed(e.to_string()))?,
    );
    if let Some(before) = &cs.before {
        store
            .remember_earlier(before)
            .map_err(|e| Failure::failed(e.to_string()))?;
    }
    // The plan goes to the account before anything is made: a build that stops halfway is
    // found, resumed or destroyed from any machine.
    super::account::save_plan(&cs.session.clients, &cs.plan).await?;
    let (graph, start_only) = match &options.only {
        Some(keys) => early_part(&cs.graph, keys, &store),
        None => (cs.graph.clone(), Default::default()),
    };
    let run_options = RunOptions {
        db_now: options.db_now,
        // A replaced database keeps a final snapshot, except in the sandbox.
        skip_final_snapshot: env.target.sandbox,
        roll_instances: false,
        start_only,
    };
    let mut report = ApplyReport {
        deferred: cs
            .items
            .iter()
            .filter(|i| i.action == super::Action::Update && i.can_wait && !options.db_now)
            .map(|i| i.key.clone())
            .collect(),
        ..ApplyReport::default()
    };
    let make = |graph: engine::Graph, tx| {
        runner(
            &env,
            &cs.session,
            store.clone(),
            graph,
            tx,
            run_options.clone(),
        )
    };

    // 1. Replacements: delete them (and what holds their IDs) first, dependents first.
    let mut replace = cs.keys(super::Action::Replace);
    if options.only.is_some() {
        replace.retain(|k| graph.contains(k));
    }
    if !replace.is_empty() {
        events.phase(Phase::Replacing);
        let done = events
            .run(|tx| {
                engine::destroy(
                    make(cs.union.subset(&replace), tx),
                    cs.survey.clone(),
                    engine::Scope::Stack(cs.survey.doomed()),
                )
            })
            .await;
        report.replaced = done.deleted;
        report.problems.extend(done.left());
        if !report.problems.is_empty() {
            return finish(&store, report);
        }
    }

    // 2. Build: create what is missing, update what differs (of the part asked for).
    events.phase(Phase::Building);
    let outcome = events.run(|tx| engine::apply(make(graph, tx))).await;
    report
        .problems
        .extend(outcome.failed().map(|(k, e)| (k.clone(), e.clone())));
    report.blocked = outcome.blocked().map(|(k, _)| k.clone()).collect();
    report.outcome = outcome;
    if !report.is_complete() {
        // A new stack of which nothing was made (a refused boundary, a quota): nothing of
        // it is in the account, so neither is its plan.
        if cs.before.is_none() && report.outcome.created == 0 && report.outcome.existing == 0 {
            let _ = super::account::forget_plan(&cs.session.clients, &cs.plan.stack.name).await;
        }
        return finish(&store, report);
    }
    // Part of a plan: the rest (and what left it) is for the apply of the whole.
    if options.only.is_some() {
        return finish(&store, report);
    }

    // 2b. A replaced database: the app instances make its WordPress user and finish the
    //     install at boot, so now that it is up, every instance is replaced.
    let rolls = cs.items.iter().any(|i| i.roll);
    if rolls {
        let roll = RunOptions {
            roll_instances: true,
            ..run_options.clone()
        };
        let outcome = events
            .run(|tx| {
                engine::apply(runner(
                    &env,
                    &cs.session,
                    store.clone(),
                    cs.graph.clone(),
                    tx,
                    roll,
                ))
            })
            .await;
        report
            .problems
            .extend(outcome.failed().map(|(k, e)| (k.clone(), e.clone())));
        if !report.is_complete() {
            return finish(&store, report);
        }
    }

    // 3. What left the plan: look again (the build changed things), delete what is there.
    match remove_left(&cs.union, &cs.graph, &events, make).await {
        Ok((removed, problems)) => {
            report.removed = removed;
            report.problems.extend(problems);
        }
        Err(unchecked) => {
            report.problems.extend(unchecked);
            return finish(&store, report);
        }
    }
    if report.is_complete() {
        store
            .forget_earlier()
            .map_err(|e| Failure::failed(e.to_string()))?;
    }
    let ready: BTreeMap<String, Dep> = report.outcome.ready.clone();
    report.summary = summary::collect(&cs.session.clients, &cs.plan, &env, &cs.graph, &ready).await;
    if report.is_complete() {
        events.phase(Phase::Serving);
        let site = report
            .summary
            .site
            .clone()
            .or_else(|| report.summary.load_balancer.clone());
        let outcome = super::serving::wait(
            &env.target,
            &cs.session.clients,
            &cs.plan,
            &ready,
            site.as_deref(),
            &events,
        )
        .await;
        if let super::serving::Outcome::NotServing(why) = &outcome {
            report
                .problems
                .push(("site".into(), crate::aws::Problem::other(why.clone())));
        }
        let since = super::serving::since(
            store.snapshot().serving_since.as_deref(),
            &outcome,
            &crate::time::now_utc(),
        );
        store
            .set_serving_since(since.clone())
            .map_err(|e| Failure::failed(e.to_string()))?;
        report.summary.serving_since = since;
        report.serving = Some(outcome);
        // Fast start: the site serves on the single-AZ database; now its standby.
        if super::db_standby::wanted(&cs.plan) {
            let serves = !matches!(report.serving, Some(super::serving::Outcome::NotServing(_)));
            if serves && !options.no_wait {
                let mut up = report.summary.clone();
                if up.db_standby != Some(super::db_standby::DbStandby::InPlace) {
                    up.db_standby = Some(super::db_standby::DbStandby::BeingAdded);
                }
                events.up(up);
            }
            match super::db_standby::add(&cs.session.clients, &cs.plan, !options.no_wait, &events)
                .await
            {
                Ok(state) => report.summary.db_standby = Some(state),
                Err(why) => report.problems.push(("db-standby".into(), why)),
            }
        }
    }
    finish(&store, report)
}

/// Part of a plan, as a build while answering runs it: `keys` and what they need, except
/// that what takes half a minute or more on AWS (a NAT gateway, a database, a load
/// balancer, a mount target, the bastion) and is not ready yet is only started, and what
/// needs it waits for a later run. So a run ends in seconds and the next step's run can
/// begin: the database starts as soon as its step is confirmed, not after the NAT
/// gateways or the bastion are up. The graph to run, and what it only starts.
fn early_part(
    graph: &engine::Graph,
    keys: &std::collections::BTreeSet<String>,
    store: &Store,
) -> (engine::Graph, std::collections::BTreeSet<String>) {
    use std::collections::BTreeSet;
    let part = graph.needs(keys);
    let slow: BTreeSet<String> = part
        .iter()
        .filter(|k| {
            graph.get(k).is_some_and(|n| n.res.typical() >= SLOW)
                && store
                    .get(k)
                    .is_none_or(|r| r.status != crate::state::Status::Ready)
        })
        .cloned()
        .collect();
    let waiting: BTreeSet<String> = slow.iter().flat_map(|k| graph.dependents_all(k)).collect();
    let run: BTreeSet<String> = part.difference(&waiting).cloned().collect();
    let start = slow.difference(&waiting).cloned().collect();
    (graph.subset(&run), start)
}

/// What a run while answering only starts: half a minute or more to ready on AWS. (At a
/// minute, the bastion's run waited for it to be running, about 40 s, and a database
/// confirmed meanwhile started that much later.)
const SLOW: std::time::Duration = std::time::Duration::from_secs(30);

/// Remember how it ended (for the resume screen), and hand the report back.
fn finish(store: &Store, report: ApplyReport) -> Result<ApplyReport, Failure> {
    let first = report
        .problems
        .first()
        .map(|(k, why)| format!("{k}: {why}"));
    store
        .set_last_error(first)
        .map_err(|e| Failure::failed(e.to_string()))?;
    Ok(report)
}

/// Delete what left the plan (the nodes of `union` that `graph` lacks) where it exists,
/// dependents first, after looking again (a build just changed things): how many were
/// deleted and the problems, or (`Err`) what could not be checked. `make` makes a runner
/// over a graph.
pub(super) async fn remove_left(
    union: &engine::Graph,
    graph: &engine::Graph,
    events: &Events,
    make: impl Fn(engine::Graph, mpsc::UnboundedSender<engine::Event>) -> engine::Runner,
) -> Result<Removed, Problems> {
    if union.len() <= graph.len() {
        return Ok((0, Vec::new()));
    }
    let (quiet, _) = mpsc::unbounded_channel();
    let survey = engine::survey(&make(union.clone(), quiet), false).await;
    if !survey.errors.is_empty() {
        return Err(survey
            .errors
            .iter()
            .map(|(k, e)| (k.clone(), e.reworded(format!("could not check: {e}"))))
            .collect());
    }
    let gone: std::collections::BTreeSet<String> = union
        .nodes()
        .filter(|n| !graph.contains(&n.key) && !survey.ids(&n.key).is_empty())
        .map(|n| n.key.clone())
        .collect();
    if gone.is_empty() {
        return Ok((0, Vec::new()));
    }
    events.phase(Phase::Removing);
    let done = events
        .run(|tx| {
            let doomed = survey.doomed();
            engine::destroy(
                make(union.subset(&gone), tx),
                survey,
                engine::Scope::Stack(doomed),
            )
        })
        .await;
    Ok((done.deleted, done.left()))
}

type Problems = Vec<(String, crate::aws::Problem)>;
/// How many were deleted, and the problems.
type Removed = (usize, Problems);
