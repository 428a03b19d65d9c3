//! Fast start: a new stack's Multi-AZ database is made single-AZ (the proxy refuses a
//! Multi-AZ create, so the build passes only if it is), the site comes up, then RDS is
//! asked for the standby and the plan is met (read back). A standby lost by hand makes the
//! database drill refuse, saying why, and the next apply adds it again; with fast start
//! off, the database is Multi-AZ from its create.

use crate::support::proxy::{Faults, Permanent, Proxy};
use crate::support::*;

async fn multi_az(aws: &hawiz::aws::Clients, db: &str) -> bool {
    let out = aws
        .rds
        .describe_db_instances()
        .db_instance_identifier(db)
        .send()
        .await
        .unwrap();
    out.db_instances()[0].multi_az() == Some(true)
}

/// A create of the database with `MultiAZ=multi` refused, as if AWS had said no.
fn refusing(moto: &Moto, multi: bool) -> Proxy {
    Proxy::start(
        &moto.endpoint,
        Faults {
            permanent: vec![Permanent {
                op: "CreateDBInstance".into(),
                contains: format!("MultiAZ={multi}"),
                code: "InvalidParameterCombination".into(),
                message: format!("the test refuses a create with MultiAZ={multi}"),
            }],
            ..Default::default()
        },
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn fast_start_serves_on_one_az_then_adds_the_standby() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    let aws = moto.clients().await;
    let proxy = refusing(&moto, true);
    let plan = stack_plan(home.path(), "fs1", "");
    let out = hawiz_command(&proxy.endpoint, home.path())
        .args(["apply", plan.to_str().unwrap(), "--yes"])
        .output()
        .unwrap();
    let run = Run::from(out);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("Database standby:  in place (Multi-AZ)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("HA complete: the database's standby is in place"),
        "{}",
        run.stdout
    );
    assert_eq!(proxy.stats().calls.get("ModifyDBInstance"), Some(&1));
    assert!(multi_az(&aws, "fs1-db").await);

    // Its standby taken away by hand: status says so, the drill refuses with why, and
    // the next apply adds it again.
    aws.rds
        .modify_db_instance()
        .db_instance_identifier("fs1-db")
        .multi_az(false)
        .apply_immediately(true)
        .send()
        .await
        .unwrap();
    let status = moto.run(home.path(), &["status", "fs1"]);
    assert!(
        status
            .stdout
            .contains("Database standby:  not added yet: `hawiz apply` adds it"),
        "{}",
        status.stdout
    );
    let drill = moto.run(home.path(), &["drill", "fs1", "database", "--yes"]);
    assert_eq!(drill.code, 2, "{}\n{}", drill.stdout, drill.stderr);
    assert!(
        drill
            .stderr
            .contains("single-AZ: a failover has no standby to go to"),
        "{}",
        drill.stderr
    );
    let again = moto
        .run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    assert!(again.stdout.contains("HA complete"), "{}", again.stdout);
    assert!(multi_az(&aws, "fs1-db").await);

    // Fast start turned off on a stack whose database exists: said, and nothing changes.
    let off = stack_plan(home.path(), "fs1", "[database]\nfast_start = false\n");
    let shown = moto.run(home.path(), &["plan", off.to_str().unwrap()]);
    assert!(
        shown
            .stdout
            .contains("fast start is off now, but it only decides how a new database is created"),
        "{}",
        shown.stdout
    );
    assert!(
        shown.stdout.contains(" unchanged.") && !shown.stdout.contains("multi-AZ"),
        "{}",
        shown.stdout
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn without_fast_start_the_database_is_multi_az_from_its_create() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    let aws = moto.clients().await;
    let proxy = refusing(&moto, false);
    let plan = stack_plan(home.path(), "fs2", "[database]\nfast_start = false\n");
    let out = hawiz_command(&proxy.endpoint, home.path())
        .args(["apply", plan.to_str().unwrap(), "--yes", "--no-wait"])
        .output()
        .unwrap();
    let run = Run::from(out);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(multi_az(&aws, "fs2-db").await);
    assert_eq!(proxy.stats().calls.get("ModifyDBInstance"), None);
    assert!(!run.stdout.contains("HA complete"), "{}", run.stdout);
}

/// Killed while its request for the standby is on the way (held at the proxy, so RDS
/// never got it): every resource is built and recorded, the database single-AZ, and
/// status says the standby is not added; the next apply asks again and completes HA.
#[tokio::test(flavor = "multi_thread")]
async fn a_kill_while_the_standby_is_asked_for_converges_on_the_next_run() {
    use std::io::BufRead;
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    let aws = moto.clients().await;
    let proxy = Proxy::start(
        &moto.endpoint,
        Faults {
            held: ["ModifyDBInstance".to_string()].into(),
            ..Default::default()
        },
    );
    let plan = stack_plan(home.path(), "fs3", "");
    let mut child = proxy
        .hawiz(home.path())
        .args(["apply", plan.to_str().unwrap(), "--yes"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let out = child.stdout.take().unwrap();
    // Read its lines beside (the pipe must not fill), until the request is held.
    let reader = std::thread::spawn(move || {
        std::io::BufReader::new(out)
            .lines()
            .map_while(Result::ok)
            .collect::<Vec<_>>()
    });
    let start = std::time::Instant::now();
    while !proxy.stats().calls.contains_key("ModifyDBInstance") {
        assert!(
            start.elapsed().as_secs() < 120,
            "never asked for the standby"
        );
        assert!(child.try_wait().unwrap().is_none(), "apply ended first");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    child.kill().unwrap(); // SIGKILL: no cleanup of any kind
    let _ = child.wait();
    let seen = reader.join().unwrap();
    assert!(!seen.iter().any(|l| l.contains("HA complete")), "{seen:?}");
    assert!(!multi_az(&aws, "fs3-db").await);
    let status = moto.run(home.path(), &["status", "fs3"]);
    assert!(
        status.stdout.contains("Database standby:  not added yet"),
        "{}",
        status.stdout
    );
    let again = moto
        .run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    assert!(again.stdout.contains("HA complete"), "{}", again.stdout);
    assert!(multi_az(&aws, "fs3-db").await);
}
