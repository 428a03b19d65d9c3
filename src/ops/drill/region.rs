//! The region drill (seed 003): Route 53 is made to treat the healthy primary as failed,
//! its health check Inverted (never Disabled: a disabled check counts as healthy), and
//! the drill watches once a second the check's verdict and which region answers the site
//! (its instances name their region in a header), then puts the check back and times the
//! way back. Nothing of the site is touched: the data stays where it is, which is why
//! the drill stops short of `hawiz failover`'s irreversible steps. The emulator never
//! evaluates a health check and serves nothing: there the drill runs its calls and says
//! its times are not measured. What Route 53 answers for the site's name is asked of
//! Route 53 itself (TestDNSAnswer, which no resolver's cache delays), and told apart by
//! the standby's load balancer's addresses.

use super::{DrillPlan, DrillResult, Probe, bound};
use crate::aws::{Clients, aws};
use crate::i18n::korean::{self, Josa};
use crate::ops::{Events, Failure};
use crate::plan::Plan;
use crate::state::StackState;
use std::time::{Duration, Instant};

/// The primary's health check and the standby's region, once the stack can take it:
/// (check ID, the primary's region, en, ko).
pub(super) fn target(
    plan: &Plan,
    state: &StackState,
) -> Result<(String, String, String, String), Failure> {
    let stack = &plan.stack.name;
    let Some(f) = &plan.failover else {
        return Err(Failure::invalid(format!(
            "stack {stack:?} has no [failover]: a region drill needs a standby region. Add \
             [failover] to its plan and apply it first"
        )));
    };
    if let Some(at) = &f.failed_over {
        return Err(Failure::invalid(format!(
            "stack {stack:?} failed over to {} at {at}: the standby is the site, there is no \
             primary to drill",
            f.region
        )));
    }
    let check = state
        .resources
        .get("health-check/primary")
        .and_then(|r| r.id.clone())
        .ok_or_else(|| {
            Failure::invalid(format!(
                "the primary's health check of stack {stack:?} is missing: finish the stack \
                 with `hawiz apply` first"
            ))
        })?;
    let (primary, standby) = (plan.region(), f.region.trim());
    Ok((
        check.clone(),
        primary.to_string(),
        format!(
            "invert the primary's Route 53 health check {check}: Route 53 then counts the \
             healthy primary in {primary} as failed and answers with the standby in {standby}; \
             the check is put back at the end (the data stays where it is)"
        ),
        format!(
            "기본 리전의 Route 53 상태 확인 {} 반전합니다: Route 53이 {primary}의 정상인 기본 \
             리전을 실패로 보고 {standby}의 대기 스택으로 응답합니다. 끝나면 상태 확인을 되돌립니다 \
             (데이터는 그대로입니다)",
            korean::with(&check, Josa::EulReul)
        ),
    ))
}

/// What the drill asks Route 53 about: the site's name in its zone, and the standby's
/// load balancer (whose addresses mean "the standby answers").
#[derive(Debug, Clone)]
pub(super) struct Dns {
    zone: String,
    name: String,
    standby: String,
}

pub(super) fn dns(plan: &Plan, state: &StackState) -> Option<Dns> {
    let name = crate::blueprint::site_name(plan)?;
    Some(Dns {
        zone: state.resources.get("zone")?.id.clone()?,
        standby: state
            .resources
            .get("standby/alb")?
            .outputs
            .get("dns name")?
            .clone(),
        name,
    })
}

/// The addresses Route 53 answers for the site's name now (its own answer, as its
/// resolvers give it), or why it could not be asked.
async fn answer(clients: &Clients, dns: &Dns) -> Result<Vec<String>, String> {
    clients
        .route53
        .test_dns_answer()
        .hosted_zone_id(&dns.zone)
        .record_name(&dns.name)
        .record_type(aws_sdk_route53::types::RrType::A)
        .send()
        .await
        .map(|o| o.record_data().to_vec())
        .map_err(aws("TestDNSAnswer"))
        .map_err(|e| e.to_string())
}

/// Whether those addresses are the standby's load balancer's.
async fn is_standby(dns: &Dns, answered: &[String]) -> bool {
    let Ok(addrs) = tokio::net::lookup_host((dns.standby.as_str(), 443)).await else {
        return false;
    };
    let standby: Vec<String> = addrs.map(|a| a.ip().to_string()).collect();
    answered.iter().any(|a| standby.contains(a))
}

async fn invert(clients: &Clients, check: &str, on: bool) -> Result<(), Failure> {
    clients
        .route53
        .update_health_check()
        .health_check_id(check)
        .inverted(on)
        .send()
        .await
        .map_err(aws("UpdateHealthCheck"))
        .map_err(|e| Failure::failed(e.to_string()))?;
    Ok(())
}

/// How many of Route 53's checkers see the primary healthy, of how many.
async fn verdict(clients: &Clients, check: &str) -> Result<(usize, usize), Failure> {
    crate::resources::route53::health_check::verdict(clients, check)
        .await
        .map_err(|e| Failure::failed(e.to_string()))
}

