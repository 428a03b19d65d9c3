//! Defaults for the network section that follow from other answers.
//!
//! The spec's defaults (AZs `<region>a`/`<region>c`, public 10.0.0.0/24 + 10.0.1.0/24,
//! private 10.0.10.0/24 + 10.0.11.0/24) are what these rules give for the default region
//! and CIDR; for another region or CIDR they give the same shape instead of values that
//! would fail validation.

use super::Network;
use ipnet::Ipv4Net;

pub(super) fn fill(net: &mut Network, region: &str) {
    if net.adopts_vpc() {
        return;
    }
    if net.azs.is_none() {
        net.azs = Some(vec![format!("{region}a"), format!("{region}c")]);
    }
    let count = net.azs().len();
    let Ok(vpc) = net.cidr.trim().parse::<Ipv4Net>() else {
        return; // validation reports the bad CIDR; nothing sensible to derive from it
    };
    if net.public_subnets.is_none() {
        net.public_subnets = carve(vpc, 0, count);
    }
    if net.private_subnets.is_none() {
        net.private_subnets = carve(vpc, 10, count);
    }
}

/// `count` consecutive subnets starting at slot `first`: /24s when the VPC is large
/// enough to hold slot 10 + count, else eighths of the VPC (public from 0, private from 4).
fn carve(vpc: Ipv4Net, first: u32, count: usize) -> Option<Vec<String>> {
    let (prefix, first) = if vpc.prefix_len() <= 20 {
        (24, first)
    } else {
        (vpc.prefix_len().saturating_add(3).min(28), first.min(4))
    };
    let subnets: Vec<String> = vpc
        .subnets(prefix)
        .ok()?
        .skip(first as usize)
        .take(count)
        .map(|n| n.to_string())
        .collect();
    (subnets.len() == count).then_some(subnets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_defaults_for_default_cidr() {
        let mut net = Network::default();
        fill(&mut net, "ap-northeast-2");
        assert_eq!(net.azs(), ["ap-northeast-2a", "ap-northeast-2c"]);
        assert_eq!(net.public_subnets(), ["10.0.0.0/24", "10.0.1.0/24"]);
        assert_eq!(net.private_subnets(), ["10.0.10.0/24", "10.0.11.0/24"]);
    }

    #[test]
    fn follows_another_cidr_and_az_count() {
        let mut net = Network {
            cidr: "172.20.0.0/16".into(),
            azs: Some(vec![
                "us-east-1a".into(),
                "us-east-1b".into(),
                "us-east-1c".into(),
            ]),
            ..Network::default()
        };
        fill(&mut net, "us-east-1");
        assert_eq!(
            net.public_subnets(),
            ["172.20.0.0/24", "172.20.1.0/24", "172.20.2.0/24"]
        );
        assert_eq!(
            net.private_subnets(),
            ["172.20.10.0/24", "172.20.11.0/24", "172.20.12.0/24"]
        );
    }

    #[test]
    fn small_vpc_is_split_in_eighths() {
        let mut net = Network {
            cidr: "10.1.0.0/24".into(),
            ..Network::default()
        };
        fill(&mut net, "us-east-1");
        assert_eq!(net.public_subnets(), ["10.1.0.0/27", "10.1.0.32/27"]);
        assert_eq!(net.private_subnets(), ["10.1.0.128/27", "10.1.0.160/27"]);
    }

    #[test]
    fn explicit_values_are_kept() {
        let mut net = Network {
            public_subnets: Some(vec!["10.0.100.0/24".into()]),
            ..Network::default()
        };
        fill(&mut net, "eu-west-1");
        assert_eq!(net.public_subnets(), ["10.0.100.0/24"]);
        assert_eq!(net.azs(), ["eu-west-1a", "eu-west-1c"]);
    }
}
