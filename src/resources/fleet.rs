//! The app tier as AWS sees it right now: the Auto Scaling group and the target group's
//! health, read by the serving wait, the drill, the inspector and the summary alike.

use crate::aws::{AwsError, Clients, aws};
use aws_sdk_autoscaling::types::AutoScalingGroup;
use std::collections::BTreeMap;

/// One registered target: its ID, health state ("healthy", "initial", "draining", ...)
/// and the reason AWS gives when it is not healthy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub id: String,
    pub state: String,
    pub reason: Option<String>,
    /// AWS's words for it ("Health checks failed with these codes: [302]").
    pub description: Option<String>,
}

/// The group of that name, if it exists.
pub async fn group(c: &Clients, name: &str) -> Result<Option<AutoScalingGroup>, AwsError> {
    let out = c
        .autoscaling
        .describe_auto_scaling_groups()
        .auto_scaling_group_names(name)
        .send()
        .await
        .map_err(aws("DescribeAutoScalingGroups"))?;
    Ok(out.auto_scaling_groups().first().cloned())
}

/// Every instance of the group: ID → AZ.
pub fn zones(g: &AutoScalingGroup) -> BTreeMap<String, String> {
    instances(g, |_| true)
}

/// Instances the group launched that are still setting up behind its launch hook
/// (`Pending:Wait`, `Pending:Proceed`, `Pending`): ID → lifecycle state. They are not in
/// the target group yet.
pub fn setting_up(g: &AutoScalingGroup) -> BTreeMap<String, String> {
    g.instances()
        .iter()
        .filter_map(|i| {
            let state = i.lifecycle_state()?.as_str();
            let id = i.instance_id()?;
            state
                .starts_with("Pending")
                .then(|| (id.to_string(), state.to_string()))
        })
        .collect()
}

/// The group's in-service instances: ID → AZ.
pub fn in_service(g: &AutoScalingGroup) -> BTreeMap<String, String> {
    instances(g, |state| state == Some("InService"))
}

fn instances(
    g: &AutoScalingGroup,
    keep: impl Fn(Option<&str>) -> bool,
) -> BTreeMap<String, String> {
    g.instances()
        .iter()
        .filter(|i| keep(i.lifecycle_state().map(|s| s.as_str())))
        .filter_map(|i| {
            Some((
                i.instance_id()?.to_string(),
                i.availability_zone().unwrap_or_default().to_string(),
            ))
        })
        .collect()
}

/// The targets registered in a target group, with their health.
pub async fn targets(c: &Clients, target_group: &str) -> Result<Vec<Target>, AwsError> {
    let out = c
        .elb
        .describe_target_health()
        .target_group_arn(target_group)
        .send()
        .await
        .map_err(aws("DescribeTargetHealth"))?;
    Ok(out
        .target_health_descriptions()
        .iter()
        .filter_map(|d| {
            let h = d.target_health();
            Some(Target {
                id: d.target()?.id()?.to_string(),
                state: h
                    .and_then(|h| h.state())
                    .map_or("unknown", |s| s.as_str())
                    .to_string(),
                reason: h.and_then(|h| h.reason()).map(|r| r.as_str().to_string()),
                description: h.and_then(|h| h.description()).map(str::to_string),
            })
        })
        .collect())
}
