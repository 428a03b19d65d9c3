//! The switch's pause: the standby's database stops taking writes while the primary's
//! copy catches up, so no write made at the standby is left behind. It is the MariaDB
//! `read_only` variable, set in the standby's own parameter group (a dynamic parameter:
//! at once, no restart; RDS's master user has no SUPER privilege, so it holds for
//! WordPress too). The site keeps serving reads meanwhile. Lifted by putting back RDS's
//! own default, `{TrueIfReplica}`, which the replica made next needs (and a database
//! promoted from it by a later failover, writable).

use crate::aws::{Clients, aws};
use crate::ops::Failure;
use aws_sdk_rds::types::{ApplyMethod, Parameter};
use std::time::{Duration, Instant, SystemTime};

const READ_ONLY: &str = "read_only";
const PAUSED: &str = "1";
/// RDS's default for `read_only`: on for a replica, off otherwise.
const DEFAULT: &str = "{TrueIfReplica}";

/// Whether the standby's writes are paused (a switch under way).
pub async fn is_paused(there: &Clients, group: &str) -> Result<bool, Failure> {
    let mut pages = there
        .rds
        .describe_db_parameters()
        .db_parameter_group_name(group)
        .source("user")
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = match page.map_err(aws("DescribeDBParameters")) {
            Ok(p) => p,
            // No group (a stack whose standby never got that far): nothing is paused.
            Err(e) if e.code.as_deref() == Some("DBParameterGroupNotFound") => return Ok(false),
            Err(e) => return Err(Failure::failed(e.to_string())),
        };
        if let Some(p) = page
            .parameters()
            .iter()
            .find(|p| p.parameter_name() == Some(READ_ONLY))
        {
            return Ok(p.parameter_value() == Some(PAUSED));
        }
    }
    Ok(false)
}

async fn set(there: &Clients, group: &str, value: &str) -> Result<(), Failure> {
    there
        .rds
        .modify_db_parameter_group()
        .db_parameter_group_name(group)
        .parameters(
            Parameter::builder()
                .parameter_name(READ_ONLY)
                .parameter_value(value)
                .apply_method(ApplyMethod::Immediate)
                .build(),
        )
        .send()
        .await
        .map_err(aws("ModifyDBParameterGroup"))
        .map_err(|e| Failure::failed(e.to_string()))?;
    Ok(())
}

pub async fn pause(there: &Clients, group: &str) -> Result<(), Failure> {
    set(there, group, PAUSED).await
}

pub async fn lift(there: &Clients, group: &str) -> Result<(), Failure> {
    set(there, group, DEFAULT).await
}

/// Until the primary's replica reports no lag in a minute that began after the pause
/// (CloudWatch's `ReplicaLag`, once a minute): every write the standby took is then in
/// the copy. `Ok(false)` where nothing is reported (an emulator records no metrics):
/// the caller says the catching up was not measured. After 15 minutes without it the
/// switch stops, paused, for a later run to go on.
pub async fn caught_up(
    here: &Clients,
    id: &str,
    paused_at: SystemTime,
    emulated: bool,
) -> Result<bool, Failure> {
    if emulated {
        return Ok(false);
    }
    let deadline = Instant::now() + Duration::from_secs(15 * 60);
    loop {
        let lag = crate::ops::standby::replica_lag(here, id, paused_at)
            .await
            .map_err(|e| Failure::failed(e.to_string()))?;
        if lag == Some(0.0) {
            return Ok(true);
        }
        if Instant::now() > deadline {
            return Err(Failure::failed(format!(
                "the primary's copy {id} has not reported catching up within 15 minutes of the \
                 pause ({}); the standby's writes stay paused: run `hawiz failback` again to \
                 wait on",
                match lag {
                    Some(s) => format!("{s:.0} s behind"),
                    None => "no lag reported".to_string(),
                }
            )));
        }
        tokio::time::sleep(Duration::from_secs(15)).await;
    }
}
