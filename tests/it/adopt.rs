//! Adopting a VPC built by hand, as a student following the lab would have.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;

use aws_sdk_ec2::Client;
use support::*;

struct Lab {
    vpc: String,
    public: Vec<String>,
    private: Vec<String>,
}

/// The lab's network, made with plain SDK calls and no hawiz tags.
async fn build_by_hand(ec2: &Client) -> Lab {
    let vpc = ec2
        .create_vpc()
        .cidr_block("10.20.0.0/16")
        .send()
        .await
        .unwrap();
    let vpc = vpc.vpc().unwrap().vpc_id().unwrap().to_string();
    let igw = ec2.create_internet_gateway().send().await.unwrap();
    let igw = igw
        .internet_gateway()
        .unwrap()
        .internet_gateway_id()
        .unwrap()
        .to_string();
    ec2.attach_internet_gateway()
        .internet_gateway_id(&igw)
        .vpc_id(&vpc)
        .send()
        .await
        .unwrap();
    let table = |vpc: String| async move {
        let t = ec2.create_route_table().vpc_id(vpc).send().await.unwrap();
        t.route_table()
            .unwrap()
            .route_table_id()
            .unwrap()
            .to_string()
    };
    let public_rt = table(vpc.clone()).await;
    ec2.create_route()
        .route_table_id(&public_rt)
        .destination_cidr_block("0.0.0.0/0")
        .gateway_id(&igw)
        .send()
        .await
        .unwrap();
    let mut lab = Lab {
        vpc: vpc.clone(),
        public: vec![],
        private: vec![],
    };
    for (i, az) in ["ap-northeast-2a", "ap-northeast-2c"].iter().enumerate() {
        let subnet = |cidr: String| {
            let vpc = vpc.clone();
            async move {
                let s = ec2
                    .create_subnet()
                    .vpc_id(vpc)
                    .cidr_block(cidr)
                    .availability_zone(*az)
                    .send()
                    .await
                    .unwrap();
                s.subnet().unwrap().subnet_id().unwrap().to_string()
            }
        };
        let public = subnet(format!("10.20.{i}.0/24")).await;
        ec2.associate_route_table()
            .route_table_id(&public_rt)
            .subnet_id(&public)
            .send()
            .await
            .unwrap();
        let eip = ec2
            .allocate_address()
            .domain(aws_sdk_ec2::types::DomainType::Vpc)
            .send()
            .await
            .unwrap();
        let nat = ec2
            .create_nat_gateway()
            .subnet_id(&public)
            .allocation_id(eip.allocation_id().unwrap())
            .send()
            .await
            .unwrap();
        let private = subnet(format!("10.20.{}.0/24", 10 + i)).await;
        let private_rt = table(vpc.clone()).await;
        ec2.create_route()
            .route_table_id(&private_rt)
            .destination_cidr_block("0.0.0.0/0")
            .nat_gateway_id(nat.nat_gateway().unwrap().nat_gateway_id().unwrap())
            .send()
            .await
            .unwrap();
        ec2.associate_route_table()
            .route_table_id(&private_rt)
            .subnet_id(&private)
            .send()
            .await
            .unwrap();
        lab.public.push(public);
        lab.private.push(private);
    }
    lab
}

