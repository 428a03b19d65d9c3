//! The lists the wizard and plain mode offer from AWS while the user answers (regions,
//! AZs, VPCs, key pairs, hosted zones, an adopted VPC's subnets, the region's instance
//! types). Each is read-only; failures are shown, not fatal.

use crate::aws::{Clients, aws};

/// Lists the wizard fills from AWS while the user answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    Regions,
    Azs,
    Vpcs,
    KeyPairs,
    HostedZones,
    /// The chosen VPC's subnets, classified public/private from their route tables.
    Subnets,
    /// The instance types offered in the region.
    InstanceTypes,
}

/// (value, label) pairs for a field's suggestions.
pub async fn list(
    clients: &Clients,
    source: Source,
    vpc: &str,
) -> Result<Vec<(String, String)>, String> {
    let text = |e: crate::aws::AwsError| e.to_string();
    Ok(match source {
        Source::Regions => {
            let out = clients
                .ec2
                .describe_regions()
                .send()
                .await
                .map_err(aws("DescribeRegions"))
                .map_err(text)?;
            let mut v: Vec<String> = out
                .regions()
                .iter()
                .filter_map(|r| r.region_name().map(str::to_string))
                .collect();
            v.sort();
            v.into_iter().map(|r| (r.clone(), r)).collect()
        }
        Source::Azs => {
            let out = clients
                .ec2
                .describe_availability_zones()
                .send()
                .await
                .map_err(aws("DescribeAvailabilityZones"))
                .map_err(text)?;
            out.availability_zones()
                .iter()
                .filter_map(|z| z.zone_name().map(|n| (n.to_string(), n.to_string())))
                .collect()
        }
        Source::Vpcs => {
            let out = clients
                .ec2
                .describe_vpcs()
                .send()
                .await
                .map_err(aws("DescribeVpcs"))
                .map_err(text)?;
            out.vpcs()
                .iter()
                .filter_map(|v| {
                    let id = v.vpc_id()?.to_string();
                    let name = v
                        .tags()
                        .iter()
                        .find(|t| t.key() == Some("Name"))
                        .and_then(|t| t.value())
                        .unwrap_or("");
                    let default = if v.is_default() == Some(true) {
                        " (default)"
                    } else {
                        ""
                    };
                    Some((
                        id.clone(),
                        format!("{id} {} {name}{default}", v.cidr_block().unwrap_or("")),
                    ))
                })
                .collect()
        }
        Source::KeyPairs => {
            let out = clients
                .ec2
                .describe_key_pairs()
                .send()
                .await
                .map_err(aws("DescribeKeyPairs"))
                .map_err(text)?;
            out.key_pairs()
                .iter()
                .filter_map(|k| k.key_name().map(|n| (n.to_string(), n.to_string())))
                .collect()
        }
        Source::Subnets => subnets(clients, vpc).await.map_err(text)?,
        Source::InstanceTypes => {
            let mut pages = clients
                .ec2
                .describe_instance_type_offerings()
                .location_type(aws_sdk_ec2::types::LocationType::Region)
                .into_paginator()
                .send();
            let mut v = Vec::new();
            while let Some(page) = pages.next().await {
                let page = page
                    .map_err(aws("DescribeInstanceTypeOfferings"))
                    .map_err(text)?;
                v.extend(
                    page.instance_type_offerings()
                        .iter()
                        .filter_map(|o| o.instance_type().map(|t| t.as_str().to_string())),
                );
            }
            v.sort();
            v.dedup();
            v.into_iter().map(|t| (t.clone(), t)).collect()
        }
        Source::HostedZones => {
            let out = clients
                .route53
                .list_hosted_zones()
                .send()
                .await
                .map_err(aws("ListHostedZones"))
                .map_err(text)?;
            out.hosted_zones()
                .iter()
                .map(|z| {
                    let name = z.name().trim_end_matches('.').to_string();
                    (
                        name.clone(),
                        format!("{name} ({})", z.id().trim_start_matches("/hostedzone/")),
                    )
                })
                .collect()
        }
    })
}

/// The VPC's subnets with how they reach the internet, so the user picks public and
/// private ones knowingly (the same rule `apply` enforces).
async fn subnets(
    clients: &Clients,
    vpc: &str,
) -> Result<Vec<(String, String)>, crate::aws::AwsError> {
    use crate::resources::adopt::{Target, governing, read_vpc};
    let (subnets, tables) = read_vpc(clients, vpc).await?;
    Ok(subnets
        .into_iter()
        .map(|s| {
            let kind = match governing(&s.id, &tables).and_then(|t| t.default_route.as_ref()) {
                Some(Target::InternetGateway(_)) => "public",
                Some(Target::NatGateway(_)) => "private (NAT)",
                _ => "private (no internet)",
            };
            let label = format!("{} {kind} {} {}", s.id, s.cidr, s.az);
            (s.id, label)
        })
        .collect())
}

