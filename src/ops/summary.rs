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
    /// Without a bastion (or its key): the Session Manager command to an app instance.
    pub session: Option<String>,
    /// The WordPress administrator's name and the command that shows its password (the
    /// password itself is never shown).
    pub admin: Option<(String, String)>,
    pub domain: Option<String>,
    pub name_servers: Vec<String>,
    /// The stack's CloudWatch dashboard in the console.
    pub dashboard: Option<String>,
    /// Where alerts go and whether the subscription is confirmed yet.
    pub alerts: Option<(String, String)>,
    /// Each scheduled action's next run, in its zone and in UTC.
    pub schedules: Vec<String>,
    /// The command that proves the stack heals (the lab's last step).
    pub drill: Option<String>,
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
        let pem = blueprint::pem_path(plan, &blueprint::stack_dir(stacks_dir, &plan.stack.name));
        let ours = plan.bastion.key_name.trim().is_empty();
        // Without the private key here (built on another machine) the ssh lines cannot
        // work from this one; Session Manager is offered instead.
        if let Some(ip) = bastion_ip.filter(|_| !ours || pem.exists()) {
            let key = if ours {
                pem.display().to_string()
            } else {
                format!("<your key for {}>", plan.bastion.key_name.trim())
            };
            let app = app_instance(clients, plan)
                .await
                .and_then(|(_, ip)| ip)
                .unwrap_or_else(|| "<private IP of an app instance>".into());
            s.ssh = vec![
                format!("ssh-add {key}"),
                format!("ssh -J ec2-user@{ip} ec2-user@{app}"),
            ];
        }
    }
    let app = app_instance(clients, plan).await;
    if s.ssh.is_empty()
        && let Some((id, _)) = &app
    {
        s.session = Some(format!(
            "aws ssm start-session --region {} --target {id}",
            plan.region()
        ));
    }
    if first("param/admin-password").is_some() {
        s.admin = Some((
            blueprint::admin_user(plan),
            blueprint::admin_password_command(plan),
        ));
    }
    if let Some(name) = first("dashboard") {
        s.dashboard = Some(crate::resources::console::service(
            plan.region(),
            "cloudwatch",
            &format!("dashboards/dashboard/{name}"),
        ));
    }
    if let Some(sub) = ready.get("sns-subscription") {
        let status = sub
            .outputs
            .get("status")
            .cloned()
            .unwrap_or_else(|| "waiting for you to confirm the mail".into());
        s.alerts = Some((plan.alerts.email.trim().to_string(), status));
    }
    let now = chrono::Utc::now();
    for sched in &plan.scaling.schedule {
        if first(&format!("schedule/{}", sched.name)).is_some()
            && let Some(next) = crate::plan::schedule::next_run(&sched.cron, &sched.timezone, now)
        {
            s.schedules.push(format!(
                "{}: {}-{}-{} from {next}",
                sched.name, sched.min, sched.desired, sched.max
            ));
        }
    }
    if first("asg").is_some() {
        s.drill = Some(format!("hawiz drill {} instance", plan.stack.name));
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
    if let Some(session) = &s.session {
        println!("Shell: {session}   # Session Manager: no SSH, no open port");
    }
    if let Some((user, command)) = &s.admin {
        println!("Admin: {user}, password: {command}");
    }
    if let Some(domain) = &s.domain
        && !s.name_servers.is_empty()
    {
        println!("DNS:   {domain} is served by these name servers; set them at your registrar:");
        for n in &s.name_servers {
            println!("         {n}");
        }
    }
    if let Some(url) = &s.dashboard {
        println!("Dashboard: {url}");
    }
    if let Some((email, status)) = &s.alerts {
        println!("Alerts: {email} ({status})");
    }
    for line in &s.schedules {
        println!("Schedule: {line}");
    }
    if let Some(drill) = &s.drill {
        println!("Prove it: {drill}   # breaks one instance on purpose and times the healing");
    }
}

/// One of the app tier's running instances: its ID and private address.
async fn app_instance(clients: &Clients, plan: &Plan) -> Option<(String, Option<String>)> {
    let group = crate::names::app(&plan.stack.name);
    let g = super::fleet::group(clients, &group).await.ok()??;
    let ids: Vec<String> = super::fleet::zones(&g).into_keys().collect();
    instance::addresses(clients, &ids)
        .await
        .ok()?
        .into_iter()
        .next()
        .map(|(id, _, private)| (id, private))
}
