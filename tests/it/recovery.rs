//! Recovering from what people do, end to end in a pseudo-terminal with the real binary:
//! Esc on every screen (never out without asking), a hard kill in the middle of a sandbox
//! build and the next `--sandbox` run finishing it, adopting a hand-built VPC by picking
//! its subnets from the list, and `hawiz edit PLAN.toml` changing one answer in place.
//! Everything is checked from outside too: describe calls, the files on disk, the process.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;

use portable_pty::CommandBuilder;
use std::collections::BTreeSet;
use std::path::Path;
use support::env::Env;
use support::lab::{lab_by_hand, other_vpc};
use support::proxy::{Faults, Proxy};
use support::pty::{
    BACKSPACE, CTRL_C, CTRL_N, ENTER, ESC, F1, LEFT, PAGE_DOWN, Pty, RIGHT, SPACE, TAB,
};
use support::sandbox::{Home, answers, running};
use support::*;

const LEAVE: &str = "Leave hawiz?";

/// `hawiz ARGS` in a pty, talking to the emulator at `endpoint`.
fn hawiz(endpoint: &str, home: &Path, args: &[&str]) -> CommandBuilder {
    Env::emulator(endpoint, home).pty(args)
}

/// The title of a wizard step's form panel, as drawn on its top border.
fn step_title(step: usize) -> String {
    format!(
        "┌ {step} {} ",
        hawiz::wizard::title(step, hawiz::i18n::Lang::En)
    )
}

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

