//! Step 7: the domain. Hosted zone (new or the user's), the alias record for the site's
//! name, and for HTTPS: the certificate, its DNS validation, the HTTPS listener, and the
//! switch of plain HTTP to a 301 redirect once HTTPS works.

use super::app::WebKeys;
use crate::engine::{Graph, GraphError};
use crate::names::site_key;
use crate::plan::Plan;
use crate::resources::certificate::{CertValidation, Certificate};
use crate::resources::elb::{HttpsRedirect, Listener, ListenerAction};
use crate::resources::route53::{AliasRecord, HostedZone};

/// The site's host name, e.g. `www.example.com` (or the bare domain).
pub fn site_name(plan: &Plan) -> Option<String> {
    let d = plan.domain.as_ref()?;
    let domain = d.name.trim().trim_end_matches('.').to_ascii_lowercase();
    Some(match d.host.trim() {
        "" => domain,
        host => format!("{}.{domain}", host.to_ascii_lowercase()),
    })
}

pub fn add(plan: &Plan, web: &WebKeys, g: &mut Graph) -> Result<(), GraphError> {
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
    g.add(
        site_key(&site),
        AliasRecord {
            fqdn: site,
            domain: domain.clone(),
            zone: zone.clone(),
            load_balancer: web.load_balancer.clone(),
        },
    )?;
    if !d.https {
        return Ok(());
    }
    let cert = g.add(
        "cert",
        Certificate {
            domain: domain.clone(),
        },
    )?;
    let issued = g.add(
        "cert-validation",
        CertValidation {
            name: domain,
            certificate: cert,
            zone,
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
            certificate: Some(issued),
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
    Ok(())
}
