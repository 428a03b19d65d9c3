//! `hawiz failback`: after a failover, the site's data copied back and the site switched
//! back, read in both regions with plain describe calls. Called by the failover test on
//! its stack once it has failed over (one build serves both).

use crate::failover::{STANDBY, dns_name, site_records, sizes};
use crate::support::*;
use std::path::Path;

/// What `site_records` reads: (set identifier, failover role, alias target, check).
type SiteRecord = (Option<String>, Option<String>, String, Option<String>);

async fn database(aws: &hawiz::aws::Clients, id: &str) -> aws_sdk_rds::types::DbInstance {
    aws.rds
        .describe_db_instances()
        .db_instance_identifier(id)
        .send()
        .await
        .unwrap()
        .db_instances()[0]
        .clone()
}

/// The final snapshots kept of a database in the clients' region.
async fn final_snapshots(aws: &hawiz::aws::Clients, id: &str) -> usize {
    aws.rds
        .describe_db_snapshots()
        .db_instance_identifier(id)
        .snapshot_type("manual")
        .send()
        .await
        .unwrap()
        .db_snapshots()
        .iter()
        .filter(|s| {
            s.db_snapshot_identifier()
                .is_some_and(|n| n.starts_with(&format!("{id}-final-")))
        })
        .count()
}

/// The stack's file system in the clients' region.
pub(crate) async fn file_system(aws: &hawiz::aws::Clients, stack: &str) -> String {
    aws.efs
        .describe_file_systems()
        .send()
        .await
        .unwrap()
        .file_systems()
        .iter()
        .find(|f| {
            f.tags()
                .iter()
                .any(|t| t.key() == "hawiz:stack" && t.value() == stack)
        })
        .map(|f| f.file_system_id().to_string())
        .expect("the stack's file system")
}

