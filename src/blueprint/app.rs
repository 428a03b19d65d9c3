//! Steps 5 and 6: the instance role, launch template, target group, load balancer, HTTP
//! listener, and the Auto Scaling group with its CPU policy.

use super::database::DatabaseKeys;
use super::fit;
use super::network::NetworkKeys;
use super::security::SecurityKeys;
use crate::engine::{Graph, GraphError};
use crate::plan::Plan;
use crate::resources::autoscaling::{AutoScalingGroup, CpuPolicy};
use crate::resources::elb::{Listener, ListenerAction, LoadBalancer, TargetGroup};
use crate::resources::iam::{InstanceProfile, Role};
use crate::resources::launch_template::LaunchTemplate;
use crate::userdata;

#[derive(Debug, Clone)]
pub struct WebKeys {
    pub load_balancer: String,
    pub target_group: String,
    pub http_listener: String,
}

/// IAM names are global to the account, so the region is part of them.
pub fn iam_name(plan: &Plan) -> String {
    format!("hawiz-{}-{}-app", plan.stack.name, plan.region())
}

pub fn add(
    plan: &Plan,
    net: &NetworkKeys,
    sgs: &SecurityKeys,
    db: &DatabaseKeys,
    file_system: Option<&str>,
    key_pair: Option<&str>,
    g: &mut Graph,
) -> Result<WebKeys, GraphError> {
    let stack = &plan.stack.name;
    let app = &plan.app;
    let role = g.add(
        "iam-role/app",
        Role {
            name: iam_name(plan),
            region: plan.region().to_string(),
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
            name: format!("{stack}-app"),
            instance_type: app.instance_type.clone(),
            security_group: sgs.app.clone(),
            instance_profile: profile,
            key_pair: key_pair.map(str::to_string),
            file_system: file_system.map(str::to_string),
            user_data: userdata::Values {
                region: plan.region().to_string(),
                file_system_id: userdata::NO_FILE_SYSTEM.to_string(),
                password_parameter: db.password_parameter.clone(),
                endpoint_parameter: db.endpoint_parameter.clone(),
                db_name: plan.database.db_name.clone(),
                db_user: plan.database.username.clone(),
            },
            instance_name: format!("{stack}-app"),
        },
    )?;
    let target_group = g.add(
        "tg",
        TargetGroup {
            name: fit(stack, "tg", 32),
            vpc: net.vpc.clone(),
            health_check_path: plan.load_balancer.health_check_path.clone(),
        },
    )?;
    let load_balancer = g.add(
        "alb",
        LoadBalancer {
            name: fit(stack, "alb", 32),
            subnets: net.public.clone(),
            security_group: sgs.alb.clone(),
            after: net.internet.clone(),
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
            name: format!("{stack}-app"),
            launch_template: template,
            target_group: target_group.clone(),
            subnets: net.private.clone(),
            min: app.min,
            desired: app.desired,
            max: app.max,
            instance_name: format!("{stack}-app"),
            after: net.egress.clone(),
        },
    )?;
    g.add(
        "asg-policy/cpu",
        CpuPolicy {
            // Named after the stack: policy names need only be unique per group on AWS, but
            // moto keeps one policy per name in the whole account.
            name: format!("{stack}-cpu-target-tracking"),
            group,
            target: app.cpu_target,
        },
    )?;
    Ok(WebKeys {
        load_balancer,
        target_group,
        http_listener,
    })
}
