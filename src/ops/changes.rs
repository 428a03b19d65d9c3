//! The plan of a run: what exists of the stack (with proof), how it differs from the plan
//! file, what must be replaced (and what goes with it), what left the plan, what is in the
//! way, and what it all costs; and the question applying it asks (what is replaced and
//! what that loses, the flags needed). `hawiz plan` prints it; apply, plain mode and the
//! wizard ask its question and then carry it out.

use super::question::{Answer, Choice, Fact, Opt, Question, Tone};
use super::{Env, Failure, Session, StackLock, connect, preflight, quiet_runner, union_graph};
use crate::engine::settings::Change;
use crate::engine::{self, Graph, Proof, Survey};
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
    /// Held from the survey to the end of the apply, when this changeset is for applying.
    pub lock: Option<Arc<StackLock>>,
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
        needs(&self.items)
    }

    /// Replacing the VPC or the database loses data; without its flag that is refused,
    /// saying what would be lost.
    pub fn refuse_without(&self, replace_vpc: bool, replace_database: bool) -> Result<(), Failure> {
        let answer = Answer {
            yes: true,
            ..Answer::default()
        }
        .with(Choice::ReplaceVpc, replace_vpc)
        .with(Choice::ReplaceDatabase, replace_database);
        match self.question().refusal(&answer) {
            Some(f) => Err(f),
            None => Ok(()),
        }
    }

    /// What applying this asks: whether to build or change the stack, in sight of what is
    /// replaced or deleted and what that loses, with the choices a replacement needs.
    pub fn question(&self) -> Question {
        question(&self.plan, &self.items, self.sandbox)
    }
}

fn needs(items: &[Item]) -> Needs {
    let replaced = |kind: &str| {
        items
            .iter()
            .any(|i| i.action == Action::Replace && i.kind == kind)
    };
    Needs {
        replace_vpc: replaced("vpc"),
        replace_database: replaced("rds-instance"),
        db_when: items
            .iter()
            .any(|i| i.action == Action::Update && i.kind == "rds-instance"),
    }
}

