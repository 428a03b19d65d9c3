//! A sandbox build killed hard, finished by the next `--sandbox` run.

use super::*;
use support::pty::{ENTER, Pty};
use support::sandbox::{Home, answers, running};
use support::*;

// The sandbox's emulator outlives hawiz on purpose, so every test stops it.

/// The build screen's count, "Building DONE/TOTAL", if the screen shows it.
fn building(screen: &str) -> Option<(usize, usize)> {
    let rest = &screen[screen.find("Building ")? + "Building ".len()..];
    let (done, rest) = rest.split_once('/')?;
    let total: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((done.trim().parse().ok()?, total.parse().ok()?))
}

/// `hawiz --sandbox`, every default, killed with SIGKILL in the middle of the build (the
/// emulator runs on, by design). The next `hawiz --sandbox` finds the emulator and the
/// partial stack, offers to continue it, shows what exists and what is left, and finishes
/// with exactly one of each resource; `hawiz sandbox stop` then stops the emulator.
#[tokio::test(flavor = "multi_thread")]
async fn killed_mid_sandbox_build_then_resumed_by_the_next_sandbox_run() {
    let home = Home::new();
    let mut p = home.build_with_defaults();
    // Some resources are made, the rest not yet: kill -9 right then.
    p.wait_until("a few resources ready, not all", 60, |s| {
        building(s).is_some_and(|(done, _)| done >= 5)
    });
    p.sigkill();
    let (done, total) = building(&p.screen()).unwrap();
    eprintln!("killed with {done}/{total} ready");
    drop(p);
    assert!(
        done < total,
        "the kill came after the build ended ({done}/{total})"
    );
    let (pid, port) = home.emulator().expect("the emulator is recorded");
    assert!(running(pid) && answers(port), "the emulator outlives hawiz");
    assert!(
        home.path()
            .join("sandbox/stacks/wordpress-ha/state.json")
            .exists(),
        "what was made before the kill is recorded"
    );

    // The next run finds the same emulator and the partial stack, and finishes it.
    let mut p = Pty::spawn(home.pty(&["--sandbox"]), 100, 30);
    p.wait_for("Saved setups", 60);
    p.wait_until("the stack offered as partial", 10, |s| {
        s.lines()
            .any(|l| l.contains("wordpress-ha") && l.contains("partial"))
    });
    let said = String::from_utf8_lossy(&p.raw.lock().unwrap()).to_string();
    assert!(
        said.contains(&format!("running at http://127.0.0.1:{port}")),
        "{said}"
    );
    p.send(ENTER); // continue it
    p.wait_for("This stack exists in part", 60);
    p.wait_for("present", 5);
    p.send(ENTER);
    p.wait_for("sandbox: nothing real, no cost", 10);
    p.send(ENTER);
    p.wait_for(" done ", 120);
    p.wait_for(&format!("Built {total}/{total}"), 5);
    p.send(ENTER);
    p.wait_for("built in the emulator", 10);
    p.send(ENTER);
    assert_eq!(p.wait_exit(20), 0);
    assert_eq!(
        home.emulator(),
        Some((pid, port)),
        "one emulator throughout"
    );

    // From outside: plain describe calls against the sandbox's emulator.
    let target = hawiz::aws::Target {
        endpoint: Some(format!("http://127.0.0.1:{port}")),
        sandbox: true,
        ..Default::default()
    };
    let aws = hawiz::aws::Clients::new(REGION, &target).await;
    assert_eq!(inventory(&aws, "wordpress-ha").await, one_of_each());
    let status = home.hawiz(&["--sandbox", "status", "wordpress-ha"]);
    assert_eq!(status.code, 0, "{}\n{}", status.stdout, status.stderr);

    let stopped = home.hawiz(&["sandbox", "stop"]).ok();
    assert!(
        stopped.stdout.contains("Stopped the sandbox emulator"),
        "{}",
        stopped.stdout
    );
    wait_on("the emulator to be gone", 10, || !running(pid));
    assert!(!answers(port));
}
