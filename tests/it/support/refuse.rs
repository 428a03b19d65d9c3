//! The deletes AWS refuses while something still depends on the resource, and moto lets
//! through. The proxy asks moto (plain describe calls, straight to moto) what is still
//! there before forwarding such a delete, and answers `DependencyViolation` with AWS's
//! own wording if anything is: so a destroy that passes the proxy deletes in an order
//! AWS accepts, rather than one only moto accepts.

use super::proxy::Call;
use hawiz::aws::Clients;

type Found = Result<Vec<String>, String>;

/// Why AWS would refuse this call now, or `None` to let it through.
pub async fn premature(aws: &Clients, call: &Call) -> Option<String> {
    let param = |k: &str| call.params.get(k).cloned();
    let (blockers, message) = match call.op.as_str() {
        "DeleteSubnet" => {
            let id = param("SubnetId")?;
            (
                subnet_users(aws, &id).await,
                format!("The subnet '{id}' has dependencies and cannot be deleted."),
            )
        }
        "DeleteSecurityGroup" => {
            let id = param("GroupId")?;
            (
                group_users(aws, &id).await,
                format!("resource {id} has a dependent object"),
            )
        }
        "DetachInternetGateway" => {
            let vpc = param("VpcId")?;
            (
                mapped_addresses(aws, &vpc).await,
                format!(
                    "Network {vpc} has some mapped public address(es). Please unmap those \
                     public address(es) before detaching the gateway."
                ),
            )
        }
        "DeleteVpc" => {
            let id = param("VpcId")?;
            (
                vpc_contents(aws, &id).await,
                format!("The vpc '{id}' has dependencies and cannot be deleted."),
            )
        }
        _ => return None,
    };
    match blockers {
        Ok(list) if list.is_empty() => None,
        Ok(list) => Some(format!("{message} [test proxy: {}]", list.join(", "))),
        Err(e) => {
            // A check that cannot be made lets the call through: the assertions after the
            // destroy still see what is left.
            eprintln!("test proxy: cannot check {}: {e}", call.op);
            None
        }
    }
}

fn err(e: impl std::fmt::Debug) -> String {
    format!("{e:?}")
}

fn gone(state: Option<&str>) -> bool {
    matches!(state, Some("deleted" | "failed" | "terminated"))
}

async fn nat_gateways(aws: &Clients) -> Result<Vec<aws_sdk_ec2::types::NatGateway>, String> {
    let out = aws.ec2.describe_nat_gateways().send().await.map_err(err)?;
    Ok(out
        .nat_gateways()
        .iter()
        .filter(|g| !gone(g.state().map(|s| s.as_str())))
        .cloned()
        .collect())
}

/// Live (not terminated) instances matching a filter.
async fn instances(
    aws: &Clients,
    filter: &str,
    value: &str,
) -> Result<Vec<aws_sdk_ec2::types::Instance>, String> {
    let out = aws
        .ec2
        .describe_instances()
        .filters(hawiz::aws::ec2::filter(filter, value))
        .send()
        .await
        .map_err(err)?;
    Ok(out
        .reservations()
        .iter()
        .flat_map(|r| r.instances())
        .filter(|i| !gone(i.state().and_then(|s| s.name()).map(|n| n.as_str())))
        .cloned()
        .collect())
}

async fn load_balancers(
    aws: &Clients,
) -> Result<Vec<aws_sdk_elasticloadbalancingv2::types::LoadBalancer>, String> {
    let out = aws
        .elb
        .describe_load_balancers()
        .send()
        .await
        .map_err(err)?;
    Ok(out.load_balancers().to_vec())
}

/// Every live mount target, with its security groups.
async fn mount_targets(aws: &Clients) -> Result<Vec<(String, String, Vec<String>)>, String> {
    let mut fss = Vec::new();
    let mut pages = aws.efs.describe_file_systems().into_paginator().send();
    while let Some(page) = pages.next().await {
        fss.extend(
            page.map_err(err)?
                .file_systems()
                .iter()
                .map(|f| f.file_system_id().to_string()),
        );
    }
    let mut mts = Vec::new();
    for fs in fss {
        let out = aws
            .efs
            .describe_mount_targets()
            .file_system_id(&fs)
            .send()
            .await
            .map_err(err)?;
        for m in out.mount_targets() {
            if gone(Some(m.life_cycle_state().as_str())) {
                continue;
            }
            let groups = aws
                .efs
                .describe_mount_target_security_groups()
                .mount_target_id(m.mount_target_id())
                .send()
                .await
                .map_err(err)?
                .security_groups()
                .to_vec();
            mts.push((
                m.mount_target_id().to_string(),
                m.subnet_id().to_string(),
                groups,
            ));
        }
    }
    Ok(mts)
}

