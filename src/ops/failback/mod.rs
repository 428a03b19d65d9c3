//! `hawiz failback STACK`: the way back after `hawiz failover`, automated as AWS describes
//! it (Well-Architected REL13-BP02: "re-establish the database in the primary Region as a
//! replica of the database in the recovery Region … this will involve deleting the old
//! primary database, and creating new replicas"). Two halves:
//!
//! 1. **Copy back** (the site keeps serving from the standby): the primary's old database,
//!    whose data stopped at the failover, is deleted keeping a final snapshot, and made
//!    again as a cross-region replica of the standby's; the standby's files replicate onto
//!    the primary's file system. `--prepare` stops here, so the switch can wait for a
//!    quiet hour.
//! 2. **Switch** (minutes of a read-only site): the standby's writes are paused (its
//!    parameter group's `read_only`), the primary's replica catches up and is promoted,
//!    the files' replication ends, the plan stops saying failed over, the engine points
//!    the site back at the primary (its instances replaced, read-write), and the standby
//!    becomes a standby again: its database deleted keeping a final snapshot, its pause
//!    lifted, then the replica and the files' replication made anew by the engine.
//!
//! Where a run stopped is read back from AWS, never from a note of hawiz's own: the
//! standby's paused writes mark a switch under way, and the primary's database naming the
//! standby's as its source marks a copy made. So a second run goes on where the first
//! stopped and creates nothing twice.

use super::{Env, Failure, Session, connect};
use crate::aws::Clients;
use crate::i18n::Text;
use crate::plan::Plan;
use crate::state::Store;
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

mod copy;
mod pause;
mod steps;
mod words;

pub use super::failover::FailoverReport as FailbackReport;

/// Where the failback stands, read from AWS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The primary's database is still the old one (or gone).
    Copy,
    /// The primary holds a replica of the standby's database: the switch is next.
    Copied,
    /// The standby's writes are paused: a switch was cut short.
    Switching,
    /// The plan no longer says failed over, but the standby's writes are still paused:
    /// only the standby's rebuilding is left.
    Finishing,
}

/// The stack's file systems on both sides: the primary's and its copy in the standby's
/// region (the site's since failover).
#[derive(Debug, Clone)]
pub struct Files {
    pub primary: String,
    pub standby: String,
}

/// What the failback will do, for the confirmation.
pub struct FailbackPlan {
    pub stack: String,
    pub primary: String,
    pub standby: String,
    pub stage: Stage,
    /// Stop once the copy is made (`--prepare`).
    pub prepare: bool,
    plan: Plan,
    store: Arc<Store>,
    /// Signed in to the primary's region (it must answer to fail back).
    session: Session,
    database: String,
    /// The standby's database parameter group (its `read_only` pauses the writes).
    parameters: String,
    files: Option<Files>,
    /// When the site failed over (from the plan; empty when finishing).
    since: String,
    pub notes: Vec<Text>,
    _lock: super::lock::StackLock,
    _account_lock: super::account::AccountLock,
}

pub async fn prepare(env: &Env, stack: &str, prepare: bool) -> Result<FailbackPlan, Failure> {
    let lock = super::lock::StackLock::acquire(&env.stacks_dir, stack, "hawiz failback")?;
    let (store, rebuilt) = super::account::open(env, stack).await?;
    let state = store.snapshot();
    let plan = state.plan.clone();
    let Some(f) = plan.failover.clone() else {
        return Err(Failure::invalid(format!(
            "stack {stack:?} has no [failover]: it never failed over, there is nothing to fail \
             back"
        )));
    };
    let standby = f.region.trim().to_string();
    let session = connect(env, &state.region).await?;
    let there = session.clients.in_region(&standby);
    let database = crate::names::database(stack);
    let id = |key: &str| state.resources.get(key).and_then(|r| r.id.clone());
    let parameters = id("standby/db-parameter-group").unwrap_or_else(|| database.clone());
    let paused = pause::is_paused(&there, &parameters).await?;
    let stage = match (&f.failed_over, paused) {
        (None, false) => {
            return Err(Failure::invalid(format!(
                "stack {stack:?} has not failed over: its site is in {} and {standby} is its \
                 standby, there is nothing to fail back",
                state.region
            )));
        }
        (None, true) => Stage::Finishing,
        (Some(_), true) => Stage::Switching,
        (Some(_), false) => {
            let standby_db = super::drill::database(&there, &database)
                .await?
                .ok_or_else(|| {
                    Failure::invalid(format!(
                        "the site's database {database} is missing in {standby}: there is \
                         nothing to copy back (restore it from its snapshots in the RDS \
                         console first)"
                    ))
                })?;
            if standby_db.db_instance_status() != Some("available") {
                return Err(Failure::invalid(format!(
                    "the site's database {database} in {standby} is {}; it can be copied back \
                     once it is available",
                    standby_db
                        .db_instance_status()
                        .unwrap_or("in an unknown state")
                )));
            }
            let here = super::drill::database(&session.clients, &database).await?;
            if here
                .as_ref()
                .is_some_and(|db| super::standby::replica_of(db, &standby))
            {
                Stage::Copied
            } else {
                Stage::Copy
            }
        }
    };
    let files = match (id("efs"), id("efs-replication")) {
        (Some(primary), Some(standby)) => Some(Files { primary, standby }),
        _ => None,
    };
    let account_lock = super::account::lock(
        session.clients.clone(),
        stack,
        "hawiz failback",
        env.force_unlock,
    )
    .await?;
    let mut notes: Vec<Text> = rebuilt.into_iter().collect();
    notes.extend(account_lock.took_over.clone());
    Ok(FailbackPlan {
        stack: stack.to_string(),
        primary: state.region.clone(),
        standby,
        stage,
        prepare,
        plan,
        store,
        session,
        database,
        parameters,
        files,
        since: f.failed_over.unwrap_or_default(),
        notes,
        _lock: lock,
        _account_lock: account_lock,
    })
}

pub fn run(
    env: &Env,
    plan: FailbackPlan,
) -> (
    mpsc::UnboundedReceiver<super::Event>,
    JoinHandle<Result<FailbackReport, Failure>>,
) {
    let (events, rx) = super::Events::channel();
    let env = env.clone();
    let work = tokio::spawn(async move { steps::all(&env, plan, events).await });
    (rx, work)
}

fn failed(e: impl std::fmt::Display) -> Failure {
    Failure::failed(e.to_string())
}

/// Time one step and add it to the report.
struct Clock(Instant);

impl Clock {
    fn start() -> Self {
        Clock(Instant::now())
    }
    fn done(self, report: &mut FailbackReport, en: &str, ko: &str) {
        report
            .steps
            .push((Text::new(en, ko), self.0.elapsed().as_secs()));
    }
}

impl FailbackPlan {
    fn there(&self) -> Arc<Clients> {
        self.session.clients.in_region(&self.standby)
    }
}
