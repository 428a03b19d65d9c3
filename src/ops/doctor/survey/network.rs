//! The VPC's own network: subnets (which route to an Internet gateway, which NAT each
//! private one uses), the NAT gateways, and the security groups with their inbound rules.

use super::*;
use crate::aws::{Clients, aws};
use std::collections::BTreeMap;

/// Subnets, which route to an Internet gateway or a NAT gateway (a subnet without a
/// table of its own takes the VPC's main table), and the NAT gateways.
pub(super) async fn network(c: &Clients, s: &mut Survey) -> Result<(), crate::aws::AwsError> {
    let mut pages = c
        .ec2
        .describe_subnets()
        .filters(vpc_filter(&s.vpc))
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        for sn in page.map_err(aws("DescribeSubnets"))?.subnets() {
            s.subnets.push(Subnet {
                id: sn.subnet_id().unwrap_or_default().to_string(),
                name: name_of(sn.tags()),
                az: sn.availability_zone().unwrap_or_default().to_string(),
                map_public_ip: sn.map_public_ip_on_launch().unwrap_or(false),
                ..Subnet::default()
            });
        }
    }
    // Subnet (or "main") → (to an Internet gateway, the NAT it uses).
    let mut routes: BTreeMap<String, (bool, Option<String>)> = BTreeMap::new();
    let mut pages = c
        .ec2
        .describe_route_tables()
        .filters(vpc_filter(&s.vpc))
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        for t in page.map_err(aws("DescribeRouteTables"))?.route_tables() {
            let default = t
                .routes()
                .iter()
                .find(|r| r.destination_cidr_block() == Some("0.0.0.0/0"));
            let igw = default
                .and_then(|r| r.gateway_id())
                .is_some_and(|g| g.starts_with("igw-"));
            let nat = default.and_then(|r| r.nat_gateway_id()).map(str::to_string);
            for a in t.associations() {
                let key = if a.main() == Some(true) {
                    "main".to_string()
                } else {
                    a.subnet_id().unwrap_or_default().to_string()
                };
                routes.insert(key, (igw, nat.clone()));
            }
        }
    }
    let main = routes.get("main").cloned().unwrap_or((false, None));
    for sn in &mut s.subnets {
        let (igw, nat) = routes.get(&sn.id).cloned().unwrap_or_else(|| main.clone());
        sn.public = igw;
        sn.nat = nat;
    }
    let mut pages = c
        .ec2
        .describe_nat_gateways()
        .filter(vpc_filter(&s.vpc))
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        for n in page.map_err(aws("DescribeNatGateways"))?.nat_gateways() {
            let state = n.state().map(|s| s.as_str()).unwrap_or_default();
            if state == "deleted" || state == "deleting" || state == "failed" {
                continue;
            }
            s.nats.push(Nat {
                id: n.nat_gateway_id().unwrap_or_default().to_string(),
                name: name_of(n.tags()),
                subnet: n.subnet_id().unwrap_or_default().to_string(),
            });
        }
    }
    Ok(())
}

pub(super) async fn groups(c: &Clients, s: &mut Survey) -> Result<(), crate::aws::AwsError> {
    let mut pages = c
        .ec2
        .describe_security_groups()
        .filters(vpc_filter(&s.vpc))
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        for g in page
            .map_err(aws("DescribeSecurityGroups"))?
            .security_groups()
        {
            let ingress = g
                .ip_permissions()
                .iter()
                .map(|p| Ingress {
                    ports: (p.ip_protocol() != Some("-1"))
                        .then(|| (p.from_port().unwrap_or(0), p.to_port().unwrap_or(65535))),
                    cidrs: p
                        .ip_ranges()
                        .iter()
                        .filter_map(|r| r.cidr_ip().map(str::to_string))
                        .chain(
                            p.ipv6_ranges()
                                .iter()
                                .filter_map(|r| r.cidr_ipv6().map(str::to_string)),
                        )
                        .collect(),
                    groups: p
                        .user_id_group_pairs()
                        .iter()
                        .filter_map(|u| u.group_id().map(str::to_string))
                        .collect(),
                })
                .collect();
            let name = g.group_name().unwrap_or_default().to_string();
            s.groups.push(SecurityGroup {
                id: g.group_id().unwrap_or_default().to_string(),
                default: name == "default",
                name,
                ingress,
            });
        }
    }
    Ok(())
}
