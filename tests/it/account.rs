//! The stack lives in its account, not on one machine: a machine without the stack's state
//! finds it, re-applies it as a no-op and destroys it completely; two machines never work
//! on one stack at once; a killed holder's lock is taken over after saying so. Every
//! outcome is read back from outside with plain describe calls.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::pty::Pty;
use crate::support::*;
use aws_sdk_ec2::types::{ResourceType, Tag, TagSpecification};
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

    // The wizard on a machine with nothing saved: the account's stack is offered on the
    // resume screen (not a new setup), and looking at it rebuilds its state, saying so.
    let fresh = tempfile::tempdir().unwrap();
    let mut p = Pty::spawn(
        crate::support::env::Env::emulator(&moto.endpoint, fresh.path()).pty(&[]),
        100,
        30,
    );
    p.wait_until("the account's stack offered", 60, |s| {
        s.lines()
            .any(|l| l.contains(" far ") && l.contains("ap-northeast-2") && l.contains("account"))
    });
    assert!(
        p.screen()
            .contains("In the account, no state on this machine"),
        "{}",
        p.screen()
    );
    p.send("v");
    p.wait_for("rebuilt from the account", 60);
    p.wait_for("Present", 60);
    assert!(
        p.screen().contains(" far · ap-northeast-2 "),
        "{}",
        p.screen()
    );
    drop(p);
    assert!(
        hawiz::state::Store::exists(&fresh.path().join("stacks"), "far"),
        "the rebuilt state is kept here as a cache"
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

fn ec2_tags(pairs: &[(&str, &str)], kind: aws_sdk_ec2::types::ResourceType) -> TagSpecification {
    let mut spec = TagSpecification::builder().resource_type(kind);
    for (k, v) in pairs {
        spec = spec.tags(Tag::builder().key(*k).value(*v).build());
    }
    spec.build()
}

/// The stack's live resource of a key, as EC2 lists it (tagged `hawiz:key`).
async fn keyed_subnet(ec2: &aws_sdk_ec2::Client, stack: &str, key: &str) -> String {
    let out = ec2
        .describe_subnets()
        .filters(stack_filter(stack))
        .send()
        .await
        .unwrap();
    out.subnets()
        .iter()
        .find(|s| tag(s.tags(), "hawiz:key") == Some(key))
        .and_then(|s| s.subnet_id())
        .unwrap()
        .to_string()
}

/// Made by hand with the stack's tags (as a console user, another tool or a second
/// machine's run would): a second NAT gateway and address with keys the plan has, and a
/// security group with the stack's tag and no key. `status` lists each with its reason,
/// `apply` refuses naming them and the command, `destroy --leftovers` deletes exactly
/// them and keeps the stack (apply is a no-op after), and a whole destroy takes a later
/// one along and ends with nothing tagged (exit 0). All read back with describe calls.
#[tokio::test(flavor = "multi_thread")]
async fn duplicates_and_leftovers_are_listed_refused_and_removed() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    let plan = stack_plan(home.path(), "extra", "");
    let apply = ["apply", plan.to_str().unwrap(), "--yes"];
    moto.run(home.path(), &apply).ok();
    let ec2 = moto.ec2();
    let subnet = keyed_subnet(&ec2, "extra", "subnet/public-a").await;
    let vpc = ec2
        .describe_subnets()
        .subnet_ids(&subnet)
        .send()
        .await
        .unwrap()
        .subnets()[0]
        .vpc_id()
        .unwrap()
        .to_string();
    let eip = ec2
        .allocate_address()
        .domain(aws_sdk_ec2::types::DomainType::Vpc)
        .tag_specifications(ec2_tags(
            &[("hawiz:stack", "extra"), ("hawiz:key", "eip/nat-a")],
            ResourceType::ElasticIp,
        ))
        .send()
        .await
        .unwrap();
    let nat = ec2
        .create_nat_gateway()
        .subnet_id(&subnet)
        .allocation_id(eip.allocation_id().unwrap())
        .tag_specifications(ec2_tags(
            &[("hawiz:stack", "extra"), ("hawiz:key", "nat/a")],
            ResourceType::Natgateway,
        ))
        .send()
        .await
        .unwrap();
    let nat = nat
        .nat_gateway()
        .unwrap()
        .nat_gateway_id()
        .unwrap()
        .to_string();
    let sg = ec2
        .create_security_group()
        .group_name("extra-by-hand")
        .description("made in the console")
        .vpc_id(&vpc)
        .tag_specifications(ec2_tags(
            &[("hawiz:stack", "extra")],
            ResourceType::SecurityGroup,
        ))
        .send()
        .await
        .unwrap();
    let sg = sg.group_id().unwrap().to_string();
    let mut more = FULL;
    more.nats += 1;
    more.eips += 1;
    assert_eq!(count(&ec2, "extra").await, more);

    let status = moto.run(home.path(), &["status", "extra"]).ok();
    let extra_line = |id: &str| {
        status
            .stdout
            .lines()
            .find(|l| l.contains("EXTRA") && l.contains(id))
            .unwrap_or_else(|| panic!("{id} not listed:\n{}", status.stdout))
            .to_string()
    };
    assert!(
        extra_line(&nat).contains("a duplicate: nat-"),
        "{}",
        status.stdout
    );
    assert!(extra_line(&nat).contains("same hawiz:key=nat/a"));
    assert!(extra_line(eip.allocation_id().unwrap()).contains("hawiz:key=eip/nat-a"));
    assert!(extra_line(&sg).contains("has no hawiz:key: hawiz did not make it"));
    assert!(
        status
            .stdout
            .contains("3 resource(s) carry the stack's tag but are not explained by its plan: `hawiz destroy extra --leftovers`"),
        "{}",
        status.stdout
    );
    let ko = moto
        .run(home.path(), &["--lang", "ko", "status", "extra"])
        .ok();
    assert!(
        ko.stdout.contains("남는 것") && ko.stdout.contains("중복"),
        "{}",
        ko.stdout
    );

    let refused = moto.run(home.path(), &apply);
    assert_eq!(refused.code, 2, "{}\n{}", refused.stdout, refused.stderr);
    for id in [&nat, &sg] {
        assert!(refused.stderr.contains(id.as_str()), "{}", refused.stderr);
    }
    assert!(
        refused.stderr.contains(
            "`hawiz destroy extra --leftovers` deletes exactly these and keeps the stack"
        ),
        "{}",
        refused.stderr
    );
    assert_eq!(count(&ec2, "extra").await, more, "the refusal made nothing");

    let cleaned = moto
        .run(home.path(), &["destroy", "extra", "--leftovers", "--yes"])
        .ok();
    assert!(
        cleaned
            .stdout
            .contains("3 duplicates and leftovers to delete; the stack stays")
            && cleaned
                .stdout
                .contains("3 duplicates and leftovers deleted, the stack kept"),
        "{}",
        cleaned.stdout
    );
    assert_eq!(count(&ec2, "extra").await, FULL);
    let gone = ec2
        .describe_security_groups()
        .filters(stack_filter("extra"))
        .send()
        .await
        .unwrap();
    assert!(
        gone.security_groups()
            .iter()
            .all(|g| g.group_id() != Some(sg.as_str()))
    );
    let aws = moto.clients().await;
    assert_eq!(inventory(&aws, "extra").await, one_of_each());
    let again = moto.run(home.path(), &apply).ok();
    assert!(
        again.stdout.contains("is ready: 0 created"),
        "{}",
        again.stdout
    );

    // One more by hand, then the whole stack: it goes too, and the proof finds nothing.
    ec2.create_security_group()
        .group_name("extra-later")
        .description("made in the console")
        .vpc_id(&vpc)
        .tag_specifications(ec2_tags(
            &[("hawiz:stack", "extra"), ("hawiz:key", "sg/old-thing")],
            ResourceType::SecurityGroup,
        ))
        .send()
        .await
        .unwrap();
    let destroy = moto.run(home.path(), &["destroy", "extra", "--yes"]).ok();
    assert!(
        destroy.stdout.contains("which no plan of the stack has"),
        "{}",
        destroy.stdout
    );
    assert_eq!(count(&ec2, "extra").await, NONE);
    let none: std::collections::BTreeMap<&str, usize> =
        one_of_each().into_keys().map(|k| (k, 0)).collect();
    assert_eq!(inventory(&aws, "extra").await, none);
}

