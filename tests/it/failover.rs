//! Seed 003: the standby region. A stack gets `[failover]`: its standby is built in
//! us-east-1 beside the primary in Seoul (one emulator, two regions kept apart) and read
//! back with plain describe calls in each region; the site's record becomes a failover
//! pair in one batch and goes back to a simple alias when `[failover]` leaves the plan;
//! destroy leaves nothing in either region nor in Route 53.

use crate::support::*;
use aws_sdk_route53::types::{ResourceRecordSetFailover, RrType};
use std::collections::BTreeMap;

pub(crate) const STANDBY: &str = "us-east-1";
pub(crate) const FAILOVER: &str = "[failover]\nregion = \"us-east-1\"\n";

/// What is at the site's name: (set identifier, failover role, alias target, check).
pub(crate) async fn site_records(
    aws: &hawiz::aws::Clients,
) -> Vec<(Option<String>, Option<String>, String, Option<String>)> {
    let zones = aws
        .route53
        .list_hosted_zones_by_name()
        .dns_name("wplab.click.")
        .send()
        .await
        .unwrap();
    let zone = zones
        .hosted_zones()
        .iter()
        .find(|z| z.name() == "wplab.click.")
        .unwrap()
        .id()
        .to_string();
    // A page of 100 from the name: never small pages inside a failover pair (moto leaves
    // out the next identifier and loops).
    let out = aws
        .route53
        .list_resource_record_sets()
        .hosted_zone_id(zone)
        .start_record_name("www.wplab.click.")
        .send()
        .await
        .unwrap();
    out.resource_record_sets()
        .iter()
        .filter(|r| r.name() == "www.wplab.click." && *r.r#type() == RrType::A)
        .map(|r| {
            (
                r.set_identifier().map(str::to_string),
                r.failover().map(|f| f.as_str().to_string()),
                r.alias_target()
                    .unwrap()
                    .dns_name()
                    .trim_end_matches('.')
                    .to_string(),
                r.health_check_id().map(str::to_string),
            )
        })
        .collect()
}

pub(crate) async fn dns_name(aws: &hawiz::aws::Clients, name: &str) -> String {
    aws.elb
        .describe_load_balancers()
        .names(name)
        .send()
        .await
        .unwrap()
        .load_balancers()[0]
        .dns_name()
        .unwrap()
        .to_string()
}

/// The stack's health checks, by their tags.
pub(crate) async fn health_checks(
    aws: &hawiz::aws::Clients,
    stack: &str,
) -> Vec<aws_sdk_route53::types::HealthCheck> {
    let all = aws.route53.list_health_checks().send().await.unwrap();
    let mut out = Vec::new();
    for c in all.health_checks() {
        let tags = aws
            .route53
            .list_tags_for_resource()
            .resource_type(aws_sdk_route53::types::TagResourceType::Healthcheck)
            .resource_id(c.id())
            .send()
            .await
            .unwrap();
        let ours = tags
            .resource_tag_set()
            .map(|s| s.tags())
            .unwrap_or_default()
            .iter()
            .any(|t| t.key() == Some("hawiz:stack") && t.value() == Some(stack));
        if ours {
            out.push(c.clone());
        }
    }
    out
}

/// A group's (min, desired, max), read in the clients' region.
pub(crate) async fn sizes(aws: &hawiz::aws::Clients, group: &str) -> (i32, i32, i32) {
    let out = aws
        .autoscaling
        .describe_auto_scaling_groups()
        .auto_scaling_group_names(group)
        .send()
        .await
        .unwrap();
    let g = &out.auto_scaling_groups()[0];
    (
        g.min_size().unwrap_or(-1),
        g.desired_capacity().unwrap_or(-1),
        g.max_size().unwrap_or(-1),
    )
}

pub(crate) fn nothing() -> BTreeMap<&'static str, usize> {
    let mut m = one_of_each();
    for v in m.values_mut() {
        *v = 0;
    }
    m
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stack_gets_a_standby_region_and_loses_it_again() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    let aws = moto.clients().await;
    let east = aws.in_region(STANDBY);

    // A single-region stack first: its site is a simple alias.
    let plan = stack_plan(home.path(), "dr2", DOMAIN);
    moto.run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    let records = site_records(&aws).await;
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0].1, None);
    assert_eq!(inventory(&east, "dr2").await, nothing());
    // No region drill without a standby.
    let drill = moto.run(home.path(), &["drill", "dr2", "region", "--yes"]);
    assert_eq!(drill.code, 2, "{}", drill.stderr);
    assert!(
        drill.stderr.contains("has no [failover]"),
        "{}",
        drill.stderr
    );
    // Nothing to fail back either, and nothing is touched (no snapshot of its database).
    let back = moto.run(home.path(), &["failback", "dr2", "--yes"]);
    assert_eq!(back.code, 2, "{}", back.stderr);
    assert!(
        back.stderr
            .contains("it never failed over, there is nothing to fail back"),
        "{}",
        back.stderr
    );
    let snapshots = aws
        .rds
        .describe_db_snapshots()
        .snapshot_type("manual")
        .send()
        .await
        .unwrap();
    assert!(snapshots.db_snapshots().is_empty(), "{snapshots:?}");

    // --- Then [failover]: the plan says what changes, apply builds the standby. Route 53
    // checks the primary's load balancer itself here (CloudFront in front: cloudfront.rs).
    let plan = stack_plan(
        home.path(),
        "dr2",
        &format!("{DOMAIN}{FAILOVER}cloudfront = false\n"),
    );
    let shown = moto
        .run(home.path(), &["plan", plan.to_str().unwrap()])
        .ok();
    assert!(shown.stdout.contains("(us-east-1)"), "{}", shown.stdout);
    assert!(shown.stdout.contains("routing"), "{}", shown.stdout);
    let run = moto
        .run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    assert!(run.stdout.contains("is ready"), "{}", run.stdout);

    // The standby, read in its own region: a network with one NAT gateway, the tiers'
    // security groups, a load balancer, a group at the standby's size, and a
    // cross-region replica of Seoul's database.
    let there = inventory(&east, "dr2").await;
    assert_eq!(there["vpcs"], 1, "{there:?}");
    assert_eq!(there["subnets"], 4, "{there:?}");
    assert_eq!(there["nat gateways"], 1, "{there:?}");
    assert_eq!(there["load balancers"], 1, "{there:?}");
    assert_eq!(there["auto scaling groups"], 1, "{there:?}");
    assert_eq!(there["databases"], 1, "{there:?}");
    assert_eq!(there["bastions"], 0, "{there:?}");
    // The files: the primary's, replicated (the copy tagged with the stack), mounted in
    // both of the standby's private subnets.
    assert_eq!(there["file systems"], 1, "{there:?}");
    assert_eq!(there["mount targets"], 2, "{there:?}");
    assert_eq!(sizes(&east, "dr2-app").await, (1, 1, 4));
    // The primary kept its own sizes.
    assert_eq!(sizes(&aws, "dr2-app").await, (2, 2, 4));

    let source = aws
        .rds
        .describe_db_instances()
        .db_instance_identifier("dr2-db")
        .send()
        .await
        .unwrap();
    let source = &source.db_instances()[0];
    let replica = east
        .rds
        .describe_db_instances()
        .db_instance_identifier("dr2-db")
        .send()
        .await
        .unwrap();
    let replica = &replica.db_instances()[0];
    assert_eq!(
        replica.read_replica_source_db_instance_identifier(),
        source.db_instance_arn()
    );
    assert!(replica.db_instance_arn().unwrap().contains(":us-east-1:"));
    assert_eq!(replica.storage_encrypted(), Some(true));
    assert!(replica.kms_key_id().is_some());
    assert_eq!(replica.publicly_accessible(), Some(false));
    assert_eq!(
        replica.db_parameter_groups()[0].db_parameter_group_name(),
        Some("dr2-db"),
        "the replica keeps the stack's TLS-only parameters"
    );
    let subnet_group = replica.db_subnet_group().unwrap();
    assert_eq!(subnet_group.db_subnet_group_name(), Some("dr2-db"));
    let standby_vpc = east
        .ec2
        .describe_vpcs()
        .filters(stack_filter("dr2"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        subnet_group.vpc_id(),
        standby_vpc.vpcs()[0].vpc_id(),
        "in the standby's own network"
    );
    // The standby's database only takes the standby's app tier.
    let db_sg = east
        .ec2
        .describe_security_groups()
        .filters(ec2_filter("group-name", "dr2-db"))
        .send()
        .await
        .unwrap();
    let app_sg = east
        .ec2
        .describe_security_groups()
        .filters(ec2_filter("group-name", "dr2-app"))
        .send()
        .await
        .unwrap();
    let db_sg = &db_sg.security_groups()[0];
    assert_eq!(
        replica.vpc_security_groups()[0].vpc_security_group_id(),
        db_sg.group_id()
    );
    let from: Vec<&str> = db_sg
        .ip_permissions()
        .iter()
        .flat_map(|p| p.user_id_group_pairs())
        .filter_map(|p| p.group_id())
        .collect();
    assert_eq!(from, [app_sg.security_groups()[0].group_id().unwrap()]);

    // The secrets: the same values in the standby's own region.
    for name in [
        "db-password",
        "wp-db-password",
        "admin-password",
        "wp-salts",
    ] {
        let read = |c: &hawiz::aws::Clients| {
            c.ssm
                .get_parameter()
                .name(format!("/hawiz/dr2/{name}"))
                .with_decryption(true)
                .send()
        };
        let (here, away) = (read(&aws).await.unwrap(), read(&east).await.unwrap());
        assert_eq!(
            here.parameter().unwrap().value(),
            away.parameter().unwrap().value(),
            "{name}"
        );
    }
    let endpoint = east
        .ssm
        .get_parameter()
        .name("/hawiz/dr2/db-endpoint")
        .send()
        .await
        .unwrap();
    assert_eq!(
        endpoint.parameter().unwrap().value(),
        replica.endpoint().unwrap().address(),
        "the standby's instances find the replica"
    );

    // HTTPS on the standby with a certificate of its own region; plain HTTP redirects.
    let east_alb = east
        .elb
        .describe_load_balancers()
        .names("dr2-alb")
        .send()
        .await
        .unwrap();
    let east_alb = east_alb.load_balancers()[0]
        .load_balancer_arn()
        .unwrap()
        .to_string();
    let listeners = east
        .elb
        .describe_listeners()
        .load_balancer_arn(&east_alb)
        .send()
        .await
        .unwrap();
    let https = listeners
        .listeners()
        .iter()
        .find(|l| l.port() == Some(443))
        .expect("an HTTPS listener on the standby");
    let cert = https.certificates()[0].certificate_arn().unwrap();
    assert!(cert.contains(":us-east-1:"), "{cert}");
    let http = listeners
        .listeners()
        .iter()
        .find(|l| l.port() == Some(80))
        .unwrap();
    let redirect = http.default_actions()[0].redirect_config().unwrap();
    assert_eq!(redirect.protocol(), Some("HTTPS"));

    // Route 53: one HTTPS check on Seoul's load balancer (never the site's own name),
    // and the pair at the site's name.
    let seoul_dns = dns_name(&aws, "dr2-alb").await;
    let east_dns = dns_name(&east, "dr2-alb").await;
    let checks = health_checks(&aws, "dr2").await;
    assert_eq!(checks.len(), 1);
    let cfg = checks[0].health_check_config().unwrap();
    assert_eq!(cfg.r#type().as_str(), "HTTPS");
    assert_eq!(cfg.fully_qualified_domain_name(), Some(seoul_dns.as_str()));
    assert_eq!(cfg.resource_path(), Some("/hawiz-health"));
    assert_eq!(
        (cfg.request_interval(), cfg.failure_threshold()),
        (Some(10), Some(3))
    );
    assert_eq!(cfg.inverted(), Some(false));
    let mut records = site_records(&aws).await;
    records.sort();
    assert_eq!(
        records,
        [
            (
                Some("www-primary".into()),
                Some(ResourceRecordSetFailover::Primary.as_str().into()),
                seoul_dns.clone(),
                Some(checks[0].id().to_string())
            ),
            (
                Some("www-secondary".into()),
                Some(ResourceRecordSetFailover::Secondary.as_str().into()),
                east_dns.clone(),
                None
            ),
        ]
    );

    // Nothing drifts, nothing is left over, and a second apply changes nothing.
    let status = moto.run(home.path(), &["status", "dr2"]);
    assert!(!status.stdout.contains("EXTRA"), "{}", status.stdout);
    assert!(!status.stdout.contains("differs"), "{}", status.stdout);
    let again = moto
        .run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    assert_eq!(again.lines_with("creating"), 0, "{}", again.stdout);

    // The region drill: its mechanics run (the check inverted, read, put back), and its
    // times are said to be not measured, never made up.
    let drill = moto
        .run(home.path(), &["drill", "dr2", "region", "--yes"])
        .ok();
    assert!(
        drill.stdout.contains("inverted health check"),
        "{}",
        drill.stdout
    );
    assert!(
        drill.stdout.contains("put back (not inverted)"),
        "{}",
        drill.stdout
    );
    assert_eq!(
        drill.lines_with("not measured (the emulator never evaluates health checks)"),
        3,
        "{}",
        drill.stdout
    );
    assert!(!drill.stdout.contains(" 0 s"), "{}", drill.stdout);
    // Route 53 is asked what it answers for the site's name: the emulator has no such
    // call, which is said, and the row is not measured.
    assert!(
        drill
            .stdout
            .contains("Route 53 could not be asked what it answers for www.wplab.click"),
        "{}",
        drill.stdout
    );
    assert!(
        drill.stdout.contains("the emulator has no TestDNSAnswer"),
        "{}",
        drill.stdout
    );
    assert_eq!(
        drill.lines_with("not measured (the emulator answers no DNS)"),
        1,
        "{}",
        drill.stdout
    );
    let cfg = health_checks(&aws, "dr2").await[0]
        .health_check_config()
        .cloned()
        .unwrap();
    assert_eq!(cfg.inverted(), Some(false), "the check is put back");
    let status = moto.run(home.path(), &["status", "dr2"]);
    assert!(
        status.stdout.contains("Last drill: region"),
        "{}",
        status.stdout
    );
    assert!(
        status.stdout.contains("Standby: us-east-1"),
        "{}",
        status.stdout
    );
    assert!(
        status.stdout.contains("replication ENABLED"),
        "{}",
        status.stdout
    );
    // The replica's lag, as RDS reports it to CloudWatch: none yet, then what it says.
    assert!(
        status.stdout.contains("no lag reported yet"),
        "{}",
        status.stdout
    );
    east.cloudwatch
        .put_metric_data()
        .namespace("AWS/RDS")
        .metric_data(
            aws_sdk_cloudwatch::types::MetricDatum::builder()
                .metric_name("ReplicaLag")
                .dimensions(
                    aws_sdk_cloudwatch::types::Dimension::builder()
                        .name("DBInstanceIdentifier")
                        .value("dr2-db")
                        .build(),
                )
                .value(4.0)
                .timestamp(aws_smithy_types::DateTime::from(
                    std::time::SystemTime::now(),
                ))
                .build(),
        )
        .send()
        .await
        .unwrap();
    let status = moto.run(home.path(), &["status", "dr2"]);
    assert!(status.stdout.contains("4 s behind"), "{}", status.stdout);

    // --- Without [failover] again: the simple alias is back in one batch, and the
    // standby and its health check are gone.
    let plan = stack_plan(home.path(), "dr2", DOMAIN);
    moto.run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    let records = site_records(&aws).await;
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0].1, None);
    assert_eq!(records[0].2, seoul_dns.clone());
    assert!(health_checks(&aws, "dr2").await.is_empty());
    assert_eq!(inventory(&east, "dr2").await, nothing());

    // --- And with it once more, then destroy: nothing in either region, nor in Route 53.
    let plan = stack_plan(
        home.path(),
        "dr2",
        &format!("{DOMAIN}{FAILOVER}cloudfront = false\n"),
    );
    moto.run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    assert_eq!(health_checks(&aws, "dr2").await.len(), 1);
    let gone = moto.run(home.path(), &["destroy", "dr2", "--yes"]).ok();
    assert!(
        gone.stdout
            .contains("nothing tagged hawiz:stack=dr2 remains"),
        "{}",
        gone.stdout
    );
    assert_eq!(inventory(&east, "dr2").await, nothing());
    assert_eq!(inventory(&aws, "dr2").await, nothing());
    assert!(health_checks(&aws, "dr2").await.is_empty());
    for c in [&aws, &east] {
        let mut ours = Vec::new();
        let mut pages = c.ssm.describe_parameters().into_paginator().send();
        while let Some(page) = pages.next().await {
            ours.extend(
                page.unwrap()
                    .parameters()
                    .iter()
                    .filter_map(|p| p.name())
                    .filter(|n| n.starts_with("/hawiz/dr2/"))
                    .map(str::to_string),
            );
        }
        assert!(ours.is_empty(), "{ours:?}");
        let certs = c.acm.list_certificates().send().await.unwrap();
        assert!(certs.certificate_summary_list().is_empty());
    }
}

