//! CloudWatch metric alarms: the CPU alarms that drive simple scaling (seed 003) and the
//! alerts that mail the stack's topic (unhealthy hosts, 5xx, long high CPU, low storage).
//! Each is tagged at creation; PutMetricAlarm on the same name changes it in place.

use super::tags;
use crate::aws::aws;
use crate::engine::Charge;
use crate::engine::settings::{Actual, Change, Setting, Value};
use crate::engine::{Ctx, Error, Found, Resource, Swept};
use async_trait::async_trait;
use aws_sdk_cloudwatch::types::{
    ComparisonOperator, Dimension, MetricAlarm, StandardUnit, Statistic, Tag,
};
use std::time::Duration;

/// DescribeAlarms' largest page (the fewest calls for a sweep).
const PAGE: i32 = 100;

/// Where a dimension's value comes from: another node's ID (the group's name, the DB
/// identifier) or one of its outputs (the load balancer's metric name).
#[derive(Debug, Clone)]
pub enum DimensionValue {
    Id(String),
    Output { key: String, output: &'static str },
}

#[derive(Debug)]
pub struct Alarm {
    pub name: String,
    pub description: String,
    pub namespace: &'static str,
    pub metric: &'static str,
    pub statistic: Statistic,
    pub dimensions: Vec<(&'static str, DimensionValue)>,
    pub comparison: ComparisonOperator,
    pub threshold: f64,
    pub period_secs: i32,
    pub evaluation_periods: i32,
    /// Nodes whose ID is the ARN the alarm acts on (a scaling policy, the SNS topic).
    pub actions: Vec<String>,
    /// Whether it also tells the topic when it is back to OK.
    pub ok_actions: bool,
    pub unit: Option<StandardUnit>,
}

fn comparison_word(c: &ComparisonOperator) -> &'static str {
    match c {
        ComparisonOperator::GreaterThanOrEqualToThreshold => ">=",
        ComparisonOperator::GreaterThanThreshold => ">",
        ComparisonOperator::LessThanOrEqualToThreshold => "<=",
        ComparisonOperator::LessThanThreshold => "<",
        _ => "?",
    }
}

/// "CPUUtilization Average >= 80 for 1 x 300 s", the way the console's alarm list says it.
fn condition(
    metric: &str,
    statistic: &str,
    comparison: &str,
    threshold: f64,
    periods: i32,
    period: i32,
) -> String {
    format!("{metric} {statistic} {comparison} {threshold} for {periods} x {period} s")
}

async fn describe(cx: &Ctx, name: &str) -> Result<Option<MetricAlarm>, Error> {
    let out = cx
        .aws
        .cloudwatch
        .describe_alarms()
        .alarm_names(name)
        .send()
        .await
        .map_err(aws("DescribeAlarms"))?;
    Ok(out
        .metric_alarms()
        .iter()
        .find(|a| a.alarm_name() == Some(name))
        .cloned())
}

pub(super) async fn tags_of(cx: &Ctx, arn: &str) -> Result<tags::Read, Error> {
    let out = cx
        .aws
        .cloudwatch
        .list_tags_for_resource()
        .resource_arn(arn)
        .send()
        .await
        .map_err(aws("ListTagsForResource"))?;
    Ok(tags::Read::from_pairs(out.tags().iter().map(|t| {
        (t.key().unwrap_or_default(), t.value().unwrap_or_default())
    })))
}

pub(super) fn cloudwatch_tags(cx: &Ctx) -> Vec<Tag> {
    tags::pairs(cx)
        .into_iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build())
        .collect()
}

impl Alarm {
    fn dimension(&self, cx: &Ctx, value: &DimensionValue) -> Result<String, Error> {
        match value {
            DimensionValue::Id(key) => cx.dep(key).map(str::to_string),
            DimensionValue::Output { key, output } => cx.output(key, output).map(str::to_string),
        }
    }

    async fn put(&self, cx: &Ctx, tagged: bool) -> Result<(), Error> {
        let actions: Vec<String> = self
            .actions
            .iter()
            .map(|k| cx.dep(k).map(str::to_string))
            .collect::<Result<_, _>>()?;
        let mut call = cx
            .aws
            .once
            .cloudwatch
            .put_metric_alarm()
            .alarm_name(&self.name)
            .alarm_description(&self.description)
            .namespace(self.namespace)
            .metric_name(self.metric)
            .statistic(self.statistic.clone())
            .comparison_operator(self.comparison.clone())
            .threshold(self.threshold)
            .period(self.period_secs)
            .evaluation_periods(self.evaluation_periods)
            // No data (a quiet site, an instance still booting) is not an emergency.
            .treat_missing_data("notBreaching")
            .actions_enabled(true)
            .set_alarm_actions(Some(actions.clone()));
        if self.ok_actions {
            call = call.set_ok_actions(Some(actions));
        }
        if let Some(unit) = &self.unit {
            call = call.unit(unit.clone());
        }
        for (name, value) in &self.dimensions {
            call = call.dimensions(
                Dimension::builder()
                    .name(*name)
                    .value(self.dimension(cx, value)?)
                    .build(),
            );
        }
        // Tags go on at creation only: PutMetricAlarm on an existing alarm ignores them.
        if tagged {
            call = call.set_tags(Some(cloudwatch_tags(cx)));
        }
        call.send().await.map_err(aws("PutMetricAlarm"))?;
        Ok(())
    }
}

