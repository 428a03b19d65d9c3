//! Destroy a stack: first what it will delete and what that asks (deletion protection,
//! the final snapshot and what keeping it costs, or that its data goes), then everything
//! it owns (its plan's resources and any an earlier plan left), dependents first, then the
//! proof: every resource looked for again, and every service
//! swept for anything still tagged with the stack. The state is forgotten only when
//! nothing is left; otherwise what is left is listed and the next run picks it up.

mod question;

pub use question::DestroyFacts;

use super::question::{Answer, Choice, Question, Tone};
use super::sweep::extras;
use super::{Env, Events, Failure, Phase, Session, StackLock, connect, runner, union_graph};
use crate::engine::{self, Deleting, Doomed, Graph, RunOptions, Survey};
use crate::i18n::Text;
use crate::state::Store;
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// What a destroy removes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DestroyScope {
    /// The whole stack, with its duplicates and leftovers.
    #[default]
    Stack,
    /// Only what carries the stack's tag but its plan does not explain (duplicates,
    /// leftovers): the stack stays (`--leftovers`, the way out of apply's refusal).
    Leftovers,
}

/// What a destroy would delete, looked up and locked, ready to confirm.
#[derive(Debug)]
pub struct DestroyPlan {
    pub stack: String,
    pub scope: DestroyScope,
    /// Node key → the IDs deleted with that node's kind.
    ids: Doomed,
    pub region: String,
    pub session: Session,
    store: Arc<Store>,
    union: Graph,
    survey: Survey,
    /// Resources to delete: (kind, name, IDs).
    pub doomed: Vec<(&'static str, String, Vec<String>)>,
    /// What stays, with why: `(yours) vpc vpc-0abc`.
    pub kept: Vec<Text>,
    /// What deleting takes with it, as each kind says (the database: its deletion
    /// protection, its data and the final snapshot the plan keeps of it).
    pub deleting: Vec<Deleting>,
    /// Delete without final snapshots (`--skip-final-snapshot`; the sandbox's default).
    /// Otherwise one is kept, named and listed at the end.
    pub skip_final_snapshot: bool,
    /// What the user should know first (the state rebuilt from the account, a lock taken
    /// over): the question's first facts.
    pub notes: Vec<Text>,
    lock: StackLock,
    account_lock: super::account::AccountLock,
}

impl DestroyPlan {
    /// Every resource the stack has had (saved plans and state), for progress.
    pub fn graph(&self) -> &Graph {
        &self.union
    }

    pub fn count(&self) -> usize {
        self.doomed.iter().map(|(_, _, ids)| ids.len()).sum()
    }
}

#[derive(Debug, Clone, Default)]
pub struct DestroyReport {
    pub deleted: usize,
    /// What is still there, with why.
    pub left: Vec<(String, crate::aws::Problem)>,
    /// What stays on purpose, with why.
    pub kept: Vec<Text>,
    /// Final snapshots of the stack's database that exist now: what stays of its data.
    pub snapshots: Vec<Snapshot>,
}

/// A kept database snapshot and what keeping it costs.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub name: String,
    pub gib: u32,
    /// USD per month, where the region is priced.
    pub monthly: Option<f64>,
}

impl DestroyPlan {
    /// What the confirmation must say beyond the count, in both languages.
    pub fn warnings(&self) -> Vec<(String, String)> {
        let q = self.question();
        q.facts_for(&q.default_answer())
            .into_iter()
            .filter(|f| f.tone != Tone::Info)
            .map(|f| (f.text.en, f.text.ko))
            .collect()
    }

    /// What its question says.
    pub fn facts(&self) -> DestroyFacts {
        DestroyFacts {
            stack: self.stack.clone(),
            region: self.region.clone(),
            count: self.count(),
            kept: self.kept.clone(),
            deleting: self.deleting.clone(),
            skip_final_snapshot: self.skip_final_snapshot,
            notes: self.notes.clone(),
            scope: self.scope,
        }
    }

    /// What destroying asks: the count, what stays, the deletion protection it turns
    /// off, and the final snapshot (what keeping it costs) or the loss of the data, with
    /// the choice to skip the snapshot.
    pub fn question(&self) -> Question {
        self.facts().question()
    }

