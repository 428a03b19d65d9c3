//! The failback's steps, each skipped when AWS shows it done (a second run goes on where
//! the first stopped), each timed.

use super::{FailbackPlan, FailbackReport, Stage, pause};
use crate::aws::{Clients, aws};
use crate::engine::RunOptions;
use crate::i18n::Text;
use crate::i18n::korean::{Josa, with};
use crate::ops::failover::{converge_part, end_replication, promoted};
use crate::ops::{Env, Events, Failure};
use crate::resources::file_replication;
use std::collections::BTreeSet;
use std::time::{Duration, Instant, SystemTime};

/// RDS: a cross-region replica copies the whole database first ("can take hours" for a
/// large one).
const COPY_WAIT: Duration = Duration::from_secs(3 * 60 * 60);

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

pub(super) async fn all(
    env: &Env,
    p: FailbackPlan,
    events: Events,
) -> Result<FailbackReport, Failure> {
    let mut report = FailbackReport::default();
    let here = p.session.clients.clone();
    let there = p.there();
    if p.stage == Stage::Copy {
        copy_database(&p, &here, env.target.sandbox, &events, &mut report).await?;
    }
    if matches!(p.stage, Stage::Copy | Stage::Copied)
        && let Some(files) = &p.files
    {
        copy_files(&p, files, &here, &there, &events, &mut report).await?;
    }
    if p.prepare {
        return Ok(report);
    }
    if p.stage != Stage::Finishing {
        switch(env, &p, &here, &there, &events, &mut report).await?;
    }
    point_back(env, &p, &events, &mut report).await?;
    // The site is the primary's again: the standby's part made a standby once more.
    let clock = Clock::start();
    let db = crate::ops::drill::database(&there, &p.database).await?;
    if db.is_some_and(|db| !super::replica_of(&db, &p.primary)) {
        events.note(
            format!(
                "deleting the standby's database {} in {} (its data is in the primary's \
                 now), keeping a final snapshot",
                p.database, p.standby
            ),
            format!(
                "{}의 대기 리전 데이터베이스 {} 삭제하는 중 (데이터는 이제 기본 리전에 있음), 최종 \
                 스냅샷은 남깁니다",
                p.standby,
                with(&p.database, Josa::EulReul)
            ),
        );
        delete_keeping_snapshot(&there, &p.database, env.target.sandbox).await?;
    }
    let graph = graph(env, &p)?;
    let keys: BTreeSet<String> = graph.nodes().map(|n| n.key.clone()).collect();
    let options = RunOptions {
        db_now: true,
        skip_final_snapshot: env.target.sandbox,
        roll_instances: true,
    };
    let mut problems = converge_part(
        env,
        &p.session,
        &p.store,
        &graph,
        &keys,
        &events,
        options.clone(),
    )
    .await;
    // What only the failed-over standby had (a pilot light's NAT gateway) goes.
    if problems.is_empty() {
        let mut failed_over = p.store.snapshot().plan;
        if let Some(f) = failed_over.failover.as_mut() {
            f.failed_over = Some(p.since.clone());
        }
        let union =
            crate::ops::union_graph(&env.stacks_dir, &p.store.snapshot().plan, &[failed_over])?;
        let make =
            |g, tx| crate::ops::runner(env, &p.session, p.store.clone(), g, tx, options.clone());
        match crate::ops::apply::remove_left(&union, &graph, &events, make).await {
            Ok((_, left)) | Err(left) => problems.extend(left),
        }
    }
    // The primary's database came back single-AZ (a replica promoted): with fast start
    // its standby is asked for as after a first build (without, the engine did it).
    let plan = p.store.snapshot().plan;
    if problems.is_empty()
        && crate::ops::db_standby::wanted(&plan)
        && let Err(why) = crate::ops::db_standby::add(&here, &plan, true, &events).await
    {
        problems.push(("db-standby".into(), why));
    }
    // Lifted last: until then a later run knows the failback is not finished (and goes on
    // from here). The new replica is read-only either way.
    if problems.is_empty() {
        pause::lift(&there, &p.parameters).await?;
    }
    report.problems.extend(problems);
    clock.done(
        &mut report,
        "standby rebuilt (replica, files replication)",
        "대기 스택 재구성 (복제본, 파일 복제)",
    );
    Ok(report)
}

