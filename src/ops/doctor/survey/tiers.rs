//! The load balancers of the VPC (their listeners, target groups and certificates) and
//! the Auto Scaling groups in its subnets (their launch templates and policies).

use super::*;
use crate::aws::{Clients, aws};

pub(super) async fn load_balancers(
    c: &Clients,
    s: &mut Survey,
) -> Result<(), crate::aws::AwsError> {
    let mut pages = c.elb.describe_load_balancers().into_paginator().send();
    while let Some(page) = pages.next().await {
        for lb in page.map_err(aws("DescribeLoadBalancers"))?.load_balancers() {
            if lb.vpc_id() != Some(s.vpc.as_str()) {
                continue;
            }
            s.load_balancers.push(LoadBalancer {
                name: lb.load_balancer_name().unwrap_or_default().to_string(),
                arn: lb.load_balancer_arn().unwrap_or_default().to_string(),
                // AWS's default when none was asked for (an emulator may leave it out).
                internet_facing: lb.scheme().map(|x| x.as_str()) != Some("internal"),
                subnets: lb
                    .availability_zones()
                    .iter()
                    .filter_map(|z| z.subnet_id().map(str::to_string))
                    .collect(),
                groups: lb.security_groups().to_vec(),
            });
        }
    }
    Ok(())
}

pub(super) async fn scaling_groups(
    c: &Clients,
    s: &mut Survey,
) -> Result<(), crate::aws::AwsError> {
    let mut pages = c
        .autoscaling
        .describe_auto_scaling_groups()
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        for g in page
            .map_err(aws("DescribeAutoScalingGroups"))?
            .auto_scaling_groups()
        {
            let subnets: Vec<String> = g
                .vpc_zone_identifier()
                .unwrap_or_default()
                .split(',')
                .map(|x| x.trim().to_string())
                .filter(|x| !x.is_empty())
                .collect();
            if !subnets.iter().any(|x| s.subnet(x).is_some()) {
                continue;
            }
            s.scaling_groups.push(ScalingGroup {
                name: g.auto_scaling_group_name().unwrap_or_default().to_string(),
                subnets,
                min: g.min_size().unwrap_or(0),
                health_check: g.health_check_type().unwrap_or("EC2").to_string(),
                target_groups: g.target_group_arns().len(),
            });
        }
    }
    Ok(())
}
