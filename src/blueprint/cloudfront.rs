//! Seed 003's front door: visitors reach the primary through CloudFront. A certificate in
//! us-east-1 (the only region CloudFront takes them from; the primary's or the standby's
//! when either is there), the origin's own name `origin.<domain>` on the primary's load
//! balancer (covered by its certificate, so CloudFront speaks HTTPS to it), the secret
//! CloudFront adds to each request, the distribution, and the lock that makes the load
//! balancer answer CloudFront only once the site's record points at CloudFront.

use super::app::WebKeys;
use super::database::parameter_name;
use crate::engine::{Graph, GraphError};
use crate::names::{ORIGIN_HOST, site_key};
use crate::plan::Plan;
use crate::resources::cloudfront::{CERTIFICATE_REGION, Distribution, OriginAccess, StaticFiles};
use crate::resources::elb::OriginLock;
use crate::resources::iam::{self, Role};
use crate::resources::parameter::Password;
use crate::resources::route53::AliasRecord;
use crate::resources::s3::{self, Bucket, BucketPolicy, Replica};

/// The distribution's key.
pub const KEY: &str = "cloudfront";
/// The origin lock's key: it owns the load balancer's ingress once it exists.
pub const LOCK: &str = "origin-lock";
/// The static bucket's key (the standby's copy has the standby's prefix).
pub const STATIC_BUCKET: &str = "s3-bucket/static";
/// Where a certificate made only for CloudFront lives (neither region is us-east-1).
const PREFIX: &str = "cloudfront/";

/// What the domain step has placed that CloudFront builds on.
pub struct Around<'a> {
    pub domain: &'a str,
    pub site: &'a str,
    pub zone: &'a str,
    pub web: &'a WebKeys,
    /// The site's record (the lock waits for it).
    pub record: &'a str,
    /// The primary's certificate validation (its records are shared).
    pub validation: &'a str,
    /// The standby's, when there is a standby with HTTPS.
    pub standby_validation: Option<&'a str>,
}

pub fn add(plan: &Plan, a: Around, g: &mut Graph) -> Result<(), GraphError> {
    let stack = &plan.stack.name;
    let standby_region = plan.failover.as_ref().map(|f| f.region.trim());
    let certificate = if plan.region() == CERTIFICATE_REGION {
        a.validation.to_string()
    } else if let (Some(CERTIFICATE_REGION), Some(v)) = (standby_region, a.standby_validation) {
        v.to_string()
    } else {
        g.within(PREFIX, CERTIFICATE_REGION, plan.region(), |g| {
            super::domain::certificate(a.domain, a.zone, Some(a.validation), g)
        })?
    };
    let origin = format!("{ORIGIN_HOST}.{}", a.domain);
    let origin_record = g.add(
        site_key(&origin),
        AliasRecord {
            fqdn: origin.clone(),
            domain: a.domain.to_string(),
            zone: a.zone.to_string(),
            target: a.web.load_balancer.clone(),
            failover: None,
            site: false,
        },
    )?;
    let secret = super::secret(
        g,
        "param/origin-secret",
        Password {
            name: parameter_name(stack, "origin-secret"),
            what: "CloudFront origin secret parameter",
            make: crate::secret::password32,
            tells: None,
            copy_of: None,
        },
    )?;
    let static_files = match plan.failover.as_ref().filter(|_| plan.static_bucket()) {
        Some(f) => Some(static_bucket(plan, f.region.trim(), g)?),
        None => None,
    };
    let distribution = g.add(
        KEY,
        Distribution {
            name: format!("{stack}-cdn"),
            aliases: vec![a.site.to_string()],
            origin,
            origin_record,
            certificate,
            secret: secret.clone(),
            static_files,
        },
    )?;
    if plan.static_bucket() {
        let base = crate::names::static_buckets(stack);
        g.add(
            "s3-bucket-policy/static",
            BucketPolicy {
                name: format!("{base} (CloudFront reads it)"),
                bucket: STATIC_BUCKET.to_string(),
                distribution,
            },
        )?;
    }
    g.add(
        LOCK,
        OriginLock {
            name: format!("{stack}-cloudfront-only"),
            listener: super::domain::HTTPS_LISTENER.to_string(),
            target_group: a.web.target_group.clone(),
            security_group: super::security::ALB.to_string(),
            secret,
            after: a.record.to_string(),
        },
    )?;
    Ok(())
}

/// The lab's static bucket: the primary's, replicated by a role of the stack (under the
/// stack's boundary) to the standby region's; CloudFront reads it with an access control.
fn static_bucket(plan: &Plan, standby: &str, g: &mut Graph) -> Result<StaticFiles, GraphError> {
    let stack = &plan.stack.name;
    let base = crate::names::static_buckets(stack);
    let shown = |region: &str| format!("{base}-ACCOUNT-{}", s3::short_region(region));
    let replica = g.within(super::standby::PREFIX, standby, plan.region(), |g| {
        g.add(
            STATIC_BUCKET,
            Bucket {
                name: shown(standby),
                base: base.clone(),
                replica: None,
            },
        )
    })?;
    let role = g.add(
        "iam-role/replication",
        Role {
            name: crate::names::iam(stack, plan.region(), "replication"),
            service: "s3.amazonaws.com",
            purpose: "S3 copies the static bucket to the standby region's".into(),
            inline_name: "replicate-static-files",
            inline: iam::replication_policy(stack),
            managed: vec![],
            boundary: super::BOUNDARY.to_string(),
        },
    )?;
    let bucket = g.add(
        STATIC_BUCKET,
        Bucket {
            name: shown(plan.region()),
            base,
            replica: Some(Replica {
                bucket: replica,
                role,
            }),
        },
    )?;
    let access = g.add(
        "cloudfront-origin-access/static",
        OriginAccess {
            name: format!("{stack}-static"),
        },
    )?;
    Ok(StaticFiles { bucket, access })
}