/// The question an apply of `items` (of `plan`) asks: build, or apply these changes, in
/// sight of what replacing or deleting loses, with the choices a replacement needs.
pub fn question(plan: &Plan, items: &[Item], sandbox: bool) -> Question {
    let needs = &needs(items);
    let name = &plan.stack.name;
    let count = |a: Action| items.iter().filter(|i| i.action == a).count();
    let lost = count(Action::Replace) + count(Action::Delete);
    let title = if count(Action::Update) + lost > 0 {
        Text::new(
            format!("Apply these changes to stack {name:?}?"),
            format!("스택 {name}에 이 변경을 적용할까요?"),
        )
    } else {
        Text::new(
            "Build this in your AWS account now?",
            "지금 AWS 계정에 만들까요?",
        )
    };
    let mut facts = Vec::new();
    if lost > 0 {
        facts.push(Fact::new(
            Tone::Danger,
            "What is replaced or deleted is gone for good.",
            "교체하거나 삭제하는 것은 영구히 사라집니다.",
        ));
    }
    if sandbox {
        facts.push(Fact::new(
            Tone::Info,
            "(sandbox: nothing real, no cost)",
            "(샌드박스: 실제 리소스·비용 없음)",
        ));
    }
    let mut options = Vec::new();
    if needs.replace_vpc {
        let gone: Vec<&str> = items
            .iter()
            .filter(|i| i.action == Action::Replace)
            .map(|i| i.name.as_str())
            .collect();
        let mut o = Opt::new(
            Choice::ReplaceVpc,
            "Replace the VPC and everything in it (servers, database, files are made again)",
            "VPC와 그 안의 모든 것을 교체 (서버, 데이터베이스, 파일을 다시 만듭니다)",
        );
        o.required = Some(Finding {
            field: "network.cidr".into(),
            message: format!(
                "this change replaces the VPC, and with it everything inside it ({}): the \
                 servers are rebuilt and the site is down meanwhile. Run apply with \
                 --replace-vpc to do it, or keep the VPC's address range",
                gone.join(", ")
            ),
            ko: format!(
                "이 변경은 VPC를 교체하며, 그 안의 모든 것({})도 함께 교체됩니다. 서버를 다시 \
                 만드는 동안 사이트가 중단됩니다. 진행하려면 apply에 --replace-vpc를 붙이고, \
                 아니면 VPC 주소 범위를 그대로 두세요",
                gone.join(", ")
            ),
        });
        options.push(o);
    }
    if needs.replace_database {
        let why: Vec<String> = items
            .iter()
            .filter(|i| i.action == Action::Replace && i.kind == "rds-instance")
            .map(Item::detail)
            .collect();
        let kept = plan.database.final_snapshot && !sandbox;
        let mut o = Opt::new(
            Choice::ReplaceDatabase,
            if kept {
                "Replace the database (a final snapshot keeps its data)"
            } else {
                "Replace the database (no final snapshot: its data is gone)"
            },
            if kept {
                "데이터베이스 교체 (최종 스냅샷이 데이터를 보존합니다)"
            } else {
                "데이터베이스 교체 (최종 스냅샷 없음: 데이터가 사라집니다)"
            },
        );
        let db = format!("{name}-db");
        let db_ko = crate::i18n::korean::with(&db, crate::i18n::korean::Josa::EulReul);
        o.on = Some(if kept {
            Fact::new(
                Tone::Warning,
                format!(
                    "a final snapshot of {db} is kept before it is deleted (in the RDS \
                     console's Snapshots)"
                ),
                format!("{db_ko} 삭제하기 전에 최종 스냅샷을 남깁니다 (RDS 콘솔의 스냅샷)"),
            )
        } else {
            Fact::new(
                Tone::Danger,
                format!("{db} is deleted without a final snapshot: its data is gone for good"),
                format!("{db_ko} 최종 스냅샷 없이 삭제합니다. 데이터는 영구히 사라집니다"),
            )
        });
        o.required = Some(Finding {
            field: "database.engine".into(),
            message: format!(
                "this change replaces the database ({}): a new, empty database is made and \
                 the old one is deleted (a final snapshot is kept if the plan says so). Run \
                 apply with --replace-database to do it, or keep those settings",
                why.join("; ")
            ),
            ko: format!(
                "이 변경은 데이터베이스를 교체합니다({}). 새로운 빈 데이터베이스를 만들고 기존 \
                 데이터베이스를 삭제합니다(계획에 따라 최종 스냅샷을 남깁니다). 진행하려면 \
                 apply에 --replace-database를 붙이고, 아니면 그 설정을 그대로 두세요",
                why.join("; ")
            ),
        });
        options.push(o);
    }
    if needs.db_when {
        let mut o = Opt::new(
            Choice::DbNow,
            "Change the database now (a restart), not in its maintenance window",
            "데이터베이스를 유지 관리 기간이 아니라 지금 변경 (재시작)",
        );
        o.ask = Some(Text::new(
            "Change the database now? (a class change restarts it; Multi-AZ fails over \
             first, about a minute) No: in its next maintenance window",
            "데이터베이스를 지금 변경할까요? (클래스 변경은 재시작하며, 다중 AZ는 먼저 장애 \
             조치합니다. 약 1분) 아니요: 다음 유지 관리 기간에",
        ));
        options.push(o);
    }
    Question {
        title,
        facts,
        options,
        needed: items
            .iter()
            .any(|i| !matches!(i.action, Action::Keep | Action::Yours)),
        declined: Text::new("nothing was changed", "아무것도 바꾸지 않았습니다"),
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
    if let Some(note) = super::resolve_ssh_cidr(&mut plan, env).await? {
        notes.push(note);
    }

    let (store, existed) =
        Store::look(&env.stacks_dir, &plan).map_err(|e| Failure::failed(e.to_string()))?;
    let state = store.snapshot();
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
    }
    let mut earlier = state.earlier.clone();
    if let Some(b) = &before
        && *b != plan
    {
        earlier.push(b.clone());
    }
    let graph = crate::blueprint::build(&plan, &env.stacks_dir)
        .map_err(|e| Failure::failed(format!("internal error: {e}")))?;
    let union = union_graph(&env.stacks_dir, &plan, &earlier)?;

    let session = connect(env, plan.region()).await?;
    let pre = preflight::check(&session.clients, &plan).await?;
    refusals.extend(pre.errors);
    warnings.extend(pre.warnings);

    let runner = quiet_runner(env, &session, Arc::new(store), union.clone());
    let survey = engine::survey(&runner, true).await;
    if !survey.errors.is_empty() {
        let list: Vec<String> = survey
            .errors
            .iter()
            .map(|(k, e)| format!("  - {k}: {e}"))
            .collect();
        let mut f = Failure::failed(format!(
            "could not look at every resource of the stack, so nothing was planned:\n{}",
            list.join("\n")
        ));
        if let Some(a) = survey.errors.values().find_map(|e| super::advice::hint(e)) {
            f.message.push_str(&format!("\n{}", a.en));
        }
        return Err(f);
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
        sandbox: env.target.sandbox,
    })
}

fn dedup(findings: &mut Vec<Finding>) {
    let mut seen = BTreeSet::new();
    findings.retain(|f| seen.insert(f.message.clone()));
}

/// Where a missing resource of the user's is named in the plan.
fn field_of(key: &str) -> &'static str {
    match key.split('/').next().unwrap_or(key) {
        "vpc" => "network.vpc_id",
        "subnet" if key.contains("private") => "network.private_subnet_ids",
        "subnet" => "network.public_subnet_ids",
        "key-pair" => "bastion.key_name",
        "zone" => "domain.create_hosted_zone",
        _ => "stack.name",
    }
}