/// Wait until a line of the screen reads `words` once its runs of spaces are collapsed
/// (labels are padded to a column).
#[track_caller]
fn wait_for_words(p: &Pty, words: &str, secs: u64) {
    p.wait_until(words, secs, |s| {
        s.lines().any(|l| {
            l.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .contains(words)
        })
    });
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

    // 1..7: Esc is "back" there: one step back, no question, then on again.
    for step in 1..=7 {
        p.send(PAGE_DOWN);
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
    esc_goes_back(&mut p, "┌ Review ", &step_title(7));
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

// ---------------------------------------------------------------------------------------
// The sandbox: its emulator outlives hawiz on purpose, so every test stops it.

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

// ---------------------------------------------------------------------------------------
// Adoption.

/// The text of the panel whose top border carries `title`, its rows joined and its
/// whitespace collapsed (so a message wrapped over several lines reads as one).
fn panel_text(p: &Pty, title: &str) -> String {
    let rows: Vec<Vec<char>> = p.rows().iter().map(|r| r.chars().collect()).collect();
    let top = rows
        .iter()
        .position(|r| r.iter().collect::<String>().contains(title))
        .unwrap_or_else(|| panic!("no panel {title:?}:\n{}", p.screen()));
    let text: String = rows[top].iter().collect();
    let left = text[..text.find(title).unwrap()].chars().count(); // the '┌'
    let right = rows[top]
        .iter()
        .skip(left)
        .position(|c| *c == '┐')
        .map_or(rows[top].len(), |i| left + i);
    let mut out = Vec::new();
    for r in &rows[top + 1..] {
        if r.get(left) == Some(&'└') {
            break;
        }
        let inner: String = r
            .iter()
            .skip(left + 1)
            .take(right.saturating_sub(left + 1))
            .collect();
        out.push(inner);
    }
    out.join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Move the picker's highlight to the subnet named `name` (→, wrapping round).
#[track_caller]
fn highlight(p: &mut Pty, name: &str) {
    let at = |s: &str| {
        s.lines().any(|l| {
            l.contains(&format!("› [ ] {name} "))
                || l.contains(&format!("› [x] {name} "))
                || l.contains(&format!("› [~] {name} "))
        })
    };
    // The highlighted subnet's name; a screen read mid-frame may show none.
    let current = |s: &str| {
        s.lines().find_map(|l| {
            let rest = l.split("› [").nth(1)?;
            rest.get(3..)?.split_whitespace().next().map(str::to_string)
        })
    };
    for _ in 0..8 {
        if at(&p.screen()) {
            return;
        }
        let before = current(&p.screen());
        p.send(RIGHT);
        p.wait_until("the highlight to move", 10, |s| {
            current(s).is_some() && current(s) != before
        });
    }
    panic!("{name} is never highlighted:\n{}", p.screen());
}

/// A hand-built VPC adopted in the wizard: the VPC chosen, its subnets picked from the
/// list (Name tags and public/private shown), a private subnet refused as public with
/// the reason at the field and nothing picked, then the right ones picked, reviewed and
/// built. From outside: the bastion and the load balancer are in the picked public
/// subnets, the app instances, database and file system in the picked private ones, and
/// no VPC or subnet was created.
#[tokio::test(flavor = "multi_thread")]
async fn a_hand_built_vpc_is_adopted_by_picking_its_subnets() {
    let moto = Moto::start();
    let aws = moto.clients().await;
    let lab = lab_by_hand(&aws.ec2).await;
    other_vpc(&aws.ec2).await;
    let vpcs_before = aws.ec2.describe_vpcs().send().await.unwrap().vpcs().len();
    let subnets_before = aws
        .ec2
        .describe_subnets()
        .send()
        .await
        .unwrap()
        .subnets()
        .len();

    let home = tempfile::tempdir().unwrap();
    let mut p = Pty::spawn(hawiz(&moto.endpoint, home.path(), &[]), 200, 50);
    p.wait_for("123456789012", 30);
    p.send(PAGE_DOWN);
    p.wait_for(&step_title(1), 10);
    p.send(RIGHT); // VPC: use an existing VPC
    p.wait_for("use an existing VPC", 10);
    p.wait_for("lab-vpc", 20); // the region's VPCs, listed with their Name tags
    p.wait_for("other-vpc", 5);
    // Chosen from what AWS listed (Ctrl-N), not typed.
    p.send(TAB);
    let chosen = |s: &str| {
        s.lines()
            .find(|l| l.contains("Existing VPC"))
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_default()
    };
    // The whole ID in the field (a screen read mid-frame can show half a line).
    let vpc_id = |s: &str| {
        let line = chosen(s);
        line.split_whitespace()
            .find(|w| {
                w.strip_prefix("vpc-")
                    .is_some_and(|h| h.len() == 17 && h.chars().all(|c| c.is_ascii_hexdigit()))
            })
            .map(str::to_string)
    };
    let mut seen = Vec::new();
    while vpc_id(&p.screen()).as_deref() != Some(lab.vpc.as_str()) {
        assert!(seen.len() < 6, "Ctrl-N never chose {}: {seen:?}", lab.vpc);
        let before = vpc_id(&p.screen());
        p.send(CTRL_N);
        p.wait_until("the next VPC from AWS", 10, |s| {
            vpc_id(s).is_some() && vpc_id(s) != before
        });
        seen.push(vpc_id(&p.screen()));
    }
    wait_for_words(&p, &format!("Existing VPC {}", lab.vpc), 10);
    p.send(TAB);
    p.wait_for("Subnets of this VPC (", 20);

    // The list: Name tags and how each reaches the internet; only this VPC's subnets.
    let (pa, pc) = (&lab.public[0], &lab.public[1]);
    let (qa, qc) = (&lab.private[0], &lab.private[1]);
    for s in [pa, pc] {
        p.wait_for(&format!("{} {} public 10.20.", s.name, s.id), 5);
    }
    for s in [qa, qc] {
        p.wait_for(&format!("{} {} private (NAT) 10.20.1", s.name, s.id), 5);
    }
    assert!(!p.screen().contains("other-subnet"), "{}", p.screen());

    // A private subnet picked as public: refused at the field, with the route that makes
    // it private; nothing picked.
    highlight(&mut p, &qa.name);
    p.send(SPACE);
    p.wait_for("✗", 10);
    let refusal = format!(
        "✗ {} {} (10.20.10.0/24, {REGION}a) is private: its route table {} sends 0.0.0.0/0 to {}, \
         not to an Internet gateway, so a load balancer there could not be reached from the \
         internet. Pick a public subnet",
        qa.name, qa.id, lab.private_rt[0], lab.nat[0]
    );
    let form = panel_text(&p, &step_title(1));
    assert!(
        form.contains(&format!("Public subnet IDs (empty) {refusal}")),
        "the refusal is not at the field:\n{form}\n\nwanted: {refusal}"
    );
    assert!(!p.screen().contains("[x]"), "{}", p.screen());

    // The right ones: both public subnets as public.
    highlight(&mut p, &pa.name);
    p.send(SPACE);
    p.wait_for(&format!("[x] {} ", pa.name), 10);
    assert!(!p.screen().contains("is private"), "{}", p.screen());
    highlight(&mut p, &pc.name);
    p.send(SPACE);
    wait_for_words(&p, &format!("Public subnet IDs {}, {}", pa.id, pc.id), 10);

    // Private: the public ones show as picked elsewhere; pick the private ones.
    p.send(TAB);
    p.wait_for(&format!("[~] {} ", pa.name), 10);
    highlight(&mut p, &qa.name);
    p.send(SPACE);
    p.wait_for(&format!("[x] {} ", qa.name), 10);
    highlight(&mut p, &qc.name);
    p.send(SPACE);
    wait_for_words(&p, &format!("Private subnet IDs {}, {}", qa.id, qc.id), 10);
    // ← moves back too; a subnet picked as public is refused as private, saying so.
    p.send(LEFT);
    p.wait_for(&format!("› [~] {} ", pc.name), 10);
    p.send(SPACE);
    p.wait_for("unpick it there first", 10);
    let form = panel_text(&p, &step_title(1));
    let refusal = format!(
        "✗ {} {} (10.20.1.0/24, {REGION}c) is already picked as a public subnet; unpick it there first",
        pc.name, pc.id
    );
    assert!(form.contains(&refusal), "{form}\n\nwanted: {refusal}");
    wait_for_words(&p, &format!("Private subnet IDs {}, {}", qa.id, qc.id), 10);

    p.send(PAGE_DOWN);
    p.wait_for("SSH allowed from", 10);
    p.send(TAB);
    p.send(TAB);
    p.send("203.0.113.10/32");
    p.wait_for("203.0.113.10/32", 10);
    for step in 3..=7 {
        p.send(PAGE_DOWN);
        p.wait_for(&step_title(step), 10);
    }
    p.send(PAGE_DOWN);
    p.wait_for("┌ Review ", 10);
    p.wait_for("yours, used as is", 30);
    p.wait_for("Nothing has been created yet", 5);
    p.send(ENTER);
    p.wait_for("Build this in your AWS account now?", 10);
    p.send(ENTER);
    p.wait_for(" done ", 120);
    p.send(ENTER);
    p.wait_for("built in the emulator", 10);
    p.wait_for("ssh -J ec2-user@", 20); // the bastion in a picked public subnet
    p.send(ENTER);
    assert_eq!(p.wait_exit(10), 0);

    // From outside.
    let stack = "wordpress-ha";
    let public: BTreeSet<String> = [pa.id.clone(), pc.id.clone()].into();
    let private: BTreeSet<String> = [qa.id.clone(), qc.id.clone()].into();
    assert_eq!(
        aws.ec2.describe_vpcs().send().await.unwrap().vpcs().len(),
        vpcs_before,
        "no VPC created"
    );
    assert_eq!(
        aws.ec2
            .describe_subnets()
            .send()
            .await
            .unwrap()
            .subnets()
            .len(),
        subnets_before,
        "no subnet created"
    );
    let c = count(&aws.ec2, stack).await;
    assert_eq!((c.vpcs, c.subnets, c.igws, c.nats), (0, 0, 0, 0), "{c:?}");

    let lbs = aws.elb.describe_load_balancers().send().await.unwrap();
    let lb = lbs
        .load_balancers()
        .iter()
        .find(|l| l.load_balancer_name() == Some(&format!("{stack}-alb")))
        .expect("the load balancer");
    assert_eq!(lb.vpc_id(), Some(lab.vpc.as_str()));
    let lb_subnets: BTreeSet<String> = lb
        .availability_zones()
        .iter()
        .filter_map(|z| z.subnet_id().map(str::to_string))
        .collect();
    assert_eq!(
        lb_subnets, public,
        "the load balancer is in the public subnets"
    );

    let groups = aws
        .autoscaling
        .describe_auto_scaling_groups()
        .send()
        .await
        .unwrap();
    let group = groups
        .auto_scaling_groups()
        .iter()
        .find(|g| g.auto_scaling_group_name() == Some(&format!("{stack}-app")))
        .expect("the app group");
    let group_subnets: BTreeSet<String> = group
        .vpc_zone_identifier()
        .unwrap_or("")
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    assert_eq!(
        group_subnets, private,
        "the app group is in the private subnets"
    );
    let app_ids: Vec<String> = group
        .instances()
        .iter()
        .filter_map(|i| i.instance_id().map(str::to_string))
        .collect();
    assert!(!app_ids.is_empty(), "the group launched instances");

    let mut bastions = 0;
    for i in live_instances(&aws.ec2, stack).await {
        let subnet = i.subnet_id().unwrap_or("").to_string();
        assert_eq!(i.vpc_id(), Some(lab.vpc.as_str()));
        if tag(i.tags(), "Name") == Some(&format!("{stack}-bastion")) {
            bastions += 1;
            assert!(public.contains(&subnet), "bastion in {subnet}");
            assert!(i.public_ip_address().is_some(), "the bastion is reachable");
        } else {
            assert!(
                private.contains(&subnet),
                "instance {:?} in {subnet}",
                i.instance_id()
            );
        }
    }
    assert_eq!(bastions, 1);
    let reservations = aws
        .ec2
        .describe_instances()
        .set_instance_ids(Some(app_ids))
        .send()
        .await
        .unwrap();
    for i in reservations
        .reservations()
        .iter()
        .flat_map(|r| r.instances())
    {
        let subnet = i.subnet_id().unwrap_or("");
        assert!(private.contains(subnet), "app instance in {subnet}");
    }

    let dbs = aws.rds.describe_db_instances().send().await.unwrap();
    let db = dbs
        .db_instances()
        .iter()
        .find(|d| d.db_instance_identifier() == Some(&format!("{stack}-db")))
        .expect("the database");
    let db_subnets: BTreeSet<String> = db
        .db_subnet_group()
        .map(|g| g.subnets())
        .unwrap_or_default()
        .iter()
        .filter_map(|s| s.subnet_identifier().map(str::to_string))
        .collect();
    assert_eq!(
        db_subnets, private,
        "the database is in the private subnets"
    );

    let inv = inventory(&aws, stack).await;
    assert_eq!(inv["mount targets"], 2, "{inv:?}");
    let fs = aws.efs.describe_file_systems().send().await.unwrap();
    for f in fs.file_systems().iter().filter(|f| {
        f.tags()
            .iter()
            .any(|t| t.key() == "hawiz:stack" && t.value() == stack)
    }) {
        let mts = aws
            .efs
            .describe_mount_targets()
            .file_system_id(f.file_system_id())
            .send()
            .await
            .unwrap();
        let mt_subnets: BTreeSet<String> = mts
            .mount_targets()
            .iter()
            .map(|m| m.subnet_id().to_string())
            .collect();
        assert_eq!(
            mt_subnets, private,
            "EFS mount targets in the private subnets"
        );
    }
}

// ---------------------------------------------------------------------------------------
// hawiz edit.

/// `hawiz edit PLAN.toml`: the wizard opens on the file's answers; one answer changed
/// (the app's maximum instances), the review saves back to that same file: the new value
/// is there, every other answer is as it was, the file is still a valid plan, and nothing
/// was created in AWS.
#[tokio::test(flavor = "multi_thread")]
async fn edit_changes_one_answer_in_the_plan_file() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    let file = stack_plan(
        home.path(),
        "edited",
        "[database]\nstorage_gib = 30\ndb_name = \"blog\"\n\n[app]\nmin = 2\ndesired = 3\nmax = 4\n\n\
         [load_balancer]\nhealth_check_path = \"/healthz\"\n",
    );
    let before = std::fs::read_to_string(&file).unwrap();
    let mut p = Pty::spawn(
        hawiz(
            &moto.endpoint,
            home.path(),
            &["edit", file.to_str().unwrap()],
        ),
        100,
        30,
    );
    // Straight to the wizard with the file's answers (no resume screen).
    p.wait_for(&step_title(0), 20);
    p.wait_for("edited", 5);
    for step in 1..=6 {
        p.send(PAGE_DOWN);
        p.wait_for(&step_title(step), 10);
    }
    p.wait_for("/healthz", 5);
    p.send(TAB); // Minimum instances
    p.send(TAB); // Desired
    p.send(TAB); // Maximum
    p.wait_until("Maximum instances focused", 10, |s| {
        s.lines()
            .any(|l| l.contains("› Maximum instances") && l.contains(" 4"))
    });
    p.send(BACKSPACE);
    p.send("7");
    p.wait_until("the maximum typed", 10, |s| {
        s.lines()
            .any(|l| l.contains("› Maximum instances") && l.contains(" 7"))
    });
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        before,
        "nothing is written before the review"
    );
    p.send(PAGE_DOWN);
    p.wait_for(&step_title(7), 10);
    p.send(PAGE_DOWN);
    // The review says where it saves, and saves there.
    p.wait_for("┌ Review · saves to ", 10);
    let mut expected = hawiz::plan::Plan::from_toml(&before).unwrap();
    expected.app.max = 7;
    expected.resolve(None);
    wait_on("the plan file to be saved with the new maximum", 20, || {
        hawiz::plan::Plan::load(&file).is_ok_and(|p| p.app.max == 7)
    });
    let saved = hawiz::plan::Plan::load(&file).unwrap();
    assert_eq!(
        saved,
        expected,
        "only the maximum changed:\n{}",
        std::fs::read_to_string(&file).unwrap()
    );
    p.wait_for("Nothing has been created yet", 30);
    p.send(CTRL_C);
    assert_eq!(p.wait_exit(10), 0);

    // Still a plan `hawiz plan` accepts, with the new maximum; nothing made anywhere.
    let checked = moto
        .run(home.path(), &["plan", file.to_str().unwrap()])
        .ok();
    assert!(checked.stdout.contains("to create"), "{}", checked.stdout);
    assert!(
        !home.path().join("plans/edited.toml").exists(),
        "saved to the edited file, not the data dir"
    );
    assert!(!home.path().join("stacks/edited").exists());
    assert_eq!(count(&moto.ec2(), "edited").await, NONE);
    let aws = moto.clients().await;
    let made = inventory(&aws, "edited").await;
    assert!(made.values().all(|n| *n == 0), "{made:?}");
}
