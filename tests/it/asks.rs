//! The run layer's questions as the front-ends show them: each operation says what it
//! will do and what needs a yes before anything happens, and every front-end shows that
//! same question. The wizard's destroy shows deletion protection and the final snapshot
//! with its cost before asking; the drill names the instance and its AZ before asking
//! (wizard and CLI); the wizard's look at a stack shows what could not be checked and what
//! is left over; and `ops::changes` refuses an invalid plan on its own, before AWS.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;

use std::path::Path;
use support::env::Env;
use support::proxy::{Faults, Permanent, Proxy};
use support::pty::{ENTER, ESC, Pty};

/// Scrolls the panel the scroll keys move (assets/keys.toml).
const CTRL_D: &str = "\x04";
use support::*;

fn wizard(endpoint: &str, home: &Path) -> Pty {
    Pty::spawn(Env::emulator(endpoint, home).pty(&[]), 120, 40)
}

/// The instance a drill breaks: the first in service, by AZ then ID (`ops::drill`'s rule),
/// read from outside.
async fn first_in_service(aws: &hawiz::aws::Clients, group: &str) -> (String, String) {
    let out = aws
        .autoscaling
        .describe_auto_scaling_groups()
        .auto_scaling_group_names(group)
        .send()
        .await
        .unwrap();
    let mut serving: Vec<(String, String)> = out.auto_scaling_groups()[0]
        .instances()
        .iter()
        .filter(|i| i.lifecycle_state().map(|s| s.as_str()) == Some("InService"))
        .map(|i| {
            (
                i.availability_zone().unwrap().to_string(),
                i.instance_id().unwrap().to_string(),
            )
        })
        .collect();
    serving.sort();
    let (az, id) = serving.remove(0);
    (id, az)
}

async fn in_service(aws: &hawiz::aws::Clients, group: &str) -> usize {
    let out = aws
        .autoscaling
        .describe_auto_scaling_groups()
        .auto_scaling_group_names(group)
        .send()
        .await
        .unwrap();
    out.auto_scaling_groups()[0]
        .instances()
        .iter()
        .filter(|i| i.lifecycle_state().map(|s| s.as_str()) == Some("InService"))
        .count()
}

