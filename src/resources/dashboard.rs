//! The stack's CloudWatch dashboard: requests, 5xx, healthy hosts, CPU, database
//! connections and free storage on one page.
//!
//! Tagged at creation like everything else. Emulators (moto) keep no tags on dashboards,
//! so the body also carries the stack's and node's mark in its title widget; a dashboard
//! with no tags at all counts as ours when that mark matches (one with other tags never).

use super::alarm::{cloudwatch_tags, tags_of};
use super::tags;
use crate::aws::aws;
use crate::engine::Charge;
use crate::engine::Fact;
use crate::engine::settings::{Actual, Change, Setting, Value};
use crate::engine::{Ctx, Error, Found, Proof, Resource, Swept};
use async_trait::async_trait;
use serde_json::json;
use std::time::Duration;

#[derive(Debug)]
pub struct Dashboard {
    pub name: String,
    pub region: String,
    pub group: String,
    pub load_balancer: String,
    pub target_group: String,
    pub database: String,
}

/// The line in the title widget that says whose dashboard this is.
fn mark(stack: &str, key: &str) -> String {
    format!("{}={stack} {}={key}", tags::STACK_TAG, tags::KEY_TAG)
}

fn mark_of(body: &str) -> Option<(String, String)> {
    let stack_at = body.find(&format!("{}=", tags::STACK_TAG))?;
    let rest = &body[stack_at + tags::STACK_TAG.len() + 1..];
    let stack: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    let key_at = rest.find(&format!("{}=", tags::KEY_TAG))?;
    let key: String = rest[key_at + tags::KEY_TAG.len() + 1..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '/')
        .collect();
    Some((stack, key))
}

/// One graph widget.
fn graph(
    title: &str,
    x: u32,
    y: u32,
    region: &str,
    metrics: serde_json::Value,
    stat: &str,
) -> serde_json::Value {
    json!({
        "type": "metric", "x": x, "y": y, "width": 12, "height": 6,
        "properties": {
            "title": title, "region": region, "stat": stat, "period": 60,
            "view": "timeSeries", "metrics": metrics
        }
    })
}

struct Names<'a> {
    group: &'a str,
    load_balancer: &'a str,
    target_group: &'a str,
    database: &'a str,
}

/// The dashboard's body: what the lab asks the student to watch during the drill.
fn body(stack: &str, key: &str, region: &str, n: &Names) -> String {
    let lb = ["LoadBalancer", n.load_balancer];
    let widgets = vec![
        json!({
            "type": "text", "x": 0, "y": 0, "width": 24, "height": 2,
            "properties": { "markdown": format!(
                "# {stack}\nMade by hawiz: requests, errors, healthy hosts, CPU and the database. \
                 `{}`", mark(stack, key)) }
        }),
        graph(
            "Requests",
            0,
            2,
            region,
            json!([["AWS/ApplicationELB", "RequestCount", lb[0], lb[1]]]),
            "Sum",
        ),
        graph(
            "5xx errors",
            12,
            2,
            region,
            json!([
                ["AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", lb[0], lb[1]],
                [
                    "AWS/ApplicationELB",
                    "HTTPCode_Target_5XX_Count",
                    lb[0],
                    lb[1]
                ]
            ]),
            "Sum",
        ),
        graph(
            "Healthy / unhealthy hosts",
            0,
            8,
            region,
            json!([
                [
                    "AWS/ApplicationELB",
                    "HealthyHostCount",
                    "TargetGroup",
                    n.target_group,
                    lb[0],
                    lb[1]
                ],
                [
                    "AWS/ApplicationELB",
                    "UnHealthyHostCount",
                    "TargetGroup",
                    n.target_group,
                    lb[0],
                    lb[1]
                ]
            ]),
            "Minimum",
        ),
        graph(
            "App CPU %",
            12,
            8,
            region,
            json!([["AWS/EC2", "CPUUtilization", "AutoScalingGroupName", n.group]]),
            "Average",
        ),
        graph(
            "Database connections",
            0,
            14,
            region,
            json!([[
                "AWS/RDS",
                "DatabaseConnections",
                "DBInstanceIdentifier",
                n.database
            ]]),
            "Average",
        ),
        graph(
            "Database free storage (bytes)",
            12,
            14,
            region,
            json!([[
                "AWS/RDS",
                "FreeStorageSpace",
                "DBInstanceIdentifier",
                n.database
            ]]),
            "Minimum",
        ),
    ];
    json!({ "widgets": widgets }).to_string()
}

