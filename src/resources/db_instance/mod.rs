//! The RDS database: MariaDB (or MySQL), Multi-AZ, encrypted, private, TLS only, backed
//! up, protected from deletion while the stack lives, with storage autoscaling. Its master
//! password comes from the SSM SecureString node and is handed to RDS in memory only.

mod deletion;
mod replica;
mod versions;

pub use versions::{PINNED_MARIADB, PINNED_MYSQL, family};
use versions::{engine_name, version};

pub use replica::DbReplica;

use super::tags;
use crate::aws::{OrMissing, aws};
use crate::engine::Charge;
use crate::engine::settings::{Actual, Change, Setting, Value};
use crate::engine::wait::{self, Poll};
use crate::engine::{Ctx, Deleting, Error, Found, Outputs, Remains, Replacing, Resource, Swept};
use crate::plan::Engine;
use async_trait::async_trait;
use std::time::Duration;

#[derive(Debug)]
pub struct DbInstance {
    /// The DB instance identifier (also the node ID).
    pub identifier: String,
    pub engine: Engine,
    pub instance_class: String,
    pub storage_gib: u32,
    pub max_storage_gib: u32,
    pub multi_az: bool,
    /// Made single-AZ, its standby added after the site serves (`ops::db_standby`, which
    /// then owns the Multi-AZ setting: the build never waits for it).
    pub fast_start: bool,
    pub db_name: String,
    pub username: String,
    pub subnet_group: String,
    pub security_group: String,
    /// Key of the password parameter node.
    pub password: String,
    /// Key of the parameter group node (TLS only).
    pub parameter_group: String,
    pub deletion_protection: bool,
    /// Destroy keeps a final snapshot (unless the run says to skip it).
    pub final_snapshot: bool,
}

/// The name of a final snapshot taken now: `<db>-final-20261123-010203`.
pub fn final_snapshot_name(db: &str) -> String {
    format!(
        "{db}-final-{}",
        crate::time::stamp(std::time::SystemTime::now())
    )
}

/// The DB instance as RDS describes it, or `None` once it is gone.
pub async fn describe(cx: &Ctx, id: &str) -> Result<Option<aws_sdk_rds::types::DbInstance>, Error> {
    let out = cx
        .aws
        .rds
        .describe_db_instances()
        .db_instance_identifier(id)
        .send()
        .await
        .map_err(aws("DescribeDBInstances"));
    Ok(out
        .or_missing()?
        .and_then(|o| o.db_instances().first().cloned()))
}

async fn status(cx: &Ctx, id: &str) -> Result<Option<String>, Error> {
    Ok(describe(cx, id)
        .await?
        .map(|d| d.db_instance_status().unwrap_or_default().to_string()))
}

pub const KIND: &str = "rds-instance";

