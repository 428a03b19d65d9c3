//! The Route 53 health check that decides the site's failover: HTTPS to the primary's
//! load balancer (or CloudFront in front of it) on hawiz's health path, every 10 or 30 seconds, unhealthy after 3
//! failures in a row. Tagged with the stack (the tagging API does not list health checks:
//! the sweep reads Route 53's own list and tags).

use crate::aws::{OrMissing, aws};
use crate::engine::settings::{Actual, Change, Setting};
use crate::engine::{Charge, Ctx, Error, Found, Match, Outputs, Proof, Resource, Swept};
use async_trait::async_trait;
use aws_sdk_route53::types::{
    HealthCheck as Check, HealthCheckConfig, HealthCheckType, Tag, TagResourceType,
};

/// Failures in a row before Route 53 calls the endpoint unhealthy (its default): with a
/// 10 s interval, about 30 s to detect.
pub const FAILURE_THRESHOLD: u32 = 3;

#[derive(Debug)]
pub struct HealthCheck {
    /// Its Name tag, e.g. `wordpress-ha-primary`.
    pub name: String,
    /// Key of what it checks: the primary's load balancer, or CloudFront in front of it
    /// (its `dns name` is the endpoint: never the site's own name, whose answer the check
    /// itself decides).
    pub target: String,
    pub path: String,
    /// 10 or 30; Route 53 cannot change it on an existing check.
    pub interval: u32,
}

