//! The HA drill against the emulator: moto replaces a terminated instance at once and
//! reboots a database (without moving it), nothing serves HTTP; the drill still runs every
//! step, says what the emulator cannot show, measures, saves its result, and leaves the
//! group at its size. Refusals: a missing stack, a half-built one, no confirmation.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;

use support::{Moto, stack_plan};

async fn in_service(aws: &hawiz::aws::Clients, group: &str) -> Vec<String> {
    let out = aws
        .autoscaling
        .describe_auto_scaling_groups()
        .auto_scaling_group_names(group)
        .send()
        .await
        .unwrap();
    let mut ids: Vec<String> = out.auto_scaling_groups()[0]
        .instances()
        .iter()
        .filter(|i| i.lifecycle_state().map(|s| s.as_str()) == Some("InService"))
        .map(|i| i.instance_id().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

#[tokio::test(flavor = "multi_thread")]
async fn both_drills_break_one_part_and_the_stack_is_whole_again() {
    let moto = Moto::start();
    let aws = moto.clients().await;
    let home = tempfile::tempdir().unwrap();

    // Refused before anything exists, and on a stack nobody confirmed a drill on.
    let missing = moto.run(home.path(), &["drill", "nope", "instance", "--yes"]);
    assert_eq!(missing.code, 2, "{}{}", missing.stdout, missing.stderr);
    assert!(missing.stderr.contains("nope"), "{}", missing.stderr);

    let plan = stack_plan(home.path(), "heal", "");
    let built = moto
        .run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    // Up means serving on AWS; here nothing boots, and apply says so instead of waiting.
    assert!(
        built
            .stdout
            .contains("AWS_ENDPOINT_URL points at an emulator, where nothing boots"),
        "{}",
        built.stdout
    );
    let before = in_service(&aws, "heal-app").await;
    assert_eq!(before.len(), 2);

    let unconfirmed = moto.run(home.path(), &["drill", "heal", "instance"]);
    assert_eq!(unconfirmed.code, 2, "{}", unconfirmed.stderr);
    assert!(
        unconfirmed.stderr.contains("pass --yes"),
        "{}",
        unconfirmed.stderr
    );
    assert_eq!(
        in_service(&aws, "heal-app").await,
        before,
        "nothing was broken"
    );

    let drill = moto
        .run(home.path(), &["drill", "heal", "instance", "--yes"])
        .ok();
    let out = &drill.stdout;
    // It says which instance and where, and what the emulator cannot show.
    let victim = before
        .iter()
        .find(|id| out.contains(&format!("terminate app instance {id} in ap-northeast-2")))
        .unwrap_or_else(|| panic!("no victim named\n{out}"))
        .clone();
    assert_eq!(
        out.matches("the site is not probed: this is an emulator")
            .count(),
        1,
        "said once: {out}"
    );
    assert!(out.contains(&format!("terminated {victim}")), "{out}");
    // Once it is out of the group, the broken instance is never listed as healthy.
    let last = out
        .lines()
        .rfind(|l| l.contains("in service "))
        .unwrap_or_default();
    assert!(
        !last.contains(&format!("{victim} healthy")),
        "{last}\n{out}"
    );
    for row in [
        "detected (target left healthy)",
        "replacement launched",
        "replacement healthy",
        "requests failed",
    ] {
        assert!(out.contains(row), "{row}\n{out}");
    }
    assert!(out.contains("not probed (emulator)"), "{out}");
    assert!(
        out.contains("these times show each step happened, in order"),
        "{out}"
    );
    let after = in_service(&aws, "heal-app").await;
    assert_eq!(after.len(), 2, "the group is back at its size");
    assert!(
        !after.contains(&victim),
        "the victim was replaced: {after:?}"
    );

    // Saved beside the state, and status tells of it.
    let drills = home.path().join("stacks/heal/drills");
    let saved: Vec<_> = std::fs::read_dir(&drills).unwrap().collect();
    assert_eq!(saved.len(), 1);
    let status = moto.run(home.path(), &["status", "heal"]).ok();
    assert!(
        status.stdout.contains("Last drill: instance on "),
        "{}",
        status.stdout
    );

    // The database: rebooted with failover, the primary's AZ before and after.
    let db = moto
        .run(home.path(), &["drill", "heal", "database", "--yes"])
        .ok();
    assert!(
        db.stdout
            .contains("reboot database heal-db with failover: its primary in ap-northeast-2"),
        "{}",
        db.stdout
    );
    assert!(db.stdout.contains("available again"), "{}", db.stdout);
    // Only what happened during the drill: not the database's creation, replayed.
    assert!(
        !db.stdout.contains("RDS: DB instance created"),
        "{}",
        db.stdout
    );
    assert!(
        db.stdout
            .contains("standby took over          not measured (it did not fail over)"),
        "{}",
        db.stdout
    );
    assert!(
        db.stdout
            .contains("The emulator reboots without failing over"),
        "{}",
        db.stdout
    );
    let state = aws
        .rds
        .describe_db_instances()
        .db_instance_identifier("heal-db")
        .send()
        .await
        .unwrap();
    assert_eq!(
        state.db_instances()[0].db_instance_status(),
        Some("available")
    );
    let status = moto.run(home.path(), &["status", "heal"]).ok();
    assert!(
        status.stdout.contains("Last drill: database on "),
        "{}",
        status.stdout
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_half_built_stack_is_refused_with_the_reason() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    let plan = stack_plan(home.path(), "half", "");
    moto.run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    // Make it half-built: forget one resource in the state.
    let path = home.path().join("stacks/half/state.json");
    let mut state: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    state["resources"]
        .as_object_mut()
        .unwrap()
        .remove("dashboard");
    std::fs::write(&path, state.to_string()).unwrap();
    let half = moto.run(home.path(), &["drill", "half", "instance", "--yes"]);
    assert_eq!(half.code, 2, "{}", half.stdout);
    assert!(
        half.stderr
            .contains("is not complete (50 of 51 resources ready)"),
        "{}",
        half.stderr
    );
}