#[async_trait]
impl Resource for Alarm {
    fn kind(&self) -> &'static str {
        "alarm"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn charges(&self) -> Vec<Charge> {
        vec![Charge::Alarm]
    }
    fn deps(&self) -> Vec<String> {
        let mut deps = self.actions.clone();
        for (_, v) in &self.dimensions {
            match v {
                DimensionValue::Id(k) | DimensionValue::Output { key: k, .. } => {
                    deps.push(k.clone())
                }
            }
        }
        deps.sort();
        deps.dedup();
        deps
    }
    fn typical(&self) -> Duration {
        Duration::from_secs(1)
    }
    fn console(&self, id: &str, region: &str) -> Option<String> {
        Some(super::console::service(
            region,
            "cloudwatch",
            &format!("alarmsV2:alarm/{id}"),
        ))
    }

    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        let Some(a) = describe(cx, &self.name).await? else {
            return Ok(Found::none());
        };
        let t = tags_of(cx, a.alarm_arn().unwrap_or_default()).await?;
        Ok(if tags::is_ours(cx, t.pairs()) {
            Found::tagged(vec![self.name.clone()])
        } else {
            Found {
                ours: vec![],
                foreign: vec![crate::engine::foreign(
                    cx,
                    "CloudWatch alarm",
                    &self.name,
                    "stack.name",
                )],
            }
        })
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        self.put(cx, true).await?;
        Ok(self.name.clone())
    }

    fn desired(&self, cx: &Ctx) -> Vec<Setting> {
        vec![
            Setting::update(
                "condition",
                condition(
                    self.metric,
                    self.statistic.as_str(),
                    comparison_word(&self.comparison),
                    self.threshold,
                    self.evaluation_periods,
                    self.period_secs,
                ),
            ),
            Setting::update(
                "actions",
                Value::set(self.actions.iter().map(|k| cx.dep_or_new(k))),
            ),
        ]
    }

    async fn read(&self, cx: &Ctx, id: &str) -> Result<Actual, Error> {
        let mut a = Actual::new();
        if let Some(m) = describe(cx, id).await? {
            a.insert(
                "condition",
                condition(
                    m.metric_name().unwrap_or_default(),
                    m.statistic().map(Statistic::as_str).unwrap_or_default(),
                    m.comparison_operator().map_or("?", comparison_word),
                    m.threshold().unwrap_or_default(),
                    m.evaluation_periods().unwrap_or_default(),
                    m.period().unwrap_or_default(),
                )
                .into(),
            );
            a.insert("actions", Value::set(m.alarm_actions().iter().cloned()));
        }
        Ok(a)
    }

    async fn update(&self, cx: &Ctx, _id: &str, _changes: &[Change]) -> Result<(), Error> {
        self.put(cx, false).await
    }

    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        cx.aws
            .cloudwatch
            .delete_alarms()
            .alarm_names(id)
            .send()
            .await
            .map_err(aws("DeleteAlarms"))?;
        Ok(())
    }

    /// Every page: an account may hold more of the stack's alarms than one page lists.
    async fn sweep(&self, cx: &Ctx) -> Result<Vec<Swept>, Error> {
        let mut pages = cx
            .aws
            .cloudwatch
            .describe_alarms()
            .alarm_name_prefix(format!("{}-", cx.stack))
            .max_records(PAGE)
            .into_paginator()
            .send();
        let mut swept = Vec::new();
        while let Some(page) = pages.next().await {
            for a in page.map_err(aws("DescribeAlarms"))?.metric_alarms() {
                let t = tags_of(cx, a.alarm_arn().unwrap_or_default()).await?;
                swept.extend(tags::swept(&cx.stack, a.alarm_name(), t.pairs()));
            }
        }
        Ok(swept)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_read_like_the_console() {
        assert_eq!(
            condition("CPUUtilization", "Average", ">=", 80.0, 1, 300),
            "CPUUtilization Average >= 80 for 1 x 300 s"
        );
        assert_eq!(
            comparison_word(&ComparisonOperator::LessThanOrEqualToThreshold),
            "<="
        );
    }
}
