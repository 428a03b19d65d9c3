//! Step 1, the network, as graph nodes: what a console user would build by hand following
//! the lab, with the same names (`<stack>-public-a`, `<stack>-nat-a`, ...).
//!
//! ```text
//! vpc ─┬─ subnet/public-a ── rtb-assoc/public-a ─┐        igw ── igw-attachment
//!      ├─ rtb/public ── route/public (→ igw) ────┘
//!      ├─ subnet/private-a ── rtb-assoc/private-a
//!      └─ rtb/private-a ── route/private-a (→ nat/a ← eip/nat-a, subnet/public-a)
//! ```

use crate::engine::{Graph, GraphError};
use crate::plan::{NatMode, Plan};
use crate::resources::adopted::{self, Adopted};
use crate::resources::default_security_group::DefaultSecurityGroup;
use crate::resources::elastic_ip::ElasticIp;
use crate::resources::flow_log::FlowLog;
use crate::resources::iam::{self, Role};
use crate::resources::igw_attachment::IgwAttachment;
use crate::resources::internet_gateway::InternetGateway;
use crate::resources::log_group::LogGroup;
use crate::resources::nat_gateway::NatGateway;
use crate::resources::route::{DefaultRoute, Via};
use crate::resources::route_table::RouteTable;
use crate::resources::route_table_association::RouteTableAssociation;
use crate::resources::subnet::Subnet;

/// The keys later steps hang their resources on.
#[derive(Debug, Clone, Default)]
pub struct NetworkKeys {
    pub vpc: String,
    pub public: Vec<String>,
    pub private: Vec<String>,
    /// What connects the public subnets to the internet: the gateway's attachment, the
    /// public route and associations (none for an adopted VPC, which has its own).
    pub internet: Vec<String>,
    /// What gives the private subnets outbound internet: NAT routes and associations.
    pub egress: Vec<String>,
}

/// The letter that tells AZs apart in names: `ap-northeast-2c` → `c`.
fn az_suffix(region: &str, az: &str, index: usize) -> String {
    match az.strip_prefix(region) {
        Some(s) if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric()) => s.to_string(),
        _ => (index + 1).to_string(),
    }
}

pub fn add(plan: &Plan, boundary: &str, g: &mut Graph) -> Result<NetworkKeys, GraphError> {
    let net = &plan.network;
    let keys = if net.adopts_vpc() {
        add_adopted(plan, g)?
    } else {
        add_created(plan, g)?
    };
    if net.flow_logs {
        flow_logs(plan, &keys.vpc, boundary, g)?;
    }
    Ok(keys)
}

/// The VPC's flow logs: a log group of the stack, the role that writes to it, the log.
fn flow_logs(plan: &Plan, vpc: &str, boundary: &str, g: &mut Graph) -> Result<(), GraphError> {
    let stack = &plan.stack.name;
    let group_name = format!("/hawiz/{stack}/vpc-flow-logs");
    let group = g.add(
        "log-group/flow-logs",
        LogGroup {
            name: group_name.clone(),
        },
    )?;
    let role = g.add(
        "iam-role/flow-logs",
        Role {
            name: crate::names::iam(stack, plan.region(), "flow-logs"),
            service: "vpc-flow-logs.amazonaws.com",
            purpose: "VPC flow logs write to the stack's log group".into(),
            inline_name: "write-flow-logs",
            inline: iam::flow_logs_policy(plan.region(), &group_name),
            managed: vec![],
            boundary: boundary.to_string(),
        },
    )?;
    g.add(
        "flow-log",
        FlowLog {
            name: format!("{stack}-vpc-flow-logs"),
            vpc: vpc.to_string(),
            log_group: group,
            role,
        },
    )?;
    Ok(())
}

