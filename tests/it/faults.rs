//! The whole stack through a proxy that makes moto behave like AWS on a bad day:
//! transient errors and throttling, answers lost after the work was done, a permanent
//! error on one resource, and deletes refused while something still depends on them.
//! Every run must end with exactly one of each resource, or none after destroy.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;

use std::collections::BTreeMap;
use support::proxy::{Faults, Permanent, Proxy};
use support::*;

fn nothing() -> BTreeMap<&'static str, usize> {
    one_of_each().into_keys().map(|k| (k, 0)).collect()
}

fn total(m: &BTreeMap<String, usize>) -> usize {
    m.values().sum()
}

/// Apply then destroy through `proxy`, checking the inventory from outside after each.
async fn apply_and_destroy(moto: &Moto, proxy: &Proxy, stack: &str) -> (Run, Run) {
    let home = tempfile::tempdir().unwrap();
    let plan = stack_plan(home.path(), stack, "");
    let aws = moto.clients().await;
    let applied = proxy.run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"]);
    assert_eq!(
        applied.code, 0,
        "{stack}: apply\n{}\n{}",
        applied.stdout, applied.stderr
    );
    assert_eq!(inventory(&aws, stack).await, one_of_each(), "{stack}");
    // Refusals that never clear fail the test in seconds, not after 20 minutes.
    let destroyed = Run::from(
        proxy
            .hawiz(home.path())
            .env("HAWIZ_DESTROY_PATIENCE_SECS", "30")
            .args(["destroy", stack, "--yes"])
            .output()
            .unwrap(),
    );
    assert_eq!(
        destroyed.code, 0,
        "{stack}: destroy\n{}\n{}",
        destroyed.stdout, destroyed.stderr
    );
    assert_eq!(inventory(&aws, stack).await, nothing(), "{stack}");
    (applied, destroyed)
}

#[tokio::test(flavor = "multi_thread")]
async fn with_15_percent_of_calls_failing_apply_and_destroy_complete() {
    let moto = Moto::start();
    let proxy = Proxy::start(
        &moto.endpoint,
        Faults {
            seed: 15,
            transient: 0.15,
            ..Default::default()
        },
    );
    let (applied, _) = apply_and_destroy(&moto, &proxy, "flaky").await;
    let stats = proxy.stats();
    eprintln!(
        "flaky: {} calls, {} failed on purpose",
        total(&stats.calls),
        total(&stats.transient)
    );
    // The faults really happened, to creates too, and hawiz rode them out.
    assert!(
        total(&stats.transient) * 100 >= total(&stats.calls) * 10,
        "{stats:?}"
    );
    assert!(
        stats
            .transient
            .keys()
            .any(|op| op.starts_with("Create") || op == "RunInstances"),
        "{stats:?}"
    );
    assert!(applied.stdout.contains("is ready: "), "{}", applied.stdout);
}

