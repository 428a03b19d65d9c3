//! `hawiz destroy STACK [--yes]`: delete in reverse dependency order, then prove by tag
//! that nothing of the stack is left (or list what is).

use super::{Env, Failure, confirm, connect, runner};
use crate::aws::ec2::{STACK_TAG, filter};
use crate::aws::{AwsError, Clients, aws};
use crate::progress::Lines;
use crate::state::Store;
use crate::{blueprint, engine};
use aws_sdk_ec2::types::NatGatewayState;
use std::sync::Arc;

pub async fn run(env: &Env, stack: &str, yes: bool) -> Result<(), Failure> {
    let store =
        Arc::new(Store::open(&env.stacks_dir, stack).map_err(|e| Failure::invalid(e.to_string()))?);
    let state = store.snapshot();
    let graph = blueprint::build(&state.plan, &env.stacks_dir)
        .map_err(|e| Failure::failed(e.to_string()))?;
    let (clients, who) = connect(env, &state.region).await?;
    let (runner, mut events) = runner(env, clients.clone(), store.clone(), graph);

    let found = engine::discover(&runner).await;
    if !found.errors.is_empty() {
        let list: Vec<String> = found
            .errors
            .iter()
            .map(|(k, e)| format!("  - {k}: {e}"))
            .collect();
        return Err(Failure::failed(format!(
            "could not look up every resource, so nothing was deleted:\n{}",
            list.join("\n")
        )));
    }
    let doomed: usize = runner
        .graph
        .nodes()
        .filter(|n| !n.res.adopted())
        .map(|n| found.found.get(&n.key).map_or(0, Vec::len))
        .sum();
    println!(
        "Stack {stack:?} in {} — AWS account {}: {doomed} resources to delete.",
        state.region, who.account
    );
    if doomed > 0
        && !yes
        && !confirm(&format!(
            "Delete {doomed} resources of stack {stack:?}? This cannot be undone."
        ))?
    {
        return Err(Failure::invalid("nothing was deleted (not confirmed)"));
    }

    // A second runner whose events nobody reads, for the check afterwards (the progress
    // loop below ends when the destroying runner's sender is dropped).
    let (quiet, _) = tokio::sync::mpsc::unbounded_channel();
    let checker = engine::Runner {
        events: quiet,
        ..runner.clone()
    };
    let work = tokio::spawn(engine::destroy(runner, found));
    let lines = Lines::default();
    while let Some(ev) = events.recv().await {
        lines.print(&ev);
    }
    let outcome = work
        .await
        .map_err(|e| Failure::failed(format!("internal error: {e}")))?;

    let mut left = outcome.left();
    // Proof, not hope: look for every resource again, by tag or name as apply would.
    let after = engine::discover(&checker).await;
    for node in checker.graph.nodes().filter(|n| !n.res.adopted()) {
        let ids = after.found.get(&node.key).cloned().unwrap_or_default();
        if !ids.is_empty() && !left.iter().any(|(k, _)| *k == node.key) {
            left.push((
                node.key.clone(),
                format!("still exists: {}", ids.join(", ")),
            ));
        }
    }
    for (key, err) in &after.errors {
        left.push((key.clone(), format!("could not check: {err}")));
    }
    let tagged = leftovers(&clients, stack)
        .await
        .map_err(|e| Failure::failed(e.to_string()))?;
    if left.is_empty() && tagged.is_empty() {
        store.remove().map_err(|e| Failure::failed(e.to_string()))?;
        println!("Stack {stack:?} is gone: nothing tagged {STACK_TAG}={stack} remains.");
        return Ok(());
    }
    let mut msg = format!("stack {stack:?} was not deleted completely:");
    for (key, why) in &left {
        msg.push_str(&format!("\n  - {key}: {why}"));
    }
    for (kind, id) in &tagged {
        msg.push_str(&format!(
            "\n  - still tagged {STACK_TAG}={stack}: {kind} {id}"
        ));
    }
    msg.push_str(&format!(
        "\nRun `hawiz destroy {stack}` again to retry; the state file is kept."
    ));
    Err(Failure::failed(msg))
}

