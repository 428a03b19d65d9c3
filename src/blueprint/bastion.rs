//! Step 2: the bastion host in the first public subnet, with its key pair.

use super::network::NetworkKeys;
use super::security::SecurityKeys;
use crate::engine::{Graph, GraphError};
use crate::plan::Plan;
use crate::resources::instance::Instance;
use crate::resources::key_pair::KeyPair;
use std::path::Path;

/// The key of the key-pair node, when there is a bastion (its key also lets `ssh -J`
/// reach the app instances through it).
pub fn key_pair_key(plan: &Plan) -> Option<&'static str> {
    plan.bastion.enabled.then(|| {
        if plan.bastion.key_name.trim().is_empty() {
            "key-pair"
        } else {
            "key-pair/yours"
        }
    })
}

/// The name of the key pair a plan uses: the user's own, or one named after the stack.
pub fn key_name(plan: &Plan) -> String {
    match plan.bastion.key_name.trim() {
        "" => format!("{}-key", plan.stack.name),
        own => own.to_string(),
    }
}

/// Where a created key pair's private key is written.
pub fn pem_path(plan: &Plan, stack_dir: &Path) -> std::path::PathBuf {
    stack_dir.join(format!("{}.pem", key_name(plan)))
}

pub fn add(
    plan: &Plan,
    net: &NetworkKeys,
    sgs: &SecurityKeys,
    stack_dir: &Path,
    g: &mut Graph,
) -> Result<Option<String>, GraphError> {
    let (true, Some(sg), Some(subnet)) = (plan.bastion.enabled, &sgs.bastion, net.public.first())
    else {
        return Ok(None);
    };
    let key = g.add(
        key_pair_key(plan).unwrap_or("key-pair"),
        KeyPair {
            name: key_name(plan),
            pem: pem_path(plan, stack_dir),
            existing: !plan.bastion.key_name.trim().is_empty(),
        },
    )?;
    Ok(Some(g.add(
        "instance/bastion",
        Instance {
            name: format!("{}-bastion", plan.stack.name),
            instance_type: plan.bastion.instance_type.clone(),
            subnet: subnet.clone(),
            security_groups: vec![sg.clone()],
            key_pair: Some(key),
            // Reachable only once its subnet routes to the Internet gateway.
            after: net.internet.clone(),
        },
    )?))
}
