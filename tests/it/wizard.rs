//! End to end: the real binary in a pseudo-terminal against moto, driven with keystrokes
//! like a student would, then checked from outside with describe calls.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;

use portable_pty::CommandBuilder;
use std::path::Path;
use support::env::Env;
use support::pty::{BACKSPACE, CTRL_C, ENTER, PAGE_DOWN, Pty, TAB};
use support::*;

fn hawiz(moto: &Moto, home: &Path, args: &[&str]) -> CommandBuilder {
    Env::emulator(&moto.endpoint, home)
        .set("HAWIZ_FRAME_STATS", home.join("frames.txt"))
        .pty(args)
}

/// The steps after the database's, by their titles.
const LATER_STEPS: &[&str] = &[
    "Shared files",
    "Launch template",
    "Load balancer",
    "Domain",
    "Failover",
];

/// On to each of these steps in turn, each waited for.
fn next_steps(p: &mut Pty, titles: &[&str]) {
    for title in titles {
        p.send(PAGE_DOWN);
        p.wait_for(title, 10);
    }
}

/// Walk every step accepting the defaults (typing only the SSH address, which cannot be
/// detected offline), review, confirm, and wait for the build to finish.
fn walk_and_build(p: &mut Pty) {
    p.wait_for("123456789012", 30); // the account, from STS
    p.send(PAGE_DOWN); // 0 account → 1 network
    p.wait_for("VPC CIDR", 10);
    p.send(PAGE_DOWN);
    // Building while answering is offered once; no.
    p.decline_early();
    p.wait_for("SSH allowed from", 10);
    p.send(TAB);
    p.send(TAB);
    p.send("203.0.113.10/32");
    p.wait_for("203.0.113.10/32", 10);
    next_steps(p, &["Database"]);
    next_steps(p, LATER_STEPS);
    p.send(PAGE_DOWN);
    p.wait_for("Review", 10);
    p.wait_for("Nothing has been created yet", 30); // the preflight passed
    p.send(ENTER);
    p.wait_for("Build this in your AWS account now?", 10);
    p.send(ENTER);
    p.wait_for("Building", 30);
}

fn frame_stats(home: &Path) -> (f64, f64) {
    let text =
        std::fs::read_to_string(home.join("frames.txt")).expect("frame stats written at exit");
    let get = |k: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{k}=")))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap()
    };
    (get("first_frame_ms"), get("slowest_frame_ms"))
}

#[tokio::test(flavor = "multi_thread")]
async fn wizard_walks_every_step_and_builds_the_stack() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    let mut p = Pty::spawn(hawiz(&moto, home.path(), &[]), 100, 30);
    walk_and_build(&mut p);
    p.wait_for(" done ", 120);
    p.send(ENTER);
    // An emulator: nothing boots, and the final screen says so instead of "up".
    p.wait_for("built in the emulator", 10);
    p.wait_for("ssh -J ec2-user@", 20);
    p.send(ENTER);
    assert_eq!(p.wait_exit(10), 0);

    let aws = moto.clients().await;
    assert_eq!(inventory(&aws, "wordpress-ha").await, one_of_each());
    assert_eq!(
        ssh_sources(&aws, "wordpress-ha").await,
        ["203.0.113.10/32"],
        "the typed SSH address was used"
    );
    assert!(
        home.path().join("plans/wordpress-ha.toml").exists(),
        "answers saved as a plan file"
    );

    let (first, slowest) = frame_stats(home.path());
    eprintln!("frame stats: first frame {first:.1} ms, slowest frame {slowest:.2} ms");
    assert!(first > 0.0 && slowest > 0.0);
}

/// The SSH address of the bastion's security group, read back.
async fn ssh_sources(aws: &hawiz::aws::Clients, stack: &str) -> Vec<String> {
    let groups = aws
        .ec2
        .describe_security_groups()
        .filters(stack_filter(stack))
        .send()
        .await
        .unwrap();
    groups
        .security_groups()
        .iter()
        .filter(|g| g.group_name() == Some(&format!("{stack}-bastion")))
        .flat_map(|g| g.ip_permissions())
        .flat_map(|p| p.ip_ranges())
        .filter_map(|r| r.cidr_ip().map(str::to_string))
        .collect()
}

