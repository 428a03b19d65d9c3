//! The plan of a run: what exists of the stack (with proof), how it differs from the plan
//! file, what must be replaced (and what goes with it), what left the plan, what is in the
//! way, and what it all costs; and the question applying it asks (what is replaced and
//! what that loses, the flags needed). `hawiz plan` prints it; apply, plain mode and the
//! wizard ask its question and then carry it out.

mod ask;
mod items;

pub use ask::question;
use items::items;

use super::{Env, Failure, Session, StackLock, connect, preflight, quiet_runner, union_graph};
use crate::engine::settings::Change;
use crate::engine::{self, Graph, Proof, Replacing, Survey};
use crate::i18n::Text;
use crate::plan::{Finding, Plan};
use crate::state::Store;
use std::collections::BTreeSet;
use std::sync::Arc;

/// What a run does to one resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// `+` it does not exist yet.
    Create,
    /// `~` settings change in place.
    Update,
    /// `-/+` deleted and made again (why is in the item).
    Replace,
    /// `-` it left the plan.
    Delete,
    /// `=` exists and matches the plan.
    Keep,
    /// The user's own (adopted): used as is.
    Yours,
}

impl Action {
    pub fn symbol(self) -> &'static str {
        match self {
            Action::Create => "+",
            Action::Update => "~",
            Action::Replace => "-/+",
            Action::Delete => "-",
            Action::Keep => "=",
            Action::Yours => "=",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Item {
    pub key: String,
    pub kind: &'static str,
    pub name: String,
    pub action: Action,
    /// The settings that differ (update or replace).
    pub changes: Vec<Change>,
    /// Why it is replaced, when another resource's replacement takes it along.
    pub because: Option<String>,
    /// Its live resources now.
    pub ids: Vec<String>,
    pub proof: Option<Proof>,
    /// What replacing it loses, as its kind says (the flag a replacement needs).
    pub replacing: Replacing,
    /// Its updates may wait for a maintenance window, as its kind says.
    pub can_wait: bool,
    /// Its running copies are replaced after the run, once what they renew on is new
    /// (a group's instances once a new database is up).
    pub roll: bool,
}

impl Item {
    /// The change in one line: `max: 4 → 6; min: 2 → 3`, or why it is replaced.
    pub fn detail(&self) -> String {
        let mut parts: Vec<String> = self.changes.iter().map(Change::describe).collect();
        if self.action == Action::Replace {
            for c in self.changes.iter().filter(|c| c.replaces()) {
                if let crate::engine::settings::OnChange::Replace(why) = c.on_change {
                    parts.push(format!("({why})"));
                }
            }
        }
        if let Some(b) = &self.because {
            parts.push(b.clone());
        }
        parts.join("; ")
    }
}

/// Everything a run would do, checked against the account, ready to confirm.
#[derive(Debug)]
pub struct Changeset {
    /// The plan, resolved (the SSH source looked up).
    pub plan: Plan,
    /// The plan the stack was last applied with, if it exists.
    pub before: Option<Plan>,
    pub session: Session,
    /// The plan's resources.
    pub graph: Graph,
    /// The plan's resources and those of earlier plans that may still exist.
    pub union: Graph,
    pub survey: Survey,
    /// Every resource of the plan (in its order), then those that left it.
    pub items: Vec<Item>,
    pub warnings: Vec<Finding>,
    /// Lines for the user (the SSH source chosen, a stale lock taken over).
    pub notes: Vec<Text>,
    /// Monthly estimate (USD) before and after, when both can be priced.
    pub cost: Option<(Option<f64>, f64)>,
    /// Held from the survey to the end of the apply, when this changeset is for applying:
    /// this machine's lock, then the account's (two machines never work on one stack).
    pub lock: Option<Arc<StackLock>>,
    pub account_lock: Option<Arc<super::account::AccountLock>>,
    /// It runs in the sandbox (a replaced database keeps no final snapshot there).
    pub sandbox: bool,
}

/// What a changeset needs from the user beyond a yes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Needs {
    /// Replacing the VPC (and everything in it) needs `--replace-vpc`.
    pub replace_vpc: bool,
    /// Replacing the database needs `--replace-database`.
    pub replace_database: bool,
    /// Database settings change: now, or in its next maintenance window.
    pub db_when: bool,
}

impl Changeset {
    pub fn count(&self, action: Action) -> usize {
        self.items.iter().filter(|i| i.action == action).count()
    }

