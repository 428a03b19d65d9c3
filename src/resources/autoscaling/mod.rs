//! The Auto Scaling group in the private subnets, behind the target group, with its
//! launch hook. A changed launch template replaces the running instances a few at a time
//! (instance refresh: `refresh`); its CPU target-tracking policy is in `scaling`.

mod inspect;
mod refresh;
mod settings;

use super::tags;
use crate::aws::aws;
use crate::engine::Fact;
use crate::engine::charge::{Charge, Role};
use crate::engine::inspection::Inspector;
use crate::engine::settings::{Actual, Change, Setting, Value};
use crate::engine::wait::{self, Poll};
use crate::engine::{Altered, Ctx, Error, Found, Resource, Swept};
use async_trait::async_trait;
use aws_sdk_autoscaling::types::{
    Filter, LaunchTemplateSpecification, LifecycleHookSpecification, Tag,
};
use std::time::Duration;

/// Time a new instance gets (boot, packages, EFS mount) before ELB health checks count.
pub const GRACE_SECONDS: i32 = 300;

/// The launch lifecycle hook: a new instance gets no traffic (and no health check) until
/// its setup script says it is ready (`complete-lifecycle-action CONTINUE`), or gave up
/// (`ABANDON`: the group replaces it). On a first build that includes waiting for the
/// database, so the hook's timeout is AWS's maximum; past it the instance is abandoned.
pub const LAUNCH_HOOK: &str = "hawiz-setup";
const HOOK_TRANSITION: &str = "autoscaling:EC2_INSTANCE_LAUNCHING";
const HOOK_TIMEOUT_SECONDS: i32 = 7200;
const HOOK_DEFAULT: &str = "ABANDON";

fn hook_text(timeout: i32, result: &str) -> String {
    format!("{LAUNCH_HOOK}: ready or {result} after {timeout} s")
}

/// The group's own record of the desired size the plan last asked for. Scaling moves the
/// real desired capacity between min and max, which is not drift; a changed plan is.
const PLANNED: &str = "hawiz:desired";

const CURRENT: &str = "current";
/// What the instances are when the run was asked to replace them all.
const ROLL: &str = "to be replaced for the new database";

/// The group metrics the console's Monitoring tab shows. Named one by one: an empty list
/// means "all" to AWS, but moto stores it as none.
const METRICS: [&str; 8] = [
    "GroupMinSize",
    "GroupMaxSize",
    "GroupDesiredCapacity",
    "GroupInServiceInstances",
    "GroupPendingInstances",
    "GroupStandbyInstances",
    "GroupTerminatingInstances",
    "GroupTotalInstances",
];

#[derive(Debug)]
pub struct AutoScalingGroup {
    /// Group name (also the node ID).
    pub name: String,
    pub launch_template: String,
    pub target_group: String,
    pub subnets: Vec<String>,
    pub min: u32,
    pub desired: u32,
    pub max: u32,
    /// What its launch template launches (for the bill).
    pub instance_type: String,
    /// The (min, max) its scheduled actions set: when a schedule of the plan has moved
    /// them, they are the plan's too, not drift to undo.
    pub scheduled: Vec<(u32, u32)>,
    /// Name tag of the instances.
    pub instance_name: String,
    /// Instances need outbound internet at boot: the private subnets' NAT routes.
    pub after: Vec<String>,
}

pub async fn group(
    cx: &Ctx,
    name: &str,
) -> Result<Option<aws_sdk_autoscaling::types::AutoScalingGroup>, Error> {
    let out = cx
        .aws
        .autoscaling
        .describe_auto_scaling_groups()
        .auto_scaling_group_names(name)
        .send()
        .await
        .map_err(aws("DescribeAutoScalingGroups"))?;
    Ok(out.auto_scaling_groups().first().cloned())
}

