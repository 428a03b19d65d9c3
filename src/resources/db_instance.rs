//! The RDS database: MariaDB (or MySQL), Multi-AZ, encrypted, private, backed up, with
//! storage autoscaling. Its master password comes from the SSM SecureString node and is
//! handed to RDS in memory only.

use super::db_subnet_group::rds_tags;
use crate::aws::{OrMissing, aws};
use crate::engine::wait::{self, Poll};
use crate::engine::{Ctx, Error, Resource};
use crate::plan::Engine;
use async_trait::async_trait;
use std::time::Duration;

/// Versions used when the list of engine versions cannot be read (moto answers that call
/// with an error for MariaDB). Both are long-term-support lines on RDS.
pub const PINNED_MARIADB: &str = "10.11.10";
pub const PINNED_MYSQL: &str = "8.0.40";

#[derive(Debug)]
pub struct DbInstance {
    /// The DB instance identifier (also the node ID).
    pub identifier: String,
    pub engine: Engine,
    pub instance_class: String,
    pub storage_gib: u32,
    pub max_storage_gib: u32,
    pub multi_az: bool,
    pub db_name: String,
    pub username: String,
    pub subnet_group: String,
    pub security_group: String,
    /// Key of the password parameter node.
    pub password: String,
}

fn engine_name(e: Engine) -> &'static str {
    match e {
        Engine::Mariadb => "mariadb",
        Engine::Mysql => "mysql",
    }
}

/// The newest version of the pinned major line, or the pinned version itself.
async fn version(cx: &Ctx, engine: Engine) -> String {
    let pinned = match engine {
        Engine::Mariadb => PINNED_MARIADB,
        Engine::Mysql => PINNED_MYSQL,
    };
    let line = pinned.rsplit_once('.').map(|(l, _)| l).unwrap_or(pinned);
    let listed =
        cx.aws
            .rds
            .describe_db_engine_versions()
            .engine(engine_name(engine))
            .engine_version(line)
            .customize()
            // A failing version list is not worth the full retry budget: the pinned version
            // is a fine answer.
            .config_override(aws_sdk_rds::config::Builder::default().retry_config(
                aws_sdk_rds::config::retry::RetryConfig::standard().with_max_attempts(2),
            ))
            .send()
            .await;
    let newest = listed.ok().and_then(|o| {
        o.db_engine_versions()
            .iter()
            .filter_map(|v| v.engine_version())
            .filter(|v| v.starts_with(&format!("{line}.")))
            .max_by_key(|v| {
                v.split('.')
                    .map(|n| n.parse::<u32>().unwrap_or(0))
                    .collect::<Vec<_>>()
            })
            .map(str::to_string)
    });
    newest.unwrap_or_else(|| pinned.to_string())
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

#[async_trait]
impl Resource for DbInstance {
    fn kind(&self) -> &'static str {
        "rds-instance"
    }
    fn name(&self) -> &str {
        &self.identifier
    }
    fn deps(&self) -> Vec<String> {
        vec![
            self.subnet_group.clone(),
            self.security_group.clone(),
            self.password.clone(),
        ]
    }

    async fn find(&self, cx: &Ctx) -> Result<Vec<String>, Error> {
        Ok(match status(cx, &self.identifier).await? {
            Some(s) if s != "deleting" => vec![self.identifier.clone()],
            _ => vec![],
        })
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
            .multi_az(self.multi_az)
            .publicly_accessible(false)
            .backup_retention_period(7)
            .copy_tags_to_snapshot(true)
            .auto_minor_version_upgrade(true)
            .db_name(&self.db_name)
            .master_username(&self.username)
            .master_user_password(password)
            .db_subnet_group_name(cx.dep(&self.subnet_group)?)
            .vpc_security_group_ids(cx.dep(&self.security_group)?)
            .set_tags(Some(rds_tags(cx)))
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

    /// No final snapshot: destroy means gone. (Automated backups go with it.)
    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        cx.aws
            .rds
            .delete_db_instance()
            .db_instance_identifier(id)
            .skip_final_snapshot(true)
            .delete_automated_backups(true)
            .send()
            .await
            .map_err(aws("DeleteDBInstance"))?;
        Ok(())
    }

    async fn wait_deleted(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
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
}
