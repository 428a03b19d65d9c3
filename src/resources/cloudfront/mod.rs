//! The CloudFront distribution in front of the primary (seed 003, the lab's way): the
//! site's name → CloudFront → the primary's load balancer over HTTPS at `origin.<domain>`,
//! nothing cached (WordPress is dynamic), every method, compressed, viewers sent to HTTPS.
//! CloudFront adds a secret header that the load balancer requires (`elb::OriginLock`).
//! Global: listed with its own calls (the tagging API does not list distributions).

use crate::aws::{OrMissing, aws};
use crate::engine::settings::{Actual, Change, Setting, Value};
use crate::engine::{Charge, Ctx, Error, Found, Outputs, Resource, Swept};
use crate::i18n::korean::{self, Josa};
use crate::plan::Finding;
use api::{config, deployed, stacks, status, summaries};
use async_trait::async_trait;
use aws_sdk_cloudfront::types::{DistributionConfig, DistributionConfigWithTags, Tag, Tags};
use config::{METHODS, MIN_TLS, method_names, region_of};

mod access;
mod api;
mod config;
pub use access::OriginAccess;
use std::time::Duration;

/// The hosted zone of every CloudFront alias target (Route 53 API reference,
/// `AliasTarget.HostedZoneId`): an alias to it cannot evaluate target health.
pub const ZONE: &str = "Z2FDTNDATAQYW2";

/// The managed cache policy "CachingDisabled" (CloudFront DG, *Use managed cache
/// policies*): WordPress pages are per visitor, so nothing is cached.
pub const CACHING_DISABLED: &str = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";

/// The managed origin request policy "AllViewer": every header (Host too, which
/// WordPress builds its links from), cookie and query string reaches the origin.
pub const ALL_VIEWER: &str = "216adef6-5c7f-47e4-b989-5492eafa07d3";

/// The managed cache policy "CachingOptimized": the static bucket's files are cached.
pub const CACHING_OPTIMIZED: &str = "658327ea-f89d-4fab-a63d-7e88639e58f6";

/// Where the static bucket's files are served (the lab's path).
pub const STATIC_PATH: &str = "/static/*";

/// The header CloudFront adds and the load balancer requires, with the stack's secret.
pub const SECRET_HEADER: &str = "X-Hawiz-Origin";

/// The only region whose certificates CloudFront takes (ACM UG, *Supported Regions*).
pub const CERTIFICATE_REGION: &str = "us-east-1";

#[derive(Debug)]
pub struct Distribution {
    /// Its Name tag and comment's stack, e.g. `wordpress-ha-cdn`.
    pub name: String,
    /// The site's names (CloudFront's alternate domain names).
    pub aliases: Vec<String>,
    /// The origin's name, `origin.<domain>`: the primary's load balancer under a name its
    /// certificate covers, so CloudFront can reach it over HTTPS.
    pub origin: String,
    /// Key of that name's record (CloudFront resolves it).
    pub origin_record: String,
    /// Key of the node whose `certificate` output is an issued us-east-1 certificate.
    pub certificate: String,
    /// Key of the parameter holding the origin secret (its ID is the parameter's name).
    pub secret: String,
    /// The lab's static bucket under `STATIC_PATH`, when the stack has one.
    pub static_files: Option<StaticFiles>,
}

/// The static bucket as a second origin, read with origin access control.
#[derive(Debug)]
pub struct StaticFiles {
    /// Key of the `s3::Bucket` (its `domain` output).
    pub bucket: String,
    /// Key of the `OriginAccess`.
    pub access: String,
}

/// Set at creation in the same call (the comment), so a distribution of this stack is
/// recognised in the list without reading every distribution's tags.
pub(super) fn marker(stack: &str) -> String {
    format!("hawiz:stack={stack}")
}

