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
use crate::resources::cloudfront::{CERTIFICATE_REGION, Distribution};
use crate::resources::elb::OriginLock;
use crate::resources::parameter::Password;
use crate::resources::route53::AliasRecord;

/// The distribution's key.
pub const KEY: &str = "cloudfront";
/// The origin lock's key: it owns the load balancer's ingress once it exists.
pub const LOCK: &str = "origin-lock";
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
    g.add(
        KEY,
        Distribution {
            name: format!("{stack}-cdn"),
            aliases: vec![a.site.to_string()],
            origin,
            origin_record,
            certificate,
            secret: secret.clone(),
        },
    )?;
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
