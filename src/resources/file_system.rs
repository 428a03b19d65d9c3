//! The EFS file system: the web root every instance mounts, so uploads, plugins and
//! sessions are the same whichever instance serves a request. Encrypted at rest.

use crate::aws::{OrMissing, aws};
use crate::engine::wait::{self, Poll};
use crate::engine::{Ctx, Error, Resource};
use async_trait::async_trait;
use aws_sdk_efs::types::{LifeCycleState, Tag};
use std::time::Duration;

#[derive(Debug)]
pub struct FileSystem {
    pub name: String,
}

fn ours(cx: &Ctx, tags: &[Tag]) -> bool {
    let has = |k: &str, v: &str| tags.iter().any(|t| t.key() == k && t.value() == v);
    has(crate::aws::ec2::STACK_TAG, &cx.stack) && has(crate::aws::ec2::KEY_TAG, &cx.key)
}

async fn state(cx: &Ctx, id: &str) -> Result<Option<LifeCycleState>, Error> {
    Ok(cx
        .aws
        .efs
        .describe_file_systems()
        .file_system_id(id)
        .send()
        .await
        .map_err(aws("DescribeFileSystems"))
        .or_missing()?
        .and_then(|o| {
            o.file_systems()
                .first()
                .map(|f| f.life_cycle_state().clone())
        }))
}

#[async_trait]
impl Resource for FileSystem {
    fn kind(&self) -> &'static str {
        "efs"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn deps(&self) -> Vec<String> {
        vec![]
    }

    async fn find(&self, cx: &Ctx) -> Result<Vec<String>, Error> {
        let mut ids = Vec::new();
        let mut pages = cx.aws.efs.describe_file_systems().into_paginator().send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(aws("DescribeFileSystems"))?;
            ids.extend(
                page.file_systems()
                    .iter()
                    .filter(|f| ours(cx, f.tags()))
                    .filter(|f| {
                        !matches!(
                            f.life_cycle_state(),
                            LifeCycleState::Deleting | LifeCycleState::Deleted
                        )
                    })
                    .map(|f| f.file_system_id().to_string()),
            );
        }
        Ok(ids)
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let t = |k: &str, v: &str| {
            Tag::builder()
                .key(k)
                .value(v)
                .build()
                .expect("key and value set")
        };
        let made = cx
            .aws
            .once
            .efs
            .create_file_system()
            .creation_token(&cx.token)
            .encrypted(true)
            .tags(t("Name", &cx.name))
            .tags(t(crate::aws::ec2::STACK_TAG, &cx.stack))
            .tags(t(crate::aws::ec2::KEY_TAG, &cx.key))
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

    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
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
}
