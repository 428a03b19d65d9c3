//! `hawiz --sandbox`: starts its emulator in the background, builds in it, finds it again
//! on the next run (the practice stacks are still there), and `hawiz sandbox stop` stops
//! it. Every test stops the emulator it started, even when it fails (`Home`'s drop).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;

use std::process::Command;
use support::pty::{CTRL_C, ENTER};
use support::sandbox::{Home, answers, running};

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/plans/wordpress-ha.toml"
);

#[test]
fn the_sandbox_keeps_its_stacks_until_stopped() {
    let home = Home::new();
    let built = home.hawiz(&["--sandbox", "apply", SAMPLE, "--yes"]).ok();
    assert!(
        built
            .stdout
            .contains("Stack \"wordpress-ha\" is ready: 50 created, 1 already there."),
        "{}",
        built.stdout
    );
    assert!(
        built.stdout.contains("AWS account 123456789012"),
        "{}",
        built.stdout
    );
    assert!(
        built.stdout.contains("ssh -J ec2-user@"),
        "{}",
        built.stdout
    );
    assert!(
        built
            .stdout
            .contains("sandbox: nothing boots in the emulator, so hawiz does not wait"),
        "{}",
        built.stdout
    );
    assert!(
        built.stderr.contains("started in the background")
            && built.stderr.contains("hawiz sandbox stop"),
        "{}",
        built.stderr
    );
    // Sandbox state is kept apart from real stacks.
    assert!(
        home.path()
            .join("sandbox/stacks/wordpress-ha/state.json")
            .exists()
    );
    assert!(!home.path().join("stacks").exists());

    // It keeps running after the run, and the next run finds it and the stack in it.
    let (pid, port) = home.emulator().expect("the emulator is recorded");
    assert!(running(pid) && answers(port));
    // What it prints to copy works when copied: hawiz's own commands carry --sandbox (a
    // real stack of the same name is never their target), the AWS CLI the emulator's
    // endpoint.
    assert!(
        built
            .stdout
            .contains("Prove it: hawiz --sandbox drill wordpress-ha instance"),
        "{}",
        built.stdout
    );
    assert!(
        built.stdout.contains(&format!(
            "password: aws --endpoint-url http://127.0.0.1:{port} ssm get-parameter"
        )),
        "{}",
        built.stdout
    );
    let again = home.hawiz(&["--sandbox", "apply", SAMPLE, "--yes"]).ok();
    assert!(
        again
            .stderr
            .contains(&format!("running at http://127.0.0.1:{port}")),
        "{}",
        again.stderr
    );
    assert!(again.stdout.contains("already there"), "{}", again.stdout);
    assert_eq!(home.emulator(), Some((pid, port)));

    // `hawiz sandbox stop` stops it and says the practice stacks went with it.
    let stopped = home.hawiz(&["sandbox", "stop"]).ok();
    assert!(
        stopped.stdout.contains("Stopped the sandbox emulator")
            && stopped
                .stdout
                .contains("practice stacks went with it: wordpress-ha"),
        "{}",
        stopped.stdout
    );
    assert!(!running(pid), "emulator {pid} still running");
    assert!(!answers(port));
    assert!(home.emulator().is_none());
    assert!(!home.path().join("sandbox/stacks/wordpress-ha").exists());
    // The plan made for the sandbox is not touched; stopping twice is harmless.
    let twice = home.hawiz(&["sandbox", "stop"]).ok();
    assert!(twice.stdout.contains("not running"), "{}", twice.stdout);
}

#[test]
fn a_lost_emulator_is_reported_with_the_stacks_it_took() {
    let home = Home::new();
    home.hawiz(&["--sandbox", "apply", SAMPLE, "--yes"]).ok();
    let (pid, port) = home.emulator().unwrap();
    // As a reboot would: the emulator is gone without hawiz knowing.
    Command::new("kill")
        .args(["-9", &pid.to_string()])
        .status()
        .unwrap();
    support::wait_on("the killed emulator to stop answering", 10, || {
        !answers(port)
    });
    let next = home.hawiz(&["--sandbox", "status"]);
    assert!(
        next.stderr.contains("is no longer running")
            && next.stderr.contains("practice stacks (wordpress-ha)")
            && next.stderr.contains("hawiz --sandbox apply PLAN.toml"),
        "{}",
        next.stderr
    );
    let (new_pid, _) = home.emulator().unwrap();
    assert_ne!(new_pid, pid);
}

#[tokio::test(flavor = "multi_thread")]
async fn sandbox_destroy_keeps_no_final_snapshot() {
    let home = Home::new();
    home.hawiz(&["--sandbox", "apply", SAMPLE, "--yes"]).ok();
    let (_, port) = home.emulator().unwrap();
    let gone = home
        .hawiz(&["--sandbox", "destroy", "wordpress-ha", "--yes"])
        .ok();
    let target = hawiz::aws::Target {
        endpoint: Some(format!("http://127.0.0.1:{port}")),
        sandbox: true,
        ..Default::default()
    };
    let aws = hawiz::aws::Clients::new(support::REGION, &target).await;
    let snapshots = aws.rds.describe_db_snapshots().send().await.unwrap();
    assert!(
        snapshots.db_snapshots().is_empty(),
        "the sandbox kept a snapshot: {:?}\n{}",
        snapshots.db_snapshots(),
        gone.stdout
    );
}

#[test]
fn the_sandbox_wizard_builds_with_every_default() {
    let home = Home::new();
    let mut p = home.build_with_defaults();
    p.wait_for(" done ", 120);
    p.send(ENTER);
    // Nothing boots in the emulator: the final screen says so instead of "up".
    p.wait_for("built in the emulator", 10);
    // The lab's last step from the final screen: asked first, then run and measured.
    p.send("x");
    p.wait_for("Break it on purpose now?", 30);
    p.send("y");
    p.wait_for("Drill done", 90);
    p.wait_for("replacement healthy", 10);
    p.wait_for("not probed (emulator)", 10);
    p.send(ENTER); // back to the saved setups
    p.wait_for("wordpress-ha", 10);
    p.send(CTRL_C);
    assert_eq!(p.wait_exit(20), 0);
    let drills = home.path().join("sandbox/stacks/wordpress-ha/drills");
    assert_eq!(
        std::fs::read_dir(&drills).map(|d| d.count()).unwrap_or(0),
        1,
        "the drill's result is saved beside the state"
    );
    // The plan made in the sandbox stays with the sandbox, where its messages point.
    assert!(
        home.path()
            .join("sandbox/plans/wordpress-ha.toml")
            .is_file()
    );
    assert!(!home.path().join("plans").exists());
}

#[test]
fn the_wizard_without_a_terminal_says_what_to_use_instead() {
    let home = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_hawiz"))
        .env("HAWIZ_HOME", home.path())
        .env("AWS_REGION", "ap-northeast-2")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("hawiz apply PLAN.toml"), "{stderr}");
}
