//! The target group: HTTP:80 to the app instances, with the health check the load
//! balancer and the Auto Scaling group judge them by.

use super::{arn_suffix, claim, healthy_codes, sweep_arns, tags};
use crate::aws::aws;
use crate::engine::settings::{Actual, Change, Setting};
use crate::engine::{Ctx, Error, Found, Outputs, Resource, Swept};
use async_trait::async_trait;
use aws_sdk_elasticloadbalancingv2::types::{Matcher, ProtocolEnum};

/// Seconds between health checks, and how many answers decide.
pub const INTERVAL: i32 = 10;
pub const HEALTHY: i32 = 2;
pub const UNHEALTHY: i32 = 3;
pub const TIMEOUT: i32 = 5;

#[derive(Debug)]
pub struct TargetGroup {
    pub name: String,
    pub vpc: String,
    pub health_check_path: String,
}

async fn describe(
    cx: &Ctx,
    arn: &str,
) -> Result<Option<aws_sdk_elasticloadbalancingv2::types::TargetGroup>, Error> {
    let out = cx
        .aws
        .elb
        .describe_target_groups()
        .target_group_arns(arn)
        .send()
        .await
        .map_err(aws("DescribeTargetGroups"));
    Ok(match out {
        Ok(o) => o.target_groups().first().cloned(),
        Err(e) if e.is_not_found() => None,
        Err(e) => return Err(e.into()),
    })
}

#[async_trait]
impl Resource for TargetGroup {
    fn kind(&self) -> &'static str {
        "target-group"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn deps(&self) -> Vec<String> {
        vec![self.vpc.clone()]
    }
    fn console(&self, id: &str, region: &str) -> Option<String> {
        Some(crate::resources::console::ec2(
            region,
            &format!("TargetGroup:targetGroupArn={id}"),
        ))
    }

    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        let out = cx
            .aws
            .elb
            .describe_target_groups()
            .names(&self.name)
            .send()
            .await
            .map_err(aws("DescribeTargetGroups"));
        let arns: Vec<String> = match out {
            Ok(o) => o
                .target_groups()
                .iter()
                .filter_map(|t| t.target_group_arn().map(str::to_string))
                .collect(),
            Err(e) if e.is_not_found() => vec![],
            Err(e) => return Err(e.into()),
        };
        claim(cx, arns, "target group", &self.name).await
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let out = cx
            .aws
            .once
            .elb
            .create_target_group()
            .name(&self.name)
            .protocol(ProtocolEnum::Http)
            .port(80)
            .vpc_id(cx.dep(&self.vpc)?)
            .health_check_path(&self.health_check_path)
            .health_check_interval_seconds(INTERVAL)
            .healthy_threshold_count(HEALTHY)
            .unhealthy_threshold_count(UNHEALTHY)
            .health_check_timeout_seconds(TIMEOUT)
            .matcher(
                Matcher::builder()
                    .http_code(healthy_codes(&self.health_check_path))
                    .build(),
            )
            .set_tags(Some(tags::elb(cx)))
            .send()
            .await
            .map_err(aws("CreateTargetGroup"))?;
        out.target_groups()
            .first()
            .and_then(|t| t.target_group_arn())
            .map(str::to_string)
            .ok_or_else(|| Error::Failed("CreateTargetGroup returned no ARN".into()))
    }

    fn desired(&self, cx: &Ctx) -> Vec<Setting> {
        vec![
            Setting::replace(
                "vpc",
                cx.dep_or_new(&self.vpc),
                "a target group cannot move to another VPC",
            ),
            Setting::update("health check path", self.health_check_path.as_str()),
            Setting::update("health check interval s", INTERVAL.to_string()),
            Setting::update("healthy threshold", HEALTHY.to_string()),
            Setting::update("unhealthy threshold", UNHEALTHY.to_string()),
            Setting::update("health check timeout s", TIMEOUT.to_string()),
            Setting::update("success codes", healthy_codes(&self.health_check_path)),
        ]
    }

    async fn read(&self, cx: &Ctx, id: &str) -> Result<Actual, Error> {
        let mut a = Actual::new();
        let Some(t) = describe(cx, id).await? else {
            return Ok(a);
        };
        let n = |v: Option<i32>| v.map(|v| v.to_string()).unwrap_or_default();
        a.insert("vpc", t.vpc_id().unwrap_or_default().into());
        a.insert(
            "health check path",
            t.health_check_path().unwrap_or_default().into(),
        );
        a.insert(
            "health check interval s",
            n(t.health_check_interval_seconds()).into(),
        );
        a.insert("healthy threshold", n(t.healthy_threshold_count()).into());
        a.insert(
            "unhealthy threshold",
            n(t.unhealthy_threshold_count()).into(),
        );
        a.insert(
            "health check timeout s",
            n(t.health_check_timeout_seconds()).into(),
        );
        a.insert(
            "success codes",
            t.matcher()
                .and_then(|m| m.http_code())
                .unwrap_or_default()
                .into(),
        );
        Ok(a)
    }

    async fn update(&self, cx: &Ctx, id: &str, _changes: &[Change]) -> Result<(), Error> {
        cx.aws
            .once
            .elb
            .modify_target_group()
            .target_group_arn(id)
            .health_check_path(&self.health_check_path)
            .health_check_interval_seconds(INTERVAL)
            .healthy_threshold_count(HEALTHY)
            .unhealthy_threshold_count(UNHEALTHY)
            .health_check_timeout_seconds(TIMEOUT)
            .matcher(
                Matcher::builder()
                    .http_code(healthy_codes(&self.health_check_path))
                    .build(),
            )
            .send()
            .await
            .map_err(aws("ModifyTargetGroup"))?;
        Ok(())
    }

    async fn outputs(&self, _cx: &Ctx, id: &str) -> Result<Outputs, Error> {
        Ok([("metric name".to_string(), arn_suffix(id))].into())
    }

    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        cx.aws
            .elb
            .delete_target_group()
            .target_group_arn(id)
            .send()
            .await
            .map_err(aws("DeleteTargetGroup"))?;
        Ok(())
    }

    async fn sweep(&self, cx: &Ctx) -> Result<Vec<Swept>, Error> {
        let mut arns = Vec::new();
        let mut pages = cx.aws.elb.describe_target_groups().into_paginator().send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(aws("DescribeTargetGroups"))?;
            arns.extend(
                page.target_groups()
                    .iter()
                    .filter_map(|t| t.target_group_arn().map(str::to_string)),
            );
        }
        sweep_arns(cx, arns).await
    }
}
