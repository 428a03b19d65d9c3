//! Everything in the emulator tagged with a stack, in every service hawiz uses, read from
//! outside with plain describe calls: the proof a test asks for after a destroy.

use super::stack_filter;
use hawiz::aws::Clients;

fn has(tags: impl IntoIterator<Item = (String, String)>, stack: &str) -> bool {
    tags.into_iter()
        .any(|(k, v)| k == "hawiz:stack" && v == stack)
}

/// "<service> <id>" of everything still tagged `hawiz:stack=<stack>` and alive.
pub async fn tagged_anywhere(aws: &Clients, stack: &str) -> Vec<String> {
    let mut left = Vec::new();
    let ec2 = &aws.ec2;
    let f = || stack_filter(stack);
    for v in ec2
        .describe_vpcs()
        .filters(f())
        .send()
        .await
        .unwrap()
        .vpcs()
    {
        left.push(format!("vpc {}", v.vpc_id().unwrap()));
    }
    for s in ec2
        .describe_subnets()
        .filters(f())
        .send()
        .await
        .unwrap()
        .subnets()
    {
        left.push(format!("subnet {}", s.subnet_id().unwrap()));
    }
    for g in ec2
        .describe_internet_gateways()
        .filters(f())
        .send()
        .await
        .unwrap()
        .internet_gateways()
    {
        left.push(format!("igw {}", g.internet_gateway_id().unwrap()));
    }
    for t in ec2
        .describe_route_tables()
        .filters(f())
        .send()
        .await
        .unwrap()
        .route_tables()
    {
        left.push(format!("route-table {}", t.route_table_id().unwrap()));
    }
    for g in ec2
        .describe_security_groups()
        .filters(f())
        .send()
        .await
        .unwrap()
        .security_groups()
    {
        left.push(format!("security-group {}", g.group_id().unwrap()));
    }
    for a in ec2
        .describe_addresses()
        .filters(f())
        .send()
        .await
        .unwrap()
        .addresses()
    {
        left.push(format!("elastic-ip {}", a.allocation_id().unwrap()));
    }
    for g in ec2
        .describe_nat_gateways()
        .send()
        .await
        .unwrap()
        .nat_gateways()
    {
        let tags = g
            .tags()
            .iter()
            .map(|t| (t.key().unwrap().to_string(), t.value().unwrap().to_string()));
        if has(tags, stack)
            && !matches!(
                g.state().map(|s| s.as_str()),
                Some("deleted" | "deleting" | "failed")
            )
        {
            left.push(format!("nat-gateway {}", g.nat_gateway_id().unwrap()));
        }
    }
    for i in ec2
        .describe_instances()
        .filters(f())
        .send()
        .await
        .unwrap()
        .reservations()
        .iter()
        .flat_map(|r| r.instances())
    {
        if !matches!(
            i.state().and_then(|s| s.name()).map(|n| n.as_str()),
            Some("terminated" | "shutting-down")
        ) {
            left.push(format!("instance {}", i.instance_id().unwrap()));
        }
    }
    for k in ec2.describe_key_pairs().send().await.unwrap().key_pairs() {
        let tags = k
            .tags()
            .iter()
            .map(|t| (t.key().unwrap().to_string(), t.value().unwrap().to_string()));
        if has(tags, stack) {
            left.push(format!("key-pair {}", k.key_name().unwrap()));
        }
    }
    for t in ec2
        .describe_launch_templates()
        .filters(f())
        .send()
        .await
        .unwrap()
        .launch_templates()
    {
        left.push(format!(
            "launch-template {}",
            t.launch_template_id().unwrap()
        ));
    }
    for d in aws
        .rds
        .describe_db_instances()
        .send()
        .await
        .unwrap()
        .db_instances()
    {
        let tags = d
            .tag_list()
            .iter()
            .map(|t| (t.key().unwrap().to_string(), t.value().unwrap().to_string()));
        if has(tags, stack) && d.db_instance_status() != Some("deleting") {
            left.push(format!("db {}", d.db_instance_identifier().unwrap()));
        }
    }
    for g in aws
        .rds
        .describe_db_subnet_groups()
        .send()
        .await
        .unwrap()
        .db_subnet_groups()
    {
        let t = aws
            .rds
            .list_tags_for_resource()
            .resource_name(g.db_subnet_group_arn().unwrap())
            .send()
            .await
            .unwrap();
        let tags = t
            .tag_list()
            .iter()
            .map(|t| (t.key().unwrap().to_string(), t.value().unwrap().to_string()));
        if has(tags, stack) {
            left.push(format!(
                "db-subnet-group {}",
                g.db_subnet_group_name().unwrap()
            ));
        }
    }
    let mut pages = aws.efs.describe_file_systems().into_paginator().send();
    while let Some(page) = pages.next().await {
        for fs in page.unwrap().file_systems() {
            let tags = fs
                .tags()
                .iter()
                .map(|t| (t.key().to_string(), t.value().to_string()));
            if has(tags, stack) && fs.life_cycle_state().as_str() != "deleted" {
                left.push(format!("efs {}", fs.file_system_id()));
            }
        }
    }
    let mut arns: Vec<String> = aws
        .elb
        .describe_load_balancers()
        .send()
        .await
        .unwrap()
        .load_balancers()
        .iter()
        .map(|l| l.load_balancer_arn().unwrap().to_string())
        .collect();
    arns.extend(
        aws.elb
            .describe_target_groups()
            .send()
            .await
            .unwrap()
            .target_groups()
            .iter()
            .map(|t| t.target_group_arn().unwrap().to_string()),
    );
    for arn in arns {
        let t = aws
            .elb
            .describe_tags()
            .resource_arns(&arn)
            .send()
            .await
            .unwrap();
        let tags = t.tag_descriptions().iter().flat_map(|d| d.tags()).map(|t| {
            (
                t.key().unwrap().to_string(),
                t.value().unwrap_or_default().to_string(),
            )
        });
        if has(tags, stack) {
            left.push(format!("elb {arn}"));
        }
    }
    for g in aws
        .autoscaling
        .describe_auto_scaling_groups()
        .send()
        .await
        .unwrap()
        .auto_scaling_groups()
    {
        let tags = g.tags().iter().map(|t| {
            (
                t.key().unwrap().to_string(),
                t.value().unwrap_or_default().to_string(),
            )
        });
        if has(tags, stack) {
            left.push(format!(
                "autoscaling-group {}",
                g.auto_scaling_group_name().unwrap()
            ));
        }
    }
    for r in aws.iam.list_roles().send().await.unwrap().roles() {
        let t = aws
            .iam
            .list_role_tags()
            .role_name(r.role_name())
            .send()
            .await
            .unwrap();
        let tags = t
            .tags()
            .iter()
            .map(|t| (t.key().to_string(), t.value().to_string()));
        if has(tags, stack) {
            left.push(format!("iam-role {}", r.role_name()));
        }
    }
    for p in aws
        .iam
        .list_instance_profiles()
        .send()
        .await
        .unwrap()
        .instance_profiles()
    {
        let full = aws
            .iam
            .get_instance_profile()
            .instance_profile_name(p.instance_profile_name())
            .send()
            .await
            .unwrap();
        let tags = full
            .instance_profile()
            .unwrap()
            .tags()
            .iter()
            .map(|t| (t.key().to_string(), t.value().to_string()));
        if has(tags, stack) {
            left.push(format!("instance-profile {}", p.instance_profile_name()));
        }
    }
    for p in aws
        .ssm
        .describe_parameters()
        .max_results(50)
        .send()
        .await
        .unwrap()
        .parameters()
    {
        let name = p.name().unwrap();
        let t = aws
            .ssm
            .list_tags_for_resource()
            .resource_type(aws_sdk_ssm::types::ResourceTypeForTagging::Parameter)
            .resource_id(name)
            .send()
            .await
            .unwrap();
        let tags = t
            .tag_list()
            .iter()
            .map(|t| (t.key().to_string(), t.value().to_string()));
        if has(tags, stack) {
            left.push(format!("ssm-parameter {name}"));
        }
    }
    for z in aws
        .route53
        .list_hosted_zones()
        .send()
        .await
        .unwrap()
        .hosted_zones()
    {
        let id = z.id().trim_start_matches("/hostedzone/");
        let t = aws
            .route53
            .list_tags_for_resource()
            .resource_type(aws_sdk_route53::types::TagResourceType::Hostedzone)
            .resource_id(id)
            .send()
            .await
            .unwrap();
        let tags = t
            .resource_tag_set()
            .map(|s| s.tags().to_vec())
            .unwrap_or_default()
            .into_iter()
            .map(|t| {
                (
                    t.key().unwrap_or_default().to_string(),
                    t.value().unwrap_or_default().to_string(),
                )
            });
        if has(tags, stack) {
            left.push(format!("hosted-zone {id}"));
        }
    }
    for c in aws
        .acm
        .list_certificates()
        .send()
        .await
        .unwrap()
        .certificate_summary_list()
    {
        let arn = c.certificate_arn().unwrap();
        let t = aws
            .acm
            .list_tags_for_certificate()
            .certificate_arn(arn)
            .send()
            .await
            .unwrap();
        let tags = t.tags().iter().map(|t| {
            (
                t.key().to_string(),
                t.value().unwrap_or_default().to_string(),
            )
        });
        if has(tags, stack) {
            left.push(format!("certificate {arn}"));
        }
    }
    for a in aws
        .cloudwatch
        .describe_alarms()
        .send()
        .await
        .unwrap()
        .metric_alarms()
    {
        let arn = a.alarm_arn().unwrap();
        let t = aws
            .cloudwatch
            .list_tags_for_resource()
            .resource_arn(arn)
            .send()
            .await
            .unwrap();
        let tags = t.tags().iter().map(|t| {
            (
                t.key().unwrap_or_default().to_string(),
                t.value().unwrap_or_default().to_string(),
            )
        });
        if has(tags, stack) {
            left.push(format!("alarm {}", a.alarm_name().unwrap()));
        }
    }
    // Dashboards: the emulator keeps no tags on them, so the body's mark stands in.
    for d in aws
        .cloudwatch
        .list_dashboards()
        .send()
        .await
        .unwrap()
        .dashboard_entries()
    {
        let name = d.dashboard_name().unwrap();
        let body = aws
            .cloudwatch
            .get_dashboard()
            .dashboard_name(name)
            .send()
            .await
            .unwrap();
        if body
            .dashboard_body()
            .unwrap_or_default()
            .contains(&format!("hawiz:stack={stack} "))
        {
            left.push(format!("dashboard {name}"));
        }
    }
    for t in aws.sns.list_topics().send().await.unwrap().topics() {
        let arn = t.topic_arn().unwrap();
        let tags = aws
            .sns
            .list_tags_for_resource()
            .resource_arn(arn)
            .send()
            .await
            .unwrap();
        let tags = tags
            .tags()
            .iter()
            .map(|t| (t.key().to_string(), t.value().to_string()));
        if has(tags, stack) {
            left.push(format!("sns-topic {arn}"));
        }
    }
    left
}
