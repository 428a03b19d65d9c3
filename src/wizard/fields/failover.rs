//! The failover questions (step 8): a standby region, how ready it stands, how often
//! Route 53 checks the primary, whether visitors reach it through CloudFront, and the
//! lab's static bucket behind it.

use super::{FieldId, Invalid, Kind, Source, Spec, number};
use crate::plan::{Failover, Plan};

const MODES: &[(&str, &str, &str)] = &[
    (
        "warm",
        "warm standby (serves at once)",
        "웜 스탠바이 (바로 서비스)",
    ),
    (
        "pilot-light",
        "pilot light (data only, instances at failover)",
        "파일럿 라이트 (데이터만, 장애 조치 때 인스턴스)",
    ),
];

const INTERVALS: &[(&str, &str, &str)] = &[
    (
        "10",
        "every 10 s (fast, +$1/month)",
        "10초마다 (빠름, 월 +$1)",
    ),
    ("30", "every 30 s", "30초마다"),
];

pub(super) fn specs() -> Vec<Spec> {
    use Kind::*;
    vec![
        spec!(
            FailoverEnabled,
            8,
            "Standby region",
            "대기 리전 사용",
            Toggle,
            ["failover"]
        ),
        spec!(
            FailoverRegion,
            8,
            "Region",
            "리전",
            Text(Some(Source::Regions)),
            ["failover.region"]
        ),
        spec!(
            StandbyMode,
            8,
            "Mode",
            "방식",
            Choice(MODES),
            ["failover.mode"]
        ),
        spec!(
            StandbyMin,
            8,
            "Instances",
            "인스턴스 수",
            Text(None),
            ["failover.standby_min"]
        ),
        spec!(
            CheckInterval,
            8,
            "Health check",
            "상태 확인",
            Choice(INTERVALS),
            ["failover.health_check_interval"]
        ),
        spec!(
            CloudFront,
            8,
            "CloudFront",
            "CloudFront",
            Toggle,
            ["failover.cloudfront"]
        ),
        spec!(
            StaticBucket,
            8,
            "Static bucket",
            "정적 버킷",
            Toggle,
            ["failover.static_bucket"]
        ),
    ]
}

pub(super) fn get(plan: &Plan, id: FieldId) -> Option<String> {
    use FieldId::*;
    let f = plan.failover.clone().unwrap_or_default();
    Some(match id {
        FailoverEnabled => plan.failover.is_some().to_string(),
        FailoverRegion => f.region,
        StandbyMode => f.mode.as_str().to_string(),
        StandbyMin => f.standby_min.to_string(),
        CheckInterval => f.health_check_interval.to_string(),
        CloudFront => f.cloudfront.to_string(),
        StaticBucket => f.static_bucket.to_string(),
        _ => return None,
    })
}

pub(super) fn set(plan: &mut Plan, id: FieldId, v: &str) -> Result<bool, Invalid> {
    use FieldId::*;
    match id {
        FailoverEnabled => {
            if v == "true" && plan.failover.is_none() {
                // The lab's standby region, or the nearest other one when the stack is there.
                let region = if plan.region() == "us-east-1" {
                    "us-west-2"
                } else {
                    "us-east-1"
                };
                plan.failover = Some(Failover {
                    region: region.into(),
                    ..Failover::default()
                });
            } else if v != "true" {
                plan.failover = None;
            }
        }
        FailoverRegion => failover(plan).region = v.to_string(),
        StandbyMode => {
            failover(plan).mode = if v == "pilot-light" {
                crate::plan::StandbyMode::PilotLight
            } else {
                crate::plan::StandbyMode::Warm
            }
        }
        StandbyMin => failover(plan).standby_min = number(v)?,
        CheckInterval => failover(plan).health_check_interval = number(v)?,
        CloudFront => {
            let f = failover(plan);
            f.cloudfront = v == "true";
            // The static bucket is read through CloudFront: it goes with it (its field
            // is hidden then, so it cannot be left on where nobody sees it).
            f.static_bucket &= f.cloudfront;
        }
        StaticBucket => failover(plan).static_bucket = v == "true",
        _ => return Ok(false),
    }
    Ok(true)
}

fn failover(plan: &mut Plan) -> &mut Failover {
    plan.failover.get_or_insert_with(Failover::default)
}

/// Whether one of these fields is asked.
pub(super) fn visible(plan: &Plan, id: FieldId) -> Option<bool> {
    use FieldId::*;
    let f = plan.failover.as_ref();
    Some(match id {
        FailoverRegion | StandbyMode | CheckInterval | CloudFront => f.is_some(),
        StandbyMin => f.is_some_and(|f| f.mode == crate::plan::StandbyMode::Warm),
        StaticBucket => f.is_some_and(|f| f.cloudfront),
        _ => return None,
    })
}