#[tokio::test(flavor = "multi_thread")]
async fn with_10_percent_of_answers_lost_nothing_is_made_twice() {
    let moto = Moto::start();
    let proxy = Proxy::start(
        &moto.endpoint,
        Faults {
            seed: 10,
            lost: 0.10,
            ..Default::default()
        },
    );
    apply_and_destroy(&moto, &proxy, "lossy").await;
    let stats = proxy.stats();
    eprintln!("lossy: lost answers {:?}", stats.lost);
    // Creates whose answers were lost are exactly what makes duplicates.
    assert!(
        stats
            .lost
            .keys()
            .filter(|op| op.starts_with("Create")
                || op.starts_with("Allocate")
                || *op == "RunInstances")
            .count()
            >= 2,
        "{stats:?}"
    );
    assert!(
        stats.lost.keys().any(|op| op.starts_with("Delete")),
        "{stats:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn with_the_first_answer_of_every_change_lost_nothing_is_made_twice() {
    let moto = Moto::start();
    let proxy = Proxy::start(
        &moto.endpoint,
        Faults {
            lose_first: true,
            ..Default::default()
        },
    );
    apply_and_destroy(&moto, &proxy, "unlucky").await;
    let lost = proxy.stats().lost;
    for op in [
        "CreateVpc",
        "CreateSubnet",
        "AllocateAddress",
        "CreateNatGateway",
        "RunInstances",
        "CreateKeyPair",
        "CreateDBInstance",
        "CreateFileSystem",
        "CreateMountTarget",
        "CreateLoadBalancer",
        "CreateAutoScalingGroup",
        "PutParameter",
        "DeleteSubnet",
        "DeleteVpc",
    ] {
        assert_eq!(lost.get(op), Some(&1), "{op}: {lost:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_permanent_error_stops_only_its_dependants_and_the_next_apply_finishes() {
    let moto = Moto::start();
    let aws = moto.clients().await;
    let proxy = Proxy::start(
        &moto.endpoint,
        Faults {
            permanent: vec![Permanent {
                op: "CreateLaunchTemplate".into(),
                contains: String::new(),
                code: "InvalidParameterValue".into(),
                message: "Invalid value 't3.micro' for InstanceType.".into(),
            }],
            ..Default::default()
        },
    );
    let home = tempfile::tempdir().unwrap();
    let plan = stack_plan(home.path(), "broken", "");
    let failed = proxy.run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"]);
    assert_eq!(failed.code, 1, "{}\n{}", failed.stdout, failed.stderr);
    assert!(
        failed.stderr.contains(
            "launch-template failed: CreateLaunchTemplate failed: InvalidParameterValue: \
             Invalid value 't3.micro' for InstanceType."
        ),
        "{}",
        failed.stderr
    );
    assert!(
        failed
            .stderr
            .contains("not started because of those: asg, asg-policy/cpu, dashboard"),
        "{}",
        failed.stderr
    );
    // A permanent error is not retried.
    assert_eq!(proxy.stats().calls["CreateLaunchTemplate"], 1);
    let mut expected = one_of_each();
    expected.insert("launch templates", 0);
    expected.insert("auto scaling groups", 0);
    assert_eq!(inventory(&aws, "broken").await, expected);

    proxy.set(|f| f.permanent.clear());
    let fixed = proxy
        .run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    assert_eq!(fixed.lines_with("creating"), 4, "{}", fixed.stdout);
    assert_eq!(inventory(&aws, "broken").await, one_of_each());
}

#[tokio::test(flavor = "multi_thread")]
async fn destroy_deletes_in_an_order_aws_accepts() {
    let moto = Moto::start();
    let proxy = Proxy::start(
        &moto.endpoint,
        Faults {
            refuse_premature_deletes: true,
            ..Default::default()
        },
    );
    let (_, destroyed) = apply_and_destroy(&moto, &proxy, "ordered").await;
    let stats = proxy.stats();
    eprintln!("ordered: refused {:?}", stats.refused);
    for op in [
        "DeleteSubnet",
        "DeleteSecurityGroup",
        "DetachInternetGateway",
        "DeleteVpc",
    ] {
        assert!(
            stats.calls.get(op).is_some_and(|n| *n > 0),
            "{op}: {stats:?}"
        );
    }
    // A refusal, if any, was waited out, not reported as a failure.
    assert_eq!(
        destroyed.lines_with("waiting") > 0,
        total(&stats.refused) > 0,
        "{}",
        destroyed.stdout
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn with_a_domain_and_every_first_answer_lost_https_is_built_once_and_removed() {
    let moto = Moto::start();
    let aws = moto.clients().await;
    let proxy = Proxy::start(
        &moto.endpoint,
        Faults {
            lose_first: true,
            seed: 3,
            transient: 0.05,
            ..Default::default()
        },
    );
    let home = tempfile::tempdir().unwrap();
    let plan = stack_plan(home.path(), "secure", DOMAIN);
    proxy
        .run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    assert_eq!(inventory(&aws, "secure").await, one_of_each());
    let zones = aws.route53.list_hosted_zones().send().await.unwrap();
    assert_eq!(zones.hosted_zones().len(), 1, "{zones:?}");
    let certs = aws.acm.list_certificates().send().await.unwrap();
    assert_eq!(certs.certificate_summary_list().len(), 1, "{certs:?}");
    let lost = proxy.stats().lost;
    for op in [
        "CreateHostedZone",
        "RequestCertificate",
        "ChangeResourceRecordSets",
    ] {
        assert_eq!(lost.get(op), Some(&1), "{op}: {lost:?}");
    }
    proxy.run(home.path(), &["destroy", "secure", "--yes"]).ok();
    assert_eq!(inventory(&aws, "secure").await, nothing());
    let zones = aws.route53.list_hosted_zones().send().await.unwrap();
    assert!(zones.hosted_zones().is_empty(), "{zones:?}");
    let certs = aws.acm.list_certificates().send().await.unwrap();
    assert!(certs.certificate_summary_list().is_empty(), "{certs:?}");
}

/// A slow resource (here the database: its create call held 16 s; on AWS a fast start's
/// single-AZ create is ready in about 5 minutes) does not leave apply silent: after 10 s without a line it says what
/// it waits for, for how long against the typical time, and how many resources are ready.
#[tokio::test(flavor = "multi_thread")]
async fn a_long_wait_says_what_it_waits_for() {
    let moto = Moto::start();
    let proxy = Proxy::start(
        &moto.endpoint,
        Faults {
            delays: [(
                "CreateDBInstance".to_string(),
                std::time::Duration::from_secs(16),
            )]
            .into_iter()
            .collect(),
            ..Default::default()
        },
    );
    let home = tempfile::tempdir().unwrap();
    let plan = stack_plan(home.path(), "patient", "");
    let applied = proxy.run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"]);
    assert_eq!(applied.code, 0, "{}\n{}", applied.stdout, applied.stderr);
    let beat = applied
        .stdout
        .lines()
        .find(|l| l.contains("… waiting for "))
        .unwrap_or_else(|| panic!("no heartbeat in:\n{}", applied.stdout));
    assert!(
        beat.contains("rds-instance patient-db ") && beat.contains(" of ~5m00s"),
        "{beat}"
    );
    let total = one_of_each().values().sum::<usize>();
    assert!(
        beat.contains("/")
            && beat.ends_with(" ready")
            && !beat.contains(&format!("{total}/{total}")),
        "{beat}"
    );
}
