//! Esc on every screen: never out without asking.

use super::*;
use support::proxy::{Faults, Proxy};
use support::pty::{ENTER, ESC, F1, PAGE_DOWN, Pty, TAB};
use support::*;

/// Esc on a screen whose way back would leave hawiz: the question comes and the program
/// keeps running; `stay` (Esc again, or n) closes it and the same screen is there again.
#[track_caller]
fn esc_asks_then_stays(p: &mut Pty, stay: &str, screen: &str) {
    p.wait_for(screen, 10);
    p.send(ESC);
    p.wait_for(LEAVE, 10);
    assert!(p.exited().is_none(), "Esc left hawiz on {screen:?}");
    p.send(stay);
    p.wait_until(
        &format!("{screen:?} again, without the question"),
        10,
        |s| !s.contains(LEAVE) && s.contains(screen),
    );
    assert!(
        p.exited().is_none(),
        "answering {stay:?} left hawiz on {screen:?}"
    );
}

/// Esc on a screen with a way back inside hawiz: it goes there, asks nothing, leaves
/// nothing.
#[track_caller]
fn esc_goes_back(p: &mut Pty, from: &str, to: &str) {
    p.wait_for(from, 10);
    p.send(ESC);
    p.wait_until(&format!("Esc from {from:?} to lead to {to:?}"), 10, |s| {
        s.contains(to) && !s.contains(from)
    });
    assert!(!p.screen().contains(LEAVE), "{}", p.screen());
    assert!(p.exited().is_none(), "Esc on {from:?} left hawiz");
}

/// A question or overlay opened with `key` on `screen`: Esc closes it, asks nothing, and
/// the same screen is there again.
#[track_caller]
fn esc_closes(p: &mut Pty, key: &str, shows: &str, screen: &str) {
    p.wait_for(screen, 10);
    p.send(key);
    p.wait_for(shows, 10);
    p.send(ESC);
    p.wait_until(&format!("{shows:?} closed on {screen:?}"), 10, |s| {
        !s.contains(shows) && s.contains(screen)
    });
    assert!(!p.screen().contains(LEAVE), "{}", p.screen());
    assert!(p.exited().is_none(), "Esc on {shows:?} left hawiz");
}

/// Esc is pressed on every screen the wizard has. Where going back would leave the
/// program (the first step, the build while it runs, the finished build, the final
/// screen, the resume screen) the quit question comes and both ways of saying no (Esc
/// again, n) return to the same screen; everywhere else Esc goes one screen back and asks
/// nothing; Esc in the help, the drill's question and the destroy's question only closes
/// them. The process runs on throughout; quitting through the question exits 0.
#[tokio::test(flavor = "multi_thread")]
async fn esc_on_every_screen_never_leaves_without_asking() {
    let moto = Moto::start();
    // The database's creation is held at the proxy while the build screen is tested, so
    // "while building" is true for as long as the test needs, on any machine.
    let proxy = Proxy::start(&moto.endpoint, Faults::default());
    let home = tempfile::tempdir().unwrap();
    let mut p = Pty::spawn(hawiz(&proxy.endpoint, home.path(), &[]), 100, 30);
    p.wait_for("123456789012", 30);

    // 0 Account: the first screen, so Esc would leave: asked, both ways of staying.
    esc_asks_then_stays(&mut p, ESC, &step_title(0));
    esc_asks_then_stays(&mut p, "n", &step_title(0));

    // 1..8: Esc is "back" there: one step back, no question, then on again.
    for step in 1..hawiz::wizard::REVIEW {
        p.send(PAGE_DOWN);
        if step == 2 {
            p.decline_early();
        }
        p.wait_for(&step_title(step), 10);
        if step == 2 {
            // The SSH source cannot be detected offline, and the step holds without it.
            p.send(TAB);
            p.send(TAB);
            p.send("203.0.113.10/32");
            p.wait_for("203.0.113.10/32", 10);
        }
        esc_goes_back(&mut p, &step_title(step), &step_title(step - 1));
        p.send(PAGE_DOWN);
        p.wait_for(&step_title(step), 10);
    }

    // Review: Esc goes back to the answers (the last step), asking nothing.
    p.send(PAGE_DOWN);
    p.wait_for("┌ Review ", 10);
    p.wait_for("Nothing has been created yet", 30); // the preflight passed
    esc_goes_back(&mut p, "┌ Review ", &step_title(hawiz::wizard::REVIEW - 1));
    p.send(PAGE_DOWN);
    p.wait_for("Nothing has been created yet", 30);
    // The build question: Esc says "not yet" and stays on the review.
    p.send(ENTER);
    p.wait_for("Build this in your AWS account now?", 10);
    p.send(ESC);
    p.wait_until("the build question closed on the review", 10, |s| {
        !s.contains("Build this in your AWS account now?") && s.contains("┌ Review ")
    });
    assert!(!p.screen().contains(LEAVE));
    assert!(p.exited().is_none());

    // The build screen while it builds: the database is held, so it cannot finish.
    proxy.set(|f| {
        f.held.insert("CreateDBInstance".into());
    });
    p.send(ENTER);
    p.wait_for("Build this in your AWS account now?", 10);
    p.send(ENTER);
    wait_on("the build to ask for the database", 60, || {
        proxy.stats().calls.contains_key("CreateDBInstance")
    });
    esc_asks_then_stays(&mut p, "n", "┌ Building ");
    esc_asks_then_stays(&mut p, ESC, "┌ Building ");
    assert!(
        !p.screen().contains(" done "),
        "still building while the database is held:\n{}",
        p.screen()
    );
    proxy.set(|f| f.held.clear());
    p.wait_for(" done ", 120);
    // The finished build: Enter goes on; Esc would leave, so it asks.
    esc_asks_then_stays(&mut p, "n", "┌ Built ");

    // The final screen.
    p.send(ENTER);
    p.wait_for("built in the emulator", 10);
    esc_asks_then_stays(&mut p, ESC, "┌ Done ");
    esc_asks_then_stays(&mut p, "n", "┌ Done ");
    // Esc in the help and in the drill's question closes them, nothing more.
    esc_closes(&mut p, F1, "Keys (Esc to close)", "┌ Done ");
    esc_closes(&mut p, "x", "Break it on purpose now?", "┌ Done ");
    // Leaving through the question: y, and the code is 0 (everything is recorded).
    p.send(ESC);
    p.wait_for(LEAVE, 10);
    p.send("y");
    assert_eq!(p.wait_exit(10), 0);
    drop(p);
    let aws = moto.clients().await;
    assert_eq!(inventory(&aws, "wordpress-ha").await, one_of_each());

    // Started again with the saved stack: the resume screen first.
    let mut p = Pty::spawn(hawiz(&proxy.endpoint, home.path(), &[]), 100, 30);
    p.wait_for("Saved setups", 20);
    p.wait_for("wordpress-ha", 5);
    esc_asks_then_stays(&mut p, "n", "┌ Resume ");
    esc_asks_then_stays(&mut p, ESC, "┌ Resume ");
    // Esc at the destroy's question cancels: the stack is still offered.
    esc_closes(
        &mut p,
        "d",
        "Delete 50 resources of stack \"wordpress-ha\"? This cannot be undone.",
        "┌ Resume ",
    );
    p.wait_for("wordpress-ha", 5);
    p.send(ESC);
    p.wait_for(LEAVE, 10);
    p.send("y");
    assert_eq!(p.wait_exit(10), 0);
}