async fn databases(aws: &Clients) -> Result<Vec<aws_sdk_rds::types::DbInstance>, String> {
    let out = aws.rds.describe_db_instances().send().await.map_err(err)?;
    Ok(out.db_instances().to_vec())
}

/// A subnet holds network interfaces of NAT gateways, load balancers, mount targets,
/// instances and databases.
async fn subnet_users(aws: &Clients, subnet: &str) -> Found {
    let mut found = Vec::new();
    for g in nat_gateways(aws).await? {
        if g.subnet_id() == Some(subnet) {
            found.push(format!("NAT gateway {}", g.nat_gateway_id().unwrap_or("?")));
        }
    }
    for lb in load_balancers(aws).await? {
        if lb
            .availability_zones()
            .iter()
            .any(|z| z.subnet_id() == Some(subnet))
        {
            found.push(format!(
                "load balancer {}",
                lb.load_balancer_name().unwrap_or("?")
            ));
        }
    }
    for (id, s, _) in mount_targets(aws).await? {
        if s == subnet {
            found.push(format!("mount target {id}"));
        }
    }
    for i in instances(aws, "subnet-id", subnet).await? {
        found.push(format!("instance {}", i.instance_id().unwrap_or("?")));
    }
    for db in databases(aws).await? {
        let in_it = db.db_subnet_group().is_some_and(|g| {
            g.subnets()
                .iter()
                .any(|s| s.subnet_identifier() == Some(subnet))
        });
        if in_it {
            found.push(format!(
                "database {}",
                db.db_instance_identifier().unwrap_or("?")
            ));
        }
    }
    Ok(found)
}

/// A group is in use while an instance, network interface, mount target, load balancer or
/// database has it, or while another group's rule names it.
async fn group_users(aws: &Clients, group: &str) -> Found {
    let mut found = Vec::new();
    for i in instances(aws, "instance.group-id", group).await? {
        found.push(format!("instance {}", i.instance_id().unwrap_or("?")));
    }
    let enis = aws
        .ec2
        .describe_network_interfaces()
        .filters(hawiz::aws::ec2::filter("group-id", group))
        .send()
        .await
        .map_err(err)?;
    // An instance's own interface goes with it on AWS (moto keeps it, attached to the
    // terminated instance): live instances were counted above.
    for n in enis
        .network_interfaces()
        .iter()
        .filter(|n| n.attachment().and_then(|a| a.instance_id()).is_none())
    {
        found.push(format!(
            "network interface {}",
            n.network_interface_id().unwrap_or("?")
        ));
    }
    for (id, _, groups) in mount_targets(aws).await? {
        if groups.iter().any(|g| g == group) {
            found.push(format!("mount target {id}"));
        }
    }
    for lb in load_balancers(aws).await? {
        if lb.security_groups().iter().any(|g| g == group) {
            found.push(format!(
                "load balancer {}",
                lb.load_balancer_name().unwrap_or("?")
            ));
        }
    }
    for db in databases(aws).await? {
        if db
            .vpc_security_groups()
            .iter()
            .any(|g| g.vpc_security_group_id() == Some(group))
        {
            found.push(format!(
                "database {}",
                db.db_instance_identifier().unwrap_or("?")
            ));
        }
    }
    let all = aws
        .ec2
        .describe_security_groups()
        .send()
        .await
        .map_err(err)?;
    for g in all.security_groups() {
        if g.group_id() == Some(group) {
            continue;
        }
        let names_it = g
            .ip_permissions()
            .iter()
            .chain(g.ip_permissions_egress())
            .flat_map(|p| p.user_id_group_pairs())
            .any(|pair| pair.group_id() == Some(group));
        if names_it {
            found.push(format!("a rule of {}", g.group_id().unwrap_or("?")));
        }
    }
    Ok(found)
}

