//! The HA drill, the labs' last step: break one part on purpose and watch the stack heal.
//! `instance` terminates an app instance through Auto Scaling (the group keeps its size,
//! so it must launch a replacement); `database` reboots RDS with a failover to its standby.
//! Once a second it reads the group, the target health, the activities (or the database's
//! status and events) and probes the site, and it times detection, replacement and health.
//! The result is saved beside the stack's state.

mod database;
mod instance;
mod region;
mod report;

pub use report::{meaning, status_line, table};

use super::question::{Answer, Fact, Question, Tone};
use super::{Env, Events, Failure, Session, connect};
use crate::aws::Clients;
use crate::i18n::Text;
use crate::plan::Plan;
use crate::state::{Status, Store};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Part {
    Instance,
    Database,
    /// The whole primary region, as Route 53 sees it (seed 003's failover).
    Region,
}

impl Part {
    pub fn as_str(self) -> &'static str {
        match self {
            Part::Instance => "instance",
            Part::Database => "database",
            Part::Region => "region",
        }
    }
}

/// What the drill will break, for the confirmation.
#[derive(Debug)]
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
    /// The standby's region (a region drill's).
    standby: Option<String>,
    group_size: usize,
    target_group: Option<String>,
    emulator: bool,
    stack_dir: PathBuf,
    /// Said before the question (the state rebuilt from the account, a lock taken over).
    pub notes: Vec<crate::i18n::Text>,
    /// A region drill that ends in `hawiz failover` (`--promote`): the check stays
    /// inverted until the failover's own run puts it back.
    promote: bool,
    /// A region drill's: what Route 53 is asked about the site's name.
    dns: Option<region::Dns>,
    _lock: super::lock::StackLock,
    _account_lock: super::account::AccountLock,
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
    /// A region drill that went on to `hawiz failover` (`--promote`).
    #[serde(default)]
    pub promoted: bool,
    /// A region drill's: until Route 53 answered the site's name with the standby.
    #[serde(default)]
    pub dns_secs: Option<u64>,
}

pub(super) async fn group(
    clients: &Clients,
    name: &str,
) -> Result<Option<aws_sdk_autoscaling::types::AutoScalingGroup>, Failure> {
    super::fleet::group(clients, name)
        .await
        .map_err(|e| Failure::failed(e.to_string()))
}

/// Target ID → health state ("healthy", "initial", "draining", ...).
pub(super) async fn target_health(
    clients: &Clients,
    arn: &str,
) -> Result<BTreeMap<String, String>, Failure> {
    Ok(super::fleet::targets(clients, arn)
        .await
        .map_err(|e| Failure::failed(e.to_string()))?
        .into_iter()
        .map(|t| (t.id, t.state))
        .collect())
}

pub(super) async fn database(
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
            .get(&crate::blueprint::site_key(&host))
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
    let lock = super::lock::StackLock::acquire(&env.stacks_dir, stack, "hawiz drill")?;
    let (store, rebuilt) = super::account::open(env, stack).await?;
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
    let account_lock = super::account::lock(
        session.clients.clone(),
        stack,
        "hawiz drill",
        env.force_unlock,
    )
    .await?;
    let notes: Vec<crate::i18n::Text> = rebuilt
        .into_iter()
        .chain(account_lock.took_over.clone())
        .collect();
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
            "the Auto Scaling group {group_name} of stack {stack:?} is missing: run `{}`",
            env.target.hawiz(&format!("status {stack}"))
        ))
    })?;
    let serving = super::fleet::in_service(&g);
    let group_size = usize::try_from(g.desired_capacity().unwrap_or(0)).unwrap_or(0);
    let (victim, zone, en, ko) = match part {
        Part::Instance => {
            instance::target(
                &clients,
                &serving,
                &target_group,
                emulator,
                stack,
                group_size,
            )
            .await?
        }
        Part::Database => database::target(&clients, stack).await?,
        Part::Region => region::target(&plan, &state)?,
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
        standby: plan.failover.as_ref().map(|f| f.region.trim().to_string()),
        group_size,
        target_group,
        emulator,
        stack_dir: crate::blueprint::stack_dir(&env.stacks_dir, stack),
        notes,
        promote: false,
        dns: (part == Part::Region)
            .then(|| region::dns(&plan, &state))
            .flatten(),
        _lock: lock,
        _account_lock: account_lock,
    })
}