/// A second VPC of the stack with its own gateway, route table and subnet (what two
/// machines racing made before the account lock): a whole destroy detaches, lets go and
/// deletes them with the rest, at once and with exit 0.
#[tokio::test(flavor = "multi_thread")]
async fn a_second_network_of_the_stack_goes_with_it() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    let plan = stack_plan(home.path(), "twice", "");
    moto.run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    let ec2 = moto.ec2();
    let keyed = |key: &str, kind| ec2_tags(&[("hawiz:stack", "twice"), ("hawiz:key", key)], kind);
    let (vpc, igw) =
        crate::support::lab::vpc_with_gateway(&ec2, "10.0.0.0/16", |kind, role| keyed(role, kind))
            .await;
    let subnet = ec2
        .create_subnet()
        .vpc_id(&vpc)
        .cidr_block("10.0.1.0/24")
        .availability_zone(format!("{REGION}a"))
        .tag_specifications(keyed("subnet/public-a", ResourceType::Subnet))
        .send()
        .await
        .unwrap();
    let subnet = subnet.subnet().unwrap().subnet_id().unwrap().to_string();
    let table = ec2
        .create_route_table()
        .vpc_id(&vpc)
        .tag_specifications(keyed("rtb/public", ResourceType::RouteTable))
        .send()
        .await
        .unwrap();
    let table = table
        .route_table()
        .unwrap()
        .route_table_id()
        .unwrap()
        .to_string();
    ec2.associate_route_table()
        .route_table_id(&table)
        .subnet_id(&subnet)
        .send()
        .await
        .unwrap();

    let status = moto.run(home.path(), &["status", "twice"]).ok();
    for id in [&vpc, &igw, &subnet, &table] {
        assert!(
            status.stdout.lines().any(|l| l.contains("EXTRA")
                && l.contains(id.as_str())
                && l.contains("a duplicate")),
            "{id}:\n{}",
            status.stdout
        );
    }
    let destroy = moto
        .hawiz(home.path())
        .env("HAWIZ_DESTROY_PATIENCE_SECS", "20")
        .args(["destroy", "twice", "--yes"])
        .output()
        .unwrap();
    let destroy = Run::from(destroy).ok();
    assert!(destroy.stdout.contains("is gone"), "{}", destroy.stdout);
    assert_eq!(count(&ec2, "twice").await, NONE);
}

