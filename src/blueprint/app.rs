//! Steps 5 and 6: the instance role, launch template, target group, load balancer, HTTP
//! listener, and the Auto Scaling group (its policies are in `operations`).

use super::database::{parameter_name, parameters, wp_db_user};
use super::network::NetworkKeys;
use super::security::SecurityKeys;
use crate::engine::{Graph, GraphError};
use crate::plan::Plan;
use crate::resources::autoscaling::AutoScalingGroup;
use crate::resources::elb::{Listener, ListenerAction, LoadBalancer, TargetGroup};
use crate::resources::iam::{self, InstanceProfile, Role};
use crate::resources::launch_template::LaunchTemplate;
use crate::resources::parameter::{Password, Published, Source};
use crate::resources::waf::{WebAcl, WebAclAssociation};
use crate::userdata;

#[derive(Debug, Clone)]
pub struct WebKeys {
    pub load_balancer: String,
    pub target_group: String,
    pub http_listener: String,
    pub group: String,
}

/// The WordPress administrator hawiz sets up (its password is in SSM).
pub fn admin_user(plan: &Plan) -> String {
    format!("{}-admin", plan.stack.name)
}

/// Where WordPress sends its admin mail: the alerts address, else the domain's webmaster.
fn admin_email(plan: &Plan) -> String {
    let email = plan.alerts.email.trim();
    if !email.is_empty() {
        return email.to_string();
    }
    let domain = plan
        .domain
        .as_ref()
        .map(|d| d.name.trim().trim_end_matches('.').to_ascii_lowercase())
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| "example.com".into());
    format!("webmaster@{domain}")
}

/// The command that shows the WordPress admin password (it is never printed by hawiz).
pub fn admin_password_command(plan: &Plan) -> String {
    format!(
        "aws ssm get-parameter --region {} --name {} --with-decryption --query Parameter.Value --output text",
        plan.region(),
        parameter_name(&plan.stack.name, "admin-password")
    )
}

/// The Auto Scaling group (and its launch template).
pub fn group_name(plan: &Plan) -> String {
    crate::names::app(&plan.stack.name)
}

/// IAM names are global to the account, so the region is part of them.
pub fn iam_name(plan: &Plan) -> String {
    crate::names::iam(&plan.stack.name, plan.region(), "app")
}

pub fn add(
    plan: &Plan,
    net: &NetworkKeys,
    sgs: &SecurityKeys,
    file_system: Option<&str>,
    key_pair: Option<&str>,
    boundary: &str,
    g: &mut Graph,
) -> Result<WebKeys, GraphError> {
    let stack = &plan.stack.name;
    let app = &plan.app;
    let role = g.add(
        "iam-role/app",
        Role {
            name: iam_name(plan),
            service: "ec2.amazonaws.com",
            purpose: "app instances read their settings, and Session Manager reaches them".into(),
            inline_name: "read-stack-parameters",
            inline: iam::policy(plan.region(), stack, &group_name(plan)),
            managed: vec![iam::SSM_CORE],
            boundary: boundary.to_string(),
        },
    )?;
    let profile = g.add(
        "instance-profile/app",
        InstanceProfile {
            name: iam_name(plan),
            role,
        },
    )?;
    let template = g.add(
        "launch-template",
        LaunchTemplate {
            name: group_name(plan),
            instance_type: app.instance_type.clone(),
            security_group: sgs.app.clone(),
            instance_profile: profile,
            key_pair: key_pair.map(str::to_string),
            file_system: file_system.map(str::to_string),
            user_data: userdata::Values {
                region: plan.region().to_string(),
                parameters: parameters(stack),
                file_system_id: userdata::NO_FILE_SYSTEM.to_string(),
                db_name: plan.database.db_name.clone(),
                db_user: plan.database.username.clone(),
                wp_db_user: wp_db_user(plan).to_string(),
                admin_user: admin_user(plan),
                admin_email: admin_email(plan),
                site_title: stack.clone(),
                group: group_name(plan),
                lifecycle_hook: crate::resources::autoscaling::LAUNCH_HOOK.to_string(),
            },
            instance_name: group_name(plan),
        },
    )?;
    let target_group = g.add(
        "tg",
        TargetGroup {
            name: crate::names::target_group(stack),
            vpc: net.vpc.clone(),
            health_check_path: plan.load_balancer.health_check_path.clone(),
        },
    )?;
    let load_balancer = g.add(
        "alb",
        LoadBalancer {
            name: crate::names::load_balancer(stack),
            subnets: net.public.clone(),
            security_group: sgs.alb.clone(),
            after: net.internet.clone(),
        },
    )?;
    if plan.load_balancer.waf {
        let acl = g.add(
            "waf",
            WebAcl {
                name: format!("{stack}-waf"),
            },
        )?;
        g.add(
            "waf-association",
            WebAclAssociation {
                name: format!("{stack}-waf"),
                web_acl: acl,
                load_balancer: load_balancer.clone(),
            },
        )?;
    }
    super::secret(
        g,
        "param/admin-password",
        Password {
            name: parameter_name(stack, "admin-password"),
            what: "WordPress admin password parameter",
            make: crate::secret::password32,
            tells: Some(crate::engine::Fact::AdminPassword),
            copy_of: None,
        },
    )?;
    // One set of cookie keys for every instance, so a login made on one is accepted by
    // the others behind the load balancer.
    super::secret(
        g,
        "param/wp-salts",
        Password {
            name: parameter_name(stack, "wp-salts"),
            what: "WordPress keys and salts parameter",
            make: crate::secret::wordpress_salts,
            tells: None,
            copy_of: None,
        },
    )?;
    // The site's address, for WordPress's own settings: known with a domain, the load
    // balancer's name without one.
    let site = match super::site_name(plan) {
        Some(host) => Source::Fixed(format!(
            "{}://{host}",
            if plan.domain.as_ref().is_some_and(|d| d.https) {
                "https"
            } else {
                "http"
            }
        )),
        None => Source::Output {
            key: load_balancer.clone(),
            output: "dns name",
            prefix: "http://",
        },
    };
    g.add(
        "param/site-url",
        Published {
            name: parameter_name(stack, "site-url"),
            description: "The site's address (published by hawiz)",
            source: site,
        },
    )?;
    let http_listener = g.add(
        "listener/http",
        Listener {
            name: format!("{stack}-http"),
            load_balancer: load_balancer.clone(),
            port: 80,
            action: ListenerAction::Forward(target_group.clone()),
            // With HTTPS, the redirect node switches it once HTTPS works.
            action_elsewhere: plan.domain.as_ref().is_some_and(|d| d.https),
            certificate: None,
        },
    )?;
    let group = g.add(
        "asg",
        AutoScalingGroup {
            name: group_name(plan),
            launch_template: template,
            target_group: target_group.clone(),
            subnets: net.private.clone(),
            min: app.min,
            desired: app.desired,
            max: app.max,
            instance_type: app.instance_type.clone(),
            scheduled: plan
                .scaling
                .schedule
                .iter()
                .map(|s| (s.min, s.max))
                .collect(),
            instance_name: group_name(plan),
            after: net.egress.clone(),
        },
    )?;
    Ok(WebKeys {
        load_balancer,
        target_group,
        http_listener,
        group,
    })
}
