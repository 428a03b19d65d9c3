//! How the group changes size: the target-tracking policy on average CPU, and seed 003's
//! other ways, simple scaling policies (driven by CloudWatch alarms, see `alarm`) and
//! scheduled actions. All live inside the group and are named there, so the group proves
//! they are ours.

use super::autoscaling::GRACE_SECONDS;
use crate::aws::aws;
use crate::engine::Fact;
use crate::engine::settings::{Actual, Change, Setting};
use crate::engine::{Ctx, Error, Found, Proof, Resource};
use async_trait::async_trait;
use aws_sdk_autoscaling::types::{
    MetricType, PredefinedMetricSpecification, TargetTrackingConfiguration,
};
use std::time::Duration;

/// A simple scaling policy: add (or remove) `adjustment` instances, then wait `cooldown`.
#[derive(Debug)]
pub struct SimplePolicy {
    pub name: String,
    /// The group's node, which the policy waits for.
    pub group: String,
    /// The group's name: the policy is reached through it, also after the group's node
    /// has left the graph (a policy removed from the plan).
    pub group_name: String,
    pub adjustment: i32,
    pub cooldown_secs: u32,
}

impl SimplePolicy {
    async fn put(&self, cx: &Ctx) -> Result<Option<String>, Error> {
        let out = cx
            .aws
            .once
            .autoscaling
            .put_scaling_policy()
            .auto_scaling_group_name(cx.dep(&self.group)?)
            .policy_name(&self.name)
            .policy_type("SimpleScaling")
            .adjustment_type("ChangeInCapacity")
            .scaling_adjustment(self.adjustment)
            .cooldown(i32::try_from(self.cooldown_secs).unwrap_or(i32::MAX))
            .send()
            .await
            .map_err(aws("PutScalingPolicy"))?;
        Ok(out.policy_arn().map(str::to_string))
    }

    async fn policy(
        &self,
        cx: &Ctx,
    ) -> Result<Option<aws_sdk_autoscaling::types::ScalingPolicy>, Error> {
        describe_policy(cx, &self.group_name, &self.name).await
    }
}

/// A scaling policy of a group, by name (every policy kind lives in its group).
pub(super) async fn describe_policy(
    cx: &Ctx,
    group: &str,
    name: &str,
) -> Result<Option<aws_sdk_autoscaling::types::ScalingPolicy>, Error> {
    let out = cx
        .aws
        .autoscaling
        .describe_policies()
        .auto_scaling_group_name(group)
        .policy_names(name)
        .send()
        .await
        .map_err(aws("DescribePolicies"))?;
    Ok(out.scaling_policies().first().cloned())
}

/// Policies live in our group and are named there: the one of that name is ours.
pub(super) async fn find_policy(cx: &Ctx, group: &str, name: &str) -> Result<Found, Error> {
    Ok(Found::with(
        describe_policy(cx, group, name)
            .await?
            .and_then(|p| p.policy_arn().map(str::to_string))
            .into_iter()
            .collect(),
        Proof::Parent,
    ))
}

/// Delete a group's policy; one already gone is fine.
pub(super) async fn delete_policy(cx: &Ctx, group: &str, name: &str) -> Result<(), Error> {
    let out = cx
        .aws
        .autoscaling
        .delete_policy()
        .auto_scaling_group_name(group)
        .policy_name(name)
        .send()
        .await
        .map_err(aws("DeletePolicy"));
    match out {
        Err(e) if e.message.contains("not found") => Ok(()),
        other => other.map(|_| ()).map_err(Error::from),
    }
}

/// The ARN PutScalingPolicy answered with, or (moto answers without one) the policy's
/// as listed in its group.
pub(super) async fn created_arn(
    answered: Option<String>,
    cx: &Ctx,
    group: &str,
    name: &str,
) -> Result<String, Error> {
    if let Some(arn) = answered {
        return Ok(arn);
    }
    describe_policy(cx, group, name)
        .await?
        .and_then(|p| p.policy_arn().map(str::to_string))
        .ok_or_else(|| {
            Error::Failed("PutScalingPolicy returned no ARN and the policy is not listed".into())
        })
}

