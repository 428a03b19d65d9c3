//! The whole HA stack against moto, checked from outside with describe calls: the tiers,
//! the security rules, encryption, HTTPS, DNS, tags; then re-apply and destroy.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;

use aws_sdk_ec2::types::{Filter, IpPermission};
use hawiz::aws::Clients;
use std::collections::BTreeSet;
use support::*;

fn f(name: &str, value: &str) -> Filter {
    Filter::builder().name(name).values(value).build()
}

/// How each subnet's default route leaves: "igw", "nat" or "none".
async fn egress(aws: &Clients, subnet: &str) -> &'static str {
    let vpc = aws
        .ec2
        .describe_subnets()
        .subnet_ids(subnet)
        .send()
        .await
        .unwrap();
    let vpc = vpc.subnets()[0].vpc_id().unwrap().to_string();
    let tables = aws
        .ec2
        .describe_route_tables()
        .filters(f("vpc-id", &vpc))
        .send()
        .await
        .unwrap();
    let tables = tables.route_tables();
    let table = governing(tables, subnet);
    match table
        .routes()
        .iter()
        .find(|r| r.destination_cidr_block() == Some("0.0.0.0/0"))
    {
        Some(r) if r.gateway_id().is_some_and(|g| g.starts_with("igw-")) => "igw",
        Some(r) if r.nat_gateway_id().is_some() => "nat",
        _ => "none",
    }
}

/// A security group's ingress as (port, source) with sources named: a CIDR, or the Name
/// tag of the source group.
async fn ingress(aws: &Clients, name: &str) -> BTreeSet<(i32, String)> {
    let groups = aws
        .ec2
        .describe_security_groups()
        .filters(f("tag:Name", name))
        .send()
        .await
        .unwrap();
    let group = &groups.security_groups()[0];
    let mut out = BTreeSet::new();
    let perms: &[IpPermission] = group.ip_permissions();
    for p in perms {
        let port = p.from_port().unwrap_or(-1);
        assert_eq!(p.from_port(), p.to_port(), "{name}: single ports only");
        for r in p.ip_ranges() {
            out.insert((port, r.cidr_ip().unwrap().to_string()));
        }
        for g in p.user_id_group_pairs() {
            let src = aws
                .ec2
                .describe_security_groups()
                .group_ids(g.group_id().unwrap())
                .send()
                .await
                .unwrap();
            out.insert((
                port,
                tag(src.security_groups()[0].tags(), "Name")
                    .unwrap()
                    .to_string(),
            ));
        }
    }
    out
}

