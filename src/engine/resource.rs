//! What one kind of resource knows about itself: how to find it (with proof that it is
//! this stack's), create it, wait for it, read and compare its settings, change them in
//! place, publish its outputs, delete it, and how the leftovers sweep finds its kind.
//! Each kind lives in its own module under `resources/`; the engine only calls this trait.

use super::settings::{Actual, Change, Setting};
use super::{Error, Event, What};
use crate::aws::Clients;
use crate::plan::Finding;
use crate::state::Record;
use async_trait::async_trait;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

/// Values a ready resource publishes for the nodes that depend on it (an ALB's DNS name
/// and zone, a DB endpoint, a certificate ARN). Never secrets: they are kept in the state.
pub type Outputs = BTreeMap<String, String>;

/// A dependency as a node sees it: its ID and outputs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dep {
    pub id: String,
    pub outputs: Outputs,
}

/// How the engine knows a resource is this stack's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proof {
    /// It carries `hawiz:stack=<stack>` (and its `hawiz:key`).
    Tagged,
    /// It cannot carry tags; the state file recorded it as created by this stack and it
    /// still matches what was recorded.
    Recorded,
    /// It hangs off a proven parent (a route in our route table, a mount target of our
    /// file system).
    Parent,
    /// The user named it in the plan as their own: used, never changed or deleted.
    Yours,
}

impl Proof {
    pub fn label(self) -> &'static str {
        match self {
            Proof::Tagged => "tagged",
            Proof::Recorded => "recorded",
            Proof::Parent => "via parent",
            Proof::Yours => "yours",
        }
    }
}

/// One live resource proven to be this node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub id: String,
    pub proof: Proof,
}

/// What `find` saw: the node's own resources, and anything in its way that is not
/// proven this stack's (same name, same DNS record): never adopted, changed or deleted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Found {
    pub ours: Vec<Match>,
    pub foreign: Vec<Finding>,
}

impl Found {
    pub fn none() -> Found {
        Found::default()
    }

    pub fn with(ids: Vec<String>, proof: Proof) -> Found {
        Found {
            ours: ids.into_iter().map(|id| Match { id, proof }).collect(),
            foreign: Vec::new(),
        }
    }

    /// Found by the stack's tags.
    pub fn tagged(ids: Vec<String>) -> Found {
        Found::with(ids, Proof::Tagged)
    }

    pub fn ids(&self) -> Vec<String> {
        self.ours.iter().map(|m| m.id.clone()).collect()
    }

    /// Put the ID the state file knows first, when several carry the same tags (an
    /// earlier duplicate): that one is used, the others are the duplicates.
    pub fn prefer(&mut self, known: Option<&str>) {
        if let Some(pos) = known.and_then(|k| self.ours.iter().position(|m| m.id == k)) {
            self.ours.swap(0, pos);
        }
    }
}

/// The refusal for a resource in the way: what it is, why it is not this stack's, and
/// the fix, at the plan field that leads to it.
pub fn foreign(cx: &Ctx, what: &str, id: &str, field: &str) -> Finding {
    // "an IAM role", "an Auto Scaling group", "a database".
    let a = if what.starts_with(['A', 'E', 'I', 'O', 'U', 'a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    Finding {
        field: field.to_string(),
        message: format!(
            "{a} {what} named {id} already exists in this account and is not part of stack {stack} \
             (it has no hawiz:stack={stack} tag); hawiz will not take it over, change or delete it. \
             Choose another stack name, or rename or remove that {what} yourself",
            stack = cx.stack
        ),
        ko: format!(
            "이 계정에 이름이 {id}인 {what_ga} 이미 있고 스택 {stack}의 것이 아닙니다 \
             (hawiz:stack={stack} 태그가 없음). hawiz는 이것을 가져오거나 바꾸거나 지우지 않습니다. \
             다른 스택 이름을 고르거나, 그 {what}의 이름을 바꾸거나 직접 지우세요",
            stack = cx.stack,
            what_ga = crate::i18n::korean::with(what, crate::i18n::korean::Josa::IGa)
        ),
    }
}

/// A tagged resource of this stack found by the leftovers sweep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Swept {
    pub id: String,
    /// Its `hawiz:key` tag, when it has one.
    pub key: Option<String>,
}

