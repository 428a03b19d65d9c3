//! The instance drill: terminate one app instance through Auto Scaling (the group keeps
//! its size, so it must launch a replacement) and watch the group, the target health and
//! the activities until the replacement is healthy.

use super::{DrillPlan, DrillResult, Probe, bound, group, target_health};
use crate::aws::Clients;
use crate::i18n::korean::{self, Josa};
use crate::ops::{Events, Failure};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The instance to break (the first in service, by AZ then ID) and what the drill does,
/// once the group and its targets can take it: (ID, AZ, en, ko).
pub(super) async fn target(
    clients: &Clients,
    serving: &BTreeMap<String, String>,
    target_group: &Option<String>,
    emulator: bool,
    stack: &str,
    group_size: usize,
) -> Result<(String, String, String, String), Failure> {
    let group_name = crate::names::app(stack);
    if serving.len() < 2 {
        return Err(Failure::invalid(format!(
            "only {} app instance is in service in {group_name}: terminating it would take \
             the site down. The drill needs at least 2 (the lab's minimum); raise \
             `app.min` and apply first",
            serving.len()
        )));
    }
    if let (Some(tg), false) = (&target_group, emulator) {
        let health = target_health(clients, tg).await?;
        let healthy = health.values().filter(|s| *s == "healthy").count();
        if healthy < 2 {
            return Err(Failure::invalid(format!(
                "only {healthy} target is healthy behind the load balancer: the stack is not \
                 healthy now, so a drill would break a site that is already limping. \
                 Look at `hawiz status {stack}` and try again when both are healthy"
            )));
        }
    }
    // The first in service, by AZ then ID: the same choice for the same group.
    let mut by_zone: Vec<(&String, &String)> = serving.iter().collect();
    by_zone.sort_by(|a, b| (a.1, a.0).cmp(&(b.1, b.0)));
    let (id, az) = by_zone[0];
    Ok((
        id.clone(),
        az.clone(),
        format!(
            "terminate app instance {id} in {az} through Auto Scaling (the group keeps \
             its size {group_size}, so it must launch a replacement)"
        ),
        format!(
            "{az}의 앱 인스턴스 {} Auto Scaling으로 종료합니다 (그룹은 원하는 용량 \
             {} 유지하므로 대체 인스턴스를 시작해야 합니다)",
            korean::with(id, Josa::EulReul),
            korean::with(&group_size.to_string(), Josa::EulReul)
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
    let group_name = crate::names::app(&plan.stack);
    let before: BTreeSet<String> = group(clients, &group_name)
        .await?
        .map(|g| crate::ops::fleet::in_service(&g).into_keys().collect())
        .unwrap_or_default();
    clients
        .autoscaling
        .terminate_instance_in_auto_scaling_group()
        .instance_id(&plan.victim)
        .should_decrement_desired_capacity(false)
        .send()
        .await
        .map_err(|e| Failure::failed(format!("TerminateInstanceInAutoScalingGroup: {e}")))?;
    events.note(
        format!("t+0s  terminated {} ({})", plan.victim, plan.zone),
        format!("t+0초  {} ({}) 종료함", plan.victim, plan.zone),
    );
    let mut last_line = String::new();
    let mut seen_activities = BTreeSet::new();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    let mut replacement: Option<String> = None;
    let start = Instant::now();
    while start.elapsed() < bound(plan.emulator) {
        tick.tick().await;
        let failure = probe.once(plan.probe_url.as_deref()).await;
        let g = group(clients, &group_name).await?;
        let serving = g
            .as_ref()
            .map(crate::ops::fleet::in_service)
            .unwrap_or_default();
        let health = match &plan.target_group {
            Some(tg) => target_health(clients, tg).await?,
            None => BTreeMap::new(),
        };
        let victim_state = health.get(&plan.victim).cloned();
        if result.detect_secs.is_none()
            && (!serving.contains_key(&plan.victim) || victim_state.as_deref() != Some("healthy"))
        {
            result.detect_secs = Some(secs());
        }
        if replacement.is_none() {
            replacement = g.as_ref().and_then(|g| {
                g.instances()
                    .iter()
                    .filter_map(|i| i.instance_id())
                    .find(|id| !before.contains(*id) && *id != plan.victim)
                    .map(str::to_string)
            });
            if replacement.is_some() {
                result.replace_secs = Some(secs());
            }
        }
        let activities = clients
            .autoscaling
            .describe_scaling_activities()
            .auto_scaling_group_name(&group_name)
            .max_records(5)
            .send()
            .await
            .map(|o| o.activities().to_vec())
            .unwrap_or_default();
        for a in activities.iter().rev() {
            let id = a.activity_id().unwrap_or_default().to_string();
            let about = a.description().unwrap_or_default();
            let fresh = about.contains(&plan.victim)
                || replacement.as_deref().is_some_and(|r| about.contains(r));
            if fresh && seen_activities.insert(id) {
                events.note(
                    format!("t+{}s  Auto Scaling: {about}", secs()),
                    format!("t+{}초  Auto Scaling: {about}", secs()),
                );
            }
        }
        // The broken instance is out of the group: never shown as healthy, even where the
        // target group still lists it so (an emulator never deregisters it).
        let targets: Vec<String> = health
            .iter()
            .map(|(id, s)| {
                if *id == plan.victim && !serving.contains_key(id) && s == "healthy" {
                    format!("{id} terminated (still registered)")
                } else {
                    format!("{id} {s}")
                }
            })
            .collect();
        let line = format!(
            "in service {}/{} · targets: {}{}",
            serving.len(),
            plan.group_size,
            if targets.is_empty() {
                "-".into()
            } else {
                targets.join(", ")
            },
            failure.map(|f| format!(" · site: {f}")).unwrap_or_default()
        );
        if line != last_line {
            events.note(
                format!("t+{}s  {line}", secs()),
                format!("t+{}초  {line}", secs()),
            );
            last_line = line;
        }
        let replaced_healthy = replacement.as_ref().is_some_and(|r| {
            serving.contains_key(r)
                && (plan.target_group.is_none()
                    || health.get(r).map(String::as_str) == Some("healthy"))
        });
        if replaced_healthy
            && serving.len() >= plan.group_size
            && !serving.contains_key(&plan.victim)
        {
            result.healthy_secs = Some(secs());
            result.healed = true;
            result.zone_after = replacement.as_ref().and_then(|r| serving.get(r).cloned());
            return Ok(());
        }
    }
    events.note(
        format!(
            "stopped watching after {} s; the group goes on healing without hawiz",
            secs()
        ),
        format!(
            "{}초 후 지켜보기를 멈춥니다. 그룹은 hawiz 없이 계속 복구합니다",
            secs()
        ),
    );
    Ok(())
}
