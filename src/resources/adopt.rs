//! Checks before adopting a VPC the user built by hand: each subnet is classified from
//! the route table that governs it (its explicit association, else the VPC's main table),
//! and a "public" subnet without a 0.0.0.0/0 route to an Internet gateway, or a "private"
//! one with such a route, is refused by name, before anything is created.

use crate::aws::ec2::filter;
use crate::aws::{AwsError, Clients, aws};
use crate::plan::{Finding, Network, Report};
use std::collections::BTreeSet;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    InternetGateway(String),
    NatGateway(String),
    /// Anything else (instance, peering, transit gateway, blackhole...).
    Other(String),
}

#[derive(Debug, Clone)]
pub struct Table {
    pub id: String,
    pub main: bool,
    pub subnets: Vec<String>,
    /// Where 0.0.0.0/0 goes, if anywhere.
    pub default_route: Option<Target>,
}

#[derive(Debug, Clone)]
pub struct SubnetFacts {
    pub id: String,
    pub az: String,
    pub cidr: String,
}

/// The route table that decides a subnet's traffic.
pub fn governing<'a>(subnet: &str, tables: &'a [Table]) -> Option<&'a Table> {
    tables
        .iter()
        .find(|t| t.subnets.iter().any(|s| s == subnet))
        .or_else(|| tables.iter().find(|t| t.main))
}

/// Pure: classify and check the chosen subnets. `in_vpc` are the VPC's subnets.
pub fn check(net: &Network, in_vpc: &[SubnetFacts], tables: &[Table]) -> Report {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let vpc = net.vpc_id.trim();
    for (tier, tier_ko, ids) in [
        ("public", "퍼블릭", &net.public_subnet_ids),
        ("private", "프라이빗", &net.private_subnet_ids),
    ] {
        let key = format!("network.{tier}_subnet_ids");
        let mut azs = BTreeSet::new();
        for (i, id) in ids.iter().enumerate() {
            let field = format!("{key}[{i}]");
            let Some(facts) = in_vpc.iter().find(|s| s.id == *id) else {
                errors.push(Finding {
                    field,
                    message: format!("{id} is not a subnet of {vpc}"),
                    ko: format!("{id}: {vpc}의 서브넷이 아닙니다"),
                });
                continue;
            };
            azs.insert(facts.az.clone());
            let about = format!("{id} ({}, {})", facts.cidr, facts.az);
            let table = governing(id, tables);
            let table_id = table.map(|t| t.id.as_str()).unwrap_or("none");
            let route = table.and_then(|t| t.default_route.as_ref());
            match (tier, route) {
                ("public", Some(Target::InternetGateway(_))) => {}
                ("public", _) => errors.push(Finding {
                    field,
                    message: format!(
                        "{about} is not public: its route table {table_id} has no 0.0.0.0/0 \
                         route to an Internet gateway, so a load balancer there could not be \
                         reached from the internet. Choose a subnet whose route table sends \
                         0.0.0.0/0 to an igw-, or add that route"
                    ),
                    ko: format!(
                        "{about}: 퍼블릭 서브넷이 아닙니다. 라우팅 테이블 {table_id}에 인터넷 \
                         게이트웨이로 가는 0.0.0.0/0 경로가 없어, 그곳의 로드 밸런서에 인터넷에서 \
                         접근할 수 없습니다. 라우팅 테이블이 0.0.0.0/0을 igw-로 보내는 서브넷을 \
                         고르거나 그 경로를 추가하세요"
                    ),
                }),
                (_, Some(Target::InternetGateway(igw))) => errors.push(Finding {
                    field,
                    message: format!(
                        "{about} is not private: its route table {table_id} sends 0.0.0.0/0 to \
                         the Internet gateway {igw}, which would expose the app and database \
                         tiers. Choose a subnet that routes through a NAT gateway"
                    ),
                    ko: format!(
                        "{about}: 프라이빗 서브넷이 아닙니다. 라우팅 테이블 {} \
                         0.0.0.0/0을 인터넷 게이트웨이 {} 보내므로 앱 계층과 데이터베이스 \
                         계층이 노출됩니다. NAT 게이트웨이를 거쳐 라우팅되는 서브넷을 고르세요",
                        crate::i18n::korean::with(table_id, crate::i18n::korean::Josa::IGa),
                        crate::i18n::korean::with(igw, crate::i18n::korean::Josa::EuroRo)
                    ),
                }),
                (_, Some(Target::NatGateway(_))) => {}
                _ => warnings.push(Finding {
                    field,
                    message: format!(
                        "{about} has no route to a NAT gateway (route table {table_id}): \
                         instances there cannot reach the internet to install packages"
                    ),
                    ko: format!(
                        "{about}: NAT 게이트웨이로 가는 경로가 없습니다 (라우팅 테이블 {table_id}). \
                         그곳의 인스턴스는 인터넷에 접근할 수 없어 패키지를 설치하지 못합니다"
                    ),
                }),
            }
        }
        if tier == "private" {
            one_nat_for_several_azs(ids, in_vpc, tables, &key, &mut warnings);
        }
        if azs.len() < 2 && ids.len() >= 2 {
            let only = azs.into_iter().next().unwrap_or_default();
            errors.push(Finding {
                field: key,
                message: format!(
                    "the {tier} subnets are all in {only}; an HA site needs them in at least 2 \
                     availability zones"
                ),
                ko: format!(
                    "{tier_ko} 서브넷이 모두 {only}에 있습니다. HA 사이트에는 가용 영역 2개 이상에 \
                     걸쳐 있어야 합니다"
                ),
            });
        }
    }
    Report { errors, warnings }
}

