//! The standby region's copy of the database: an RDS cross-region read replica of the
//! primary's, encrypted with the standby region's own key, in the standby's subnets and
//! security group, with the stack's TLS-only parameter group (a cross-region replica
//! otherwise gets the region's default group). It follows the primary by MariaDB
//! replication; `hawiz failover` promotes it into a writable database of its own.

use super::{describe, status, sweep_tagged};
use crate::aws::aws;
use crate::engine::Charge;
use crate::engine::settings::{Actual, Change, Setting, Value};
use crate::engine::wait::{self, Poll};
use crate::engine::{Ctx, Error, Found, Outputs, Resource, Swept};
use async_trait::async_trait;
use std::time::Duration;

/// The AWS managed RDS key of the replica's own region: an encrypted source needs a key
/// of the destination region for a cross-region replica (RDS UG, "Creating a read
/// replica in a different AWS Region").
const REGION_KEY: &str = "alias/aws/rds";

#[derive(Debug)]
pub struct DbReplica {
    pub identifier: String,
    /// Key of the primary's database node (its ARN, which names its region, is the
    /// replica's source).
    pub source: String,
    pub instance_class: String,
    /// What the replica is billed for (it copies the source's storage).
    pub storage_gib: u32,
    pub subnet_group: String,
    pub security_group: String,
    pub parameter_group: String,
    /// `hawiz failover` promoted it: a database of its own now (the site's), Multi-AZ,
    /// never made again as a replica, and kept in a final snapshot when deleted.
    pub promoted: bool,
    /// A promoted database's final snapshot on delete (the plan's `final_snapshot`).
    pub final_snapshot: bool,
}

