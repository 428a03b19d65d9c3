//! What a stack with `[failover]` says of its standby region after a build and in
//! `status`: where it is, which region serves, and whether the standby keeps up (its
//! database replica's replication state, its files' replication and last sync), read
//! from AWS. What the emulator cannot show (a health check's verdict, a sync time) is
//! said as such, never made up.

use crate::aws::Clients;
use crate::i18n::Text;
use crate::plan::Plan;
use crate::resources::file_replication;

#[derive(Debug, Clone, PartialEq)]
pub struct Standby {
    pub region: String,
    /// The standby's own load balancer (Route 53's SECONDARY).
    pub load_balancer: Option<String>,
    /// Which region visitors reach, as far as AWS can tell.
    pub serving: Text,
    pub database: Text,
    pub files: Option<Text>,
    /// The static bucket's replication, with one.
    pub static_files: Option<Text>,
}

pub async fn read(
    clients: &Clients,
    plan: &Plan,
    load_balancer: Option<String>,
    health_check: Option<&str>,
    emulated: bool,
) -> Option<Standby> {
    let f = plan.failover.as_ref()?;
    let region = f.region.trim().to_string();
    let there = clients.in_region(&region);
    // The primary's name as visitors reach it: through CloudFront, with it in front.
    let primary = if plan.cloudfront() {
        format!("{} via CloudFront", plan.region())
    } else {
        plan.region().to_string()
    };
    let serving = match (&f.failed_over, health_check) {
        (Some(at), _) => {
            let stack = &plan.stack.name;
            // After `hawiz failback --prepare`: the primary holds a copy, the switch is next.
            let copied = super::drill::database(clients, &crate::names::database(stack))
                .await
                .ok()
                .flatten()
                .is_some_and(|db| replica_of(&db, &region));
            if copied {
                Text::new(
                    format!(
                        "{region}, since `hawiz failover` at {at}; {} holds a copy of its \
                         database again (`hawiz failback {stack}` switches back)",
                        plan.region()
                    ),
                    format!(
                        "{region}, `hawiz failover` 이후 ({at}). {}에 데이터베이스 복사본이 \
                         다시 있습니다 (`hawiz failback {stack}`으로 전환)",
                        plan.region()
                    ),
                )
            } else {
                Text::new(
                    format!(
                        "{region}, since `hawiz failover` at {at} (the way back: `hawiz \
                         failback {stack}`)"
                    ),
                    format!(
                        "{region}, `hawiz failover` 이후 ({at}; 되돌아가기: `hawiz failback \
                         {stack}`)"
                    ),
                )
            }
        }
        (None, _) if emulated => Text::new(
            format!(
                "{primary} (the emulator never evaluates the health check: which region \
                 would answer is not known here)"
            ),
            format!(
                "{primary} (에뮬레이터는 상태 확인을 평가하지 않아 어느 리전이 응답할지 여기서는 \
                 알 수 없습니다)"
            ),
        ),
        (None, Some(check)) => serving(clients, &primary, &region, check).await,
        (None, None) => Text::new(
            format!("{} (no health check yet)", plan.region()),
            format!("{} (상태 확인 없음)", plan.region()),
        ),
    };
    let database = database(
        &there,
        &crate::names::database(&plan.stack.name),
        f.failed_over.as_deref(),
    )
    .await;
    let files = if plan.files.enabled {
        Some(files(&there, &plan.stack.name, f.failed_over.is_some(), emulated).await)
    } else {
        None
    };
    let static_files = if plan.static_bucket() {
        Some(static_files(clients, plan, f.failed_over.is_some(), emulated).await)
    } else {
        None
    };
    Some(Standby {
        region,
        load_balancer,
        serving,
        database,
        files,
        static_files,
    })
}

