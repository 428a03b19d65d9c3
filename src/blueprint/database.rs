//! Step 3: the database. The password is generated into an SSM SecureString first; RDS
//! reads it from there, and so do the instances at boot. Once RDS is up its endpoint is
//! published as a parameter too.

use super::network::NetworkKeys;
use super::security::SecurityKeys;
use crate::engine::{Graph, GraphError};
use crate::plan::Plan;
use crate::resources::db_instance::DbInstance;
use crate::resources::db_subnet_group::DbSubnetGroup;
use crate::resources::parameter::{Endpoint, Password};

#[derive(Debug, Clone)]
pub struct DatabaseKeys {
    pub password_parameter: String,
    pub endpoint_parameter: String,
}

pub fn parameter_name(stack: &str, what: &str) -> String {
    format!("/hawiz/{stack}/{what}")
}

pub fn add(
    plan: &Plan,
    net: &NetworkKeys,
    sgs: &SecurityKeys,
    g: &mut Graph,
) -> Result<DatabaseKeys, GraphError> {
    let stack = &plan.stack.name;
    let d = &plan.database;
    let password_parameter = parameter_name(stack, "db-password");
    let endpoint_parameter = parameter_name(stack, "db-endpoint");
    let password = g.add(
        "param/db-password",
        Password {
            name: password_parameter.clone(),
            what: "database password parameter",
        },
    )?;
    let subnets = g.add(
        "db-subnet-group",
        DbSubnetGroup {
            name: format!("{stack}-db"),
            subnets: net.private.clone(),
        },
    )?;
    let db = g.add(
        "db",
        DbInstance {
            identifier: format!("{stack}-db"),
            engine: d.engine,
            instance_class: d.instance_class.clone(),
            storage_gib: d.storage_gib,
            max_storage_gib: d.max_storage_gib,
            multi_az: d.multi_az,
            db_name: d.db_name.clone(),
            username: d.username.clone(),
            subnet_group: subnets,
            security_group: sgs.db.clone(),
            password,
        },
    )?;
    g.add(
        "param/db-endpoint",
        Endpoint {
            name: endpoint_parameter.clone(),
            db,
        },
    )?;
    Ok(DatabaseKeys {
        password_parameter,
        endpoint_parameter,
    })
}
