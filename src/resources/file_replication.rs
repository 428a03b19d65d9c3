//! The web root's copy in the standby region: EFS replication from the primary's file
//! system to a new one in the standby's region, which stays read-only while it replicates
//! (the standby's instances serve it as it is) and becomes writable when `hawiz failover`
//! ends the replication. The node lives in the primary's region, where the replication is
//! configured; its ID is the destination file system, which it tags and, on delete,
//! removes after the replication.

use super::file_system::FileSystem;
use crate::aws::{OrMissing, aws};
use crate::engine::Charge;
use crate::engine::settings::{Actual, Setting};
use crate::engine::wait::{self, Poll};
use crate::engine::{Ctx, Error, Found, Proof, Resource, Swept};
use async_trait::async_trait;
use aws_sdk_efs::types::{
    DestinationToCreate, ReplicationConfigurationDescription, ReplicationOverwriteProtection,
    ReplicationStatus,
};
use std::time::Duration;

#[derive(Debug)]
pub struct FileReplication {
    /// The destination's Name tag (the primary's file system's name).
    pub name: String,
    /// Key of the primary's file system.
    pub source: String,
    /// The standby's region, where the copy lives.
    pub region: String,
    /// `hawiz failover` ended the replication: the copy is the standby's own, writable
    /// file system, found by its tags, never replicated again.
    pub ended: bool,
}

/// The replication configuration of a file system (source or destination), if any.
pub async fn configuration(
    efs: &aws_sdk_efs::Client,
    file_system: &str,
) -> Result<Option<ReplicationConfigurationDescription>, Error> {
    Ok(efs
        .describe_replication_configurations()
        .file_system_id(file_system)
        .send()
        .await
        .map_err(aws("DescribeReplicationConfigurations"))
        .or_missing()?
        .and_then(|o| o.replications().first().cloned()))
}

impl FileReplication {
    /// The same context in the standby's region (the destination lives there).
    fn there(&self, cx: &Ctx) -> Ctx {
        let mut there = cx.clone();
        there.aws = cx.aws.in_region(&self.region);
        there
    }

    /// The copy as a file system of the standby's region (what deletes and lists it).
    fn copy(&self) -> FileSystem {
        FileSystem {
            name: self.name.clone(),
            backups: false,
        }
    }

    /// The destination in this node's region, from the source's configuration.
    async fn destination(&self, cx: &Ctx) -> Result<Option<(String, ReplicationStatus)>, Error> {
        let Some(source) = cx.dep_opt(&self.source) else {
            return Ok(None);
        };
        Ok(configuration(&cx.aws.efs, source).await?.and_then(|c| {
            c.destinations()
                .iter()
                .find(|d| d.region() == self.region)
                .map(|d| (d.file_system_id().to_string(), d.status().clone()))
        }))
    }
}

#[async_trait]
impl Resource for FileReplication {
    fn kind(&self) -> &'static str {
        "efs-replication"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn deps(&self) -> Vec<String> {
        vec![self.source.clone()]
    }
    fn charges(&self) -> Vec<Charge> {
        vec![Charge::FileSystem]
    }
    fn billed_in(&self) -> Option<&str> {
        Some(&self.region)
    }
    /// AWS: "most changes are replicated within a minute"; a new configuration takes
    /// some minutes to become ENABLED.
    fn typical(&self) -> Duration {
        Duration::from_secs(300)
    }
    fn console(&self, id: &str, _region: &str) -> Option<String> {
        Some(super::console::service(
            &self.region,
            "efs",
            &format!("/file-systems/{id}"),
        ))
    }