    /// Take the user's answer: refused unless it is a yes (when anything is to be
    /// deleted); the final snapshot is skipped as chosen.
    pub fn answer(&mut self, a: &Answer) -> Result<(), Failure> {
        let q = self.question();
        if let Some(f) = q.refusal(a) {
            return Err(f);
        }
        if q.option(Choice::SkipFinalSnapshot).is_some() {
            self.skip_final_snapshot = a.has(Choice::SkipFinalSnapshot);
        }
        Ok(())
    }
}

pub async fn destroy_plan(
    env: &Env,
    stack: &str,
    scope: DestroyScope,
) -> Result<DestroyPlan, Failure> {
    let lock = StackLock::acquire(&env.stacks_dir, stack, "hawiz destroy")?;
    let (store, rebuilt) = super::account::open(env, stack).await?;
    let mut notes: Vec<Text> = rebuilt.into_iter().collect();
    let state = store.snapshot();
    let union = union_graph(&env.stacks_dir, &state.plan, &state.earlier)?;
    let session = connect(env, &state.region).await?;
    let account_lock = super::account::lock(
        session.clients.clone(),
        stack,
        "hawiz destroy",
        env.force_unlock,
    )
    .await?;
    notes.extend(account_lock.took_over.clone());
    let runner = super::quiet_runner(env, &session, store.clone(), union.clone());
    // The sweep for what the plan does not explain runs beside the survey.
    let (survey, swept) = tokio::join!(engine::survey(&runner, false), engine::sweep(&runner));
    if !survey.errors.is_empty() {
        return Err(Failure::failed(format!(
            "could not look up every resource, so nothing was deleted:\n{}",
            survey.error_list()
        )));
    }
    // What the plan does not explain goes too (whole stack), or alone (`--leftovers`),
    // each deleted by its kind in dependency order with the rest.
    let swept = swept.map_err(|e| {
        Failure::failed(format!(
            "could not look for the stack's duplicates and leftovers, so nothing was deleted: {e}"
        ))
    })?;
    let extra = super::sweep::explain(&runner, &survey, swept);
    let mut ids = match scope {
        DestroyScope::Stack => survey.doomed(),
        DestroyScope::Leftovers => Doomed::new(),
    };
    let mut kept = Vec::new();
    for x in &extra {
        let reason = x.reason(stack);
        let (also, also_ko) = match scope {
            DestroyScope::Stack => ("also deletes", "함께 삭제"),
            DestroyScope::Leftovers => ("deletes", "삭제"),
        };
        notes.push(Text::new(
            format!("{also} {} {}: {}", x.kind, x.id, reason.en),
            format!(
                "{also_ko}: {} {}: {}",
                crate::i18n::Lang::Ko.kind(x.kind),
                x.id,
                reason.ko
            ),
        ));
        match &x.node {
            Some(node) => {
                let list = ids.entry(node.clone()).or_default();
                if !list.contains(&x.id) {
                    list.push(x.id.clone());
                }
            }
            None => kept.push(kept_line(
                (
                    "no resource of its kind in the stack deletes it: remove it yourself",
                    "스택에 이 종류를 지우는 리소스가 없습니다. 직접 지우세요",
                ),
                x.kind,
                &x.id,
            )),
        }
    }
    let mut doomed = Vec::new();
    for node in union.nodes() {
        let Some(list) = ids.get(&node.key).filter(|l| !l.is_empty()) else {
            if scope == DestroyScope::Stack && !survey.yours(&node.key).is_empty() {
                // Proven the user's own (an administrator's boundary): used, never deleted.
                kept.push(kept_line(
                    ("yours", "사용자의 것"),
                    node.res.kind(),
                    &node.label(),
                ));
            }
            continue;
        };
        if let Some(why) = node.res.kept() {
            kept.push(kept_line(why, node.res.kind(), &node.label()));
            ids.remove(&node.key);
        } else {
            doomed.push((node.res.kind(), node.label(), list.clone()));
        }
    }
    let deleting = engine::deleting(&runner, &ids).await.map_err(|e| {
        Failure::failed(format!(
            "could not look up what deleting takes with it, so nothing was deleted: {e}"
        ))
    })?;
    Ok(DestroyPlan {
        stack: stack.to_string(),
        scope,
        ids,
        region: state.region,
        session,
        store,
        union,
        survey,
        doomed,
        kept,
        deleting,
        skip_final_snapshot: env.target.sandbox,
        notes,
        lock,
        account_lock,
    })
}

