//! The VPC's databases and file systems.

use super::*;
use crate::aws::{Clients, aws};

pub(super) async fn databases(c: &Clients, all: &mut [Survey]) -> Result<(), crate::aws::AwsError> {
    let mut pages = c.rds.describe_db_instances().into_paginator().send();
    while let Some(page) = pages.next().await {
        for d in page.map_err(aws("DescribeDBInstances"))?.db_instances() {
            let Some(s) = of(all, d.db_subnet_group().and_then(|g| g.vpc_id())) else {
                continue;
            };
            let engine = d.engine().unwrap_or_default().to_string();
            let engine_version = d.engine_version().unwrap_or_default().to_string();
            let group = d
                .db_parameter_groups()
                .first()
                .and_then(|g| g.db_parameter_group_name())
                .unwrap_or_default();
            let tls_required = match tls_required(c, group).await {
                Ok(Some(on)) => Some(on),
                Ok(None) => Some(tls_by_default(&engine, &engine_version)),
                Err(e) => {
                    s.unchecked.push(unread_aws(
                        e,
                        &format!(
                            "database {}'s parameter group",
                            d.db_instance_identifier().unwrap_or_default()
                        ),
                        &format!(
                            "데이터베이스 {}의 파라미터 그룹",
                            d.db_instance_identifier().unwrap_or_default()
                        ),
                    ));
                    None
                }
            };
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
                engine,
                engine_version,
                parameter_group: group.to_string(),
                tls_required,
            });
        }
    }
    Ok(())
}

/// `require_secure_transport` as the parameter group sets it; `None` when it does not
/// (the engine's default then holds). A default group an emulator does not hold reads as
/// one that sets nothing.
async fn tls_required(c: &Clients, group: &str) -> Result<Option<bool>, crate::aws::AwsError> {
    if group.is_empty() {
        return Ok(None);
    }
    let mut pages = c
        .rds
        .describe_db_parameters()
        .db_parameter_group_name(group)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = match page.map_err(aws("DescribeDBParameters")) {
            Err(e) if e.is_not_found() && group.starts_with("default.") => return Ok(None),
            r => r?,
        };
        if let Some(p) = page
            .parameters()
            .iter()
            .find(|p| p.parameter_name() == Some("require_secure_transport"))
        {
            return Ok(p
                .parameter_value()
                .map(|v| matches!(v.to_ascii_uppercase().as_str(), "1" | "ON" | "TRUE")));
        }
    }
    Ok(None)
}

/// The engine's own default for `require_secure_transport`: on from MariaDB 11.8 and
/// MySQL 9.7 (AWS's RDS user guide), off before.
pub(crate) fn tls_by_default(engine: &str, version: &str) -> bool {
    let mut parts = version.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let v = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    match engine {
        "mariadb" => v >= (11, 8),
        "mysql" => v >= (9, 7),
        _ => false,
    }
}

/// File systems with mount targets in this VPC: where, and behind which groups.
pub(super) async fn file_systems(
    c: &Clients,
    all: &mut [Survey],
) -> Result<(), crate::aws::AwsError> {
    let mut found = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let page = c
            .efs
            .describe_file_systems()
            .set_marker(marker.take())
            .send()
            .await
            .map_err(aws("DescribeFileSystems"))?;
        found.extend(page.file_systems().iter().map(|f| {
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
    for (id, name) in found {
        let targets = c
            .efs
            .describe_mount_targets()
            .file_system_id(&id)
            .send()
            .await
            .map_err(aws("DescribeMountTargets"))?;
        for s in all.iter_mut() {
            let mut fs = FileSystem {
                id: id.clone(),
                name: name.clone(),
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
    }
    Ok(())
}
