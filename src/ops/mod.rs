//! The run layer: what every front-end (the CLI, the full-screen wizard, plain mode) does
//! with a plan, in one place. Each operation is an event stream plus a final result;
//! connect, preflight, the diff, locking, the leftovers sweep, drift and the advice for
//! AWS failures live here, so every front-end gets exactly the same checks and proofs.
//!
//! Every operation that changes something is compute → show → confirm → run: it first
//! works out what it will do and returns it with its `Question` (what needs a yes, and
//! the choices that go with it); the front-end renders that question and hands back the
//! `Answer`; the operation runs on it.
//!
//! ```text
//! front-end ─► ops::changes      (validate + survey + diff + refusals + cost) ─► Question
//!           ─► ops::apply        (replace ─► build ─► remove what left the plan) ─► events
//!           ─► ops::destroy_plan (survey, protection, final snapshot)          ─► Question
//!           ─► ops::destroy      (delete ─► re-survey + sweep: the proof)         ─► events
//!           ─► ops::drill        (prepare: the target and where ─► Question; run) ─► events
//!           ─► ops::status       (survey with settings ─► drift, leftovers, notes)
//! ```

pub mod account;
pub mod advice;
pub mod apply;
pub mod changes;
pub mod db_standby;
pub mod destroy;
pub mod doctor;
pub mod drill;
pub mod early;
pub mod failback;
pub mod failover;
pub use crate::resources::fleet;
pub mod inspect;
pub mod lists;
pub mod lock;
mod preflight;
pub mod question;
pub mod serving;
pub mod stacks;
pub mod standby;
pub mod status;
pub mod summary;
pub mod sweep;

pub use apply::{ApplyOptions, ApplyReport, apply};
pub use changes::{Action, Changeset, Item, changes};
pub use destroy::{DestroyPlan, DestroyReport, DestroyScope, Snapshot, destroy, destroy_plan};
pub use lock::StackLock;
pub use question::{Answer, Choice, Fact, Opt, Question, Tone};
pub use status::{StatusReport, status};
pub use sweep::{Extra, Why};

use crate::aws::{self, Clients, Identity};
use crate::engine;
use crate::plan::{Finding, Plan, validate::validate};
use crate::state::Store;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::sync::mpsc;

/// Exit codes: 1 = something failed in AWS or the engine, 2 = the input was refused
/// (nothing was created), 130 = interrupted.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub code: i32,
    pub message: String,
    /// The refusals behind it, each at its plan field and in both languages (the wizard
    /// shows them at their fields).
    pub findings: Vec<Finding>,
    /// What kind of failure it was (from AWS's code), for the advice every front-end
    /// gives the same.
    pub class: crate::aws::Class,
}

impl Failure {
    pub fn invalid(message: impl Into<String>) -> Self {
        Failure {
            code: 2,
            message: message.into(),
            findings: Vec::new(),
            class: crate::aws::Class::Other,
        }
    }
    pub fn failed(message: impl Into<String>) -> Self {
        Failure {
            code: 1,
            message: message.into(),
            findings: Vec::new(),
            class: crate::aws::Class::Other,
        }
    }
    /// Refused because of these findings (input, or what exists in AWS).
    pub fn refused(title: &str, findings: Vec<Finding>) -> Self {
        Failure {
            code: 2,
            message: list(title, &findings),
            findings,
            class: crate::aws::Class::Other,
        }
    }
    /// The same failure, of a class (an AWS failure's, for its advice).
    pub fn of_class(mut self, class: crate::aws::Class) -> Self {
        self.class = class;
        self
    }
    /// Interrupted (Ctrl-C): exit 130.
    pub fn interrupted(message: impl Into<String>) -> Self {
        Failure {
            code: 130,
            ..Failure::failed(message)
        }
    }
}

/// A title and its findings, one per line.
pub fn list(title: &str, findings: &[Finding]) -> String {
    let mut s = title.to_string();
    for f in findings {
        s.push_str(&format!("\n  - {f}"));
    }
    s
}

/// What every operation needs to know about where it runs.
#[derive(Debug, Clone)]
pub struct Env {
    pub stacks_dir: PathBuf,
    pub target: aws::Target,
    pub parallelism: usize,
    /// The language the user reads (`--lang`, the saved choice, the locale).
    pub lang: crate::i18n::Lang,
    /// Where to look for a stack this machine has no state of (`--region`; else the AWS
    /// configuration's).
    pub region: Option<String>,
    /// `--force-unlock`: take the stack's lock in the account from a holder that looks
    /// alive.
    pub force_unlock: bool,
}

