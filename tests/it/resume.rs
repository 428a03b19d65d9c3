//! Crash and resume: `apply` killed with SIGKILL at many points, then run again, must
//! converge to exactly one of every resource.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;

use aws_sdk_ec2::types::{ResourceType, Tag, TagSpecification};
use support::*;

/// Exactly one explicit route-table association per subnet of the stack, and one default
/// route per route table that should have one.
async fn assert_wiring(ec2: &aws_sdk_ec2::Client, stack: &str) {
    let subnets = ec2
        .describe_subnets()
        .filters(stack_filter(stack))
        .send()
        .await
        .unwrap();
    let tables = ec2
        .describe_route_tables()
        .filters(stack_filter(stack))
        .send()
        .await
        .unwrap();
    for s in subnets.subnets() {
        let n = tables
            .route_tables()
            .iter()
            .flat_map(|t| t.associations())
            .filter(|a| a.subnet_id() == s.subnet_id())
            .count();
        assert_eq!(
            n,
            1,
            "{stack}: subnet {:?} has {n} associations",
            tag(s.tags(), "Name")
        );
    }
    for t in tables.route_tables() {
        let defaults = t
            .routes()
            .iter()
            .filter(|r| r.destination_cidr_block() == Some("0.0.0.0/0"))
            .count();
        assert_eq!(defaults, 1, "{stack}: {:?}", tag(t.tags(), "Name"));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn apply_killed_at_many_points_converges_to_one_of_each() {
    let moto = Moto::start();
    let ec2 = moto.ec2();
    let aws = moto.clients().await;
    // Kill right after the n-th line containing the word: spread over the whole build.
    let points = [
        ("creating", 1),
        ("created", 1),
        ("creating", 3),
        ("ready", 4),
        ("created", 6),
        ("nat-gateway", 1),
        ("ready", 10),
        ("created", 13),
        ("route ", 2),
        ("rtb-association", 3),
        ("security-group", 4),
        ("rds-instance", 1),
        ("launch-template", 1),
        ("autoscaling-group", 1),
        ("ready", 30),
        ("created", 40),
    ];
    for (i, (word, n)) in points.into_iter().enumerate() {
        let home = tempfile::tempdir().unwrap();
        let stack = format!("crash-{i}");
        let plan = plan_file(home.path(), &stack, "");
        let seen = moto.apply_killed_after(home.path(), &plan, word, n);
        assert!(
            seen.iter().any(|l| l.contains(word)),
            "{stack}: never saw {word:?}: {seen:#?}"
        );

        let resumed = moto
            .run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
            .ok();
        eprintln!(
            "{stack}: killed after {} lines; resume created {}",
            seen.len(),
            resumed.lines_with("creating")
        );
        if i < points.len() - 2 {
            // The kill really interrupted the build (the last points may race to the end).
            assert!(
                resumed.lines_with("creating") >= 1,
                "{stack}: {}",
                resumed.stdout
            );
        }
        assert!(
            resumed
                .stdout
                .contains(&format!("Stack \"{stack}\" is ready")),
            "{}",
            resumed.stdout
        );
        assert_eq!(
            count(&ec2, &stack).await,
            FULL,
            "{stack} after kill at {word:?} #{n}"
        );
        assert_eq!(
            inventory(&aws, &stack).await,
            one_of_each(),
            "{stack} after kill at {word:?} #{n}"
        );
        assert_wiring(&ec2, &stack).await;

        let state = std::fs::read_to_string(home.path().join(format!("stacks/{stack}/state.json")))
            .unwrap();
        let state: serde_json::Value =
            serde_json::from_str(&state).expect("state parses after a kill");
        assert_eq!(state["resources"].as_object().unwrap().len(), 51);

        let third = moto
            .run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
            .ok();
        assert_eq!(third.lines_with("creating"), 0, "{}", third.stdout);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn resource_created_by_a_run_that_died_before_recording_it_is_found_by_tag() {
    // As if a run died after AWS created the VPC but before hawiz wrote its ID: the VPC
    // exists with hawiz's tags and the state file has no ID (or no file at all).
    let moto = Moto::start();
    let ec2 = moto.ec2();
    let tags = |k: &str, v: &str| Tag::builder().key(k).value(v).build();
    let orphan = ec2
        .create_vpc()
        .cidr_block("10.0.0.0/16")
        .tag_specifications(
            TagSpecification::builder()
                .resource_type(ResourceType::Vpc)
                .tags(tags("hawiz:stack", "orphan"))
                .tags(tags("hawiz:key", "vpc"))
                .build(),
        )
        .send()
        .await
        .unwrap();
    let orphan_id = orphan.vpc().unwrap().vpc_id().unwrap().to_string();

    let home = tempfile::tempdir().unwrap();
    let plan = plan_file(home.path(), "orphan", "");
    let run = moto
        .run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    let vpc_line = run
        .stdout
        .lines()
        .find(|l| l.starts_with('[') && l.contains(" vpc "))
        .unwrap();
    assert!(
        vpc_line.contains("exists") && vpc_line.contains(&orphan_id),
        "{vpc_line}"
    );
    assert_eq!(count(&ec2, "orphan").await, FULL);
    // And it was brought to the wanted settings (DNS hostnames on).
    let attr = ec2
        .describe_vpc_attribute()
        .vpc_id(&orphan_id)
        .attribute(aws_sdk_ec2::types::VpcAttributeName::EnableDnsHostnames)
        .send()
        .await
        .unwrap();
    assert_eq!(
        attr.enable_dns_hostnames().and_then(|v| v.value()),
        Some(true)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn duplicates_from_an_earlier_run_are_reported_and_destroyed() {
    let moto = Moto::start();
    let ec2 = moto.ec2();
    let home = tempfile::tempdir().unwrap();
    let plan = plan_file(home.path(), "dupes", "");
    moto.run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    // A second elastic IP with the same key, as a create whose answer was lost and then
    // retried without a lookup would leave.
    let t = |k: &str, v: &str| Tag::builder().key(k).value(v).build();
    ec2.allocate_address()
        .domain(aws_sdk_ec2::types::DomainType::Vpc)
        .tag_specifications(
            TagSpecification::builder()
                .resource_type(ResourceType::ElasticIp)
                .tags(t("hawiz:stack", "dupes"))
                .tags(t("hawiz:key", "eip/nat-a"))
                .build(),
        )
        .send()
        .await
        .unwrap();
    let status = moto.run(home.path(), &["status", "dupes"]).ok();
    assert!(
        status.stdout.contains("a duplicate: eipalloc-")
            && status.stdout.contains("same hawiz:key=eip/nat-a"),
        "{}",
        status.stdout
    );
    let destroy = moto.run(home.path(), &["destroy", "dupes", "--yes"]).ok();
    // Every resource of the plan but the VPC's default group (it goes with the VPC), and
    // the duplicate, named with why before the question.
    assert!(
        destroy.stdout.contains("also deletes elastic-ip eipalloc-"),
        "{}",
        destroy.stdout
    );
    assert_eq!(destroy.lines_with("deleted "), 51, "{}", destroy.stdout);
    assert_eq!(count(&ec2, "dupes").await, NONE);
}

/// A repeatable stream of kill times: splitmix64 from a fixed seed.
fn kill_times(seed: u64, n: usize, max_ms: u64) -> Vec<std::time::Duration> {
    let mut x = seed;
    (0..n)
        .map(|_| {
            x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^= z >> 31;
            std::time::Duration::from_millis(100 + z % max_ms)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn apply_killed_at_random_times_then_again_and_again_converges() {
    let moto = Moto::start();
    let ec2 = moto.ec2();
    let aws = moto.clients().await;
    // Three stacks, each killed three times in a row at seeded random moments (a full
    // apply takes a few seconds here), then applied to the end.
    let mut kills = 0;
    for (i, seed) in [5u64, 6, 7].into_iter().enumerate() {
        let home = tempfile::tempdir().unwrap();
        let stack = format!("random-{i}");
        let plan = plan_file(home.path(), &stack, "");
        let args = ["apply", plan.to_str().unwrap(), "--yes"];
        let times = kill_times(seed, 3, 1000);
        let interrupted: Vec<bool> = times
            .iter()
            .map(|t| moto.killed_at(home.path(), &args, *t))
            .collect();
        eprintln!("{stack}: killed at {times:?}, running then: {interrupted:?}");
        kills += interrupted.iter().filter(|k| **k).count();
        let last = moto.run(home.path(), &args).ok();
        assert!(
            last.stdout.contains(&format!("Stack \"{stack}\" is ready")),
            "{}",
            last.stdout
        );
        assert_eq!(count(&ec2, &stack).await, FULL, "{stack}");
        assert_eq!(inventory(&aws, &stack).await, one_of_each(), "{stack}");
        assert_wiring(&ec2, &stack).await;
        let state = std::fs::read_to_string(home.path().join(format!("stacks/{stack}/state.json")))
            .unwrap();
        serde_json::from_str::<serde_json::Value>(&state).expect("state parses after kills");
    }
    // Whether a given kill lands before the end depends on the machine's speed; most must.
    assert!(kills >= 4, "only {kills} of 9 kills interrupted a run");
}

#[tokio::test(flavor = "multi_thread")]
async fn destroy_killed_midway_then_destroy_again_leaves_nothing() {
    let moto = Moto::start();
    let ec2 = moto.ec2();
    let aws = moto.clients().await;
    let nothing: std::collections::BTreeMap<&str, usize> =
        one_of_each().into_keys().map(|k| (k, 0)).collect();
    // Killed after the first delete was sent, midway, near the end, and at a random time.
    let points: [(&str, usize); 3] = [("deleting", 1), ("deleted", 12), ("deleted", 35)];
    for i in 0..=points.len() {
        let home = tempfile::tempdir().unwrap();
        let stack = format!("undo-{i}");
        let plan = plan_file(home.path(), &stack, "");
        moto.run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
            .ok();
        let args = ["destroy", stack.as_str(), "--yes"];
        if let Some((word, n)) = points.get(i) {
            let seen = moto.killed_after(home.path(), &args, word, *n);
            assert!(
                seen.iter().filter(|l| l.contains(word)).count() == *n,
                "{stack}: never reached {word:?} #{n}: {seen:#?}"
            );
        } else {
            let t = kill_times(11, 1, 600)[0];
            assert!(moto.killed_at(home.path(), &args, t), "{stack}: too late");
        }
        let again = moto.run(home.path(), &args).ok();
        assert!(
            again
                .stdout
                .contains(&format!("nothing tagged hawiz:stack={stack} remains")),
            "{}",
            again.stdout
        );
        assert_eq!(count(&ec2, &stack).await, NONE, "{stack}");
        assert_eq!(inventory(&aws, &stack).await, nothing, "{stack}");
        assert!(
            !home
                .path()
                .join(format!("stacks/{stack}/state.json"))
                .exists(),
            "{stack}: state kept after a complete destroy"
        );
    }
}
