//! What one kind of resource must know: how to find, create, settle and delete itself.
//! Each kind lives in its own module under `resources/`; the engine only calls this trait.

use super::Error;
use crate::aws::Clients;
use async_trait::async_trait;
use std::collections::HashMap;
use std::sync::Arc;

/// Everything a resource call may use: clients, its identity, and its dependencies' IDs.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub aws: Arc<Clients>,
    pub stack: String,
    /// Logical key in the graph, e.g. `subnet/public-a`; also the `hawiz:key` tag.
    pub key: String,
    /// Name tag a console user recognises, e.g. `wordpress-ha-public-a`.
    pub name: String,
    /// Idempotency token for APIs that take one; the same across retries and resumes.
    pub token: String,
    /// IDs of this node's dependencies that exist.
    pub deps: HashMap<String, String>,
}

impl Ctx {
    pub fn ec2(&self) -> &aws_sdk_ec2::Client {
        &self.aws.ec2
    }

    /// EC2 without SDK retries, for calls that create or add something (see `aws::Once`).
    pub fn ec2_once(&self) -> &aws_sdk_ec2::Client {
        &self.aws.once.ec2
    }

    /// The ID of a dependency. During apply it always exists (the engine runs a node only
    /// after its dependencies are ready); during status/destroy it may be gone.
    pub fn dep(&self, key: &str) -> Result<&str, Error> {
        self.deps
            .get(key)
            .map(String::as_str)
            .ok_or_else(|| Error::MissingDependency {
                node: self.key.clone(),
                dep: key.to_string(),
            })
    }

    pub fn dep_opt(&self, key: &str) -> Option<&str> {
        self.deps.get(key).map(String::as_str)
    }
}

#[async_trait]
pub trait Resource: Send + Sync + std::fmt::Debug {
    /// Short kind label shown in progress lines, e.g. `nat-gateway`.
    fn kind(&self) -> &'static str;

    /// The Name tag (and display name).
    fn name(&self) -> &str;

    /// Logical keys this resource needs to exist first.
    fn deps(&self) -> Vec<String>;

    /// Resources the user built and hawiz only uses: never created, never deleted.
    fn adopted(&self) -> bool {
        false
    }

    /// IDs of live resources that are this node (normally zero or one; more than one means
    /// an earlier duplicate, which destroy removes too). Deleted/failed ones don't count.
    async fn find(&self, cx: &Ctx) -> Result<Vec<String>, Error>;

    /// Create it (tagged in the same call) and return its ID as soon as AWS answers.
    /// Calls that create or add something go through `cx.aws.once` (no SDK retries): on a
    /// transient error the engine calls `find` again before another `create`.
    async fn create(&self, cx: &Ctx) -> Result<String, Error>;

    /// Bring an existing or new resource to ready: wait for `available`, apply settings
    /// that need a second call. Must be safe to run again after a crash.
    async fn settle(&self, _cx: &Ctx, _id: &str) -> Result<(), Error> {
        Ok(())
    }

    /// Delete it; "already gone" counts as success.
    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error>;

    /// Wait until the delete has finished (for kinds whose deletion takes time).
    async fn wait_deleted(&self, _cx: &Ctx, _id: &str) -> Result<(), Error> {
        Ok(())
    }
}
