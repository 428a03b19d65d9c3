//! What `doctor` reads of a VPC, with the describe calls a read-only user has (every one
//! paged): the network (subnets, which of them route to an Internet gateway, which NAT
//! each private one uses), its security groups, load balancers, Auto Scaling groups and
//! databases. A read that is refused leaves its part empty and is said (`unchecked`),
//! never passed over as if there were nothing to find.

use crate::aws::{Clients, aws};
use crate::i18n::Text;

pub(crate) mod data;
mod network;
mod records;
pub(crate) mod tiers;

use network::{groups, network};

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
    /// Its instances (with a public address, when they have one).
    pub instances: Vec<Instance>,
    /// Route 53 records for the site: at its load balancers, its instances' addresses,
    /// or the names its certificates are for.
    pub records: Vec<Record>,
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
    /// Instances launched in it get a public address (meant as a public subnet).
    pub map_public_ip: bool,
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
    /// Its DNS name (lower case, as Route 53 aliases name it).
    pub dns_name: String,
    /// The hosted zone an alias to it names.
    pub zone_id: String,
}

/// A target group's health check.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TargetGroup {
    pub name: String,
    pub arn: String,
    pub interval: i32,
    pub unhealthy_threshold: i32,
    pub path: String,
    /// The HTTP codes it counts as healthy (`200`, `200-399`).
    pub matcher: String,
    /// Targets failing because the path answers a redirect: (target, the codes).
    pub redirected: Vec<(String, String)>,
}

impl TargetGroup {
    /// The matcher counts a redirect (some 3xx) as healthy.
    pub fn accepts_redirects(&self) -> bool {
        self.matcher.split(',').any(|part| {
            let mut ends = part.trim().splitn(2, '-').map(|n| n.trim().parse::<u16>());
            match (ends.next(), ends.next()) {
                (Some(Ok(from)), Some(Ok(to))) => from < 400 && to >= 300,
                (Some(Ok(code)), None) => (300..400).contains(&code),
                _ => false,
            }
        })
    }
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
    /// Every name it is for: the domain and its alternative names.
    pub names: Vec<String>,
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
    /// The AZ of each of its in-service instances.
    pub instance_zones: Vec<String>,
    /// Its `AZRebalance` process is suspended.
    pub rebalance_suspended: bool,
}

/// What the group launches from (the version it uses).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Template {
    pub name: String,
    /// Instance metadata only with session tokens (IMDSv2).
    pub imds_v2: bool,
    /// A volume it defines is not encrypted.
    pub unencrypted_volume: bool,
    /// The security groups its instances get.
    pub groups: Vec<String>,
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
    /// `mariadb`, `mysql`...
    pub engine: String,
    pub engine_version: String,
    /// Its DB parameter group's name.
    pub parameter_group: String,
    /// `require_secure_transport` is on; `None` when it could not be read.
    pub tls_required: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Instance {
    pub id: String,
    pub name: String,
    pub public_ip: Option<String>,
    pub public_dns: Option<String>,
}