#[async_trait]
impl Resource for DbInstance {
    fn kind(&self) -> &'static str {
        KIND
    }
    /// A new database is an empty one: `--replace-database`.
    fn replacing(&self) -> Replacing {
        Replacing::Data
    }
    /// Its changes may wait for its maintenance window (`--db-now`: at once).
    fn updates_can_wait(&self) -> bool {
        true
    }
    fn name(&self) -> &str {
        &self.identifier
    }
    fn charges(&self) -> Vec<Charge> {
        vec![Charge::Database {
            class: self.instance_class.clone(),
            multi_az: self.multi_az,
            gib: self.storage_gib,
            max_gib: self.max_storage_gib,
        }]
    }
    fn deps(&self) -> Vec<String> {
        vec![
            self.subnet_group.clone(),
            self.security_group.clone(),
            self.password.clone(),
            self.parameter_group.clone(),
        ]
    }

    fn typical(&self) -> Duration {
        if self.multi_az && !self.fast_start {
            Duration::from_secs(900)
        } else {
            Duration::from_secs(300)
        }
    }
    fn console(&self, id: &str, region: &str) -> Option<String> {
        Some(super::console::service(
            region,
            "rds",
            &format!("database:id={id}"),
        ))
    }

    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        find_tagged(cx, &self.identifier).await
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let password = super::parameter::password_value(cx, cx.dep(&self.password)?).await?;
        cx.aws
            .once
            .rds
            .create_db_instance()
            .db_instance_identifier(&self.identifier)
            .engine(engine_name(self.engine))
            .engine_version(version(cx, self.engine).await)
            .db_instance_class(&self.instance_class)
            .allocated_storage(i32::try_from(self.storage_gib).unwrap_or(20))
            // Storage autoscaling: RDS grows the volume up to this ceiling when it fills.
            .max_allocated_storage(i32::try_from(self.max_storage_gib).unwrap_or(100))
            .storage_type("gp3")
            .storage_encrypted(true)
            .multi_az(self.multi_az && !self.fast_start)
            .publicly_accessible(false)
            .backup_retention_period(7)
            .copy_tags_to_snapshot(true)
            .auto_minor_version_upgrade(true)
            .db_name(&self.db_name)
            .master_username(&self.username)
            .master_user_password(password)
            .db_subnet_group_name(cx.dep(&self.subnet_group)?)
            .db_parameter_group_name(cx.dep(&self.parameter_group)?)
            .vpc_security_group_ids(cx.dep(&self.security_group)?)
            .deletion_protection(self.deletion_protection)
            .set_tags(Some(tags::rds(cx)))
            .send()
            .await
            .map_err(aws("CreateDBInstance"))?;
        Ok(self.identifier.clone())
    }

    /// A Multi-AZ database takes 10–20 minutes; nothing else waits for it but the
    /// endpoint parameter.
    async fn settle(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        wait::until(
            &format!("database {id} to become available"),
            Duration::from_secs(60 * 60),
            || async {
                match status(cx, id).await?.as_deref() {
                    Some("available") => Ok(Poll::Ready),
                    Some(
                        s @ ("failed"
                        | "incompatible-parameters"
                        | "incompatible-network"
                        | "storage-full"),
                    ) => Err(Error::Failed(format!(
                        "database {id} is {s}; see the RDS console's events"
                    ))),
                    None => Err(Error::Failed(format!("database {id} disappeared"))),
                    _ => Ok(Poll::Pending),
                }
            },
        )
        .await
    }

    fn desired(&self, cx: &Ctx) -> Vec<Setting> {
        const NEW: &str = "RDS cannot change it: a new, empty database would be made";
        let mut settings = vec![
            Setting::replace("engine", engine_name(self.engine), NEW),
            Setting::replace("database name", self.db_name.as_str(), NEW),
            Setting::replace("master user", self.username.as_str(), NEW),
            Setting::replace("encrypted", true, NEW),
            Setting::replace("subnet group", cx.dep_or_new(&self.subnet_group), NEW),
            Setting::update("instance class", self.instance_class.as_str()),
            Setting::update("storage GiB (at least)", self.storage_gib),
            Setting::update("storage autoscaling up to GiB", self.max_storage_gib),
            Setting::update("publicly accessible", false),
            Setting::update("parameter group", cx.dep_or_new(&self.parameter_group)),
            Setting::update("deletion protection", self.deletion_protection),
            Setting::update(
                "security groups",
                Value::set([cx.dep_or_new(&self.security_group)]),
            ),
        ];
        // With fast start the standby comes after the site serves, not in the build.
        if !self.fast_start {
            settings.push(Setting::update("multi-AZ", self.multi_az));
        }
        settings
    }

    /// Pending modifications (waiting for the maintenance window) count as done, so a
    /// change already scheduled is not asked for again.
    async fn read(&self, cx: &Ctx, id: &str) -> Result<Actual, Error> {
        let mut a = Actual::new();
        let Some(db) = describe(cx, id).await? else {
            return Ok(a);
        };
        read_shared(&db, &mut a);
        a.insert("engine", db.engine().unwrap_or_default().into());
        a.insert("database name", db.db_name().unwrap_or_default().into());
        a.insert(
            "master user",
            db.master_username().unwrap_or_default().into(),
        );
        // Storage autoscaling grows the volume: more than the plan asked is as asked.
        let storage = db
            .pending_modified_values()
            .and_then(|p| p.allocated_storage())
            .or(db.allocated_storage())
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(0);
        a.insert(
            "storage GiB (at least)",
            (if storage >= self.storage_gib {
                self.storage_gib
            } else {
                storage
            })
            .into(),
        );
        let max = db
            .max_allocated_storage()
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(0);
        a.insert("storage autoscaling up to GiB", max.into());
        a.insert(
            "deletion protection",
            db.deletion_protection().unwrap_or(false).into(),
        );
        Ok(a)
    }

    /// One ModifyDBInstance with what differs, now or in the next maintenance window as
    /// the user chose (a class change restarts the database; Multi-AZ fails over first).
    async fn update(&self, cx: &Ctx, id: &str, changes: &[Change]) -> Result<(), Error> {
        let mut call = cx
            .aws
            .once
            .rds
            .modify_db_instance()
            .db_instance_identifier(id)
            .apply_immediately(cx.options.db_now);
        for c in changes {
            call = match c.name {
                "instance class" => call.db_instance_class(&self.instance_class),
                "storage GiB (at least)" => {
                    call.allocated_storage(i32::try_from(self.storage_gib).unwrap_or(20))
                }
                "storage autoscaling up to GiB" => {
                    call.max_allocated_storage(i32::try_from(self.max_storage_gib).unwrap_or(100))
                }
                "multi-AZ" => call.multi_az(self.multi_az),
                "publicly accessible" => call.publicly_accessible(false),
                "security groups" => call.vpc_security_group_ids(cx.dep(&self.security_group)?),
                "parameter group" => call.db_parameter_group_name(cx.dep(&self.parameter_group)?),
                "deletion protection" => call.deletion_protection(self.deletion_protection),
                _ => call,
            };
        }
        call.send().await.map_err(aws("ModifyDBInstance"))?;
        if !cx.options.db_now {
            let what = changes
                .iter()
                .map(|c| c.describe())
                .collect::<Vec<_>>()
                .join(", ");
            cx.warn(
                format!(
                    "{what} will change in the database's next maintenance window (see its \
                     Maintenance tab); run apply with --db-now to change it now"
                ),
                format!(
                    "{what}: 데이터베이스의 다음 유지 관리 기간에 바뀝니다(유지 관리 탭 참고). \
                     지금 바꾸려면 apply를 --db-now와 함께 실행하세요"
                ),
            );
        }
        Ok(())
    }

    async fn outputs(&self, cx: &Ctx, id: &str) -> Result<Outputs, Error> {
        Ok(outputs_of(describe(cx, id).await?))
    }

    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        self.delete_keeping_data(cx, id).await
    }

    async fn deleting(&self, cx: &Ctx, id: &str) -> Result<Option<Deleting>, Error> {
        self.what_deleting_takes(cx, id).await
    }

    async fn remains(&self, cx: &Ctx) -> Result<Vec<Remains>, Error> {
        self.final_snapshots(cx).await
    }

    async fn wait_deleted(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        gone(cx, id).await
    }

    async fn sweep(&self, cx: &Ctx) -> Result<Vec<Swept>, Error> {
        sweep_tagged(cx).await
    }
}