fn add_created(plan: &Plan, g: &mut Graph) -> Result<NetworkKeys, GraphError> {
    let net = &plan.network;
    let stack = &plan.stack.name;
    let name = |what: &str| format!("{stack}-{what}");

    let vpc = g.add(
        "vpc",
        crate::resources::vpc::Vpc {
            name: name("vpc"),
            cidr: net.cidr.trim().to_string(),
        },
    )?;
    // Its default security group, emptied (nothing of hawiz's uses it).
    g.add(
        "default-sg",
        DefaultSecurityGroup {
            name: name("vpc-default"),
            vpc: vpc.clone(),
        },
    )?;
    let igw = g.add("igw", InternetGateway { name: name("igw") })?;
    let attached = g.add(
        "igw-attachment",
        IgwAttachment {
            name: name("igw"),
            igw: igw.clone(),
            vpc: vpc.clone(),
        },
    )?;
    let public_rt = g.add(
        "rtb/public",
        RouteTable {
            name: name("public-rt"),
            vpc: vpc.clone(),
        },
    )?;
    let public_route = g.add(
        "route/public",
        DefaultRoute {
            name: name("public-rt"),
            table: public_rt.clone(),
            via: Via::InternetGateway,
            target: igw.clone(),
            after: vec![attached.clone()],
        },
    )?;

    let suffixes: Vec<String> = net
        .azs()
        .iter()
        .enumerate()
        .map(|(i, az)| az_suffix(plan.region(), az, i))
        .collect();
    let mut keys = NetworkKeys {
        vpc: vpc.clone(),
        internet: vec![attached.clone(), public_route],
        ..NetworkKeys::default()
    };
    for (i, az) in net.azs().iter().enumerate() {
        let s = &suffixes[i];
        for (tier, cidrs) in [
            ("public", net.public_subnets()),
            ("private", net.private_subnets()),
        ] {
            let Some(cidr) = cidrs.get(i) else { continue };
            let subnet = g.add(
                format!("subnet/{tier}-{s}"),
                Subnet {
                    name: name(&format!("{tier}-{s}")),
                    vpc: vpc.clone(),
                    cidr: cidr.trim().to_string(),
                    az: az.clone(),
                    public: tier == "public",
                },
            )?;
            if tier == "public" {
                keys.internet.push(g.add(
                    format!("rtb-assoc/public-{s}"),
                    RouteTableAssociation {
                        name: name(&format!("public-{s}")),
                        table: public_rt.clone(),
                        subnet: subnet.clone(),
                    },
                )?);
                keys.public.push(subnet);
            } else {
                keys.private.push(subnet);
            }
        }
    }

    // NAT gateways: one per AZ, or one in the first AZ for all. Keyed by their AZ either
    // way, so going from one to one per AZ adds the others and keeps the first (and its
    // public address, which someone may have allow-listed), and back again removes them.
    let mut nats: Vec<String> = Vec::new();
    let nat_azs = match net.nat {
        NatMode::PerAz => suffixes.len(),
        NatMode::Single => 1.min(suffixes.len()),
        NatMode::None => 0,
    };
    for (i, s) in suffixes.iter().enumerate().take(nat_azs) {
        let Some(subnet) = keys.public.get(i) else {
            continue;
        };
        let eip = g.add(
            format!("eip/nat-{s}"),
            ElasticIp {
                name: name(&format!("nat-{s}-eip")),
            },
        )?;
        nats.push(g.add(
            format!("nat/{s}"),
            NatGateway {
                name: name(&format!("nat-{s}")),
                subnet: subnet.clone(),
                eip,
                after: vec![attached.clone()],
            },
        )?);
    }

    // Private route tables, one per AZ, each to the NAT in its own AZ (or the single NAT),
    // so an AZ outage never strands the other AZ.
    for (i, s) in suffixes.iter().enumerate() {
        let Some(subnet) = keys.private.get(i) else {
            continue;
        };
        let table = g.add(
            format!("rtb/private-{s}"),
            RouteTable {
                name: name(&format!("private-rt-{s}")),
                vpc: vpc.clone(),
            },
        )?;
        if let Some(nat) = nats.get(i).or(nats.first()) {
            keys.egress.push(g.add(
                format!("route/private-{s}"),
                DefaultRoute {
                    name: name(&format!("private-rt-{s}")),
                    table: table.clone(),
                    via: Via::NatGateway,
                    target: nat.clone(),
                    after: vec![],
                },
            )?);
        }
        keys.egress.push(g.add(
            format!("rtb-assoc/private-{s}"),
            RouteTableAssociation {
                name: name(&format!("private-{s}")),
                table,
                subnet: subnet.clone(),
            },
        )?);
    }
    Ok(keys)
}

