//! The stacks saved on this machine (for the resume screen and `hawiz status` without a
//! stack) and the plan files the wizard and plain mode write for `hawiz apply` to replay.

use crate::i18n::Lang;
use crate::plan::Plan;
use crate::state::{Status, Store};
use std::path::{Path, PathBuf};

/// A saved stack: how far it got, and how its last run ended.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedStack {
    pub name: String,
    pub region: String,
    /// Resources the state file records AWS as having made (created, ready, or the user's
    /// own used as is): a create whose wait was cut short counts, as the review's check
    /// of AWS would find it.
    pub made: usize,
    pub total: usize,
    pub last_error: Option<String>,
    /// Kept in the account (its plan record) with no state on this machine: built
    /// elsewhere, or here before the data dir was lost. Opening it rebuilds the state.
    pub elsewhere: bool,
}

impl SavedStack {
    /// A stack the account keeps that this machine has no state of.
    pub fn in_account(name: &str, region: &str) -> SavedStack {
        SavedStack {
            name: name.to_string(),
            region: region.to_string(),
            made: 0,
            total: 0,
            last_error: None,
            elsewhere: true,
        }
    }

    /// What a new setup's front-end says when the name typed is this stack's (the
    /// wizard at the field, plain mode before it asks what now).
    pub fn same_name(&self) -> crate::i18n::Text {
        let (name, region) = (&self.name, &self.region);
        if self.elsewhere {
            return crate::i18n::Text::new(
                format!(
                    "A stack named {name} is kept in the account (in {region}; built on another \
                     machine, no state on this one)."
                ),
                format!(
                    "이름이 {name}인 스택이 계정에 있습니다({region}. 다른 컴퓨터에서 만들어 이 \
                     컴퓨터에는 상태가 없음)."
                ),
            );
        }
        crate::i18n::Text::new(
            format!(
                "A saved stack is named {name} ({}, {}/{} made, in {region}).",
                self.state(Lang::En),
                self.made,
                self.total
            ),
            format!(
                "저장된 스택 이름이 {name}입니다 ({}, {} 중 {}개 만듦, {region}).",
                self.state(Lang::Ko),
                self.total,
                self.made
            ),
        )
    }

    pub fn state(&self, lang: Lang) -> &'static str {
        if self.elsewhere {
            return lang.pick("account", "계정");
        }
        match (&self.last_error, self.made >= self.total) {
            (Some(_), _) => lang.pick("failed", "실패"),
            (None, true) => lang.pick("complete", "완료"),
            (None, false) => lang.pick("partial", "일부"),
        }
    }
}

/// One saved stack, read from its state file.
pub fn saved_one(stacks_dir: &Path, name: &str) -> Result<SavedStack, String> {
    let s = Store::open(stacks_dir, name)
        .map_err(|e| e.to_string())?
        .snapshot();
    let total = crate::blueprint::build(&s.plan, stacks_dir)
        .map(|g| g.len())
        .unwrap_or(0);
    let made = s
        .resources
        .values()
        .filter(|r| matches!(r.status, Status::Created | Status::Ready | Status::Adopted))
        .count();
    Ok(SavedStack {
        name: name.to_string(),
        region: s.region,
        made,
        total,
        last_error: s.last_error,
        elsewhere: false,
    })
}

/// The stacks saved under `stacks_dir` that can be read.
pub fn saved(stacks_dir: &Path) -> Vec<SavedStack> {
    Store::list(stacks_dir)
        .into_iter()
        .filter_map(|name| saved_one(stacks_dir, &name).ok())
        .collect()
}

/// Where the answers for stack `name` are saved as a plan file under `home`.
pub fn plan_file(home: &Path, name: &str) -> PathBuf {
    home.join("plans").join(format!("{name}.toml"))
}

/// The answers as a plan file `hawiz apply` can replay: `<home>/plans/<stack>.toml`.
pub fn save_plan(home: &Path, plan: &Plan) -> std::io::Result<PathBuf> {
    let path = plan_file(home, &plan.stack.name);
    crate::state::create_private_dir(path.parent().unwrap_or(home))?;
    save_plan_to(&path, plan)?;
    Ok(path)
}

/// `hawiz edit FILE`: the answers go back to the file they came from, changing only the
/// values that changed (its comments and order stay).
pub fn save_plan_to(path: &Path, plan: &Plan) -> std::io::Result<()> {
    let mut plan = plan.clone();
    plan.resolve(None);
    crate::plan::file::save(path, &plan).map_err(std::io::Error::other)
}

/// The stacks whose plan the account keeps in `region` (any machine's), for `hawiz status`
/// without a stack and the wizard's resume screen: with this machine's saved stacks,
/// what there is to work on.
pub async fn in_account(env: &super::Env, region: &str) -> Result<Vec<String>, super::Failure> {
    let session = super::connect(env, region).await?;
    super::account::stacks(&session.clients).await
}

/// The account's stacks this machine has no state of, in the region hawiz works in here
/// (`--region`, else the AWS configuration's), for the resume screen.
pub async fn elsewhere(env: &super::Env) -> Result<Vec<SavedStack>, super::Failure> {
    let region = super::account::region(env).await;
    let local = saved(&env.stacks_dir);
    Ok(in_account(env, &region)
        .await?
        .into_iter()
        .filter(|name| !local.iter().any(|s| s.name == *name))
        .map(|name| SavedStack::in_account(&name, &region))
        .collect())
}
