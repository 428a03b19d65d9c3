//! `hawiz destroy STACK [--yes]`: delete in reverse dependency order, then prove by tag
//! that nothing of the stack is left (or list what is).

use super::{Env, Failure, confirm, connect, runner};
use crate::aws::ec2::{STACK_TAG, filter};
use crate::aws::{AwsError, Clients, aws};
use crate::progress::Lines;
use crate::state::Store;
use crate::{engine, resources};
use aws_sdk_ec2::types::NatGatewayState;
use std::sync::Arc;

pub async fn run(env: &Env, stack: &str, yes: bool) -> Result<(), Failure> {
    let store =
        Arc::new(Store::open(&env.stacks_dir, stack).map_err(|e| Failure::invalid(e.to_string()))?);
    let state = store.snapshot();
    let graph = resources::build(&state.plan).map_err(|e| Failure::failed(e.to_string()))?;
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

    let work = tokio::spawn(engine::destroy(runner, found));
    let lines = Lines::default();
    while let Some(ev) = events.recv().await {
        lines.print(&ev);
    }
    let outcome = work
        .await
        .map_err(|e| Failure::failed(format!("internal error: {e}")))?;

    let left = outcome.left();
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
        // A kind this version does not create: report it rather than guess.
        _ => Ok(true),
    };
    match result {
        Err(e) if e.is_not_found() => Ok(false),
        other => other,
    }
}
