//! Destroy a stack: first what it will delete and what that asks (deletion protection,
//! the final snapshot and what keeping it costs, or that its data goes), then everything
//! it owns (its plan's resources and any an earlier plan left), dependents first, then the
//! proof: every resource looked for again, and every service
//! swept for anything still tagged with the stack. The state is forgotten only when
//! nothing is left; otherwise what is left is listed and the next run picks it up.

use super::question::{Answer, Choice, Fact, Opt, Question, Tone};
use super::sweep::leftovers;
use super::{Env, Events, Failure, Phase, Session, StackLock, connect, runner, union_graph};
use crate::engine::{self, Graph, RunOptions, Survey};
use crate::i18n::Text;
use crate::i18n::korean::{self, Josa};
use crate::state::Store;
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// What a destroy would delete, looked up and locked, ready to confirm.
#[derive(Debug)]
pub struct DestroyPlan {
    pub stack: String,
    pub region: String,
    pub session: Session,
    store: Arc<Store>,
    union: Graph,
    survey: Survey,
    /// Resources to delete: (kind, name, IDs).
    pub doomed: Vec<(&'static str, String, Vec<String>)>,
    /// What stays, with why: `(yours) vpc vpc-0abc`.
    pub kept: Vec<String>,
    /// Databases whose deletion protection destroy turns off (the confirmation says so).
    pub protected: Vec<String>,
    /// Delete the database without a final snapshot (`--skip-final-snapshot`; the
    /// sandbox's default). Otherwise one is kept, named and listed at the end.
    pub skip_final_snapshot: bool,
    /// Whether the plan asks for final snapshots at all.
    pub final_snapshot: bool,
    /// The database's storage (GiB), what a final snapshot of it holds.
    pub db_gib: Option<u32>,
    plan: crate::plan::Plan,
    lock: StackLock,
}

impl DestroyPlan {
    /// Every resource the stack has had (saved plans and state), for progress.
    pub fn graph(&self) -> &Graph {
        &self.union
    }

    pub fn count(&self) -> usize {
        self.doomed.iter().map(|(_, _, ids)| ids.len()).sum()
    }
}

#[derive(Debug, Clone, Default)]
pub struct DestroyReport {
    pub deleted: usize,
    /// What is still there, with why.
    pub left: Vec<(String, String)>,
    /// What stays on purpose, with why.
    pub kept: Vec<String>,
    /// Final snapshots of the stack's database that exist now: what stays of its data.
    pub snapshots: Vec<Snapshot>,
}

/// A kept database snapshot and what keeping it costs.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub name: String,
    pub gib: u32,
    /// USD per month, where the region is priced.
    pub monthly: Option<f64>,
}

impl DestroyPlan {
    /// What the confirmation must say beyond the count, in both languages.
    pub fn warnings(&self) -> Vec<(String, String)> {
        let q = self.question();
        q.facts_for(&q.default_answer())
            .into_iter()
            .filter(|f| f.tone != Tone::Info)
            .map(|f| (f.text.en, f.text.ko))
            .collect()
    }

    fn has_db(&self) -> bool {
        self.doomed
            .iter()
            .any(|(kind, _, _)| *kind == "rds-instance")
    }

    /// What its question says.
    pub fn facts(&self) -> DestroyFacts {
        DestroyFacts {
            stack: self.stack.clone(),
            region: self.region.clone(),
            count: self.count(),
            kept: self.kept.clone(),
            protected: self.protected.clone(),
            has_db: self.has_db(),
            final_snapshot: self.final_snapshot,
            skip_final_snapshot: self.skip_final_snapshot,
            db_gib: self.db_gib,
        }
    }

    /// What destroying asks: the count, what stays, the deletion protection it turns
    /// off, and the final snapshot (what keeping it costs) or the loss of the data, with
    /// the choice to skip the snapshot.
    pub fn question(&self) -> Question {
        self.facts().question()
    }

