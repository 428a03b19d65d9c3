//! "Where is my site and how do I get in": shown after a successful build (CLI and wizard)
//! and by status.

use crate::aws::Clients;
use crate::blueprint;
use crate::engine::{Dep, Fact, Graph};
use crate::plan::Plan;
use crate::resources::{instance, route53};
use std::collections::BTreeMap;

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

/// The facts of a built (or surveyed) stack: what each ready resource of `graph` says of
/// itself (`Resource::facts`), with the few look-ups they need (the bastion's address, an
/// app instance, the zone's name servers).
pub async fn collect(
    clients: &Clients,
    plan: &Plan,
    env: &super::Env,
    graph: &Graph,
    ready: &BTreeMap<String, Dep>,
) -> Summary {
    let (stacks_dir, target) = (&env.stacks_dir, &env.target);
    let facts: Vec<Fact> = graph
        .nodes()
        .filter_map(|n| ready.get(&n.key).map(|dep| n.res.facts(dep)))
        .flatten()
        .collect();
    let mut s = Summary::default();
    let https = plan.domain.as_ref().is_some_and(|d| d.https) && facts.contains(&Fact::Https);
    let prefix = format!("{}-", plan.stack.name);
    let now = chrono::Utc::now();
    let mut bastion = None;
    let mut zone = None;
    for fact in &facts {
        match fact {
            Fact::LoadBalancer { dns } => s.load_balancer = Some(format!("http://{dns}/")),
            Fact::SiteName { name } => {
                s.site = Some(format!(
                    "{}://{name}/",
                    if https { "https" } else { "http" }
                ));
            }
            Fact::Https => {}
            Fact::Bastion { instance } => bastion = Some(instance.clone()),
            Fact::AdminPassword => {
                s.admin = Some((
                    blueprint::admin_user(plan),
                    target.aws_cli(&blueprint::admin_password_command(plan)),
                ));
            }
            Fact::Dashboard { name } => {
                s.dashboard = Some(crate::resources::console::service(
                    plan.region(),
                    "cloudwatch",
                    &format!("dashboards/dashboard/{name}"),
                ));
            }
            Fact::Alerts { email, status } => {
                let status = status
                    .clone()
                    .unwrap_or_else(|| "waiting for you to confirm the mail".into());
                s.alerts = Some((email.clone(), status));
            }
            Fact::Schedule {
                name,
                cron,
                timezone,
                min,
                desired,
                max,
            } => {
                if let Some(next) = crate::plan::schedule::next_run(cron, timezone, now) {
                    let name = name.strip_prefix(&prefix).unwrap_or(name);
                    s.schedules
                        .push(format!("{name}: {min}-{desired}-{max} from {next}"));
                }
            }
            Fact::AppGroup { .. } => {
                s.drill = Some(target.hawiz(&format!("drill {} instance", plan.stack.name)));
            }
            Fact::HostedZone { id, domain } => zone = Some((id.clone(), domain.clone())),
        }
    }
    let app = app_instance(clients, plan).await;
    if let Some(bastion) = bastion {
        let bastion_ip = instance::addresses(clients, std::slice::from_ref(&bastion))
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
                crate::paths::tilde(&pem)
            } else {
                format!("<your key for {}>", plan.bastion.key_name.trim())
            };
            let app_ip = app
                .as_ref()
                .and_then(|(_, ip)| ip.clone())
                .unwrap_or_else(|| "<private IP of an app instance>".into());
            s.ssh = vec![
                format!("ssh-add {key}"),
                format!("ssh -J ec2-user@{ip} ec2-user@{app_ip}"),
            ];
        }
    }
    if s.ssh.is_empty()
        && let Some((id, _)) = &app
    {
        s.session = Some(target.aws_cli(&format!(
            "aws ssm start-session --region {} --target {id}",
            plan.region()
        )));
    }
    if let Some((id, domain)) = zone
        && let Ok(ns) = route53::name_servers(clients, &id).await
    {
        s.domain = Some(domain);
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
