//! The Auto Scaling group in the private subnets, behind the target group, and its
//! target-tracking policy on average CPU. A changed launch template replaces the running
//! instances a few at a time (instance refresh).

use super::tags;
use crate::aws::aws;
use crate::engine::settings::{Actual, Change, Setting, Value};
use crate::engine::wait::{self, Poll};
use crate::engine::{Ctx, Error, Found, Resource, Swept};
use async_trait::async_trait;
use aws_sdk_autoscaling::types::{
    Filter, LaunchTemplateSpecification, LifecycleHookSpecification, MetricType,
    PredefinedMetricSpecification, RefreshPreferences, Tag, TargetTrackingConfiguration,
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

/// The group's instances that were not launched from the template's latest version:
/// another version number, or (where the number is not told apart, as in moto) another
/// image, type, key pair or security groups than the latest version has.
async fn stale(
    cx: &Ctx,
    template: &str,
    g: &aws_sdk_autoscaling::types::AutoScalingGroup,
) -> Result<Vec<String>, Error> {
    let want = |name: &str| cx.output_opt(template, name);
    let Some(version) = want("version") else {
        return Ok(vec![]);
    };
    let live: Vec<&aws_sdk_autoscaling::types::Instance> = g
        .instances()
        .iter()
        .filter(|i| {
            !matches!(
                i.lifecycle_state().map(|s| s.as_str()),
                Some("Terminating" | "Terminating:Wait" | "Terminating:Proceed" | "Terminated")
            )
        })
        .collect();
    let mut out: Vec<String> = live
        .iter()
        .filter(|i| {
            i.launch_template()
                .and_then(|t| t.version())
                .is_some_and(|v| v.parse::<u64>().is_ok() && v != version)
        })
        .filter_map(|i| i.instance_id().map(str::to_string))
        .collect();
    let ids: Vec<String> = live
        .iter()
        .filter_map(|i| i.instance_id().map(str::to_string))
        .collect();
    if ids.is_empty() {
        return Ok(out);
    }
    let described = cx
        .ec2()
        .describe_instances()
        .set_instance_ids(Some(ids))
        .send()
        .await
        .map_err(aws("DescribeInstances"))?;
    for i in described.reservations().iter().flat_map(|r| r.instances()) {
        let mut groups: Vec<&str> = i
            .security_groups()
            .iter()
            .filter_map(|g| g.group_id())
            .collect();
        groups.sort_unstable();
        let differs = want("image").is_some_and(|v| Some(v) != i.image_id())
            || want("instance type")
                .is_some_and(|v| Some(v) != i.instance_type().map(|t| t.as_str()))
            || want("key pair").is_some_and(|v| v != i.key_name().unwrap_or_default())
            || want("security groups").is_some_and(|v| v != groups.join(","));
        if let Some(id) = i.instance_id()
            && differs
            && !out.iter().any(|o| o == id)
        {
            out.push(id.to_string());
        }
    }
    out.sort();
    Ok(out)
}

impl AutoScalingGroup {
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

    /// Replace instances of an older template version (all of them when the run rolls
    /// the instances: AWS's refresh replaces every instance unless told to skip matching
    /// ones), keeping at least half in service, and wait until it is done.
    async fn refresh(&self, cx: &Ctx) -> Result<(), Error> {
        let started = cx
            .aws
            .once
            .autoscaling
            .start_instance_refresh()
            .auto_scaling_group_name(&self.name)
            .preferences(
                RefreshPreferences::builder()
                    .min_healthy_percentage(50)
                    .instance_warmup(GRACE_SECONDS)
                    .build(),
            )
            .send()
            .await
            .map_err(aws("StartInstanceRefresh"));
        match started {
            Ok(_) => {}
            Err(e) if e.code.as_deref() == Some("InstanceRefreshInProgress") => {}
            // No such operation here (moto answers a bare 500): replace them ourselves.
            Err(e) if e.code.is_none() || e.code.as_deref() == Some("InvalidAction") => {
                return self.replace_one_by_one(cx, cx.options.roll_instances).await;
            }
            Err(e) => return Err(e.into()),
        }
        wait::until(
            &format!("instance refresh of {}", self.name),
            Duration::from_secs(60 * 60),
            || async {
                let out = cx
                    .aws
                    .autoscaling
                    .describe_instance_refreshes()
                    .auto_scaling_group_name(&self.name)
                    .max_records(1)
                    .send()
                    .await
                    .map_err(aws("DescribeInstanceRefreshes"))?;
                let status = out
                    .instance_refreshes()
                    .first()
                    .and_then(|r| r.status())
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default();
                match status.as_str() {
                    "Successful" | "" => Ok(Poll::Ready),
                    "Failed" | "Cancelled" | "RollbackSuccessful" | "RollbackFailed" => {
                        Err(Error::Failed(format!(
                            "the instance refresh of {} ended {status}; see the group's Instance \
                             refresh tab",
                            self.name
                        )))
                    }
                    _ => Ok(Poll::Pending),
                }
            },
        )
        .await
    }
}

impl AutoScalingGroup {
    /// What an instance refresh does, step by step: terminate one stale instance (or,
    /// with `all`, every instance) without lowering the desired size, wait until the
    /// group is back at full strength, next.
    async fn replace_one_by_one(&self, cx: &Ctx, all: bool) -> Result<(), Error> {
        let Some(g) = group(cx, &self.name).await? else {
            return Ok(());
        };
        let ids = if all {
            g.instances()
                .iter()
                .filter(|i| i.lifecycle_state().map(|s| s.as_str()) == Some("InService"))
                .filter_map(|i| i.instance_id().map(str::to_string))
                .collect()
        } else {
            stale(cx, &self.launch_template, &g).await?
        };
        for id in ids {
            cx.aws
                .once
                .autoscaling
                .terminate_instance_in_auto_scaling_group()
                .instance_id(&id)
                .should_decrement_desired_capacity(false)
                .send()
                .await
                .map_err(aws("TerminateInstanceInAutoScalingGroup"))?;
            wait::until(
                &format!("a replacement for {id} in {}", self.name),
                Duration::from_secs(20 * 60),
                || async {
                    let Some(g) = group(cx, &self.name).await? else {
                        return Ok(Poll::Ready);
                    };
                    let serving = g
                        .instances()
                        .iter()
                        .filter(|i| i.instance_id() != Some(id.as_str()))
                        .filter(|i| i.lifecycle_state().map(|s| s.as_str()) == Some("InService"))
                        .count();
                    let want = g.desired_capacity().unwrap_or(0);
                    Ok(if i32::try_from(serving).unwrap_or(0) >= want {
                        Poll::Ready
                    } else {
                        Poll::Pending
                    })
                },
            )
            .await?;
        }
        Ok(())
    }
}

#[async_trait]
impl Resource for AutoScalingGroup {
    fn kind(&self) -> &'static str {
        "autoscaling-group"
    }
    fn name(&self) -> &str {
        &self.name
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
        let mut a = Actual::new();
        let Some(g) = group(cx, id).await? else {
            return Ok(a);
        };
        let n = |v: Option<i32>| Value::One(v.map(|v| v.to_string()).unwrap_or_default());
        a.insert("min", n(g.min_size()));
        a.insert("max", n(g.max_size()));
        let planned = pairs(&g)
            .find(|(k, _)| *k == PLANNED)
            .map(|(_, v)| v.to_string())
            .unwrap_or_else(|| "(not recorded)".into());
        a.insert("desired", planned.into());
        a.insert(
            "subnets",
            Value::set(
                g.vpc_zone_identifier()
                    .unwrap_or_default()
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty()),
            ),
        );
        a.insert(
            "launch template",
            g.launch_template()
                .and_then(|t| t.launch_template_id())
                .unwrap_or_default()
                .into(),
        );
        a.insert("target groups", Value::set(g.target_group_arns()));
        a.insert(
            "health check",
            format!(
                "{}, {} s grace",
                g.health_check_type().unwrap_or_default(),
                g.health_check_grace_period().unwrap_or(0)
            )
            .into(),
        );
        let hooks = cx
            .aws
            .autoscaling
            .describe_lifecycle_hooks()
            .auto_scaling_group_name(id)
            .send()
            .await
            .map_err(aws("DescribeLifecycleHooks"))?;
        let hook = hooks
            .lifecycle_hooks()
            .iter()
            .find(|h| {
                h.lifecycle_hook_name() == Some(LAUNCH_HOOK)
                    && h.lifecycle_transition() == Some(HOOK_TRANSITION)
            })
            .map_or_else(
                || "(none)".to_string(),
                |h| {
                    hook_text(
                        h.heartbeat_timeout().unwrap_or(0),
                        h.default_result().unwrap_or_default(),
                    )
                },
            );
        a.insert("launch hook", hook.into());
        let on: Vec<&str> = g
            .enabled_metrics()
            .iter()
            .filter_map(|m| m.metric())
            .collect();
        a.insert(
            "group metrics",
            METRICS.iter().all(|m| on.contains(m)).into(),
        );
        let stale = stale(cx, &self.launch_template, &g).await?;
        a.insert(
            "instances on the latest template",
            if cx.options.roll_instances {
                ROLL.to_string()
            } else if stale.is_empty() {
                CURRENT.to_string()
            } else {
                format!("{} on an older version", stale.join(", "))
            }
            .into(),
        );
        Ok(a)
    }

    async fn update(&self, cx: &Ctx, id: &str, changes: &[Change]) -> Result<(), Error> {
        let asg = &cx.aws.once.autoscaling;
        let changed = |name: &str| changes.iter().any(|c| c.name == name);
        if [
            "min",
            "max",
            "desired",
            "subnets",
            "launch template",
            "health check",
        ]
        .iter()
        .any(|n| changed(n))
        {
            let mut call = asg
                .update_auto_scaling_group()
                .auto_scaling_group_name(id)
                .min_size(count(self.min))
                .max_size(count(self.max))
                .vpc_zone_identifier(self.subnet_ids(cx)?)
                .launch_template(self.template(cx)?)
                .health_check_type("ELB")
                .health_check_grace_period(GRACE_SECONDS);
            // The planned size when the plan changed it; otherwise scaling's choice,
            // kept inside the (maybe new) bounds.
            let current = group(cx, id)
                .await?
                .and_then(|g| g.desired_capacity())
                .and_then(|d| u32::try_from(d).ok())
                .unwrap_or(self.desired);
            let desired = if changed("desired") {
                self.desired
            } else {
                current
            };
            call = call.desired_capacity(count(desired.clamp(self.min, self.max)));
            call.send().await.map_err(aws("UpdateAutoScalingGroup"))?;
            asg.create_or_update_tags()
                .tags(self.tag(PLANNED, &self.desired.to_string(), false))
                .send()
                .await
                .map_err(aws("CreateOrUpdateTags"))?;
        }
        if let Some(c) = changes.iter().find(|c| c.name == "target groups")
            && let (Value::Set(old), Value::Set(new)) = (&c.old, &c.new)
        {
            let add: Vec<String> = new.difference(old).cloned().collect();
            let remove: Vec<String> = old.difference(new).cloned().collect();
            if !add.is_empty() {
                asg.attach_load_balancer_target_groups()
                    .auto_scaling_group_name(id)
                    .set_target_group_arns(Some(add))
                    .send()
                    .await
                    .map_err(aws("AttachLoadBalancerTargetGroups"))?;
            }
            if !remove.is_empty() {
                asg.detach_load_balancer_target_groups()
                    .auto_scaling_group_name(id)
                    .set_target_group_arns(Some(remove))
                    .send()
                    .await
                    .map_err(aws("DetachLoadBalancerTargetGroups"))?;
            }
        }
        // Put again, the hook takes the settings asked for (new instances only).
        if changed("launch hook") {
            asg.put_lifecycle_hook()
                .auto_scaling_group_name(id)
                .lifecycle_hook_name(LAUNCH_HOOK)
                .lifecycle_transition(HOOK_TRANSITION)
                .heartbeat_timeout(HOOK_TIMEOUT_SECONDS)
                .default_result(HOOK_DEFAULT)
                .send()
                .await
                .map_err(aws("PutLifecycleHook"))?;
        }
        // Group metrics (what the console's Monitoring tab and CloudWatch show).
        if changed("group metrics") {
            asg.enable_metrics_collection()
                .auto_scaling_group_name(id)
                .set_metrics(Some(METRICS.iter().map(|m| m.to_string()).collect()))
                .granularity("1Minute")
                .send()
                .await
                .map_err(aws("EnableMetricsCollection"))?;
        }
        if changed("instances on the latest template") {
            self.refresh(cx).await?;
        }
        Ok(())
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
        super::scaling::describe_policy(cx, &self.group_name, &self.name).await
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
        super::scaling::find_policy(cx, &self.group_name, &self.name).await
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let answered = self.put(cx).await?;
        super::scaling::created_arn(answered, cx, &self.group_name, &self.name).await
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
        super::scaling::delete_policy(cx, &self.group_name, &self.name).await
    }
}