/// Where a file system replicates to (its destinations' file systems), read in its region.
async fn replicates_to(aws: &hawiz::aws::Clients, fs: &str) -> Vec<String> {
    match aws
        .efs
        .describe_replication_configurations()
        .file_system_id(fs)
        .send()
        .await
    {
        Ok(o) => o
            .replications()
            .iter()
            .filter(|r| r.source_file_system_id() == fs)
            .flat_map(|r| {
                r.destinations()
                    .iter()
                    .map(|d| d.file_system_id().to_string())
            })
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// The `read_only` the standby's parameter group sets, if any.
async fn read_only(aws: &hawiz::aws::Clients, group: &str) -> Option<String> {
    aws.rds
        .describe_db_parameters()
        .db_parameter_group_name(group)
        .source("user")
        .send()
        .await
        .unwrap()
        .parameters()
        .iter()
        .find(|p| p.parameter_name() == Some("read_only"))
        .and_then(|p| p.parameter_value().map(str::to_string))
}

/// `stack` failed over to the standby; `pair`: the site's records before the failover;
/// `standby_sizes`: its standby group's sizes then.
pub(crate) async fn fails_back(
    moto: &Moto,
    home: &Path,
    stack: &str,
    pair: Vec<SiteRecord>,
    standby_sizes: (i32, i32, i32),
) {
    let aws = moto.clients().await;
    let east = aws.in_region(STANDBY);
    let db = format!("{stack}-db");
    // The site's name as the failover left it: a simple alias to the standby alone.
    let standby_alone = vec![(
        None,
        None,
        dns_name(&east, &format!("{stack}-alb")).await,
        None,
    )];
    let (here_fs, there_fs) = (
        file_system(&aws, stack).await,
        file_system(&east, stack).await,
    );

    // Without --yes and no answer: nothing happens.
    let declined = moto.run(home, &["failback", stack]);
    assert_ne!(declined.code, 0, "{}", declined.stdout);
    assert_eq!(final_snapshots(&aws, &db).await, 0);

    // --prepare: the copy back, while the standby stays the site.
    let prep = moto
        .run(home, &["failback", stack, "--prepare", "--yes"])
        .ok();
    assert!(
        prep.stdout.contains("still serves from us-east-1"),
        "{}",
        prep.stdout
    );
    let copy = database(&aws, &db).await;
    assert!(
        copy.read_replica_source_db_instance_identifier()
            .is_some_and(|s| s.contains(":us-east-1:")),
        "the primary's database is a replica of the standby's: {copy:?}"
    );
    assert_eq!(final_snapshots(&aws, &db).await, 1, "the old one's kept");
    // status says where the failback stands, and the copy is as the plan has it (no drift).
    let status = moto.run(home, &["status", stack]).ok();
    assert!(
        status.stdout.contains("holds a copy of its database again"),
        "{}",
        status.stdout
    );
    assert!(!status.stdout.contains("DRIFTED"), "{}", status.stdout);
    assert_eq!(replicates_to(&east, &there_fs).await, vec![here_fs.clone()]);
    assert_eq!(
        site_records(&aws).await,
        standby_alone,
        "still the standby's"
    );

    // The switch, from where --prepare stopped (nothing copied twice), cut short when the
    // promotion is refused: the standby's writes stay paused and it stays the site.
    let proxy = proxy::Proxy::start(
        &moto.endpoint,
        proxy::Faults {
            permanent: vec![proxy::Permanent {
                op: "PromoteReadReplica".into(),
                contains: String::new(),
                code: "InvalidDBInstanceState".into(),
                message: "Database instance is not in available state.".into(),
            }],
            ..Default::default()
        },
    );
    let cut = proxy.run(home, &["failback", stack, "--yes"]);
    assert_eq!(cut.code, 1, "{}\n{}", cut.stdout, cut.stderr);
    for said in ["already a copy", "pausing the site's writes in us-east-1"] {
        assert!(cut.stdout.contains(said), "{said:?}: {}", cut.stdout);
    }
    assert_eq!(read_only(&east, &db).await.as_deref(), Some("1"));
    assert_eq!(site_records(&aws).await, standby_alone);

    // Run again: it goes on with the switch.
    let run = moto.run(home, &["failback", stack, "--yes"]).ok();
    for said in [
        "goes on with a switch that an earlier run began",
        "the catching up is not measured",
        &format!("promoting the copy {db}"),
        "pointing the site back at",
        "serves from ap-northeast-2 again",
    ] {
        assert!(
            run.stdout.contains(said),
            "{said:?} missing:\n{}\n{}",
            run.stdout,
            run.stderr
        );
    }
    assert_eq!(run.lines_with("deleting the primary's old database"), 0);
    assert_eq!(final_snapshots(&aws, &db).await, 1);

    // Both regions as before the failover: the failover pair, the standby's database a
    // replica of the primary's (its promoted one kept in a final snapshot, the pause
    // lifted), the files replicated from the primary again, the standby at its size.
    assert_eq!(site_records(&aws).await, pair);
    let site = database(&aws, &db).await;
    assert_eq!(site.read_replica_source_db_instance_identifier(), None);
    assert_eq!(site.multi_az(), Some(true), "its standby asked for again");
    let replica = database(&east, &db).await;
    assert!(
        replica
            .read_replica_source_db_instance_identifier()
            .is_some_and(|s| s.contains(":ap-northeast-2:")),
        "{replica:?}"
    );
    assert_eq!(final_snapshots(&east, &db).await, 1);
    assert_eq!(
        read_only(&east, &db).await.as_deref(),
        Some("{TrueIfReplica}")
    );
    assert_eq!(replicates_to(&aws, &here_fs).await, vec![there_fs.clone()]);
    assert!(replicates_to(&east, &there_fs).await.is_empty());
    assert_eq!(sizes(&east, &format!("{stack}-app")).await, standby_sizes);
    let status = moto.run(home, &["status", stack]).ok();
    assert!(
        !status.stdout.contains("since `hawiz failover`"),
        "{}",
        status.stdout
    );

    // Nothing is left to fail back.
    let again = moto.run(home, &["failback", stack, "--yes"]);
    assert_eq!(again.code, 2, "{}", again.stderr);
    assert!(
        again.stderr.contains("has not failed over"),
        "{}",
        again.stderr
    );
}
