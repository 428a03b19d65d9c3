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
    let failover = match (standby, &plan.failover) {
        (Some(standby), Some(f)) => {
            let health_check = g.add(
                "health-check/primary",
                HealthCheck {
                    name: format!("{}-primary", plan.stack.name),
                    load_balancer: web.load_balancer.clone(),
                    path: plan.load_balancer.health_check_path.clone(),
                    interval: f.health_check_interval,
                },
            )?;
            Some(Failover {
                standby: standby.load_balancer.clone(),
                health_check,
            })
        }
        _ => None,
    };
    g.add(
        site_key(&site),
        AliasRecord {
            fqdn: site,
            domain: domain.clone(),
            zone: zone.clone(),
            load_balancer: web.load_balancer.clone(),
            failover,
        },
    )?;
    if !d.https {
        return Ok(());
    }
    let validation = https(plan, &domain, &zone, web, None, g)?;
    if let (Some(standby), Some(f)) = (standby, &plan.failover) {
        g.within(
            super::standby::PREFIX,
            f.region.trim(),
            plan.region(),
            |g| https(plan, &domain, &zone, standby, Some(&validation), g),
        )?;
    }
    Ok(())
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
    let cert = g.add(
        "cert",
        Certificate {
            domain: domain.to_string(),
        },
    )?;
    let issued = g.add(
        "cert-validation",
        CertValidation {
            name: domain.to_string(),
            certificate: cert,
            zone: zone.to_string(),
            shared_with: shared_with.map(str::to_string),
        },
    )?;
    let https = g.add(
        "listener/https",
        Listener {
            name: format!("{}-https", plan.stack.name),
            load_balancer: web.load_balancer.clone(),
            port: 443,
            action: ListenerAction::Forward(web.target_group.clone()),
            action_elsewhere: false,
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