fn add_adopted(plan: &Plan, g: &mut Graph) -> Result<NetworkKeys, GraphError> {
    let net = &plan.network;
    let vpc = g.add(
        "vpc",
        Adopted {
            what: adopted::What::Vpc,
            id: net.vpc_id.trim().to_string(),
        },
    )?;
    let mut keys = NetworkKeys {
        vpc,
        ..NetworkKeys::default()
    };
    for (tier, ids, out) in [
        ("public", &net.public_subnet_ids, &mut keys.public),
        ("private", &net.private_subnet_ids, &mut keys.private),
    ] {
        for (i, id) in ids.iter().enumerate() {
            out.push(g.add(
                format!("subnet/{tier}-{}", i + 1),
                Adopted {
                    what: adopted::What::Subnet,
                    id: id.trim().to_string(),
                },
            )?);
        }
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(toml: &str) -> Graph {
        let mut plan = Plan::from_toml(toml).unwrap();
        plan.resolve(None);
        let mut g = Graph::default();
        g.add(
            "iam-boundary",
            crate::resources::boundary::Boundary::for_stack(&plan.stack.name),
        )
        .unwrap();
        add(&plan, "iam-boundary", &mut g).unwrap();
        g.check().unwrap();
        g
    }

    fn keys(g: &Graph) -> Vec<String> {
        g.nodes().map(|n| n.key.clone()).collect()
    }

    #[test]
    fn per_az_nat_gives_each_private_table_its_own_nat() {
        let g = graph("");
        // 21 network resources, the VPC's emptied default group, and the boundary.
        assert_eq!(g.len(), 21 + 1 + 1);
        for s in ["a", "c"] {
            let route = g.get(&format!("route/private-{s}")).unwrap();
            assert!(route.deps.contains(&format!("nat/{s}")), "{:?}", route.deps);
            let nat = g.get(&format!("nat/{s}")).unwrap();
            assert!(nat.deps.contains(&format!("subnet/public-{s}")));
            assert!(nat.deps.contains(&"igw-attachment".to_string()));
        }
        assert_eq!(
            g.get("subnet/public-a").unwrap().res.name(),
            "wordpress-ha-public-a"
        );
    }

    #[test]
    fn single_nat_serves_every_az() {
        let g = graph("[network]\nnat = \"single\"");
        // Keyed by its AZ, like the first of the per-AZ ones: switching keeps it.
        assert!(keys(&g).contains(&"nat/a".to_string()));
        assert!(!keys(&g).contains(&"nat/c".to_string()));
        assert!(
            g.get("route/private-c")
                .unwrap()
                .deps
                .contains(&"nat/a".to_string())
        );
        assert_eq!(g.get("nat/a").unwrap().res.name(), "wordpress-ha-nat-a");
        assert_eq!(g.len(), 19 + 1 + 1);
    }

    #[test]
    fn no_nat_means_no_private_default_route() {
        let g = graph("[network]\nnat = \"none\"");
        assert!(
            !keys(&g)
                .iter()
                .any(|k| k.starts_with("nat") || k.starts_with("route/private"))
        );
    }

    #[test]
    fn adopted_network_is_only_adopted_nodes() {
        let g = graph(
            "[network]\nvpc_id = \"vpc-1\"\npublic_subnet_ids = [\"subnet-1\", \"subnet-2\"]\nprivate_subnet_ids = [\"subnet-3\", \"subnet-4\"]",
        );
        let network: Vec<_> = g.nodes().filter(|n| n.key != "iam-boundary").collect();
        assert_eq!(network.len(), 5);
        assert!(network.iter().all(|n| n.res.adopted()));
        assert!(
            g.get("default-sg").is_none(),
            "the user's VPC's default group is theirs"
        );
    }
}