#[async_trait]
impl Resource for SimplePolicy {
    fn kind(&self) -> &'static str {
        "scaling-policy"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn deps(&self) -> Vec<String> {
        vec![self.group.clone()]
    }

    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        find_policy(cx, &self.group_name, &self.name).await
    }

    /// The policy's ARN is its ID: the alarm that drives it names it as its action.
    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let answered = self.put(cx).await?;
        created_arn(answered, cx, &self.group_name, &self.name).await
    }

    fn desired(&self, _cx: &Ctx) -> Vec<Setting> {
        vec![
            Setting::update("adjustment", format!("{:+}", self.adjustment)),
            Setting::update("cooldown s", self.cooldown_secs),
        ]
    }

    async fn read(&self, cx: &Ctx, _id: &str) -> Result<Actual, Error> {
        let mut a = Actual::new();
        if let Some(p) = self.policy(cx).await? {
            if let Some(n) = p.scaling_adjustment() {
                a.insert("adjustment", format!("{n:+}").into());
            }
            if let Some(c) = p.cooldown() {
                a.insert("cooldown s", c.to_string().into());
            }
        }
        Ok(a)
    }

    /// PutScalingPolicy with the same name changes it in place (and keeps its ARN).
    async fn update(&self, cx: &Ctx, _id: &str, _changes: &[Change]) -> Result<(), Error> {
        self.put(cx).await.map(|_| ())
    }

    async fn delete(&self, cx: &Ctx, _id: &str) -> Result<(), Error> {
        delete_policy(cx, &self.group_name, &self.name).await
    }
}

/// A scheduled action: from each run of `recurrence` (cron, in `time_zone`) on, the group
/// has these sizes.
#[derive(Debug)]
pub struct ScheduledAction {
    pub name: String,
    /// The group's node, which the policy waits for.
    pub group: String,
    /// The group's name: the policy is reached through it, also after the group's node
    /// has left the graph (a policy removed from the plan).
    pub group_name: String,
    pub recurrence: String,
    pub time_zone: String,
    pub min: u32,
    pub desired: u32,
    pub max: u32,
}

fn size(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

impl ScheduledAction {
    async fn put(&self, cx: &Ctx) -> Result<(), Error> {
        cx.aws
            .once
            .autoscaling
            .put_scheduled_update_group_action()
            .auto_scaling_group_name(cx.dep(&self.group)?)
            .scheduled_action_name(&self.name)
            .recurrence(&self.recurrence)
            .time_zone(&self.time_zone)
            .min_size(size(self.min))
            .desired_capacity(size(self.desired))
            .max_size(size(self.max))
            .send()
            .await
            .map_err(aws("PutScheduledUpdateGroupAction"))?;
        Ok(())
    }

    async fn action(
        &self,
        cx: &Ctx,
    ) -> Result<Option<aws_sdk_autoscaling::types::ScheduledUpdateGroupAction>, Error> {
        let group = &self.group_name;
        let out = cx
            .aws
            .autoscaling
            .describe_scheduled_actions()
            .auto_scaling_group_name(group)
            .scheduled_action_names(&self.name)
            .send()
            .await
            .map_err(aws("DescribeScheduledActions"))?;
        Ok(out
            .scheduled_update_group_actions()
            .iter()
            .find(|a| a.scheduled_action_name() == Some(self.name.as_str()))
            .cloned())
    }
}

#[async_trait]
impl Resource for ScheduledAction {
    fn kind(&self) -> &'static str {
        "scheduled-action"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn facts(&self, _ready: &crate::engine::Dep) -> Vec<Fact> {
        vec![Fact::Schedule {
            name: self.name.clone(),
            cron: self.recurrence.clone(),
            timezone: self.time_zone.clone(),
            min: self.min,
            desired: self.desired,
            max: self.max,
        }]
    }
    fn deps(&self) -> Vec<String> {
        vec![self.group.clone()]
    }
    fn typical(&self) -> Duration {
        Duration::from_secs(1)
    }

    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        Ok(Found::with(
            self.action(cx)
                .await?
                .map(|_| self.name.clone())
                .into_iter()
                .collect(),
            Proof::Parent,
        ))
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        self.put(cx).await?;
        Ok(self.name.clone())
    }

    fn desired(&self, _cx: &Ctx) -> Vec<Setting> {
        vec![
            Setting::update("recurrence", self.recurrence.as_str()),
            Setting::update("time zone", self.time_zone.as_str()),
            Setting::update("min", self.min),
            Setting::update("desired", self.desired),
            Setting::update("max", self.max),
        ]
    }

    async fn read(&self, cx: &Ctx, _id: &str) -> Result<Actual, Error> {
        let mut a = Actual::new();
        if let Some(s) = self.action(cx).await? {
            a.insert("recurrence", s.recurrence().unwrap_or_default().into());
            // AWS leaves the zone out of the answer when it is UTC.
            a.insert("time zone", s.time_zone().unwrap_or("UTC").into());
            for (name, n) in [
                ("min", s.min_size()),
                ("desired", s.desired_capacity()),
                ("max", s.max_size()),
            ] {
                if let Some(n) = n {
                    a.insert(name, n.to_string().into());
                }
            }
        }
        Ok(a)
    }

    async fn update(&self, cx: &Ctx, _id: &str, _changes: &[Change]) -> Result<(), Error> {
        self.put(cx).await
    }

    async fn delete(&self, cx: &Ctx, _id: &str) -> Result<(), Error> {
        let group = &self.group_name;
        let out = cx
            .aws
            .autoscaling
            .delete_scheduled_action()
            .auto_scaling_group_name(group)
            .scheduled_action_name(&self.name)
            .send()
            .await
            .map_err(aws("DeleteScheduledAction"));
        match out {
            Err(e) if e.message.contains("not found") || e.message.contains("does not exist") => {
                Ok(())
            }
            other => other.map(|_| ()).map_err(Error::from),
        }
    }
}

