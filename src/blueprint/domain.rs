//! Step 7: the domain. Hosted zone (new or the user's), the alias record for the site's
//! name, and for HTTPS: the certificate, its DNS validation, the HTTPS listener, and the
//! switch of plain HTTP to a 301 redirect once HTTPS works.

use super::app::WebKeys;
use crate::engine::{Graph, GraphError};
use crate::names::site_key;
use crate::plan::Plan;
use crate::resources::certificate::{CertValidation, Certificate};
use crate::resources::elb::{HttpsRedirect, Listener, ListenerAction};
use crate::resources::route53::{AliasRecord, Failover, HealthCheck, HostedZone};

/// The HTTPS listener's key (in the primary's scope, and the standby's).
pub(super) const HTTPS_LISTENER: &str = "listener/https";

/// The site's host name, e.g. `www.example.com` (or the bare domain).
pub fn site_name(plan: &Plan) -> Option<String> {
    let d = plan.domain.as_ref()?;
    let domain = d.name.trim().trim_end_matches('.').to_ascii_lowercase();
    Some(match d.host.trim() {
        "" => domain,
        host => format!("{}.{domain}", host.to_ascii_lowercase()),
    })
}

/// The zone, the site's record, and HTTPS: on the primary's load balancer and, with
/// `[failover]`, on the standby's (`standby`: its keys, in its region) with a health check
/// on the primary and the record as a failover pair.
pub fn add(
    plan: &Plan,
    web: &WebKeys,
    standby: Option<&WebKeys>,
    g: &mut Graph,
) -> Result<(), GraphError> {
    let (Some(d), Some(site)) = (&plan.domain, site_name(plan)) else {
        return Ok(());
    };
    let domain = d.name.trim().trim_end_matches('.').to_ascii_lowercase();
    let zone = g.add(
        "zone",
        HostedZone {
            domain: domain.clone(),
            create: d.create_hosted_zone,
        },
    )?;
    // Where the site's name points: CloudFront (made below, once its certificate is
    // placed) or the primary's load balancer.
    let cloudfront = (d.https && plan.cloudfront()).then(|| super::cloudfront::KEY.to_string());
    // After `hawiz failover` the standby is the site, for good: the name points at it
    // alone. A failover pair would send visitors back to the old primary (and its stale
    // database, now apart) as soon as its region answered again. The check and CloudFront
    // stay, unused, for the way back.
    let taken_over = standby.filter(|_| {
        plan.failover
            .as_ref()
            .is_some_and(crate::plan::Failover::is_failed_over)
    });
    let target = match (taken_over, &cloudfront) {
        (Some(standby), _) => standby.load_balancer.clone(),
        (None, Some(cf)) => cf.clone(),
        (None, None) => web.load_balancer.clone(),
    };
    let failover = match (standby, &plan.failover) {
        (Some(standby), Some(f)) => {
            let primary = cloudfront
                .clone()
                .unwrap_or_else(|| web.load_balancer.clone());
            let health_check = g.add(
                "health-check/primary",
                HealthCheck {
                    name: format!("{}-primary", plan.stack.name),
                    target: primary,
                    path: plan.load_balancer.health_check_path.clone(),
                    interval: f.health_check_interval,
                },
            )?;
            (!f.is_failed_over()).then(|| Failover {
                standby: standby.load_balancer.clone(),
                health_check,
            })
        }
        _ => None,
    };
    let record = g.add(
        site_key(&site),
        AliasRecord {
            fqdn: site.clone(),
            domain: domain.clone(),
            zone: zone.clone(),
            target,
            failover,
            site: true,
        },
    )?;
    if !d.https {
        return Ok(());
    }
    let validation = https(plan, &domain, &zone, web, None, g)?;
    let mut standby_validation = None;
    if let (Some(standby), Some(f)) = (standby, &plan.failover) {
        standby_validation = Some(g.within(
            super::standby::PREFIX,
            f.region.trim(),
            plan.region(),
            |g| https(plan, &domain, &zone, standby, Some(&validation), g),
        )?);
    }
    if cloudfront.is_some() {
        let around = super::cloudfront::Around {
            domain: &domain,
            site: &site,
            zone: &zone,
            web,
            record: &record,
            validation: &validation,
            standby_validation: standby_validation.as_deref(),
        };
        super::cloudfront::add(plan, around, g)?;
    }
    Ok(())
}

/// A certificate of the scope's region for the domain and its subdomains, validated by
/// DNS in the zone. Returns the validation's key (its `certificate` output is the issued
/// certificate's ARN); `shared_with`: the validation whose records it shares.
pub(super) fn certificate(
    domain: &str,
    zone: &str,
    shared_with: Option<&str>,
    g: &mut Graph,
) -> Result<String, GraphError> {
    let cert = g.add(
        "cert",
        Certificate {
            domain: domain.to_string(),
        },
    )?;
    g.add(
        "cert-validation",
        CertValidation {
            name: domain.to_string(),
            certificate: cert,
            zone: zone.to_string(),
            shared_with: shared_with.map(str::to_string),
        },
    )
}

/// A load balancer's HTTPS: a certificate of its region (ACM certificates never leave
/// theirs) validated in the zone, the HTTPS listener, and plain HTTP switched to a 301
/// redirect once HTTPS works. Returns the validation's key; `shared_with`: the primary's,
/// whose records a standby's certificate of the same names shares.
fn https(
    plan: &Plan,
    domain: &str,
    zone: &str,
    web: &WebKeys,
    shared_with: Option<&str>,
    g: &mut Graph,
) -> Result<String, GraphError> {
    let issued = certificate(domain, zone, shared_with, g)?;
    let https = g.add(
        HTTPS_LISTENER,
        Listener {
            name: format!("{}-https", plan.stack.name),
            load_balancer: web.load_balancer.clone(),
            port: 443,
            action: ListenerAction::Forward(web.target_group.clone()),
            // Behind CloudFront the origin lock turns its default into a 403.
            action_elsewhere: plan.cloudfront() && shared_with.is_none(),
            certificate: Some(issued.clone()),
        },
    )?;
    g.add(
        "http-redirect",
        HttpsRedirect {
            name: format!("{}-http", plan.stack.name),
            http_listener: web.http_listener.clone(),
            https_listener: https,
            target_group: web.target_group.clone(),
        },
    )?;
    Ok(issued)
}
