//! A CloudWatch Logs log group of the stack (the VPC's flow logs), kept 30 days.

use super::tags;
use crate::aws::aws;
use crate::engine::settings::{Actual, Change, Setting};
use crate::engine::{Ctx, Error, Found, Outputs, Resource, Swept};
use async_trait::async_trait;

/// Long enough to look into last month's traffic; short enough not to pile up.
pub const RETENTION_DAYS: i32 = 30;

/// DescribeLogGroups' largest page (the fewest calls for a sweep).
const PAGE: i32 = 50;

#[derive(Debug)]
pub struct LogGroup {
    pub name: String,
}

async fn describe(
    cx: &Ctx,
    name: &str,
) -> Result<Option<aws_sdk_cloudwatchlogs::types::LogGroup>, Error> {
    let out = cx
        .aws
        .logs
        .describe_log_groups()
        .log_group_name_prefix(name)
        .send()
        .await
        .map_err(aws("DescribeLogGroups"))?;
    Ok(out
        .log_groups()
        .iter()
        .find(|g| g.log_group_name() == Some(name))
        .cloned())
}

async fn tags_of(cx: &Ctx, arn: &str) -> Result<tags::Read, Error> {
    // The tagging API wants the ARN without the trailing ":*" DescribeLogGroups adds.
    let arn = arn.trim_end_matches(":*");
    let out = cx
        .aws
        .logs
        .list_tags_for_resource()
        .resource_arn(arn)
        .send()
        .await
        .map_err(aws("ListTagsForResource"))?;
    Ok(tags::Read::from_pairs(
        out.tags()
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.as_str(), v.as_str())),
    ))
}

#[async_trait]
impl Resource for LogGroup {
    fn kind(&self) -> &'static str {
        "log-group"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn deps(&self) -> Vec<String> {
        vec![]
    }
    fn console(&self, id: &str, region: &str) -> Option<String> {
        Some(super::console::service(
            region,
            "cloudwatch",
            &format!("logsV2:log-groups/log-group/{}", id.replace('/', "$252F")),
        ))
    }

    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        let Some(g) = describe(cx, &self.name).await? else {
            return Ok(Found::none());
        };
        let t = tags_of(cx, g.arn().unwrap_or_default()).await?;
        Ok(if tags::is_ours(cx, t.pairs()) {
            Found::tagged(vec![self.name.clone()])
        } else {
            Found {
                ours: vec![],
                foreign: vec![crate::engine::foreign(
                    cx,
                    "log group",
                    &self.name,
                    "stack.name",
                )],
            }
        })
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let mut call = cx
            .aws
            .once
            .logs
            .create_log_group()
            .log_group_name(&self.name);
        for (k, v) in tags::pairs(cx) {
            call = call.tags(k, v);
        }
        call.send().await.map_err(aws("CreateLogGroup"))?;
        Ok(self.name.clone())
    }

    fn desired(&self, _cx: &Ctx) -> Vec<Setting> {
        vec![Setting::update(
            "retention days",
            RETENTION_DAYS.to_string(),
        )]
    }

    async fn read(&self, cx: &Ctx, id: &str) -> Result<Actual, Error> {
        let mut a = Actual::new();
        if let Some(g) = describe(cx, id).await? {
            let days = g
                .retention_in_days()
                .map_or_else(|| "never expire".to_string(), |d| d.to_string());
            a.insert("retention days", days.into());
        }
        Ok(a)
    }

    async fn update(&self, cx: &Ctx, id: &str, _changes: &[Change]) -> Result<(), Error> {
        cx.aws
            .once
            .logs
            .put_retention_policy()
            .log_group_name(id)
            .retention_in_days(RETENTION_DAYS)
            .send()
            .await
            .map_err(aws("PutRetentionPolicy"))?;
        Ok(())
    }

    async fn outputs(&self, cx: &Ctx, id: &str) -> Result<Outputs, Error> {
        Ok(
            match describe(cx, id)
                .await?
                .and_then(|g| g.arn().map(str::to_string))
            {
                Some(arn) => [("arn".to_string(), arn.trim_end_matches(":*").to_string())].into(),
                None => Outputs::new(),
            },
        )
    }

    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        cx.aws
            .logs
            .delete_log_group()
            .log_group_name(id)
            .send()
            .await
            .map_err(aws("DeleteLogGroup"))?;
        Ok(())
    }

    /// Every page: an account may hold more of the stack's log groups than one page lists.
    async fn sweep(&self, cx: &Ctx) -> Result<Vec<Swept>, Error> {
        let mut pages = cx
            .aws
            .logs
            .describe_log_groups()
            .log_group_name_prefix(format!("/hawiz/{}/", cx.stack))
            .limit(PAGE)
            .into_paginator()
            .send();
        let mut swept = Vec::new();
        while let Some(page) = pages.next().await {
            for g in page.map_err(aws("DescribeLogGroups"))?.log_groups() {
                let t = tags_of(cx, g.arn().unwrap_or_default()).await?;
                swept.extend(tags::swept(&cx.stack, g.log_group_name(), t.pairs()));
            }
        }
        Ok(swept)
    }
}
