//! `hawiz failover STACK`: the switch to the standby region that AWS recommends making a
//! person's decision and a tool's steps (Well-Architected REL13-BP02: "manually initiated
//! failover … you should still automate the steps"). Route 53 already sends readers to
//! the standby when the primary's health check fails; this makes the standby the site:
//! its database replica promoted (irreversible), its files' replication ended (they become
//! writable), its group at the primary's size with a NAT gateway, its instances replaced
//! (they boot read-write). It works from the standby's region alone: the primary's may be
//! the one that is down.

use super::{Env, Events, Failure, Session, connect};
use crate::aws::{Clients, aws};
use crate::engine::{self, Dep, RunOptions};
use crate::i18n::Text;
use crate::i18n::korean::{Josa, with};
use crate::plan::Plan;
use crate::resources::file_replication;
use crate::state::Store;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// What the failover will do, for the confirmation.
pub struct FailoverPlan {
    pub stack: String,
    pub primary: String,
    pub standby: String,
    plan: Plan,
    store: Arc<Store>,
    /// Clients of the primary's region (made, not called: it may be down) and the
    /// standby's, signed in there.
    session: Session,
    database: String,
    /// The standby's copy of the files, when the stack shares files.
    files: Option<String>,
    pub notes: Vec<Text>,
    _lock: super::lock::StackLock,
    _account_lock: Option<super::account::AccountLock>,
}

/// What happened, step by step, with the seconds each took.
#[derive(Debug, Clone, Default)]
pub struct FailoverReport {
    pub steps: Vec<(Text, u64)>,
    pub problems: Vec<(String, crate::aws::Problem)>,
}

impl FailoverReport {
    pub fn is_complete(&self) -> bool {
        self.problems.is_empty()
    }

