//! Fast start's second half. A new stack's database is created single-AZ (on AWS about 5
//! minutes instead of 15–20 for Multi-AZ), so the site can serve sooner; once it does,
//! RDS adds the standby in place (from a snapshot, no downtime) and the plan is met. Read
//! the same way by apply, status, the final screen and the drill.

use super::Events;
use crate::aws::{Clients, Problem, aws};
use crate::i18n::Text;
use crate::plan::Plan;
use std::time::Duration;

/// Where the database's standby (its second AZ) stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbStandby {
    /// Multi-AZ.
    InPlace,
    /// Asked for, and RDS is adding it (the database serves meanwhile).
    BeingAdded,
    /// Single-AZ with nothing asked: the next apply adds it.
    NotAdded,
}

impl DbStandby {
    pub fn text(self) -> Text {
        match self {
            DbStandby::InPlace => Text::new("in place (Multi-AZ)", "준비됨 (다중 AZ)"),
            DbStandby::BeingAdded => Text::new(
                "being added (typically 10–15 min on AWS; the site serves meanwhile)",
                "추가하는 중 (AWS에서 보통 10~15분, 그동안 사이트는 서비스합니다)",
            ),
            DbStandby::NotAdded => Text::new(
                "not added yet: `hawiz apply` adds it",
                "아직 없음: `hawiz apply`가 추가합니다",
            ),
        }
    }
}

/// The plan wants a standby that fast start adds after the site serves. Not while the
/// stack has failed over: the primary's database is not the site's then (the standby
/// region's is, made Multi-AZ by the failover), and a failback makes it again.
pub fn wanted(plan: &Plan) -> bool {
    plan.database.multi_az && plan.database.fast_start && !failed_over(plan)
}

fn failed_over(plan: &Plan) -> bool {
    plan.failover
        .as_ref()
        .is_some_and(crate::plan::Failover::is_failed_over)
}

/// Whether the primary's database standby is worth saying (a Multi-AZ plan, and the
/// primary's database is the site's).
pub fn shown(plan: &Plan) -> bool {
    plan.database.multi_az && !failed_over(plan)
}

/// Said when `fast_start` changed on a stack whose database exists: it only decides how
/// a new database is created, so nothing built changes.
pub fn changed(before: Option<&Plan>, plan: &Plan, db_made: bool) -> Option<Text> {
    let on = plan.database.fast_start;
    let was = before?.database.fast_start;
    (db_made && was != on).then(|| {
        Text::new(
            format!(
                "fast start is {} now, but it only decides how a new database is created: \
                 stack {:?}'s exists, so nothing built changes",
                if on { "on" } else { "off" },
                plan.stack.name
            ),
            format!(
                "빠른 시작을 {} 새 데이터베이스를 만드는 방식만 정합니다: 스택 {}의 \
                 데이터베이스는 이미 있어 만든 것은 바뀌지 않습니다",
                if on { "켰지만" } else { "껐지만" },
                plan.stack.name
            ),
        )
    })
}

/// The database as RDS describes it; `None` when it is not there.
async fn describe(
    clients: &Clients,
    id: &str,
) -> Result<Option<aws_sdk_rds::types::DbInstance>, crate::aws::AwsError> {
    match clients
        .rds
        .describe_db_instances()
        .db_instance_identifier(id)
        .send()
        .await
        .map_err(aws("DescribeDBInstances"))
    {
        Err(e) if e.is_not_found() => Ok(None),
        r => Ok(r?.db_instances().first().cloned()),
    }
}

/// The standby as RDS says now; `None` when the database is not there (yet) or cannot be
/// read.
pub async fn read(clients: &Clients, plan: &Plan) -> Option<DbStandby> {
    let id = crate::names::database(&plan.stack.name);
    describe(clients, &id)
        .await
        .ok()
        .flatten()
        .as_ref()
        .map(state_of)
}

/// The standby as this description of the database says.
pub fn state_of(db: &aws_sdk_rds::types::DbInstance) -> DbStandby {
    let pending = db
        .pending_modified_values()
        .and_then(|p| p.multi_az())
        .unwrap_or(false);
    // Only a pending Multi-AZ counts as coming: a database "modifying" for another reason
    // (its class, its storage) still needs to be asked.
    if db.multi_az() == Some(true) {
        DbStandby::InPlace
    } else if pending {
        DbStandby::BeingAdded
    } else {
        DbStandby::NotAdded
    }
}

/// Ask RDS for the standby if it is not there or coming, then (with `wait`) wait until it
/// is in place. Asking again is harmless: a conversion under way is not asked twice.
pub async fn add(
    clients: &Clients,
    plan: &Plan,
    wait: bool,
    events: &Events,
) -> Result<DbStandby, Problem> {
    let id = crate::names::database(&plan.stack.name);
    // Read for real here (not `read`, which turns a failed read into "unknown"): a read
    // that failed must not pass for a standby already asked for.
    let now = describe(clients, &id)
        .await
        .map_err(|e| Problem::from(&e))?
        .as_ref()
        .map(state_of);
    if now == Some(DbStandby::InPlace) {
        // An apply of a stack that is complete says nothing of it.
        return Ok(DbStandby::InPlace);
    }
    if now == Some(DbStandby::NotAdded) {
        clients
            .rds
            .modify_db_instance()
            .db_instance_identifier(&id)
            .multi_az(true)
            .apply_immediately(true)
            .send()
            .await
            .map_err(aws("ModifyDBInstance"))
            .map_err(|e| Problem::from(&e))?;
    }
    if !wait {
        return Ok(read(clients, plan).await.unwrap_or(DbStandby::BeingAdded));
    }
    events.note(
        "Adding the database's standby in its second AZ (Multi-AZ): the site serves meanwhile",
        "데이터베이스의 대기 인스턴스를 두 번째 AZ에 추가하는 중 (다중 AZ): 그동안 사이트는 서비스합니다",
    );
    crate::engine::wait::until(
        &format!("database {id}'s standby to be added"),
        Duration::from_secs(60 * 60),
        || async {
            let Some(db) = describe(clients, &id).await? else {
                return Err(crate::engine::Error::Failed(format!(
                    "database {id} disappeared"
                )));
            };
            let available = db.db_instance_status() == Some("available");
            Ok(match state_of(&db) {
                DbStandby::InPlace if available => crate::engine::wait::Poll::Ready,
                _ => crate::engine::wait::Poll::Pending,
            })
        },
    )
    .await
    .map_err(|e| e.problem())?;
    events.note(
        "HA complete: the database's standby is in place",
        "고가용성 완료: 데이터베이스의 대기 인스턴스가 준비되었습니다",
    );
    Ok(DbStandby::InPlace)
}
