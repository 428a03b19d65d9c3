//! The Auto Scaling group in the private subnets, behind the target group, and its
//! target-tracking policy on average CPU.

use crate::aws::aws;
use crate::engine::wait::{self, Poll};
use crate::engine::{Ctx, Error, Resource};
use async_trait::async_trait;
use aws_sdk_autoscaling::types::{
    LaunchTemplateSpecification, MetricType, PredefinedMetricSpecification, Tag,
    TargetTrackingConfiguration,
};
use std::time::Duration;

/// Time a new instance gets (boot, packages, EFS mount) before ELB health checks count.
pub const GRACE_SECONDS: i32 = 300;

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

async fn group(
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

    async fn find(&self, cx: &Ctx) -> Result<Vec<String>, Error> {
        let Some(g) = group(cx, &self.name).await? else {
            return Ok(vec![]);
        };
        if g.status().is_some_and(|s| s.contains("Delete")) {
            return Ok(vec![]);
        }
        let ours = g.tags().iter().any(|t| {
            t.key() == Some(crate::aws::ec2::STACK_TAG) && t.value() == Some(cx.stack.as_str())
        });
        if !ours {
            return Err(Error::Failed(format!(
                "an Auto Scaling group named {} already exists and is not part of stack {}",
                self.name, cx.stack
            )));
        }
        Ok(vec![self.name.clone()])
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let subnets = self
            .subnets
            .iter()
            .map(|k| cx.dep(k).map(str::to_string))
            .collect::<Result<Vec<_>, _>>()?;
        let tag = |k: &str, v: &str, propagate: bool| {
            Tag::builder()
                .key(k)
                .value(v)
                .propagate_at_launch(propagate)
                .resource_id(&self.name)
                .resource_type("auto-scaling-group")
                .build()
        };
        cx.aws
            .once
            .autoscaling
            .create_auto_scaling_group()
            .auto_scaling_group_name(&self.name)
            .launch_template(
                LaunchTemplateSpecification::builder()
                    .launch_template_id(cx.dep(&self.launch_template)?)
                    .version("$Latest")
                    .build(),
            )
            .min_size(count(self.min))
            .desired_capacity(count(self.desired))
            .max_size(count(self.max))
            .vpc_zone_identifier(subnets.join(","))
            .target_group_arns(cx.dep(&self.target_group)?)
            // Replace instances the load balancer finds unhealthy, not only dead ones.
            .health_check_type("ELB")
            .health_check_grace_period(GRACE_SECONDS)
            .tags(tag("Name", &self.instance_name, true))
            .tags(tag(crate::aws::ec2::STACK_TAG, &cx.stack, true))
            .tags(tag(crate::aws::ec2::KEY_TAG, &cx.key, false))
            .send()
            .await
            .map_err(aws("CreateAutoScalingGroup"))?;
        Ok(self.name.clone())
    }

    /// Group metrics on (what the console's Monitoring tab and CloudWatch show).
    async fn settle(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        cx.aws
            .once
            .autoscaling
            .enable_metrics_collection()
            .auto_scaling_group_name(id)
            .granularity("1Minute")
            .send()
            .await
            .map_err(aws("EnableMetricsCollection"))?;
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
}

#[derive(Debug)]
pub struct CpuPolicy {
    pub name: String,
    pub group: String,
    pub target: f64,
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

    async fn find(&self, cx: &Ctx) -> Result<Vec<String>, Error> {
        let Some(group) = cx.dep_opt(&self.group) else {
            return Ok(vec![]);
        };
        let out = cx
            .aws
            .autoscaling
            .describe_policies()
            .auto_scaling_group_name(group)
            .policy_names(&self.name)
            .send()
            .await
            .map_err(aws("DescribePolicies"))?;
        Ok(out
            .scaling_policies()
            .iter()
            .filter_map(|p| p.policy_arn().map(str::to_string))
            .collect())
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
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
        if let Some(arn) = out.policy_arn() {
            return Ok(arn.to_string());
        }
        // moto answers without the ARN; the policy is there all the same.
        self.find(cx).await?.into_iter().next().ok_or_else(|| {
            Error::Failed("PutScalingPolicy returned no ARN and the policy is not listed".into())
        })
    }

    async fn delete(&self, cx: &Ctx, _id: &str) -> Result<(), Error> {
        let Some(group) = cx.dep_opt(&self.group) else {
            return Ok(());
        };
        let out = cx
            .aws
            .autoscaling
            .delete_policy()
            .auto_scaling_group_name(group)
            .policy_name(&self.name)
            .send()
            .await
            .map_err(aws("DeletePolicy"));
        match out {
            Err(e) if e.message.contains("not found") => Ok(()),
            other => other.map(|_| ()).map_err(Error::from),
        }
    }
}