/// Everything in EC2 still tagged with the stack and still alive. DescribeTags alone is
/// not proof: AWS updates it eventually, keeps deleted NAT gateways listed for a while, and
/// moto keeps tags of deleted resources; so each tagged ID is confirmed with a describe.
async fn leftovers(clients: &Clients, stack: &str) -> Result<Vec<(String, String)>, AwsError> {
    let out = clients
        .ec2
        .describe_tags()
        .filters(filter("key", STACK_TAG))
        .filters(filter("value", stack))
        .send()
        .await
        .map_err(aws("DescribeTags"))?;
    let mut left = Vec::new();
    for t in out.tags() {
        let id = t.resource_id().unwrap_or_default().to_string();
        let kind = t
            .resource_type()
            .map(|k| k.as_str().to_string())
            .unwrap_or_default();
        if alive(clients, &kind, &id).await? {
            left.push((kind, id));
        }
    }
    Ok(left)
}

async fn alive(clients: &Clients, kind: &str, id: &str) -> Result<bool, AwsError> {
    let ec2 = &clients.ec2;
    let result = match kind {
        "vpc" => ec2
            .describe_vpcs()
            .vpc_ids(id)
            .send()
            .await
            .map(|o| !o.vpcs().is_empty())
            .map_err(aws("DescribeVpcs")),
        "subnet" => ec2
            .describe_subnets()
            .subnet_ids(id)
            .send()
            .await
            .map(|o| !o.subnets().is_empty())
            .map_err(aws("DescribeSubnets")),
        "route-table" => ec2
            .describe_route_tables()
            .route_table_ids(id)
            .send()
            .await
            .map(|o| !o.route_tables().is_empty())
            .map_err(aws("DescribeRouteTables")),
        "internet-gateway" => ec2
            .describe_internet_gateways()
            .internet_gateway_ids(id)
            .send()
            .await
            .map(|o| !o.internet_gateways().is_empty())
            .map_err(aws("DescribeInternetGateways")),
        "elastic-ip" | "vpc-elastic-ip" => ec2
            .describe_addresses()
            .allocation_ids(id)
            .send()
            .await
            .map(|o| !o.addresses().is_empty())
            .map_err(aws("DescribeAddresses")),
        "natgateway" | "nat-gateway" => ec2
            .describe_nat_gateways()
            .nat_gateway_ids(id)
            .send()
            .await
            .map(|o| {
                o.nat_gateways()
                    .first()
                    .is_some_and(|g| g.state() != Some(&NatGatewayState::Deleted))
            })
            .map_err(aws("DescribeNatGateways")),
        "security-group" => ec2
            .describe_security_groups()
            .group_ids(id)
            .send()
            .await
            .map(|o| !o.security_groups().is_empty())
            .map_err(aws("DescribeSecurityGroups")),
        "instance" => ec2
            .describe_instances()
            .instance_ids(id)
            .send()
            .await
            .map(|o| {
                o.reservations()
                    .iter()
                    .flat_map(|r| r.instances())
                    .any(|i| {
                        i.state().and_then(|s| s.name()).map(|n| n.as_str()) != Some("terminated")
                    })
            })
            .map_err(aws("DescribeInstances")),
        "volume" => ec2
            .describe_volumes()
            .volume_ids(id)
            .send()
            .await
            .map(|o| {
                o.volumes()
                    .iter()
                    .any(|v| v.state().map(|s| s.as_str()) != Some("deleted"))
            })
            .map_err(aws("DescribeVolumes")),
        "launch-template" => ec2
            .describe_launch_templates()
            .launch_template_ids(id)
            .send()
            .await
            .map(|o| !o.launch_templates().is_empty())
            .map_err(aws("DescribeLaunchTemplates")),
        "key-pair" => ec2
            .describe_key_pairs()
            .filters(filter("key-pair-id", id))
            .send()
            .await
            .map(|o| !o.key_pairs().is_empty())
            .map_err(aws("DescribeKeyPairs")),
        // A kind this version does not create: report it rather than guess.
        _ => Ok(true),
    };
    match result {
        Err(e) if e.is_not_found() => Ok(false),
        other => other,
    }
}