/// What happens during an operation, for the front-ends to render.
#[derive(Debug, Clone)]
pub enum Event {
    /// A resource's progress.
    Resource(engine::Event),
    /// The operation moved on to another phase.
    Phase(Phase),
    /// A line worth showing (in English and Korean).
    Note { en: String, ko: String },
    /// The site is up (its wait ended serving, or was skipped in an emulator) and only
    /// the database's standby is still coming: what the final screen shows meanwhile, so
    /// a front-end may show it without waiting (the CLI's `--no-wait` ends the run here).
    Up(Box<summary::Summary>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Deleting what must be made again (confirmed replacements).
    Replacing,
    Building,
    /// Deleting what left the plan.
    Removing,
    Deleting,
    /// Looking again at everything the stack owns, to prove what is left.
    Checking,
    /// Waiting for the built site to serve (on AWS).
    Serving,
}

impl Phase {
    pub fn text(self, lang: crate::i18n::Lang) -> &'static str {
        match self {
            Phase::Replacing => lang.pick(
                "Deleting what must be made again",
                "다시 만들어야 하는 것을 삭제하는 중",
            ),
            Phase::Building => lang.pick("Building", "구축하는 중"),
            Phase::Removing => lang.pick(
                "Removing what left the plan",
                "계획에서 빠진 것을 삭제하는 중",
            ),
            Phase::Deleting => lang.pick("Deleting", "삭제하는 중"),
            Phase::Serving => lang.pick(
                "Waiting for the site to serve",
                "사이트가 응답할 때까지 기다리는 중",
            ),
            Phase::Checking => lang.pick(
                "Checking that nothing of the stack is left",
                "스택의 리소스가 남지 않았는지 확인하는 중",
            ),
        }
    }
}

/// The sending half of an operation's events.
#[derive(Debug, Clone)]
pub struct Events(mpsc::UnboundedSender<Event>);

impl Events {
    pub fn channel() -> (Events, mpsc::UnboundedReceiver<Event>) {
        let (tx, rx) = mpsc::unbounded_channel();
        (Events(tx), rx)
    }
    pub fn phase(&self, p: Phase) {
        let _ = self.0.send(Event::Phase(p));
    }
    pub fn up(&self, summary: summary::Summary) {
        let _ = self.0.send(Event::Up(Box::new(summary)));
    }
    pub fn note(&self, en: impl Into<String>, ko: impl Into<String>) {
        let _ = self.0.send(Event::Note {
            en: en.into(),
            ko: ko.into(),
        });
    }
    /// An engine event channel whose events are forwarded as `Event::Resource`, and the
    /// forwarder, which ends (and can be awaited, to keep events in order) once every
    /// sender is dropped.
    fn engine(
        &self,
    ) -> (
        mpsc::UnboundedSender<engine::Event>,
        tokio::task::JoinHandle<()>,
    ) {
        let (tx, mut rx) = mpsc::unbounded_channel();
        let out = self.0.clone();
        let forwarder = tokio::spawn(async move {
            while let Some(ev) = rx.recv().await {
                let _ = out.send(Event::Resource(ev));
            }
        });
        (tx, forwarder)
    }

    /// Run one engine phase with its events forwarded, and wait until all of them are
    /// passed on before the next phase says anything.
    async fn run<T, F, Fut>(&self, make: F) -> T
    where
        F: FnOnce(mpsc::UnboundedSender<engine::Event>) -> Fut,
        Fut: std::future::Future<Output = T>,
    {
        let (tx, forwarder) = self.engine();
        let out = make(tx).await;
        let _ = forwarder.await;
        out
    }
}

/// Signed in: clients for the region and who we are.
#[derive(Debug, Clone)]
pub struct Session {
    pub clients: Arc<Clients>,
    pub who: Identity,
}

/// Clients for a region, plus who we are: the first call every operation makes, so a
/// missing login or an unreachable endpoint is explained before anything else happens.
pub async fn connect(env: &Env, region: &str) -> Result<Session, Failure> {
    let clients = Clients::new(region, &env.target).await;
    let who = clients
        .identity()
        .await
        .map_err(|e| advice::connect_failure(&e, &env.target))?;
    Ok(Session {
        clients: Arc::new(clients),
        who,
    })
}

/// Load and resolve a plan file. It is validated where it is used (`changes`,
/// `validated`), once.
pub async fn load_plan(path: &Path) -> Result<Plan, Failure> {
    let mut plan = Plan::load(path).map_err(|e| Failure::invalid(e.to_string()))?;
    let configured = if plan.stack.region.is_none() {
        aws::configured_region().await
    } else {
        None
    };
    plan.resolve(configured.as_deref());
    Ok(plan)
}

