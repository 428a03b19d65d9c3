//! `hawiz doctor` on what a console user builds: seed 002's lab VPC with its
//! `inventory_DB` group open to the VPC's range and a single-AZ database, and seed
//! 000/001's load balancer in the private subnets with a group on EC2 checks at one
//! instance — all with Name tags, made by hand in the test. The findings, their JSON, the
//! region's list with a verdict each, a hawiz stack with no high finding, and the input
//! refused with exit 2. Nothing is created or changed by doctor (read back).

use crate::support::*;

/// The hand-built lab (`support::lab`), then what seeds 002 and 004 added by hand: one
/// NAT gateway for both AZs, the database's group open to the VPC's range, a single-AZ
/// database without backups; seeds 000/001's load balancer in the private subnets and a
/// group on EC2 checks. Returns (VPC ID, the database's group ID).
async fn seed_lab(aws: &hawiz::aws::Clients) -> (String, String) {
    let ec2 = &aws.ec2;
    let lab = crate::support::lab::lab_by_hand(ec2).await;
    let vpc = lab.vpc.clone();
    let subnets: Vec<String> = lab
        .public
        .iter()
        .chain(lab.private.iter())
        .map(|s| s.id.clone())
        .collect();
    // Seed 004: AZ c's private subnet goes out through AZ a's NAT gateway.
    ec2.replace_route()
        .route_table_id(&lab.private_rt[1])
        .destination_cidr_block("0.0.0.0/0")
        .nat_gateway_id(&lab.nat[0])
        .send()
        .await
        .unwrap();
    let group = |name: &'static str| {
        let (ec2, vpc) = (ec2.clone(), vpc.clone());
        async move {
            ec2.create_security_group()
                .group_name(name)
                .description(name)
                .vpc_id(vpc)
                .send()
                .await
                .unwrap()
                .group_id()
                .unwrap()
                .to_string()
        }
    };
    let db_sg = group("inventory_DB").await;
    ec2.authorize_security_group_ingress()
        .group_id(&db_sg)
        .ip_protocol("tcp")
        .from_port(3306)
        .to_port(3306)
        .cidr_ip("10.20.0.0/16")
        .send()
        .await
        .unwrap();
    let alb_sg = group("lab-alb").await;
    // Seed 000: the web servers' group open to the world on 80, kept behind the ALB.
    let web_sg = group("lab-web").await;
    ec2.authorize_security_group_ingress()
        .group_id(&web_sg)
        .ip_protocol("tcp")
        .from_port(80)
        .to_port(80)
        .cidr_ip("0.0.0.0/0")
        .send()
        .await
        .unwrap();
    aws.rds
        .create_db_subnet_group()
        .db_subnet_group_name("lab-db-subnets")
        .db_subnet_group_description("lab")
        .subnet_ids(&subnets[2])
        .subnet_ids(&subnets[3])
        .send()
        .await
        .unwrap();
    aws.rds
        .create_db_instance()
        .db_instance_identifier("inventory")
        .engine("mariadb")
        .engine_version("10.11.8")
        .db_instance_class("db.t3.micro")
        .allocated_storage(20)
        .master_username("admin")
        .master_user_password("a-long-lab-password-1")
        .db_subnet_group_name("lab-db-subnets")
        .vpc_security_group_ids(&db_sg)
        .backup_retention_period(0)
        .send()
        .await
        .unwrap();
    // Seeds 000/001: the load balancer in the private subnets; a group on EC2 checks.
    let lb = aws
        .elb
        .create_load_balancer()
        .name("lab-alb")
        .subnets(&subnets[2])
        .subnets(&subnets[3])
        .security_groups(&alb_sg)
        .send()
        .await
        .unwrap();
    let lb = lb.load_balancers()[0].clone();
    let (lb_arn, lb_dns, lb_zone) = (
        lb.load_balancer_arn().unwrap().to_string(),
        lb.dns_name().unwrap().to_string(),
        lb.canonical_hosted_zone_id().unwrap().to_string(),
    );
    let tg = aws
        .elb
        .create_target_group()
        .name("lab-tg")
        .protocol(aws_sdk_elasticloadbalancingv2::types::ProtocolEnum::Http)
        .port(80)
        .vpc_id(&vpc)
        // Made to pass while WordPress redirects / to its installer.
        .matcher(
            aws_sdk_elasticloadbalancingv2::types::Matcher::builder()
                .http_code("200-399")
                .build(),
        )
        .send()
        .await
        .unwrap();
    let tg = tg.target_groups()[0]
        .target_group_arn()
        .unwrap()
        .to_string();
    aws.elb
        .create_listener()
        .load_balancer_arn(&lb_arn)
        .protocol(aws_sdk_elasticloadbalancingv2::types::ProtocolEnum::Http)
        .port(80)
        .default_actions(
            aws_sdk_elasticloadbalancingv2::types::Action::builder()
                .r#type(aws_sdk_elasticloadbalancingv2::types::ActionTypeEnum::Forward)
                .target_group_arn(&tg)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let image = ec2
        .describe_images()
        .owners("amazon")
        .send()
        .await
        .unwrap()
        .images()[0]
        .image_id()
        .unwrap()
        .to_string();
    // Seed 000's first web server, in a public subnet with its own address, still named
    // by the site's A record; the failover records of seed 003 as first tried by hand: a
    // PRIMARY with no health check, a SECONDARY on a check left disabled.
    let web = ec2
        .run_instances()
        .image_id(&image)
        .min_count(1)
        .max_count(1)
        .network_interfaces(
            aws_sdk_ec2::types::InstanceNetworkInterfaceSpecification::builder()
                .device_index(0)
                .subnet_id(&subnets[0])
                .associate_public_ip_address(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let web_ip = web.instances()[0]
        .public_ip_address()
        .expect("an address")
        .to_string();
    let zone = aws
        .route53
        .create_hosted_zone()
        .name("lab.example")
        .caller_reference("lab")
        .send()
        .await
        .unwrap();
    let zone = zone.hosted_zone().unwrap().id().to_string();
    let check = aws
        .route53
        .create_health_check()
        .caller_reference("lab-www")
        .health_check_config(
            aws_sdk_route53::types::HealthCheckConfig::builder()
                .r#type(aws_sdk_route53::types::HealthCheckType::Https)
                .fully_qualified_domain_name(&lb_dns)
                .disabled(true)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let check = check.health_check().unwrap().id().to_string();
    use aws_sdk_route53::types::{
        AliasTarget, Change, ChangeAction, ChangeBatch, ResourceRecord, ResourceRecordSet,
        ResourceRecordSetFailover, RrType,
    };
    let alias = |evaluate| {
        AliasTarget::builder()
            .hosted_zone_id(&lb_zone)
            .dns_name(&lb_dns)
            .evaluate_target_health(evaluate)
            .build()
            .unwrap()
    };
    let sets = [
        ResourceRecordSet::builder()
            .name("lab.example")
            .r#type(RrType::A)
            .ttl(300)
            .resource_records(ResourceRecord::builder().value(&web_ip).build().unwrap())
            .build()
            .unwrap(),
        ResourceRecordSet::builder()
            .name("www.lab.example")
            .r#type(RrType::A)
            .set_identifier("primary")
            .failover(ResourceRecordSetFailover::Primary)
            .alias_target(alias(false))
            .build()
            .unwrap(),
        ResourceRecordSet::builder()
            .name("www.lab.example")
            .r#type(RrType::A)
            .set_identifier("secondary")
            .failover(ResourceRecordSetFailover::Secondary)
            .health_check_id(&check)
            .alias_target(alias(true))
            .build()
            .unwrap(),
    ];
    aws.route53
        .change_resource_record_sets()
        .hosted_zone_id(&zone)
        .change_batch(
            ChangeBatch::builder()
                .set_changes(Some(
                    sets.into_iter()
                        .map(|set| {
                            Change::builder()
                                .action(ChangeAction::Create)
                                .resource_record_set(set)
                                .build()
                                .unwrap()
                        })
                        .collect(),
                ))
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let lt = ec2
        .create_launch_template()
        .launch_template_name("lab-lt")
        .launch_template_data(
            aws_sdk_ec2::types::RequestLaunchTemplateData::builder()
                .image_id(image)
                .instance_type(aws_sdk_ec2::types::InstanceType::T3Micro)
                .security_group_ids(&web_sg)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let lt = lt
        .launch_template()
        .unwrap()
        .launch_template_id()
        .unwrap()
        .to_string();
    aws.autoscaling
        .create_auto_scaling_group()
        .auto_scaling_group_name("lab-asg")
        .launch_template(
            aws_sdk_autoscaling::types::LaunchTemplateSpecification::builder()
                .launch_template_id(lt)
                .version("$Latest")
                .build(),
        )
        .min_size(1)
        .max_size(2)
        .vpc_zone_identifier(format!("{},{}", subnets[2], subnets[3]))
        .target_group_arns(tg)
        .send()
        .await
        .unwrap();
    (vpc, db_sg)
}

#[tokio::test(flavor = "multi_thread")]
async fn doctor_finds_the_seeds_mistakes_and_none_high_in_a_hawiz_stack() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    let aws = moto.clients().await;
    let (vpc, db_sg) = seed_lab(&aws).await;
    let before = aws
        .ec2
        .describe_security_groups()
        .group_ids(&db_sg)
        .send()
        .await
        .unwrap();

    let run = moto.run(home.path(), &["doctor", "--vpc", &vpc, "--region", REGION]);
    assert_eq!(run.code, 1, "high findings: {}\n{}", run.stdout, run.stderr);
    for said in [
        "[HIGH] database inventory's group admits port 3306 from 10.20.0.0/16",
        "[medium] this private subnet in ap-northeast-2c goes out through NAT gateway",
        "[HIGH] the database is single-AZ (inventory)",
        "[HIGH] the internet-facing load balancer is in subnets with no route to an Internet gateway",
        "\"Your load balancer must be in public subnets\"",
        "[HIGH] the group's minimum is 1 (lab-asg)",
        "[medium] the group replaces instances on EC2's status checks only (lab-asg)",
        "[medium] DNS hostnames are off in this VPC (lab-vpc",
        "aws elbv2 set-subnets --load-balancer-arn",
        "[medium] the app's instances share no file system",
        "[medium] the launch template allows instance metadata without a token (IMDSv1) (lab-lt)",
        "[info] the group has no scaling policy (lab-asg)",
        "[info] the health check counts a redirect as healthy (codes 200-399) (lab-tg",
        "[medium] the database takes connections without TLS (require_secure_transport is off) (inventory)",
        "--db-parameter-group-family mariadb10.11",
        "[HIGH] the site's name points at instance",
        "(lab.example A (zone ",
        "[HIGH] the PRIMARY failover record has no health check (and does not evaluate its target's health) (www.lab.example A (primary",
        "is disabled (www.lab.example A (secondary",
        "[medium] the app's group (template lab-lt) admits port 80 from the whole internet (lab-web (sg-",
    ] {
        assert!(run.stdout.contains(said), "{said}:\n{}", run.stdout);
    }
    assert!(!run.stdout.contains("not checked"), "{}", run.stdout);
    assert!(
        run.stdout.find("[HIGH]") < run.stdout.find("[medium]"),
        "highs first: {}",
        run.stdout
    );

    // The JSON, by its documented shape; Korean words in Korean.
    let json = moto.run(
        home.path(),
        &[
            "doctor", "--vpc", &vpc, "--region", REGION, "--json", "--lang", "ko",
        ],
    );
    assert_eq!(json.code, 1);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["vpc"], vpc.as_str());
    assert_eq!(v["name"], "lab-vpc");
    assert_eq!(v["region"], REGION);
    let findings = v["findings"].as_array().unwrap();
    let db = findings
        .iter()
        .find(|f| f["check"] == "db-open-to-cidr")
        .unwrap();
    assert_eq!(db["severity"], "high");
    assert!(db["resource"].as_str().unwrap().contains(&db_sg));
    assert!(db["why"].as_str().unwrap().contains("데이터베이스"), "{db}");
    assert!(db["fix"].as_str().unwrap().contains("--source-group"));
    assert_eq!(v["high"].as_u64(), Some(7), "{}", json.stdout);

    // The region's list: each VPC with its verdict (moto's default VPC too).
    let list = moto.run(home.path(), &["doctor", "--region", REGION]);
    assert_eq!(list.code, 1, "{}", list.stdout);
    let line = list
        .stdout
        .lines()
        .find(|l| l.contains(&vpc))
        .unwrap_or_else(|| panic!("{}", list.stdout));
    assert!(
        line.contains("lab-vpc") && line.contains("7 high"),
        "{line}"
    );

    // A read these credentials may not make: said as not checked, with the statement
    // that allows it; the rest is still checked.
    let proxy = crate::support::proxy::Proxy::start(
        &moto.endpoint,
        crate::support::proxy::Faults {
            permanent: vec![crate::support::proxy::Permanent {
                op: "DescribeDBInstances".into(),
                contains: String::new(),
                code: "AccessDenied".into(),
                message: "User is not authorized to perform: rds:DescribeDBInstances".into(),
            }],
            ..Default::default()
        },
    );
    let out = crate::support::hawiz_command(&proxy.endpoint, home.path())
        .args(["doctor", "--vpc", &vpc, "--region", REGION])
        .output()
        .unwrap();
    let denied = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{denied}");
    assert!(
        denied.contains(
            "not checked: databases could not be read (DescribeDBInstances failed: AccessDenied"
        ),
        "{denied}"
    );
    assert!(denied.contains("ReadEverythingHawizLooksAt"), "{denied}");
    assert!(!denied.contains("(inventory)"), "{denied}");
    assert!(
        denied.contains("[HIGH] the group's minimum is 1"),
        "{denied}"
    );

    // Read only: the group is as it was.
    let after = aws
        .ec2
        .describe_security_groups()
        .group_ids(&db_sg)
        .send()
        .await
        .unwrap();
    assert_eq!(
        before.security_groups()[0].ip_permissions(),
        after.security_groups()[0].ip_permissions()
    );

    // From findings to a fix: a plan that adopts the VPC, which `hawiz plan` reads.
    let written = home.path().join("adopt.toml");
    let w = written.to_str().unwrap();
    let run = moto.run(
        home.path(),
        &[
            "doctor",
            "--vpc",
            &vpc,
            "--region",
            REGION,
            "--write-plan",
            w,
        ],
    );
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("Plan written"), "{}", run.stderr);
    let plan = hawiz::plan::Plan::load(&written).unwrap();
    assert_eq!(plan.stack.name, "lab-vpc");
    assert_eq!(plan.network.vpc_id, vpc);
    assert_eq!(plan.network.public_subnet_ids.len(), 2);
    assert_eq!(plan.network.private_subnet_ids.len(), 2);
    // (This machine cannot look its public address up: the test names one.)
    let mut plan = plan;
    plan.bastion.ssh_cidr = "203.0.113.10/32".into();
    hawiz::plan::file::save(&written, &plan).unwrap();
    let shown = moto.run(home.path(), &["plan", w]);
    assert!(
        shown.stdout.contains("+   rds-instance      lab-vpc-db"),
        "{}\n{}",
        shown.stdout,
        shown.stderr
    );
    let again = moto.run(
        home.path(),
        &[
            "doctor",
            "--vpc",
            &vpc,
            "--region",
            REGION,
            "--write-plan",
            w,
        ],
    );
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);

    // A stack hawiz built: no high finding.
    let plan = stack_plan(home.path(), "doc1", "");
    moto.run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    let ours = moto.run(home.path(), &["doctor", "doc1"]);
    assert_eq!(ours.code, 0, "{}\n{}", ours.stdout, ours.stderr);
    assert!(!ours.stdout.contains("[HIGH]"), "{}", ours.stdout);
    assert!(!ours.stdout.contains("stack's plan"), "{}", ours.stdout);
    // The emulator starts a group's instances in one subnet: said where it shows.
    assert!(
        ours.stdout
            .contains("here the emulator starts every instance of a group in its first subnet"),
        "{}",
        ours.stdout
    );
    // Changed by hand in the console: read by the kind itself, as `status` reads it.
    let groups = aws.elb.describe_target_groups().send().await.unwrap();
    let tg = groups
        .target_groups()
        .iter()
        .find(|t| t.target_group_name().is_some_and(|n| n.starts_with("doc1")))
        .unwrap();
    aws.elb
        .modify_target_group()
        .target_group_arn(tg.target_group_arn().unwrap())
        .health_check_interval_seconds(30)
        .send()
        .await
        .unwrap();
    let drifted = moto.run(home.path(), &["doctor", "doc1"]);
    assert_eq!(drifted.code, 0, "{}\n{}", drifted.stdout, drifted.stderr);
    assert!(
        drifted
            .stdout
            .contains("[medium] differs from the stack's plan: health check interval s"),
        "{}",
        drifted.stdout
    );
    assert!(
        drifted
            .stdout
            .contains("fix: hawiz apply doc1 puts it back"),
        "{}",
        drifted.stdout
    );

    // Bad input: named, exit 2, nothing read.
    for (args, said) in [
        (
            vec!["doctor", "--vpc", "vpc-xyz"],
            "\"vpc-xyz\" is not a VPC ID",
        ),
        (
            vec![
                "doctor",
                "--vpc",
                "vpc-0123456789abcdef0",
                "--region",
                REGION,
            ],
            "there is no VPC vpc-0123456789abcdef0 in ap-northeast-2",
        ),
        (
            vec!["doctor", "--vpc", &vpc, "--region", "seoul"],
            "\"seoul\" is not an AWS region",
        ),
        (
            vec!["doctor", "nosuch"],
            "no stack named \"nosuch\" is saved",
        ),
        (
            vec!["doctor", "doc1", "--vpc", &vpc],
            "name a stack or a VPC (--vpc), not both",
        ),
    ] {
        let r = moto.run(home.path(), &args);
        assert_eq!(r.code, 2, "{args:?}: {}\n{}", r.stdout, r.stderr);
        assert!(r.stderr.contains(said), "{args:?}: {}", r.stderr);
    }
}