fn count(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

fn pairs(g: &aws_sdk_autoscaling::types::AutoScalingGroup) -> impl Iterator<Item = (&str, &str)> {
    g.tags()
        .iter()
        .map(|t| (t.key().unwrap_or_default(), t.value().unwrap_or_default()))
}

impl AutoScalingGroup {
    /// The (min, max) of the plan's schedule the group is at now, if it is at one and not
    /// at the plan's own sizes.
    fn schedule_in_force(
        &self,
        g: &aws_sdk_autoscaling::types::AutoScalingGroup,
    ) -> Option<(u32, u32)> {
        let now = (
            u32::try_from(g.min_size()?).ok()?,
            u32::try_from(g.max_size()?).ok()?,
        );
        (now != (self.min, self.max) && self.scheduled.contains(&now)).then_some(now)
    }

    fn tag(&self, k: &str, v: &str, propagate: bool) -> Tag {
        Tag::builder()
            .key(k)
            .value(v)
            .propagate_at_launch(propagate)
            .resource_id(&self.name)
            .resource_type("auto-scaling-group")
            .build()
    }

    fn subnet_ids(&self, cx: &Ctx) -> Result<String, Error> {
        Ok(self
            .subnets
            .iter()
            .map(|k| cx.dep(k).map(str::to_string))
            .collect::<Result<Vec<_>, _>>()?
            .join(","))
    }

    fn template(&self, cx: &Ctx) -> Result<LaunchTemplateSpecification, Error> {
        Ok(LaunchTemplateSpecification::builder()
            .launch_template_id(cx.dep(&self.launch_template)?)
            .version("$Latest")
            .build())
    }
}

pub const KIND: &str = "autoscaling-group";

#[async_trait]
impl Resource for AutoScalingGroup {
    fn kind(&self) -> &'static str {
        KIND
    }
    /// Its template's new version replaces the instances (an instance refresh); a new,
    /// empty database has no user for WordPress, which each instance makes at boot, so
    /// every instance is replaced once it is up.
    fn renewed_by(&self, key: &str, kind: &str, altered: Altered) -> Option<&'static str> {
        match (kind, altered) {
            (crate::resources::launch_template::KIND, Altered::Updated)
                if key == self.launch_template =>
            {
                Some("replaced from the new template version (instance refresh)")
            }
            (crate::resources::db_instance::KIND, Altered::Replaced) => Some(
                "all replaced once the new database is up (each boot makes WordPress's \
                 database user and finishes the install)",
            ),
            _ => None,
        }
    }
    fn name(&self) -> &str {
        &self.name
    }

    fn inspector(&self) -> Option<Inspector> {
        Some(|clients, id| Box::pin(inspect::inspector(clients, id)))
    }
    fn facts(&self, _ready: &crate::engine::Dep) -> Vec<Fact> {
        vec![Fact::AppGroup {
            name: self.name.clone(),
        }]
    }
    /// Its instances in steady state (it grows to `max` only under load) and their root
    /// volumes.
    fn charges(&self) -> Vec<Charge> {
        vec![
            Charge::Instances {
                role: Role::App,
                instance_type: self.instance_type.clone(),
                count: self.desired,
                max: self.max,
            },
            Charge::Volumes {
                gib: crate::aws::ami::MIN_ROOT_GIB.unsigned_abs(),
                count: self.desired,
            },
        ]
    }
    fn deps(&self) -> Vec<String> {
        let mut d = vec![self.launch_template.clone(), self.target_group.clone()];
        d.extend(self.subnets.iter().cloned());
        d.extend(self.after.iter().cloned());
        d
    }
    fn typical(&self) -> Duration {
        Duration::from_secs(10)
    }
    fn console(&self, id: &str, region: &str) -> Option<String> {
        Some(crate::resources::console::ec2(
            region,
            &format!("AutoScalingGroupDetails:id={id}"),
        ))
    }

    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        let Some(g) = group(cx, &self.name).await? else {
            return Ok(Found::none());
        };
        if g.status().is_some_and(|s| s.contains("Delete")) {
            return Ok(Found::none());
        }
        Ok(if tags::is_ours(cx, pairs(&g)) {
            Found::tagged(vec![self.name.clone()])
        } else {
            Found {
                ours: vec![],
                foreign: vec![crate::engine::foreign(
                    cx,
                    "Auto Scaling group",
                    &self.name,
                    "stack.name",
                )],
            }
        })
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        cx.aws
            .once
            .autoscaling
            .create_auto_scaling_group()
            .auto_scaling_group_name(&self.name)
            .launch_template(self.template(cx)?)
            .min_size(count(self.min))
            .desired_capacity(count(self.desired))
            .max_size(count(self.max))
            .vpc_zone_identifier(self.subnet_ids(cx)?)
            .target_group_arns(cx.dep(&self.target_group)?)
            // Replace instances the load balancer finds unhealthy, not only dead ones.
            .health_check_type("ELB")
            .health_check_grace_period(GRACE_SECONDS)
            .lifecycle_hook_specification_list(
                LifecycleHookSpecification::builder()
                    .lifecycle_hook_name(LAUNCH_HOOK)
                    .lifecycle_transition(HOOK_TRANSITION)
                    .heartbeat_timeout(HOOK_TIMEOUT_SECONDS)
                    .default_result(HOOK_DEFAULT)
                    .build(),
            )
            .tags(self.tag("Name", &self.instance_name, true))
            .tags(self.tag(tags::STACK_TAG, &cx.stack, true))
            .tags(self.tag(tags::KEY_TAG, &cx.key, false))
            .tags(self.tag(PLANNED, &self.desired.to_string(), false))
            .send()
            .await
            .map_err(aws("CreateAutoScalingGroup"))?;
        Ok(self.name.clone())
    }

    fn desired(&self, cx: &Ctx) -> Vec<Setting> {
        vec![
            Setting::update("min", self.min),
            Setting::update("max", self.max),
            Setting::update("desired", self.desired),
            Setting::update(
                "subnets",
                Value::set(self.subnets.iter().map(|k| cx.dep_or_new(k))),
            ),
            Setting::update("launch template", cx.dep_or_new(&self.launch_template)),
            Setting::update(
                "target groups",
                Value::set([cx.dep_or_new(&self.target_group)]),
            ),
            Setting::update("health check", format!("ELB, {GRACE_SECONDS} s grace")),
            Setting::update("launch hook", hook_text(HOOK_TIMEOUT_SECONDS, HOOK_DEFAULT)),
            Setting::update("group metrics", true),
            Setting::update("instances on the latest template", CURRENT),
        ]
    }

    async fn read(&self, cx: &Ctx, id: &str) -> Result<Actual, Error> {
        self.read_live(cx, id).await
    }

    async fn update(&self, cx: &Ctx, id: &str, changes: &[Change]) -> Result<(), Error> {
        self.change(cx, id, changes).await
    }

    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        let out = cx
            .aws
            .autoscaling
            .delete_auto_scaling_group()
            .auto_scaling_group_name(id)
            .force_delete(true) // terminate its instances too
            .send()
            .await
            .map_err(aws("DeleteAutoScalingGroup"));
        match out {
            Err(e) if e.message.contains("not found") => Ok(()),
            other => other.map(|_| ()).map_err(Error::from),
        }
    }

    /// Its instances hold the subnets and security groups until they terminate.
    async fn wait_deleted(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        wait::until(
            &format!("Auto Scaling group {id} and its instances to go"),
            Duration::from_secs(1200),
            || async {
                Ok(if group(cx, id).await?.is_none() {
                    Poll::Ready
                } else {
                    Poll::Pending
                })
            },
        )
        .await
    }

    async fn sweep(&self, cx: &Ctx) -> Result<Vec<Swept>, Error> {
        let mut pages = cx
            .aws
            .autoscaling
            .describe_tags()
            .filters(
                Filter::builder()
                    .name("key")
                    .values(tags::STACK_TAG)
                    .build(),
            )
            .filters(Filter::builder().name("value").values(&cx.stack).build())
            .into_paginator()
            .send();
        // Every page: DescribeTags answers 50 tags at a time unless asked for more.
        let mut names: Vec<String> = Vec::new();
        while let Some(page) = pages.next().await {
            names.extend(
                page.map_err(aws("DescribeTags"))?
                    .tags()
                    .iter()
                    .filter(|t| t.resource_type() == Some("auto-scaling-group"))
                    .filter_map(|t| t.resource_id().map(str::to_string)),
            );
        }
        names.sort();
        names.dedup();
        let mut swept = Vec::new();
        for name in names {
            if let Some(g) = group(cx, &name).await?
                && !g.status().is_some_and(|s| s.contains("Delete"))
            {
                swept.extend(tags::swept(&cx.stack, Some(&name), pairs(&g)));
            }
        }
        Ok(swept)
    }
}