/// Route 53's checkers' verdict on the primary: most of them failing sends readers to
/// the standby (AWS: healthy when more than 18% of checkers say so).
async fn serving(clients: &Clients, primary: &str, standby: &str, check: &str) -> Text {
    use crate::resources::route53::health_check;
    let Ok((ok, of)) = health_check::verdict(clients, check).await else {
        return Text::new(
            "not known (the health check's status could not be read)",
            "알 수 없음 (상태 확인 결과를 읽지 못했습니다)",
        );
    };
    if health_check::healthy(ok, of) {
        Text::new(
            format!("{primary} ({ok} of {of} checkers see it healthy)"),
            format!("{primary} (검사기 {of}개 중 {ok}개가 정상으로 봄)"),
        )
    } else {
        Text::new(
            format!(
                "{standby}: the primary's health check fails ({ok} of {of} checkers see it healthy)"
            ),
            format!(
                "{standby}: 기본 리전의 상태 확인 실패 (검사기 {of}개 중 {ok}개만 정상으로 봄)"
            ),
        )
    }
}

async fn database(there: &Clients, id: &str, failed_over: Option<&str>) -> Text {
    let db = match super::drill::database(there, id).await {
        Ok(Some(db)) => db,
        Ok(None) => return Text::new("missing", "없음"),
        Err(e) => {
            return Text::new(
                format!("not read ({})", e.message),
                format!("읽지 못함 ({})", e.message),
            );
        }
    };
    let status = db.db_instance_status().unwrap_or("unknown").to_string();
    if failed_over.is_some() {
        return Text::new(
            format!("{id}, promoted: the site's database ({status})"),
            format!("{id}, 승격됨: 사이트의 데이터베이스 ({status})"),
        );
    }
    // RDS's word on the replication ("replicating", "error", "stopped"), where it gives one.
    let replication = db
        .status_infos()
        .iter()
        .find(|i| i.status_type() == Some("read replication"))
        .map(|i| {
            let word = i.status().unwrap_or("unknown");
            match i.message() {
                Some(m) => format!("{word}: {m}"),
                None => word.to_string(),
            }
        });
    // How far behind: CloudWatch's ReplicaLag, the highest minute of the last ten.
    let ten = std::time::SystemTime::now() - std::time::Duration::from_secs(600);
    let (lag, lag_ko) = match replica_lag(there, id, ten).await {
        Ok(Some(seconds)) => (
            format!(", {seconds:.0} s behind"),
            format!(", {seconds:.0}초 뒤처짐"),
        ),
        Ok(None) => (
            ", no lag reported yet".to_string(),
            ", 지연 보고 없음".to_string(),
        ),
        Err(e) => (
            format!(", lag not read ({})", e.message),
            format!(", 지연을 읽지 못함 ({})", e.message),
        ),
    };
    match replication {
        Some(r) => Text::new(
            format!("{id}, a replica of the primary's: {r}{lag} ({status})"),
            format!("{id}, 기본 리전 데이터베이스의 복제본: {r}{lag_ko} ({status})"),
        ),
        None => Text::new(
            format!(
                "{id}, a replica of the primary's{lag} ({status}; RDS reports no replication \
                 state yet)"
            ),
            format!(
                "{id}, 기본 리전 데이터베이스의 복제본{lag_ko} ({status}; RDS가 아직 복제 상태를 알려 \
                 주지 않음)"
            ),
        ),
    }
}

/// The replica's lag in seconds as RDS reports it to CloudWatch (`ReplicaLag`, once a
/// minute): the highest of the minutes since `since`, `None` before any is reported (a
/// new replica, or an emulator, which records no metrics).
pub(crate) async fn replica_lag(
    there: &Clients,
    id: &str,
    since: std::time::SystemTime,
) -> Result<Option<f64>, crate::aws::AwsError> {
    use aws_sdk_cloudwatch::types::{Dimension, Statistic};
    let now = std::time::SystemTime::now();
    let out = there
        .cloudwatch
        .get_metric_statistics()
        .namespace("AWS/RDS")
        .metric_name("ReplicaLag")
        .dimensions(
            Dimension::builder()
                .name("DBInstanceIdentifier")
                .value(id)
                .build(),
        )
        .start_time(aws_smithy_types::DateTime::from(since))
        .end_time(aws_smithy_types::DateTime::from(now))
        .period(60)
        .statistics(Statistic::Maximum)
        .send()
        .await
        .map_err(crate::aws::aws("GetMetricStatistics"))?;
    Ok(out
        .datapoints()
        .iter()
        .filter_map(|d| d.maximum())
        .reduce(f64::max))
}

