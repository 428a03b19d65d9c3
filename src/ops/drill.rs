//! The HA drill, the labs' last step: break one part on purpose and watch the stack heal.
//! `instance` terminates an app instance through Auto Scaling (the group keeps its size,
//! so it must launch a replacement); `database` reboots RDS with a failover to its standby.
//! Once a second it reads the group, the target health, the activities (or the database's
//! status and events) and probes the site, and it times detection, replacement and health.
//! The result is saved beside the stack's state.

use super::{Env, Events, Failure, Session, connect};
use crate::aws::Clients;
use crate::i18n::Lang;
use crate::i18n::korean::{self, Josa};
use crate::plan::Plan;
use crate::state::{Status, Store};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Part {
    Instance,
    Database,
}

impl Part {
    pub fn as_str(self) -> &'static str {
        match self {
            Part::Instance => "instance",
            Part::Database => "database",
        }
    }
}

/// What the drill will break, for the confirmation.
pub struct DrillPlan {
    pub stack: String,
    pub part: Part,
    /// The instance ID or the database identifier.
    pub victim: String,
    /// Its AZ (the primary's, for the database).
    pub zone: String,
    pub en: String,
    pub ko: String,
    session: Session,
    /// Where the site answers (`None` where nothing can answer: an emulator).
    probe_url: Option<String>,
    /// Why there is no probe, when there is none.
    pub no_probe: Option<(String, String)>,
    group_size: usize,
    target_group: Option<String>,
    emulator: bool,
    stack_dir: PathBuf,
    _lock: super::lock::StackLock,
}

/// The measured result, saved as JSON beside the stack's state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DrillResult {
    pub stack: String,
    pub part: Part,
    pub started: String,
    pub victim: String,
    pub zone_before: String,
    pub zone_after: Option<String>,
    /// Seconds from the break until AWS noticed (the target left "healthy", the group
    /// marked the instance, the database left "available").
    pub detect_secs: Option<u64>,
    /// Until a replacement existed (a new instance in the group; the database back).
    pub replace_secs: Option<u64>,
    /// Until the stack was whole again (the replacement healthy behind the load balancer;
    /// the database available).
    pub healthy_secs: Option<u64>,
    pub requests_ok: u32,
    pub requests_failed: u32,
    pub probed: bool,
    pub emulator: bool,
    /// The drill ended with the stack whole again.
    pub healed: bool,
}

async fn group(
    clients: &Clients,
    name: &str,
) -> Result<Option<aws_sdk_autoscaling::types::AutoScalingGroup>, Failure> {
    super::fleet::group(clients, name)
        .await
        .map_err(|e| Failure::failed(e.to_string()))
}

/// Target ID → health state ("healthy", "initial", "draining", ...).
async fn target_health(clients: &Clients, arn: &str) -> Result<BTreeMap<String, String>, Failure> {
    Ok(super::fleet::targets(clients, arn)
        .await
        .map_err(|e| Failure::failed(e.to_string()))?
        .into_iter()
        .map(|t| (t.id, t.state))
        .collect())
}

async fn database(
    clients: &Clients,
    id: &str,
) -> Result<Option<aws_sdk_rds::types::DbInstance>, Failure> {
    let out = clients
        .rds
        .describe_db_instances()
        .db_instance_identifier(id)
        .send()
        .await;
    match out {
        Ok(o) => Ok(o.db_instances().first().cloned()),
        Err(e) => {
            let e = crate::aws::aws("DescribeDBInstances")(e);
            if e.message.contains("not found") || e.code.as_deref() == Some("DBInstanceNotFound") {
                Ok(None)
            } else {
                Err(Failure::failed(e.to_string()))
            }
        }
    }
}

/// The site's address: the host name with a domain, else the load balancer's.
fn site_url(plan: &Plan, store: &Store) -> Option<String> {
    let state = store.snapshot();
    if let Some(host) = crate::blueprint::site_name(plan)
        && state
            .resources
            .get("dns/site")
            .is_some_and(|r| r.status == Status::Ready)
    {
        let https = plan.domain.as_ref().is_some_and(|d| d.https);
        return Some(format!(
            "{}://{host}/",
            if https { "https" } else { "http" }
        ));
    }
    state
        .resources
        .get("alb")
        .and_then(|r| r.outputs.get("dns name"))
        .map(|dns| format!("http://{dns}/"))
}