    /// The problems, one indented line each.
    pub fn problem_lines(&self) -> String {
        self.problems
            .iter()
            .map(|(k, e)| format!("  - {k}: {}", e.text))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// How a switch between the regions runs the engine: database changes now (the site is
/// moving anyway), final snapshots as a destroy keeps them, and every instance replaced
/// (each boots read-only or read-write by what its region's files are now).
pub(super) fn switch_options(env: &Env) -> RunOptions {
    RunOptions {
        db_now: true,
        skip_final_snapshot: env.target.sandbox,
        roll_instances: true,
        ..RunOptions::default()
    }
}

pub async fn prepare(env: &Env, stack: &str) -> Result<FailoverPlan, Failure> {
    let lock = super::lock::StackLock::acquire(&env.stacks_dir, stack, "hawiz failover")?;
    let (store, rebuilt) = super::account::open(env, stack).await?;
    let state = store.snapshot();
    let plan = state.plan.clone();
    let Some(f) = plan.failover.clone() else {
        return Err(Failure::invalid(format!(
            "stack {stack:?} has no [failover]: there is no standby region to fail over to. \
             Add [failover] to its plan and apply it first"
        )));
    };
    if let Some(at) = &f.failed_over {
        return Err(Failure::invalid(format!(
            "stack {stack:?} already failed over to {} at {at}: the standby is the site. {}",
            f.region,
            failback(&plan).en
        )));
    }
    let standby = f.region.trim().to_string();
    let session = connect(env, &standby).await?;
    let primary = session.clients.in_region(&state.region);
    let database = crate::names::database(stack);
    let replica = super::drill::database(&session.clients, &database)
        .await?
        .ok_or_else(|| {
            Failure::invalid(format!(
                "the standby's database {database} is missing in {standby}: finish the stack \
                 with `hawiz apply` first"
            ))
        })?;
    if replica.db_instance_status() != Some("available") {
        return Err(Failure::invalid(format!(
            "the standby's database {database} in {standby} is {}; it can be promoted once it \
             is available",
            replica
                .db_instance_status()
                .unwrap_or("in an unknown state")
        )));
    }
    let files = state
        .resources
        .get("efs-replication")
        .and_then(|r| r.id.clone());
    let mut notes: Vec<Text> = rebuilt.into_iter().collect();
    // The account's lock lives in the primary's region, which may be the one that is
    // down: failing over must not wait for it.
    let account_lock = match super::account::lock(
        primary.clone(),
        stack,
        "hawiz failover",
        env.force_unlock,
    )
    .await
    {
        Ok(l) => {
            notes.extend(l.took_over.clone());
            Some(l)
        }
        Err(e) => {
            notes.push(Text::new(
                format!(
                    "the stack's lock in {} could not be taken ({}); failing over without it",
                    state.region, e.message
                ),
                format!(
                    "{}의 스택 잠금을 잡지 못했습니다({}). 잠금 없이 장애 조치합니다",
                    state.region, e.message
                ),
            ));
            None
        }
    };
    Ok(FailoverPlan {
        stack: stack.to_string(),
        primary: state.region.clone(),
        standby,
        plan,
        store,
        session: Session {
            clients: primary,
            who: session.who,
        },
        database,
        files,
        notes,
        _lock: lock,
        _account_lock: account_lock,
    })
}

mod words;
pub use words::failback;

pub fn run(
    env: &Env,
    plan: FailoverPlan,
) -> (
    mpsc::UnboundedReceiver<super::Event>,
    JoinHandle<Result<FailoverReport, Failure>>,
) {
    let (events, rx) = Events::channel();
    let env = env.clone();
    let work = tokio::spawn(async move { steps(&env, plan, events).await });
    (rx, work)
}

async fn steps(env: &Env, p: FailoverPlan, events: Events) -> Result<FailoverReport, Failure> {
    let mut report = FailoverReport::default();
    let there = p.session.clients.in_region(&p.standby);
    let failed = |e: crate::aws::AwsError| Failure::failed(e.to_string());

    // 1. The database: a replica no more.
    let started = Instant::now();
    events.note(
        format!(
            "promoting the database replica {} in {}",
            p.database, p.standby
        ),
        format!(
            "{}의 데이터베이스 복제본 {} 승격하는 중",
            p.standby,
            with(&p.database, Josa::EulReul)
        ),
    );
    there
        .rds
        .promote_read_replica()
        .db_instance_identifier(&p.database)
        .backup_retention_period(7)
        .send()
        .await
        .map_err(aws("PromoteReadReplica"))
        .map_err(failed)?;
    promoted(&there, &p.database, env.target.emulated()).await?;
    report.steps.push((
        Text::new("database promoted", "데이터베이스 승격"),
        started.elapsed().as_secs(),
    ));

    // 2. The files: the replication ends, the copy becomes writable.
    if let Some(copy) = &p.files {
        let started = Instant::now();
        events.note(
            format!("ending the files' replication to {}", p.standby),
            format!("{}의 파일 복제를 끝내는 중", with(&p.standby, Josa::EuroRo)),
        );
        end_replication(&p.session.clients, &there, copy).await?;
        report.steps.push((
            Text::new("files writable", "파일 쓰기 가능"),
            started.elapsed().as_secs(),
        ));
    }

    // 3. Recorded before anything is resized: every later run builds the standby as the
    //    site (the plan in the account too, where the primary's region answers).
    let mut plan = p.plan.clone();
    if let Some(f) = plan.failover.as_mut() {
        f.failed_over = Some(crate::time::now_utc());
    }
    p.store
        .set_plan(&plan)
        .map_err(|e| Failure::failed(e.to_string()))?;
    if let Err(e) = super::account::save_plan(&p.session.clients, &plan).await {
        events.note(
            format!(
                "the plan in {} could not be updated ({}); this machine's state has it",
                p.primary, e.message
            ),
            format!(
                "{}의 계획을 갱신하지 못했습니다({}). 이 컴퓨터의 상태에는 있습니다",
                p.primary, e.message
            ),
        );
    }

    // 4. The standby's resources as the site's, replacing its instances: the engine over
    //    the standby's part alone, the rest as the state recorded it.
    let started = Instant::now();
    events.note(
        format!(
            "bringing the standby in {} to the primary's size",
            p.standby
        ),
        format!("{}의 대기 스택을 기본 리전 크기로 올리는 중", p.standby),
    );
    let graph = crate::blueprint::build(&plan, &env.stacks_dir)
        .map_err(|e| Failure::failed(format!("internal error: {e}")))?;
    // The standby's part, the site's name (Route 53 answers from everywhere: it points at
    // the standby alone from now on) and the primary's health check (put back if a region
    // drill with --promote left it inverted).
    let site = crate::blueprint::site_name(&plan).map(|s| crate::blueprint::site_key(&s));
    let keys: std::collections::BTreeSet<String> = graph
        .nodes()
        .filter(|n| {
            n.region.is_some()
                || ["efs-replication", "health-check/primary"].contains(&n.key.as_str())
                || Some(&n.key) == site.as_ref()
        })
        .map(|n| n.key.clone())
        .collect();
    let options = switch_options(env);
    let problems = converge_part(env, &p.session, &p.store, &graph, &keys, &events, options).await;
    report.problems.extend(problems);
    report.steps.push((
        Text::new("standby at full size", "대기 스택 전체 크기"),
        started.elapsed().as_secs(),
    ));
    Ok(report)
}

/// The engine over the part of the graph named by `keys`; the rest is taken as the state
/// recorded it (its IDs and outputs), so nothing outside the part is read or touched.
pub(super) async fn converge_part(
    env: &Env,
    session: &Session,
    store: &Arc<Store>,
    graph: &engine::Graph,
    keys: &std::collections::BTreeSet<String>,
    events: &Events,
    options: RunOptions,
) -> Vec<(String, crate::aws::Problem)> {
    let state = store.snapshot();
    let known: HashMap<String, Dep> = state
        .resources
        .iter()
        .filter(|(k, _)| !keys.contains(*k))
        .filter_map(|(k, r)| {
            r.id.clone().map(|id| {
                (
                    k.clone(),
                    Dep {
                        id,
                        outputs: r.outputs.clone(),
                    },
                )
            })
        })
        .collect();
    let outcome = events
        .run(|tx| {
            let mut runner =
                super::runner(env, session, store.clone(), graph.subset(keys), tx, options);
            runner.known = Arc::new(known);
            engine::apply(runner)
        })
        .await;
    outcome
        .failed()
        .map(|(k, e)| (k.clone(), e.clone()))
        .collect()
}

/// Until the promoted database is available and no replica (an emulator's promotion is
/// instant: it is never seen busy).
pub(super) async fn promoted(clients: &Clients, id: &str, emulated: bool) -> Result<(), Failure> {
    // RDS: "The promotion process can take several minutes or longer".
    let deadline = Instant::now() + Duration::from_secs(60 * 60);
    // The promotion reboots the instance: a first "available" read may come before it.
    let mut seen_busy = emulated;
    loop {
        let db = super::drill::database(clients, id).await?.ok_or_else(|| {
            Failure::failed(format!(
                "the database {id} disappeared during its promotion"
            ))
        })?;
        let status = db.db_instance_status().unwrap_or_default();
        let replica = db.read_replica_source_db_instance_identifier().is_some();
        if status != "available" {
            seen_busy = true;
        }
        if status == "available" && !replica && seen_busy {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(Failure::failed(format!(
                "the database {id} was not promoted within an hour (it is {status}); see the RDS \
                 console's events, and run `hawiz failover` again"
            )));
        }
        tokio::time::sleep(Duration::from_secs(5)).await;
    }
}

/// End the replication whose destination is `copy`: from the primary's region, where it
/// was made, or where that does not answer, from the standby's own side.
pub(super) async fn end_replication(
    primary: &Clients,
    there: &Clients,
    copy: &str,
) -> Result<(), Failure> {
    let failed = |e: engine::Error| Failure::failed(e.to_string());
    let Some(config) = file_replication::configuration(&there.efs, copy)
        .await
        .map_err(failed)?
    else {
        return Ok(()); // ended already (a second run)
    };
    let source = config.source_file_system_id().to_string();
    let from_source = primary
        .efs
        .delete_replication_configuration()
        .source_file_system_id(&source)
        .send()
        .await;
    if from_source.is_err() {
        // The primary's region does not answer: only this side's half of the
        // configuration can go (AWS: LOCAL_CONFIGURATION_ONLY), which makes the copy
        // writable.
        there
            .efs
            .delete_replication_configuration()
            .source_file_system_id(&source)
            .deletion_mode(aws_sdk_efs::types::DeletionMode::LocalConfigurationOnly)
            .send()
            .await
            .map_err(aws("DeleteReplicationConfiguration"))
            .map_err(|e| Failure::failed(e.to_string()))?;
    }
    let deadline = Instant::now() + Duration::from_secs(30 * 60);
    while file_replication::configuration(&there.efs, copy)
        .await
        .map_err(failed)?
        .is_some()
    {
        if Instant::now() > deadline {
            return Err(Failure::failed(format!(
                "the replication to {copy} did not end within 30 minutes; see the EFS console"
            )));
        }
        tokio::time::sleep(Duration::from_secs(5)).await;
    }
    Ok(())
}