/// Build while answering: a yes after the network step builds it at once, each step
/// confirmed joins, an answer changed after its part was built converges, leaving before
/// the build asks to keep or delete (kept), and the next start builds the rest: one of
/// each, with the changed answer.
#[tokio::test(flavor = "multi_thread")]
async fn build_while_answering_then_leave_keep_and_resume_finishes_with_one_of_each() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    // The SSH address is answered in the plan file: offline, it cannot be detected.
    let plan = home.path().join("site.toml");
    let text = std::fs::read_to_string("assets/plans/wordpress-ha.toml").unwrap();
    let text = text.replacen("ssh_cidr = \"\"", "ssh_cidr = \"203.0.113.10/32\"", 1);
    std::fs::write(&plan, text).unwrap();
    let mut p = Pty::spawn(
        hawiz(&moto, home.path(), &["edit", plan.to_str().unwrap()]),
        100,
        30,
    );
    p.wait_for("123456789012", 30);
    p.send(PAGE_DOWN); // 0 account → 1 network
    p.wait_for("VPC CIDR", 10);
    p.send(PAGE_DOWN);
    p.wait_for("Start building the network now", 10);
    p.wait_for("/hour", 5);
    p.send("y");
    p.wait_gone("Start building the network now", 10);
    // The network (and the security groups) are built while the bastion is answered.
    p.wait_for("SSH allowed from", 10);
    p.wait_for("✓ built", 60);
    let aws = moto.clients().await;
    assert_eq!(ssh_sources(&aws, "wordpress-ha").await, ["203.0.113.10/32"]);
    // An answer whose part is built changes: the next run converges it.
    p.send(TAB);
    p.send(TAB);
    p.send(&BACKSPACE.repeat(15));
    p.send("203.0.113.11/32");
    p.wait_for("203.0.113.11/32", 10);
    next_steps(&mut p, &["Database"]);
    next_steps(&mut p, LATER_STEPS);
    p.send(PAGE_DOWN);
    p.wait_for("Built while you answered", 10);
    // Leaving asks what becomes of what was made: keep it.
    p.send(CTRL_C);
    p.wait_for("Leave with part of a stack built?", 10);
    p.send(ENTER);
    assert_eq!(p.wait_exit(20), 0);
    drop(p);
    let vpcs = aws
        .ec2
        .describe_vpcs()
        .filters(stack_filter("wordpress-ha"))
        .send()
        .await
        .unwrap();
    assert_eq!(vpcs.vpcs().len(), 1, "kept: the network is there");

    // Start again: the unfinished answers are offered first; they go to the review.
    let mut p = Pty::spawn(hawiz(&moto, home.path(), &[]), 100, 30);
    p.wait_for("Saved setups", 20);
    p.send(ENTER);
    p.wait_for("Review", 10);
    p.wait_for("Checked against AWS", 90);
    p.send(ENTER);
    p.wait_for("Enter: yes · Esc: not yet", 10);
    p.send(ENTER);
    p.wait_for(" done ", 120);
    p.send(ENTER);
    p.wait_for("built in the emulator", 10);
    p.send(ENTER);
    assert_eq!(p.wait_exit(10), 0);
    assert_eq!(inventory(&aws, "wordpress-ha").await, one_of_each());
    assert_eq!(ssh_sources(&aws, "wordpress-ha").await, ["203.0.113.11/32"]);
}

/// Unfinished answers with an AZ that does not exist: offered at start, refused on the
/// review with nothing created, the message leads to the field, fixed, built.
#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_az_is_caught_on_review_then_fixed_and_built() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    let mut plan = hawiz::plan::Plan::default();
    plan.stack.name = "azfix".into();
    plan.stack.region = Some(REGION.into());
    plan.network.azs = Some(vec![format!("{REGION}a"), format!("{REGION}z")]);
    plan.bastion.ssh_cidr = "203.0.113.10/32".into();
    let draft = hawiz::wizard::draft::Draft::new(plan, hawiz::wizard::REVIEW, "default", None);
    hawiz::wizard::draft::save(home.path(), false, &draft).unwrap();

    let mut p = Pty::spawn(hawiz(&moto, home.path(), &[]), 100, 30);
    p.wait_for("Unfinished answers", 20);
    p.send(ENTER); // continue them: straight to the review
    p.wait_for("The build cannot start", 30);
    p.wait_for(&format!("{REGION}z is not an availability zone"), 5);
    assert_eq!(count(&moto.ec2(), "azfix").await, NONE, "nothing created");
    p.send(ENTER); // the message → its field
    p.wait_for("Second AZ", 10);
    p.send("\x7f"); // backspace: …z → …
    p.send("c");
    p.wait_for(&format!("{REGION}c"), 10);
    // From the network step (1) on to the review.
    for _ in 1..hawiz::wizard::REVIEW {
        p.send(PAGE_DOWN);
    }
    p.wait_for("Nothing has been created yet", 30);
    p.send(ENTER);
    p.wait_for("Build this in your AWS account now?", 10);
    p.send(ENTER);
    p.wait_for(" done ", 120);
    p.send(ENTER);
    p.wait_for("built in the emulator", 10);
    p.send(ENTER);
    assert_eq!(p.wait_exit(10), 0);
    let aws = moto.clients().await;
    assert_eq!(inventory(&aws, "azfix").await, one_of_each());
}

