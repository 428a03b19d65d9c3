//! An EFS mount target in one private subnet: each AZ's instances mount through their own,
//! so losing an AZ does not lose the files. Mount targets take no tags: the one of our
//! own file system in the subnet is ours.

use crate::aws::{OrMissing, aws};
use crate::engine::settings::{Actual, Change, Setting, Value};
use crate::engine::wait::{self, Poll};
use crate::engine::{Ctx, Error, Found, Proof, Resource};
use async_trait::async_trait;
use aws_sdk_efs::types::LifeCycleState;
use std::time::Duration;

#[derive(Debug)]
pub struct MountTarget {
    pub name: String,
    pub file_system: String,
    pub subnet: String,
    pub security_group: String,
}

/// The mount targets of file system `fs` (none when it is gone).
pub(super) async fn lookup(
    cx: &Ctx,
    fs: &str,
) -> Result<Vec<aws_sdk_efs::types::MountTargetDescription>, Error> {
    Ok(cx
        .aws
        .efs
        .describe_mount_targets()
        .file_system_id(fs)
        .send()
        .await
        .map_err(aws("DescribeMountTargets"))
        .or_missing()?
        .map_or_else(Vec::new, |o| o.mount_targets().to_vec()))
}

async fn state(cx: &Ctx, id: &str) -> Result<Option<LifeCycleState>, Error> {
    Ok(cx
        .aws
        .efs
        .describe_mount_targets()
        .mount_target_id(id)
        .send()
        .await
        .map_err(aws("DescribeMountTargets"))
        .or_missing()?
        .and_then(|o| {
            o.mount_targets()
                .first()
                .map(|m| m.life_cycle_state().clone())
        }))
}

#[async_trait]
impl Resource for MountTarget {
    fn kind(&self) -> &'static str {
        "efs-mount-target"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn deps(&self) -> Vec<String> {
        vec![
            self.file_system.clone(),
            self.subnet.clone(),
            self.security_group.clone(),
        ]
    }

    fn typical(&self) -> Duration {
        Duration::from_secs(90)
    }

    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        let (Some(fs), Some(subnet)) = (cx.dep_opt(&self.file_system), cx.dep_opt(&self.subnet))
        else {
            return Ok(Found::none());
        };
        Ok(Found::with(
            lookup(cx, fs)
                .await?
                .into_iter()
                .filter(|m| m.subnet_id() == subnet)
                .filter(|m| {
                    !matches!(
                        m.life_cycle_state(),
                        LifeCycleState::Deleting | LifeCycleState::Deleted
                    )
                })
                .map(|m| m.mount_target_id().to_string())
                .collect(),
            Proof::Parent,
        ))
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let out = cx
            .aws
            .once
            .efs
            .create_mount_target()
            .file_system_id(cx.dep(&self.file_system)?)
            .subnet_id(cx.dep(&self.subnet)?)
            .security_groups(cx.dep(&self.security_group)?)
            .send()
            .await
            .map_err(aws("CreateMountTarget"))?;
        Ok(out.mount_target_id().to_string())
    }

    async fn settle(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        wait::until(
            &format!("mount target {id} to become available"),
            Duration::from_secs(900),
            || async {
                match state(cx, id).await? {
                    Some(LifeCycleState::Available) => Ok(Poll::Ready),
                    Some(LifeCycleState::Error) | None => {
                        Err(Error::Failed(format!("mount target {id} failed")))
                    }
                    _ => Ok(Poll::Pending),
                }
            },
        )
        .await
    }

    fn desired(&self, cx: &Ctx) -> Vec<Setting> {
        vec![Setting::update(
            "security groups",
            Value::set([cx.dep_or_new(&self.security_group)]),
        )]
    }

    async fn read(&self, cx: &Ctx, id: &str) -> Result<Actual, Error> {
        let out = cx
            .aws
            .efs
            .describe_mount_target_security_groups()
            .mount_target_id(id)
            .send()
            .await
            .map_err(aws("DescribeMountTargetSecurityGroups"))?;
        let mut a = Actual::new();
        a.insert("security groups", Value::set(out.security_groups()));
        Ok(a)
    }

    async fn update(&self, cx: &Ctx, id: &str, _changes: &[Change]) -> Result<(), Error> {
        cx.aws
            .once
            .efs
            .modify_mount_target_security_groups()
            .mount_target_id(id)
            .security_groups(cx.dep(&self.security_group)?)
            .send()
            .await
            .map_err(aws("ModifyMountTargetSecurityGroups"))?;
        Ok(())
    }

    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        cx.aws
            .efs
            .delete_mount_target()
            .mount_target_id(id)
            .send()
            .await
            .map_err(aws("DeleteMountTarget"))?;
        Ok(())
    }

    /// The file system cannot be deleted while a mount target remains.
    async fn wait_deleted(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        wait::until(
            &format!("mount target {id} to be deleted"),
            Duration::from_secs(900),
            || async {
                Ok(match state(cx, id).await? {
                    None | Some(LifeCycleState::Deleted) => Poll::Ready,
                    _ => Poll::Pending,
                })
            },
        )
        .await
    }
}
