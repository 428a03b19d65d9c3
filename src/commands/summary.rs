//! "Where is my site and how do I get in": shown after a successful apply and by status.

use crate::aws::Clients;
use crate::blueprint;
use crate::engine::Discovered;
use crate::plan::Plan;
use crate::resources::{elb, instance, route53};
use std::path::Path;

pub async fn print(clients: &Clients, plan: &Plan, stacks_dir: &Path, found: &Discovered) {
    let https =
        plan.domain.as_ref().is_some_and(|d| d.https) && found.first("listener/https").is_some();
    let lb = match found.first("alb") {
        Some(arn) => elb::describe_lb(clients, arn).await.ok().flatten(),
        None => None,
    };
    match (blueprint::site_name(plan), &lb) {
        (Some(site), _) if found.first("dns/site").is_some() => {
            println!("Site:  {}://{site}/", if https { "https" } else { "http" });
        }
        _ => {}
    }
    if let Some(lb) = &lb {
        println!("Load balancer:  http://{}/", lb.dns_name);
    }

    if let Some(bastion) = found.first("instance/bastion") {
        let bastion_ip = instance::addresses(clients, std::slice::from_ref(bastion))
            .await
            .ok()
            .and_then(|a| a.into_iter().next())
            .and_then(|(_, public, _)| public);
        let app_ip = app_address(clients, plan).await;
        let pem = blueprint::pem_path(plan, &blueprint::stack_dir(stacks_dir, &plan.stack.name));
        if let Some(ip) = bastion_ip {
            let key = if plan.bastion.key_name.trim().is_empty() {
                pem.display().to_string()
            } else {
                format!("<your key for {}>", plan.bastion.key_name.trim())
            };
            println!(
                "SSH:   ssh-add {key}   # once: the agent carries the key through the bastion"
            );
            println!(
                "       ssh -J ec2-user@{ip} ec2-user@{}",
                app_ip
                    .as_deref()
                    .unwrap_or("<private IP of an app instance>")
            );
            println!("       (the key never needs to be copied onto the bastion)");
        }
    }

    if let (Some(d), Some(zone)) = (&plan.domain, found.first("zone"))
        && let Ok(ns) = route53::name_servers(clients, zone).await
        && !ns.is_empty()
    {
        println!(
            "DNS:   {} is served by these name servers; set them at your registrar:",
            d.name
        );
        for n in ns {
            println!("         {n}");
        }
    }
}

/// A private address of one of the app tier's running instances.
async fn app_address(clients: &Clients, plan: &Plan) -> Option<String> {
    let group = format!("{}-app", plan.stack.name);
    let out = clients
        .autoscaling
        .describe_auto_scaling_groups()
        .auto_scaling_group_names(group)
        .send()
        .await
        .ok()?;
    let ids: Vec<String> = out
        .auto_scaling_groups()
        .iter()
        .flat_map(|g| g.instances())
        .filter_map(|i| i.instance_id().map(str::to_string))
        .collect();
    instance::addresses(clients, &ids)
        .await
        .ok()?
        .into_iter()
        .find_map(|(_, _, private)| private)
}
