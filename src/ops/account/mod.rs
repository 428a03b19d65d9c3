//! A stack's record in its own account, so that any machine with the credentials finds,
//! resumes, changes and destroys it, one at a time. Two SSM parameters of the stack:
//!
//! - the plan of its last apply (`/hawiz/<stack>/plan`): the resolved plan, which holds no
//!   secrets; with the resources' tags it is everything another machine needs to rebuild
//!   the local state (a cache) and work as the machine that built it;
//! - the lock (`/hawiz/<stack>/lock`), created with `Overwrite=false` so that of two
//!   machines starting at once exactly one gets it; it names its holder (who, which host
//!   and process, what, since when) and is renewed every minute while it is held, so a
//!   holder that died is recognised (a dead process on this host at once, another host's
//!   after `STALE`) and its lock taken over after saying so.
//!
//! Both carry the stack's tags: a parameter under the same name that hawiz did not write
//! (another tool's) is refused, never read as a plan or taken as a lock.

use super::Failure;
use crate::aws::{AwsError, Clients, aws};
use crate::i18n::text::Text;
use crate::plan::Plan;
use aws_sdk_ssm::types::{ParameterStringFilter, ParameterTier, ParameterType, Tag};
use std::sync::Arc;

/// The `hawiz:key` of the two records (nothing of the plan's graph has these keys).
const PLAN_KEY: &str = "account/plan";
const LOCK_KEY: &str = "account/lock";

fn tags(stack: &str, key: &str) -> Vec<Tag> {
    [
        (crate::aws::ec2::STACK_TAG, stack),
        (crate::aws::ec2::KEY_TAG, key),
    ]
    .into_iter()
    .filter_map(|(k, v)| Tag::builder().key(k).value(v).build().ok())
    .collect()
}

fn failed(e: AwsError) -> Failure {
    let mut f = Failure::failed(e.to_string());
    f.class = e.class;
    f
}

/// Whether the parameter carries this stack's tag and `key`: hawiz wrote it.
async fn written_by_hawiz(
    clients: &Clients,
    name: &str,
    stack: &str,
    key: &str,
) -> Result<bool, AwsError> {
    let pairs = crate::resources::parameter::tags_of(&clients.ssm, name).await?;
    let pairs = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    Ok(crate::resources::tags::of_stack(stack, pairs)
        .flatten()
        .as_deref()
        == Some(key))
}

fn not_ours(name: &str, stack: &str) -> Failure {
    Failure::invalid(format!(
        "{name} exists in this account but hawiz did not write it (it lacks the tags {}={stack} \
         and {}); another tool uses the name. Choose another stack name, or remove that \
         parameter if it is yours and unused",
        crate::aws::ec2::STACK_TAG,
        crate::aws::ec2::KEY_TAG
    ))
}

/// Create `name` with the stack's tags, or (when it exists and is hawiz's) overwrite it.
/// `Ok(false)`: it exists and `overwrite` was not asked. Sent with the SDK's retries: a
/// create resent after a lost answer finds its own parameter (`ParameterAlreadyExists`),
/// which is handled here as any existing one (the lock knows its own holding by its token).
async fn put(
    clients: &Clients,
    stack: &str,
    key: &str,
    name: &str,
    value: &str,
    overwrite: bool,
) -> Result<bool, Failure> {
    let created = clients
        .ssm
        .put_parameter()
        .name(name)
        .value(value)
        .r#type(ParameterType::String)
        // A plan with many schedules can pass the standard tier's 4 KB.
        .tier(ParameterTier::IntelligentTiering)
        .overwrite(false)
        .set_tags(Some(tags(stack, key)))
        .send()
        .await
        .map_err(aws("PutParameter"));
    match created {
        Ok(_) => return Ok(true),
        Err(e) if e.code.as_deref() == Some("ParameterAlreadyExists") => {}
        Err(e) => return Err(failed(e)),
    }
    if !written_by_hawiz(clients, name, stack, key)
        .await
        .map_err(failed)?
    {
        return Err(not_ours(name, stack));
    }
    if !overwrite {
        return Ok(false);
    }
    clients
        .ssm
        .put_parameter()
        .name(name)
        .value(value)
        .overwrite(true)
        .send()
        .await
        .map_err(aws("PutParameter"))
        .map_err(failed)?;
    Ok(true)
}