/// One item per resource of the plan (and per leftover of earlier plans), with what the
/// run does to it; what is in the way goes to `refusals`.
fn items(graph: &Graph, union: &Graph, survey: &Survey, refusals: &mut Vec<Finding>) -> Vec<Item> {
    let mut items: Vec<Item> = Vec::new();
    for node in graph.nodes() {
        let seen = survey.nodes.get(&node.key).cloned().unwrap_or_default();
        let ids = seen.found.ids();
        let proof = seen.found.ours.first().map(|m| m.proof);
        let action = if node.res.adopted() {
            // Preflight may have refused it already, with the names that do exist.
            let told = refusals.iter().any(|f| f.field == field_of(&node.key));
            if ids.is_empty() && !told {
                refusals.push(Finding {
                    field: field_of(&node.key).into(),
                    message: format!(
                        "your {} {} does not exist here (or these credentials cannot see it); \
                         check the name or ID",
                        node.res.kind(),
                        node.res.name()
                    ),
                    ko: format!(
                        "사용자의 {} {} 여기에 없습니다(또는 이 자격 증명으로 볼 수 없습니다). \
                         이름이나 ID를 확인하세요",
                        node.res.kind(),
                        crate::i18n::korean::with(node.res.name(), crate::i18n::korean::Josa::IGa)
                    ),
                });
            }
            Action::Yours
        } else if ids.is_empty() {
            refusals.extend(seen.found.foreign.iter().cloned());
            Action::Create
        } else if seen.changes.iter().any(Change::replaces) {
            Action::Replace
        } else if seen.changes.is_empty() {
            Action::Keep
        } else {
            Action::Update
        };
        items.push(Item {
            key: node.key.clone(),
            kind: node.res.kind(),
            name: node.res.name().to_string(),
            action,
            changes: seen.changes,
            because: None,
            ids,
            proof,
        });
    }
    // What depends on a replaced resource holds its old ID: it goes and comes back too.
    let replaced: Vec<(String, String)> = items
        .iter()
        .filter(|i| i.action == Action::Replace)
        .map(|i| (i.key.clone(), i.name.clone()))
        .collect();
    for (key, name) in replaced {
        for dependent in graph.dependents_all(&key) {
            if let Some(item) = items.iter_mut().find(|i| i.key == dependent)
                && matches!(item.action, Action::Keep | Action::Update)
            {
                item.action = Action::Replace;
                item.because = Some(format!("{name} is replaced"));
            }
        }
    }
    // A new launch template version replaces the group's instances (an instance refresh);
    // say so where the group is listed, since it shows only once the version exists.
    let templates: Vec<String> = items
        .iter()
        .filter(|i| i.action == Action::Update && i.kind == "launch-template")
        .map(|i| i.key.clone())
        .collect();
    for key in templates {
        for dependent in graph.dependents(&key) {
            if let Some(item) = items.iter_mut().find(|i| i.key == dependent)
                && item.kind == "autoscaling-group"
                && matches!(item.action, Action::Keep | Action::Update)
            {
                item.action = Action::Update;
                item.changes.push(Change {
                    name: "instances",
                    old: "from the current template".into(),
                    new: "replaced from the new template version (instance refresh)".into(),
                    on_change: crate::engine::settings::OnChange::Update,
                });
            }
        }
    }
    // A new database is empty and has no user for WordPress: the app instances make both
    // at boot, so every one of them is replaced once the new database is up.
    if items
        .iter()
        .any(|i| i.action == Action::Replace && i.kind == "rds-instance")
    {
        for item in items.iter_mut().filter(|i| {
            i.kind == "autoscaling-group" && matches!(i.action, Action::Keep | Action::Update)
        }) {
            item.action = Action::Update;
            item.changes.push(Change {
                name: "instances",
                old: "running".into(),
                new: "all replaced once the new database is up (each boot makes WordPress's \
                      database user and finishes the install)"
                    .into(),
                on_change: crate::engine::settings::OnChange::Update,
            });
        }
    }
    for node in union.nodes().filter(|n| !graph.contains(&n.key)) {
        let ids = survey.ids(&node.key);
        if ids.is_empty() || node.res.kept().is_some() {
            continue;
        }
        items.push(Item {
            key: node.key.clone(),
            kind: node.res.kind(),
            name: node.res.name().to_string(),
            action: Action::Delete,
            changes: Vec::new(),
            because: Some("it left the plan".into()),
            proof: survey
                .nodes
                .get(&node.key)
                .and_then(|s| s.found.ours.first().map(|m| m.proof)),
            ids,
        });
    }
    items
}
