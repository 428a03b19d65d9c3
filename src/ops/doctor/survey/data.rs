//! The VPC's databases and file systems.

use super::*;
use crate::aws::{Clients, aws};

pub(super) async fn databases(c: &Clients, s: &mut Survey) -> Result<(), crate::aws::AwsError> {
    let mut pages = c.rds.describe_db_instances().into_paginator().send();
    while let Some(page) = pages.next().await {
        for d in page.map_err(aws("DescribeDBInstances"))?.db_instances() {
            let vpc = d.db_subnet_group().and_then(|g| g.vpc_id());
            // A replica reports its source's subnet group in some emulators: the groups
            // decide too.
            if vpc != Some(s.vpc.as_str()) {
                continue;
            }
            s.databases.push(Database {
                id: d.db_instance_identifier().unwrap_or_default().to_string(),
                multi_az: d.multi_az().unwrap_or(false),
                public: d.publicly_accessible().unwrap_or(false),
                encrypted: d.storage_encrypted().unwrap_or(false),
                backup_days: d.backup_retention_period().unwrap_or(0),
                port: d.endpoint().and_then(|e| e.port()).unwrap_or(3306),
                groups: d
                    .vpc_security_groups()
                    .iter()
                    .filter_map(|g| g.vpc_security_group_id().map(str::to_string))
                    .collect(),
            });
        }
    }
    Ok(())
}
