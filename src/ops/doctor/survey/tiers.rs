//! The load balancers of the VPC (their listeners, target groups and certificates) and
//! the Auto Scaling groups in its subnets (their launch templates and policies).

use super::*;
use crate::aws::{Clients, aws};

pub(super) async fn load_balancers(
    c: &Clients,
    all: &mut [Survey],
) -> Result<(), crate::aws::AwsError> {
    let mut pages = c.elb.describe_load_balancers().into_paginator().send();
    while let Some(page) = pages.next().await {
        for lb in page.map_err(aws("DescribeLoadBalancers"))?.load_balancers() {
            let Some(s) = of(all, lb.vpc_id()) else {
                continue;
            };
            let arn = lb.load_balancer_arn().unwrap_or_default().to_string();
            let listeners = listeners(c, &arn).await?;
            let target_groups = target_groups(c, &arn).await?;
            s.load_balancers.push(LoadBalancer {
                name: lb.load_balancer_name().unwrap_or_default().to_string(),
                arn,
                listeners,
                target_groups,
                // AWS's default when none was asked for (an emulator may leave it out).
                internet_facing: lb.scheme().map(|x| x.as_str()) != Some("internal"),
                subnets: lb
                    .availability_zones()
                    .iter()
                    .filter_map(|z| z.subnet_id().map(str::to_string))
                    .collect(),
                groups: lb.security_groups().to_vec(),
                dns_name: lb.dns_name().unwrap_or_default().to_ascii_lowercase(),
                zone_id: lb
                    .canonical_hosted_zone_id()
                    .unwrap_or_default()
                    .to_string(),
            });
        }
    }
    Ok(())
}

pub(super) async fn scaling_groups(
    c: &Clients,
    all: &mut [Survey],
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
            let Some(vpc) = subnets
                .iter()
                .find_map(|x| holding(all, x).map(|s| s.vpc.clone()))
            else {
                continue;
            };
            let name = g.auto_scaling_group_name().unwrap_or_default().to_string();
            let spec = g.launch_template().or_else(|| {
                g.mixed_instances_policy()
                    .and_then(|m| m.launch_template())
                    .and_then(|l| l.launch_template_specification())
            });
            let template = match spec {
                Some(t) => template(c, t).await?,
                None => None,
            };
            let policies = c
                .autoscaling
                .describe_policies()
                .auto_scaling_group_name(&name)
                .send()
                .await
                .map_err(aws("DescribePolicies"))?
                .scaling_policies()
                .len();
            let Some(s) = of(all, Some(&vpc)) else {
                continue;
            };
            s.scaling_groups.push(ScalingGroup {
                name,
                subnets,
                min: g.min_size().unwrap_or(0),
                health_check: g.health_check_type().unwrap_or("EC2").to_string(),
                target_groups: g.target_group_arns().len(),
                template,
                policies,
                instance_zones: g
                    .instances()
                    .iter()
                    .filter(|i| i.lifecycle_state().map(|l| l.as_str()) == Some("InService"))
                    .map(|i| i.availability_zone().unwrap_or_default().to_string())
                    .collect(),
                rebalance_suspended: g
                    .suspended_processes()
                    .iter()
                    .any(|p| p.process_name() == Some("AZRebalance")),
            });
        }
    }
    Ok(())
}

async fn listeners(c: &Clients, lb: &str) -> Result<Vec<Listener>, crate::aws::AwsError> {
    let mut out = Vec::new();
    let mut pages = c
        .elb
        .describe_listeners()
        .load_balancer_arn(lb)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        for l in page.map_err(aws("DescribeListeners"))?.listeners() {
            let redirects_to_https = l.default_actions().iter().any(|a| {
                a.redirect_config()
                    .and_then(|r| r.protocol())
                    .is_some_and(|p| p.eq_ignore_ascii_case("HTTPS"))
            });
            out.push(Listener {
                arn: l.listener_arn().unwrap_or_default().to_string(),
                port: l.port().unwrap_or(0),
                protocol: l
                    .protocol()
                    .map(|p| p.as_str().to_string())
                    .unwrap_or_default(),
                redirects_to_https,
                ssl_policy: l.ssl_policy().map(str::to_string),
                certificates: l
                    .certificates()
                    .iter()
                    .filter_map(|c| c.certificate_arn().map(str::to_string))
                    .collect(),
            });
        }
    }
    Ok(out)
}