/// A database by identifier (unique per region); one without this stack's tags is
/// someone else's database and is never used, changed or deleted.
async fn find_tagged(cx: &Ctx, identifier: &str) -> Result<Found, Error> {
    let Some(db) = describe(cx, identifier).await? else {
        return Ok(Found::none());
    };
    if db.db_instance_status() == Some("deleting") {
        return Ok(Found::none());
    }
    Ok(if tags::is_ours(cx, tags::rds_pairs(db.tag_list())) {
        Found::tagged(vec![identifier.to_string()])
    } else {
        Found {
            ours: vec![],
            foreign: vec![crate::engine::foreign(
                cx,
                "database",
                identifier,
                "stack.name",
            )],
        }
    })
}

/// The settings both database kinds read the same way. Pending modifications (waiting
/// for the maintenance window) count as done, so a change already scheduled is not
/// asked for again.
fn read_shared(db: &aws_sdk_rds::types::DbInstance, a: &mut Actual) {
    let pending = db.pending_modified_values();
    a.insert("encrypted", db.storage_encrypted().unwrap_or(false).into());
    a.insert(
        "subnet group",
        db.db_subnet_group()
            .and_then(|g| g.db_subnet_group_name())
            .unwrap_or_default()
            .into(),
    );
    a.insert(
        "instance class",
        pending
            .and_then(|p| p.db_instance_class())
            .or(db.db_instance_class())
            .unwrap_or_default()
            .into(),
    );
    a.insert(
        "multi-AZ",
        pending
            .and_then(|p| p.multi_az())
            .or(db.multi_az())
            .unwrap_or(false)
            .into(),
    );
    a.insert(
        "publicly accessible",
        db.publicly_accessible().unwrap_or(false).into(),
    );
    a.insert(
        "parameter group",
        db.db_parameter_groups()
            .first()
            .and_then(|g| g.db_parameter_group_name())
            .unwrap_or_default()
            .into(),
    );
    a.insert(
        "security groups",
        Value::set(
            db.vpc_security_groups()
                .iter()
                .filter_map(|g| g.vpc_security_group_id()),
        ),
    );
}

/// What a database publishes: its address and port, and its ARN (a cross-region
/// replica's source is named by ARN).
fn outputs_of(db: Option<aws_sdk_rds::types::DbInstance>) -> Outputs {
    let mut o = Outputs::new();
    let Some(db) = db else { return o };
    if let Some(e) = db.endpoint() {
        if let Some(address) = e.address() {
            o.insert("endpoint".into(), address.to_string());
        }
        if let Some(port) = e.port() {
            o.insert("port".into(), port.to_string());
        }
    }
    if let Some(arn) = db.db_instance_arn() {
        o.insert("arn".into(), arn.to_string());
    }
    o
}

/// Until the database is gone.
async fn gone(cx: &Ctx, id: &str) -> Result<(), Error> {
    wait::until(
        &format!("database {id} to be deleted"),
        Duration::from_secs(60 * 60),
        || async {
            Ok(if status(cx, id).await?.is_none() {
                Poll::Ready
            } else {
                Poll::Pending
            })
        },
    )
    .await
}

/// The region's databases tagged with this stack (the sweep of both database kinds: each
/// runs in its own region).
async fn sweep_tagged(cx: &Ctx) -> Result<Vec<Swept>, Error> {
    let mut out = Vec::new();
    let mut pages = cx.aws.rds.describe_db_instances().into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(aws("DescribeDBInstances"))?;
        for db in page.db_instances() {
            if db.db_instance_status() == Some("deleting") {
                continue;
            }
            out.extend(tags::swept(
                &cx.stack,
                db.db_instance_identifier(),
                tags::rds_pairs(db.tag_list()),
            ));
        }
    }
    Ok(out)
}