/// A NAT gateway lives in one AZ: private subnets of several AZs that all go out through
/// it lose the internet together when that AZ fails (the lab's single point of failure,
/// warned for a created `nat = "single"` too).
fn one_nat_for_several_azs(
    ids: &[String],
    in_vpc: &[SubnetFacts],
    tables: &[Table],
    key: &str,
    warnings: &mut Vec<Finding>,
) {
    let mut by_nat: std::collections::BTreeMap<&str, BTreeSet<&str>> = Default::default();
    for id in ids {
        let az = in_vpc.iter().find(|s| s.id == *id).map(|s| s.az.as_str());
        let route = governing(id, tables).and_then(|t| t.default_route.as_ref());
        if let (Some(az), Some(Target::NatGateway(nat))) = (az, route) {
            by_nat.entry(nat).or_default().insert(az);
        }
    }
    for (nat, azs) in by_nat.into_iter().filter(|(_, azs)| azs.len() > 1) {
        let azs = azs.into_iter().collect::<Vec<_>>().join(", ");
        warnings.push(Finding {
            field: key.to_string(),
            message: format!(
                "one NAT gateway, {nat}, serves the private subnets of {azs}: a NAT gateway \
                 lives in one AZ, so if that AZ fails the instances of the others lose the \
                 internet too (a single point of failure). For HA, give each AZ's private \
                 route table its own NAT gateway in that AZ"
            ),
            ko: format!(
                "NAT 게이트웨이 하나({nat})가 {azs}의 프라이빗 서브넷을 모두 맡습니다. NAT \
                 게이트웨이는 한 가용 영역에 있으므로 그 영역이 멈추면 다른 영역의 인스턴스도 \
                 인터넷을 잃습니다(단일 장애 지점). HA를 위해 영역마다 프라이빗 라우팅 테이블이 \
                 그 영역의 NAT 게이트웨이를 쓰게 하세요"
            ),
        });
    }
}

/// Read the VPC's subnets and route tables, then `check`.
pub async fn inspect(aws_clients: &Clients, net: &Network) -> Result<Report, AwsError> {
    let ec2 = &aws_clients.ec2;
    let vpc = net.vpc_id.trim();
    let found = ec2
        .describe_vpcs()
        .vpc_ids(vpc)
        .send()
        .await
        .map_err(aws("DescribeVpcs"));
    let missing = match &found {
        Ok(out) => out.vpcs().is_empty(),
        Err(e) if e.is_not_found() => true,
        Err(e) => return Err(e.clone()),
    };
    if missing {
        return Ok(Report {
            errors: vec![Finding {
                field: "network.vpc_id".into(),
                message: format!("{vpc} does not exist in region {}", aws_clients.region),
                ko: format!("{vpc}: 리전 {}에 존재하지 않습니다", aws_clients.region),
            }],
            warnings: vec![],
        });
    }
    let (in_vpc, tables) = read_vpc(aws_clients, vpc).await?;
    Ok(check(net, &in_vpc, &tables))
}

