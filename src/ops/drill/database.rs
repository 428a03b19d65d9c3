//! The database drill: reboot RDS with a failover to its standby and watch its status and
//! events until it is available again.

use super::{DrillPlan, DrillResult, Probe, bound, database};
use crate::aws::Clients;
use crate::i18n::korean::{self, Josa};
use crate::ops::{Events, Failure};
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The database to fail over, once it has a standby and is available, and what the
/// drill does: (identifier, the primary's AZ, en, ko).
pub(super) async fn target(
    clients: &Clients,
    stack: &str,
) -> Result<(String, String, String, String), Failure> {
    let id = crate::names::database(stack);
    let db = database(clients, &id).await?.ok_or_else(|| {
        Failure::invalid(format!("the database {id} of stack {stack:?} is missing"))
    })?;
    if crate::ops::db_standby::state_of(&db) == crate::ops::db_standby::DbStandby::BeingAdded {
        return Err(Failure::invalid(format!(
            "database {id}'s standby is still being added (fast start adds it once the site \
             serves; typically 10–15 min on AWS): a failover has nowhere to go yet. \
             `hawiz status {stack}` shows when it is in place"
        )));
    }
    if db.multi_az() != Some(true) {
        return Err(Failure::invalid(format!(
            "database {id} is single-AZ: a failover has no standby to go to. With \
             `database.multi_az = true` in the plan, `hawiz apply` adds it"
        )));
    }
    let status = db.db_instance_status().unwrap_or_default();
    if status != "available" {
        return Err(Failure::invalid(format!(
            "database {id} is {status}, not available: try again when it is"
        )));
    }
    let az = db.availability_zone().unwrap_or_default().to_string();
    Ok((
        id.clone(),
        az.clone(),
        format!(
            "reboot database {id} with failover: its primary in {az} hands over to the \
             standby{}",
            db.secondary_availability_zone()
                .map(|s| format!(" in {s}"))
                .unwrap_or_default()
        ),
        format!(
            "데이터베이스 {} 장애 조치로 재부팅합니다: {az}의 기본 인스턴스가 대기 \
             인스턴스{}",
            korean::with(&id, Josa::EulReul),
            db.secondary_availability_zone()
                .map(|s| format!("({s})로 넘깁니다"))
                .unwrap_or_else(|| "로 넘깁니다".into())
        ),
    ))
}

pub(super) async fn watch(
    plan: &DrillPlan,
    clients: &Arc<Clients>,
    events: &Events,
    result: &mut DrillResult,
    probe: &mut Probe,
    secs: &(dyn Fn() -> u64 + Sync),
) -> Result<(), Failure> {
    let since = aws_smithy_types::DateTime::from(std::time::SystemTime::now());
    clients
        .rds
        .reboot_db_instance()
        .db_instance_identifier(&plan.victim)
        .force_failover(true)
        .send()
        .await
        .map_err(|e| Failure::failed(format!("RebootDBInstance: {e}")))?;
    events.note(
        format!(
            "t+0s  rebooting {} with failover (primary in {})",
            plan.victim, plan.zone
        ),
        format!(
            "t+0초  {} 장애 조치로 재부팅 (기본: {})",
            korean::with(&plan.victim, Josa::EulReul),
            plan.zone
        ),
    );
    let mut last = String::new();
    let mut seen_events = BTreeSet::new();
    let mut left_available = false;
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    let limit = bound(plan.emulator);
    let start = Instant::now();
    while start.elapsed() < limit {
        tick.tick().await;
        let failure = probe.once(plan.probe_url.as_deref()).await;
        let Some(db) = database(clients, &plan.victim).await? else {
            return Err(Failure::failed(format!(
                "database {} disappeared",
                plan.victim
            )));
        };
        let status = db.db_instance_status().unwrap_or_default().to_string();
        let az = db.availability_zone().unwrap_or_default().to_string();
        if status != "available" && !left_available {
            left_available = true;
            result.detect_secs = Some(secs());
        }
        if let Ok(out) = clients
            .rds
            .describe_events()
            .source_type(aws_sdk_rds::types::SourceType::DbInstance)
            .source_identifier(&plan.victim)
            .start_time(since)
            .send()
            .await
        {
            // Only what happened since the drill began: an emulator ignores StartTime and
            // replays the database's creation. A date in whole seconds counts from the
            // drill's second; a finer one from the drill's instant (a database made a
            // moment before the drill is not the drill's).
            let after = |d: &aws_smithy_types::DateTime| {
                if d.subsec_nanos() == 0 {
                    d.secs() >= since.secs()
                } else {
                    (d.secs(), d.subsec_nanos()) >= (since.secs(), since.subsec_nanos())
                }
            };
            for e in out.events().iter().filter(|e| e.date().is_none_or(after)) {
                let text = e.message().unwrap_or_default().to_string();
                if seen_events.insert(text.clone()) {
                    events.note(
                        format!("t+{}s  RDS: {text}", secs()),
                        format!("t+{}초  RDS: {text}", secs()),
                    );
                }
            }
        }
        let line = format!(
            "database {status} · primary in {az}{}",
            failure.map(|f| format!(" · site: {f}")).unwrap_or_default()
        );
        if line != last {
            events.note(
                format!("t+{}s  {line}", secs()),
                format!("t+{}초  {line}", secs()),
            );
            last = line;
        }
        // Back when available again after leaving it; an emulator that never leaves
        // "available" is back at once.
        if status == "available" && (left_available || plan.emulator) {
            result.detect_secs.get_or_insert(secs());
            result.replace_secs = Some(secs());
            result.healthy_secs = Some(secs());
            result.zone_after = Some(az);
            result.healed = true;
            return Ok(());
        }
    }
    Ok(())
}