/// A Route 53 record of the site.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    pub zone: String,
    /// Without the final dot.
    pub name: String,
    /// `A`, `AAAA`, `CNAME`.
    pub kind: String,
    pub values: Vec<String>,
    /// The alias target's DNS name (lower case, no final dot).
    pub alias: Option<String>,
    pub evaluate_target_health: bool,
    /// `PRIMARY` or `SECONDARY`.
    pub failover: Option<String>,
    pub set_id: Option<String>,
    pub health_check: Option<HealthCheck>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct HealthCheck {
    pub id: String,
    /// A disabled check counts as healthy.
    pub disabled: bool,
    /// An inverted check says healthy when its target fails.
    pub inverted: bool,
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

/// A read that failed, said as what it leaves unchecked; one that was refused says too
/// which statement of the policy allows it.
pub(crate) fn unread_aws(e: crate::aws::AwsError, what: &str, what_ko: &str) -> Text {
    let denied = e.class == crate::aws::Class::Denied;
    let mut said = unread(e, what, what_ko);
    if denied {
        said.en.push_str(
            "; the deployer policy's read statement (ReadEverythingHawizLooksAt in assets/iam-policy.json, or `hawiz policy`) allows every read doctor makes",
        );
        said.ko.push_str(
            "; 배포자 정책의 읽기 문장(assets/iam-policy.json의 ReadEverythingHawizLooksAt, 또는 `hawiz policy`)이 doctor가 하는 모든 읽기를 허용합니다",
        );
    }
    said
}

/// A read that was refused (or failed): said as what it leaves unchecked.
pub(crate) fn unread(e: impl std::fmt::Display, what: &str, what_ko: &str) -> Text {
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
    Ok(read_region(c, Some(vpc)).await?.pop())
}

/// Every VPC of the region (or only `only`, none when it does not exist), each with what
/// the checks look at. What is listed region-wide (load balancers, groups, databases,
/// file systems, instances, Route 53) is read once and shared out by VPC.
pub async fn read_region(
    c: &Clients,
    only: Option<&str>,
) -> Result<Vec<Survey>, crate::aws::AwsError> {
    let mut surveys = Vec::new();
    let mut pages = c
        .ec2
        .describe_vpcs()
        .set_vpc_ids(only.map(|v| vec![v.to_string()]))
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = match page.map_err(aws("DescribeVpcs")) {
            Err(e) if e.is_not_found() => return Ok(vec![]),
            r => r?,
        };
        surveys.extend(page.vpcs().iter().map(survey_of));
    }
    for s in &mut surveys {
        own(c, s).await;
    }
    if surveys.is_empty() {
        return Ok(surveys);
    }
    let all = &mut surveys;
    if let Err(e) = tiers::load_balancers(c, all).await {
        unread_all(all, e, "load balancers", "로드 밸런서");
    }
    if let Err(e) = tiers::scaling_groups(c, all).await {
        unread_all(all, e, "Auto Scaling groups", "Auto Scaling 그룹");
    }
    if let Err(e) = data::databases(c, all).await {
        unread_all(all, e, "databases", "데이터베이스");
    }
    if let Err(e) = data::file_systems(c, all).await {
        unread_all(all, e, "EFS file systems", "EFS 파일 시스템");
    }
    if let Err(e) = tiers::certificates(c, all).await {
        unread_all(all, e, "the listeners' certificates", "리스너의 인증서");
    }
    if let Err(e) = records::instances(c, all).await {
        unread_all(all, e, "instances", "인스턴스");
    }
    if let Err(e) = records::records(c, all).await {
        unread_all(
            all,
            e,
            "the site's Route 53 records",
            "사이트의 Route 53 레코드",
        );
    }
    Ok(surveys)
}

fn survey_of(v: &aws_sdk_ec2::types::Vpc) -> Survey {
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
    Survey {
        vpc: v.vpc_id().unwrap_or_default().to_string(),
        name: name_of(v.tags()),
        standby_of,
        cidr: v.cidr_block().unwrap_or_default().to_string(),
        ..Survey::default()
    }
}

fn unread_all(all: &mut [Survey], e: crate::aws::AwsError, what: &str, what_ko: &str) {
    let said = unread_aws(e, what, what_ko);
    for s in all {
        s.unchecked.push(said.clone());
    }
}

/// What the VPC alone holds: its DNS setting, network and security groups.
async fn own(c: &Clients, s: &mut Survey) {
    match c
        .ec2
        .describe_vpc_attribute()
        .vpc_id(&s.vpc)
        .attribute(aws_sdk_ec2::types::VpcAttributeName::EnableDnsHostnames)
        .send()
        .await
        .map_err(aws("DescribeVpcAttribute"))
    {
        Ok(a) => s.dns_hostnames = a.enable_dns_hostnames().and_then(|b| b.value()),
        Err(e) => s
            .unchecked
            .push(unread_aws(e, "the VPC's DNS settings", "VPC의 DNS 설정")),
    }
    if let Err(e) = network(c, s).await {
        s.unchecked.push(unread_aws(
            e,
            "subnets and route tables",
            "서브넷과 라우팅 테이블",
        ));
    }
    if let Err(e) = groups(c, s).await {
        s.unchecked
            .push(unread_aws(e, "security groups", "보안 그룹"));
    }
}

/// The survey of the VPC that holds `subnet`.
pub(super) fn holding<'a>(all: &'a mut [Survey], subnet: &str) -> Option<&'a mut Survey> {
    all.iter_mut().find(|s| s.subnet(subnet).is_some())
}

/// The survey of `vpc`.
pub(super) fn of<'a>(all: &'a mut [Survey], vpc: Option<&str>) -> Option<&'a mut Survey> {
    all.iter_mut().find(|s| Some(s.vpc.as_str()) == vpc)
}