#[derive(Debug)]
pub struct CpuPolicy {
    pub name: String,
    /// The group's node, which the policy waits for.
    pub group: String,
    /// The group's name: the policy is reached through it, also after the group's node
    /// has left the graph (a policy removed from the plan).
    pub group_name: String,
    pub target: f64,
}

impl CpuPolicy {
    async fn put(&self, cx: &Ctx) -> Result<Option<String>, Error> {
        let out = cx
            .aws
            .once
            .autoscaling
            .put_scaling_policy()
            .auto_scaling_group_name(cx.dep(&self.group)?)
            .policy_name(&self.name)
            .policy_type("TargetTrackingScaling")
            .estimated_instance_warmup(GRACE_SECONDS)
            .target_tracking_configuration(
                TargetTrackingConfiguration::builder()
                    .predefined_metric_specification(
                        PredefinedMetricSpecification::builder()
                            .predefined_metric_type(MetricType::AsgAverageCpuUtilization)
                            .build(),
                    )
                    .target_value(self.target)
                    .build(),
            )
            .send()
            .await
            .map_err(aws("PutScalingPolicy"))?;
        Ok(out.policy_arn().map(str::to_string))
    }

    async fn policy(
        &self,
        cx: &Ctx,
    ) -> Result<Option<aws_sdk_autoscaling::types::ScalingPolicy>, Error> {
        describe_policy(cx, &self.group_name, &self.name).await
    }
}

#[async_trait]
impl Resource for CpuPolicy {
    fn kind(&self) -> &'static str {
        "scaling-policy"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn deps(&self) -> Vec<String> {
        vec![self.group.clone()]
    }

    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        find_policy(cx, &self.group_name, &self.name).await
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let answered = self.put(cx).await?;
        created_arn(answered, cx, &self.group_name, &self.name).await
    }

    fn desired(&self, _cx: &Ctx) -> Vec<Setting> {
        vec![Setting::update(
            "target CPU %",
            format!("{:.1}", self.target),
        )]
    }

    async fn read(&self, cx: &Ctx, _id: &str) -> Result<Actual, Error> {
        let mut a = Actual::new();
        if let Some(t) = self.policy(cx).await?.and_then(|p| {
            p.target_tracking_configuration()
                .and_then(|t| t.target_value())
        }) {
            a.insert("target CPU %", format!("{t:.1}").into());
        }
        Ok(a)
    }

    /// PutScalingPolicy with the same name replaces the policy's settings in place.
    async fn update(&self, cx: &Ctx, _id: &str, _changes: &[Change]) -> Result<(), Error> {
        self.put(cx).await.map(|_| ())
    }

    async fn delete(&self, cx: &Ctx, _id: &str) -> Result<(), Error> {
        delete_policy(cx, &self.group_name, &self.name).await
    }
}