/// The text of the screen's columns `from..to` (one panel, or a dialog over the screen),
/// its lines joined, so a sentence the wizard wrapped can be found whole.
fn panel(p: &Pty, from: usize, to: usize) -> String {
    p.rows()
        .iter()
        .map(|r| {
            let part: String = r.chars().skip(from).take(to - from).collect();
            part.trim_matches(|c: char| c == '│' || c.is_whitespace())
                .to_string()
        })
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A dialog over the wizard at 120×40: 70 % wide, centred.
fn dialog(p: &Pty) -> String {
    panel(p, 18, 102)
}

/// Everything the program wrote (line-mode output, unwrapped by the terminal).
fn raw(p: &Pty) -> String {
    String::from_utf8_lossy(&p.raw.lock().unwrap()).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_wizards_destroy_shows_protection_and_the_final_snapshot_before_asking() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    let plan = stack_plan(home.path(), "kept", "");
    moto.run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    let aws = moto.clients().await;

    let mut p = wizard(&moto.endpoint, home.path());
    p.wait_for("Saved setups", 30);
    p.send("d");
    // Asked of the run layer first: what deleting it means, then the question.
    p.wait_for("This cannot be undone.", 30);
    let screen = dialog(&p);
    for said in [
        "Delete 50 resources of stack \"kept\"?",
        "database kept-db has deletion protection on; destroy turns it off",
        "a final snapshot of the database is kept (kept-db-final-…, 20 GiB, about $",
        "a month to keep",
        "--skip-final-snapshot",
        "Delete the database without a final snapshot",
    ] {
        assert!(screen.contains(said), "{said:?} not shown:\n{}", p.screen());
    }
    // No: nothing is deleted, and the operation let its lock go (asking again works).
    p.send(ESC);
    p.wait_until("the question closed", 10, |s| {
        !s.contains("This cannot be undone.")
    });
    assert_eq!(inventory(&aws, "kept").await, one_of_each());
    p.send("d");
    p.wait_for("This cannot be undone.", 30);
    p.send(ESC);
    p.wait_until("the question closed", 10, |s| {
        !s.contains("This cannot be undone.")
    });
    assert_eq!(inventory(&aws, "kept").await, one_of_each());
}

#[tokio::test(flavor = "multi_thread")]
async fn the_drill_names_its_target_before_asking_in_the_wizard_and_the_cli() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    let plan = stack_plan(home.path(), "heal", "");
    moto.run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    let aws = moto.clients().await;
    let (victim, az) = first_in_service(&aws, "heal-app").await;

    // The wizard: the question names the instance and its AZ.
    let mut p = wizard(&moto.endpoint, home.path());
    p.wait_for("Saved setups", 30);
    p.send("x");
    p.wait_for("Break it on purpose now?", 30);
    let screen = dialog(&p);
    assert!(
        screen.contains(&format!("terminate app instance {victim} in {az}")),
        "the target is not named:\n{}",
        p.screen()
    );
    p.send(ESC);
    p.wait_until("the question closed", 10, |s| {
        !s.contains("Break it on purpose now?")
    });
    drop(p);
    assert_eq!(in_service(&aws, "heal-app").await, 2, "nothing was broken");

    // The CLI: the same target, named before its question; no breaks nothing.
    let mut cli = Pty::spawn(
        Env::emulator(&moto.endpoint, home.path()).pty(&["drill", "heal", "instance"]),
        120,
        40,
    );
    cli.wait_for("Break it on purpose now?", 30);
    let screen = raw(&cli);
    let named = screen
        .find(&format!("terminate app instance {victim} in {az}"))
        .unwrap_or_else(|| panic!("the target is not named:\n{}", cli.screen()));
    assert!(
        named < screen.find("Break it on purpose now?").unwrap(),
        "named after the question:\n{}",
        cli.screen()
    );
    cli.send("n");
    cli.send(ENTER);
    assert_eq!(cli.wait_exit(20), 2);
    assert_eq!(in_service(&aws, "heal-app").await, 2, "nothing was broken");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_wizards_look_at_a_stack_shows_what_could_not_be_checked_and_what_is_left() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    let plan = stack_plan(home.path(), "seen", "");
    moto.run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    // Something tagged with the stack that no resource of it accounts for.
    let ec2 = moto.ec2();
    let vpc = ec2
        .describe_vpcs()
        .filters(stack_filter("seen"))
        .send()
        .await
        .unwrap()
        .vpcs()[0]
        .vpc_id()
        .unwrap()
        .to_string();
    let stray = ec2
        .create_security_group()
        .group_name("seen-stray")
        .description("made by hand")
        .vpc_id(&vpc)
        .send()
        .await
        .unwrap()
        .group_id()
        .unwrap()
        .to_string();
    ec2.create_tags()
        .resources(&stray)
        .tags(
            aws_sdk_ec2::types::Tag::builder()
                .key("hawiz:stack")
                .value("seen")
                .build(),
        )
        .send()
        .await
        .unwrap();
    // A read these credentials may not make: looking up the key pair by its name.
    let proxy = Proxy::start(
        &moto.endpoint,
        Faults {
            permanent: vec![Permanent {
                op: "DescribeKeyPairs".into(),
                contains: "KeyName".into(),
                code: "UnauthorizedOperation".into(),
                message: "You are not authorized to perform this operation.".into(),
            }],
            ..Default::default()
        },
    );

    let mut p = wizard(&proxy.endpoint, home.path());
    p.wait_for("Saved setups", 30);
    p.send("v");
    p.wait_for("could not check", 60);
    // The log, on the left (55 % of the width).
    let screen = panel(&p, 0, 66);
    assert!(
        screen
            .contains("seen-key: could not check: DescribeKeyPairs failed: UnauthorizedOperation"),
        "{}",
        p.screen()
    );
    assert!(
        !screen.contains("seen-key: missing"),
        "a read that failed is not \"missing\":\n{}",
        p.screen()
    );
    // What is left over follows in the log: scrolled to.
    let leftover = format!("security-group {stray}: tagged hawiz:stack=seen but has no hawiz:key");
    for _ in 0..20 {
        if panel(&p, 0, 66).contains(&leftover) {
            break;
        }
        let before = p.screen();
        p.send(CTRL_D);
        p.wait_until("the log scrolled", 5, |s| {
            s != before || s.contains("▲ ^U ┘")
        });
    }
    assert!(
        panel(&p, 0, 66).contains(&leftover),
        "the leftover is not shown:\n{}",
        p.screen()
    );
}

