//! The security groups, tiered: world → ALB (80/443) → app (80) → database (3306) and
//! file system (2049); SSH to the bastion only from the user's address, and to the app
//! only from the bastion.

use super::network::NetworkKeys;
use crate::engine::{Graph, GraphError};
use crate::plan::Plan;
use crate::resources::security_group::{Rule, SecurityGroup, Source};

#[derive(Debug, Clone)]
pub struct SecurityKeys {
    pub alb: String,
    pub app: String,
    pub db: String,
    pub efs: String,
    pub bastion: Option<String>,
}

/// The load balancer's group's key.
pub const ALB: &str = "sg/alb";

fn rule(port: u16, from: Source, why: &str) -> Rule {
    Rule {
        port,
        from,
        why: why.to_string(),
    }
}

pub fn add(plan: &Plan, net: &NetworkKeys, g: &mut Graph) -> Result<SecurityKeys, GraphError> {
    let stack = &plan.stack.name;
    let group = |g: &mut Graph, key: &str, what: &str, description: &str, rules: Vec<Rule>| {
        g.add(
            key,
            SecurityGroup {
                name: format!("{stack}-{what}"),
                vpc: net.vpc.clone(),
                description: description.to_string(),
                rules,
                ingress_owner: None,
            },
        )
    };
    let world = || Source::Cidr("0.0.0.0/0".into());
    let alb_rules = vec![
        rule(80, world(), "HTTP from anywhere"),
        rule(443, world(), "HTTPS from anywhere"),
    ];
    let alb = if plan.cloudfront() {
        // Open until CloudFront serves the site; then the origin lock narrows it.
        g.add(
            ALB,
            SecurityGroup {
                name: format!("{stack}-alb"),
                vpc: net.vpc.clone(),
                description: "Load balancer: HTTPS from CloudFront only, once CloudFront serves \
                              the site"
                    .to_string(),
                rules: alb_rules,
                ingress_owner: Some(super::cloudfront::LOCK.to_string()),
            },
        )?
    } else {
        group(
            g,
            ALB,
            "alb",
            "Load balancer: HTTP and HTTPS from anywhere",
            alb_rules,
        )?
    };
    let bastion = if plan.bastion.enabled {
        Some(group(
            g,
            "sg/bastion",
            "bastion",
            "Bastion: SSH from the administrator's address only",
            vec![rule(
                22,
                Source::Cidr(plan.bastion.ssh_cidr.trim().to_string()),
                "SSH from the administrator",
            )],
        )?)
    } else {
        None
    };
    let mut app_rules = vec![rule(
        80,
        Source::Group(alb.clone()),
        "HTTP from the load balancer only",
    )];
    if let Some(b) = &bastion {
        app_rules.push(rule(
            22,
            Source::Group(b.clone()),
            "SSH from the bastion only",
        ));
    }
    let app = group(
        g,
        "sg/app",
        "app",
        "Web servers: HTTP from the load balancer, SSH from the bastion",
        app_rules,
    )?;
    let db = group(
        g,
        "sg/db",
        "db",
        "Database: MySQL protocol from the web servers only",
        vec![rule(
            3306,
            Source::Group(app.clone()),
            "MySQL from the web servers only",
        )],
    )?;
    let efs = group(
        g,
        "sg/efs",
        "efs",
        "Shared files: NFS from the web servers only",
        vec![rule(
            2049,
            Source::Group(app.clone()),
            "NFS from the web servers only",
        )],
    )?;
    Ok(SecurityKeys {
        alb,
        app,
        db,
        efs,
        bastion,
    })
}