/// The standby's pieces that prove it is whole, read in its region.
async fn standby_whole(east: &hawiz::aws::Clients, stack: &str) -> BTreeMap<&'static str, usize> {
    inventory(east, stack).await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_kill_while_the_standby_is_built_converges_on_the_next_run() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    let aws = moto.clients().await;
    let east = aws.in_region(STANDBY);
    let plan = stack_plan(home.path(), "dr4", &format!("{DOMAIN}{FAILOVER}"));
    // Killed right after the standby's first resources are made (us-east-1 lines).
    let seen = moto.apply_killed_after(home.path(), &plan, "(us-east-1)", 6);
    assert!(seen.iter().any(|l| l.contains("(us-east-1)")), "{seen:?}");
    let run = moto
        .run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    assert!(run.stdout.contains("is ready"), "{}", run.stdout);
    let there = standby_whole(&east, "dr4").await;
    for (what, n) in [
        ("vpcs", 1),
        ("subnets", 4),
        ("nat gateways", 1),
        ("load balancers", 1),
        ("auto scaling groups", 1),
        ("databases", 1),
        ("file systems", 1),
        ("mount targets", 2),
        ("security groups", 4),
    ] {
        assert_eq!(there[what], n, "{what}: {there:?}");
    }
    assert_eq!(health_checks(&aws, "dr4").await.len(), 1);
    let status = moto.run(home.path(), &["status", "dr4"]);
    assert!(!status.stdout.contains("EXTRA"), "{}", status.stdout);
}

