//! The EFS file system: the web root every instance mounts, so uploads, plugins and
//! sessions are the same whichever instance serves a request. Encrypted at rest, backed up
//! daily by AWS Backup.

use super::tags;
use crate::aws::{OrMissing, aws};
use crate::engine::Charge;
use crate::engine::settings::{Actual, Change, Setting};
use crate::engine::wait::{self, Poll};
use crate::engine::{Ctx, Error, Found, Resource, Swept};
use async_trait::async_trait;
use aws_sdk_efs::types::{BackupPolicy, LifeCycleState, Status};
use std::time::Duration;

#[derive(Debug)]
pub struct FileSystem {
    pub name: String,
    /// AWS Backup's daily automatic backups of it.
    pub backups: bool,
}

fn efs_pairs(tags: &[aws_sdk_efs::types::Tag]) -> impl Iterator<Item = (&str, &str)> {
    tags.iter().map(|t| (t.key(), t.value()))
}

fn live(f: &aws_sdk_efs::types::FileSystemDescription) -> bool {
    !matches!(
        f.life_cycle_state(),
        LifeCycleState::Deleting | LifeCycleState::Deleted
    )
}

async fn describe(
    cx: &Ctx,
    id: &str,
) -> Result<Option<aws_sdk_efs::types::FileSystemDescription>, Error> {
    Ok(cx
        .aws
        .efs
        .describe_file_systems()
        .file_system_id(id)
        .send()
        .await
        .map_err(aws("DescribeFileSystems"))
        .or_missing()?
        .and_then(|o| o.file_systems().first().cloned()))
}

async fn state(cx: &Ctx, id: &str) -> Result<Option<LifeCycleState>, Error> {
    Ok(describe(cx, id)
        .await?
        .map(|f| f.life_cycle_state().clone()))
}

/// Every file system tagged with the stack (DescribeFileSystems pages at 10 in moto).
async fn tagged(cx: &Ctx) -> Result<Vec<aws_sdk_efs::types::FileSystemDescription>, Error> {
    of_stack(&cx.aws.efs, &cx.stack).await
}

async fn of_stack(
    efs: &aws_sdk_efs::Client,
    stack: &str,
) -> Result<Vec<aws_sdk_efs::types::FileSystemDescription>, Error> {
    let mut all = Vec::new();
    let mut pages = efs.describe_file_systems().into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(aws("DescribeFileSystems"))?;
        all.extend(
            page.file_systems()
                .iter()
                .filter(|f| live(f) && tags::of_stack(stack, efs_pairs(f.tags())).is_some())
                .cloned(),
        );
    }
    Ok(all)
}

/// The stack's file system of the node `key` in the clients' region (the standby's copy
/// of the files, read by status).
pub async fn tagged_in(
    clients: &crate::aws::Clients,
    stack: &str,
    key: &str,
) -> Result<Option<String>, Error> {
    Ok(of_stack(&clients.efs, stack)
        .await?
        .into_iter()
        .find(|f| tags::of_stack(stack, efs_pairs(f.tags())) == Some(Some(key.to_string())))
        .map(|f| f.file_system_id().to_string()))
}

#[async_trait]
impl Resource for FileSystem {
    fn kind(&self) -> &'static str {
        "efs"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn charges(&self) -> Vec<Charge> {
        let mut c = vec![Charge::FileSystem];
        if self.backups {
            c.push(Charge::FileBackups);
        }
        c
    }
    fn deps(&self) -> Vec<String> {
        vec![]
    }

