//! The network step end to end: the real binary against moto, checked from outside with
//! describe calls.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;

use aws_sdk_ec2::types::{Filter, RouteTable, VpcAttributeName};
use std::collections::BTreeSet;
use support::*;

fn f(name: &str, value: &str) -> Filter {
    Filter::builder().name(name).values(value).build()
}

fn default_route(t: &RouteTable) -> Option<&aws_sdk_ec2::types::Route> {
    t.routes()
        .iter()
        .find(|r| r.destination_cidr_block() == Some("0.0.0.0/0"))
}

#[tokio::test(flavor = "multi_thread")]
async fn apply_builds_the_ha_network_and_reapply_creates_nothing() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    let plan = plan_file(home.path(), "lab", "");
    let run = moto
        .run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    assert!(
        run.stdout
            .contains("Stack \"lab\" is ready: 50 created, 1 already there."),
        "{}",
        run.stdout
    );
    let ec2 = moto.ec2();
    assert_eq!(count(&ec2, "lab").await, FULL);

    // VPC with DNS support and hostnames (EFS needs them).
    let vpcs = ec2
        .describe_vpcs()
        .filters(stack_filter("lab"))
        .send()
        .await
        .unwrap();
    let vpc = vpcs.vpcs()[0].clone();
    let vpc_id = vpc.vpc_id().unwrap();
    assert_eq!(vpc.cidr_block(), Some("10.0.0.0/16"));
    assert_eq!(tag(vpc.tags(), "Name"), Some("lab-vpc"));
    for attr in [
        VpcAttributeName::EnableDnsSupport,
        VpcAttributeName::EnableDnsHostnames,
    ] {
        let out = ec2
            .describe_vpc_attribute()
            .vpc_id(vpc_id)
            .attribute(attr.clone())
            .send()
            .await
            .unwrap();
        let on = out
            .enable_dns_support()
            .or(out.enable_dns_hostnames())
            .and_then(|v| v.value());
        assert_eq!(on, Some(true), "{attr:?}");
    }

    // 2 public + 2 private subnets, each tier in two distinct AZs.
    let subnets = ec2
        .describe_subnets()
        .filters(f("vpc-id", vpc_id))
        .send()
        .await
        .unwrap();
    let subnets = subnets.subnets();
    let tables = ec2
        .describe_route_tables()
        .filters(f("vpc-id", vpc_id))
        .send()
        .await
        .unwrap();
    let tables = tables.route_tables();
    let nats = ec2
        .describe_nat_gateways()
        .filter(f("vpc-id", vpc_id))
        .send()
        .await
        .unwrap();
    let nats = nats.nat_gateways();
    let igws = ec2
        .describe_internet_gateways()
        .filters(f("attachment.vpc-id", vpc_id))
        .send()
        .await
        .unwrap();
    let igw_id = igws.internet_gateways()[0].internet_gateway_id().unwrap();

    let mut tiers: [BTreeSet<String>; 2] = Default::default();
    for s in subnets {
        let name = tag(s.tags(), "Name").unwrap();
        let az = s.availability_zone().unwrap().to_string();
        let table = governing(tables, s.subnet_id().unwrap());
        let route = default_route(table).unwrap_or_else(|| panic!("{name} has no default route"));
        if name.starts_with("lab-public-") {
            assert_eq!(route.gateway_id(), Some(igw_id), "{name} routes to the IGW");
            // Only the bastion asks for a public address; the subnet hands out none.
            assert_eq!(
                s.map_public_ip_on_launch(),
                Some(false),
                "{name} hands out no public addresses by itself"
            );
            tiers[0].insert(az);
        } else {
            assert!(name.starts_with("lab-private-"), "{name}");
            let nat_id = route
                .nat_gateway_id()
                .unwrap_or_else(|| panic!("{name} routes to a NAT"));
            assert!(
                route.gateway_id().is_none_or(|g| !g.starts_with("igw-")),
                "{name} must not reach the IGW"
            );
            let nat = nats
                .iter()
                .find(|n| n.nat_gateway_id() == Some(nat_id))
                .unwrap();
            let nat_subnet = subnets
                .iter()
                .find(|x| x.subnet_id() == nat.subnet_id())
                .unwrap();
            assert_eq!(
                nat_subnet.availability_zone(),
                Some(az.as_str()),
                "{name}: NAT in its own AZ"
            );
            assert!(
                tag(nat_subnet.tags(), "Name")
                    .unwrap()
                    .starts_with("lab-public-"),
                "NAT sits in a public subnet"
            );
            tiers[1].insert(az);
        }
        assert_eq!(tag(s.tags(), "hawiz:stack"), Some("lab"));
        assert!(tag(s.tags(), "hawiz:key").unwrap().starts_with("subnet/"));
    }
    assert_eq!(tiers[0].len(), 2, "public subnets in 2 distinct AZs");
    assert_eq!(tiers[1].len(), 2, "private subnets in 2 distinct AZs");
    assert_eq!(tiers[0], tiers[1]);

    // Tags on everything that takes them.
    for t in tables
        .iter()
        .filter(|t| !t.associations().iter().any(|a| a.main() == Some(true)))
    {
        assert_eq!(tag(t.tags(), "hawiz:stack"), Some("lab"));
        assert!(tag(t.tags(), "Name").is_some());
    }
    for n in nats {
        assert_eq!(tag(n.tags(), "hawiz:stack"), Some("lab"));
    }
    assert_eq!(
        tag(igws.internet_gateways()[0].tags(), "Name"),
        Some("lab-igw")
    );

    // Re-apply: nothing created, same resources.
    let again = moto
        .run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    assert_eq!(again.lines_with("creating"), 0, "{}", again.stdout);
    assert!(
        again.stdout.contains("0 created, 51 already there"),
        "{}",
        again.stdout
    );
    assert_eq!(count(&ec2, "lab").await, FULL);

    // The state file holds IDs and the plan, is private, and parses.
    let state_path = home.path().join("stacks/lab/state.json");
    let state: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&state_path).unwrap()).unwrap();
    assert_eq!(state["resources"]["vpc"]["id"], vpc_id);
    assert_eq!(state["resources"]["vpc"]["status"], "ready");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&state_path).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn single_nat_serves_both_private_route_tables() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    let plan = plan_file(home.path(), "one-nat", "nat = \"single\"");
    let run = moto
        .run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    assert!(
        run.stderr.contains("single point") || run.stderr.contains("if its AZ fails"),
        "{}",
        run.stderr
    );
    let ec2 = moto.ec2();
    let c = count(&ec2, "one-nat").await;
    assert_eq!((c.nats, c.eips, c.route_tables), (1, 1, 3));
    let tables = ec2
        .describe_route_tables()
        .filters(stack_filter("one-nat"))
        .send()
        .await
        .unwrap();
    let targets: BTreeSet<_> = tables
        .route_tables()
        .iter()
        .filter_map(|t| default_route(t).and_then(|r| r.nat_gateway_id()))
        .collect();
    assert_eq!(targets.len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn destroy_leaves_nothing_tagged_and_forgets_the_stack() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    let plan = plan_file(home.path(), "gone", "");
    moto.run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    let ec2 = moto.ec2();
    assert_eq!(count(&ec2, "gone").await, FULL);

    let run = moto.run(home.path(), &["destroy", "gone", "--yes"]).ok();
    assert!(
        run.stdout
            .contains("nothing tagged hawiz:stack=gone remains"),
        "{}",
        run.stdout
    );
    assert_eq!(run.lines_with("deleted "), 50, "{}", run.stdout);
    assert_eq!(count(&ec2, "gone").await, NONE);
    assert!(!home.path().join("stacks/gone/state.json").exists());

    // Without --yes and without a terminal, destroy refuses and deletes nothing.
    moto.run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    let refused = moto.run(home.path(), &["destroy", "gone"]);
    assert_eq!(refused.code, 2);
    assert!(refused.stderr.contains("pass --yes"), "{}", refused.stderr);
    assert_eq!(count(&ec2, "gone").await, FULL);
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_plan_exits_non_zero_with_the_message_and_creates_nothing() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    let ec2 = moto.ec2();
    let vpcs_before = ec2.describe_vpcs().send().await.unwrap().vpcs().len();

    let cases = [
        (
            "overlap",
            "public_subnets = [\"10.0.0.0/24\", \"10.0.1.0/24\"]\nprivate_subnets = [\"10.0.1.0/24\", \"10.0.11.0/24\"]",
            "network.private_subnets[0]: 10.0.1.0/24 overlaps network.public_subnets[1]",
        ),
        (
            "outside",
            "public_subnets = [\"10.0.0.0/24\", \"192.168.1.0/24\"]",
            "192.168.1.0/24 is outside the VPC block 10.0.0.0/16",
        ),
        (
            "one-az",
            "azs = [\"ap-northeast-2a\"]\npublic_subnets = [\"10.0.0.0/24\"]\nprivate_subnets = [\"10.0.10.0/24\"]",
            "at least 2 availability zones",
        ),
        (
            "bad-nat",
            "nat = \"sometimes\"",
            "unknown variant `sometimes`",
        ),
        (
            "typo-key",
            "cidrr = \"10.0.0.0/16\"",
            "unknown field `cidrr`",
        ),
        (
            "no-such-az",
            "azs = [\"ap-northeast-2a\", \"ap-northeast-2z\"]",
            "ap-northeast-2z is not an availability zone of ap-northeast-2",
        ),
    ];
    for (name, network, message) in cases {
        let plan = plan_file(home.path(), &format!("bad-{name}"), network);
        for cmd in ["plan", "apply"] {
            let run = moto.run(
                home.path(),
                &[cmd, plan.to_str().unwrap(), "--yes"][..if cmd == "plan" { 2 } else { 3 }],
            );
            assert_eq!(run.code, 2, "{name} {cmd}: {}\n{}", run.stdout, run.stderr);
            assert!(
                run.stderr.contains(message),
                "{name} {cmd}: expected {message:?} in\n{}",
                run.stderr
            );
        }
        assert_eq!(count(&ec2, &format!("bad-{name}")).await, NONE);
    }
    assert!(
        moto.run(home.path(), &["plan", "/no/such/plan.toml"])
            .stderr
            .contains("cannot read plan file /no/such/plan.toml")
    );
    assert_eq!(
        ec2.describe_vpcs().send().await.unwrap().vpcs().len(),
        vpcs_before
    );
    // A refused plan leaves no state behind either.
    assert!(
        !home.path().join("stacks").exists()
            || std::fs::read_dir(home.path().join("stacks"))
                .unwrap()
                .next()
                .is_none()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn plan_lists_resources_and_changes_nothing() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    let plan = plan_file(home.path(), "preview", "");
    let run = moto
        .run(home.path(), &["plan", plan.to_str().unwrap()])
        .ok();
    assert!(
        run.stdout.contains("+   nat-gateway       preview-nat-a"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("51 to create"), "{}", run.stdout);
    assert_eq!(count(&moto.ec2(), "preview").await, NONE);
}

#[tokio::test(flavor = "multi_thread")]
async fn status_reports_drift_and_apply_repairs_only_that() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    let plan = plan_file(home.path(), "drift", "");
    moto.run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    let ec2 = moto.ec2();
    // Someone removes a private subnet's default route in the console.
    let tables = ec2
        .describe_route_tables()
        .filters(stack_filter("drift"))
        .send()
        .await
        .unwrap();
    let private_a = tables
        .route_tables()
        .iter()
        .find(|t| tag(t.tags(), "Name") == Some("drift-private-rt-a"))
        .unwrap();
    ec2.delete_route()
        .route_table_id(private_a.route_table_id().unwrap())
        .destination_cidr_block("0.0.0.0/0")
        .send()
        .await
        .unwrap();

    let status = moto.run(home.path(), &["status", "drift"]).ok();
    assert!(
        status.stdout.contains("50 of 51 resources present"),
        "{}",
        status.stdout
    );
    let line = status
        .stdout
        .lines()
        .find(|l| l.contains("missing"))
        .unwrap();
    assert!(
        line.contains("route")
            && line.contains("drift-private-rt-a")
            && line.contains("was recorded but is gone"),
        "{line}"
    );

    let run = moto
        .run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    assert_eq!(run.lines_with("creating"), 1, "{}", run.stdout);
    assert!(
        run.stdout.contains("1 created, 50 already there"),
        "{}",
        run.stdout
    );

    let list = moto.run(home.path(), &["status"]).ok();
    assert!(
        list.stdout.contains("drift") && list.stdout.contains("complete"),
        "{}",
        list.stdout
    );
}