    /// The source's replication to this region; its destination is the node (after
    /// failover: the file system its tags name, in the standby's region).
    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        if self.ended {
            let there = self.there(cx);
            let ids: Vec<String> = self
                .copy()
                .sweep(&there)
                .await?
                .into_iter()
                .filter(|s| s.key.as_deref() == Some(cx.key.as_str()))
                .map(|s| s.id)
                .collect();
            return Ok(Found::tagged(ids));
        }
        Ok(match self.destination(cx).await? {
            Some((id, _)) => Found::with(vec![id], Proof::Parent),
            None => Found::none(),
        })
    }

    /// The copy is made first, in the standby's region and tagged in the same call (an
    /// earlier attempt's is found by its tags), opened to replication (its overwrite
    /// protection off), then named as the replication's destination: no file system is
    /// ever tagged after the fact.
    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        if self.ended {
            return Err(Error::Failed(format!(
                "the standby's files in {} (the site's since failover) are gone; restore them \
                 from an EFS backup",
                self.region
            )));
        }
        let there = self.there(cx);
        let copy = self.copy();
        let id = match copy.find(&there).await?.ids().into_iter().next() {
            Some(id) => id,
            None => copy.create(&there).await?,
        };
        copy.settle(&there, &id).await?;
        there
            .aws
            .once
            .efs
            .update_file_system_protection()
            .file_system_id(&id)
            .replication_overwrite_protection(ReplicationOverwriteProtection::Disabled)
            .send()
            .await
            .map_err(aws("UpdateFileSystemProtection"))?;
        cx.aws
            .once
            .efs
            .create_replication_configuration()
            .source_file_system_id(cx.dep(&self.source)?)
            .destinations(
                DestinationToCreate::builder()
                    .region(&self.region)
                    .file_system_id(&id)
                    .build(),
            )
            .send()
            .await
            .map_err(aws("CreateReplicationConfiguration"))?;
        Ok(id)
    }

    /// Until the replication is ENABLED (the first copy then runs on its own).
    async fn settle(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        if self.ended {
            return Ok(());
        }
        wait::until(
            &format!(
                "the replication of the files to {} to be enabled",
                self.region
            ),
            Duration::from_secs(30 * 60),
            || async {
                match self.destination(cx).await? {
                    Some((_, ReplicationStatus::Enabled)) => Ok(Poll::Ready),
                    Some((_, s @ (ReplicationStatus::Error | ReplicationStatus::Paused))) => {
                        Err(Error::Failed(format!(
                            "the replication of the files to {id} in {} is {}; see the EFS console",
                            self.region,
                            s.as_str()
                        )))
                    }
                    Some(_) => Ok(Poll::Pending),
                    None => Err(Error::Failed(format!(
                        "the replication of the files to {} disappeared",
                        self.region
                    ))),
                }
            },
        )
        .await
    }

    fn desired(&self, _cx: &Ctx) -> Vec<Setting> {
        if self.ended {
            return Vec::new();
        }
        vec![Setting::replace(
            "to region",
            self.region.as_str(),
            "EFS replicates to one region per configuration: a new one would be made",
        )]
    }

    async fn read(&self, cx: &Ctx, _id: &str) -> Result<Actual, Error> {
        let mut a = Actual::new();
        if self.destination(cx).await?.is_some() {
            a.insert("to region", self.region.as_str().into());
        }
        Ok(a)
    }

    /// The replication first (the destination becomes writable), then the destination
    /// file system with any mount target still on it.
    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        let there = self.there(cx);
        if let Some(c) = configuration(&there.aws.efs, id).await? {
            cx.aws
                .efs
                .delete_replication_configuration()
                .source_file_system_id(c.source_file_system_id())
                .send()
                .await
                .map_err(aws("DeleteReplicationConfiguration"))
                .or_missing()?;
            wait::until(
                &format!("the replication to {id} to end"),
                Duration::from_secs(30 * 60),
                || async {
                    Ok(match configuration(&there.aws.efs, id).await? {
                        None => Poll::Ready,
                        Some(_) => Poll::Pending,
                    })
                },
            )
            .await?;
        }
        self.copy().delete(&there, id).await
    }

    async fn wait_deleted(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        self.copy().wait_deleted(&self.there(cx), id).await
    }

    /// The stack's file systems in the standby's region.
    async fn sweep(&self, cx: &Ctx) -> Result<Vec<Swept>, Error> {
        self.copy().sweep(&self.there(cx)).await
    }
}
