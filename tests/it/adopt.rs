//! Adopting a VPC built by hand, as a student following the lab would have.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;

use support::lab::{Lab, Subnet, lab_by_hand};
use support::*;

fn adopt_plan(
    dir: &std::path::Path,
    stack: &str,
    lab: &Lab,
    public: &[&Subnet],
    private: &[&Subnet],
) -> std::path::PathBuf {
    let list = |subnets: &[&Subnet]| {
        subnets
            .iter()
            .map(|s| format!("{:?}", s.id))
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
    let lab = lab_by_hand(&ec2).await;
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
            .contains("29 to create, 5 yours (used as is)."),
        "{}",
        preview.stdout
    );
    let run = moto
        .run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    assert_eq!(run.lines_with("adopted"), 5, "{}", run.stdout);
    assert_eq!(run.lines_with("creating"), 29);
    assert_eq!(
        ec2.describe_vpcs().send().await.unwrap().vpcs().len(),
        vpcs_before
    );
    // A hand-made public subnet hands out no public addresses (MapPublicIpOnLaunch is off
    // by default): the bastion asks for its own, so it can still be reached.
    let subnet = ec2
        .describe_subnets()
        .subnet_ids(&lab.public[0].id)
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
            .any(|s| Some(s.id.as_str()) == bastion.subnet_id())
    );
    assert!(bastion.public_ip_address().is_some(), "{bastion:?}");

    // In Korean, every line about what stays is Korean too.
    let destroy = moto
        .run(home.path(), &["--lang", "ko", "destroy", "mine", "--yes"])
        .ok();
    assert_eq!(
        destroy.lines_with("남김: (사용자의 것)"),
        5,
        "{}",
        destroy.stdout
    );
    assert_eq!(
        destroy.lines_with("hawiz는 자기가 만들지 않은 것을 지우지 않습니다"),
        5,
        "{}",
        destroy.stdout
    );
    for english in ["(yours)", "goes with", "kept "] {
        assert_eq!(
            destroy.lines_with(english),
            0,
            "{english}: {}",
            destroy.stdout
        );
    }
    let still = ec2.describe_vpcs().vpc_ids(&lab.vpc).send().await.unwrap();
    assert_eq!(still.vpcs().len(), 1, "the user's VPC survives destroy");
    let subnets = ec2
        .describe_subnets()
        .subnet_ids(&lab.public[0].id)
        .send()
        .await
        .unwrap();
    assert_eq!(subnets.subnets().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn misclassified_subnets_are_refused_by_name_before_anything_is_created() {
    let moto = Moto::start();
    let ec2 = moto.ec2();
    let lab = lab_by_hand(&ec2).await;
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
            lab.private[1].id
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!(
            "network.private_subnet_ids[1]: {} (10.20.1.0/24, ap-northeast-2c) is not private",
            lab.public[1].id
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