#[tokio::test(flavor = "multi_thread")]
async fn hawiz_failover_makes_the_standby_the_site() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    let aws = moto.clients().await;
    let east = aws.in_region(STANDBY);
    let plan = stack_plan(
        home.path(),
        "dr3",
        &format!("{DOMAIN}{FAILOVER}mode = \"pilot-light\"\n"),
    );
    moto.run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    let pair = site_records(&aws).await;
    let standby_sizes = sizes(&east, "dr3-app").await;
    // A pilot light: data kept, nothing running.
    let before = inventory(&east, "dr3").await;
    assert_eq!(before["nat gateways"], 0, "{before:?}");
    let copy = crate::failback::file_system(&east, "dr3").await;
    assert!(
        east.efs
            .describe_replication_configurations()
            .file_system_id(&copy)
            .send()
            .await
            .is_ok()
    );

    // Without --yes and no answer: nothing happens.
    let declined = moto.run(home.path(), &["failover", "dr3"]);
    assert_ne!(declined.code, 0, "{}", declined.stdout);

    let run = moto.run(home.path(), &["failover", "dr3", "--yes"]).ok();
    assert!(
        run.stdout
            .contains("promoting the database replica dr3-db in us-east-1"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("ending the files' replication"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("now serves from us-east-1"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("To fail back"), "{}", run.stdout);

    // The files are the standby's own now, the group runs at the primary's size with a
    // NAT gateway, and the database is standing by in a second zone.
    assert!(
        east.efs
            .describe_replication_configurations()
            .file_system_id(&copy)
            .send()
            .await
            .is_err(),
        "the replication ended"
    );
    assert_eq!(sizes(&east, "dr3-app").await, (2, 2, 4));
    assert_eq!(inventory(&east, "dr3").await["nat gateways"], 1);
    let db = east
        .rds
        .describe_db_instances()
        .db_instance_identifier("dr3-db")
        .send()
        .await
        .unwrap();
    assert_eq!(db.db_instances()[0].multi_az(), Some(true));

    // The site's name points at the standby alone (no pair: the old primary gets no
    // visitors when its region answers again), in the same command.
    assert_eq!(
        site_records(&aws).await,
        [(None, None, dns_name(&east, "dr3-alb").await, None)]
    );

    // No region drill on a stack that failed over: the standby is the site.
    let drill = moto.run(home.path(), &["drill", "dr3", "region", "--yes"]);
    assert_eq!(drill.code, 2, "{}", drill.stderr);
    assert!(
        drill.stderr.contains("there is no primary to drill"),
        "{}",
        drill.stderr
    );
    let status = moto.run(home.path(), &["status", "dr3"]);
    assert!(
        status.stdout.contains("since `hawiz failover`"),
        "{}",
        status.stdout
    );

    // A second failover is refused, saying when the first was.
    let again = moto.run(home.path(), &["failover", "dr3", "--yes"]);
    assert_eq!(again.code, 2, "{}", again.stderr);
    assert!(
        again.stderr.contains("already failed over to us-east-1"),
        "{}",
        again.stderr
    );

    // The user's plan file does not say it failed over: apply keeps it so, changing
    // nothing (CloudFront and the health check stay, unused, for the way back; the name
    // stays the standby's); a plan without [failover] would delete the site and is refused.
    let again = moto
        .run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    assert!(
        again.stdout.contains("failed over to us-east-1"),
        "{}",
        again.stdout
    );
    assert_eq!(again.lines_with("creating"), 0, "{}", again.stdout);
    assert_eq!(again.lines_with("deleting"), 0, "{}", again.stdout);
    assert_eq!(
        site_records(&aws).await,
        [(None, None, dns_name(&east, "dr3-alb").await, None)]
    );
    let single = stack_plan(home.path(), "dr3", DOMAIN);
    let refused = moto.run(home.path(), &["apply", single.to_str().unwrap(), "--yes"]);
    assert_ne!(refused.code, 0);
    assert!(
        refused.stderr.contains("would delete it"),
        "{}",
        refused.stderr
    );

    // The way back, then the standby as before (a pilot light: nothing running).
    crate::failback::fails_back(&moto, home.path(), "dr3", pair, standby_sizes).await;
    assert_eq!(inventory(&east, "dr3").await["nat gateways"], 0);

    // Destroy: nothing of it in either region.
    moto.run(home.path(), &["destroy", "dr3", "--yes"]).ok();
    assert_eq!(inventory(&east, "dr3").await, nothing());
    assert_eq!(inventory(&aws, "dr3").await, nothing());
}

/// `hawiz drill STACK region --promote`: the region drill, then the failover instead of
/// the way back. The check the drill inverted is put back by the failover's own run (the
/// site's name points at the standby alone by then). Only the region drill takes it.
#[tokio::test(flavor = "multi_thread")]
async fn a_region_drill_with_promote_ends_failed_over() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    let aws = moto.clients().await;
    let east = aws.in_region(STANDBY);
    let plan = stack_plan(
        home.path(),
        "dr6",
        &format!("{DOMAIN}{FAILOVER}mode = \"pilot-light\"\n"),
    );
    moto.run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    let refused = moto.run(
        home.path(),
        &["drill", "dr6", "instance", "--promote", "--yes"],
    );
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(
        refused
            .stderr
            .contains("--promote goes with the region drill only"),
        "{}",
        refused.stderr
    );

    let run = moto
        .run(
            home.path(),
            &["drill", "dr6", "region", "--promote", "--yes"],
        )
        .ok();
    assert!(
        run.stdout.contains("inverted health check"),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("put back (not inverted)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("hawiz failover (below)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("now serves from us-east-1"),
        "{}",
        run.stdout
    );
    let cfg = health_checks(&aws, "dr6").await[0]
        .health_check_config()
        .cloned()
        .unwrap();
    assert_eq!(cfg.inverted(), Some(false), "the failover put it back");
    assert_eq!(
        site_records(&aws).await,
        [(None, None, dns_name(&east, "dr6-alb").await, None)]
    );
    assert_eq!(sizes(&east, "dr6-app").await, (2, 2, 4));
    let status = moto.run(home.path(), &["status", "dr6"]);
    assert!(
        status.stdout.contains("since `hawiz failover`"),
        "{}",
        status.stdout
    );
}

/// Bad `[failover]` answers are refused on the command line at their fields, with
/// nothing created in either region.
#[tokio::test(flavor = "multi_thread")]
async fn bad_failover_answers_are_refused_with_nothing_created() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    let aws = moto.clients().await;
    let east = aws.in_region(STANDBY);
    for (extra, field) in [
        (
            "[failover]\nregion = \"us-east-1\"\n",
            "failover: failover needs the site's own domain",
        ),
        (
            &format!("{DOMAIN}[failover]\nregion = \"ap-northeast-2\"\n") as &str,
            "failover.region: ap-northeast-2 is the stack's own region",
        ),
        (
            &format!("{DOMAIN}{FAILOVER}standby_min = 0\n"),
            "failover.standby_min: a warm standby runs at least 1 instance",
        ),
        (
            &format!("{DOMAIN}{FAILOVER}health_check_interval = 15\n"),
            "failover.health_check_interval: 15 seconds",
        ),
        (
            "[domain]\nname = \"wplab.click\"\nhost = \"origin\"\n[failover]\nregion = \"us-east-1\"\n",
            "domain.host: origin: behind CloudFront, hawiz names the primary's load balancer",
        ),
        (
            &format!("{DOMAIN}{FAILOVER}mode = \"hot\"\n"),
            "unknown variant `hot`",
        ),
    ] {
        let plan = stack_plan(home.path(), "bad", extra);
        let run = moto.run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"]);
        assert_eq!(run.code, 2, "{extra}\n{}", run.stderr);
        assert!(run.stderr.contains(field), "{extra}\n{}", run.stderr);
    }
    assert_eq!(count(&aws.ec2, "bad").await, NONE);
    assert_eq!(count(&east.ec2, "bad").await, NONE);
    assert!(health_checks(&aws, "bad").await.is_empty());
}

/// A real account is full: a database of the user's with the standby's name waits in the
/// standby region. The plan refuses, naming it, and nothing is created in either region;
/// the user's database is left as it was.
#[tokio::test(flavor = "multi_thread")]
async fn a_users_database_in_the_standby_region_is_refused_never_touched() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    let aws = moto.clients().await;
    let east = aws.in_region(STANDBY);
    east.rds
        .create_db_instance()
        .db_instance_identifier("dr5-db")
        .engine("mariadb")
        .engine_version("10.11.10")
        .db_instance_class("db.t3.micro")
        .allocated_storage(20)
        .master_username("owner")
        .master_user_password("theirs-not-hawizs-1")
        .send()
        .await
        .unwrap();
    let plan = stack_plan(home.path(), "dr5", &format!("{DOMAIN}{FAILOVER}"));
    let run = moto.run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"]);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr
            .contains("a database named dr5-db already exists"),
        "{}",
        run.stderr
    );
    assert_eq!(count(&aws.ec2, "dr5").await, NONE);
    assert_eq!(count(&east.ec2, "dr5").await, NONE);
    let theirs = east
        .rds
        .describe_db_instances()
        .db_instance_identifier("dr5-db")
        .send()
        .await
        .unwrap();
    let theirs = &theirs.db_instances()[0];
    assert_eq!(theirs.master_username(), Some("owner"));
    assert!(theirs.tag_list().is_empty(), "{:?}", theirs.tag_list());
}