    fn typical(&self) -> Duration {
        Duration::from_secs(10)
    }
    fn console(&self, id: &str, region: &str) -> Option<String> {
        Some(super::console::service(
            region,
            "efs",
            &format!("/file-systems/{id}"),
        ))
    }

    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        Ok(Found::tagged(
            tagged(cx)
                .await?
                .iter()
                .filter(|f| tags::is_ours(cx, efs_pairs(f.tags())))
                .map(|f| f.file_system_id().to_string())
                .collect(),
        ))
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let made = cx
            .aws
            .once
            .efs
            .create_file_system()
            .creation_token(&cx.token)
            .encrypted(true)
            .backup(self.backups)
            .set_tags(Some(tags::efs(cx)))
            .send()
            .await
            .map_err(aws("CreateFileSystem"));
        match made {
            Ok(out) => Ok(out.file_system_id().to_string()),
            // The same creation token: an earlier attempt made it; use that one.
            Err(e) if e.code.as_deref() == Some("FileSystemAlreadyExists") => {
                let out = cx
                    .aws
                    .efs
                    .describe_file_systems()
                    .creation_token(&cx.token)
                    .send()
                    .await
                    .map_err(aws("DescribeFileSystems"))?;
                out.file_systems()
                    .first()
                    .map(|f| f.file_system_id().to_string())
                    .ok_or(Error::Aws(e))
            }
            Err(e) => Err(e.into()),
        }
    }

    async fn settle(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        wait::until(
            &format!("file system {id} to become available"),
            Duration::from_secs(600),
            || async {
                match state(cx, id).await? {
                    Some(LifeCycleState::Available) => Ok(Poll::Ready),
                    Some(LifeCycleState::Error) => {
                        Err(Error::Failed(format!("file system {id} is in error")))
                    }
                    None => Err(Error::Failed(format!("file system {id} disappeared"))),
                    _ => Ok(Poll::Pending),
                }
            },
        )
        .await
    }

    fn desired(&self, _cx: &Ctx) -> Vec<Setting> {
        vec![
            Setting::replace(
                "encrypted",
                true,
                "EFS cannot encrypt an existing file system",
            ),
            Setting::update("automatic backups", self.backups),
        ]
    }

    async fn read(&self, cx: &Ctx, id: &str) -> Result<Actual, Error> {
        let mut a = Actual::new();
        if let Some(f) = describe(cx, id).await? {
            a.insert("encrypted", f.encrypted().unwrap_or(false).into());
        }
        let policy = cx
            .aws
            .efs
            .describe_backup_policy()
            .file_system_id(id)
            .send()
            .await
            .map_err(aws("DescribeBackupPolicy"));
        let on = match policy {
            Ok(o) => o
                .backup_policy()
                .is_some_and(|p| p.status() == &Status::Enabled),
            // No policy at all: backups are off.
            Err(e) if e.code.as_deref() == Some("PolicyNotFound") => false,
            Err(e) => return Err(e.into()),
        };
        a.insert("automatic backups", on.into());
        Ok(a)
    }

    async fn update(&self, cx: &Ctx, id: &str, _changes: &[Change]) -> Result<(), Error> {
        let status = if self.backups {
            Status::Enabled
        } else {
            Status::Disabled
        };
        cx.aws
            .once
            .efs
            .put_backup_policy()
            .file_system_id(id)
            .backup_policy(
                BackupPolicy::builder()
                    .status(status)
                    .build()
                    .map_err(|e| Error::Failed(e.to_string()))?,
            )
            .send()
            .await
            .map_err(aws("PutBackupPolicy"))?;
        Ok(())
    }

    /// Its mount targets go first: the mount-target nodes delete the stack's, but a
    /// duplicate file system's belong to no node, and EFS refuses to delete a file system
    /// that has any (`FileSystemInUse`, waited out until they are gone).
    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        let targets: Vec<String> = super::mount_target::lookup(cx, id)
            .await?
            .iter()
            .filter(|m| {
                !matches!(
                    m.life_cycle_state(),
                    LifeCycleState::Deleting | LifeCycleState::Deleted
                )
            })
            .map(|m| m.mount_target_id().to_string())
            .collect();
        for target in targets {
            // Gone already counts as done.
            cx.aws
                .efs
                .delete_mount_target()
                .mount_target_id(&target)
                .send()
                .await
                .map_err(aws("DeleteMountTarget"))
                .or_missing()?;
        }
        cx.aws
            .efs
            .delete_file_system()
            .file_system_id(id)
            .send()
            .await
            .map_err(aws("DeleteFileSystem"))?;
        Ok(())
    }

    async fn wait_deleted(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        wait::until(
            &format!("file system {id} to be deleted"),
            Duration::from_secs(600),
            || async {
                Ok(match state(cx, id).await? {
                    None | Some(LifeCycleState::Deleted) => Poll::Ready,
                    _ => Poll::Pending,
                })
            },
        )
        .await
    }

    async fn sweep(&self, cx: &Ctx) -> Result<Vec<Swept>, Error> {
        Ok(tagged(cx)
            .await?
            .iter()
            .filter_map(|f| tags::swept(&cx.stack, Some(f.file_system_id()), efs_pairs(f.tags())))
            .collect())
    }
}
