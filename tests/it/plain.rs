//! `hawiz --plain` in a pseudo-terminal: the minimum/maximum dead end is refused at the
//! minimum (the default kept, not the rejected answer), `<` goes back, and answers
//! interrupted with Ctrl-C are offered again at the next start.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;

use std::path::Path;
use support::Moto;
use support::env::Env;
use support::pty::{CTRL_C, ENTER, Pty};

fn plain(moto: &Moto, home: &Path) -> Pty {
    Pty::spawn(
        Env::emulator(&moto.endpoint, home).pty(&["--plain"]),
        120,
        40,
    )
}

/// The prompt line the cursor is on.
fn prompt(p: &Pty) -> String {
    p.cursor_row()
}

/// Wait until the screen stops changing (the program has drawn its next prompt).
fn settle(p: &Pty) {
    let mut last = p.screen();
    loop {
        std::thread::sleep(std::time::Duration::from_millis(150));
        let now = p.screen();
        if now == last {
            return;
        }
        last = now;
    }
}

/// Accept defaults (Enter) until the prompt asks `label`.
fn enter_until(p: &mut Pty, label: &str) {
    for _ in 0..80 {
        settle(p);
        if prompt(p).contains(label) {
            return;
        }
        let before = p.screen();
        p.send(ENTER);
        let start = std::time::Instant::now();
        while p.screen() == before {
            assert!(
                start.elapsed().as_secs() < 10,
                "stuck before {label:?}:\n{}",
                p.screen()
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
    panic!("never asked {label:?}; screen:\n{}", p.screen());
}

/// Type an answer at the current prompt and wait until it is taken.
fn answer(p: &mut Pty, text: &str) {
    let before = p.screen();
    p.send(text);
    p.send(ENTER);
    let start = std::time::Instant::now();
    while p.screen() == before && start.elapsed().as_secs() < 10 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    settle(p);
}

#[test]
fn plain_mode_refuses_the_dead_end_goes_back_and_keeps_answers() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    let mut p = plain(&moto, home.path());
    p.wait_for("AWS profile", 30);
    // An AZ the region does not have is refused at the question, naming the real ones
    // (read from AWS), and the default stays.
    enter_until(&mut p, "Second AZ");
    p.wait_for("from AWS: ap-northeast-2a", 10);
    answer(&mut p, "ap-northeast-2z");
    p.wait_for("ap-northeast-2z is not an availability zone", 10);
    assert!(
        prompt(&p).contains("Second AZ (ap-northeast-2c)"),
        "{}",
        p.screen()
    );
    enter_until(&mut p, "Minimum instances");
    // 5 with a maximum of 4: every "Desired" answer would fail. Refused here, with the fix.
    answer(&mut p, "5");
    p.wait_for("is above Maximum instances (4)", 10);
    p.wait_for("come back with <", 5);
    // The rejected answer did not become the default.
    assert!(
        prompt(&p).contains("Minimum instances (2)"),
        "{}",
        p.screen()
    );
    // `<` goes back to the previous question, then forward again.
    answer(&mut p, "<");
    assert!(!prompt(&p).contains("Minimum instances"), "{}", p.screen());
    enter_until(&mut p, "Minimum instances");
    answer(&mut p, "3");
    enter_until(&mut p, "Desired instances");
    answer(&mut p, "3");
    enter_until(&mut p, "Maximum instances");
    // Interrupted: the answers are saved and the message names the command that resumes.
    p.send(CTRL_C);
    assert_eq!(p.wait_exit(20), 130);
    let raw = String::from_utf8_lossy(&p.raw.lock().unwrap()).into_owned();
    assert!(raw.contains("`hawiz --plain` offers them again"), "{raw}");

    let mut again = plain(&moto, home.path());
    again.wait_for("Continue the answers saved", 30);
    again.send(ENTER);
    enter_until(&mut again, "Minimum instances");
    assert!(
        prompt(&again).contains("Minimum instances (3)"),
        "{}",
        again.screen()
    );
    again.send(CTRL_C);
    assert_eq!(again.wait_exit(20), 130);
}
