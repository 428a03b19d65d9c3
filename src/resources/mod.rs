//! Resource kinds (one module each) and the plan → graph builder. Adding a kind is one
//! module implementing `engine::Resource` plus the lines in a step's builder that place it.

pub mod adopt;
pub mod adopted;
pub mod elastic_ip;
pub mod igw_attachment;
pub mod internet_gateway;
pub mod nat_gateway;
pub mod network;
pub mod route;
pub mod route_table;
pub mod route_table_association;
pub mod subnet;
pub mod vpc;

use crate::engine::{Graph, GraphError};
use crate::plan::Plan;

/// The whole stack's graph for a resolved, valid plan.
pub fn build(plan: &Plan) -> Result<Graph, GraphError> {
    let mut g = Graph::default();
    network::add(plan, &mut g)?;
    g.check()?;
    Ok(g)
}
