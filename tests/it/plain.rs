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

/// Accept defaults (Enter) until the screen shows `text` (a question whose prompt line the
/// cursor is not on, or a line printed before it). Enter goes only to a question on
/// screen (the cursor on an inquire prompt, `? …`): never typed ahead into a later one.
fn enter_until_shown(p: &mut Pty, text: &str) {
    let start = std::time::Instant::now();
    loop {
        settle(p);
        if p.screen().contains(text) {
            return;
        }
        assert!(
            start.elapsed().as_secs() < 120,
            "never showed {text:?}; screen:\n{}",
            p.screen()
        );
        if !prompt(p).trim_start().starts_with('?') {
            continue;
        }
        let before = p.screen();
        p.send(ENTER);
        let asked = std::time::Instant::now();
        while p.screen() == before {
            assert!(
                asked.elapsed().as_secs() < 30,
                "stuck before {text:?}:\n{}",
                p.screen()
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
}

/// Plain mode on a stack that is built: it says the stack exists and offers the stack's
/// own answers; its review is `hawiz apply`'s (the diff, not a fresh build's list, and
/// the cost change) and asks apply's question; no changes nothing and leaves the stack's
/// plan file as it was.
#[tokio::test(flavor = "multi_thread")]
async fn plain_mode_asks_before_it_changes_a_built_stack() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    // Built from the plan file plain mode writes for this stack, with answers of its own.
    let plans = home.path().join("plans");
    std::fs::create_dir_all(&plans).unwrap();
    let plan = support::stack_plan(
        &plans,
        "wordpress-ha",
        "[app]\nmin = 3\ndesired = 3\nmax = 5\n",
    );
    moto.run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    let written = std::fs::read_to_string(&plan).unwrap();

    let mut p = plain(&moto, home.path());
    p.wait_for("AWS profile", 30);
    enter_until(&mut p, "Stack name");
    p.send(ENTER);
    p.wait_for("Stack wordpress-ha exists. What now?", 20);
    p.send(ENTER); // continue it with its own answers
    enter_until(&mut p, "Minimum instances");
    assert!(
        prompt(&p).contains("Minimum instances (3)"),
        "the stack's own answer is the default:\n{}",
        p.screen()
    );
    enter_until(&mut p, "Maximum instances");
    assert!(
        prompt(&p).contains("Maximum instances (5)"),
        "{}",
        p.screen()
    );
    answer(&mut p, "6");
    enter_until_shown(&mut p, "Apply these changes to stack \"wordpress-ha\"?");
    let out = String::from_utf8_lossy(&p.raw.lock().unwrap()).into_owned();
    assert!(
        out.contains("A saved stack is named wordpress-ha (complete, 51/51 made"),
        "{out}"
    );
    assert!(out.contains("max: 5 → 6"), "the diff is shown:\n{out}");
    assert!(out.contains("50 unchanged"), "{out}");
    assert!(
        out.contains("Estimated cost of the whole stack: $"),
        "{out}"
    );
    assert!(
        !out.contains("  +   vpc"),
        "not a fresh build's list:\n{out}"
    );
    // No (the default): nothing changes, the plan file stays as the stack was built.
    p.send(ENTER);
    assert_eq!(p.wait_exit(30), 0);
    let out = String::from_utf8_lossy(&p.raw.lock().unwrap()).into_owned();
    assert!(
        out.contains("Nothing was changed: stack wordpress-ha and its plan file"),
        "{out}"
    );
    assert_eq!(std::fs::read_to_string(&plan).unwrap(), written);
    let aws = moto.clients().await;
    let group = aws
        .autoscaling
        .describe_auto_scaling_groups()
        .auto_scaling_group_names("wordpress-ha-app")
        .send()
        .await
        .unwrap();
    assert_eq!(group.auto_scaling_groups()[0].max_size(), Some(5));

    // Another machine (nothing saved there): the account's plan record is offered the
    // same way, with the same facts as the wizard's.
    let elsewhere = tempfile::tempdir().unwrap();
    let mut p = plain(&moto, elsewhere.path());
    p.wait_for("AWS profile", 30);
    enter_until(&mut p, "Stack name");
    p.send(ENTER);
    p.wait_for("Stack wordpress-ha exists. What now?", 20);
    let out = String::from_utf8_lossy(&p.raw.lock().unwrap()).into_owned();
    assert!(
        out.contains("A stack named wordpress-ha is kept in the account (in ap-northeast-2;"),
        "{out}"
    );
    p.send(ENTER); // continue it with its own answers
    enter_until(&mut p, "Maximum instances");
    assert!(
        prompt(&p).contains("Maximum instances (5)"),
        "the account's answer is the default:\n{}",
        p.screen()
    );
}

/// Ctrl-C at the first question leaves no draft of pure defaults to offer next time.
#[test]
fn ctrl_c_at_the_first_question_saves_no_draft() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    let mut p = plain(&moto, home.path());
    p.wait_for("AWS profile", 30);
    p.send(CTRL_C);
    assert_eq!(p.wait_exit(20), 130);
    // Its last words may reach the reader after the exit is seen: wait for them.
    p.wait_for("interrupted; nothing was created", 10);
    let raw = String::from_utf8_lossy(&p.raw.lock().unwrap()).into_owned();
    assert!(!raw.contains("Your answers are saved"), "{raw}");
    assert!(!home.path().join("draft.toml").exists(), "no draft");
}

/// The review runs the same checks as `hawiz plan` (here: a database of the user's with
/// the stack's name is in the way): every message is listed at its question, and instead
/// of ending, plain mode goes back to that question; a new answer passes the checks.
#[tokio::test(flavor = "multi_thread")]
async fn the_review_goes_back_to_the_question_a_refusal_names() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    moto.clients()
        .await
        .rds
        .create_db_instance()
        .db_instance_identifier("wordpress-ha-db")
        .engine("mariadb")
        .engine_version("10.11.10")
        .db_instance_class("db.t3.micro")
        .allocated_storage(20)
        .master_username("me")
        .master_user_password("my-own-password-1")
        .send()
        .await
        .unwrap();
    let mut p = plain(&moto, home.path());
    p.wait_for("AWS profile", 30);
    enter_until(&mut p, "SSH allowed from");
    answer(&mut p, "203.0.113.10/32");
    enter_until_shown(&mut p, "What now?");
    let out = String::from_utf8_lossy(&p.raw.lock().unwrap()).into_owned();
    assert!(
        out.contains("The build cannot start; nothing was created"),
        "{out}"
    );
    assert!(out.contains("wordpress-ha-db"), "{out}");
    p.wait_for("← back to Stack name", 10);
    p.send(ENTER);
    p.wait_for("Stack name (wordpress-ha)", 20);
    answer(&mut p, "other-site");
    enter_until_shown(&mut p, "Build this in your AWS account now?");
    p.send(ENTER); // no
    assert_eq!(p.wait_exit(30), 0);
    let out = String::from_utf8_lossy(&p.raw.lock().unwrap()).into_owned();
    assert!(
        out.contains("Nothing was created. To build later: `hawiz apply"),
        "{out}"
    );
    assert!(home.path().join("plans/other-site.toml").is_file());
}

