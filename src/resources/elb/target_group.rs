//! The target group: HTTP:80 to the app instances, with the health check the load
//! balancer and the Auto Scaling group judge them by.

use super::{arn_suffix, claim, healthy_codes, sweep_arns, tags};
use crate::aws::aws;
use crate::engine::inspection::{Inspection, Inspector};
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

/// Its wiring as the inspector shows it.
async fn inspector(c: &crate::aws::Clients, arn: &str) -> Result<Inspection, String> {
    let mut out = Inspection::default();
    let out = &mut out;
    let r = c
        .elb
        .describe_target_groups()
        .target_group_arns(arn)
        .send()
        .await
        .map_err(aws("DescribeTargetGroups"))
        .map_err(|e| e.to_string())?;
    let Some(t) = r.target_groups().first() else {
        return Err(format!("{arn} was not found"));
    };
    let opt = |v: Option<i32>| v.map_or_else(|| "-".to_string(), |v| v.to_string());
    out.head("Target group", "대상 그룹");
    out.item(format!(
        "{} {}",
        t.protocol().map_or("?", |p| p.as_str()),
        opt(t.port())
    ));
    out.head("Health check", "상태 검사");
    out.item(format!(
        "{} {} {}",
        t.health_check_protocol().map_or("?", |p| p.as_str()),
        t.health_check_port().unwrap_or("traffic-port"),
        t.health_check_path().unwrap_or("/")
    ));
    out.item(format!(
        "interval {} s · timeout {} s · healthy {} · unhealthy {}",
        opt(t.health_check_interval_seconds()),
        opt(t.health_check_timeout_seconds()),
        opt(t.healthy_threshold_count()),
        opt(t.unhealthy_threshold_count())
    ));
    if let Some(m) = t.matcher().and_then(|m| m.http_code()) {
        out.item(format!("matcher: HTTP {m}"));
    }
    if t.health_check_path() == Some(crate::plan::HEALTH_PATH) {
        out.note(
            "hawiz's own health path answers 200 only once WordPress is installed and configured on that instance, checked on the instance (not in the database, so a database failover does not fail every instance at once).",
            "hawiz 전용 상태 검사 경로는 그 인스턴스에 WordPress가 설치되고 설정된 뒤에만 200을 답합니다. 데이터베이스가 아니라 인스턴스에서 확인하므로 데이터베이스 장애 조치 때문에 모든 인스턴스가 한꺼번에 비정상이 되지 않습니다.",
        );
    } else {
        out.note(
            "The matcher accepts redirects (30x): an instance is healthy as soon as its web server answers this path.",
            "성공 코드에 리디렉션(30x)이 포함되어, 웹 서버가 이 경로에 응답하면 바로 정상 인스턴스가 됩니다.",
        );
    }
    out.head("Targets", "대상");
    match crate::resources::fleet::targets(c, arn).await {
        Ok(targets) if targets.is_empty() => out.item("-"),
        Ok(targets) => {
            for t in targets {
                out.item(format!("{}  {}", t.id, t.state));
            }
        }
        Err(e) => out.item(format!("({e})")),
    }
    Ok(std::mem::take(out))
}

#[async_trait]
impl Resource for TargetGroup {
    fn kind(&self) -> &'static str {
        "target-group"
    }
    fn name(&self) -> &str {
        &self.name
    }

    fn inspector(&self) -> Option<Inspector> {
        Some(|clients, id| Box::pin(inspector(clients, id)))
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