async fn files(there: &Clients, stack: &str, failed_over: bool, emulated: bool) -> Text {
    if failed_over {
        return Text::new(
            "the standby's own, writable since failover",
            "대기 리전 자신의 파일, 장애 조치 이후 쓰기 가능",
        );
    }
    let copy = crate::resources::file_system::tagged_in(there, stack, "efs-replication")
        .await
        .ok()
        .flatten();
    let Some(copy) = copy else {
        return Text::new("no copy yet", "아직 사본 없음");
    };
    let config = file_replication::configuration(&there.efs, &copy)
        .await
        .ok()
        .flatten();
    let Some(d) = config.as_ref().and_then(|c| c.destinations().first()) else {
        return Text::new(
            format!("{copy}: not replicating"),
            format!("{copy}: 복제되지 않음"),
        );
    };
    let status = d.status().as_str();
    match d.last_replicated_timestamp() {
        Some(t) => Text::new(
            format!("{copy}: replication {status}, last synced {t}"),
            format!("{copy}: 복제 {status}, 마지막 동기화 {t}"),
        ),
        None if emulated => Text::new(
            format!(
                "{copy}: replication {status} (the emulator copies no data and reports no sync time)"
            ),
            format!(
                "{copy}: 복제 {status} (에뮬레이터는 데이터를 복사하지 않고 동기화 시각도 알려 주지 않음)"
            ),
        ),
        None => Text::new(
            format!("{copy}: replication {status}, no sync yet"),
            format!("{copy}: 복제 {status}, 아직 동기화 없음"),
        ),
    }
}

/// The primary's static bucket's replication rule, as S3 answers it. S3 tells no bucket-wide
/// sync time (each object carries its own replication status).
async fn static_files(clients: &Clients, plan: &Plan, failed_over: bool, emulated: bool) -> Text {
    if failed_over {
        return Text::new(
            "the standby's bucket, served by no one until the way back (CloudFront fronts the primary)",
            "대기 리전의 버킷, 되돌아갈 때까지 쓰이지 않음 (CloudFront는 기본 리전 앞에 있음)",
        );
    }
    let Ok(account) = clients.account().await else {
        return Text::new(
            "not known (who the credentials are)",
            "알 수 없음 (자격 증명 확인 실패)",
        );
    };
    let bucket = crate::resources::s3::name(
        &crate::names::static_buckets(&plan.stack.name),
        &account,
        plan.region(),
    );
    let rule = clients
        .s3
        .get_bucket_replication()
        .bucket(&bucket)
        .send()
        .await
        .ok()
        .and_then(|o| {
            let c = o.replication_configuration()?;
            let r = c.rules().first()?;
            Some((
                r.destination()?
                    .bucket()
                    .trim_start_matches("arn:aws:s3:::")
                    .to_string(),
                r.status().as_str().to_string(),
            ))
        });
    match rule {
        None => Text::new(
            format!("{bucket}: not replicating"),
            format!("{bucket}: 복제되지 않음"),
        ),
        Some((to, status)) if emulated => Text::new(
            format!("{bucket} → {to}: replication {status} (the emulator copies no object)"),
            format!("{bucket} → {to}: 복제 {status} (에뮬레이터는 객체를 복사하지 않음)"),
        ),
        Some((to, status)) => Text::new(
            format!("{bucket} → {to}: replication {status}"),
            format!("{bucket} → {to}: 복제 {status}"),
        ),
    }
}

/// Whether a database is a cross-region replica of one in `region` (it names its source
/// by ARN, which names the region).
pub(crate) fn replica_of(db: &aws_sdk_rds::types::DbInstance, region: &str) -> bool {
    db.read_replica_source_db_instance_identifier()
        .is_some_and(|s| s.contains(&format!(":{region}:")))
}
