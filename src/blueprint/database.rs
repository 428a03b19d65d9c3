//! Step 3: the database. The password is generated into an SSM SecureString first; RDS
//! reads it from there, and so do the instances at boot. Once RDS is up its endpoint is
//! published as a parameter too.

use super::network::NetworkKeys;
use super::security::SecurityKeys;
use crate::engine::{Graph, GraphError};
use crate::plan::Plan;
use crate::resources::db_instance::{self, DbInstance, DbReplica};
use crate::resources::db_parameter_group::DbParameterGroup;
use crate::resources::db_subnet_group::DbSubnetGroup;
use crate::resources::parameter::{Password, Published, Source};

/// The path of a stack's parameters: the instance role may read these and nothing else.
pub use crate::names::{parameter as parameter_name, parameters};

/// WordPress's own database user (never the master user).
pub fn wp_db_user(plan: &Plan) -> &'static str {
    if plan.database.username == "wordpress" {
        "wp_site"
    } else {
        "wordpress"
    }
}

pub fn add(
    plan: &Plan,
    net: &NetworkKeys,
    sgs: &SecurityKeys,
    g: &mut Graph,
) -> Result<(), GraphError> {
    let stack = &plan.stack.name;
    let d = &plan.database;
    let password = super::secret(
        g,
        "param/db-password",
        Password {
            name: parameter_name(stack, "db-password"),
            what: "database password parameter",
            make: crate::secret::password32,
            tells: None,
            copy_of: None,
        },
    )?;
    // WordPress's own user's password; the instances make the user at first boot.
    super::secret(
        g,
        "param/wp-db-password",
        Password {
            name: parameter_name(stack, "wp-db-password"),
            what: "WordPress database password parameter",
            make: crate::secret::password32,
            tells: None,
            copy_of: None,
        },
    )?;
    let subnets = g.add(
        "db-subnet-group",
        DbSubnetGroup {
            name: crate::names::database(stack),
            subnets: net.private.clone(),
        },
    )?;
    let parameters = g.add(
        "db-parameter-group",
        DbParameterGroup {
            name: crate::names::database(stack),
            family: db_instance::family(d.engine),
        },
    )?;
    // In the standby's region: a cross-region read replica of the primary's database.
    if g.copying_from().is_some() {
        let db = g.add(
            "db",
            DbReplica {
                identifier: crate::names::database(stack),
                source: "db".into(),
                promoted: plan
                    .failover
                    .as_ref()
                    .is_some_and(crate::plan::Failover::is_failed_over),
                final_snapshot: d.final_snapshot,
                instance_class: d.instance_class.clone(),
                storage_gib: d.storage_gib,
                subnet_group: subnets,
                security_group: sgs.db.clone(),
                parameter_group: parameters,
            },
        )?;
        return endpoint(stack, db, g);
    }
    let db = g.add(
        "db",
        DbInstance {
            identifier: crate::names::database(stack),
            engine: d.engine,
            instance_class: d.instance_class.clone(),
            storage_gib: d.storage_gib,
            max_storage_gib: d.max_storage_gib,
            multi_az: d.multi_az,
            fast_start: d.multi_az && d.fast_start,
            db_name: d.db_name.clone(),
            username: d.username.clone(),
            subnet_group: subnets,
            security_group: sgs.db.clone(),
            password,
            parameter_group: parameters,
            deletion_protection: d.deletion_protection,
            final_snapshot: d.final_snapshot,
        },
    )?;
    endpoint(stack, db, g)
}

/// The database's address for the instances, published once it is up.
fn endpoint(stack: &str, db: String, g: &mut Graph) -> Result<(), GraphError> {
    g.add(
        "param/db-endpoint",
        Published {
            name: parameter_name(stack, "db-endpoint"),
            description: "Database endpoint (published by hawiz)",
            source: Source::Output {
                key: db,
                output: "endpoint",
                prefix: "",
            },
        },
    )?;
    Ok(())
}