impl Distribution {
    fn certificate_arn<'a>(&self, cx: &'a Ctx) -> Result<&'a str, Error> {
        let arn = cx.output(&self.certificate, "certificate")?;
        // What AWS refuses and an emulator accepts: say it before calling.
        if region_of(arn) != CERTIFICATE_REGION {
            return Err(Error::Failed(format!(
                "CloudFront takes certificates from {CERTIFICATE_REGION} only, and {arn} is in {}",
                region_of(arn)
            )));
        }
        Ok(arn)
    }

    /// The whole configuration hawiz wants (an update replaces it whole).
    fn config(
        &self,
        cx: &Ctx,
        caller_reference: &str,
        secret: &str,
        enabled: bool,
    ) -> Result<DistributionConfig, Error> {
        config::build(&config::Want {
            caller_reference,
            comment: &marker(&cx.stack),
            enabled,
            aliases: &self.aliases,
            origin: &self.origin,
            secret,
            certificate: self.certificate_arn(cx)?,
            static_files: match &self.static_files {
                Some(s) => Some((cx.output(&s.bucket, "domain")?, cx.dep(&s.access)?)),
                None => None,
            },
        })
    }

    async fn secret(&self, cx: &Ctx) -> Result<String, Error> {
        crate::resources::parameter::password_value(cx, cx.dep(&self.secret)?).await
    }

    /// Replace the configuration with `config`'s, at the ETag just read.
    async fn put(&self, cx: &Ctx, id: &str, enabled: bool) -> Result<(), Error> {
        let Some((now, etag)) = config(cx, id).await? else {
            return Err(Error::Failed(format!(
                "CloudFront distribution {id} is gone"
            )));
        };
        let want = self.config(cx, now.caller_reference(), &self.secret(cx).await?, enabled)?;
        cx.aws
            .once
            .cloudfront
            .update_distribution()
            .id(id)
            .if_match(etag)
            .distribution_config(want)
            .send()
            .await
            .map_err(aws("UpdateDistribution"))?;
        Ok(())
    }
}

#[async_trait]
impl Resource for Distribution {
    fn kind(&self) -> &'static str {
        "cloudfront"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn deps(&self) -> Vec<String> {
        let mut deps = vec![
            self.origin_record.clone(),
            self.certificate.clone(),
            self.secret.clone(),
        ];
        if let Some(s) = &self.static_files {
            deps.extend([s.bucket.clone(), s.access.clone()]);
        }
        deps
    }
    fn typical(&self) -> Duration {
        Duration::from_secs(5 * 60)
    }
    fn charges(&self) -> Vec<Charge> {
        vec![Charge::Distribution]
    }
    fn facts(&self, ready: &crate::engine::Dep) -> Vec<crate::engine::Fact> {
        ready
            .outputs
            .get("dns name")
            .map(|dns| crate::engine::Fact::Cdn { dns: dns.clone() })
            .into_iter()
            .collect()
    }
    fn console(&self, id: &str, _region: &str) -> Option<String> {
        Some(format!(
            "https://console.aws.amazon.com/cloudfront/v4/home#/distributions/{id}"
        ))
    }

    /// By its comment and tags. Another distribution (not this stack's) that already
    /// has one of the site's names is in the way: CloudFront allows a name on one
    /// distribution only.
    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        let all = summaries(cx).await?;
        let ours: Vec<String> = stacks(cx, &all)
            .await?
            .into_iter()
            .filter(|(_, t)| {
                crate::resources::tags::is_ours(cx, t.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            })
            .map(|(d, _)| d.id().to_string())
            .collect();
        let mut found = Found::tagged(ours.clone());
        for d in all.iter().filter(|d| !ours.iter().any(|o| o == d.id())) {
            let names = d.aliases().map(|a| a.items()).unwrap_or_default();
            for name in names.iter().filter(|n| {
                self.aliases
                    .iter()
                    .any(|a| a.eq_ignore_ascii_case(n.trim_end_matches('.')))
            }) {
                let (id, domain) = (d.id(), d.domain_name());
                found.foreign.push(Finding {
                    field: "failover.cloudfront".into(),
                    message: format!(
                        "{name} is already an alternate domain name of CloudFront distribution \
                         {id} ({domain}), which is not stack {stack}'s; CloudFront allows a name \
                         on one distribution only. Remove {name} from that distribution yourself, \
                         or set cloudfront = false in [failover]",
                        stack = cx.stack
                    ),
                    ko: format!(
                        "{name_eun} 이미 CloudFront 배포 {id}({domain})의 대체 도메인 이름이고, 그 \
                         배포는 스택 {stack}의 것이 아닙니다. CloudFront에서 한 이름은 배포 하나에만 \
                         쓸 수 있습니다. 그 배포에서 {name_eul} 직접 빼거나, [failover]에서 \
                         cloudfront = false로 하세요",
                        stack = cx.stack,
                        name_eun = korean::with(name, Josa::EunNeun),
                        name_eul = korean::with(name, Josa::EulReul),
                    ),
                });
            }
        }
        Ok(found)
    }