    /// Take the user's answer: refused unless it is a yes (when anything is to be
    /// deleted); the final snapshot is skipped as chosen.
    pub fn answer(&mut self, a: &Answer) -> Result<(), Failure> {
        let q = self.question();
        if let Some(f) = q.refusal(a) {
            return Err(f);
        }
        if q.option(Choice::SkipFinalSnapshot).is_some() {
            self.skip_final_snapshot = a.has(Choice::SkipFinalSnapshot);
        }
        Ok(())
    }
}

/// What a destroy's question is made of: everything its `DestroyPlan` found that the
/// question says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DestroyFacts {
    pub stack: String,
    pub region: String,
    /// Resources to delete.
    pub count: usize,
    /// What stays, with why: `(yours) vpc vpc-0abc`.
    pub kept: Vec<String>,
    /// Databases whose deletion protection destroy turns off.
    pub protected: Vec<String>,
    /// A database is among what is deleted.
    pub has_db: bool,
    /// The plan asks for a final snapshot.
    pub final_snapshot: bool,
    /// Skipped unless the user says otherwise (the sandbox's default).
    pub skip_final_snapshot: bool,
    /// The database's storage, what its snapshot holds.
    pub db_gib: Option<u32>,
}

impl DestroyFacts {
    pub fn question(&self) -> Question {
        let (stack, count) = (&self.stack, self.count);
        let mut facts: Vec<Fact> = self
            .kept
            .iter()
            .map(|k| Fact::new(Tone::Info, format!("kept {k}"), format!("남김: {k}")))
            .collect();
        for db in &self.protected {
            facts.push(Fact::new(
                Tone::Warning,
                format!("database {db} has deletion protection on; destroy turns it off"),
                format!("데이터베이스 {db}에 삭제 방지가 켜져 있습니다. 삭제하면서 끕니다"),
            ));
        }
        let mut options = Vec::new();
        let gone = Fact::new(
            Tone::Danger,
            "the database is deleted without a final snapshot: its data is gone for good",
            "데이터베이스를 최종 스냅샷 없이 삭제합니다. 데이터는 영구히 사라집니다",
        );
        if self.has_db && self.final_snapshot {
            let db = format!("{stack}-db");
            let (size_en, size_ko) = match self.db_gib {
                Some(gib) => match crate::cost::snapshot_monthly(&self.region, gib) {
                    Some(m) => (
                        format!("{gib} GiB, about ${m:.2} a month to keep"),
                        format!("{gib} GiB, 보관 비용 월 약 ${m:.2}"),
                    ),
                    None => (format!("{gib} GiB"), format!("{gib} GiB")),
                },
                None => (String::new(), String::new()),
            };
            let mut o = Opt::new(
                Choice::SkipFinalSnapshot,
                "Delete the database without a final snapshot",
                "최종 스냅샷 없이 데이터베이스 삭제",
            );
            o.default = self.skip_final_snapshot;
            o.on = Some(gone);
            o.off = Some(Fact::new(
                Tone::Warning,
                format!(
                    "a final snapshot of the database is kept ({db}-final-…{}{size_en}; it is \
                     listed at the end); {} deletes the database without one",
                    if size_en.is_empty() { "" } else { ", " },
                    Choice::SkipFinalSnapshot.flag()
                ),
                format!(
                    "데이터베이스의 최종 스냅샷을 남깁니다({db}-final-…{}{size_ko}. 끝에 목록을 \
                     보여 줍니다). {}{} 스냅샷 없이 삭제합니다",
                    if size_ko.is_empty() { "" } else { ", " },
                    Choice::SkipFinalSnapshot.flag(),
                    korean::particle(Choice::SkipFinalSnapshot.flag(), Josa::EuroRo)
                ),
            ));
            options.push(o);
        } else if self.has_db {
            facts.push(gone);
        }
        Question {
            title: Text::new(
                format!("Delete {count} resources of stack {stack:?}? This cannot be undone."),
                format!("스택 {stack}의 리소스 {count}개를 삭제할까요? 되돌릴 수 없습니다."),
            ),
            facts,
            options,
            needed: count > 0,
            declined: Text::new("nothing was deleted", "아무것도 삭제하지 않았습니다"),
        }
    }
}

