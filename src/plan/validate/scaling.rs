//! Checks for seed 003's operations keys: simple scaling, scheduled actions, alerts.

use super::Report;
use crate::plan::schedule::{Cron, zone};
use crate::plan::{Plan, ScalingPolicy};

pub(super) fn check(plan: &Plan, r: &mut Report) {
    simple(plan, r);
    schedules(plan, r);
    alerts(plan, r);
    sizes(plan, r);
}

/// Auto Scaling keeps at most this many scheduled actions per group.
const MOST_SCHEDULES: usize = 125;

/// What Auto Scaling stores a size or a number of seconds in: a 32-bit integer. A larger
/// number would be cut, and the screen would show one AWS never had.
const MOST: u32 = i32::MAX as u32;

fn sizes(plan: &Plan, r: &mut Report) {
    let mut numbers: Vec<(String, u32)> = vec![
        ("app.min".into(), plan.app.min),
        ("app.desired".into(), plan.app.desired),
        ("app.max".into(), plan.app.max),
        ("scaling.step".into(), plan.scaling.step),
        ("scaling.cooldown_secs".into(), plan.scaling.cooldown_secs),
    ];
    for (i, s) in plan.scaling.schedule.iter().enumerate() {
        for (key, v) in [("min", s.min), ("desired", s.desired), ("max", s.max)] {
            numbers.push((format!("scaling.schedule[{i}].{key}"), v));
        }
    }
    for (field, v) in numbers.into_iter().filter(|(_, v)| *v > MOST) {
        r.error(
            field,
            format!("{v} is more than AWS stores here (at most {MOST})"),
            format!("{v}: AWS가 여기에 저장할 수 있는 값보다 큽니다 (최대 {MOST})"),
        );
    }
    if plan.scaling.cooldown_secs > 86_400 && plan.scaling.cooldown_secs <= MOST {
        r.warn(
            "scaling.cooldown_secs",
            format!(
                "a cooldown of {} s is more than a day: after one scaling step the group \
                 would not scale again for that long (300 is the usual)",
                plan.scaling.cooldown_secs
            ),
            format!(
                "휴지 기간 {}초는 하루보다 깁니다. 한 번 조정한 뒤 그만큼 다시 조정하지 않습니다 \
                 (보통 300)",
                plan.scaling.cooldown_secs
            ),
        );
    }
    let n = plan.scaling.schedule.len();
    if n > MOST_SCHEDULES {
        r.error(
            "scaling.schedule",
            format!(
                "{n} schedules: Auto Scaling keeps at most {MOST_SCHEDULES} scheduled actions \
                 per group; remove {}",
                n - MOST_SCHEDULES
            ),
            format!(
                "일정 {n}개: Auto Scaling은 그룹마다 예약된 작업을 {MOST_SCHEDULES}개까지만 \
                 둡니다. {}개를 지우세요",
                n - MOST_SCHEDULES
            ),
        );
    }
}

fn simple(plan: &Plan, r: &mut Report) {
    let s = &plan.scaling;
    if s.policy != ScalingPolicy::Simple {
        return;
    }
    for (field, v) in [
        ("scaling.cpu_high", s.cpu_high),
        ("scaling.cpu_low", s.cpu_low),
    ] {
        if !(v > 0.0 && v <= 100.0) {
            r.error(
                field,
                format!("CPU {v} % is not a percentage between 0 and 100"),
                format!("CPU {v}%는 0과 100 사이의 백분율이 아닙니다"),
            );
        }
    }
    if s.cpu_low >= s.cpu_high {
        r.error(
            "scaling.cpu_low",
            format!(
                "the scale-in threshold ({} %) must be below the scale-out threshold ({} %), \
                 or both alarms fire together and the group flaps; e.g. 10 and 80",
                s.cpu_low, s.cpu_high
            ),
            format!(
                "축소 임계값({}%)은 확장 임계값({}%)보다 낮아야 합니다. 그렇지 않으면 두 경보가 \
                 함께 울려 그룹이 오르내립니다. 예: 10과 80",
                s.cpu_low, s.cpu_high
            ),
        );
    }
    if s.step == 0 {
        r.error(
            "scaling.step",
            "a step of 0 instances never changes the group; use 1 (the lab's +1 / -1)",
            "0개 단계는 그룹을 바꾸지 않습니다. 1을 쓰세요 (실습의 +1 / -1)",
        );
    } else if s.step > plan.app.max {
        r.error(
            "scaling.step",
            format!(
                "a step of {} is more than the group's maximum ({}); use 1 or 2",
                s.step, plan.app.max
            ),
            format!(
                "단계 {} 그룹의 최대 용량({})보다 큽니다. 1이나 2를 쓰세요",
                crate::i18n::korean::with(&s.step.to_string(), crate::i18n::korean::Josa::IGa),
                plan.app.max
            ),
        );
    }
    if s.cooldown_secs < 60 {
        r.warn(
            "scaling.cooldown_secs",
            format!(
                "a cooldown of {} s is shorter than an instance takes to boot and install; \
                 the alarm fires again before the new one helps (300 is the usual)",
                s.cooldown_secs
            ),
            format!(
                "휴지 기간 {}초는 인스턴스가 부팅하고 설치하는 시간보다 짧습니다. 새 인스턴스가 \
                 도움이 되기 전에 경보가 다시 울립니다 (보통 300)",
                s.cooldown_secs
            ),
        );
    }
}

