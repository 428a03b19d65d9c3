//! "Check an existing setup" (F3 on the first screen): the region's VPCs with a verdict
//! each, one VPC's findings scrolled to the end (every command whole, the panel pans),
//! and the way on: a new setup that adopts the VPC. The findings are the run layer's
//! checks of a survey built by hand.

use super::*;
use hawiz::ops::doctor::survey::*;
use hawiz::ops::doctor::{Report, checks};
use hawiz::tui::msg::Loaded;

fn subnet(id: &str, az: &str, public: bool, nat: Option<&str>) -> Subnet {
    Subnet {
        id: id.into(),
        name: format!("lab-{id}"),
        az: az.into(),
        public,
        nat: nat.map(str::to_string),
        map_public_ip: public,
    }
}

/// Seed 002's lab VPC as a console user left it: one NAT for both AZs, the load balancer
/// in the private subnets, a single-AZ database open to the VPC's range.
fn hand_built() -> Survey {
    Survey {
        vpc: "vpc-0a1b2c3d4e5f60718".into(),
        name: "lab-vpc".into(),
        cidr: "10.20.0.0/16".into(),
        dns_hostnames: Some(true),
        subnets: vec![
            subnet("subnet-0aa0000000000000a", "ap-northeast-2a", true, None),
            subnet("subnet-0cc0000000000000c", "ap-northeast-2c", true, None),
            subnet(
                "subnet-0ab0000000000000a",
                "ap-northeast-2a",
                false,
                Some("nat-0aa00000000000001"),
            ),
            subnet(
                "subnet-0cb0000000000000c",
                "ap-northeast-2c",
                false,
                Some("nat-0aa00000000000001"),
            ),
        ],
        nats: vec![Nat {
            id: "nat-0aa00000000000001".into(),
            name: "lab-nat".into(),
            subnet: "subnet-0aa0000000000000a".into(),
        }],
        groups: vec![SecurityGroup {
            id: "sg-0db00000000000001".into(),
            name: "inventory_DB".into(),
            default: false,
            ingress: vec![Ingress {
                ports: Some((3306, 3306)),
                cidrs: vec!["10.20.0.0/16".into()],
                groups: vec![],
            }],
        }],
        load_balancers: vec![LoadBalancer {
            name: "lab-alb".into(),
            arn: "arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:loadbalancer/app/lab-alb/50dc6c495c0c9188".into(),
            internet_facing: true,
            subnets: vec![
                "subnet-0ab0000000000000a".into(),
                "subnet-0cb0000000000000c".into(),
            ],
            ..LoadBalancer::default()
        }],
        databases: vec![Database {
            id: "inventory".into(),
            multi_az: false,
            encrypted: true,
            backup_days: 7,
            port: 3306,
            groups: vec!["sg-0db00000000000001".into()],
            deletion_protection: true,
            engine: "mariadb".into(),
            engine_version: "10.11.8".into(),
            parameter_group: "default.mariadb10.11".into(),
            tls_required: Some(false),
            ..Database::default()
        }],
        ..Survey::default()
    }
}

fn reports() -> Vec<Report> {
    let report = |survey: Survey| Report {
        region: "ap-northeast-2".into(),
        findings: checks::all(&survey),
        survey,
        plan: None,
    };
    let fine = Survey {
        vpc: "vpc-0f0f0f0f0f0f0f0f0".into(),
        name: "default".into(),
        dns_hostnames: Some(true),
        ..Survey::default()
    };
    vec![report(hand_built()), report(fine)]
}

/// F3 on the first step, the region's VPCs read (through `update`, as the loop does).
fn checked(a: &mut App) {
    let fx = a.update(Input::Do(Action::Check));
    let ticket = match fx.as_slice() {
        [hawiz::tui::app::Effect::Doctor { ticket, region, .. }] => {
            assert_eq!(region, "ap-northeast-2");
            *ticket
        }
        other => panic!("{other:?}"),
    };
    a.update(Msg::Loaded(ticket, Loaded::Doctor(Ok(reports()))));
}

#[test]
fn the_regions_vpcs_with_a_verdict_each() {
    both("doctor_list", |a| {
        checked(a);
        a.update(Input::Do(Action::NextField));
    });
}

#[test]
fn one_vpcs_findings_from_the_top_and_at_the_end() {
    both("doctor_findings", |a| {
        checked(a);
        a.update(Input::Do(Action::Confirm));
    });
    both("doctor_findings_end", |a| {
        checked(a);
        a.update(Input::Do(Action::Confirm));
        to_the_end(a, Action::ScrollDown);
    });
}

#[test]
fn check_existing_works_from_the_first_screen_and_continues_as_an_adoption() {
    let mut a = app(Lang::En);
    a.update(Msg::Resize(80, 24));
    checked(&mut a);
    a.update(Input::Do(Action::Confirm));
    drawn(&mut a);
    // Every command stays whole on its line: the one that moves the load balancer.
    let shown = render(&a);
    assert!(shown.contains("[HIGH]"), "{shown}");
    a.update(Input::Do(Action::New));
    assert_eq!(a.screen, Screen::Wizard);
    assert_eq!(a.step, 0);
    assert_eq!(a.plan.network.vpc_id, "vpc-0a1b2c3d4e5f60718");
    assert_eq!(
        a.plan.network.private_subnet_ids,
        ["subnet-0ab0000000000000a", "subnet-0cb0000000000000c"]
    );
    assert_eq!(
        a.plan.stack.name, "lab-vpc",
        "named from the VPC's Name tag"
    );
    assert!(render(&a).contains("Adopting vpc-0a1b2c3d4e5f60718"));

    // A VPC with no two AZs of public and private subnets: said, nothing changes.
    let mut a = app(Lang::Ko);
    a.update(Msg::Resize(80, 24));
    checked(&mut a);
    a.update(Input::Do(Action::NextField));
    a.update(Input::Do(Action::Confirm));
    a.update(Input::Do(Action::New));
    assert!(matches!(a.screen, Screen::Doctor { open: true, .. }));
    assert!(a.plan.network.vpc_id.is_empty());
    assert!(
        render(&a).contains("가져오는 계획을 쓸 수 없습니다"),
        "{}",
        render(&a)
    );

    // Esc goes back where it came from; elsewhere F3 says where it works.
    a.update(Input::Do(Action::Back));
    a.update(Input::Do(Action::Back));
    assert_eq!(a.screen, Screen::Wizard);
    let mut a = app(Lang::En);
    a.update(Msg::Resize(80, 24));
    a.step = 2;
    assert!(a.update(Input::Do(Action::Check)).is_empty());
    assert!(
        render(&a).contains("Checking an existing setup starts"),
        "{}",
        render(&a)
    );
}