/// Public addresses mapped in the VPC: NAT gateways (their Elastic IPs), Elastic IPs
/// associated with its interfaces or instances, instances with a public address, and
/// internet-facing load balancers.
async fn mapped_addresses(aws: &Clients, vpc: &str) -> Found {
    let mut found = Vec::new();
    for g in nat_gateways(aws).await? {
        if g.vpc_id() == Some(vpc) {
            found.push(format!("NAT gateway {}", g.nat_gateway_id().unwrap_or("?")));
        }
    }
    let live = instances(aws, "vpc-id", vpc).await?;
    let enis = aws
        .ec2
        .describe_network_interfaces()
        .filters(hawiz::aws::ec2::filter("vpc-id", vpc))
        .send()
        .await
        .map_err(err)?;
    let addresses = aws.ec2.describe_addresses().send().await.map_err(err)?;
    for a in addresses.addresses() {
        let on_eni = a.network_interface_id().is_some_and(|n| {
            enis.network_interfaces()
                .iter()
                .any(|e| e.network_interface_id() == Some(n))
        });
        let on_instance = a
            .instance_id()
            .is_some_and(|i| live.iter().any(|l| l.instance_id() == Some(i)));
        if a.association_id().is_some() && (on_eni || on_instance) {
            found.push(format!("Elastic IP {}", a.public_ip().unwrap_or("?")));
        }
    }
    for i in &live {
        if let Some(ip) = i.public_ip_address() {
            found.push(format!(
                "instance {} with public address {ip}",
                i.instance_id().unwrap_or("?")
            ));
        }
    }
    for lb in load_balancers(aws).await? {
        let public = lb.scheme().map(|s| s.as_str()) == Some("internet-facing");
        if public && lb.vpc_id() == Some(vpc) {
            found.push(format!(
                "internet-facing load balancer {}",
                lb.load_balancer_name().unwrap_or("?")
            ));
        }
    }
    Ok(found)
}

/// A VPC can go only when nothing is left in it but its main route table and default
/// security group.
async fn vpc_contents(aws: &Clients, vpc: &str) -> Found {
    let f = || hawiz::aws::ec2::filter("vpc-id", vpc);
    let mut found = Vec::new();
    let subnets = aws
        .ec2
        .describe_subnets()
        .filters(f())
        .send()
        .await
        .map_err(err)?;
    for s in subnets.subnets() {
        found.push(format!("subnet {}", s.subnet_id().unwrap_or("?")));
    }
    let igws = aws
        .ec2
        .describe_internet_gateways()
        .filters(hawiz::aws::ec2::filter("attachment.vpc-id", vpc))
        .send()
        .await
        .map_err(err)?;
    for g in igws.internet_gateways() {
        found.push(format!(
            "internet gateway {}",
            g.internet_gateway_id().unwrap_or("?")
        ));
    }
    let tables = aws
        .ec2
        .describe_route_tables()
        .filters(f())
        .send()
        .await
        .map_err(err)?;
    for t in tables.route_tables() {
        if !t.associations().iter().any(|a| a.main() == Some(true)) {
            found.push(format!("route table {}", t.route_table_id().unwrap_or("?")));
        }
    }
    let groups = aws
        .ec2
        .describe_security_groups()
        .filters(f())
        .send()
        .await
        .map_err(err)?;
    for g in groups.security_groups() {
        if g.group_name() != Some("default") {
            found.push(format!("security group {}", g.group_id().unwrap_or("?")));
        }
    }
    for g in nat_gateways(aws).await? {
        if g.vpc_id() == Some(vpc) {
            found.push(format!("NAT gateway {}", g.nat_gateway_id().unwrap_or("?")));
        }
    }
    for i in instances(aws, "vpc-id", vpc).await? {
        found.push(format!("instance {}", i.instance_id().unwrap_or("?")));
    }
    for lb in load_balancers(aws).await? {
        if lb.vpc_id() == Some(vpc) {
            found.push(format!(
                "load balancer {}",
                lb.load_balancer_name().unwrap_or("?")
            ));
        }
    }
    Ok(found)
}
