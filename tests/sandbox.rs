//! `hawiz --sandbox`: starts its own emulator, builds in it, stops the emulator.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use portable_pty::CommandBuilder;
use std::process::Command;
use support::pty::{ENTER, PAGE_DOWN, Pty};

fn sandbox_env(cmd: &mut Command, home: &std::path::Path) {
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HAWIZ_HOME", home)
        // Use the test venv's emulator instead of preparing one under HAWIZ_HOME.
        .env("HAWIZ_MOTO_SERVER", support::moto_server_path())
        .env("AWS_CONFIG_FILE", home.join("none"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("none"));
}

#[test]
fn sandbox_applies_the_sample_plan_and_stops_its_emulator() {
    let home = tempfile::tempdir().unwrap();
    let sample = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/plans/wordpress-ha.toml"
    );
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hawiz"));
    cmd.args(["--sandbox", "apply", sample, "--yes"]);
    sandbox_env(&mut cmd, home.path());
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("Stack \"wordpress-ha\" is ready: 49 created, 1 already there."),
        "{stdout}"
    );
    assert!(stdout.contains("AWS account 123456789012"), "{stdout}");
    assert!(stdout.contains("ssh -J ec2-user@"), "{stdout}");
    assert!(
        stdout.contains("sandbox: nothing boots in the emulator, so hawiz does not wait"),
        "{stdout}"
    );

    // The emulator it started is gone.
    let endpoint = stderr
        .split("AWS emulator running at http://")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .unwrap_or_else(|| panic!("no endpoint in {stderr}"));
    assert!(
        std::net::TcpStream::connect(endpoint).is_err(),
        "emulator at {endpoint} still running"
    );
    // Sandbox state is kept apart from real stacks.
    assert!(
        home.path()
            .join("sandbox/stacks/wordpress-ha/state.json")
            .exists()
    );
    assert!(!home.path().join("stacks").exists());
}

#[test]
fn the_sandbox_wizard_builds_with_every_default() {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_hawiz"));
    cmd.arg("--sandbox");
    cmd.env_clear();
    cmd.env("PATH", std::env::var("PATH").unwrap_or_default());
    cmd.env("TERM", "xterm-256color");
    cmd.env("HAWIZ_HOME", home.path());
    cmd.env("HAWIZ_MOTO_SERVER", support::moto_server_path());
    cmd.env("AWS_CONFIG_FILE", home.path().join("none"));
    let mut p = Pty::spawn(cmd, 100, 30);
    p.wait_for("SANDBOX", 60);
    p.wait_for("123456789012", 30);
    for _ in 0..8 {
        p.send(PAGE_DOWN);
        std::thread::sleep(std::time::Duration::from_millis(150));
    }
    p.wait_for("Monthly cost", 10);
    p.send(ENTER);
    p.wait_for("sandbox: nothing real, no cost", 10);
    p.send(ENTER);
    p.wait_for(" done ", 120);
    p.send(ENTER);
    p.wait_for("Your HA site is up.", 10);
    p.send(ENTER);
    assert_eq!(p.wait_exit(20), 0);
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