fn graph(env: &Env, p: &FailbackPlan) -> Result<crate::engine::Graph, Failure> {
    let plan = p.store.snapshot().plan;
    crate::blueprint::build(&plan, &env.stacks_dir)
        .map_err(|e| Failure::failed(format!("internal error: {e}")))
}

/// The primary's old database (its data stopped at the failover) goes, keeping a final
/// snapshot; a cross-region replica of the standby's takes its name.
async fn copy_database(
    p: &FailbackPlan,
    here: &Clients,
    sandbox: bool,
    events: &Events,
    report: &mut FailbackReport,
) -> Result<(), Failure> {
    let clock = Clock::start();
    let db = &p.database;
    if crate::ops::drill::database(here, db).await?.is_some() {
        events.note(
            format!(
                "deleting the primary's old database {db} in {} (its data stopped at the \
                 failover), keeping a final snapshot",
                p.primary
            ),
            format!(
                "{}의 이전 기본 데이터베이스 {} 삭제하는 중 (데이터는 장애 조치 시점에서 멈춤), 최종 \
                 스냅샷은 남깁니다",
                p.primary,
                with(db, Josa::EulReul)
            ),
        );
        delete_keeping_snapshot(here, db, sandbox).await?;
    }
    let state = p.store.snapshot();
    let id = |key: &str| {
        state
            .resources
            .get(key)
            .and_then(|r| r.id.clone())
            .ok_or_else(|| {
                Failure::failed(format!(
                    "the stack's {key} is not recorded: run `hawiz status {}` to see what is \
                     missing",
                    p.stack
                ))
            })
    };
    let there = p.there();
    let source = crate::ops::drill::database(&there, db)
        .await?
        .and_then(|d| d.db_instance_arn().map(str::to_string))
        .ok_or_else(|| Failure::failed(format!("the database {db} in {} is gone", p.standby)))?;
    events.note(
        format!(
            "copying the site's database back: a replica of {} in {}",
            p.standby, p.primary
        ),
        format!(
            "사이트 데이터베이스를 되돌려 복사하는 중: {}의 복제본을 {}에",
            p.standby, p.primary
        ),
    );
    here.once
        .rds
        .create_db_instance_read_replica()
        .db_instance_identifier(db)
        .source_db_instance_identifier(source)
        .kms_key_id("alias/aws/rds")
        .db_instance_class(&p.plan.database.instance_class)
        .db_subnet_group_name(id("db-subnet-group")?)
        .db_parameter_group_name(id("db-parameter-group")?)
        .vpc_security_group_ids(id("sg/db")?)
        .publicly_accessible(false)
        .multi_az(false)
        .storage_type("gp3")
        .copy_tags_to_snapshot(true)
        .auto_minor_version_upgrade(true)
        .set_tags(Some(crate::resources::tags::rds_of(&p.stack, "db", db)))
        .send()
        .await
        .map_err(aws("CreateDBInstanceReadReplica"))
        .map_err(failed)?;
    until_available(here, db).await?;
    clock.done(
        report,
        "database copied back (replica)",
        "데이터베이스 되돌려 복사 (복제본)",
    );
    Ok(())
}

async fn until_available(clients: &Clients, db: &str) -> Result<(), Failure> {
    let deadline = Instant::now() + COPY_WAIT;
    loop {
        let status = crate::ops::drill::database(clients, db)
            .await?
            .and_then(|d| d.db_instance_status().map(str::to_string));
        match status.as_deref() {
            Some("available") => return Ok(()),
            Some(s @ ("failed" | "incompatible-parameters" | "incompatible-network")) => {
                return Err(Failure::failed(format!(
                    "the database copy {db} is {s}; see the RDS console's events"
                )));
            }
            None => {
                return Err(Failure::failed(format!(
                    "the database copy {db} disappeared"
                )));
            }
            _ if Instant::now() > deadline => {
                return Err(Failure::failed(format!(
                    "the database copy {db} is not available after 3 hours; run `hawiz \
                     failback` again to wait on"
                )));
            }
            _ => tokio::time::sleep(Duration::from_secs(10)).await,
        }
    }
}

