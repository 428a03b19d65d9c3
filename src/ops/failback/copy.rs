//! The failback's first half, the copy back (the site keeps serving from the standby):
//! the primary's old database replaced by a replica of the standby's, and the standby's
//! files replicated onto the primary's file system.

use super::{Clock, FailbackPlan, FailbackReport, failed};
use crate::aws::{Clients, aws};
use crate::i18n::korean::{Josa, with};
use crate::ops::{Events, Failure};
use crate::resources::file_replication;
use std::time::{Duration, Instant};

/// RDS: a cross-region replica copies the whole database first ("can take hours" for a
/// large one).
const COPY_WAIT: Duration = Duration::from_secs(3 * 60 * 60);

/// The primary's old database (its data stopped at the failover) goes, keeping a final
/// snapshot; a cross-region replica of the standby's takes its name.
pub(super) async fn copy_database(
    p: &FailbackPlan,
    here: &Clients,
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
        delete_keeping_snapshot(here, db).await?;
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
        // As the plan says from the start: the copy is the site's database-to-be.
        .deletion_protection(p.plan.database.deletion_protection)
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
/// it is gone. Kept in the sandbox too: what the failback says it keeps, it keeps.
pub(super) async fn delete_keeping_snapshot(clients: &Clients, db: &str) -> Result<(), Failure> {
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
    clients
        .rds
        .delete_db_instance()
        .db_instance_identifier(db)
        .delete_automated_backups(true)
        .skip_final_snapshot(false)
        .final_db_snapshot_identifier(crate::resources::db_instance::final_snapshot_name(db))
        .send()
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
pub(super) async fn copy_files(
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
    // A run that finds the copy enabled already (after --prepare) says nothing of it.
    let made = destination(now);
    if made == Some(aws_sdk_efs::types::ReplicationStatus::Enabled) {
        return Ok(());
    }
    if made.is_none() {
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