/// The version the group launches from: `$Default` unless it names one.
async fn template(
    c: &Clients,
    spec: &aws_sdk_autoscaling::types::LaunchTemplateSpecification,
) -> Result<Option<Template>, crate::aws::AwsError> {
    let version = spec.version().unwrap_or("$Default");
    let out = c
        .ec2
        .describe_launch_template_versions()
        .set_launch_template_id(spec.launch_template_id().map(str::to_string))
        .set_launch_template_name(
            spec.launch_template_id()
                .is_none()
                .then(|| spec.launch_template_name().map(str::to_string))
                .flatten(),
        )
        .versions(version)
        .send()
        .await
        .map_err(aws("DescribeLaunchTemplateVersions"))?;
    Ok(out.launch_template_versions().first().map(|v| {
        let data = v.launch_template_data();
        Template {
            name: v.launch_template_name().unwrap_or_default().to_string(),
            imds_v2: data
                .and_then(|d| d.metadata_options())
                .and_then(|m| m.http_tokens())
                .is_some_and(|t| t.as_str() == "required"),
            groups: data
                .map(|d| {
                    d.security_group_ids()
                        .iter()
                        .cloned()
                        .chain(
                            d.network_interfaces()
                                .iter()
                                .flat_map(|n| n.groups().iter().cloned()),
                        )
                        .collect()
                })
                .unwrap_or_default(),
            unencrypted_volume: data.is_some_and(|d| {
                d.block_device_mappings()
                    .iter()
                    .filter_map(|b| b.ebs())
                    .any(|e| e.encrypted() != Some(true))
            }),
        }
    }))
}

/// Each certificate the listeners serve, as ACM describes it (once for every VPC that
/// serves it).
pub(super) async fn certificates(
    c: &Clients,
    all: &mut [Survey],
) -> Result<(), crate::aws::AwsError> {
    let mut arns: Vec<String> = all
        .iter()
        .flat_map(|s| s.load_balancers.iter())
        .flat_map(|lb| lb.listeners.iter())
        .flat_map(|l| l.certificates.iter().cloned())
        .collect();
    arns.sort();
    arns.dedup();
    let now = chrono::Utc::now().timestamp();
    for arn in arns {
        let out = c
            .acm
            .describe_certificate()
            .certificate_arn(&arn)
            .send()
            .await
            .map_err(aws("DescribeCertificate"))?;
        let Some(cert) = out.certificate() else {
            continue;
        };
        let domain = cert.domain_name().unwrap_or_default().to_string();
        let mut names = vec![domain.clone()];
        names.extend(cert.subject_alternative_names().iter().cloned());
        names.sort();
        names.dedup();
        let read = Certificate {
            arn: arn.clone(),
            domain,
            names,
            status: cert
                .status()
                .map(|x| x.as_str().to_string())
                .unwrap_or_default(),
            days_left: cert.not_after().map(|t| (t.secs() - now) / 86_400),
        };
        for s in all.iter_mut().filter(|s| {
            s.load_balancers
                .iter()
                .flat_map(|lb| lb.listeners.iter())
                .any(|l| l.certificates.contains(&arn))
        }) {
            s.certificates.push(read.clone());
        }
    }
    Ok(())
}

async fn target_groups(c: &Clients, lb: &str) -> Result<Vec<TargetGroup>, crate::aws::AwsError> {
    let mut out = Vec::new();
    let mut pages = c
        .elb
        .describe_target_groups()
        .load_balancer_arn(lb)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        // None attached: AWS answers an empty list, an emulator TargetGroupNotFound.
        let page = match page.map_err(aws("DescribeTargetGroups")) {
            Err(e) if e.is_not_found() => break,
            r => r?,
        };
        for t in page.target_groups() {
            let arn = t.target_group_arn().unwrap_or_default().to_string();
            let redirected = redirected(c, &arn).await?;
            out.push(TargetGroup {
                name: t.target_group_name().unwrap_or_default().to_string(),
                arn,
                // AWS's defaults for an ALB's target group when none was set.
                interval: t.health_check_interval_seconds().unwrap_or(30),
                unhealthy_threshold: t.unhealthy_threshold_count().unwrap_or(2),
                path: t.health_check_path().unwrap_or("/").to_string(),
                matcher: t
                    .matcher()
                    .and_then(|m| m.http_code())
                    .unwrap_or("200")
                    .to_string(),
                redirected,
            });
        }
    }
    Ok(out)
}

/// Targets the health check fails because its path answers a redirect: ELB says
/// `Target.ResponseCodeMismatch`, "Health checks failed with these codes: [302]".
async fn redirected(c: &Clients, tg: &str) -> Result<Vec<(String, String)>, crate::aws::AwsError> {
    Ok(crate::resources::fleet::targets(c, tg)
        .await?
        .into_iter()
        .filter(|t| t.reason.as_deref() == Some("Target.ResponseCodeMismatch"))
        .map(|t| {
            (
                t.id,
                redirect_codes(t.description.as_deref().unwrap_or_default()),
            )
        })
        .filter(|(_, codes)| !codes.is_empty())
        .collect())
}

/// The 3xx codes in ELB's "Health checks failed with these codes: [301, 302]".
pub(crate) fn redirect_codes(description: &str) -> String {
    let inside = description
        .split_once('[')
        .and_then(|(_, rest)| rest.split_once(']'))
        .map(|(codes, _)| codes)
        .unwrap_or_default();
    inside
        .split(',')
        .map(str::trim)
        .filter(|c| c.len() == 3 && c.starts_with('3'))
        .collect::<Vec<_>>()
        .join(", ")
}
