//! Destroy a stack: everything it owns (its plan's resources and any an earlier plan left),
//! dependents first, then the proof: every resource looked for again, and every service
//! swept for anything still tagged with the stack. The state is forgotten only when
//! nothing is left; otherwise what is left is listed and the next run picks it up.

use super::sweep::leftovers;
use super::{Env, Events, Failure, Phase, Session, StackLock, connect, runner, union_graph};
use crate::engine::{self, Graph, RunOptions, Survey};
use crate::state::Store;
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// What a destroy would delete, looked up and locked, ready to confirm.
#[derive(Debug)]
pub struct DestroyPlan {
    pub stack: String,
    pub region: String,
    pub session: Session,
    store: Arc<Store>,
    union: Graph,
    survey: Survey,
    /// Resources to delete: (kind, name, IDs).
    pub doomed: Vec<(&'static str, String, Vec<String>)>,
    /// What stays, with why: `(yours) vpc vpc-0abc`.
    pub kept: Vec<String>,
    /// Databases whose deletion protection destroy turns off (the confirmation says so).
    pub protected: Vec<String>,
    /// Delete the database without a final snapshot (`--skip-final-snapshot`; the
    /// sandbox's default). Otherwise one is kept, named and listed at the end.
    pub skip_final_snapshot: bool,
    /// Whether the plan asks for final snapshots at all.
    pub final_snapshot: bool,
    plan: crate::plan::Plan,
    lock: StackLock,
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
    pub left: Vec<(String, String)>,
    /// What stays on purpose, with why.
    pub kept: Vec<String>,
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
        let mut out = Vec::new();
        for db in &self.protected {
            out.push((
                format!("database {db} has deletion protection on; destroy turns it off"),
                format!("데이터베이스 {db}에 삭제 방지가 켜져 있습니다. 삭제하면서 끕니다"),
            ));
        }
        let has_db = self
            .doomed
            .iter()
            .any(|(kind, _, _)| *kind == "rds-instance");
        if has_db && self.final_snapshot && !self.skip_final_snapshot {
            out.push((
                "a final snapshot of the database is kept (it is listed at the end)".into(),
                "데이터베이스의 최종 스냅샷을 남깁니다(끝에 목록을 보여 줍니다)".into(),
            ));
        } else if has_db {
            out.push((
                "the database is deleted without a final snapshot: its data is gone for good"
                    .into(),
                "데이터베이스를 최종 스냅샷 없이 삭제합니다. 데이터는 영구히 사라집니다".into(),
            ));
        }
        out
    }
}

pub async fn destroy_plan(env: &Env, stack: &str) -> Result<DestroyPlan, Failure> {
    let lock = StackLock::acquire(&env.stacks_dir, stack, "hawiz destroy")?;
    let store =
        Arc::new(Store::open(&env.stacks_dir, stack).map_err(|e| Failure::invalid(e.to_string()))?);
    let state = store.snapshot();
    let union = union_graph(&env.stacks_dir, &state.plan, &state.earlier)?;
    let session = connect(env, &state.region).await?;
    let runner = super::quiet_runner(env, &session, store.clone(), union.clone());
    let survey = engine::survey(&runner, false).await;
    if !survey.errors.is_empty() {
        let list: Vec<String> = survey
            .errors
            .iter()
            .map(|(k, e)| format!("  - {k}: {e}"))
            .collect();
        return Err(Failure::failed(format!(
            "could not look up every resource, so nothing was deleted:\n{}",
            list.join("\n")
        )));
    }
    let mut doomed = Vec::new();
    let mut kept = Vec::new();
    let mut protected = Vec::new();
    for id in survey.ids("db") {
        let db = session
            .clients
            .rds
            .describe_db_instances()
            .db_instance_identifier(&id)
            .send()
            .await;
        if db.is_ok_and(|o| {
            o.db_instances()
                .first()
                .and_then(|d| d.deletion_protection())
                == Some(true)
        }) {
            protected.push(id);
        }
    }
    for node in union.nodes() {
        if survey.ids(&node.key).is_empty() {
            continue;
        }
        let ids = survey.owned(&node.key);
        if let Some((why, _)) = node.res.kept() {
            kept.push(format!("({why}) {} {}", node.res.kind(), node.res.name()));
        } else if ids.is_empty() {
            // Proven the user's own (an administrator's boundary): used, never deleted.
            kept.push(format!("(yours) {} {}", node.res.kind(), node.res.name()));
        } else {
            doomed.push((node.res.kind(), node.res.name().to_string(), ids));
        }
    }
    Ok(DestroyPlan {
        stack: stack.to_string(),
        region: state.region,
        session,
        store,
        union,
        survey,
        doomed,
        kept,
        protected,
        skip_final_snapshot: env.target.sandbox,
        final_snapshot: state.plan.database.final_snapshot,
        plan: state.plan,
        lock,
    })
}

/// The stack's database's final snapshots (made by destroy or a replacement), with what
/// they cost to keep.
async fn snapshots(session: &Session, plan: &crate::plan::Plan) -> Vec<Snapshot> {
    let db = crate::names::database(&plan.stack.name);
    let Ok(out) = session
        .clients
        .rds
        .describe_db_snapshots()
        .db_instance_identifier(&db)
        .snapshot_type("manual")
        .send()
        .await
    else {
        return Vec::new();
    };
    out.db_snapshots()
        .iter()
        .filter_map(|s| {
            let name = s.db_snapshot_identifier()?;
            if !name.starts_with(&format!("{db}-final-")) {
                return None;
            }
            let gib = u32::try_from(s.allocated_storage().unwrap_or(0)).unwrap_or(0);
            Some(Snapshot {
                name: name.to_string(),
                gib,
                monthly: crate::cost::snapshot_monthly(plan.region(), gib),
            })
        })
        .collect()
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
        session,
        store,
        union,
        survey,
        kept,
        lock,
        skip_final_snapshot,
        plan,
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
            )
        })
        .await;
    let mut left = done.left();

    // Proof, not hope: look for every resource again, and sweep every kind's service for
    // anything still tagged with the stack.
    events.phase(Phase::Checking);
    let checker = super::quiet_runner(&env, &session, store.clone(), union.clone());
    let after = engine::survey(&checker, false).await;
    for node in union.nodes().filter(|n| n.res.kept().is_none()) {
        let ids = after.owned(&node.key);
        if !ids.is_empty() && !left.iter().any(|(k, _)| *k == node.key) {
            left.push((
                node.key.clone(),
                format!("still exists: {}", ids.join(", ")),
            ));
        }
    }
    for (key, err) in &after.errors {
        left.push((key.clone(), format!("could not check: {err}")));
    }
    match leftovers(&checker, &after).await {
        Ok(found) => {
            for l in found {
                left.push((
                    format!("{} {}", l.kind, l.id),
                    format!("still tagged {}={stack}", crate::aws::ec2::STACK_TAG),
                ));
            }
        }
        Err(e) => left.push(("sweep".into(), format!("could not sweep: {e}"))),
    }
    if left.is_empty() {
        lock.remove();
        store.remove().map_err(|e| Failure::failed(e.to_string()))?;
    }
    Ok(DestroyReport {
        deleted: done.deleted,
        left,
        kept,
        snapshots: snapshots(&session, &plan).await,
    })
}
