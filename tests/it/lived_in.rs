//! hawiz in an account that is not empty: the user's own database, role, key pair and
//! parameter with hawiz's default names, their zone with records at the site's name, and
//! another hawiz stack. Collisions are refused by name before anything is created; a stack
//! built beside the rest leaves every pre-existing thing as it was, through apply,
//! re-apply, change and destroy; one hawiz at a time per stack.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;

use aws_sdk_route53::types::{
    Change, ChangeAction, ChangeBatch, HostedZoneConfig, ResourceRecord, ResourceRecordSet, RrType,
};
use hawiz::aws::Clients;
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::Duration;
use support::owned::tagged_anywhere;
use support::proxy::{Faults, Proxy};
use support::{Moto, stack_plan};

/// The user's own hosted zone (not made by hawiz), with some records. Returns its ID.
pub(crate) async fn users_zone(aws: &Clients, records: &[(&str, RrType, &str)]) -> String {
    let zone = aws
        .route53
        .create_hosted_zone()
        .name("wplab.click")
        .caller_reference("the-users-own-zone")
        .hosted_zone_config(HostedZoneConfig::builder().comment("my zone").build())
        .send()
        .await
        .unwrap();
    let id = zone
        .hosted_zone()
        .unwrap()
        .id()
        .trim_start_matches("/hostedzone/")
        .to_string();
    let mut batch = ChangeBatch::builder();
    for (name, kind, value) in records {
        batch = batch.changes(
            Change::builder()
                .action(ChangeAction::Create)
                .resource_record_set(
                    ResourceRecordSet::builder()
                        .name(*name)
                        .r#type(kind.clone())
                        .ttl(300)
                        .resource_records(ResourceRecord::builder().value(*value).build().unwrap())
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap(),
        );
    }
    aws.route53
        .change_resource_record_sets()
        .hosted_zone_id(&id)
        .change_batch(batch.build().unwrap())
        .send()
        .await
        .unwrap();
    id
}

/// Every record of a zone as "name type value", sorted.
pub(crate) async fn records(aws: &Clients, zone: &str) -> Vec<String> {
    let out = aws
        .route53
        .list_resource_record_sets()
        .hosted_zone_id(zone)
        .send()
        .await
        .unwrap();
    let mut all: Vec<String> = out
        .resource_record_sets()
        .iter()
        .map(|r| {
            let values: Vec<&str> = r.resource_records().iter().map(|v| v.value()).collect();
            let alias = r.alias_target().map(|a| a.dns_name()).unwrap_or_default();
            format!(
                "{} {} {}{}",
                r.name(),
                r.r#type().as_str(),
                values.join(","),
                alias
            )
        })
        .collect();
    all.sort();
    all
}

async fn users_database(aws: &Clients, name: &str) {
    aws.rds
        .create_db_instance()
        .db_instance_identifier(name)
        .engine("mariadb")
        .engine_version("10.11.10")
        .db_instance_class("db.t3.micro")
        .allocated_storage(20)
        .master_username("me")
        .master_user_password("my-own-password-1")
        .send()
        .await
        .unwrap();
}

async fn users_role(aws: &Clients, name: &str) {
    aws.iam
        .create_role()
        .role_name(name)
        .assume_role_policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#)
        .send()
        .await
        .unwrap();
}

async fn users_key(aws: &Clients, name: &str) -> String {
    aws.ec2
        .create_key_pair()
        .key_name(name)
        .send()
        .await
        .unwrap()
        .key_fingerprint()
        .unwrap()
        .to_string()
}

async fn fingerprint(aws: &Clients, name: &str) -> Option<String> {
    aws.ec2
        .describe_key_pairs()
        .key_names(name)
        .send()
        .await
        .ok()?
        .key_pairs()
        .first()?
        .key_fingerprint()
        .map(str::to_string)
}

async fn database_exists(aws: &Clients, name: &str) -> bool {
    aws.rds
        .describe_db_instances()
        .db_instance_identifier(name)
        .send()
        .await
        .is_ok_and(|o| !o.db_instances().is_empty())
}

async fn role_exists(aws: &Clients, name: &str) -> bool {
    aws.iam.get_role().role_name(name).send().await.is_ok()
}

const DOMAIN_IN_USERS_ZONE: &str =
    "[domain]\nname = \"wplab.click\"\nhost = \"www\"\ncreate_hosted_zone = false\n";

#[tokio::test(flavor = "multi_thread")]
async fn collisions_are_refused_by_name_before_anything_is_created() {
    let moto = Moto::start();
    let aws = moto.clients().await;
    users_database(&aws, "shop-db").await;
    users_role(&aws, "hawiz-shop-ap-northeast-2-app").await;
    let key = users_key(&aws, "shop-key").await;
    aws.ssm
        .put_parameter()
        .name("/hawiz/shop/db-password")
        .value("not-hawizs")
        .r#type(aws_sdk_ssm::types::ParameterType::SecureString)
        .send()
        .await
        .unwrap();
    let zone = users_zone(
        &aws,
        &[
            ("www.wplab.click", RrType::A, "203.0.113.5"),
            ("wplab.click", RrType::Mx, "10 mail.wplab.click"),
            ("wplab.click", RrType::Txt, "\"v=spf1 -all\""),
        ],
    )
    .await;
    let zone_before = records(&aws, &zone).await;

    let home = tempfile::tempdir().unwrap();
    let plan = stack_plan(home.path(), "shop", DOMAIN_IN_USERS_ZONE);
    for args in [
        vec!["plan", plan.to_str().unwrap()],
        vec!["apply", plan.to_str().unwrap(), "--yes"],
    ] {
        let run = moto.run(home.path(), &args);
        assert_eq!(run.code, 2, "{args:?}\n{}\n{}", run.stdout, run.stderr);
        for named in [
            "a database named shop-db already exists in this account and is not part of stack shop",
            "an IAM role named hawiz-shop-ap-northeast-2-app already exists",
            "a database password parameter named /hawiz/shop/db-password already exists",
            "a key pair named shop-key already exists in this account and is not part of this stack",
            "www.wplab.click already has a record that hawiz did not create (A 203.0.113.5)",
        ] {
            assert!(
                run.stderr.contains(named),
                "{args:?}: {named}\n{}",
                run.stderr
            );
        }
        assert!(run.stderr.contains("nothing was created"), "{}", run.stderr);
    }
    // Nothing was made, and nothing of the user's was touched.
    assert!(tagged_anywhere(&aws, "shop").await.is_empty());
    assert!(
        !home.path().join("stacks/shop").exists(),
        "no state written"
    );
    assert!(database_exists(&aws, "shop-db").await);
    assert!(role_exists(&aws, "hawiz-shop-ap-northeast-2-app").await);
    assert_eq!(fingerprint(&aws, "shop-key").await, Some(key));
    assert_eq!(records(&aws, &zone).await, zone_before);
    let param = aws
        .ssm
        .get_parameter()
        .name("/hawiz/shop/db-password")
        .with_decryption(true)
        .send()
        .await
        .unwrap();
    assert_eq!(param.parameter().unwrap().value(), Some("not-hawizs"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stack_beside_the_users_things_leaves_them_as_they_were() {
    let moto = Moto::start();
    let aws = moto.clients().await;
    users_database(&aws, "userdb").await;
    users_role(&aws, "app-role").await;
    let laptop = users_key(&aws, "laptop").await;
    let zone = users_zone(
        &aws,
        &[
            ("wplab.click", RrType::A, "203.0.113.5"),
            ("wplab.click", RrType::Mx, "10 mail.wplab.click"),
            ("wplab.click", RrType::Txt, "\"v=spf1 -all\""),
            // Another certificate's validation record, as ACM leaves them in a zone.
            (
                "_3639ac514e785e898d2646601fa951d5.wplab.click",
                RrType::Cname,
                "_98d2646601fa951d5.acm-validations.aws.",
            ),
        ],
    )
    .await;
    let zone_before = records(&aws, &zone).await;
    let home = tempfile::tempdir().unwrap();
    // Another stack of hawiz's, already there.
    let other = stack_plan(home.path(), "blog", "");
    moto.run(home.path(), &["apply", other.to_str().unwrap(), "--yes"])
        .ok();

    let plan = stack_plan(home.path(), "shop", DOMAIN_IN_USERS_ZONE);
    let built = moto
        .run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    assert!(
        built.stdout.contains("Site:  https://www.wplab.click/"),
        "{}",
        built.stdout
    );
    let during = records(&aws, &zone).await;
    for r in &zone_before {
        assert!(during.contains(r), "{r} kept while the stack runs");
    }
    assert!(
        during.iter().any(|r| r.starts_with("www.wplab.click. A ")),
        "{during:?}"
    );
    let again = moto
        .run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    assert_eq!(again.lines_with("creating"), 0, "{}", again.stdout);
    assert!(
        again.stdout.contains("56 unchanged, 1 yours (used as is)."),
        "{}",
        again.stdout
    );
    let bigger = stack_plan(
        home.path(),
        "shop",
        &format!("{DOMAIN_IN_USERS_ZONE}\n[app]\nmax = 5\n"),
    );
    moto.run(home.path(), &["apply", bigger.to_str().unwrap(), "--yes"])
        .ok();
    moto.run(home.path(), &["destroy", "shop", "--yes"]).ok();

    assert!(tagged_anywhere(&aws, "shop").await.is_empty());
    let after = records(&aws, &zone).await;
    for r in &zone_before {
        assert!(after.contains(r), "{r} survives destroy: {after:?}");
    }
    assert!(
        !after.iter().any(|r| r.starts_with("www.wplab.click.")),
        "the site's record is gone: {after:?}"
    );
    // The validation records hawiz wrote stay: in the user's zone they are shared with
    // any other certificate for the same names.
    assert!(
        after.len() > zone_before.len(),
        "validation CNAMEs kept: {after:?}"
    );
    assert!(database_exists(&aws, "userdb").await);
    assert!(role_exists(&aws, "app-role").await);
    assert_eq!(fingerprint(&aws, "laptop").await, Some(laptop));
    let blog = moto.run(home.path(), &["status", "blog"]).ok();
    assert!(
        blog.stdout.contains("51 of 51 resources present."),
        "{}",
        blog.stdout
    );
    assert!(!blog.stdout.contains("DRIFTED"), "{}", blog.stdout);
}

#[tokio::test(flavor = "multi_thread")]
async fn one_hawiz_at_a_time_per_stack() {
    let moto = Moto::start();
    // The database takes a while, so the first apply is still running when the second
    // one starts.
    let proxy = Proxy::start(
        &moto.endpoint,
        Faults {
            delays: [("CreateDBInstance".to_string(), Duration::from_secs(3))].into(),
            ..Default::default()
        },
    );
    let home = tempfile::tempdir().unwrap();
    let plan = stack_plan(home.path(), "busy", "");
    let mut first = proxy
        .hawiz(home.path())
        .args(["apply", plan.to_str().unwrap(), "--yes"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(first.stdout.take().unwrap()).lines();
    for line in lines.by_ref() {
        if line.unwrap().contains("creating rds-instance") {
            break;
        }
    }
    let second = proxy.run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"]);
    assert_eq!(second.code, 2, "{}\n{}", second.stdout, second.stderr);
    assert!(
        second.stderr.contains(&format!(
            "stack \"busy\" is busy: process {} (`hawiz apply`",
            first.id()
        )),
        "{}",
        second.stderr
    );
    let destroy = proxy.run(home.path(), &["destroy", "busy", "--yes"]);
    assert_eq!(destroy.code, 2, "{}", destroy.stderr);
    assert!(destroy.stderr.contains("is busy"), "{}", destroy.stderr);
    let rest: Vec<String> = lines.map(Result::unwrap).collect();
    assert!(first.wait().unwrap().success(), "{rest:?}");
    assert!(
        rest.iter().any(|l| l.contains("is ready: 50 created")),
        "{rest:?}"
    );
    // A killed holder does not lock the stack for good.
    let killed = moto.killed_after(home.path(), &["destroy", "busy", "--yes"], "deleting", 1);
    assert!(!killed.is_empty());
    let resumed = moto.run(home.path(), &["destroy", "busy", "--yes"]).ok();
    assert!(
        resumed
            .stdout
            .contains("nothing tagged hawiz:stack=busy remains"),
        "{}",
        resumed.stdout
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn another_machine_without_the_private_key_keeps_the_key_pair() {
    let moto = Moto::start();
    let aws = moto.clients().await;
    let home = tempfile::tempdir().unwrap();
    let plan = stack_plan(home.path(), "travel", "");
    moto.run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    let before = fingerprint(&aws, "travel-key").await.unwrap();
    // Another machine: the same state, no private key.
    let pem = home.path().join("stacks/travel/travel-key.pem");
    std::fs::remove_file(&pem).unwrap();
    let again = moto
        .run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    assert_eq!(again.lines_with("creating"), 0, "{}", again.stdout);
    assert!(
        again.stdout.contains(&format!(
            "the private key of key pair travel-key is not on this machine (expected at {})",
            pem.display()
        )),
        "{}",
        again.stdout
    );
    assert!(
        again.stdout.contains("aws ssm start-session --target"),
        "{}",
        again.stdout
    );
    assert_eq!(
        fingerprint(&aws, "travel-key").await.unwrap(),
        before,
        "the pair the bastion uses is not replaced"
    );
    let status = moto.run(home.path(), &["status", "travel"]).ok();
    assert!(
        status
            .stdout
            .contains("Note: the private key of key pair travel-key"),
        "{}",
        status.stdout
    );
}

#[test]
fn an_unreachable_endpoint_is_one_plain_sentence() {
    let home = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port(); // closed again at once: nothing listens there
    let plan = stack_plan(home.path(), "offline", "");
    let endpoint = format!("http://127.0.0.1:{port}");
    let run = support::Run::from(
        support::hawiz_command(&endpoint, home.path())
            .args(["apply", plan.to_str().unwrap(), "--yes"])
            .output()
            .unwrap(),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "error: cannot connect: connection refused at {endpoint} (AWS_ENDPOINT_URL)"
        )),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("DispatchFailure"), "{}", run.stderr);
    assert!(!run.stderr.contains("AWS_PROFILE"), "{}", run.stderr);
    assert!(
        run.stderr.len() < 600,
        "{} bytes: {}",
        run.stderr.len(),
        run.stderr
    );
    // `plan` checks the plan on its own, lists it, and is no pass: the account was not
    // read, so it exits 1 and says so in one sentence.
    let checked = support::Run::from(
        support::hawiz_command(&endpoint, home.path())
            .args(["plan", plan.to_str().unwrap()])
            .output()
            .unwrap(),
    );
    assert_eq!(checked.code, 1, "{}", checked.stderr);
    assert!(
        checked
            .stdout
            .contains("The plan is valid on its own; it would make:"),
        "{}",
        checked.stdout
    );
    assert!(
        checked.stderr.contains(&format!(
            "error: the AWS account was not checked (what exists, what is in the way, what \
             would change): cannot connect: connection refused at {endpoint}"
        )),
        "{}",
        checked.stderr
    );
    assert!(
        !checked.stdout.contains("(not signed in"),
        "{}",
        checked.stdout
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_record_the_user_put_at_the_sites_name_is_never_taken_for_hawizs() {
    let moto = Moto::start();
    let aws = moto.clients().await;
    let zone = users_zone(&aws, &[("wplab.click", RrType::Mx, "10 mail.wplab.click")]).await;
    let home = tempfile::tempdir().unwrap();
    let plan = stack_plan(home.path(), "moved", DOMAIN_IN_USERS_ZONE);
    moto.run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    // The user moves the site elsewhere by hand: hawiz's alias goes, their own A comes.
    let ours = aws
        .route53
        .list_resource_record_sets()
        .hosted_zone_id(&zone)
        .send()
        .await
        .unwrap()
        .resource_record_sets()
        .iter()
        .find(|r| r.name() == "www.wplab.click." && *r.r#type() == RrType::A)
        .unwrap()
        .clone();
    let swap = ChangeBatch::builder()
        .changes(
            Change::builder()
                .action(ChangeAction::Delete)
                .resource_record_set(ours)
                .build()
                .unwrap(),
        )
        .changes(
            Change::builder()
                .action(ChangeAction::Create)
                .resource_record_set(
                    ResourceRecordSet::builder()
                        .name("www.wplab.click")
                        .r#type(RrType::A)
                        .ttl(60)
                        .resource_records(
                            ResourceRecord::builder()
                                .value("198.51.100.7")
                                .build()
                                .unwrap(),
                        )
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    aws.route53
        .change_resource_record_sets()
        .hosted_zone_id(&zone)
        .change_batch(swap)
        .send()
        .await
        .unwrap();
    let status = moto.run(home.path(), &["status", "moved"]);
    assert!(
        status
            .stdout
            .lines()
            .any(|l| l.contains("missing") && l.contains("www.wplab.click")),
        "{}",
        status.stdout
    );
    let again = moto.run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"]);
    assert_eq!(again.code, 2, "{}", again.stdout);
    assert!(
        again.stderr.contains(
            "www.wplab.click already has a record that hawiz did not create (A 198.51.100.7)"
        ),
        "{}",
        again.stderr
    );
    moto.run(home.path(), &["destroy", "moved", "--yes"]).ok();
    let after = records(&aws, &zone).await;
    assert!(
        after.contains(&"www.wplab.click. A 198.51.100.7".to_string()),
        "the user's record survives destroy: {after:?}"
    );
}