fn set(items: &[(i32, &str)]) -> BTreeSet<(i32, String)> {
    items.iter().map(|(p, s)| (*p, s.to_string())).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn full_stack_is_tiered_encrypted_tagged_and_destroyed_completely() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    let plan = stack_plan(home.path(), "web", DOMAIN);
    let run = moto
        .run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    assert!(
        run.stdout
            .contains("Stack \"web\" is ready: 56 created, 1 already there."),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("Site:  https://www.wplab.click/"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("ssh -J ec2-user@"), "{}", run.stdout);
    let aws = moto.clients().await;

    // --- Load balancer in public subnets, app in private subnets behind NAT.
    let lbs = aws
        .elb
        .describe_load_balancers()
        .names("web-alb")
        .send()
        .await
        .unwrap();
    let lb = &lbs.load_balancers()[0];
    assert_eq!(lb.scheme().unwrap().as_str(), "internet-facing");
    let alb_subnets: Vec<String> = lb
        .availability_zones()
        .iter()
        .filter_map(|z| z.subnet_id().map(str::to_string))
        .collect();
    assert_eq!(alb_subnets.len(), 2);
    for s in &alb_subnets {
        assert_eq!(egress(&aws, s).await, "igw", "ALB subnet {s}");
    }
    let groups = aws
        .autoscaling
        .describe_auto_scaling_groups()
        .auto_scaling_group_names("web-app")
        .send()
        .await
        .unwrap();
    let asg = &groups.auto_scaling_groups()[0];
    let asg_subnets: Vec<&str> = asg.vpc_zone_identifier().unwrap().split(',').collect();
    assert_eq!(asg_subnets.len(), 2);
    for s in &asg_subnets {
        assert_eq!(egress(&aws, s).await, "nat", "ASG subnet {s}");
    }
    assert_eq!(
        (asg.min_size(), asg.desired_capacity(), asg.max_size()),
        (Some(2), Some(2), Some(4))
    );
    assert_eq!(asg.health_check_type(), Some("ELB"));
    assert_eq!(asg.health_check_grace_period(), Some(300));
    assert_eq!(asg.target_group_arns().len(), 1);
    assert!(asg.tags().iter().any(|t| t.key() == Some("Name")
        && t.value() == Some("web-app")
        && t.propagate_at_launch() == Some(true)));
    let policies = aws
        .autoscaling
        .describe_policies()
        .auto_scaling_group_name("web-app")
        .send()
        .await
        .unwrap();
    let tt = policies.scaling_policies()[0]
        .target_tracking_configuration()
        .unwrap();
    assert_eq!(tt.target_value(), Some(80.0));
    assert_eq!(
        tt.predefined_metric_specification()
            .unwrap()
            .predefined_metric_type()
            .map(|m| m.as_str()),
        Some("ASGAverageCPUUtilization")
    );

    // --- Security groups tiered exactly.
    assert_eq!(
        ingress(&aws, "web-alb").await,
        set(&[(80, "0.0.0.0/0"), (443, "0.0.0.0/0")])
    );
    assert_eq!(
        ingress(&aws, "web-app").await,
        set(&[(80, "web-alb"), (22, "web-bastion")])
    );
    assert_eq!(ingress(&aws, "web-db").await, set(&[(3306, "web-app")]));
    assert_eq!(ingress(&aws, "web-efs").await, set(&[(2049, "web-app")]));
    assert_eq!(
        ingress(&aws, "web-bastion").await,
        set(&[(22, "203.0.113.10/32")])
    );

    // --- Bastion in a public subnet, key written 0600.
    let bastion = aws
        .ec2
        .describe_instances()
        .filters(f("tag:Name", "web-bastion"))
        .send()
        .await
        .unwrap();
    let bastion = &bastion.reservations()[0].instances()[0];
    assert_eq!(egress(&aws, bastion.subnet_id().unwrap()).await, "igw");
    assert_eq!(bastion.key_name(), Some("web-key"));
    assert_eq!(
        bastion
            .metadata_options()
            .unwrap()
            .http_tokens()
            .unwrap()
            .as_str(),
        "required"
    );
    let pem = home.path().join("stacks/web/web-key.pem");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&pem).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert!(
        std::fs::read_to_string(&pem)
            .unwrap()
            .contains("PRIVATE KEY")
    );

    // --- Database: Multi-AZ, encrypted, private, backed up, autoscaling storage.
    let dbs = aws
        .rds
        .describe_db_instances()
        .db_instance_identifier("web-db")
        .send()
        .await
        .unwrap();
    let db = &dbs.db_instances()[0];
    assert_eq!(db.multi_az(), Some(true));
    assert_eq!(db.storage_encrypted(), Some(true));
    assert_eq!(db.publicly_accessible(), Some(false));
    assert_eq!(db.engine(), Some("mariadb"));
    assert_eq!(db.max_allocated_storage(), Some(100));
    assert!(db.backup_retention_period().unwrap_or(0) > 0);
    let subnet_group = db.db_subnet_group().unwrap();
    for s in subnet_group.subnets() {
        assert_eq!(egress(&aws, s.subnet_identifier().unwrap()).await, "nat");
    }

    // --- Shared files: encrypted, a mount target in every private subnet.
    let fss = aws.efs.describe_file_systems().send().await.unwrap();
    let fs = fss
        .file_systems()
        .iter()
        .find(|f| f.name() == Some("web-efs"))
        .unwrap();
    assert_eq!(fs.encrypted(), Some(true));
    let mts = aws
        .efs
        .describe_mount_targets()
        .file_system_id(fs.file_system_id())
        .send()
        .await
        .unwrap();
    let mt_subnets: BTreeSet<&str> = mts.mount_targets().iter().map(|m| m.subnet_id()).collect();
    assert_eq!(mt_subnets, asg_subnets.iter().copied().collect());

    // --- Launch template: IMDSv2, app SG, user data without the password.
    let lts = aws
        .ec2
        .describe_launch_templates()
        .launch_template_names("web-app")
        .send()
        .await
        .unwrap();
    let lt_id = lts.launch_templates()[0].launch_template_id().unwrap();
    let versions = aws
        .ec2
        .describe_launch_template_versions()
        .launch_template_id(lt_id)
        .send()
        .await
        .unwrap();
    let data = versions.launch_template_versions()[0]
        .launch_template_data()
        .unwrap();
    assert_eq!(
        data.metadata_options()
            .unwrap()
            .http_tokens()
            .unwrap()
            .as_str(),
        "required"
    );
    let user_data = hawiz::userdata::decode(data.user_data().unwrap()).unwrap();
    assert!(user_data.starts_with("#cloud-config"));
    assert!(user_data.contains(&format!("FILE_SYSTEM={}", fs.file_system_id())));
    let password = aws
        .ssm
        .get_parameter()
        .name("/hawiz/web/db-password")
        .with_decryption(true)
        .send()
        .await
        .unwrap()
        .parameter()
        .unwrap()
        .value()
        .unwrap()
        .to_string();
    assert!(password.len() >= 32);
    assert!(
        !user_data.contains(&password),
        "the password must not travel in user data"
    );
    let endpoint = aws
        .ssm
        .get_parameter()
        .name("/hawiz/web/db-endpoint")
        .send()
        .await
        .unwrap();
    assert_eq!(
        endpoint.parameter().unwrap().value(),
        db.endpoint().unwrap().address()
    );

    // --- Secrets: not in the state dir, the plan, or anything hawiz printed.
    let mut everything =
        run.stdout.clone() + &run.stderr + &std::fs::read_to_string(&plan).unwrap();
    for entry in std::fs::read_dir(home.path().join("stacks/web")).unwrap() {
        everything += &std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default();
    }
    assert!(
        !everything.contains(&password),
        "the DB password leaked into files or output"
    );

    // --- Least privilege: the instance role reads this stack's parameters only.
    let policy = aws
        .iam
        .get_role_policy()
        .role_name("hawiz-web-ap-northeast-2-app")
        .policy_name("read-stack-parameters")
        .send()
        .await
        .unwrap();
    let doc = policy.policy_document();
    let doc = if doc.contains('%') {
        doc.replace("%22", "\"")
            .replace("%3A", ":")
            .replace("%2F", "/")
            .replace("%2A", "*")
    } else {
        doc.to_string()
    };
    assert!(
        doc.contains("ssm:GetParameter") && doc.contains("parameter/hawiz/web/*"),
        "{doc}"
    );

    // --- Target group and listeners: health check, HTTPS with a current policy, 301.
    let tgs = aws
        .elb
        .describe_target_groups()
        .names("web-tg")
        .send()
        .await
        .unwrap();
    let tg = &tgs.target_groups()[0];
    assert_eq!(tg.health_check_interval_seconds(), Some(10));
    assert_eq!(tg.healthy_threshold_count(), Some(2));
    // hawiz's own health path answers 200 only once WordPress is installed on the
    // instance; a redirect or an error is not healthy.
    assert_eq!(tg.health_check_path(), Some("/hawiz-health"));
    assert_eq!(tg.matcher().unwrap().http_code(), Some("200"));
    let listeners = aws
        .elb
        .describe_listeners()
        .load_balancer_arn(lb.load_balancer_arn().unwrap())
        .send()
        .await
        .unwrap();
    let by_port = |p: i32| {
        listeners
            .listeners()
            .iter()
            .find(|l| l.port() == Some(p))
            .unwrap()
    };
    let https = by_port(443);
    assert_eq!(
        https.ssl_policy(),
        Some("ELBSecurityPolicy-TLS13-1-2-2021-06")
    );
    assert_eq!(https.certificates().len(), 1);
    let http_action = &by_port(80).default_actions()[0];
    assert_eq!(http_action.r#type().unwrap().as_str(), "redirect");
    let redirect = http_action.redirect_config().unwrap();
    assert_eq!(
        (
            redirect.protocol(),
            redirect.status_code().unwrap().as_str()
        ),
        (Some("HTTPS"), "HTTP_301")
    );

    // --- Certificate issued for the domain and its wildcard, validated through the zone.
    let cert_arn = https.certificates()[0].certificate_arn().unwrap();
    let cert = aws
        .acm
        .describe_certificate()
        .certificate_arn(cert_arn)
        .send()
        .await
        .unwrap();
    let cert = cert.certificate().unwrap();
    assert_eq!(cert.status().unwrap().as_str(), "ISSUED");
    assert!(
        cert.subject_alternative_names()
            .contains(&"*.wplab.click".to_string())
    );
    let zones = aws
        .route53
        .list_hosted_zones_by_name()
        .dns_name("wplab.click.")
        .send()
        .await
        .unwrap();
    let zone = zones.hosted_zones()[0]
        .id()
        .trim_start_matches("/hostedzone/")
        .to_string();
    let records = aws
        .route53
        .list_resource_record_sets()
        .hosted_zone_id(&zone)
        .send()
        .await
        .unwrap();
    let records = records.resource_record_sets();
    for option in cert.domain_validation_options() {
        let cname = option.resource_record().unwrap().name();
        assert!(
            records
                .iter()
                .any(|r| r.name() == cname && r.r#type().as_str() == "CNAME"),
            "validation record {cname}"
        );
    }
    let alias = records
        .iter()
        .find(|r| r.name() == "www.wplab.click." && r.r#type().as_str() == "A")
        .unwrap();
    assert_eq!(
        alias
            .alias_target()
            .unwrap()
            .dns_name()
            .trim_end_matches('.'),
        lb.dns_name().unwrap().trim_end_matches('.'),
        "alias points at the ALB"
    );

    // --- Tags on every kind.
    let tagged =
        |tags: Vec<(String, String)>| tags.iter().any(|(k, v)| k == "hawiz:stack" && v == "web");
    let rds_tags = aws
        .rds
        .list_tags_for_resource()
        .resource_name(db.db_instance_arn().unwrap())
        .send()
        .await
        .unwrap();
    assert!(tagged(
        rds_tags
            .tag_list()
            .iter()
            .map(|t| (
                t.key().unwrap_or_default().into(),
                t.value().unwrap_or_default().into()
            ))
            .collect()
    ));
    assert!(tagged(
        fs.tags()
            .iter()
            .map(|t| (t.key().into(), t.value().into()))
            .collect()
    ));
    let elb_tags = aws
        .elb
        .describe_tags()
        .resource_arns(lb.load_balancer_arn().unwrap())
        .resource_arns(tg.target_group_arn().unwrap())
        .send()
        .await
        .unwrap();
    for d in elb_tags.tag_descriptions() {
        assert!(tagged(
            d.tags()
                .iter()
                .map(|t| (
                    t.key().unwrap_or_default().into(),
                    t.value().unwrap_or_default().into()
                ))
                .collect()
        ));
    }
    let acm_tags = aws
        .acm
        .list_tags_for_certificate()
        .certificate_arn(cert_arn)
        .send()
        .await
        .unwrap();
    assert!(tagged(
        acm_tags
            .tags()
            .iter()
            .map(|t| (t.key().into(), t.value().unwrap_or_default().into()))
            .collect()
    ));
    let ec2_tagged = aws
        .ec2
        .describe_tags()
        .filters(f("key", "hawiz:stack"))
        .filters(f("value", "web"))
        .send()
        .await
        .unwrap();
    let kinds: BTreeSet<String> = ec2_tagged
        .tags()
        .iter()
        .filter_map(|t| t.resource_type().map(|k| k.as_str().to_string()))
        .collect();
    for kind in [
        "vpc",
        "subnet",
        "security-group",
        "instance",
        "launch-template",
        "key-pair",
        "natgateway",
        "route-table",
        "internet-gateway",
    ] {
        assert!(
            kinds.contains(kind) || (kind == "natgateway" && kinds.contains("nat-gateway")),
            "no tagged {kind}: {kinds:?}"
        );
    }

    // --- status tells how to get in.
    let status = moto.run(home.path(), &["status", "web"]).ok();
    assert!(
        status.stdout.contains("57 of 57 resources present"),
        "{}",
        status.stdout
    );
    assert!(
        status.stdout.contains("ssh -J ec2-user@"),
        "{}",
        status.stdout
    );

    // --- Re-apply creates nothing.
    let again = moto
        .run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    assert_eq!(again.lines_with("creating"), 0, "{}", again.stdout);
    assert!(
        again.stdout.contains("0 created, 57 already there"),
        "{}",
        again.stdout
    );

    // --- Destroy leaves nothing, including the private key.
    let gone = moto.run(home.path(), &["destroy", "web", "--yes"]).ok();
    assert!(
        gone.stdout
            .contains("nothing tagged hawiz:stack=web remains"),
        "{}",
        gone.stdout
    );
    assert!(!pem.exists());
    assert!(
        aws.rds
            .describe_db_instances()
            .db_instance_identifier("web-db")
            .send()
            .await
            .is_err()
    );
    assert!(
        aws.elb
            .describe_load_balancers()
            .names("web-alb")
            .send()
            .await
            .is_err()
    );
    assert!(
        aws.autoscaling
            .describe_auto_scaling_groups()
            .auto_scaling_group_names("web-app")
            .send()
            .await
            .unwrap()
            .auto_scaling_groups()
            .is_empty()
    );
    let fss = aws.efs.describe_file_systems().send().await.unwrap();
    assert!(
        !fss.file_systems()
            .iter()
            .any(|f| f.name() == Some("web-efs"))
    );
    assert!(
        aws.ssm
            .get_parameter()
            .name("/hawiz/web/db-password")
            .send()
            .await
            .is_err()
    );
    assert!(
        aws.iam
            .get_role()
            .role_name("hawiz-web-ap-northeast-2-app")
            .send()
            .await
            .is_err()
    );
    let zones = aws
        .route53
        .list_hosted_zones_by_name()
        .dns_name("wplab.click.")
        .send()
        .await
        .unwrap();
    assert!(
        !zones
            .hosted_zones()
            .iter()
            .any(|z| z.name() == "wplab.click.")
    );
    let certs = aws.acm.list_certificates().send().await.unwrap();
    assert!(certs.certificate_summary_list().is_empty());
    assert_eq!(count(&aws.ec2, "web").await, NONE);
}

#[test]
fn bad_plans_are_refused_before_any_call() {
    // Nothing listens here: any AWS call would fail with a connection error instead.
    let home = tempfile::tempdir().unwrap();
    let cases = [
        (
            "[bastion]\nssh_cidr = \"0.0.0.0/0\"",
            "bastion.ssh_cidr: 0.0.0.0/0 opens SSH to the whole internet",
        ),
        (
            "[app]\nmin = 2\ndesired = 6\nmax = 4",
            "app.desired: 6 is outside the minimum to maximum instances (2 to 4)",
        ),
        (
            "[database]\nmulti_az = false",
            "database.multi_az: With Multi-AZ off the database sits in one AZ",
        ),
        (
            "[domain]\nname = \"wplab.click\"\nhost = \"a.b\"",
            "a wildcard covers one level only",
        ),
    ];
    for (i, (extra, message)) in cases.iter().enumerate() {
        let plan = home.path().join(format!("bad{i}.toml"));
        std::fs::write(&plan, format!("[stack]\nname = \"bad-{i}\"\n{extra}\n")).unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_hawiz"))
            .args(["apply", plan.to_str().unwrap(), "--yes"])
            .env("HAWIZ_HOME", home.path())
            .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
            .env("AWS_ACCESS_KEY_ID", "test")
            .env("AWS_SECRET_ACCESS_KEY", "test")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{extra}: {stderr}");
        assert!(
            stderr.contains(message),
            "{extra}: expected {message:?} in {stderr}"
        );
        assert!(stderr.contains("nothing was created"), "{stderr}");
    }
    assert!(
        !home.path().join("stacks").exists(),
        "no state for refused plans"
    );
}