pub async fn destroy_plan(env: &Env, stack: &str) -> Result<DestroyPlan, Failure> {
    let lock = StackLock::acquire(&env.stacks_dir, stack, "hawiz destroy")?;
    let store =
        Arc::new(Store::open(&env.stacks_dir, stack).map_err(|e| Failure::invalid(e.to_string()))?);
    let state = store.snapshot();
    let union = union_graph(&env.stacks_dir, &state.plan, &state.earlier)?;
    let session = connect(env, &state.region).await?;
    let runner = super::quiet_runner(env, &session, store.clone(), union.clone());
    let survey = engine::survey(&runner, false).await;
    if !survey.errors.is_empty() {
        let list: Vec<String> = survey
            .errors
            .iter()
            .map(|(k, e)| format!("  - {k}: {e}"))
            .collect();
        return Err(Failure::failed(format!(
            "could not look up every resource, so nothing was deleted:\n{}",
            list.join("\n")
        )));
    }
    let mut doomed = Vec::new();
    let mut kept = Vec::new();
    let mut protected = Vec::new();
    let mut db_gib = None;
    for id in survey.ids("db") {
        let db = session
            .clients
            .rds
            .describe_db_instances()
            .db_instance_identifier(&id)
            .send()
            .await;
        let Ok(out) = db else { continue };
        let Some(d) = out.db_instances().first() else {
            continue;
        };
        if d.deletion_protection() == Some(true) {
            protected.push(id);
        }
        db_gib = d
            .allocated_storage()
            .and_then(|g| u32::try_from(g).ok())
            .or(db_gib);
    }
    for node in union.nodes() {
        if survey.ids(&node.key).is_empty() {
            continue;
        }
        let ids = survey.owned(&node.key);
        if let Some((why, _)) = node.res.kept() {
            kept.push(format!("({why}) {} {}", node.res.kind(), node.res.name()));
        } else if ids.is_empty() {
            // Proven the user's own (an administrator's boundary): used, never deleted.
            kept.push(format!("(yours) {} {}", node.res.kind(), node.res.name()));
        } else {
            doomed.push((node.res.kind(), node.res.name().to_string(), ids));
        }
    }
    Ok(DestroyPlan {
        stack: stack.to_string(),
        region: state.region,
        session,
        store,
        union,
        survey,
        doomed,
        kept,
        protected,
        skip_final_snapshot: env.target.sandbox,
        final_snapshot: state.plan.database.final_snapshot,
        db_gib: db_gib.or(Some(state.plan.database.storage_gib)),
        plan: state.plan,
        lock,
    })
}

/// The stack's database's final snapshots (made by destroy or a replacement), with what
/// they cost to keep.
async fn snapshots(session: &Session, plan: &crate::plan::Plan) -> Vec<Snapshot> {
    let db = crate::names::database(&plan.stack.name);
    let Ok(out) = session
        .clients
        .rds
        .describe_db_snapshots()
        .db_instance_identifier(&db)
        .snapshot_type("manual")
        .send()
        .await
    else {
        return Vec::new();
    };
    out.db_snapshots()
        .iter()
        .filter_map(|s| {
            let name = s.db_snapshot_identifier()?;
            if !name.starts_with(&format!("{db}-final-")) {
                return None;
            }
            let gib = u32::try_from(s.allocated_storage().unwrap_or(0)).unwrap_or(0);
            Some(Snapshot {
                name: name.to_string(),
                gib,
                monthly: crate::cost::snapshot_monthly(plan.region(), gib),
            })
        })
        .collect()
}

pub fn destroy(
    env: &Env,
    plan: DestroyPlan,
) -> (
    mpsc::UnboundedReceiver<super::Event>,
    JoinHandle<Result<DestroyReport, Failure>>,
) {
    let (events, rx) = Events::channel();
    let env = env.clone();
    let work = tokio::spawn(async move { run(env, plan, events).await });
    (rx, work)
}

