//! Seed 003: the standby region. The same lab steps as the primary's (network, security
//! groups, database, app tier) build a scaled-down copy of the site in `[failover]`'s
//! region, every key under `standby/`: its own VPC and load balancer, its secrets copied
//! from the primary's, and a cross-region read replica of the primary's database in place
//! of a database of its own. The domain step adds its HTTPS and the failover records.

use super::app::{self, WebKeys};
use super::{database, network, security};
use crate::engine::{Graph, GraphError};
use crate::plan::Plan;

/// The keys of the standby's resources start with this.
pub const PREFIX: &str = "standby/";

/// The standby's app tier, if the plan has `[failover]`.
pub fn add(plan: &Plan, boundary: &str, g: &mut Graph) -> Result<Option<WebKeys>, GraphError> {
    let Some(standby) = plan.standby() else {
        return Ok(None);
    };
    let web = g.within(PREFIX, standby.region(), plan.region(), |g| {
        let net = network::add(&standby, boundary, g)?;
        let sgs = security::add(&standby, &net, g)?;
        database::add(&standby, &net, &sgs, g)?;
        app::add(&standby, &net, &sgs, None, None, boundary, g)
    })?;
    Ok(Some(web))
}