#[async_trait]
impl Resource for DbReplica {
    fn kind(&self) -> &'static str {
        "rds-replica"
    }
    fn name(&self) -> &str {
        &self.identifier
    }
    fn charges(&self) -> Vec<Charge> {
        vec![Charge::Database {
            class: self.instance_class.clone(),
            multi_az: false,
            gib: self.storage_gib,
            max_gib: self.storage_gib,
        }]
    }
    fn deps(&self) -> Vec<String> {
        vec![
            self.source.clone(),
            self.subnet_group.clone(),
            self.security_group.clone(),
            self.parameter_group.clone(),
        ]
    }
    /// A replica copies the whole database first: as long as a new database, or longer.
    fn typical(&self) -> Duration {
        Duration::from_secs(1200)
    }
    fn console(&self, id: &str, region: &str) -> Option<String> {
        Some(crate::resources::console::service(
            region,
            "rds",
            &format!("database:id={id}"),
        ))
    }

    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        super::find_tagged(cx, &self.identifier).await
    }

    /// Called in the standby's region with the source's ARN (no presigned URL: outside
    /// GovCloud and China, RDS ignores it).
    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        if self.promoted {
            return Err(Error::Failed(format!(
                "the database {} that `hawiz failover` promoted is gone; it cannot be made \
                 again as a replica of the primary's (restore it from its final snapshot in \
                 the RDS console)",
                self.identifier
            )));
        }
        cx.aws
            .once
            .rds
            .create_db_instance_read_replica()
            .db_instance_identifier(&self.identifier)
            .source_db_instance_identifier(cx.output(&self.source, "arn")?)
            .kms_key_id(REGION_KEY)
            .db_instance_class(&self.instance_class)
            .db_subnet_group_name(cx.dep(&self.subnet_group)?)
            .db_parameter_group_name(cx.dep(&self.parameter_group)?)
            .vpc_security_group_ids(cx.dep(&self.security_group)?)
            .publicly_accessible(false)
            // Said, not inherited: the standby is removed with the stack (RDS's default).
            .deletion_protection(false)
            .multi_az(false)
            .storage_type("gp3")
            .copy_tags_to_snapshot(true)
            .auto_minor_version_upgrade(true)
            .set_tags(Some(crate::resources::tags::rds(cx)))
            .send()
            .await
            .map_err(aws("CreateDBInstanceReadReplica"))?;
        Ok(self.identifier.clone())
    }

    async fn settle(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        wait::until(
            &format!("database replica {id} to become available"),
            Duration::from_secs(3 * 60 * 60),
            || async {
                match status(cx, id).await?.as_deref() {
                    Some("available") => Ok(Poll::Ready),
                    Some(s @ ("failed" | "incompatible-parameters" | "incompatible-network")) => {
                        Err(Error::Failed(format!(
                            "database replica {id} is {s}; see the RDS console's events"
                        )))
                    }
                    None => Err(Error::Failed(format!("database replica {id} disappeared"))),
                    _ => Ok(Poll::Pending),
                }
            },
        )
        .await
    }

    fn desired(&self, cx: &Ctx) -> Vec<Setting> {
        const NEW: &str = "RDS cannot change it: a new replica would be made";
        let mut out = Vec::new();
        if self.promoted {
            // The site's database now: standing by in a second zone like the primary's.
            out.push(Setting::update("multi-AZ", true));
        } else {
            out.push(Setting::replace(
                "replica of",
                cx.output_opt(&self.source, "arn")
                    .map_or_else(|| format!("(new {})", self.source), str::to_string),
                NEW,
            ));
        }
        out.extend([
            Setting::replace("encrypted", true, NEW),
            Setting::replace("subnet group", cx.dep_or_new(&self.subnet_group), NEW),
            Setting::update("instance class", self.instance_class.as_str()),
            Setting::update("parameter group", cx.dep_or_new(&self.parameter_group)),
            Setting::update("publicly accessible", false),
            Setting::update(
                "security groups",
                Value::set([cx.dep_or_new(&self.security_group)]),
            ),
        ]);
        out
    }

    async fn read(&self, cx: &Ctx, id: &str) -> Result<Actual, Error> {
        let mut a = Actual::new();
        let Some(db) = describe(cx, id).await? else {
            return Ok(a);
        };
        super::read_shared(&db, &mut a);
        a.insert(
            "replica of",
            db.read_replica_source_db_instance_identifier()
                .unwrap_or_default()
                .into(),
        );
        Ok(a)
    }

    async fn update(&self, cx: &Ctx, id: &str, changes: &[Change]) -> Result<(), Error> {
        let mut call = cx
            .aws
            .once
            .rds
            .modify_db_instance()
            .db_instance_identifier(id)
            .apply_immediately(true);
        for c in changes {
            call = match c.name {
                "instance class" => call.db_instance_class(&self.instance_class),
                "multi-AZ" => call.multi_az(true),
                "parameter group" => call.db_parameter_group_name(cx.dep(&self.parameter_group)?),
                "publicly accessible" => call.publicly_accessible(false),
                "security groups" => call.vpc_security_group_ids(cx.dep(&self.security_group)?),
                _ => call,
            };
        }
        call.send().await.map_err(aws("ModifyDBInstance"))?;
        Ok(())
    }

    async fn outputs(&self, cx: &Ctx, id: &str) -> Result<Outputs, Error> {
        Ok(super::outputs_of(describe(cx, id).await?))
    }

    /// A replica keeps no final snapshot (RDS allows none): the data is the primary's. A
    /// promoted one holds the site's data since failover: kept like the primary's.
    /// Protection someone turned on comes off first (destroy asked).
    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        let keep = self.promoted && self.final_snapshot;
        super::deletion::delete_keeping(
            cx,
            id,
            keep,
            (
                " (the site's since failover)",
                "(장애 조치 이후 사이트의 것)",
            ),
        )
        .await
    }

    async fn wait_deleted(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        super::gone(cx, id).await
    }

    async fn sweep(&self, cx: &Ctx) -> Result<Vec<Swept>, Error> {
        sweep_tagged(cx).await
    }
}
