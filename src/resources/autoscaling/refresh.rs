//! Replacing a group's instances: an instance refresh where AWS has one, else the same
//! step by step; and which instances run an older launch template version.

use super::{AutoScalingGroup, GRACE_SECONDS, group};
use crate::aws::aws;
use crate::engine::wait::{self, Poll};
use crate::engine::{Ctx, Error};
use aws_sdk_autoscaling::types::RefreshPreferences;
use std::time::Duration;

/// The group's instances that were not launched from the template's latest version:
/// another version number, or (where the number is not told apart, as in moto) another
/// image, type, key pair or security groups than the latest version has.
pub(super) async fn stale(
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
    // A change to the user data alone (files, domain, alerts) shows in no field above and,
    // where version numbers are not told apart (moto), nowhere else: compare it too.
    if let Some(want) = want("user data") {
        for id in live.iter().filter_map(|i| i.instance_id()) {
            if out.iter().any(|o| o == id) {
                continue;
            }
            let has = cx
                .ec2()
                .describe_instance_attribute()
                .instance_id(id)
                .attribute(aws_sdk_ec2::types::InstanceAttributeName::UserData)
                .send()
                .await
                .map_err(aws("DescribeInstanceAttribute"))?;
            let text = has
                .user_data()
                .and_then(|v| v.value())
                .and_then(|b| crate::userdata::decode(b).ok())
                .unwrap_or_default();
            if crate::resources::launch_template::fingerprint(&text) != want {
                out.push(id.to_string());
            }
        }
    }
    out.sort();
    Ok(out)
}

impl AutoScalingGroup {
    /// Replace instances of an older template version (all of them when the run rolls
    /// the instances: AWS's refresh replaces every instance unless told to skip matching
    /// ones), keeping at least half in service, and wait until it is done.
    pub(super) async fn refresh(&self, cx: &Ctx) -> Result<(), Error> {
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