/// Delete a database keeping a final snapshot (its protection off first) and wait until
/// it is gone. `skip`: the sandbox keeps none (as its destroy keeps none).
async fn delete_keeping_snapshot(clients: &Clients, db: &str, skip: bool) -> Result<(), Failure> {
    if crate::ops::drill::database(clients, db)
        .await?
        .and_then(|d| d.deletion_protection())
        == Some(true)
    {
        clients
            .once
            .rds
            .modify_db_instance()
            .db_instance_identifier(db)
            .deletion_protection(false)
            .apply_immediately(true)
            .send()
            .await
            .map_err(aws("ModifyDBInstance"))
            .map_err(failed)?;
    }
    let mut call = clients
        .rds
        .delete_db_instance()
        .db_instance_identifier(db)
        .delete_automated_backups(true)
        .skip_final_snapshot(skip);
    if !skip {
        call = call
            .final_db_snapshot_identifier(crate::resources::db_instance::final_snapshot_name(db));
    }
    call.send()
        .await
        .map_err(aws("DeleteDBInstance"))
        .map_err(failed)?;
    let deadline = Instant::now() + Duration::from_secs(60 * 60);
    while crate::ops::drill::database(clients, db).await?.is_some() {
        if Instant::now() > deadline {
            return Err(Failure::failed(format!(
                "the database {db} was not deleted within an hour; see the RDS console"
            )));
        }
        tokio::time::sleep(Duration::from_secs(10)).await;
    }
    Ok(())
}

/// The standby's files replicate onto the primary's file system (its replication
/// overwrite protection off: its files are older than the standby's).
async fn copy_files(
    p: &FailbackPlan,
    files: &super::Files,
    here: &Clients,
    there: &Clients,
    events: &Events,
    report: &mut FailbackReport,
) -> Result<(), Failure> {
    let clock = Clock::start();
    let destination = |c: Option<aws_sdk_efs::types::ReplicationConfigurationDescription>| {
        c.and_then(|c| {
            c.destinations()
                .iter()
                .find(|d| d.file_system_id() == files.primary)
                .map(|d| d.status().clone())
        })
    };
    let now = file_replication::configuration(&there.efs, &files.standby)
        .await
        .map_err(failed)?;
    if destination(now).is_none() {
        events.note(
            format!(
                "copying the site's files back: {} replicates onto {} in {}",
                files.standby, files.primary, p.primary
            ),
            format!(
                "사이트 파일을 되돌려 복사하는 중: {}의 파일을 {}에 복제",
                files.standby, files.primary
            ),
        );
        here.once
            .efs
            .update_file_system_protection()
            .file_system_id(&files.primary)
            .replication_overwrite_protection(
                aws_sdk_efs::types::ReplicationOverwriteProtection::Disabled,
            )
            .send()
            .await
            .map_err(aws("UpdateFileSystemProtection"))
            .map_err(failed)?;
        there
            .once
            .efs
            .create_replication_configuration()
            .source_file_system_id(&files.standby)
            .destinations(
                aws_sdk_efs::types::DestinationToCreate::builder()
                    .region(&p.primary)
                    .file_system_id(&files.primary)
                    .build(),
            )
            .send()
            .await
            .map_err(aws("CreateReplicationConfiguration"))
            .map_err(failed)?;
    }
    let deadline = Instant::now() + Duration::from_secs(30 * 60);
    loop {
        let c = file_replication::configuration(&there.efs, &files.standby)
            .await
            .map_err(failed)?;
        use aws_sdk_efs::types::ReplicationStatus as S;
        match destination(c) {
            Some(S::Enabled) => break,
            Some(s @ (S::Error | S::Paused)) => {
                return Err(Failure::failed(format!(
                    "the files' replication to {} is {}; see the EFS console",
                    files.primary,
                    s.as_str()
                )));
            }
            None => {
                return Err(Failure::failed(format!(
                    "the files' replication to {} disappeared",
                    files.primary
                )));
            }
            Some(_) if Instant::now() > deadline => {
                return Err(Failure::failed(format!(
                    "the files' replication to {} was not enabled within 30 minutes; run \
                     `hawiz failback` again to wait on",
                    files.primary
                )));
            }
            Some(_) => tokio::time::sleep(Duration::from_secs(10)).await,
        }
    }
    clock.done(report, "files copied back", "파일 되돌려 복사");
    Ok(())
}