/// The resources a body's graphs watch: the dimension values of every metric line
/// (`[namespace, metric, dim, value, dim, value, ...]`).
fn watched(body: &str) -> Vec<String> {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(body) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for w in v["widgets"].as_array().into_iter().flatten() {
        for line in w["properties"]["metrics"].as_array().into_iter().flatten() {
            let parts = line.as_array().map(Vec::as_slice).unwrap_or_default();
            out.extend(
                parts
                    .iter()
                    .skip(3)
                    .step_by(2)
                    .filter_map(|p| p.as_str().map(str::to_string)),
            );
        }
    }
    out
}

impl Dashboard {
    fn names<'a>(&self, cx: &'a Ctx) -> Result<Names<'a>, Error> {
        Ok(Names {
            group: cx.dep(&self.group)?,
            load_balancer: cx.output(&self.load_balancer, "metric name")?,
            target_group: cx.output(&self.target_group, "metric name")?,
            database: cx.dep(&self.database)?,
        })
    }

    fn widgets_for(&self, cx: &Ctx) -> Result<String, Error> {
        Ok(body(&cx.stack, &cx.key, &self.region, &self.names(cx)?))
    }

    async fn get(&self, cx: &Ctx, name: &str) -> Result<Option<(String, String)>, Error> {
        let out = cx
            .aws
            .cloudwatch
            .get_dashboard()
            .dashboard_name(name)
            .send()
            .await
            .map_err(aws("GetDashboard"));
        match out {
            Ok(d) => Ok(Some((
                d.dashboard_arn().unwrap_or_default().to_string(),
                d.dashboard_body().unwrap_or_default().to_string(),
            ))),
            Err(e)
                if matches!(e.code.as_deref(), Some("ResourceNotFound"))
                    || e.message.contains("does not exist") =>
            {
                Ok(None)
            }
            Err(e) => Err(e.into()),
        }
    }

    async fn put(&self, cx: &Ctx, tagged: bool) -> Result<(), Error> {
        let mut call = cx
            .aws
            .once
            .cloudwatch
            .put_dashboard()
            .dashboard_name(&self.name)
            .dashboard_body(self.widgets_for(cx)?);
        if tagged {
            call = call.set_tags(Some(cloudwatch_tags(cx)));
        }
        call.send().await.map_err(aws("PutDashboard"))?;
        Ok(())
    }
}