fn adopt_plan(
    dir: &std::path::Path,
    stack: &str,
    lab: &Lab,
    public: &[&String],
    private: &[&String],
) -> std::path::PathBuf {
    let list = |ids: &[&String]| {
        ids.iter()
            .map(|s| format!("{s:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    plan_file(
        dir,
        stack,
        &format!(
            "vpc_id = {:?}\npublic_subnet_ids = [{}]\nprivate_subnet_ids = [{}]",
            lab.vpc,
            list(public),
            list(private)
        ),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn adopted_vpc_is_used_and_never_deleted() {
    let moto = Moto::start();
    let ec2 = moto.ec2();
    let lab = build_by_hand(&ec2).await;
    let vpcs_before = ec2.describe_vpcs().send().await.unwrap().vpcs().len();
    let home = tempfile::tempdir().unwrap();
    let plan = adopt_plan(
        home.path(),
        "mine",
        &lab,
        &[&lab.public[0], &lab.public[1]],
        &[&lab.private[0], &lab.private[1]],
    );

    let preview = moto
        .run(home.path(), &["plan", plan.to_str().unwrap()])
        .ok();
    assert!(
        preview
            .stdout
            .contains("28 to create, 5 yours (used as is)."),
        "{}",
        preview.stdout
    );
    let run = moto
        .run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    assert_eq!(run.lines_with("adopted"), 5, "{}", run.stdout);
    assert_eq!(run.lines_with("creating"), 28);
    assert_eq!(
        ec2.describe_vpcs().send().await.unwrap().vpcs().len(),
        vpcs_before
    );
    // A hand-made public subnet hands out no public addresses (MapPublicIpOnLaunch is off
    // by default): the bastion asks for its own, so it can still be reached.
    let subnet = ec2
        .describe_subnets()
        .subnet_ids(&lab.public[0])
        .send()
        .await
        .unwrap();
    assert_eq!(subnet.subnets()[0].map_public_ip_on_launch(), Some(false));
    let bastion = ec2
        .describe_instances()
        .filters(stack_filter("mine"))
        .filters(
            aws_sdk_ec2::types::Filter::builder()
                .name("tag:Name")
                .values("mine-bastion")
                .build(),
        )
        .send()
        .await
        .unwrap();
    let bastion = &bastion.reservations()[0].instances()[0];
    assert!(
        lab.public
            .iter()
            .any(|s| Some(s.as_str()) == bastion.subnet_id())
    );
    assert!(bastion.public_ip_address().is_some(), "{bastion:?}");

    let destroy = moto.run(home.path(), &["destroy", "mine", "--yes"]).ok();
    assert_eq!(destroy.lines_with("kept (yours)"), 5, "{}", destroy.stdout);
    assert_eq!(
        destroy.lines_with("never deletes what it did not create"),
        5
    );
    let still = ec2.describe_vpcs().vpc_ids(&lab.vpc).send().await.unwrap();
    assert_eq!(still.vpcs().len(), 1, "the user's VPC survives destroy");
    let subnets = ec2
        .describe_subnets()
        .subnet_ids(&lab.public[0])
        .send()
        .await
        .unwrap();
    assert_eq!(subnets.subnets().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn misclassified_subnets_are_refused_by_name_before_anything_is_created() {
    let moto = Moto::start();
    let ec2 = moto.ec2();
    let lab = build_by_hand(&ec2).await;
    let home = tempfile::tempdir().unwrap();
    // A private subnet offered as public, and a public one as private.
    let plan = adopt_plan(
        home.path(),
        "swapped",
        &lab,
        &[&lab.public[0], &lab.private[1]],
        &[&lab.private[0], &lab.public[1]],
    );
    let run = moto.run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"]);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "network.public_subnet_ids[1]: {} (10.20.11.0/24, ap-northeast-2c) is not public",
            lab.private[1]
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!(
            "network.private_subnet_ids[1]: {} (10.20.1.0/24, ap-northeast-2c) is not private",
            lab.public[1]
        )),
        "{}",
        run.stderr
    );
    assert!(
        !home.path().join("stacks/swapped").exists(),
        "no state written"
    );

    // A VPC that does not exist.
    let ghost = plan_file(
        home.path(),
        "ghost",
        "vpc_id = \"vpc-0123456789abcdef0\"\npublic_subnet_ids = [\"subnet-1\", \"subnet-2\"]\nprivate_subnet_ids = [\"subnet-3\", \"subnet-4\"]",
    );
    let run = moto.run(home.path(), &["apply", ghost.to_str().unwrap(), "--yes"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(
            "network.vpc_id: vpc-0123456789abcdef0 does not exist in region ap-northeast-2"
        ),
        "{}",
        run.stderr
    );
}