#[tokio::test(flavor = "multi_thread")]
async fn plain_mode_asks_the_same_steps_and_builds() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    let mut p = Pty::spawn(hawiz(&moto, home.path(), &["--plain"]), 120, 40);
    let start = std::time::Instant::now();
    let mut answered: Vec<String> = Vec::new();
    let mut questions = 0;
    while p.exited().is_none() {
        assert!(
            start.elapsed().as_secs() < 180,
            "plain mode did not finish:\n{}",
            p.screen()
        );
        let row = p.cursor_row();
        let prompt = row.trim_start();
        // An inquire prompt is a line starting with '?' that has the cursor.
        if prompt.starts_with('?') && answered.last() != Some(&row) {
            questions += 1;
            answered.push(row.clone());
            if prompt.contains("SSH allowed from") {
                p.send("203.0.113.10/32");
            } else if prompt.contains("Build this in your AWS account now?")
                || prompt.contains("Start building the network now")
            {
                p.send("y");
            }
            p.send(ENTER);
        }
        std::thread::sleep(std::time::Duration::from_millis(30));
    }
    let out = String::from_utf8_lossy(&p.raw.lock().unwrap()).to_string();
    assert_eq!(p.wait_exit(5), 0, "{out}");
    assert!(out.contains("Classic mistake"), "explanations are printed");
    // Building while answering was asked, with its price, and said yes to; offline, the
    // SSH address (answered at the next step) cannot be detected, so its first run is
    // refused with the reason, nothing is made, and the review's build does it all.
    assert!(out.contains("/hour for the network"), "{out}");
    assert!(
        out.contains("Building while answering stopped: ") && out.contains("bastion.ssh_cidr"),
        "{out}"
    );
    assert!(
        out.contains("Stack \"wordpress-ha\" is ready: 50 created"),
        "{out}"
    );
    assert!(questions >= 25, "asked {questions} questions");
    let aws = moto.clients().await;
    assert_eq!(inventory(&aws, "wordpress-ha").await, one_of_each());
}

#[tokio::test(flavor = "multi_thread")]
async fn resume_screen_views_and_destroys_a_saved_stack() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    let plan = stack_plan(home.path(), "saved", "");
    moto.run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    let aws = moto.clients().await;
    assert_eq!(inventory(&aws, "saved").await, one_of_each());

    let mut p = Pty::spawn(hawiz(&moto, home.path(), &[]), 100, 30);
    p.wait_for("Saved setups", 20);
    p.wait_for("complete", 5);
    p.send("v"); // view: what exists, read from AWS
    p.wait_for("Present 51/51", 20);
    p.send("\x1b"); // esc: back to the list
    p.wait_for("Saved setups", 10);
    p.send("d");
    p.wait_for(
        "Delete 50 resources of stack \"saved\"? This cannot be undone.",
        30,
    );
    p.send("y");
    p.wait_for(" done ", 60);
    p.send(ENTER);
    p.wait_for("0 Account", 10); // no saved setups left: the wizard starts
    p.send(CTRL_C);
    assert_eq!(p.wait_exit(10), 0);
    let gone = inventory(&aws, "saved").await;
    assert!(gone.values().all(|n| *n == 0), "{gone:?}");
    assert!(!home.path().join("stacks/saved/state.json").exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_at_a_confirmation_is_130_and_changes_nothing() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    let plan = stack_plan(home.path(), "asked", "");
    let mut p = Pty::spawn(
        hawiz(&moto, home.path(), &["apply", plan.to_str().unwrap()]),
        100,
        30,
    );
    p.wait_for("Build this in your AWS account now?", 30);
    p.send(CTRL_C);
    assert_eq!(p.wait_exit(10), 130);
    assert!(
        p.screen().contains("interrupted; nothing was changed"),
        "{}",
        p.screen()
    );
    assert_eq!(count(&moto.ec2(), "asked").await, NONE);
}