/// The language follows the locale (`LANG=ko_KR.UTF-8`: Korean from the first question),
/// and `--lang en` wins over it.
#[test]
fn plain_mode_speaks_the_locales_language_unless_told() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    let korean = Env::emulator(&moto.endpoint, home.path()).set("LANG", "ko_KR.UTF-8");
    let mut p = Pty::spawn(korean.pty(&["--plain"]), 120, 40);
    p.wait_for("AWS 프로필", 30);
    p.send(CTRL_C);
    assert_eq!(p.wait_exit(20), 130);
    let mut p = Pty::spawn(korean.pty(&["--plain", "--lang", "en"]), 120, 40);
    p.wait_for("AWS profile", 30);
    p.send(CTRL_C);
    assert_eq!(p.wait_exit(20), 130);
}

/// "Check an existing setup" in plain mode, offered as the answers leave the first step:
/// the region's VPCs with a verdict each, the hand-built lab's findings as `hawiz doctor
/// --vpc` prints them, then the answers adopt it (the network questions show it).
#[tokio::test(flavor = "multi_thread")]
async fn plain_mode_checks_an_existing_setup_and_adopts_it() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    let aws = moto.clients().await;
    let lab = crate::support::lab::lab_by_hand(&aws.ec2).await;
    let mut p = plain(&moto, home.path());
    enter_until_shown(&mut p, "Check an existing setup in ap-northeast-2 first");
    answer(&mut p, "yes");
    p.wait_for("Which VPC's findings?", 30);
    assert!(p.screen().contains("lab-vpc"), "{}", p.screen());
    answer(&mut p, "lab-vpc");
    p.wait_for("Continue as a setup that adopts", 30);
    assert!(
        p.screen().contains("Verdict:"),
        "the findings come first: {}",
        p.screen()
    );
    p.send(ENTER);
    p.wait_for(&format!("Adopting {}", lab.vpc), 10);
    enter_until(&mut p, "Existing VPC");
    assert!(prompt(&p).contains(&lab.vpc), "{}", p.screen());
    p.send(CTRL_C);
    assert_eq!(p.wait_exit(20), 130);
}