/// The plan's own checks (no AWS): its errors refuse it, at their fields; its warnings
/// are returned.
pub fn validated(plan: &Plan) -> Result<Vec<Finding>, Failure> {
    let report = validate(plan);
    if !report.is_ok() {
        return Err(Failure::refused(
            &format!(
                "the plan has {}; nothing was created:",
                crate::i18n::count(report.errors.len(), "problem")
            ),
            report.errors,
        ));
    }
    Ok(report.warnings)
}

/// What the sandbox allows SSH from when the real address cannot be found (it is offline).
pub const SANDBOX_SSH_CIDR: &str = "127.0.0.1/32";

/// An empty `bastion.ssh_cidr` means "my address": look it up now, so SSH is open to the
/// user's /32 and nobody else. Stored in the plan saved with the state. Returns a note for
/// the user when it chose an address.
pub async fn resolve_ssh_cidr(
    plan: &mut Plan,
    env: &Env,
) -> Result<Option<crate::i18n::Text>, Failure> {
    if !plan.bastion.enabled || !plan.bastion.ssh_cidr.trim().is_empty() {
        return Ok(None);
    }
    match crate::myip::detect().await {
        Ok(ip) => {
            plan.bastion.ssh_cidr = format!("{ip}/32");
            Ok(Some(crate::i18n::Text::new(
                format!("SSH to the bastion will be allowed from {ip}/32 (your public address)."),
                format!(
                    "배스천 호스트에는 {ip}/32(내 퍼블릭 주소)에서만 SSH로 접속할 수 있습니다."
                ),
            )))
        }
        Err(why) if env.target.sandbox => {
            plan.bastion.ssh_cidr = SANDBOX_SSH_CIDR.into();
            Ok(Some(crate::i18n::Text::new(
                format!(
                    "Could not detect your public address ({why}); the sandbox uses {SANDBOX_SSH_CIDR}."
                ),
                format!(
                    "내 퍼블릭 주소를 알아내지 못해({why}) 샌드박스는 {} 씁니다.",
                    crate::i18n::korean::with(SANDBOX_SSH_CIDR, crate::i18n::korean::Josa::EulReul)
                ),
            )))
        }
        Err(why) => Err(Failure::refused(
            "nothing was created:",
            vec![Finding {
                field: "bastion.ssh_cidr".into(),
                message: format!(
                    "empty, so hawiz looked up your public address to allow SSH from it \
                     alone, but {why}. Enter your address as a.b.c.d/32, or turn the bastion off"
                ),
                ko: format!(
                    "비어 있어 hawiz가 내 퍼블릭 주소를 알아내 그 주소에서만 \
                     SSH를 허용하려 했지만 실패했습니다({why}). 내 주소를 a.b.c.d/32 형식으로 \
                     입력하거나 배스천 호스트를 끄세요"
                ),
            }],
        )),
    }
}

/// The graph of everything a stack may own: its current plan's, plus the nodes of earlier
/// plans whose resources may still exist.
pub fn union_graph(
    stacks_dir: &Path,
    plan: &Plan,
    earlier: &[Plan],
) -> Result<engine::Graph, Failure> {
    let mut graph = crate::blueprint::build(plan, stacks_dir)
        .map_err(|e| Failure::failed(format!("internal error: {e}")))?;
    for old in earlier.iter().rev() {
        if let Ok(g) = crate::blueprint::build(old, stacks_dir) {
            graph = graph.with_older(&g);
        }
    }
    Ok(graph)
}

/// An engine runner over a graph.
pub fn runner(
    env: &Env,
    session: &Session,
    store: Arc<Store>,
    graph: engine::Graph,
    events: mpsc::UnboundedSender<engine::Event>,
    options: engine::RunOptions,
) -> engine::Runner {
    engine::Runner {
        aws: session.clients.clone(),
        store,
        graph: Arc::new(graph),
        parallelism: env.parallelism,
        events,
        options,
        known: Default::default(),
    }
}

/// A runner whose events go nowhere (surveys nobody watches).
fn quiet_runner(
    env: &Env,
    session: &Session,
    store: Arc<Store>,
    graph: engine::Graph,
) -> engine::Runner {
    let (tx, _) = mpsc::unbounded_channel();
    runner(
        env,
        session,
        store,
        graph,
        tx,
        engine::RunOptions::default(),
    )
}