/// How a subnet reaches the internet, from the route table that governs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tier {
    /// 0.0.0.0/0 goes to an Internet gateway.
    Public,
    /// 0.0.0.0/0 goes to a NAT gateway.
    PrivateNat,
    /// No way out (or through something hawiz does not judge).
    Isolated,
}

/// One subnet of an adopted VPC, for picking it by tier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubnetChoice {
    pub id: String,
    /// Its Name tag ("" when it has none).
    pub name: String,
    pub cidr: String,
    pub az: String,
    pub tier: Tier,
    /// The route table that governs it (`rtb-… (main)` when it is the VPC's main table).
    pub table: String,
    /// Where its 0.0.0.0/0 route goes ("" when it has none).
    pub via: String,
}

impl SubnetChoice {
    pub fn tier_text(&self, lang: crate::i18n::Lang) -> &'static str {
        match self.tier {
            Tier::Public => lang.pick("public", "퍼블릭"),
            Tier::PrivateNat => lang.pick("private (NAT)", "프라이빗 (NAT)"),
            Tier::Isolated => lang.pick("private (no internet)", "프라이빗 (인터넷 없음)"),
        }
    }
}

/// The picked subnets checked as `hawiz plan` checks them (`adopt::check`), from the list
/// already read: the wizard shows the same warnings at the field (one NAT gateway for
/// several AZs, a private subnet with no NAT route) before the review.
pub fn check_picked(net: &crate::plan::Network, choices: &[SubnetChoice]) -> crate::plan::Report {
    use crate::resources::adopt::{SubnetFacts, Table, Target, check};
    let facts: Vec<SubnetFacts> = choices
        .iter()
        .map(|c| SubnetFacts {
            id: c.id.clone(),
            az: c.az.clone(),
            cidr: c.cidr.clone(),
        })
        .collect();
    let tables: Vec<Table> = choices
        .iter()
        .map(|c| Table {
            id: c.table.clone(),
            main: false,
            subnets: vec![c.id.clone()],
            default_route: match (&c.tier, c.via.as_str()) {
                (_, "") => None,
                (Tier::Public, via) => Some(Target::InternetGateway(via.to_string())),
                (Tier::PrivateNat, via) => Some(Target::NatGateway(via.to_string())),
                (Tier::Isolated, via) => Some(Target::Other(via.to_string())),
            },
        })
        .collect();
    check(net, &facts, &tables)
}

/// The VPC's subnets with their Name tags and tiers, in AZ then CIDR order.
pub async fn subnet_choices(clients: &Clients, vpc: &str) -> Result<Vec<SubnetChoice>, String> {
    use crate::resources::adopt::{Target, governing, read_vpc};
    let (subnets, tables) = read_vpc(clients, vpc).await.map_err(|e| e.to_string())?;
    let tagged = clients
        .ec2
        .describe_subnets()
        .filters(crate::aws::ec2::filter("vpc-id", vpc))
        .send()
        .await
        .map_err(aws("DescribeSubnets"))
        .map_err(|e| e.to_string())?;
    let name_of = |id: &str| -> String {
        tagged
            .subnets()
            .iter()
            .find(|s| s.subnet_id() == Some(id))
            .and_then(|s| s.tags().iter().find(|t| t.key() == Some("Name")))
            .and_then(|t| t.value())
            .unwrap_or("")
            .to_string()
    };
    let mut out: Vec<SubnetChoice> = subnets
        .into_iter()
        .map(|s| {
            let table = governing(&s.id, &tables);
            let (tier, via) = match table.and_then(|t| t.default_route.as_ref()) {
                Some(Target::InternetGateway(g)) => (Tier::Public, g.clone()),
                Some(Target::NatGateway(n)) => (Tier::PrivateNat, n.clone()),
                Some(Target::Other(o)) => (Tier::Isolated, o.clone()),
                None => (Tier::Isolated, String::new()),
            };
            let table = table.map_or_else(String::new, |t| {
                if t.main && !t.subnets.contains(&s.id) {
                    format!("{} (main)", t.id)
                } else {
                    t.id.clone()
                }
            });
            SubnetChoice {
                name: name_of(&s.id),
                id: s.id,
                cidr: s.cidr,
                az: s.az,
                tier,
                table,
                via,
            }
        })
        .collect();
    out.sort_by(|a, b| (&a.az, &a.cidr).cmp(&(&b.az, &b.cidr)));
    Ok(out)
}