/// The run layer's environment with an endpoint that answers nothing.
fn offline_env(home: &std::path::Path) -> hawiz::ops::Env {
    hawiz::ops::Env {
        stacks_dir: home.join("stacks"),
        target: hawiz::aws::Target {
            endpoint: Some("http://127.0.0.1:9".into()),
            sandbox: false,
            ..Default::default()
        },
        parallelism: 4,
        lang: hawiz::i18n::Lang::En,
        region: None,
        force_unlock: false,
    }
}

/// Validation belongs to the run layer: `ops::changes` refuses an invalid plan by itself,
/// at its fields, before it locks anything or asks AWS anything (here there is no AWS to
/// ask: the endpoint answers nothing).
#[tokio::test(flavor = "multi_thread")]
async fn changes_refuses_an_invalid_plan_on_its_own() {
    let home = tempfile::tempdir().unwrap();
    let env = offline_env(home.path());
    let mut plan = hawiz::plan::Plan::default();
    plan.resolve(None);
    plan.bastion.ssh_cidr = "203.0.113.10/32".into();
    plan.network.cidr = "10.0.0.0/33".into();
    plan.app.min = 5;
    for for_apply in [false, true] {
        let refused = hawiz::ops::changes(&env, plan.clone(), for_apply)
            .await
            .expect_err("an invalid plan is refused");
        assert_eq!(refused.code, 2, "{}", refused.message);
        let fields: Vec<&str> = refused.findings.iter().map(|f| f.field.as_str()).collect();
        assert!(fields.contains(&"network.cidr"), "{fields:?}");
        assert!(fields.iter().any(|f| f.starts_with("app.")), "{fields:?}");
        assert!(
            !home.path().join("stacks").exists() && !home.path().join("locks").exists(),
            "nothing was locked or recorded"
        );
    }
}

/// Building while answering starts nothing the preflight refuses: a plan with an error in
/// a step not yet built (the app tier's sizes) ends its first run refused, at the field,
/// before anything is locked or asked of AWS (the endpoint answers nothing).
#[tokio::test(flavor = "multi_thread")]
async fn building_while_answering_refuses_what_the_preflight_refuses() {
    let home = tempfile::tempdir().unwrap();
    let env = offline_env(home.path());
    let mut plan = hawiz::plan::Plan::default();
    plan.resolve(None);
    plan.bastion.ssh_cidr = "203.0.113.10/32".into();
    plan.app.min = 5;
    let (early, mut reports) = hawiz::ops::early::start(&env, plan, 1);
    let mut refused = None;
    while let Some(r) = reports.recv().await {
        match r {
            hawiz::ops::early::Report::Ended { result, .. } => refused = Some(result),
            hawiz::ops::early::Report::Started { .. } => panic!("nothing starts"),
            hawiz::ops::early::Report::Event(_) => {}
        }
    }
    early.settle().await;
    let refused = refused
        .expect("the run ended")
        .expect_err("an invalid plan is refused");
    assert_eq!(refused.code, 2, "{}", refused.message);
    assert!(
        refused.findings.iter().any(|f| f.field.starts_with("app.")),
        "{:?}",
        refused.findings
    );
    assert!(!home.path().join("stacks").exists(), "nothing was recorded");
}
