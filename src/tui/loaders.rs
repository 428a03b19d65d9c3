//! The lists the wizard fills from AWS while the user answers (regions, AZs, VPCs, key
//! pairs, hosted zones). Each is one read-only call; failures are shown, not fatal.

use crate::aws::{Clients, aws};
use crate::wizard::fields::Source;

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