    /// Tagged in the same call; the caller reference is the idempotency token (a retry
    /// after a lost answer is refused as a duplicate and `find` sees the first).
    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let secret = self.secret(cx).await?;
        let tags: Vec<Tag> = crate::resources::tags::pairs(cx)
            .into_iter()
            .map(|(k, v)| Tag::builder().key(k).value(v).build())
            .collect::<Result<_, _>>()
            .map_err(|e| Error::Failed(e.to_string()))?;
        let out = cx
            .aws
            .once
            .cloudfront
            .create_distribution_with_tags()
            .distribution_config_with_tags(
                DistributionConfigWithTags::builder()
                    .distribution_config(self.config(cx, &cx.token, &secret, true)?)
                    .tags(Tags::builder().set_items(Some(tags)).build())
                    .build(),
            )
            .send()
            .await
            .map_err(aws("CreateDistributionWithTags"))?;
        out.distribution()
            .map(|d| d.id().to_string())
            .ok_or_else(|| Error::Failed("CreateDistributionWithTags returned nothing".into()))
    }

    /// Until its configuration is on the edge (visitors are sent to it after this).
    async fn settle(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        deployed(
            cx,
            id,
            &format!("CloudFront distribution {id} to be deployed"),
        )
        .await
    }

    fn desired(&self, cx: &Ctx) -> Vec<Setting> {
        vec![
            Setting::update("enabled", true),
            Setting::update("names", Value::set(self.aliases.iter().cloned())),
            Setting::update(
                "certificate",
                cx.output_opt(&self.certificate, "certificate")
                    .map_or_else(|| "(new certificate)".to_string(), str::to_string),
            ),
            Setting::update("origin", format!("https://{}", self.origin)),
            Setting::update(
                "origin secret",
                format!("{SECRET_HEADER}: the stack's secret"),
            ),
            Setting::update("viewers", "redirect HTTP to HTTPS"),
            Setting::update("methods", method_names(&METHODS)),
            Setting::update("cache policy", CACHING_DISABLED),
            Setting::update("origin request policy", ALL_VIEWER),
            Setting::update("compress", true),
            Setting::update("minimum TLS", MIN_TLS.as_str()),
            Setting::update(
                "static files",
                match &self.static_files {
                    Some(s) => config::static_line(
                        cx.output_opt(&s.bucket, "domain").unwrap_or("(new bucket)"),
                    ),
                    None => "none".to_string(),
                },
            ),
        ]
    }

    async fn read(&self, cx: &Ctx, id: &str) -> Result<Actual, Error> {
        let mut a = Actual::new();
        let Some((c, _)) = config(cx, id).await? else {
            return Ok(a);
        };
        let secret = self.secret(cx).await.ok();
        config::settings(&c, secret.as_deref(), &mut a);
        Ok(a)
    }

    async fn update(&self, cx: &Ctx, id: &str, _changes: &[Change]) -> Result<(), Error> {
        self.put(cx, id, true).await?;
        deployed(
            cx,
            id,
            &format!("the change of CloudFront distribution {id} to be deployed"),
        )
        .await
    }

    async fn outputs(&self, cx: &Ctx, id: &str) -> Result<Outputs, Error> {
        let Some((_, domain, _)) = status(cx, id).await? else {
            return Ok(Outputs::new());
        };
        let account = cx.aws.account().await?;
        Ok([
            ("dns name".to_string(), domain),
            ("zone".to_string(), ZONE.to_string()),
            // What the static bucket's policy names (CloudFront's ARNs have no region).
            (
                "arn".to_string(),
                format!("arn:aws:cloudfront::{account}:distribution/{id}"),
            ),
        ]
        .into())
    }

    /// AWS's order: disable, wait until that is deployed, delete with the fresh ETag
    /// (an enabled distribution cannot be deleted; an emulator may not refuse it).
    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        let Some((now, etag)) = config(cx, id).await? else {
            return Ok(());
        };
        if now.enabled() {
            let mut off = now;
            off.enabled = false;
            cx.aws
                .cloudfront
                .update_distribution()
                .id(id)
                .if_match(etag)
                .distribution_config(off)
                .send()
                .await
                .map_err(aws("UpdateDistribution"))?;
        }
        deployed(
            cx,
            id,
            &format!("CloudFront distribution {id} to be disabled on every edge location"),
        )
        .await?;
        let Some((_, _, etag)) = status(cx, id).await? else {
            return Ok(());
        };
        cx.aws
            .cloudfront
            .delete_distribution()
            .id(id)
            .if_match(etag)
            .send()
            .await
            .map_err(aws("DeleteDistribution"))
            .or_missing()?;
        Ok(())
    }

    async fn sweep(&self, cx: &Ctx) -> Result<Vec<Swept>, Error> {
        let all = summaries(cx).await?;
        Ok(stacks(cx, &all)
            .await?
            .into_iter()
            .filter_map(|(d, t)| {
                crate::resources::tags::swept(
                    &cx.stack,
                    Some(d.id()),
                    t.iter().map(|(k, v)| (k.as_str(), v.as_str())),
                )
            })
            .collect())
    }
}