/// The parameter's value, if it exists and hawiz wrote it.
async fn get(
    clients: &Clients,
    stack: &str,
    key: &str,
    name: &str,
) -> Result<Option<String>, Failure> {
    let out = clients
        .ssm
        .get_parameter()
        .name(name)
        .send()
        .await
        .map_err(aws("GetParameter"));
    let value = match out {
        Ok(o) => o
            .parameter()
            .and_then(|p| p.value())
            .unwrap_or_default()
            .to_string(),
        Err(e) if e.is_not_found() => return Ok(None),
        Err(e) => return Err(failed(e)),
    };
    if !written_by_hawiz(clients, name, stack, key)
        .await
        .map_err(failed)?
    {
        return Err(not_ours(name, stack));
    }
    Ok(Some(value))
}

async fn delete(clients: &Clients, name: &str) -> Result<(), AwsError> {
    match clients
        .ssm
        .delete_parameter()
        .name(name)
        .send()
        .await
        .map_err(aws("DeleteParameter"))
    {
        Err(e) if !e.is_not_found() => Err(e),
        _ => Ok(()),
    }
}

// The plan

/// Keep the plan being applied in the account (before anything is created: a build that
/// stops halfway is found and resumed from anywhere).
pub async fn save_plan(clients: &Clients, plan: &Plan) -> Result<(), Failure> {
    let stack = &plan.stack.name;
    let text = toml::to_string(plan)
        .map_err(|e| Failure::failed(format!("internal error: the plan as TOML: {e}")))?;
    put(
        clients,
        stack,
        PLAN_KEY,
        &crate::names::plan_record(stack),
        &text,
        true,
    )
    .await?;
    Ok(())
}

/// The plan of the stack's last apply in this region, if the account has one.
pub async fn read_plan(clients: &Clients, stack: &str) -> Result<Option<Plan>, Failure> {
    let name = crate::names::plan_record(stack);
    let Some(text) = get(clients, stack, PLAN_KEY, &name).await? else {
        return Ok(None);
    };
    let mut plan = Plan::from_toml(&text).map_err(|e| {
        Failure::failed(format!(
            "{name} holds no plan hawiz can read ({e}); it may come from a newer hawiz"
        ))
    })?;
    plan.resolve(Some(&clients.region));
    if plan.stack.name != stack {
        return Err(not_ours(&name, stack));
    }
    Ok(Some(plan))
}

/// The stack is gone: its plan goes last, so a destroy that stops halfway is still found.
pub async fn forget_plan(clients: &Clients, stack: &str) -> Result<(), Failure> {
    delete(clients, &crate::names::plan_record(stack))
        .await
        .map_err(failed)
}