pub(super) async fn watch(
    plan: &DrillPlan,
    clients: &Clients,
    events: &Events,
    result: &mut DrillResult,
    probe: &mut Probe,
    secs: &(dyn Fn() -> u64 + Sync),
) -> Result<(), Failure> {
    let check = plan.victim.clone();
    invert(clients, &check, true).await?;
    events.note(
        format!("t+0s  inverted health check {check}"),
        format!("t+0초  상태 확인 {check} 반전"),
    );
    // `--promote`: the check stays inverted; the failover that follows puts it back
    // (its record then points at the standby alone).
    if plan.promote {
        away(plan, clients, events, result, probe, secs).await?;
        result.healed = plan.emulator || result.replace_secs.is_some();
        return Ok(());
    }
    // Whatever happens while watching, the check is put back.
    let watched = away(plan, clients, events, result, probe, secs).await;
    let restored_at = Instant::now();
    let restored = invert(clients, &check, false).await;
    events.note(
        format!(
            "t+{}s  health check {check} put back (not inverted)",
            secs()
        ),
        format!("t+{}초  상태 확인 {check} 되돌림 (반전 해제)", secs()),
    );
    watched?;
    restored?;
    if plan.emulator {
        result.healed = true;
        return Ok(());
    }
    // The way back: until the primary answers again.
    let limit = bound(false);
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    while restored_at.elapsed() < limit {
        tick.tick().await;
        let (_, region) = probe.once_from(plan.probe_url.as_deref()).await;
        if region.as_deref() == Some(plan.zone.as_str()) {
            result.healthy_secs = Some(restored_at.elapsed().as_secs());
            result.healed = true;
            return Ok(());
        }
    }
    Ok(())
}

/// While inverted: until the standby answers (or the bound).
async fn away(
    plan: &DrillPlan,
    clients: &Clients,
    events: &Events,
    result: &mut DrillResult,
    probe: &mut Probe,
    secs: &(dyn Fn() -> u64 + Sync),
) -> Result<(), Failure> {
    let (check, standby) = (
        plan.victim.as_str(),
        plan.standby.as_deref().unwrap_or_default(),
    );
    if plan.emulator {
        // Asked all the same: the emulator has no such call, which is said, not hidden.
        if let Some(dns) = &plan.dns {
            let said = match answer(clients, dns).await {
                Ok(a) => (
                    format!("Route 53 answers {}: {}", dns.name, a.join(", ")),
                    format!("Route 53의 {} 응답: {}", dns.name, a.join(", ")),
                ),
                Err(e) => (
                    format!(
                        "Route 53 could not be asked what it answers for {} ({e}): the emulator \
                         has no TestDNSAnswer",
                        dns.name
                    ),
                    format!(
                        "Route 53에 {}의 응답을 물을 수 없습니다 ({e}): 에뮬레이터에는 \
                         TestDNSAnswer가 없습니다",
                        dns.name
                    ),
                ),
            };
            events.note(
                format!("t+{}s  {}", secs(), said.0),
                format!("t+{}초  {}", secs(), said.1),
            );
        }
        let (ok, of) = verdict(clients, check).await?;
        events.note(
            format!(
                "t+{}s  Route 53 status read: {ok} of {of} checkers report success. The emulator \
                 answers this the same whatever the check says, never evaluates it, and answers \
                 no DNS: the times below are not measured",
                secs()
            ),
            format!(
                "t+{}초  Route 53 상태 읽음: 검사기 {of}개 중 {ok}개가 성공. 에뮬레이터는 상태 확인과 \
                 관계없이 늘 같게 답하고, 평가하지 않으며, DNS에도 답하지 않습니다: 아래 시간은 측정하지 \
                 않습니다",
                secs()
            ),
        );
        return Ok(());
    }
    let limit = bound(false);
    let start = Instant::now();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    let mut last = String::new();
    while start.elapsed() < limit {
        tick.tick().await;
        let (ok, of) = verdict(clients, check).await?;
        if of > 0
            && !crate::resources::route53::health_check::healthy(ok, of)
            && result.detect_secs.is_none()
        {
            result.detect_secs = Some(secs());
        }
        let route53 = match &plan.dns {
            Some(dns) => match answer(clients, dns).await {
                Ok(a) if is_standby(dns, &a).await => {
                    result.dns_secs.get_or_insert(secs());
                    format!(" · Route 53 answers: the standby ({standby})")
                }
                Ok(a) if a.is_empty() => " · Route 53 answers: nothing".to_string(),
                Ok(_) => " · Route 53 answers: the primary".to_string(),
                Err(e) => format!(" · Route 53's answer: not known ({e})"),
            },
            None => String::new(),
        };
        let (failure, region) = probe.once_from(plan.probe_url.as_deref()).await;
        let answered = region.clone().unwrap_or_else(|| "?".into());
        let line = format!(
            "checkers seeing the primary healthy: {ok} of {of}{route53} · answered by: {answered}{}",
            failure.map(|f| format!(" ({f})")).unwrap_or_default()
        );
        if line != last {
            events.note(
                format!("t+{}s  {line}", secs()),
                format!("t+{}초  {line}", secs()),
            );
            last = line;
        }
        if region.as_deref() == Some(standby) {
            result.replace_secs = Some(secs());
            result.zone_after = Some(standby.to_string());
            return Ok(());
        }
    }
    Ok(())
}