/// A VPC's subnets and route tables, as the checks (and the wizard's subnet list) use them.
pub async fn read_vpc(
    clients: &Clients,
    vpc: &str,
) -> Result<(Vec<SubnetFacts>, Vec<Table>), AwsError> {
    let ec2 = &clients.ec2;
    let subnets = ec2
        .describe_subnets()
        .filters(filter("vpc-id", vpc))
        .send()
        .await
        .map_err(aws("DescribeSubnets"))?;
    let in_vpc: Vec<SubnetFacts> = subnets
        .subnets()
        .iter()
        .map(|s| SubnetFacts {
            id: s.subnet_id().unwrap_or_default().to_string(),
            az: s.availability_zone().unwrap_or_default().to_string(),
            cidr: s.cidr_block().unwrap_or_default().to_string(),
        })
        .collect();
    let rts = ec2
        .describe_route_tables()
        .filters(filter("vpc-id", vpc))
        .send()
        .await
        .map_err(aws("DescribeRouteTables"))?;
    let tables: Vec<Table> = rts
        .route_tables()
        .iter()
        .map(|t| Table {
            id: t.route_table_id().unwrap_or_default().to_string(),
            main: t.associations().iter().any(|a| a.main() == Some(true)),
            subnets: t
                .associations()
                .iter()
                .filter_map(|a| a.subnet_id().map(str::to_string))
                .collect(),
            default_route: t
                .routes()
                .iter()
                .find(|r| r.destination_cidr_block() == Some("0.0.0.0/0"))
                .map(|r| match (r.gateway_id(), r.nat_gateway_id()) {
                    (Some(g), _) if g.starts_with("igw-") => Target::InternetGateway(g.to_string()),
                    (_, Some(n)) => Target::NatGateway(n.to_string()),
                    (Some(other), _) => Target::Other(other.to_string()),
                    _ => Target::Other("unknown".into()),
                }),
        })
        .collect();
    Ok((in_vpc, tables))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(id: &str, main: bool, subnets: &[&str], route: Option<Target>) -> Table {
        Table {
            id: id.into(),
            main,
            subnets: subnets.iter().map(|s| s.to_string()).collect(),
            default_route: route,
        }
    }

    fn subnet(id: &str, az: &str) -> SubnetFacts {
        SubnetFacts {
            id: id.into(),
            az: az.into(),
            cidr: "10.0.0.0/24".into(),
        }
    }

    fn net(public: &[&str], private: &[&str]) -> Network {
        Network {
            vpc_id: "vpc-1".into(),
            public_subnet_ids: public.iter().map(|s| s.to_string()).collect(),
            private_subnet_ids: private.iter().map(|s| s.to_string()).collect(),
            ..Network::default()
        }
    }

    fn lab() -> (Vec<SubnetFacts>, Vec<Table>) {
        let subnets = vec![
            subnet("subnet-p1", "az-a"),
            subnet("subnet-p2", "az-c"),
            subnet("subnet-q1", "az-a"),
            subnet("subnet-q2", "az-c"),
        ];
        let tables = vec![
            table("rtb-main", true, &[], None),
            table(
                "rtb-pub",
                false,
                &["subnet-p1", "subnet-p2"],
                Some(Target::InternetGateway("igw-1".into())),
            ),
            table(
                "rtb-nat",
                false,
                &["subnet-q1"],
                Some(Target::NatGateway("nat-1".into())),
            ),
            table(
                "rtb-nat-c",
                false,
                &["subnet-q2"],
                Some(Target::NatGateway("nat-2".into())),
            ),
        ];
        (subnets, tables)
    }

    #[test]
    fn one_nat_for_both_azs_is_a_warning_at_the_private_subnets() {
        let (s, mut t) = lab();
        t.pop();
        t[2].subnets.push("subnet-q2".into());
        let r = check(
            &net(&["subnet-p1", "subnet-p2"], &["subnet-q1", "subnet-q2"]),
            &s,
            &t,
        );
        assert!(r.errors.is_empty(), "{r:?}");
        assert_eq!(r.warnings.len(), 1, "{r:?}");
        assert!(
            r.warnings[0].to_string().starts_with(
                "network.private_subnet_ids: one NAT gateway, nat-1, serves the private subnets of az-a, az-c"
            ),
            "{r:?}"
        );
    }

    #[test]
    fn lab_built_by_hand_is_accepted() {
        let (s, t) = lab();
        let r = check(
            &net(&["subnet-p1", "subnet-p2"], &["subnet-q1", "subnet-q2"]),
            &s,
            &t,
        );
        assert!(r.errors.is_empty() && r.warnings.is_empty(), "{r:?}");
    }

    #[test]
    fn public_subnet_without_igw_route_is_refused_by_name() {
        let (s, t) = lab();
        let r = check(
            &net(&["subnet-p1", "subnet-q2"], &["subnet-q1", "subnet-p2"]),
            &s,
            &t,
        );
        let text: Vec<String> = r.errors.iter().map(|f| f.to_string()).collect();
        assert!(text[0].starts_with("network.public_subnet_ids[1]: subnet-q2 (10.0.0.0/24, az-c) is not public: its route table rtb-nat-c has no 0.0.0.0/0 route to an Internet gateway"), "{text:?}");
        assert!(text[1].starts_with("network.private_subnet_ids[1]: subnet-p2 (10.0.0.0/24, az-c) is not private: its route table rtb-pub sends 0.0.0.0/0 to the Internet gateway igw-1"), "{text:?}");
    }

    #[test]
    fn main_table_governs_unassociated_subnets() {
        let subnets = vec![subnet("subnet-a", "az-a"), subnet("subnet-b", "az-c")];
        let tables = vec![table(
            "rtb-main",
            true,
            &[],
            Some(Target::InternetGateway("igw-9".into())),
        )];
        let r = check(&net(&["subnet-a", "subnet-b"], &[]), &subnets, &tables);
        assert!(r.errors.is_empty(), "{r:?}");
        assert_eq!(governing("subnet-a", &tables).unwrap().id, "rtb-main");
    }

    #[test]
    fn private_without_nat_is_a_warning_and_one_az_is_refused() {
        let subnets = vec![subnet("subnet-a", "az-a"), subnet("subnet-b", "az-a")];
        let tables = vec![table("rtb-main", true, &[], None)];
        let r = check(&net(&[], &["subnet-a", "subnet-b"]), &subnets, &tables);
        assert_eq!(r.warnings.len(), 2);
        assert!(r.warnings[0].message.contains("no route to a NAT gateway"));
        assert_eq!(
            r.errors[0].to_string(),
            "network.private_subnet_ids: the private subnets are all in az-a; an HA site needs them in at least 2 availability zones"
        );
    }

    #[test]
    fn subnet_from_another_vpc_is_refused() {
        let (s, t) = lab();
        let r = check(
            &net(&["subnet-p1", "subnet-zz"], &["subnet-q1", "subnet-q2"]),
            &s,
            &t,
        );
        assert_eq!(
            r.errors[0].to_string(),
            "network.public_subnet_ids[1]: subnet-zz is not a subnet of vpc-1"
        );
    }

    #[test]
    fn every_finding_has_korean_text() {
        use crate::i18n::Lang;
        let (s, t) = lab();
        let one_az = vec![subnet("subnet-a", "az-a"), subnet("subnet-b", "az-a")];
        let no_route = vec![table("rtb-main", true, &[], None)];
        let reports = [
            // Wrong tier both ways, a subnet from elsewhere, and so one private AZ left.
            check(
                &net(&["subnet-p1", "subnet-q2"], &["subnet-zz", "subnet-p2"]),
                &s,
                &t,
            ),
            // No NAT route (warning) and one AZ only.
            check(&net(&[], &["subnet-a", "subnet-b"]), &one_az, &no_route),
        ];
        let all: Vec<&Finding> = reports
            .iter()
            .flat_map(|r| r.errors.iter().chain(&r.warnings))
            .collect();
        assert_eq!(all.len(), 7, "{all:#?}");
        for f in all {
            assert!(
                f.ko.chars().any(|c| ('가'..='힣').contains(&c)),
                "no Korean text for {f}: {:?}",
                f.ko
            );
            assert_eq!(f.text(Lang::Ko), f.ko);
            assert_eq!(f.text(Lang::En), f.message);
        }
    }
}