async fn run(env: Env, plan: DestroyPlan, events: Events) -> Result<DestroyReport, Failure> {
    let DestroyPlan {
        stack,
        session,
        store,
        union,
        survey,
        kept,
        lock,
        skip_final_snapshot,
        plan,
        ..
    } = plan;

    let options = RunOptions {
        skip_final_snapshot,
        ..RunOptions::default()
    };
    events.phase(Phase::Deleting);
    let done = events
        .run(|tx| {
            engine::destroy(
                runner(
                    &env,
                    &session,
                    store.clone(),
                    union.clone(),
                    tx,
                    options.clone(),
                ),
                survey,
            )
        })
        .await;
    let mut left = done.left();

    // Proof, not hope: look for every resource again, and sweep every kind's service for
    // anything still tagged with the stack.
    events.phase(Phase::Checking);
    let checker = super::quiet_runner(&env, &session, store.clone(), union.clone());
    let after = engine::survey(&checker, false).await;
    for node in union.nodes().filter(|n| n.res.kept().is_none()) {
        let ids = after.owned(&node.key);
        if !ids.is_empty() && !left.iter().any(|(k, _)| *k == node.key) {
            left.push((
                node.key.clone(),
                format!("still exists: {}", ids.join(", ")),
            ));
        }
    }
    for (key, err) in &after.errors {
        left.push((key.clone(), format!("could not check: {err}")));
    }
    match leftovers(&checker, &after).await {
        Ok(found) => {
            for l in found {
                left.push((
                    format!("{} {}", l.kind, l.id),
                    format!("still tagged {}={stack}", crate::aws::ec2::STACK_TAG),
                ));
            }
        }
        Err(e) => left.push(("sweep".into(), format!("could not sweep: {e}"))),
    }
    if left.is_empty() {
        lock.remove();
        store.remove().map_err(|e| Failure::failed(e.to_string()))?;
    }
    Ok(DestroyReport {
        deleted: done.deleted,
        left,
        kept,
        snapshots: snapshots(&session, &plan).await,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> DestroyFacts {
        DestroyFacts {
            stack: "lab".into(),
            region: "ap-northeast-2".into(),
            count: 51,
            kept: vec!["(yours) vpc vpc-0abc".into()],
            protected: vec!["lab-db".into()],
            has_db: true,
            final_snapshot: true,
            skip_final_snapshot: false,
            db_gib: Some(20),
        }
    }

    /// The question says, before the yes, that deletion protection is turned off, that a
    /// final snapshot is kept and what keeping it costs, and offers to skip it; skipping
    /// says the data goes.
    #[test]
    fn the_question_names_protection_and_the_snapshot_with_its_cost() {
        let q = facts().question();
        assert_eq!(
            q.title.en,
            "Delete 51 resources of stack \"lab\"? This cannot be undone."
        );
        let said = |a: &Answer| -> String {
            q.facts_for(a)
                .iter()
                .map(|f| f.text.en.clone())
                .collect::<Vec<_>>()
                .join("\n")
        };
        let kept = said(&q.default_answer());
        assert!(kept.contains("kept (yours) vpc vpc-0abc"), "{kept}");
        assert!(
            kept.contains("database lab-db has deletion protection on; destroy turns it off"),
            "{kept}"
        );
        assert!(
            kept.contains("a final snapshot of the database is kept (lab-db-final-…, 20 GiB, about $1.90 a month to keep"),
            "{kept}"
        );
        assert!(kept.contains("--skip-final-snapshot"), "{kept}");
        let skip = said(&q.default_answer().with(Choice::SkipFinalSnapshot, true));
        assert!(
            skip.contains(
                "the database is deleted without a final snapshot: its data is gone for good"
            ),
            "{skip}"
        );
        // The sandbox skips it unless told otherwise.
        let sandbox = DestroyFacts {
            skip_final_snapshot: true,
            ..facts()
        };
        assert!(
            sandbox
                .question()
                .default_answer()
                .has(Choice::SkipFinalSnapshot)
        );
        // A no deletes nothing.
        let no = q.refusal(&q.default_answer()).unwrap();
        assert_eq!(no.message, "nothing was deleted (not confirmed)");
    }
}