/// Choices the user made for this run that resources act on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunOptions {
    /// Apply database changes now (a short outage, Multi-AZ fails over) instead of in
    /// the next maintenance window.
    pub db_now: bool,
    /// Delete the database without its final snapshot (`--skip-final-snapshot`, and the
    /// sandbox's default).
    pub skip_final_snapshot: bool,
    /// Replace every app instance (a replaced database: each boot makes WordPress's
    /// database user and finishes the install, which a running instance never does again).
    pub roll_instances: bool,
    /// Resources to create (or find) and leave to become ready in AWS: what a build while
    /// answering starts that nothing in its part needs yet (a database), so the run ends
    /// and the next step's run can begin. The next run finds them and waits for them.
    pub start_only: std::collections::BTreeSet<String>,
}

/// Everything a resource call may use: clients, its identity, its dependencies, and what
/// the state file recorded of it.
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
    pub kind: &'static str,
    /// This node's dependencies that exist, with their outputs.
    pub deps: HashMap<String, Dep>,
    /// What the state file recorded of this node (intent, ID, outputs), if anything.
    pub recorded: Option<Record>,
    pub options: RunOptions,
    /// Where warnings for the user go (a missing private key, say).
    pub events: Option<mpsc::UnboundedSender<Event>>,
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
            .map(|d| d.id.as_str())
            .ok_or_else(|| Error::MissingDependency {
                node: self.key.clone(),
                dep: key.to_string(),
            })
    }

    pub fn dep_opt(&self, key: &str) -> Option<&str> {
        self.deps.get(key).map(|d| d.id.as_str())
    }

    /// A dependency's ID, or a placeholder while it is still to be created (for settings
    /// shown in a plan before anything exists).
    pub fn dep_or_new(&self, key: &str) -> String {
        self.dep_opt(key)
            .map_or_else(|| format!("(new {key})"), str::to_string)
    }

    /// One output of a dependency (an ALB's DNS name, a DB endpoint).
    pub fn output(&self, key: &str, name: &str) -> Result<&str, Error> {
        let dep = self.deps.get(key).ok_or_else(|| Error::MissingDependency {
            node: self.key.clone(),
            dep: key.to_string(),
        })?;
        dep.outputs.get(name).map(String::as_str).ok_or_else(|| {
            Error::Failed(format!(
                "{key} has no {name} yet (it is not ready); run the command again"
            ))
        })
    }

    pub fn output_opt(&self, key: &str, name: &str) -> Option<&str> {
        self.deps
            .get(key)
            .and_then(|d| d.outputs.get(name))
            .map(String::as_str)
    }

    /// An output this node published on an earlier run (from the state file).
    pub fn recorded_output(&self, name: &str) -> Option<&str> {
        self.recorded
            .as_ref()
            .and_then(|r| r.outputs.get(name))
            .map(String::as_str)
    }

    /// Tell the user something about this resource that is not a failure, in both
    /// languages.
    pub fn warn(&self, message: impl Into<String>, ko: impl Into<String>) {
        if let Some(tx) = &self.events {
            let _ = tx.send(Event {
                key: self.key.clone(),
                kind: self.kind,
                name: self.name.clone(),
                what: What::Warning {
                    message: message.into(),
                    ko: ko.into(),
                },
            });
        }
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

    /// Resources the user built and hawiz only uses: never created, changed or deleted.
    fn adopted(&self) -> bool {
        false
    }

    /// Why destroy leaves it in place, if it does: the user's own (adopted), shared with
    /// other stacks (the permissions boundary), or gone with its parent (a VPC's default
    /// security group).
    /// Why destroy leaves it in place (English, Korean), if it does.
    fn kept(&self) -> Option<(&'static str, &'static str)> {
        self.adopted().then_some(("yours", "사용자의 것"))
    }

    /// Typical time from the create call to ready on AWS, for "elapsed vs typical".
    fn typical(&self) -> Duration {
        Duration::from_secs(2)
    }

    /// The AWS console page of one of these, where there is one.
    fn console(&self, _id: &str, _region: &str) -> Option<String> {
        None
    }

    /// What this resource is billed for (`cost` prices it with the region's table).
    fn charges(&self) -> Vec<super::Charge> {
        Vec::new()
    }

    /// The region whose prices its charges take, when not its node's (a replication
    /// configured from the primary's region bills the copy in the standby's).
    fn billed_in(&self) -> Option<&str> {
        None
    }

    /// What reads its wiring back from AWS for the inspector (`None`: nothing beyond its
    /// ID and console page).
    fn inspector(&self) -> Option<super::inspection::Inspector> {
        None
    }

    /// What replacing it loses, which decides the flag a replacement needs.
    fn replacing(&self) -> super::consequence::Replacing {
        super::consequence::Replacing::Free
    }

    /// Whether its updates may wait for a maintenance window (`--db-now` applies them
    /// at once).
    fn updates_can_wait(&self) -> bool {
        false
    }

    /// What its running copies become when another resource of the plan (`key`, of
    /// `kind`) changes as `altered`, shown as its "instances" change: a group's instances
    /// are replaced when its template gets a new version or the database is new.
    fn renewed_by(
        &self,
        _key: &str,
        _kind: &str,
        _altered: super::consequence::Altered,
    ) -> Option<&'static str> {
        None
    }

    /// What the user is told of it once it is ready (the final screen, `status`), from
    /// its own settings and what it published (`ready`).
    fn facts(&self, _ready: &Dep) -> Vec<super::Fact> {
        Vec::new()
    }

    /// What deleting `id` takes with it (protection turned off, data kept in a final
    /// snapshot or lost), said before destroy asks; `None` for nothing beyond itself.
    async fn deleting(
        &self,
        _cx: &Ctx,
        _id: &str,
    ) -> Result<Option<super::consequence::Deleting>, Error> {
        Ok(None)
    }

    /// What deleting its resources left on purpose (final snapshots), listed after a
    /// destroy.
    async fn remains(&self, _cx: &Ctx) -> Result<Vec<super::consequence::Remains>, Error> {
        Ok(Vec::new())
    }

    /// Live resources that are this node (normally zero or one; more than one means an
    /// earlier duplicate, which destroy removes too), each with its proof, and anything
    /// in the way that is not proven this stack's. Deleted/failed ones don't count.
    async fn find(&self, cx: &Ctx) -> Result<Found, Error>;

    /// Create it (tagged in the same call) and return its ID as soon as AWS answers.
    /// Calls that create or add something go through `cx.aws.once` (no SDK retries): on a
    /// transient error the engine calls `find` again before another `create`.
    async fn create(&self, cx: &Ctx) -> Result<String, Error>;

    /// Wait until the resource is usable (available, running). Safe to run again.
    async fn settle(&self, _cx: &Ctx, _id: &str) -> Result<(), Error> {
        Ok(())
    }

    /// The settings the plan asks for, compared with `read` after every create and on
    /// every run: a difference is updated in place or makes the resource be replaced.
    fn desired(&self, _cx: &Ctx) -> Vec<Setting> {
        Vec::new()
    }

    /// The same settings as they are in AWS now.
    async fn read(&self, _cx: &Ctx, _id: &str) -> Result<Actual, Error> {
        Ok(Actual::new())
    }

    /// Bring the settings that differ to what the plan asks (only `Update` changes are
    /// passed). Must be safe to run again after a crash.
    async fn update(&self, _cx: &Ctx, _id: &str, changes: &[Change]) -> Result<(), Error> {
        Err(Error::Failed(format!(
            "{} cannot be changed in place",
            changes
                .iter()
                .map(|c| c.name)
                .collect::<Vec<_>>()
                .join(", ")
        )))
    }

    /// What dependents may read of a ready resource (kept in the state file).
    async fn outputs(&self, _cx: &Ctx, _id: &str) -> Result<Outputs, Error> {
        Ok(Outputs::new())
    }

    /// Delete it; "already gone" counts as success.
    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error>;

    /// Wait until the delete has finished (for kinds whose deletion takes time).
    async fn wait_deleted(&self, _cx: &Ctx, _id: &str) -> Result<(), Error> {
        Ok(())
    }

    /// Every live resource of this kind tagged `hawiz:stack=<stack>`, whatever its key:
    /// the leftovers sweep of status and destroy. Kinds that carry no tags are found
    /// through their parents and sweep nothing.
    async fn sweep(&self, _cx: &Ctx) -> Result<Vec<Swept>, Error> {
        Ok(Vec::new())
    }
}
