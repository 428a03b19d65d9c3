//! What `doctor` reads of a VPC, with the describe calls a read-only user has (every one
//! paged): the network (subnets, which of them route to an Internet gateway, which NAT
//! each private one uses), its security groups, load balancers, Auto Scaling groups and
//! databases. A read that is refused leaves its part empty and is said (`unchecked`),
//! never passed over as if there were nothing to find.

use crate::aws::{Clients, aws};
use crate::i18n::Text;
use std::collections::BTreeMap;

mod data;
mod tiers;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Survey {
    pub vpc: String,
    pub name: String,
    pub cidr: String,
    /// The hawiz stack whose failover standby this VPC is (its `hawiz:key` says so).
    pub standby_of: Option<String>,
    /// `EnableDnsHostnames`; `None` when it could not be read.
    pub dns_hostnames: Option<bool>,
    pub subnets: Vec<Subnet>,
    pub nats: Vec<Nat>,
    pub groups: Vec<SecurityGroup>,
    pub load_balancers: Vec<LoadBalancer>,
    pub scaling_groups: Vec<ScalingGroup>,
    pub databases: Vec<Database>,
    /// The certificates the load balancers' listeners serve.
    pub certificates: Vec<Certificate>,
    /// File systems with a mount target in this VPC.
    pub file_systems: Vec<FileSystem>,
    /// What could not be read, and so could not be checked.
    pub unchecked: Vec<Text>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Subnet {
    pub id: String,
    pub name: String,
    pub az: String,
    /// Its route table sends 0.0.0.0/0 to an Internet gateway.
    pub public: bool,
    /// The NAT gateway its 0.0.0.0/0 goes to, if one does.
    pub nat: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Nat {
    pub id: String,
    pub name: String,
    pub subnet: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SecurityGroup {
    pub id: String,
    pub name: String,
    /// The VPC's default group.
    pub default: bool,
    pub ingress: Vec<Ingress>,
}

/// One inbound rule: a port range and where from (CIDRs and other groups).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ingress {
    /// `None`: every port (protocol -1).
    pub ports: Option<(i32, i32)>,
    pub cidrs: Vec<String>,
    pub groups: Vec<String>,
}

impl Ingress {
    pub fn covers(&self, port: i32) -> bool {
        self.ports
            .is_none_or(|(from, to)| from <= port && port <= to)
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct LoadBalancer {
    pub name: String,
    pub arn: String,
    pub internet_facing: bool,
    pub subnets: Vec<String>,
    pub groups: Vec<String>,
    pub listeners: Vec<Listener>,
    pub target_groups: Vec<TargetGroup>,
}

/// A target group's health check.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TargetGroup {
    pub name: String,
    pub arn: String,
    pub interval: i32,
    pub unhealthy_threshold: i32,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Listener {
    pub arn: String,
    pub port: i32,
    /// `HTTP`, `HTTPS`.
    pub protocol: String,
    /// Its default action sends visitors to HTTPS.
    pub redirects_to_https: bool,
    pub ssl_policy: Option<String>,
    pub certificates: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Certificate {
    pub arn: String,
    pub domain: String,
    /// ACM's status: `ISSUED`, `PENDING_VALIDATION`, `EXPIRED`...
    pub status: String,
    /// Days until it expires, when ACM says.
    pub days_left: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScalingGroup {
    pub name: String,
    pub subnets: Vec<String>,
    pub min: i32,
    /// `EC2` or `ELB`.
    pub health_check: String,
    pub target_groups: usize,
    pub template: Option<Template>,
    /// Its scaling policies.
    pub policies: usize,
}

/// What the group launches from (the version it uses).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Template {
    pub name: String,
    /// Instance metadata only with session tokens (IMDSv2).
    pub imds_v2: bool,
    /// A volume it defines is not encrypted.
    pub unencrypted_volume: bool,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct FileSystem {
    pub id: String,
    pub name: String,
    /// The AZs where it has a mount target in this VPC.
    pub zones: Vec<String>,
    /// Its mount targets' groups.
    pub groups: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Database {
    pub id: String,
    pub multi_az: bool,
    pub public: bool,
    pub encrypted: bool,
    pub backup_days: i32,
    pub port: i32,
    pub groups: Vec<String>,
    pub deletion_protection: bool,
}

impl Survey {
    pub fn subnet(&self, id: &str) -> Option<&Subnet> {
        self.subnets.iter().find(|s| s.id == id)
    }

    pub fn group(&self, id: &str) -> Option<&SecurityGroup> {
        self.groups.iter().find(|g| g.id == id)
    }

    /// The AZs of these subnets, each once.
    pub fn zones(&self, subnets: &[String]) -> Vec<String> {
        let mut zones: Vec<String> = subnets
            .iter()
            .filter_map(|s| self.subnet(s).map(|s| s.az.clone()))
            .collect();
        zones.sort();
        zones.dedup();
        zones
    }
}

fn name_of(tags: &[aws_sdk_ec2::types::Tag]) -> String {
    tags.iter()
        .find(|t| t.key() == Some("Name"))
        .and_then(|t| t.value())
        .unwrap_or_default()
        .to_string()
}

fn vpc_filter(vpc: &str) -> aws_sdk_ec2::types::Filter {
    aws_sdk_ec2::types::Filter::builder()
        .name("vpc-id")
        .values(vpc)
        .build()
}

/// A read that was refused (or failed): said as what it leaves unchecked.
pub(super) fn unread(e: impl std::fmt::Display, what: &str, what_ko: &str) -> Text {
    Text::new(
        format!("{what} could not be read ({e}), so its checks did not run"),
        format!(
            "{} 읽지 못해 ({e}) 그 검사를 하지 않았습니다",
            crate::i18n::korean::with(what_ko, crate::i18n::korean::Josa::EulReul)
        ),
    )
}

/// Everything of `vpc` the checks look at. `Ok(None)`: no such VPC.
pub async fn read(c: &Clients, vpc: &str) -> Result<Option<Survey>, crate::aws::AwsError> {
    let found = c
        .ec2
        .describe_vpcs()
        .vpc_ids(vpc)
        .send()
        .await
        .map_err(aws("DescribeVpcs"));
    let found = match found {
        Err(e) if e.is_not_found() => return Ok(None),
        r => r?,
    };
    let Some(v) = found.vpcs().first() else {
        return Ok(None);
    };
    let tag = |key: &str| {
        v.tags()
            .iter()
            .find(|t| t.key() == Some(key))
            .and_then(|t| t.value())
            .map(str::to_string)
    };
    let standby_of = tag("hawiz:key")
        .filter(|k| k.starts_with("standby/"))
        .and(tag("hawiz:stack"));
    let mut s = Survey {
        vpc: vpc.to_string(),
        name: name_of(v.tags()),
        standby_of,
        cidr: v.cidr_block().unwrap_or_default().to_string(),
        ..Survey::default()
    };
    match c
        .ec2
        .describe_vpc_attribute()
        .vpc_id(vpc)
        .attribute(aws_sdk_ec2::types::VpcAttributeName::EnableDnsHostnames)
        .send()
        .await
        .map_err(aws("DescribeVpcAttribute"))
    {
        Ok(a) => s.dns_hostnames = a.enable_dns_hostnames().and_then(|b| b.value()),
        Err(e) => s
            .unchecked
            .push(unread(e, "the VPC's DNS settings", "VPC의 DNS 설정")),
    }
    if let Err(e) = network(c, &mut s).await {
        s.unchecked.push(unread(
            e,
            "subnets and route tables",
            "서브넷과 라우팅 테이블",
        ));
    }
    if let Err(e) = groups(c, &mut s).await {
        s.unchecked.push(unread(e, "security groups", "보안 그룹"));
    }
    if let Err(e) = tiers::load_balancers(c, &mut s).await {
        s.unchecked.push(unread(e, "load balancers", "로드 밸런서"));
    }
    if let Err(e) = tiers::scaling_groups(c, &mut s).await {
        s.unchecked
            .push(unread(e, "Auto Scaling groups", "Auto Scaling 그룹"));
    }
    if let Err(e) = data::databases(c, &mut s).await {
        s.unchecked.push(unread(e, "databases", "데이터베이스"));
    }
    if let Err(e) = data::file_systems(c, &mut s).await {
        s.unchecked
            .push(unread(e, "EFS file systems", "EFS 파일 시스템"));
    }
    if let Err(e) = tiers::certificates(c, &mut s).await {
        s.unchecked
            .push(unread(e, "the listeners' certificates", "리스너의 인증서"));
    }
    Ok(Some(s))
}

/// Subnets, which route to an Internet gateway or a NAT gateway (a subnet without a
/// table of its own takes the VPC's main table), and the NAT gateways.
async fn network(c: &Clients, s: &mut Survey) -> Result<(), crate::aws::AwsError> {
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

async fn groups(c: &Clients, s: &mut Survey) -> Result<(), crate::aws::AwsError> {
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

/// The region's VPCs: (ID, Name tag).
pub async fn vpcs(c: &Clients) -> Result<Vec<(String, String)>, crate::aws::AwsError> {
    let mut out = Vec::new();
    let mut pages = c.ec2.describe_vpcs().into_paginator().send();
    while let Some(page) = pages.next().await {
        for v in page.map_err(aws("DescribeVpcs"))?.vpcs() {
            out.push((
                v.vpc_id().unwrap_or_default().to_string(),
                name_of(v.tags()),
            ));
        }
    }
    Ok(out)
}
