//! Destroy a stack: first what it will delete and what that asks (deletion protection,
//! the final snapshot and what keeping it costs, or that its data goes), then everything
//! it owns (its plan's resources and any an earlier plan left), dependents first, then the
//! proof: every resource looked for again, and every service
//! swept for anything still tagged with the stack. The state is forgotten only when
//! nothing is left; otherwise what is left is listed and the next run picks it up.

use super::question::{Answer, Choice, Fact, Opt, Question, Tone};
use super::sweep::leftovers;
use super::{Env, Events, Failure, Phase, Session, StackLock, connect, runner, union_graph};
use crate::engine::{self, Deleting, Graph, RunOptions, Survey};
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
    /// What deleting takes with it, as each kind says (the database: its deletion
    /// protection, its data and the final snapshot the plan keeps of it).
    pub deleting: Vec<Deleting>,
    /// Delete without final snapshots (`--skip-final-snapshot`; the sandbox's default).
    /// Otherwise one is kept, named and listed at the end.
    pub skip_final_snapshot: bool,
    /// What the user should know first (the state rebuilt from the account, a lock taken
    /// over): the question's first facts.
    pub notes: Vec<Text>,
    lock: StackLock,
    account_lock: super::account::AccountLock,
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
    pub left: Vec<(String, crate::aws::Problem)>,
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

    /// What its question says.
    pub fn facts(&self) -> DestroyFacts {
        DestroyFacts {
            stack: self.stack.clone(),
            region: self.region.clone(),
            count: self.count(),
            kept: self.kept.clone(),
            deleting: self.deleting.clone(),
            skip_final_snapshot: self.skip_final_snapshot,
            notes: self.notes.clone(),
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
    /// What deleting takes with it, as each kind says.
    pub deleting: Vec<Deleting>,
    /// Skipped unless the user says otherwise (the sandbox's default).
    pub skip_final_snapshot: bool,
    /// Said first (the state rebuilt from the account, a lock taken over).
    pub notes: Vec<Text>,
}

impl DestroyFacts {
    pub fn question(&self) -> Question {
        let (stack, count) = (&self.stack, self.count);
        let mut facts: Vec<Fact> = self
            .notes
            .iter()
            .map(|n| Fact::new(Tone::Info, n.en.clone(), n.ko.clone()))
            .collect();
        facts.extend(
            self.kept
                .iter()
                .map(|k| Fact::new(Tone::Info, format!("kept {k}"), format!("남김: {k}"))),
        );
        for d in self.deleting.iter().filter(|d| d.protected) {
            let (what, what_ko) = d.what;
            let name = &d.name;
            facts.push(Fact::new(
                Tone::Warning,
                format!("{what} {name} has deletion protection on; destroy turns it off"),
                format!("{what_ko} {name}에 삭제 방지가 켜져 있습니다. 삭제하면서 끕니다"),
            ));
        }
        let gone = |d: &Deleting| {
            let (what, what_ko) = d.what;
            Fact::new(
                Tone::Danger,
                format!(
                    "the {what} is deleted without a final snapshot: its data is gone for good"
                ),
                format!(
                    "{what_ko}{} 최종 스냅샷 없이 삭제합니다. 데이터는 영구히 사라집니다",
                    korean::particle(what_ko, Josa::EulReul)
                ),
            )
        };
        let mut options = Vec::new();
        let (kept, lost): (Vec<&Deleting>, Vec<&Deleting>) =
            self.deleting.iter().partition(|d| d.snapshot.is_some());
        facts.extend(lost.into_iter().map(gone));
        if let Some(d) = kept.first() {
            let (what, what_ko) = d.what;
            let prefix = d.snapshot.as_deref().unwrap_or_default();
            let (size_en, size_ko) = match d.gib {
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
                format!("Delete the {what} without a final snapshot"),
                format!("최종 스냅샷 없이 {what_ko} 삭제"),
            );
            o.default = self.skip_final_snapshot;
            o.on = Some(gone(d));
            o.off = Some(Fact::new(
                Tone::Warning,
                format!(
                    "a final snapshot of the {what} is kept ({prefix}…{}{size_en}; it is \
                     listed at the end); {} deletes the {what} without one",
                    if size_en.is_empty() { "" } else { ", " },
                    Choice::SkipFinalSnapshot.flag()
                ),
                format!(
                    "{what_ko}의 최종 스냅샷을 남깁니다({prefix}…{}{size_ko}. 끝에 목록을 \
                     보여 줍니다). {}{} 스냅샷 없이 삭제합니다",
                    if size_ko.is_empty() { "" } else { ", " },
                    Choice::SkipFinalSnapshot.flag(),
                    korean::particle(Choice::SkipFinalSnapshot.flag(), Josa::EuroRo)
                ),
            ));
            options.push(o);
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
    let (store, rebuilt) = super::account::open(env, stack).await?;
    let mut notes: Vec<Text> = rebuilt.into_iter().collect();
    let state = store.snapshot();
    let union = union_graph(&env.stacks_dir, &state.plan, &state.earlier)?;
    let session = connect(env, &state.region).await?;
    let account_lock = super::account::lock(
        session.clients.clone(),
        stack,
        "hawiz destroy",
        env.force_unlock,
    )
    .await?;
    notes.extend(account_lock.took_over.clone());
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
    let deleting = engine::deleting(&runner, &survey).await.map_err(|e| {
        Failure::failed(format!(
            "could not look up what deleting takes with it, so nothing was deleted: {e}"
        ))
    })?;
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
        deleting,
        skip_final_snapshot: env.target.sandbox,
        notes,
        lock,
        account_lock,
    })
}

/// What the deletions left on purpose (final snapshots), with what they cost to keep.
async fn snapshots(runner: &engine::Runner, region: &str) -> Result<Vec<Snapshot>, String> {
    Ok(engine::remains(runner)
        .await?
        .into_iter()
        .map(|r| Snapshot {
            monthly: crate::cost::snapshot_monthly(region, r.gib),
            name: r.name,
            gib: r.gib,
        })
        .collect())
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
        account_lock,
        skip_final_snapshot,
        region,
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
                crate::aws::Problem::other(format!("still exists: {}", ids.join(", "))),
            ));
        }
    }
    for (key, err) in &after.errors {
        left.push((key.clone(), err.reworded(format!("could not check: {err}"))));
    }
    match leftovers(&checker, &after).await {
        Ok(found) => {
            for l in found {
                left.push((
                    format!("{} {}", l.kind, l.id),
                    crate::aws::Problem::other(format!(
                        "still tagged {}={stack}",
                        crate::aws::ec2::STACK_TAG
                    )),
                ));
            }
        }
        Err(e) => left.push((
            "sweep".into(),
            crate::aws::Problem::other(format!("could not sweep: {e}")),
        )),
    }
    let snapshots = match snapshots(&checker, &region).await {
        Ok(s) => s,
        Err(e) => {
            left.push((
                "snapshots".into(),
                crate::aws::Problem::other(format!("could not list the final snapshots: {e}")),
            ));
            Vec::new()
        }
    };
    if left.is_empty() {
        // Gone from the account too: the plan record last, then the lock (dropped below).
        if let Err(e) = super::account::forget_plan(&session.clients, &stack).await {
            left.push((
                crate::names::plan_record(&stack),
                crate::aws::Problem::other(format!(
                    "could not delete the plan record: {}",
                    e.message
                )),
            ));
        }
    }
    drop(account_lock);
    if left.is_empty() {
        lock.remove();
        store.remove().map_err(|e| Failure::failed(e.to_string()))?;
    }
    Ok(DestroyReport {
        deleted: done.deleted,
        left,
        kept,
        snapshots,
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
            deleting: vec![Deleting {
                what: ("database", "데이터베이스"),
                name: "lab-db".into(),
                protected: true,
                gib: Some(20),
                snapshot: Some("lab-db-final-".into()),
            }],
            skip_final_snapshot: false,
            notes: vec![],
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
