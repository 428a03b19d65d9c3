//! The instances' public addresses and the site's Route 53 records: those that alias one
//! of the VPC's load balancers, point at one of its instances, or carry a name its
//! certificates are for (with the health checks they name).

use super::*;
use crate::aws::{Clients, aws};
use std::collections::HashMap;

pub(super) async fn instances(c: &Clients, all: &mut [Survey]) -> Result<(), crate::aws::AwsError> {
    let mut pages = c.ec2.describe_instances().into_paginator().send();
    while let Some(page) = pages.next().await {
        for r in page.map_err(aws("DescribeInstances"))?.reservations() {
            for i in r.instances() {
                let gone = i
                    .state()
                    .and_then(|s| s.name())
                    .is_some_and(|n| matches!(n.as_str(), "terminated" | "shutting-down"));
                let Some(s) = of(all, i.vpc_id()).filter(|_| !gone) else {
                    continue;
                };
                s.instances.push(Instance {
                    id: i.instance_id().unwrap_or_default().to_string(),
                    name: name_of(i.tags()),
                    public_ip: i.public_ip_address().map(str::to_string),
                    public_dns: i
                        .public_dns_name()
                        .filter(|n| !n.is_empty())
                        .map(|n| n.to_ascii_lowercase()),
                });
            }
        }
    }
    Ok(())
}

/// A DNS name as records and aliases compare: lower case, no final dot, no `dualstack.`.
fn plain(name: &str) -> String {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name.strip_prefix("dualstack.")
        .map(str::to_string)
        .unwrap_or(name)
}

/// `name` is one a certificate for `cert` covers (`*.` covers one label).
fn covers(cert: &str, name: &str) -> bool {
    let cert = plain(cert);
    match cert.strip_prefix("*.") {
        Some(parent) => name
            .split_once('.')
            .is_some_and(|(label, rest)| !label.is_empty() && rest == parent),
        None => cert == name,
    }
}

/// Whether the record is the site's in this VPC.
fn concerns(s: &Survey, r: &Record) -> bool {
    let at_lb = r
        .alias
        .as_deref()
        .is_some_and(|a| s.load_balancers.iter().any(|lb| plain(&lb.dns_name) == a));
    let at_instance = r.values.iter().any(|v| {
        let v = plain(v);
        s.instances.iter().any(|i| {
            i.public_ip.as_deref() == Some(v.as_str()) || i.public_dns.as_deref() == Some(&v)
        })
    });
    let named = s
        .certificates
        .iter()
        .flat_map(|c| c.names.iter())
        .any(|n| covers(n, &r.name));
    at_lb || at_instance || named
}

pub(super) async fn records(c: &Clients, all: &mut [Survey]) -> Result<(), crate::aws::AwsError> {
    if all
        .iter()
        .all(|s| s.load_balancers.is_empty() && s.instances.iter().all(|i| i.public_ip.is_none()))
    {
        // No name can serve this VPC's site: nothing to read.
        return Ok(());
    }
    let mut zones = Vec::new();
    let mut pages = c.route53.list_hosted_zones().into_paginator().send();
    while let Some(page) = pages.next().await {
        for z in page.map_err(aws("ListHostedZones"))?.hosted_zones() {
            if !z.config().is_some_and(|c| c.private_zone()) {
                zones.push(z.id().trim_start_matches("/hostedzone/").to_string());
            }
        }
    }
    let mut checks: HashMap<String, HealthCheck> = HashMap::new();
    for zone in zones {
        for r in zone_records(c, &zone).await? {
            for s in all.iter_mut().filter(|s| concerns(s, &r)) {
                let mut r = r.clone();
                if let Some(h) = &mut r.health_check {
                    if !checks.contains_key(&h.id) {
                        checks.insert(h.id.clone(), health_check(c, &h.id).await?);
                    }
                    *h = checks[&h.id].clone();
                }
                s.records.push(r);
            }
        }
    }
    Ok(())
}

/// A zone's A, AAAA and CNAME records, every page.
async fn zone_records(c: &Clients, zone: &str) -> Result<Vec<Record>, crate::aws::AwsError> {
    let mut out = Vec::new();
    crate::resources::route53::each_record(c, zone, |r| {
        let kind = r.r#type().as_str();
        if !matches!(kind, "A" | "AAAA" | "CNAME") {
            return;
        }
        out.push(Record {
            zone: zone.to_string(),
            name: plain(r.name()),
            kind: kind.to_string(),
            values: r
                .resource_records()
                .iter()
                .map(|v| v.value().to_string())
                .collect(),
            alias: r.alias_target().map(|a| plain(a.dns_name())),
            evaluate_target_health: r.alias_target().is_some_and(|a| a.evaluate_target_health()),
            failover: r.failover().map(|f| f.as_str().to_string()),
            set_id: r.set_identifier().map(str::to_string),
            health_check: r.health_check_id().map(|id| HealthCheck {
                id: id.to_string(),
                ..HealthCheck::default()
            }),
        });
    })
    .await?;
    Ok(out)
}

async fn health_check(c: &Clients, id: &str) -> Result<HealthCheck, crate::aws::AwsError> {
    let out = c
        .route53
        .get_health_check()
        .health_check_id(id)
        .send()
        .await
        .map_err(aws("GetHealthCheck"))?;
    let config = out.health_check().and_then(|h| h.health_check_config());
    Ok(HealthCheck {
        id: id.to_string(),
        disabled: config.and_then(|c| c.disabled()).unwrap_or(false),
        inverted: config.and_then(|c| c.inverted()).unwrap_or(false),
    })
}

#[cfg(test)]
mod tests {
    use super::covers;

    #[test]
    fn a_wildcard_covers_one_label() {
        assert!(covers("example.com", "example.com"));
        assert!(covers("*.example.com", "www.example.com"));
        assert!(!covers("*.example.com", "example.com"));
        assert!(!covers("*.example.com", "a.b.example.com"));
        assert!(!covers("example.com", "www.example.com"));
    }
}