/// Every health check of the account, with its tags (ten per tag read, Route 53's
/// limit).
async fn listed(cx: &Ctx) -> Result<Vec<(Check, Vec<(String, String)>)>, Error> {
    let mut checks = Vec::new();
    let mut pages = cx.aws.route53.list_health_checks().into_paginator().send();
    while let Some(page) = pages.next().await {
        checks.extend(
            page.map_err(aws("ListHealthChecks"))?
                .health_checks()
                .iter()
                .cloned(),
        );
    }
    let mut out = Vec::new();
    for chunk in checks.chunks(10) {
        let ids: Vec<String> = chunk.iter().map(|c| c.id().to_string()).collect();
        let tags = cx
            .aws
            .route53
            .list_tags_for_resources()
            .resource_type(TagResourceType::Healthcheck)
            .set_resource_ids(Some(ids))
            .send()
            .await
            .map_err(aws("ListTagsForResources"))?;
        for c in chunk {
            let pairs = tags
                .resource_tag_sets()
                .iter()
                .find(|t| t.resource_id() == Some(c.id()))
                .map(|t| {
                    t.tags()
                        .iter()
                        .map(|t| {
                            (
                                t.key().unwrap_or_default().to_string(),
                                t.value().unwrap_or_default().to_string(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            out.push((c.clone(), pairs));
        }
    }
    Ok(out)
}

async fn get(cx: &Ctx, id: &str) -> Result<Option<Check>, Error> {
    Ok(cx
        .aws
        .route53
        .get_health_check()
        .health_check_id(id)
        .send()
        .await
        .map_err(aws("GetHealthCheck"))
        .or_missing()?
        .and_then(|o| o.health_check().cloned()))
}

async fn tag(cx: &Ctx, id: &str) -> Result<(), Error> {
    let t = |k: &str, v: &str| Tag::builder().key(k).value(v).build();
    let mut call = cx
        .aws
        .route53
        .change_tags_for_resource()
        .resource_type(TagResourceType::Healthcheck)
        .resource_id(id);
    for (k, v) in crate::resources::tags::pairs(cx) {
        call = call.add_tags(t(k, &v));
    }
    call.send().await.map_err(aws("ChangeTagsForResource"))?;
    Ok(())
}

impl HealthCheck {
    fn config(&self, cx: &Ctx) -> Result<HealthCheckConfig, Error> {
        HealthCheckConfig::builder()
            .r#type(HealthCheckType::Https)
            .fully_qualified_domain_name(cx.output(&self.target, "dns name")?)
            .port(443)
            .resource_path(&self.path)
            .request_interval(i32::try_from(self.interval).unwrap_or(30))
            .failure_threshold(FAILURE_THRESHOLD as i32)
            .enable_sni(true)
            .build()
            .map_err(|e| Error::Failed(e.to_string()))
    }
}

#[async_trait]
impl Resource for HealthCheck {
    fn kind(&self) -> &'static str {
        "health-check"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn deps(&self) -> Vec<String> {
        vec![self.target.clone()]
    }
    fn charges(&self) -> Vec<Charge> {
        vec![Charge::HealthCheck {
            fast: self.interval == 10,
        }]
    }
    fn console(&self, id: &str, _region: &str) -> Option<String> {
        Some(format!(
            "https://console.aws.amazon.com/route53/healthchecks/home#/details/{id}"
        ))
    }

    /// By its tags; a check made in a run cut before it was tagged is the one the state
    /// recorded (and is tagged now).
    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        let ours: Vec<String> = listed(cx)
            .await?
            .into_iter()
            .filter(|(_, t)| {
                crate::resources::tags::is_ours(cx, t.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            })
            .map(|(c, _)| c.id().to_string())
            .collect();
        if !ours.is_empty() {
            return Ok(Found::tagged(ours));
        }
        let recorded = cx.recorded.as_ref().and_then(|r| r.id.clone());
        if let Some(id) = recorded
            && get(cx, &id).await?.is_some()
        {
            tag(cx, &id).await?;
            return Ok(Found {
                ours: vec![Match {
                    id,
                    proof: Proof::Recorded,
                }],
                foreign: vec![],
            });
        }
        Ok(Found::none())
    }

    /// The idempotency token is the caller reference: AWS answers a retry with the same
    /// check (an emulator may make another, which the sweep then lists).
    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let out = cx
            .aws
            .once
            .route53
            .create_health_check()
            .caller_reference(&cx.token)
            .health_check_config(self.config(cx)?)
            .send()
            .await
            .map_err(aws("CreateHealthCheck"))?;
        let id = out
            .health_check()
            .map(|c| c.id().to_string())
            .ok_or_else(|| Error::Failed("CreateHealthCheck returned no check".into()))?;
        tag(cx, &id).await?;
        Ok(id)
    }

    fn desired(&self, cx: &Ctx) -> Vec<Setting> {
        const FIXED: &str = "Route 53 cannot change it: a new health check would be made";
        vec![
            Setting::update(
                "endpoint",
                cx.output_opt(&self.target, "dns name")
                    .map_or_else(|| "(new endpoint)".into(), str::to_string),
            ),
            Setting::update("path", self.path.as_str()),
            Setting::replace("interval seconds", self.interval, FIXED),
            Setting::update("failures to unhealthy", FAILURE_THRESHOLD),
            // A drill inverts it for a while; anything else left inverted is put back.
            Setting::update("inverted", false),
        ]
    }

    async fn read(&self, cx: &Ctx, id: &str) -> Result<Actual, Error> {
        let mut a = Actual::new();
        let Some(c) = get(cx, id).await? else {
            return Ok(a);
        };
        if let Some(cfg) = c.health_check_config() {
            a.insert(
                "endpoint",
                cfg.fully_qualified_domain_name().unwrap_or_default().into(),
            );
            a.insert("path", cfg.resource_path().unwrap_or_default().into());
            a.insert(
                "interval seconds",
                u32::try_from(cfg.request_interval().unwrap_or(30))
                    .unwrap_or(30)
                    .into(),
            );
            a.insert(
                "failures to unhealthy",
                u32::try_from(cfg.failure_threshold().unwrap_or(3))
                    .unwrap_or(0)
                    .into(),
            );
            a.insert("inverted", cfg.inverted().unwrap_or(false).into());
        }
        Ok(a)
    }

    async fn update(&self, cx: &Ctx, id: &str, _changes: &[Change]) -> Result<(), Error> {
        cx.aws
            .once
            .route53
            .update_health_check()
            .health_check_id(id)
            .fully_qualified_domain_name(cx.output(&self.target, "dns name")?)
            .resource_path(&self.path)
            .failure_threshold(FAILURE_THRESHOLD as i32)
            .inverted(false)
            .send()
            .await
            .map_err(aws("UpdateHealthCheck"))?;
        Ok(())
    }

    async fn outputs(&self, _cx: &Ctx, id: &str) -> Result<Outputs, Error> {
        Ok([("id".to_string(), id.to_string())].into())
    }

    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        cx.aws
            .route53
            .delete_health_check()
            .health_check_id(id)
            .send()
            .await
            .map_err(aws("DeleteHealthCheck"))
            .or_missing()?;
        Ok(())
    }

    async fn sweep(&self, cx: &Ctx) -> Result<Vec<Swept>, Error> {
        Ok(listed(cx)
            .await?
            .into_iter()
            .filter_map(|(c, t)| {
                crate::resources::tags::swept(
                    &cx.stack,
                    Some(c.id()),
                    t.iter().map(|(k, v)| (k.as_str(), v.as_str())),
                )
            })
            .collect())
    }
}

/// How many of Route 53's checkers last saw the endpoint healthy, of how many (Route 53
/// calls it healthy while more than 18% of them do).
pub async fn verdict(
    clients: &crate::aws::Clients,
    id: &str,
) -> Result<(usize, usize), crate::aws::AwsError> {
    let out = clients
        .route53
        .get_health_check_status()
        .health_check_id(id)
        .send()
        .await
        .map_err(aws("GetHealthCheckStatus"))?;
    let seen = out.health_check_observations();
    let ok = seen
        .iter()
        .filter(|o| {
            o.status_report()
                .and_then(|r| r.status())
                .is_some_and(|s| s.starts_with("Success"))
        })
        .count();
    Ok((ok, seen.len()))
}

/// Whether `ok` of `of` checkers make a healthy endpoint for Route 53.
pub fn healthy(ok: usize, of: usize) -> bool {
    ok * 100 > of.max(1) * 18
}
