//! Status: what exists of a stack, what is missing, what drifted from the plan (settings,
//! not just presence), what is left over from an earlier plan, and anything else still
//! tagged with the stack.

use super::summary::{self, Summary};
use super::sweep::{Extra, explain};
use super::{Env, Failure, connect, quiet_runner, union_graph};
use crate::engine::{self, Dep, Proof};
use crate::state::Status;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub enum State {
    /// There, and as the plan says.
    Present,
    /// The user's own, used as is.
    Yours,
    /// There, but its settings differ from the plan (each difference in words).
    Drifted(Vec<String>),
    /// Not there (the next apply creates it). Says so when the state had recorded it.
    Missing { was: Option<String> },
    /// There, but the plan no longer names it (the next apply removes it).
    LeftThePlan,
    /// Could not be checked.
    Unknown(crate::aws::Problem),
}

#[derive(Debug, Clone)]
pub struct Row {
    pub key: String,
    pub kind: &'static str,
    pub name: String,
    pub state: State,
    pub ids: Vec<String>,
    pub proof: Option<Proof>,
}

#[derive(Debug, Clone)]
pub struct StatusReport {
    pub stack: String,
    pub region: String,
    pub state_file: String,
    pub rows: Vec<Row>,
    /// Tagged with the stack and not explained by its plan (duplicates, leftovers).
    pub extras: Vec<Extra>,
    /// The command that removes them (and nothing else), as this target spells it.
    pub remover: String,
    /// Why the sweep for leftovers could not run, when it could not (then `extras` is
    /// not the whole story).
    pub sweep: Option<String>,
    /// Things to know (a private key missing from this machine).
    pub notes: Vec<crate::i18n::Text>,
    pub summary: Summary,
}

impl StatusReport {
    /// (present, total) of the plan's resources.
    pub fn present(&self) -> (usize, usize) {
        let plan: Vec<&Row> = self
            .rows
            .iter()
            .filter(|r| r.state != State::LeftThePlan)
            .collect();
        let present = plan
            .iter()
            .filter(|r| matches!(r.state, State::Present | State::Yours | State::Drifted(_)))
            .count();
        (present, plan.len())
    }

    pub fn drifted(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| matches!(r.state, State::Drifted(_)))
            .count()
    }

    pub fn unknown(&self) -> bool {
        self.sweep.is_some()
            || self
                .rows
                .iter()
                .any(|r| matches!(r.state, State::Unknown(_)))
    }
}

pub async fn status(env: &Env, stack: &str) -> Result<StatusReport, Failure> {
    let (store, rebuilt) = super::account::open(env, stack).await?;
    let state = store.snapshot();
    let graph = crate::blueprint::build(&state.plan, &env.stacks_dir)
        .map_err(|e| Failure::failed(format!("internal error: {e}")))?;
    let union = union_graph(&env.stacks_dir, &state.plan, &state.earlier)?;
    let session = connect(env, &state.region).await?;
    let runner = quiet_runner(env, &session, store.clone(), union.clone());
    // The sweep for what the plan does not explain runs beside the survey.
    let (survey, swept) = tokio::join!(engine::survey(&runner, true), engine::sweep(&runner));

    let mut rows = Vec::new();
    let mut ready: BTreeMap<String, Dep> = BTreeMap::new();
    for node in union.nodes() {
        let in_plan = graph.contains(&node.key);
        let seen = survey.nodes.get(&node.key);
        let ids = survey.ids(&node.key);
        let state_now = if let Some(err) = survey.errors.get(&node.key) {
            State::Unknown(err.clone())
        } else if ids.is_empty() {
            if !in_plan {
                continue;
            }
            let was = state
                .resources
                .get(&node.key)
                .filter(|r| r.status != Status::Creating)
                .and_then(|r| r.id.clone());
            State::Missing { was }
        } else if !in_plan {
            State::LeftThePlan
        } else if node.res.adopted() {
            State::Yours
        } else {
            let changes = seen.map(|s| s.changes.as_slice()).unwrap_or_default();
            if changes.is_empty() {
                State::Present
            } else {
                State::Drifted(changes.iter().map(|c| c.describe_drift()).collect())
            }
        };
        if let Some(dep) = survey.dep(&node.key) {
            ready.insert(node.key.clone(), dep);
        }
        rows.push(Row {
            key: node.key.clone(),
            kind: node.res.kind(),
            name: node.label(),
            state: state_now,
            ids,
            proof: seen.and_then(|s| s.found.ours.first().map(|m| m.proof)),
        });
    }
    let (found_extras, sweep) = match swept {
        Ok(swept) => (explain(&runner, &survey, swept), None),
        Err(e) => (Vec::new(), Some(e)),
    };
    let mut notes: Vec<crate::i18n::Text> = rebuilt.into_iter().collect();
    if state.plan.bastion.enabled && state.plan.bastion.key_name.trim().is_empty() {
        let pem = crate::blueprint::pem_path(
            &state.plan,
            &crate::blueprint::stack_dir(&env.stacks_dir, stack),
        );
        if ready.contains_key("key-pair") && !pem.exists() {
            let key = crate::blueprint::key_name(&state.plan);
            let pem = pem.display();
            notes.push(crate::i18n::Text::new(
                format!(
                    "the private key of key pair {key} is not on this machine (expected at \
                     {pem}): copy it from the machine that built the stack (mode 0600), or \
                     reach the app instances with Session Manager: aws ssm start-session \
                     --target <instance id>"
                ),
                format!(
                    "키 페어 {key}의 프라이빗 키가 이 컴퓨터에 없습니다({pem}에 있어야 합니다). \
                     스택을 만든 컴퓨터에서 복사하거나(권한 0600), Session Manager로 앱 \
                     인스턴스에 접속하세요: aws ssm start-session --target <인스턴스 ID>"
                ),
            ));
        }
    }
    let mut summary = summary::collect(&session.clients, &state.plan, env, &union, &ready).await;
    summary.serving_since = state.serving_since.clone();
    Ok(StatusReport {
        stack: stack.to_string(),
        region: state.region,
        state_file: store.path().display().to_string(),
        rows,
        extras: found_extras,
        remover: super::sweep::remover(&env.target, stack),
        sweep,
        notes,
        summary,
    })
}
