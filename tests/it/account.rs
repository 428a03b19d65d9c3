//! The stack lives in its account, not on one machine: a machine without the stack's state
//! finds it, re-applies it as a no-op and destroys it completely; two machines never work
//! on one stack at once; a killed holder's lock is taken over after saying so. Every
//! outcome is read back from outside with plain describe calls.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::*;
use std::io::{BufRead, BufReader};
use std::process::Stdio;

/// The stack's parameters (plan, lock, secrets) as SSM lists them.
async fn parameters(aws: &hawiz::aws::Clients, stack: &str) -> Vec<String> {
    let prefix = format!("/hawiz/{stack}/");
    let mut out = Vec::new();
    // Paginated: SSM answers 10 a page.
    let mut pages = aws.ssm.describe_parameters().into_paginator().send();
    while let Some(page) = pages.next().await {
        out.extend(
            page.unwrap()
                .parameters()
                .iter()
                .filter_map(|p| p.name())
                .filter(|n| n.starts_with(&prefix))
                .map(str::to_string),
        );
    }
    out
}

/// Every record at `name` (any type) in the zones named `domain`, as `TYPE value`.
async fn records(aws: &hawiz::aws::Clients, domain: &str, name: &str) -> Vec<String> {
    let zones = aws.route53.list_hosted_zones().send().await.unwrap();
    let mut out = Vec::new();
    for z in zones
        .hosted_zones()
        .iter()
        .filter(|z| z.name() == format!("{domain}."))
    {
        let sets = aws
            .route53
            .list_resource_record_sets()
            .hosted_zone_id(z.id())
            .send()
            .await
            .unwrap();
        for r in sets
            .resource_record_sets()
            .iter()
            .filter(|r| r.name() == format!("{name}."))
        {
            let values: Vec<&str> = r.resource_records().iter().map(|v| v.value()).collect();
            out.push(format!("{} {}", r.r#type().as_str(), values.join(",")));
        }
    }
    out
}

/// A new laptop (no data dir) finds a stack built elsewhere: `status` lists it and rebuilds
/// its state from the account, `apply` of the same plan changes nothing (its own record in
/// its own zone is recognised by the marker), and `destroy` leaves nothing of it.
#[tokio::test(flavor = "multi_thread")]
async fn a_stack_is_found_resumed_and_destroyed_from_a_machine_without_its_state() {
    let moto = Moto::start();
    let built_on = tempfile::tempdir().unwrap();
    let plan = stack_plan(built_on.path(), "far", DOMAIN);
    moto.run(built_on.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    let aws = moto.clients().await;
    assert!(
        parameters(&aws, "far")
            .await
            .contains(&"/hawiz/far/plan".to_string())
    );
    assert!(
        parameters(&aws, "far")
            .await
            .iter()
            .all(|p| !p.ends_with("/lock")),
        "the lock is released when the apply ends"
    );
    assert_eq!(
        records(&aws, "wplab.click", "_hawiz.www.wplab.click").await,
        vec!["TXT \"hawiz:stack=far\"".to_string()],
        "the site's record carries its marker"
    );

    let laptop = tempfile::tempdir().unwrap();
    let listed = moto.run(laptop.path(), &["status"]).ok();
    assert!(
        listed.stdout.contains("far") && listed.stdout.contains("no state on this machine"),
        "{}",
        listed.stdout
    );
    let status = moto.run(laptop.path(), &["status", "far"]).ok();
    assert!(
        status.stdout.contains("rebuilt from the account"),
        "{}",
        status.stdout
    );
    let present = status
        .stdout
        .lines()
        .find(|l| l.contains("resources present"))
        .unwrap()
        .to_string();
    let (n, total) = present.split_once(" of ").unwrap();
    assert!(total.starts_with(n), "all present: {present}");

    // The plan file travels (a repository, a CI checkout); the state does not.
    let copied = stack_plan(laptop.path(), "far", DOMAIN);
    let again = moto
        .run(laptop.path(), &["apply", copied.to_str().unwrap(), "--yes"])
        .ok();
    assert!(
        again.stdout.contains("is ready: 0 created"),
        "nothing made twice:\n{}",
        again.stdout
    );
    let mut expected = one_of_each();
    expected.insert("nat gateways", 2);
    assert_eq!(inventory(&aws, "far").await, expected);

    let third = tempfile::tempdir().unwrap();
    let gone = moto.run(third.path(), &["destroy", "far", "--yes"]).ok();
    assert!(
        gone.stdout.contains("rebuilt from the account"),
        "{}",
        gone.stdout
    );
    let none: std::collections::BTreeMap<&str, usize> =
        one_of_each().into_keys().map(|k| (k, 0)).collect();
    assert_eq!(inventory(&aws, "far").await, none);
    assert!(
        parameters(&aws, "far").await.is_empty(),
        "plan and lock gone too"
    );
    assert!(
        records(&aws, "wplab.click", "www.wplab.click")
            .await
            .is_empty()
    );
    let after = moto.run(laptop.path(), &["status"]).ok();
    assert!(
        !after.stdout.contains("no state on this machine"),
        "{}",
        after.stdout
    );
}

/// Two machines applying one plan at once: the second is refused at once, naming the
/// first, and one of each resource is made; a holder killed with its lock held is taken
/// over by the next run, which says so.
#[tokio::test(flavor = "multi_thread")]
async fn two_machines_never_work_on_one_stack_at_once() {
    let moto = Moto::start();
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let plan_a = stack_plan(a.path(), "duo", "");
    let plan_b = stack_plan(b.path(), "duo", "");
    let aws = moto.clients().await;

    let mut first = moto
        .hawiz(a.path())
        .args(["apply", plan_a.to_str().unwrap(), "--yes"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(first.stdout.take().unwrap()).lines();
    // Once it creates, it holds the lock.
    for line in lines.by_ref() {
        if line.unwrap().contains("creating") {
            break;
        }
    }
    let second = moto.run(b.path(), &["apply", plan_b.to_str().unwrap(), "--yes"]);
    assert_eq!(second.code, 2, "{}\n{}", second.stdout, second.stderr);
    assert!(
        second
            .stderr
            .contains("stack \"duo\" is busy: `hawiz apply` by ")
            && second.stderr.contains(&format!("(process {})", first.id())),
        "{}",
        second.stderr
    );
    for _ in lines.by_ref() {}
    assert!(first.wait().unwrap().success());
    assert_eq!(inventory(&aws, "duo").await, one_of_each());

    // A holder killed while it holds the lock: the next run takes it over, saying so.
    std::fs::write(
        &plan_a,
        std::fs::read_to_string(&plan_a).unwrap() + "[app]\nmax = 5\n",
    )
    .unwrap();
    let seen = moto.killed_after(
        a.path(),
        &["apply", plan_a.to_str().unwrap(), "--yes"],
        "Stack \"duo\"",
        1,
    );
    assert!(!seen.is_empty());
    assert!(
        parameters(&aws, "duo")
            .await
            .contains(&"/hawiz/duo/lock".to_string()),
        "the killed run left its lock: {seen:?}"
    );
    let taken = moto
        .run(b.path(), &["apply", plan_a.to_str().unwrap(), "--yes"])
        .ok();
    assert!(
        taken
            .stdout
            .contains("took over the stack's lock from `hawiz apply` by ")
            && taken.stdout.contains("its process is no longer running"),
        "{}",
        taken.stdout
    );
    assert!(
        !parameters(&aws, "duo")
            .await
            .contains(&"/hawiz/duo/lock".to_string())
    );
}
