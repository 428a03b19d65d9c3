//! Plan → resource graph: one module per step of the lab, each placing its resources and
//! their dependencies. The dependencies are what make the build fast: RDS, EFS, the load
//! balancer and the certificate start as soon as the network pieces they need exist, and
//! the app tier never waits for the database.

mod app;
mod bastion;
mod cloudfront;
mod database;
mod domain;
mod files;
pub mod network;
mod operations;
mod security;
pub mod standby;

pub use crate::names::{site_key, subscription_key};
pub use app::{admin_password_command, admin_user, group_name, iam_name};
pub use bastion::{key_name, pem_path};
pub use domain::site_name;

use crate::engine::{Graph, GraphError};
use crate::plan::Plan;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where a stack's local files (the bastion's private key) live.
pub fn stack_dir(stacks_dir: &Path, stack: &str) -> PathBuf {
    stacks_dir.join(stack)
}

pub use crate::names::fit;

/// A generated secret, or inside the standby's scope a copy of the primary's secret of
/// the same key (the standby's instances and replica need the same values).
fn secret(
    g: &mut Graph,
    key: &str,
    mut password: crate::resources::parameter::Password,
) -> Result<String, GraphError> {
    if let Some(home) = g.copying_from() {
        password.copy_of = Some(crate::resources::parameter::CopyOf {
            key: key.to_string(),
            region: home.to_string(),
        });
        password.tells = None;
    }
    g.add(key, password)
}

/// The permissions boundary's key: every role of the stack carries it.
pub(super) const BOUNDARY: &str = "iam-boundary";

/// The whole stack's graph for a resolved, valid plan.
pub fn build(plan: &Plan, stacks_dir: &Path) -> Result<Graph, GraphError> {
    assemble(plan, stacks_dir, |_, _| {})
}

/// The wizard step whose answers decide each key (`wizard::STEPS`): what a build while
/// answering may start once that step is confirmed. The security groups come with the
/// network (they cost nothing and every tier needs them); the launch template and the
/// load balancer are made by one module, so both wait for the load balancer's step.
pub fn steps(plan: &Plan, stacks_dir: &Path) -> Result<BTreeMap<String, usize>, GraphError> {
    let mut steps = BTreeMap::new();
    assemble(plan, stacks_dir, |g, step| {
        for n in g.nodes() {
            steps.entry(n.key.clone()).or_insert(step);
        }
    })?;
    Ok(steps)
}

/// The lab's modules in order; `done(graph, step)` after each, with the wizard step that
/// answers what it just added.
fn assemble(
    plan: &Plan,
    stacks_dir: &Path,
    mut done: impl FnMut(&Graph, usize),
) -> Result<Graph, GraphError> {
    let mut g = Graph::default();
    let boundary = g.add(
        BOUNDARY,
        crate::resources::boundary::Boundary::for_plan(plan),
    )?;
    let net = network::add(plan, &boundary, &mut g)?;
    let sgs = security::add(plan, &net, &mut g)?;
    done(&g, 1);
    bastion::add(
        plan,
        &net,
        &sgs,
        &stack_dir(stacks_dir, &plan.stack.name),
        &mut g,
    )?;
    done(&g, 2);
    database::add(plan, &net, &sgs, &mut g)?;
    done(&g, 3);
    let fs = files::add(plan, &net, &sgs, &mut g)?;
    done(&g, 4);
    let key_pair = bastion::key_pair_key(plan).filter(|k| g.contains(k));
    let web = app::add(plan, &net, &sgs, fs.as_deref(), key_pair, &boundary, &mut g)?;
    done(&g, 6);
    let standby = standby::add(plan, fs.as_deref(), &boundary, &mut g)?;
    done(&g, 8);
    domain::add(plan, &web, standby.as_ref(), &mut g)?;
    done(&g, 7);
    operations::add(plan, &web, &mut g)?;
    done(&g, 6);
    // Roles can be made only under the boundary; if it cannot be made, nothing is.
    g.first(&boundary);
    g.check()?;
    Ok(g)
}

#[cfg(test)]
mod tests;