#[async_trait]
impl Resource for Dashboard {
    fn kind(&self) -> &'static str {
        "dashboard"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn facts(&self, ready: &crate::engine::Dep) -> Vec<Fact> {
        vec![Fact::Dashboard {
            name: ready.id.clone(),
        }]
    }
    fn charges(&self) -> Vec<Charge> {
        vec![Charge::Dashboard]
    }
    fn deps(&self) -> Vec<String> {
        vec![
            self.group.clone(),
            self.load_balancer.clone(),
            self.target_group.clone(),
            self.database.clone(),
        ]
    }
    fn typical(&self) -> Duration {
        Duration::from_secs(1)
    }
    fn console(&self, id: &str, region: &str) -> Option<String> {
        Some(super::console::service(
            region,
            "cloudwatch",
            &format!("dashboards/dashboard/{id}"),
        ))
    }

    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        let Some((arn, body)) = self.get(cx, &self.name).await? else {
            return Ok(Found::none());
        };
        let t = tags_of(cx, &arn).await.unwrap_or_default();
        if tags::is_ours(cx, t.pairs()) {
            return Ok(Found::tagged(vec![self.name.clone()]));
        }
        let marked = mark_of(&body) == Some((cx.stack.clone(), cx.key.clone()));
        // No tags at all (an emulator drops them): the mark hawiz wrote into the body at
        // creation, naming this stack and node, stands in for them.
        Ok(if t.is_empty() && marked {
            Found::with(vec![self.name.clone()], Proof::Recorded)
        } else {
            Found {
                ours: vec![],
                foreign: vec![crate::engine::foreign(
                    cx,
                    "CloudWatch dashboard",
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

    /// The widgets follow the stack's parts (a replaced load balancer has a new name).
    fn desired(&self, cx: &Ctx) -> Vec<Setting> {
        match self.names(cx) {
            Ok(n) => vec![Setting::update(
                "watches",
                Value::set([n.group, n.load_balancer, n.target_group, n.database]),
            )],
            Err(_) => vec![],
        }
    }

    async fn read(&self, cx: &Ctx, id: &str) -> Result<Actual, Error> {
        let mut a = Actual::new();
        if let Some((_, body)) = self.get(cx, id).await? {
            a.insert("watches", Value::set(watched(&body)));
        }
        Ok(a)
    }

    async fn update(&self, cx: &Ctx, _id: &str, _changes: &[Change]) -> Result<(), Error> {
        self.put(cx, false).await
    }

    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        let out = cx
            .aws
            .cloudwatch
            .delete_dashboards()
            .dashboard_names(id)
            .send()
            .await
            .map_err(aws("DeleteDashboards"));
        match out {
            Err(e) if e.message.contains("does not exist") => Ok(()),
            other => other.map(|_| ()).map_err(Error::from),
        }
    }

    /// Every page: ListDashboards pages (AWS sets the size).
    async fn sweep(&self, cx: &Ctx) -> Result<Vec<Swept>, Error> {
        let mut pages = cx
            .aws
            .cloudwatch
            .list_dashboards()
            .dashboard_name_prefix(format!("{}-", cx.stack))
            .into_paginator()
            .items()
            .send();
        let mut swept = Vec::new();
        while let Some(d) = pages.next().await {
            let d = d.map_err(aws("ListDashboards"))?;
            let Some(name) = d.dashboard_name() else {
                continue;
            };
            let t = tags_of(cx, d.dashboard_arn().unwrap_or_default())
                .await
                .unwrap_or_default();
            if let Some(s) = tags::swept(&cx.stack, Some(name), t.pairs()) {
                swept.push(s);
            } else if let Some((_, body)) = self.get(cx, name).await?
                && let Some((stack, key)) = mark_of(&body)
                && stack == cx.stack
            {
                swept.push(Swept {
                    id: name.to_string(),
                    key: Some(key),
                });
            }
        }
        Ok(swept)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mark_names_stack_and_key() {
        let b = body(
            "shop",
            "dashboard",
            "ap-northeast-2",
            &Names {
                group: "shop-app",
                load_balancer: "app/shop-alb/1",
                target_group: "targetgroup/shop-tg/2",
                database: "shop-db",
            },
        );
        assert_eq!(mark_of(&b), Some(("shop".into(), "dashboard".into())));
        let v: serde_json::Value = serde_json::from_str(&b).unwrap();
        assert_eq!(v["widgets"].as_array().unwrap().len(), 7);
        let mut w = watched(&b);
        w.sort();
        w.dedup();
        assert_eq!(
            w,
            [
                "app/shop-alb/1",
                "shop-app",
                "shop-db",
                "targetgroup/shop-tg/2"
            ]
        );
        // A longer stack name that starts the same is another stack.
        assert_ne!(
            mark_of(&body(
                "shop-eu",
                "dashboard",
                "eu-west-1",
                &Names {
                    group: "g",
                    load_balancer: "l",
                    target_group: "t",
                    database: "d",
                }
            )),
            Some(("shop".into(), "dashboard".into()))
        );
    }
}