/// Scheduled action names: Auto Scaling allows more, hawiz keeps them simple and unique
/// because they name the action in the group.
fn schedule_name_ok(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.starts_with('-')
}

fn schedules(plan: &Plan, r: &mut Report) {
    let mut seen = std::collections::BTreeSet::new();
    for (i, s) in plan.scaling.schedule.iter().enumerate() {
        let at = |key: &str| format!("scaling.schedule[{i}].{key}");
        if !schedule_name_ok(&s.name) {
            r.error(
                at("name"),
                format!(
                    "schedule name {:?}: use 1-64 lowercase letters, digits and '-', e.g. weekday-peak",
                    s.name
                ),
                format!(
                    "일정 이름 {:?}: 소문자, 숫자, '-' 1-64자를 쓰세요. 예: weekday-peak",
                    s.name
                ),
            );
        } else if !seen.insert(s.name.as_str()) {
            r.error(
                at("name"),
                format!(
                    "two schedules are named {:?}; give each its own name",
                    s.name
                ),
                format!(
                    "일정 두 개의 이름이 {:?}입니다. 각각 다른 이름을 주세요",
                    s.name
                ),
            );
        }
        if let Err(e) = Cron::parse(&s.cron) {
            r.error(at("cron"), e.en, e.ko);
        }
        if let Err(e) = zone(&s.timezone) {
            r.error(at("timezone"), e.en, e.ko);
        }
        if !(s.min <= s.desired && s.desired <= s.max) {
            r.error(
                at("desired"),
                format!(
                    "schedule {:?}: sizes must keep minimum ≤ desired ≤ maximum, they are {} ≤ {} ≤ {}",
                    s.name, s.min, s.desired, s.max
                ),
                format!(
                    "일정 {:?}: 최소 용량 ≤ 원하는 용량 ≤ 최대 용량이어야 하는데 {} ≤ {} ≤ {}입니다",
                    s.name, s.min, s.desired, s.max
                ),
            );
        } else if s.max == 0 {
            r.error(
                at("max"),
                format!("schedule {:?}: a maximum of 0 takes the site down", s.name),
                format!("일정 {:?}: 최대 용량 0은 사이트를 내립니다", s.name),
            );
        } else if s.min < 2 {
            r.warn(
                at("min"),
                format!(
                    "schedule {:?}: a minimum of {} leaves one AZ without an instance while it applies",
                    s.name, s.min
                ),
                format!(
                    "일정 {:?}: 최소 용량이 {} 적용되는 동안 한 가용 영역에 인스턴스가 없습니다",
                    s.name,
                    crate::i18n::korean::with(&s.min.to_string(), crate::i18n::korean::Josa::IMyeon)
                ),
            );
        }
    }
}

/// A plain check, not RFC 5322: one `@`, something before it, a dotted domain after it,
/// no spaces. SNS refuses worse, but only after the topic exists.
pub fn email_ok(email: &str) -> bool {
    let Some((user, domain)) = email.split_once('@') else {
        return false;
    };
    !user.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(char::is_whitespace)
}

fn alerts(plan: &Plan, r: &mut Report) {
    let email = plan.alerts.email.trim();
    if !email.is_empty() && !email_ok(email) {
        r.error(
            "alerts.email",
            format!(
                "{email:?} is not an email address like you@example.com (leave it empty for no alerts)"
            ),
            format!(
                "{email:?}: you@example.com 같은 이메일 주소가 아닙니다 (알림이 필요 없으면 비워 두세요)"
            ),
        );
    }
}