impl DrillPlan {
    /// `--promote`: the region drill goes on to `hawiz failover`'s irreversible steps once
    /// the standby answers, instead of putting the check back. Region drills only.
    pub fn promote(&mut self) -> Result<(), Failure> {
        if self.part != Part::Region {
            return Err(Failure::invalid(format!(
                "--promote goes with the region drill only (`hawiz drill {} region --promote`): \
                 it promotes the standby's database, which {} drill does not involve",
                self.stack,
                if self.part == Part::Instance {
                    "an instance"
                } else {
                    "a database"
                }
            )));
        }
        self.promote = true;
        Ok(())
    }

    /// What the drill asks: to break this instance (or database) in this AZ, and whether
    /// the site is probed meanwhile.
    pub fn question(&self) -> Question {
        let mut q = question(
            &self.stack,
            (&self.en, &self.ko),
            self.no_probe.as_ref(),
            self.probe_url.as_deref(),
        );
        let mut facts: Vec<Fact> = self
            .notes
            .iter()
            .map(|n| Fact::new(Tone::Info, n.en.clone(), n.ko.clone()))
            .collect();
        facts.append(&mut q.facts);
        if self.promote {
            facts.push(Fact::new(
                Tone::Danger,
                "--promote: the check is not put back; once the standby answers, `hawiz \
                 failover` follows and makes it the site for good (it asks before its \
                 irreversible steps)",
                "--promote: 상태 확인을 되돌리지 않습니다. 대기 리전이 응답하면 `hawiz failover`가 \
                 이어서 그곳을 사이트로 만듭니다 (되돌릴 수 없는 단계 전에 다시 묻습니다)",
            ));
        }
        q.facts = facts;
        q
    }

    /// Take the user's answer: only a yes breaks anything.
    pub fn answer(&self, a: &Answer) -> Result<(), Failure> {
        match self.question().refusal(a) {
            Some(f) => Err(f),
            None => Ok(()),
        }
    }
}

/// A drill's question: break this part (what and where, in both languages) on purpose
/// now, and whether the site is probed meanwhile (`no_probe`: why not).
pub fn question(
    stack: &str,
    (en, ko): (&str, &str),
    no_probe: Option<&(String, String)>,
    probe_url: Option<&str>,
) -> Question {
    let mut facts = vec![Fact::new(
        Tone::Info,
        format!("Drill on stack {stack:?}: {en}."),
        format!("스택 {stack} 훈련: {ko}."),
    )];
    match (no_probe, probe_url) {
        (Some((en, ko)), _) => facts.push(Fact::new(Tone::Info, en.clone(), ko.clone())),
        (None, Some(url)) => facts.push(Fact::new(
            Tone::Info,
            format!("the site is probed once a second at {url} meanwhile"),
            format!(
                "그동안 사이트 {} 1초마다 확인합니다",
                crate::i18n::korean::with(url, crate::i18n::korean::Josa::EulReul)
            ),
        )),
        (None, None) => {}
    }
    Question {
        title: Text::new("Break it on purpose now?", "지금 일부러 고장 낼까요?"),
        facts,
        options: Vec::new(),
        needed: true,
        declined: Text::new("nothing was broken", "아무것도 고장 내지 않았습니다"),
    }
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
pub(super) fn bound(emulator: bool) -> Duration {
    Duration::from_secs(if emulator { 60 } else { 20 * 60 })
}

pub(super) struct Probe {
    ok: u32,
    failed: u32,
}

impl Probe {
    pub(super) async fn once(&mut self, url: Option<&str>) -> Option<String> {
        self.once_from(url).await.0
    }

    /// One request: why it failed (if it did), and the region that answered.
    pub(super) async fn once_from(
        &mut self,
        url: Option<&str>,
    ) -> (Option<String>, Option<String>) {
        let Some(url) = url else {
            return (None, None);
        };
        match crate::http::get(url, Duration::from_secs(2)).await {
            Ok(r) if r.status < 400 => {
                self.ok += 1;
                (None, r.region)
            }
            Ok(r) => {
                self.failed += 1;
                (Some(format!("HTTP {}", r.status)), r.region)
            }
            Err(e) => {
                self.failed += 1;
                (Some(e), None)
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
        promoted: plan.promote,
        dns_secs: None,
    };
    // Why the site is not probed was said with the question: not again here.
    let mut probe = Probe { ok: 0, failed: 0 };
    match plan.part {
        Part::Instance => {
            instance::watch(&plan, &clients, &events, &mut result, &mut probe, &secs).await?
        }
        Part::Database => {
            database::watch(&plan, &clients, &events, &mut result, &mut probe, &secs).await?
        }
        Part::Region => {
            region::watch(&plan, &clients, &events, &mut result, &mut probe, &secs).await?
        }
    }
    result.requests_ok = probe.ok;
    result.requests_failed = probe.failed;
    save(&plan.stack_dir, &result)?;
    Ok(result)
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