/// One line of what stays, in both languages: `(why) kind name`, the kind by the Korean
/// console's name in Korean.
fn kept_line((why, why_ko): (&str, &str), kind: &str, name: &str) -> Text {
    Text::new(
        format!("({why}) {kind} {name}"),
        format!("({why_ko}) {} {name}", crate::i18n::Lang::Ko.kind(kind)),
    )
}

/// What the deletions left on purpose (final snapshots), with what they cost to keep.
async fn snapshots(runner: &engine::Runner, region: &str) -> Result<Vec<Snapshot>, String> {
    Ok(engine::remains(runner)
        .await?
        .into_iter()
        .map(|r| Snapshot {
            monthly: crate::cost::snapshot_monthly(region, r.gib),
            name: r.name,
            gib: r.gib,
        })
        .collect())
}

pub fn destroy(
    env: &Env,
    plan: DestroyPlan,
) -> (
    mpsc::UnboundedReceiver<super::Event>,
    JoinHandle<Result<DestroyReport, Failure>>,
) {
    let (events, rx) = Events::channel();
    let env = env.clone();
    let work = tokio::spawn(async move { run(env, plan, events).await });
    (rx, work)
}

async fn run(env: Env, plan: DestroyPlan, events: Events) -> Result<DestroyReport, Failure> {
    let DestroyPlan {
        stack,
        scope,
        ids,
        session,
        store,
        union,
        survey,
        kept,
        lock,
        account_lock,
        skip_final_snapshot,
        region,
        ..
    } = plan;

    let options = RunOptions {
        skip_final_snapshot,
        ..RunOptions::default()
    };
    events.phase(Phase::Deleting);
    let done = events
        .run(|tx| {
            engine::destroy(
                runner(
                    &env,
                    &session,
                    store.clone(),
                    union.clone(),
                    tx,
                    options.clone(),
                ),
                survey,
                match scope {
                    DestroyScope::Stack => engine::Scope::Stack(ids),
                    DestroyScope::Leftovers => engine::Scope::Only(ids),
                },
            )
        })
        .await;
    let mut left = done.left();

    // Proof, not hope: look for every resource again, and sweep every kind's service for
    // anything still tagged with the stack.
    events.phase(Phase::Checking);
    let checker = super::quiet_runner(&env, &session, store.clone(), union.clone());
    let after = engine::survey(&checker, false).await;
    let whole = scope == DestroyScope::Stack;
    for node in union.nodes().filter(|n| whole && n.res.kept().is_none()) {
        let ids = after.owned(&node.key);
        if !ids.is_empty() && !left.iter().any(|(k, _)| *k == node.key) {
            left.push((
                node.key.clone(),
                crate::aws::Problem::other(format!("still exists: {}", ids.join(", "))),
            ));
        }
    }
    for (key, err) in &after.errors {
        left.push((key.clone(), err.reworded(format!("could not check: {err}"))));
    }
    match extras(&checker, &after).await {
        Ok(found) => {
            for x in found {
                left.push((
                    format!("{} {}", x.kind, x.id),
                    crate::aws::Problem::other(format!("still there ({})", x.reason(&stack).en)),
                ));
            }
        }
        Err(e) => left.push((
            "sweep".into(),
            crate::aws::Problem::other(format!("could not sweep: {e}")),
        )),
    }
    let snapshots = match snapshots(&checker, &region).await {
        Ok(s) => s,
        Err(e) => {
            left.push((
                "snapshots".into(),
                crate::aws::Problem::other(format!("could not list the final snapshots: {e}")),
            ));
            Vec::new()
        }
    };
    if left.is_empty() && whole {
        // Gone from the account too: the plan record last, then the lock (dropped below).
        if let Err(e) = super::account::forget_plan(&session.clients, &stack).await {
            left.push((
                crate::names::plan_record(&stack),
                crate::aws::Problem::other(format!(
                    "could not delete the plan record: {}",
                    e.message
                )),
            ));
        }
    }
    drop(account_lock);
    if left.is_empty() && whole {
        lock.remove();
        store.remove().map_err(|e| Failure::failed(e.to_string()))?;
    }
    Ok(DestroyReport {
        deleted: done.deleted,
        left,
        kept,
        snapshots,
    })
}
