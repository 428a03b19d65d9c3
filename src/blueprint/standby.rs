//! Seed 003: the standby region. The same lab steps as the primary's (network, security
//! groups, database, app tier) build a scaled-down copy of the site in `[failover]`'s
//! region, every key under `standby/`: its own VPC and load balancer, its secrets copied
//! from the primary's, and a cross-region read replica of the primary's database in place
//! of a database of its own. The domain step adds its HTTPS and the failover records.

use super::app::{self, WebKeys};
use super::{database, network, security};
use crate::engine::{Graph, GraphError};
use crate::plan::Plan;
use crate::resources::file_replication::FileReplication;
use crate::resources::mount_target::MountTarget;

/// The keys of the standby's resources start with this.
pub const PREFIX: &str = "standby/";

/// The standby's app tier, if the plan has `[failover]`. `files`: the primary's file
/// system, replicated to the standby (configured from the primary's region).
pub fn add(
    plan: &Plan,
    files: Option<&str>,
    boundary: &str,
    g: &mut Graph,
) -> Result<Option<WebKeys>, GraphError> {
    let Some(standby) = plan.standby() else {
        return Ok(None);
    };
    let copy = match files {
        Some(source) => Some(
            g.add(
                "efs-replication",
                FileReplication {
                    name: format!("{}-efs", plan.stack.name),
                    source: source.to_string(),
                    region: standby.region().to_string(),
                    ended: plan
                        .failover
                        .as_ref()
                        .is_some_and(crate::plan::Failover::is_failed_over),
                },
            )?,
        ),
        None => None,
    };
    let web = g.within(PREFIX, standby.region(), plan.region(), |g| {
        let net = network::add(&standby, boundary, g)?;
        let sgs = security::add(&standby, &net, g)?;
        database::add(&standby, &net, &sgs, g)?;
        // The replicated files, mounted in each of the standby's private subnets.
        if let Some(copy) = &copy {
            for subnet in &net.private {
                let suffix = subnet.rsplit('-').next().unwrap_or(subnet);
                g.add(
                    format!("efs-mt/{suffix}"),
                    MountTarget {
                        name: format!("{}-efs-{suffix}", plan.stack.name),
                        file_system: copy.clone(),
                        subnet: subnet.clone(),
                        security_group: sgs.efs.clone(),
                    },
                )?;
            }
        }
        app::add(&standby, &net, &sgs, copy.as_deref(), None, boundary, g)
    })?;
    Ok(Some(web))
}