/// The e-mail addresses subscribed to the stack's alert topic, as SNS lists them.
async fn subscribed(aws: &hawiz::aws::Clients, stack: &str) -> Vec<String> {
    let topics = aws.sns.list_topics().send().await.unwrap();
    let mut out = Vec::new();
    for t in topics
        .topics()
        .iter()
        .filter_map(|t| t.topic_arn())
        .filter(|a| a.ends_with(&format!(":{stack}-alerts")))
    {
        let subs = aws
            .sns
            .list_subscriptions_by_topic()
            .topic_arn(t)
            .send()
            .await
            .unwrap();
        out.extend(
            subs.subscriptions()
                .iter()
                .filter_map(|s| s.endpoint())
                .map(str::to_string),
        );
    }
    out.sort();
    out
}

/// A renamed host and a changed alert address converge: the plan shows the old record
/// and the old subscription as `-`, apply removes them, and destroy leaves nothing of the
/// stack's in the user's zone. Read back: the zone's records, the topic's subscriptions.
#[tokio::test(flavor = "multi_thread")]
async fn renames_leave_nothing_behind() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    let before = format!("{DOMAIN}\n[alerts]\nemail = \"first@wplab.click\"\n");
    let plan = stack_plan(home.path(), "moved", &before);
    let apply = ["apply", plan.to_str().unwrap(), "--yes"];
    moto.run(home.path(), &apply).ok();
    let aws = moto.clients().await;
    assert_eq!(subscribed(&aws, "moved").await, ["first@wplab.click"]);
    assert_eq!(
        records(&aws, "wplab.click", "www.wplab.click").await.len(),
        1
    );

    let after = before
        .replace("host = \"www\"", "host = \"www2\"")
        .replace("first@", "second@");
    std::fs::write(
        &plan,
        std::fs::read_to_string(&plan)
            .unwrap()
            .replace(&before, &after),
    )
    .unwrap();
    let planned = moto
        .run(home.path(), &["plan", plan.to_str().unwrap()])
        .ok();
    for gone in ["www.wplab.click", "first@wplab.click"] {
        assert!(
            planned
                .stdout
                .lines()
                .any(|l| l.trim_start().starts_with("- ") && l.contains(gone)),
            "{gone} not shown as `-`:\n{}",
            planned.stdout
        );
    }
    moto.run(home.path(), &apply).ok();
    assert_eq!(subscribed(&aws, "moved").await, ["second@wplab.click"]);
    for name in ["www.wplab.click", "_hawiz.www.wplab.click"] {
        assert!(
            records(&aws, "wplab.click", name).await.is_empty(),
            "{name} left behind"
        );
    }
    assert_eq!(
        records(&aws, "wplab.click", "www2.wplab.click").await.len(),
        1
    );

    moto.run(home.path(), &["destroy", "moved", "--yes"]).ok();
    for name in ["www2.wplab.click", "_hawiz.www2.wplab.click"] {
        assert!(
            records(&aws, "wplab.click", name).await.is_empty(),
            "{name}"
        );
    }
    assert!(subscribed(&aws, "moved").await.is_empty());
}

/// A name another tool uses in the account: a parameter at `/hawiz/<stack>/plan` that
/// hawiz did not write is never read as a plan: `apply` and `status` refuse with what was
/// found and the fix (exit 2), nothing is created, and the listing leaves it out.
#[tokio::test(flavor = "multi_thread")]
async fn a_stack_name_another_tool_uses_in_the_account_is_refused() {
    let moto = Moto::start();
    let aws = moto.clients().await;
    aws.ssm
        .put_parameter()
        .name("/hawiz/taken/plan")
        .value("{\"not\": \"a hawiz plan\"}")
        .r#type(aws_sdk_ssm::types::ParameterType::String)
        .send()
        .await
        .unwrap();
    let home = tempfile::tempdir().unwrap();
    let plan = stack_plan(home.path(), "taken", "");
    for args in [
        vec!["apply", plan.to_str().unwrap(), "--yes"],
        vec!["status", "taken"],
    ] {
        let run = moto.run(home.path(), &args);
        assert_eq!(run.code, 2, "{args:?}\n{}\n{}", run.stdout, run.stderr);
        assert!(
            run.stderr
                .contains("/hawiz/taken/plan exists in this account but hawiz did not write it")
                && run.stderr.contains("Choose another stack name"),
            "{args:?}: {}",
            run.stderr
        );
    }
    assert_eq!(count(&moto.ec2(), "taken").await, NONE);
    let listed = moto.run(home.path(), &["status"]).ok();
    assert!(!listed.stdout.contains("taken"), "{}", listed.stdout);
}
