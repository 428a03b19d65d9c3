//! `hawiz --sandbox`: starts its own emulator, builds the sample plan, stops the emulator.

mod support;

use std::process::Command;

#[test]
fn sandbox_builds_the_sample_stack_and_stops_its_emulator() {
    let home = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_hawiz"))
        .arg("--sandbox")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HAWIZ_HOME", home.path())
        // Use the test venv's emulator instead of preparing one under HAWIZ_HOME.
        .env("HAWIZ_MOTO_SERVER", support::moto_server_path())
        .env("AWS_CONFIG_FILE", home.path().join("none"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.path().join("none"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("Stack \"wordpress-ha\" is ready: 43 created, 0 already there."),
        "{stdout}"
    );
    assert!(stdout.contains("43 of 43 resources present."), "{stdout}");
    assert!(stdout.contains("AWS account 123456789012"), "{stdout}");

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
fn without_a_command_and_without_sandbox_it_says_what_to_do() {
    let out = Command::new(env!("CARGO_BIN_EXE_hawiz")).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("hawiz --sandbox"), "{stderr}");
}
