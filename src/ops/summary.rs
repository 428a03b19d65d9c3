//! "Where is my site and how do I get in": shown after a successful build (CLI and wizard)
//! and by status.

use crate::aws::Clients;
use crate::blueprint;
use crate::engine::Dep;
use crate::plan::Plan;
use crate::resources::{instance, route53};
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    pub site: Option<String>,
    pub load_balancer: Option<String>,
    /// Lines to copy: `ssh-add KEY`, `ssh -J ...`.
    pub ssh: Vec<String>,
    pub domain: Option<String>,
    pub name_servers: Vec<String>,
}

/// The facts of a built (or surveyed) stack, from its ready resources.
pub async fn collect(
    clients: &Clients,
    plan: &Plan,
    stacks_dir: &Path,
    ready: &BTreeMap<String, Dep>,
) -> Summary {
    let mut s = Summary::default();
    let first = |key: &str| ready.get(key).map(|d| &d.id);
    let https = plan.domain.as_ref().is_some_and(|d| d.https) && first("listener/https").is_some();
    if let Some(dns) = ready.get("alb").and_then(|d| d.outputs.get("dns name")) {
        s.load_balancer = Some(format!("http://{dns}/"));
    }
    if let (Some(site), Some(_)) = (blueprint::site_name(plan), first("dns/site")) {
        s.site = Some(format!(
            "{}://{site}/",
            if https { "https" } else { "http" }
        ));
    }
    if let Some(bastion) = first("instance/bastion") {
        let bastion_ip = instance::addresses(clients, std::slice::from_ref(bastion))
            .await
            .ok()
            .and_then(|a| a.into_iter().next())
            .and_then(|(_, public, _)| public);
        if let Some(ip) = bastion_ip {
            let key = if plan.bastion.key_name.trim().is_empty() {
                blueprint::pem_path(plan, &blueprint::stack_dir(stacks_dir, &plan.stack.name))
                    .display()
                    .to_string()
            } else {
                format!("<your key for {}>", plan.bastion.key_name.trim())
            };
            let app = app_address(clients, plan)
                .await
                .unwrap_or_else(|| "<private IP of an app instance>".into());
            s.ssh = vec![
                format!("ssh-add {key}"),
                format!("ssh -J ec2-user@{ip} ec2-user@{app}"),
            ];
        }
    }
    if let (Some(d), Some(zone)) = (&plan.domain, first("zone"))
        && let Ok(ns) = route53::name_servers(clients, zone).await
    {
        s.domain = Some(d.name.clone());
        s.name_servers = ns;
    }
    s
}

pub fn print(s: &Summary) {
    if let Some(site) = &s.site {
        println!("Site:  {site}");
    }
    if let Some(lb) = &s.load_balancer {
        println!("Load balancer:  {lb}");
    }
    if let [add, jump] = s.ssh.as_slice() {
        println!("SSH:   {add}   # once: the agent carries the key through the bastion");
        println!("       {jump}");
        println!("       (the key never needs to be copied onto the bastion)");
    }
    if let Some(domain) = &s.domain
        && !s.name_servers.is_empty()
    {
        println!("DNS:   {domain} is served by these name servers; set them at your registrar:");
        for n in &s.name_servers {
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
