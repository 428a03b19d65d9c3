//! Step 4: the shared web root on EFS, with a mount target in every private subnet.

use super::network::NetworkKeys;
use super::security::SecurityKeys;
use crate::engine::{Graph, GraphError};
use crate::plan::Plan;
use crate::resources::file_system::FileSystem;
use crate::resources::mount_target::MountTarget;

/// The file system's key, if the plan has one.
pub fn add(
    plan: &Plan,
    net: &NetworkKeys,
    sgs: &SecurityKeys,
    g: &mut Graph,
) -> Result<Option<String>, GraphError> {
    if !plan.files.enabled {
        return Ok(None);
    }
    let stack = &plan.stack.name;
    let fs = g.add(
        "efs",
        FileSystem {
            name: format!("{stack}-efs"),
            backups: plan.files.backups,
        },
    )?;
    for subnet in &net.private {
        let suffix = subnet.rsplit('-').next().unwrap_or(subnet);
        g.add(
            format!("efs-mt/{suffix}"),
            MountTarget {
                name: format!("{stack}-efs-{suffix}"),
                file_system: fs.clone(),
                subnet: subnet.clone(),
                security_group: sgs.efs.clone(),
            },
        )?;
    }
    Ok(Some(fs))
}