    /// Nothing to create, change or delete.
    pub fn is_noop(&self) -> bool {
        self.items
            .iter()
            .all(|i| matches!(i.action, Action::Keep | Action::Yours))
    }

    pub fn keys(&self, action: Action) -> BTreeSet<String> {
        self.items
            .iter()
            .filter(|i| i.action == action)
            .map(|i| i.key.clone())
            .collect()
    }

    pub fn needs(&self) -> Needs {
        ask::needs(&self.items)
    }
}

/// Work out what a run of `plan` would do. With `for_apply`, the stack's lock is taken
/// first and held by the changeset.
/// The plan is validated here, first: an invalid plan is refused before anything is
/// locked, looked up or asked of AWS, whichever front-end asks.
pub async fn changes(env: &Env, mut plan: Plan, for_apply: bool) -> Result<Changeset, Failure> {
    let mut warnings = super::validated(&plan)?;
    let mut notes = Vec::new();
    let lock = if for_apply {
        let lock = StackLock::acquire(&env.stacks_dir, &plan.stack.name, "hawiz apply")?;
        if let Some(dead) = &lock.took_over {
            notes.push(Text::new(
                format!("took over the lock of {dead}, which is no longer running"),
                format!("더 이상 실행 중이 아닌 {dead}의 잠금을 넘겨받았습니다"),
            ));
        }
        Some(Arc::new(lock))
    } else {
        None
    };
    // Your public address (for the bastion's SSH rule) is asked of a web service while
    // the account is reached: two waits at once.
    let region = plan.region().to_string();
    let (note, session) = tokio::join!(
        super::resolve_ssh_cidr(&mut plan, env),
        connect(env, &region)
    );
    notes.extend(note?);
    // The account first: it holds the stack's lock and the plan of its last apply, which
    // is what another machine (or this one without its state) starts from.
    let session = session?;
    let account_lock = if for_apply {
        let lock = super::account::lock(
            session.clients.clone(),
            &plan.stack.name,
            "hawiz apply",
            env.force_unlock,
        )
        .await?;
        notes.extend(lock.took_over.clone());
        Some(Arc::new(lock))
    } else {
        None
    };
    let kept = super::account::read_plan(&session.clients, &plan.stack.name).await?;

    let (store, existed) =
        Store::look(&env.stacks_dir, &plan).map_err(|e| Failure::failed(e.to_string()))?;
    let mut state = store.snapshot();
    if !existed && let Some(k) = &kept {
        notes.push(Text::new(
            format!(
                "This machine has no state of stack {:?}: its last applied plan ({}) and its \
                 resources were found in the account.",
                plan.stack.name,
                crate::names::plan_record(&plan.stack.name)
            ),
            format!(
                "이 컴퓨터에 스택 {}의 상태가 없어, 마지막으로 적용한 계획({})과 리소스를 계정에서 \
                 찾았습니다.",
                plan.stack.name,
                crate::names::plan_record(&plan.stack.name)
            ),
        ));
        state.plan = k.clone();
        state.region = k.region().to_string();
    }
    let existed = existed || kept.is_some();
    let mut refusals = Vec::new();
    let before = existed.then(|| state.plan.clone());
    if existed {
        if state.region != plan.region() {
            return Err(Failure::invalid(format!(
                "stack {:?} already exists in region {}, but the plan says {}; destroy it first \
                 or choose another stack name",
                state.stack,
                state.region,
                plan.region()
            )));
        }
        refusals.extend(preflight::network_switch(&state.plan, &plan));
        refusals.extend(preflight::failover_switch(&state.plan, &plan));
        // Failing over is recorded in the stack's plan, not in the user's file: every
        // later apply keeps the standby as the site.
        let before_failover = state.plan.failover.as_ref();
        if let (Some(at), Some(now)) = (
            before_failover.and_then(|f| f.failed_over.clone()),
            plan.failover.as_mut(),
        ) && now.failed_over.is_none()
            && now.region.trim() == before_failover.map(|f| f.region.trim()).unwrap_or_default()
        {
            now.failed_over = Some(at.clone());
            notes.push(Text::new(
                format!(
                    "stack {:?} failed over to {} at {at}: its standby stays the site, at the \
                     primary's size",
                    plan.stack.name, now.region
                ),
                format!(
                    "스택 {}의 장애 조치가 {at}에 {} 이루어졌습니다. 대기 스택이 계속 사이트이며 \
                     기본 리전 크기로 유지됩니다",
                    plan.stack.name,
                    crate::i18n::korean::with(&now.region, crate::i18n::korean::Josa::EuroRo)
                ),
            ));
        }
    }
    let db_made = state.resources.get("db").is_some_and(|r| r.id.is_some());
    notes.extend(super::db_standby::changed(before.as_ref(), &plan, db_made));
    let mut earlier = state.earlier.clone();
    if let Some(b) = &before
        && *b != plan
    {
        earlier.push(b.clone());
    }
    let graph = crate::blueprint::build(&plan, &env.stacks_dir)
        .map_err(|e| Failure::failed(format!("internal error: {e}")))?;
    let union = union_graph(&env.stacks_dir, &plan, &earlier)?;

    let runner = quiet_runner(env, &session, Arc::new(store), union.clone());
    // The preflight's checks, the survey and the sweep for what the plan does not explain
    // are independent reads: they run at once, so looking costs one wait, not three.
    let (pre, survey, swept) = tokio::join!(
        preflight::check(&session.clients, &plan),
        engine::survey(&runner, true),
        engine::sweep(&runner)
    );
    let pre = pre?;
    refusals.extend(pre.errors);
    warnings.extend(pre.warnings);
    if !survey.errors.is_empty() {
        let mut f = Failure::failed(format!(
            "could not look at every resource of the stack, so nothing was planned:\n{}",
            survey.error_list()
        ));
        if let Some(e) = survey
            .errors
            .values()
            .find(|e| super::advice::of(e).is_some())
        {
            f.class = e.class;
            if let Some(a) = super::advice::of(e) {
                f.message.push_str(&format!("\n{}", a.en));
            }
        }
        return Err(f);
    }

    match swept {
        Ok(swept) => {
            let extras = super::sweep::explain(&runner, &survey, swept);
            refusals.extend(super::sweep::refusal(
                &env.target,
                &plan.stack.name,
                &extras,
            ));
        }
        Err(e) => {
            let status = env.target.hawiz(&format!("status {}", plan.stack.name));
            warnings.push(Finding {
                field: "stack.name".into(),
                message: format!(
                    "could not look for duplicates and leftovers of the stack ({e}); \
                     `{status}` lists them once it can"
                ),
                ko: format!(
                    "스택의 중복·남은 리소스를 찾아보지 못했습니다({e}). 가능해지면 \
                     `{status}`가 보여 줍니다"
                ),
            });
        }
    }
    let items = items(&graph, &union, &survey, &mut refusals);
    if !refusals.is_empty() {
        dedup(&mut refusals);
        return Err(Failure::refused(
            &format!(
                "the plan does not fit what exists in {}; nothing was created:",
                plan.region()
            ),
            refusals,
        ));
    }
    let cost = crate::cost::estimate(&plan).ok().map(|after| {
        let was = before
            .as_ref()
            .and_then(|b| crate::cost::estimate(b).ok())
            .map(|e| e.total);
        (was, after.total)
    });
    Ok(Changeset {
        plan,
        before,
        session,
        graph,
        union,
        survey,
        items,
        warnings,
        notes,
        cost,
        lock,
        account_lock,
        sandbox: env.target.sandbox,
    })
}

fn dedup(findings: &mut Vec<Finding>) {
    let mut seen = BTreeSet::new();
    findings.retain(|f| seen.insert(f.message.clone()));
}
