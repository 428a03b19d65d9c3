//! The load balancer and scaling questions (step 6): health check, group sizes, the
//! scaling policy, a scheduled action, alerts and the dashboard.

use super::{FieldId, Invalid, Kind, Spec, number};
use crate::plan::Plan;

const SCALING_POLICIES: &[(&str, &str, &str)] = &[
    ("target-tracking", "target tracking", "대상 추적"),
    ("simple", "simple (CPU alarms)", "단순 (CPU 경보)"),
];

pub(super) fn specs() -> Vec<Spec> {
    use Kind::*;
    vec![
        spec!(
            HealthPath,
            6,
            "Health check path",
            "상태 검사 경로",
            Text(None),
            ["load_balancer.health_check_path"]
        ),
        spec!(
            Min,
            6,
            "Minimum instances",
            "최소 용량",
            Text(None),
            ["app.min"]
        ),
        spec!(
            Desired,
            6,
            "Desired instances",
            "원하는 용량",
            Text(None),
            ["app.desired"]
        ),
        spec!(
            Max,
            6,
            "Maximum instances",
            "최대 용량",
            Text(None),
            ["app.max"]
        ),
        spec!(
            ScalingPolicy,
            6,
            "Scaling policy",
            "조정 정책",
            Choice(SCALING_POLICIES),
            ["scaling.policy"]
        ),
        spec!(
            CpuTarget,
            6,
            "CPU target (%)",
            "CPU 목표 (%)",
            Text(None),
            ["app.cpu_target"]
        ),
        spec!(
            CpuAlarms,
            6,
            "CPU alarms high/low (%)",
            "CPU 경보 높음/낮음 (%)",
            Text(None),
            ["scaling.cpu_high", "scaling.cpu_low"]
        ),
        spec!(
            StepCooldown,
            6,
            "Step / cooldown (s)",
            "단계 / 휴지 기간 (초)",
            Text(None),
            ["scaling.step", "scaling.cooldown_secs"]
        ),
        spec!(Schedule, 6, "Scheduled action", "예약된 작업", Toggle, []),
        spec!(
            ScheduleCron,
            6,
            "Schedule (cron)",
            "일정 (cron)",
            Text(None),
            ["scaling.schedule[0].cron", "scaling.schedule[0].name"]
        ),
        spec!(
            ScheduleZone,
            6,
            "Schedule time zone",
            "일정 시간대",
            Text(None),
            ["scaling.schedule[0].timezone"]
        ),
        spec!(
            ScheduleSizes,
            6,
            "Schedule min/desired/max",
            "일정 최소/원하는/최대 용량",
            Text(None),
            [
                "scaling.schedule[0].min",
                "scaling.schedule[0].desired",
                "scaling.schedule[0].max"
            ]
        ),
        spec!(
            AlertEmail,
            6,
            "Alert email",
            "알림 이메일",
            Text(None),
            ["alerts.email"]
        ),
        spec!(
            Dashboard,
            6,
            "Dashboard",
            "대시보드",
            Toggle,
            ["alerts.dashboard"]
        ),
    ]
}

/// The answer of one of these fields, as text.
pub(super) fn get(plan: &Plan, id: FieldId) -> Option<String> {
    use FieldId::*;
    let b = |v: bool| if v { "true" } else { "false" }.to_string();
    Some(match id {
        HealthPath => plan.load_balancer.health_check_path.clone(),
        Min => plan.app.min.to_string(),
        Desired => plan.app.desired.to_string(),
        Max => plan.app.max.to_string(),
        CpuTarget => format!("{}", plan.app.cpu_target),
        ScalingPolicy => plan.scaling.policy.as_str().to_string(),
        CpuAlarms => format!("{}/{}", plan.scaling.cpu_high, plan.scaling.cpu_low),
        StepCooldown => format!("{}/{}", plan.scaling.step, plan.scaling.cooldown_secs),
        Schedule => b(!plan.scaling.schedule.is_empty()),
        ScheduleCron => first_schedule(plan)
            .map(|s| s.cron.clone())
            .unwrap_or_default(),
        ScheduleZone => first_schedule(plan)
            .map(|s| s.timezone.clone())
            .unwrap_or_default(),
        ScheduleSizes => first_schedule(plan)
            .map(|s| format!("{}/{}/{}", s.min, s.desired, s.max))
            .unwrap_or_default(),
        AlertEmail => plan.alerts.email.clone(),
        Dashboard => b(plan.alerts.dashboard),
        _ => return None,
    })
}

/// Write an answer into the plan: `Ok(false)` when the field is not one of these.
pub(super) fn set(plan: &mut Plan, id: FieldId, v: &str) -> Result<bool, Invalid> {
    use FieldId::*;
    let yes = v == "true";
    match id {
        HealthPath => plan.load_balancer.health_check_path = v.to_string(),
        Min => plan.app.min = number(v)?,
        Desired => plan.app.desired = number(v)?,
        Max => plan.app.max = number(v)?,
        CpuTarget => plan.app.cpu_target = number(v)?,
        ScalingPolicy => {
            plan.scaling.policy = if v == "simple" {
                crate::plan::ScalingPolicy::Simple
            } else {
                crate::plan::ScalingPolicy::TargetTracking
            }
        }
        CpuAlarms => {
            let n: Vec<f64> = numbers(v, 2, "80/10")?;
            (plan.scaling.cpu_high, plan.scaling.cpu_low) = (n[0], n[1]);
        }
        StepCooldown => {
            let n: Vec<u32> = numbers(v, 2, "1/300")?;
            (plan.scaling.step, plan.scaling.cooldown_secs) = (n[0], n[1]);
        }
        Schedule => {
            if yes {
                schedule(plan);
            } else {
                plan.scaling.schedule.clear();
            }
        }
        ScheduleCron => schedule(plan).cron = v.to_string(),
        ScheduleZone => schedule(plan).timezone = v.to_string(),
        ScheduleSizes => {
            let n: Vec<u32> = numbers(v, 3, "2/4/6")?;
            let s = schedule(plan);
            (s.min, s.desired, s.max) = (n[0], n[1], n[2]);
        }
        AlertEmail => plan.alerts.email = v.to_string(),
        Dashboard => plan.alerts.dashboard = yes,
        _ => return Ok(false),
    }
    Ok(true)
}

/// The wizard asks for one scheduled action (the plan file may hold more).
fn first_schedule(plan: &Plan) -> Option<&crate::plan::Schedule> {
    plan.scaling.schedule.first()
}

fn schedule(plan: &mut Plan) -> &mut crate::plan::Schedule {
    if plan.scaling.schedule.is_empty() {
        plan.scaling.schedule.push(crate::plan::Schedule::default());
    }
    &mut plan.scaling.schedule[0]
}

/// "80/10" → (80, 10): numbers separated by `/`, as many as `n`.
fn numbers<T: std::str::FromStr>(text: &str, n: usize, example: &str) -> Result<Vec<T>, Invalid> {
    let parts: Vec<&str> = text.split('/').map(str::trim).collect();
    let bad = || Invalid {
        en: format!(
            "{:?}: write {n} numbers separated by '/', e.g. {example}",
            text.trim()
        ),
        ko: format!(
            "{:?}: '/'로 나눈 숫자 {n}개를 쓰세요. 예: {example}",
            text.trim()
        ),
    };
    if parts.len() != n {
        return Err(bad());
    }
    parts.iter().map(|p| p.parse().map_err(|_| bad())).collect()
}