/// Check the stack can take the drill and pick what to break.
pub async fn prepare(env: &Env, stack: &str, part: Part) -> Result<DrillPlan, Failure> {
    let store = Store::open(&env.stacks_dir, stack).map_err(|e| Failure::invalid(e.to_string()))?;
    let lock = super::lock::StackLock::acquire(&env.stacks_dir, stack, "hawiz drill")?;
    let state = store.snapshot();
    let plan = state.plan.clone();
    let graph = crate::blueprint::build(&plan, &env.stacks_dir)
        .map_err(|e| Failure::failed(format!("internal error: {e}")))?;
    let ready = graph
        .nodes()
        .filter(|n| {
            state
                .resources
                .get(&n.key)
                .is_some_and(|r| matches!(r.status, Status::Ready | Status::Adopted))
        })
        .count();
    if ready < graph.len() {
        return Err(Failure::invalid(format!(
            "stack {stack:?} is not complete ({ready} of {} resources ready): a drill on a \
             half-built stack proves nothing. Finish it first with `hawiz apply` on its plan \
             (or continue it in the wizard)",
            graph.len()
        )));
    }
    let session = connect(env, &state.region).await?;
    let clients = session.clients.clone();
    let emulator = env.target.emulated();
    let probe_url = site_url(&plan, &store).filter(|_| !emulator);
    let no_probe = emulator.then(|| {
        (
            "the site is not probed: this is an emulator, where nothing boots or serves HTTP"
                .to_string(),
            "사이트를 확인하지 않습니다: 에뮬레이터에서는 아무것도 부팅하거나 HTTP로 응답하지 않습니다"
                .to_string(),
        )
    });
    let target_group = state.resources.get("tg").and_then(|r| r.id.clone());
    let group_name = crate::names::app(stack);
    let g = group(&clients, &group_name).await?.ok_or_else(|| {
        Failure::invalid(format!(
            "the Auto Scaling group {group_name} of stack {stack:?} is missing: run `hawiz status {stack}`"
        ))
    })?;
    let serving = super::fleet::in_service(&g);
    let group_size = usize::try_from(g.desired_capacity().unwrap_or(0)).unwrap_or(0);
    let (victim, zone, en, ko) = match part {
        Part::Instance => {
            if serving.len() < 2 {
                return Err(Failure::invalid(format!(
                    "only {} app instance is in service in {group_name}: terminating it would take \
                     the site down. The drill needs at least 2 (the lab's minimum); raise \
                     `app.min` and apply first",
                    serving.len()
                )));
            }
            if let (Some(tg), false) = (&target_group, emulator) {
                let health = target_health(&clients, tg).await?;
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
            (
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
            )
        }
        Part::Database => {
            let id = crate::names::database(stack);
            let db = database(&clients, &id).await?.ok_or_else(|| {
                Failure::invalid(format!("the database {id} of stack {stack:?} is missing"))
            })?;
            if db.multi_az() != Some(true) {
                return Err(Failure::invalid(format!(
                    "database {id} is single-AZ: a failover has no standby to go to. Turn \
                     Multi-AZ on (`database.multi_az = true`) and apply first"
                )));
            }
            let status = db.db_instance_status().unwrap_or_default();
            if status != "available" {
                return Err(Failure::invalid(format!(
                    "database {id} is {status}, not available: try again when it is"
                )));
            }
            let az = db.availability_zone().unwrap_or_default().to_string();
            (
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
            )
        }
    };
    Ok(DrillPlan {
        stack: stack.to_string(),
        part,
        victim,
        zone,
        en,
        ko,
        session,
        probe_url,
        no_probe,
        group_size,
        target_group,
        emulator,
        stack_dir: crate::blueprint::stack_dir(&env.stacks_dir, stack),
        _lock: lock,
    })
}

/// Break it and watch: notes once a second on what changed, then the result.
pub fn run(
    plan: DrillPlan,
) -> (
    mpsc::UnboundedReceiver<super::Event>,
    JoinHandle<Result<DrillResult, Failure>>,
) {
    let (events, rx) = Events::channel();
    let work = tokio::spawn(async move { watch(plan, events).await });
    (rx, work)
}

/// How long a drill waits for the stack to heal: AWS takes minutes (a new instance boots
/// and installs; a failover is one to two minutes); the emulator answers at once.
fn bound(emulator: bool) -> Duration {
    Duration::from_secs(if emulator { 60 } else { 20 * 60 })
}

struct Probe {
    ok: u32,
    failed: u32,
}

impl Probe {
    async fn once(&mut self, url: Option<&str>) -> Option<String> {
        let url = url?;
        match crate::http::get(url, Duration::from_secs(2)).await {
            Ok(r) if r.status < 400 => {
                self.ok += 1;
                None
            }
            Ok(r) => {
                self.failed += 1;
                Some(format!("HTTP {}", r.status))
            }
            Err(e) => {
                self.failed += 1;
                Some(e)
            }
        }
    }
}

async fn watch(plan: DrillPlan, events: Events) -> Result<DrillResult, Failure> {
    let clients = plan.session.clients.clone();
    let started_at = crate::time::now_utc();
    let t0 = Instant::now();
    let secs = || t0.elapsed().as_secs();
    let mut result = DrillResult {
        stack: plan.stack.clone(),
        part: plan.part,
        started: started_at,
        victim: plan.victim.clone(),
        zone_before: plan.zone.clone(),
        zone_after: None,
        detect_secs: None,
        replace_secs: None,
        healthy_secs: None,
        requests_ok: 0,
        requests_failed: 0,
        probed: plan.probe_url.is_some(),
        emulator: plan.emulator,
        healed: false,
    };
    if let Some((en, ko)) = &plan.no_probe {
        events.note(en.clone(), ko.clone());
    }
    let mut probe = Probe { ok: 0, failed: 0 };
    match plan.part {
        Part::Instance => {
            instance(&plan, &clients, &events, &mut result, &mut probe, &secs).await?
        }
        Part::Database => {
            database_drill(&plan, &clients, &events, &mut result, &mut probe, &secs).await?
        }
    }
    result.requests_ok = probe.ok;
    result.requests_failed = probe.failed;
    save(&plan.stack_dir, &result)?;
    Ok(result)
}

async fn instance(
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
        .map(|g| super::fleet::in_service(&g).into_keys().collect())
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
        let serving = g.as_ref().map(super::fleet::in_service).unwrap_or_default();
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
        let targets: Vec<String> = health.iter().map(|(id, s)| format!("{id} {s}")).collect();
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

async fn database_drill(
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
            for e in out.events() {
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

fn drills_dir(stack_dir: &Path) -> PathBuf {
    stack_dir.join("drills")
}

fn save(stack_dir: &Path, r: &DrillResult) -> Result<(), Failure> {
    let dir = drills_dir(stack_dir);
    crate::state::create_private_dir(&dir)
        .map_err(|e| Failure::failed(format!("cannot create {}: {e}", dir.display())))?;
    let name = format!(
        "{}-{}.json",
        crate::time::stamp(std::time::SystemTime::now()),
        r.part.as_str()
    );
    let text = serde_json::to_string_pretty(r).map_err(|e| Failure::failed(e.to_string()))?;
    std::fs::write(dir.join(&name), text + "\n")
        .map_err(|e| Failure::failed(format!("cannot write {name}: {e}")))
}

/// The stack's latest drill, if it ever had one.
pub fn last(stacks_dir: &Path, stack: &str) -> Option<DrillResult> {
    let dir = drills_dir(&crate::blueprint::stack_dir(stacks_dir, stack));
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    // Newest last: by when it was written (two drills may share a second), then name.
    files.sort_by_key(|p| {
        (
            std::fs::metadata(p).and_then(|m| m.modified()).ok(),
            p.clone(),
        )
    });
    let text = std::fs::read_to_string(files.last()?).ok()?;
    serde_json::from_str(&text).ok()
}

fn seconds(s: Option<u64>, lang: Lang) -> String {
    match s {
        Some(s) => lang.pick(&format!("{s} s"), &format!("{s}초")).to_string(),
        None => lang.pick("not reached", "도달하지 않음").to_string(),
    }
}

/// The result table's rows: (label, value).
pub fn table(r: &DrillResult, lang: Lang) -> Vec<(String, String)> {
    let (detect, replace, healthy) = match r.part {
        Part::Instance => (
            lang.pick(
                "detected (target left healthy)",
                "감지 (대상이 정상에서 벗어남)",
            ),
            lang.pick("replacement launched", "대체 인스턴스 시작"),
            lang.pick("replacement healthy", "대체 인스턴스 정상"),
        ),
        Part::Database => (
            lang.pick("detected (left available)", "감지 (사용 가능에서 벗어남)"),
            lang.pick("standby took over", "대기 인스턴스가 넘겨받음"),
            lang.pick("available again", "다시 사용 가능"),
        ),
    };
    let requests = if r.probed {
        format!(
            "{} / {}",
            r.requests_failed,
            r.requests_ok + r.requests_failed
        )
    } else {
        lang.pick("not probed (emulator)", "확인 안 함 (에뮬레이터)")
            .to_string()
    };
    vec![
        (detect.to_string(), seconds(r.detect_secs, lang)),
        (replace.to_string(), seconds(r.replace_secs, lang)),
        (healthy.to_string(), seconds(r.healthy_secs, lang)),
        (
            lang.pick("requests failed", "실패한 요청").to_string(),
            requests,
        ),
    ]
}

/// What the numbers mean, in plain words.
pub fn meaning(r: &DrillResult, lang: Lang) -> String {
    let mut out = Vec::new();
    if !r.healed {
        out.push(lang.pick(
            "The stack was not whole again when hawiz stopped watching. It keeps healing on its own; `hawiz status` shows when it is back.",
            "hawiz가 지켜보기를 멈췄을 때 스택은 아직 복구되지 않았습니다. 스택은 스스로 계속 복구하며, `hawiz status`로 돌아왔는지 볼 수 있습니다.",
        ).to_string());
    }
    match (r.part, r.probed) {
        (_, true) if r.requests_failed == 0 => out.push(lang.pick(
            "No visitor request failed: the other AZ carried the site while this one healed. That is what high availability means.",
            "방문자 요청이 하나도 실패하지 않았습니다. 이 부분이 복구되는 동안 다른 AZ가 사이트를 맡았습니다. 이것이 고가용성입니다.",
        ).to_string()),
        (Part::Instance, true) => out.push(match lang {
            Lang::Ko => format!("요청 {}개가 실패했습니다. 로드 밸런서가 고장 난 인스턴스를 빼기 전에 그쪽으로 간 요청입니다. 상태 검사 간격과 임계값을 줄이면 짧아집니다.", r.requests_failed),
            _ => format!("{} requests failed: the ones sent to the broken instance before the load balancer took it out. A shorter health check interval or threshold shortens that.", r.requests_failed),
        }),
        (Part::Database, true) => out.push(match lang {
            Lang::Ko => format!("요청 {}개가 실패했습니다. 장애 조치 동안 데이터베이스의 DNS 이름이 대기 인스턴스로 옮겨 가고 WordPress가 다시 연결할 때까지입니다 (AWS에서 보통 1-2분).", r.requests_failed),
            _ => format!("{} requests failed: while the database's DNS name moved to the standby and WordPress reconnected (typically one to two minutes on AWS).", r.requests_failed),
        }),
        (_, false) => {}
    }
    if r.part == Part::Database
        && let Some(after) = &r.zone_after
    {
        out.push(if *after == r.zone_before {
            if r.emulator {
                lang.pick(
                    "The emulator reboots without failing over: the primary stayed in its AZ. On AWS it moves to the standby's AZ.",
                    "에뮬레이터는 장애 조치 없이 재부팅합니다: 기본 인스턴스가 같은 AZ에 남았습니다. AWS에서는 대기 인스턴스의 AZ로 옮겨 갑니다.",
                ).to_string()
            } else {
                match lang {
                    Lang::Ko => format!("기본 인스턴스는 여전히 {after}에 있습니다."),
                    _ => format!("The primary is still in {after}."),
                }
            }
        } else {
            match lang {
                Lang::Ko => format!(
                    "기본 인스턴스가 {}에서 {} 옮겨 갔습니다.",
                    r.zone_before,
                    korean::with(after, Josa::EuroRo)
                ),
                _ => format!("The primary moved from {} to {after}.", r.zone_before),
            }
        });
    }
    if r.emulator {
        out.push(lang.pick(
            "In the emulator nothing boots and a replacement appears at once: these times show each step happened, in order, not how long AWS takes (see the README for typical figures).",
            "에뮬레이터에서는 아무것도 부팅하지 않고 대체가 즉시 나타납니다. 이 시간은 각 단계가 순서대로 일어났음을 보여 줄 뿐, AWS에서 걸리는 시간이 아닙니다 (일반적인 수치는 README 참고).",
        ).to_string());
    }
    out.join(" ")
}

/// One line for `hawiz status`: the last drill.
pub fn status_line(r: &DrillResult) -> String {
    format!(
        "Last drill: {} on {}: detected {}, replaced {}, healthy {}, requests failed {}{}",
        r.part.as_str(),
        r.started,
        seconds(r.detect_secs, Lang::En),
        seconds(r.replace_secs, Lang::En),
        seconds(r.healthy_secs, Lang::En),
        if r.probed {
            r.requests_failed.to_string()
        } else {
            "not probed".into()
        },
        if r.emulator { " (emulator)" } else { "" }
    )
}
