//! The VPC's databases and file systems.

use super::*;
use crate::aws::{Clients, aws};

pub(super) async fn databases(c: &Clients, s: &mut Survey) -> Result<(), crate::aws::AwsError> {
    let mut pages = c.rds.describe_db_instances().into_paginator().send();
    while let Some(page) = pages.next().await {
        for d in page.map_err(aws("DescribeDBInstances"))?.db_instances() {
            let vpc = d.db_subnet_group().and_then(|g| g.vpc_id());
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
                deletion_protection: d.deletion_protection().unwrap_or(false),
            });
        }
    }
    Ok(())
}

/// File systems with mount targets in this VPC: where, and behind which groups.
pub(super) async fn file_systems(c: &Clients, s: &mut Survey) -> Result<(), crate::aws::AwsError> {
    let mut all = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let page = c
            .efs
            .describe_file_systems()
            .set_marker(marker.take())
            .send()
            .await
            .map_err(aws("DescribeFileSystems"))?;
        all.extend(page.file_systems().iter().map(|f| {
            (
                f.file_system_id().to_string(),
                f.name().unwrap_or_default().to_string(),
            )
        }));
        match page.next_marker() {
            Some(m) if !m.is_empty() => marker = Some(m.to_string()),
            _ => break,
        }
    }
    for (id, name) in all {
        let targets = c
            .efs
            .describe_mount_targets()
            .file_system_id(&id)
            .send()
            .await
            .map_err(aws("DescribeMountTargets"))?;
        let mut fs = FileSystem {
            id: id.clone(),
            name,
            ..FileSystem::default()
        };
        for t in targets
            .mount_targets()
            .iter()
            .filter(|t| t.vpc_id() == Some(s.vpc.as_str()))
        {
            fs.zones
                .extend(t.availability_zone_name().map(str::to_string));
            let groups = c
                .efs
                .describe_mount_target_security_groups()
                .mount_target_id(t.mount_target_id())
                .send()
                .await
                .map_err(aws("DescribeMountTargetSecurityGroups"))?;
            fs.groups.extend(groups.security_groups().iter().cloned());
        }
        if !fs.zones.is_empty() {
            fs.zones.sort();
            fs.zones.dedup();
            fs.groups.sort();
            fs.groups.dedup();
            s.file_systems.push(fs);
        }
    }
    Ok(())
}