/// The switch: the standby's writes paused, the copy caught up and promoted, the files
/// writable, and the plan no longer failed over.
async fn switch(
    env: &Env,
    p: &FailbackPlan,
    here: &Clients,
    there: &Clients,
    events: &Events,
    report: &mut FailbackReport,
) -> Result<(), Failure> {
    let emulated = env.target.emulated();
    let db = &p.database;
    let clock = Clock::start();
    events.note(
        format!(
            "pausing the site's writes in {}: it serves read-only until the switch ends",
            p.standby
        ),
        format!(
            "{}에서 사이트 쓰기를 멈추는 중: 전환이 끝날 때까지 읽기 전용으로 서비스합니다",
            p.standby
        ),
    );
    let paused_at = SystemTime::now();
    pause::pause(there, &p.parameters).await?;
    let copy = crate::ops::drill::database(here, db).await?;
    if copy
        .as_ref()
        .is_some_and(|d| super::replica_of(d, &p.standby))
    {
        events.note(
            format!("waiting for the copy {db} in {} to catch up", p.primary),
            format!(
                "{}의 복사본 {} 따라잡기를 기다리는 중",
                p.primary,
                with(db, Josa::IGa)
            ),
        );
        if !pause::caught_up(here, db, paused_at, emulated).await? {
            events.note(
                "the emulator reports no replica lag: the catching up is not measured",
                "에뮬레이터는 복제 지연을 보고하지 않습니다: 따라잡기는 측정되지 않았습니다",
            );
        }
        clock.done(
            report,
            "writes paused, copy caught up",
            "쓰기 멈춤, 복사본 따라잡음",
        );
        let clock = Clock::start();
        events.note(
            format!("promoting the copy {db} in {}", p.primary),
            format!(
                "{}의 복사본 {} 승격하는 중",
                p.primary,
                with(db, Josa::EulReul)
            ),
        );
        here.rds
            .promote_read_replica()
            .db_instance_identifier(db)
            .backup_retention_period(7)
            .send()
            .await
            .map_err(aws("PromoteReadReplica"))
            .map_err(failed)?;
        promoted(here, db, emulated).await?;
        clock.done(
            report,
            "primary's database promoted",
            "기본 리전 데이터베이스 승격",
        );
    }
    if let Some(files) = &p.files {
        let clock = Clock::start();
        events.note(
            format!("ending the files' replication to {}", p.primary),
            format!("{}의 파일 복제를 끝내는 중", with(&p.primary, Josa::EuroRo)),
        );
        end_replication(there, here, &files.primary).await?;
        clock.done(
            report,
            "primary's files writable",
            "기본 리전 파일 쓰기 가능",
        );
    }

    // Recorded before the site moves: from here on every run builds the primary as the
    // site and the standby as its standby.
    let mut plan = p.plan.clone();
    if let Some(f) = plan.failover.as_mut() {
        f.failed_over = None;
    }
    p.store.set_plan(&plan).map_err(failed)?;
    crate::ops::account::save_plan(&p.session.clients, &plan).await?;
    Ok(())
}

/// The primary's part and the site's records (Route 53 answers from everywhere): the
/// site is the primary's again, its instances replaced (they boot read-write).
async fn point_back(
    env: &Env,
    p: &FailbackPlan,
    events: &Events,
    report: &mut FailbackReport,
) -> Result<(), Failure> {
    let clock = Clock::start();
    events.note(
        format!("pointing the site back at {}", p.primary),
        format!(
            "사이트를 다시 {} 가리키게 하는 중",
            with(&p.primary, Josa::EulReul)
        ),
    );
    let graph = graph(env, p)?;
    let keys: BTreeSet<String> = graph
        .nodes()
        .filter(|n| n.region.is_none() && n.key != "efs-replication")
        .map(|n| n.key.clone())
        .collect();
    let options = RunOptions {
        db_now: true,
        skip_final_snapshot: env.target.sandbox,
        roll_instances: true,
    };
    let problems = converge_part(env, &p.session, &p.store, &graph, &keys, events, options).await;
    if !problems.is_empty() {
        // The standby keeps its database (paused) until the primary serves: a later run
        // goes on from here.
        report.problems.extend(problems);
        return Err(Failure::failed(format!(
            "the site could not be pointed back at {} yet:\n{}\nthe standby's database stays, \
             its writes paused; fix the cause and run `hawiz failback {}` again",
            p.primary,
            report
                .problems
                .iter()
                .map(|(k, e)| format!("  - {k}: {}", e.text))
                .collect::<Vec<_>>()
                .join("\n"),
            p.stack
        )));
    }
    clock.done(
        report,
        "site back at the primary",
        "사이트가 기본 리전으로 돌아옴",
    );
    Ok(())
}