/// The stacks whose plan is kept in this region's account, sorted.
pub async fn stacks(clients: &Clients) -> Result<Vec<String>, Failure> {
    let filter = ParameterStringFilter::builder()
        .key("Name")
        .option("BeginsWith")
        .values("/hawiz/")
        .build()
        .map_err(|e| Failure::failed(e.to_string()))?;
    // Only plan records hawiz wrote (another tool's parameter under the prefix is not a
    // stack: `open` refuses it by name).
    let written = ParameterStringFilter::builder()
        .key(format!("tag:{}", crate::aws::ec2::KEY_TAG))
        .values(PLAN_KEY)
        .build()
        .map_err(|e| Failure::failed(e.to_string()))?;
    let mut pages = clients
        .ssm
        .describe_parameters()
        .parameter_filters(filter)
        .parameter_filters(written)
        .into_paginator()
        .send();
    let mut out = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(aws("DescribeParameters")).map_err(failed)?;
        out.extend(
            page.parameters()
                .iter()
                .filter_map(|p| crate::names::stack_of_plan_record(p.name()?))
                .filter(|s| !s.contains('/'))
                .map(str::to_string),
        );
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// The region to look in for a stack this machine has no state of: `--region`, else the
/// AWS configuration's, else the lab's.
pub async fn region(env: &super::Env) -> String {
    match &env.region {
        Some(r) => r.clone(),
        None => crate::aws::configured_region()
            .await
            .unwrap_or_else(|| crate::aws::DEFAULT_REGION.to_string()),
    }
}

/// Whether the account keeps a plan of this stack in the region this machine would look
/// in (`--region`, else the AWS configuration's): a stack with no state here may live.
pub async fn kept(env: &super::Env, stack: &str) -> Result<bool, Failure> {
    let session = super::connect(env, &region(env).await).await?;
    Ok(read_plan(&session.clients, stack).await?.is_some())
}

/// A stack's state: this machine's, else rebuilt from the account (its plan record; the
/// resources are found by their tags as on any run), with a note saying so. The rebuilt
/// state is saved here as the cache it is.
pub async fn open(
    env: &super::Env,
    stack: &str,
) -> Result<(Arc<crate::state::Store>, Option<Text>), Failure> {
    use crate::state::{StateError, Store};
    match Store::open(&env.stacks_dir, stack) {
        Err(StateError::NoSuchStack { dir, .. }) => {
            let region = region(env).await;
            let session = super::connect(env, &region).await?;
            let Some(plan) = read_plan(&session.clients, stack).await? else {
                return Err(Failure::invalid(format!(
                    "no stack named {stack:?}: none saved on this machine ({dir}) and none in \
                     region {region} of account {} (no {}). `hawiz status` lists the stacks; \
                     `--region` looks in another region",
                    session.who.account,
                    crate::names::plan_record(stack)
                )));
            };
            let store = Arc::new(
                Store::open_for_apply(&env.stacks_dir, &plan)
                    .map_err(|e| Failure::failed(e.to_string()))?,
            );
            recorded_from_survey(env, &session, &store, &plan).await?;
            let record = crate::names::plan_record(stack);
            let note = Text::new(
                format!(
                    "This machine had no state of stack {stack:?}: rebuilt from the account \
                     (its plan from {record} in {region}; its resources by their tags)."
                ),
                format!(
                    "이 컴퓨터에 스택 {stack}의 상태가 없어 계정에서 다시 만들었습니다 \
                     ({region}의 {record}에서 계획을, 태그로 리소스를 찾음)."
                ),
            );
            Ok((store, Some(note)))
        }
        Ok(store) => Ok((Arc::new(store), None)),
        Err(e) => Err(Failure::invalid(e.to_string())),
    }
}

/// Record what a survey finds of the plan's resources in a rebuilt state, as the machine
/// that built them recorded them (ready, or the user's own), with what they publish.
async fn recorded_from_survey(
    env: &super::Env,
    session: &super::Session,
    store: &Arc<crate::state::Store>,
    plan: &Plan,
) -> Result<(), Failure> {
    use crate::state::{Record, Status};
    let graph = crate::blueprint::build(plan, &env.stacks_dir)
        .map_err(|e| Failure::failed(format!("internal error: {e}")))?;
    let runner = super::quiet_runner(env, session, store.clone(), graph.clone());
    let survey = crate::engine::survey(&runner, false).await;
    for node in graph.nodes() {
        let Some(seen) = survey.nodes.get(&node.key) else {
            continue;
        };
        let Some(first) = seen.found.ours.first() else {
            continue;
        };
        let status = match first.proof {
            crate::engine::Proof::Yours => Status::Adopted,
            _ => Status::Ready,
        };
        let record = Record {
            kind: node.res.kind().to_string(),
            name: node.label(),
            status,
            id: Some(first.id.clone()),
            token: String::new(),
            outputs: seen.outputs.clone().into_iter().collect(),
        };
        store
            .put(&node.key, Some(record))
            .map_err(|e| Failure::failed(e.to_string()))?;
    }
    Ok(())
}

mod lock;
pub use lock::{AccountLock, Holder, lock, settle};
