//! Each check on a survey built by hand: found where the mistake is, absent on the lab's
//! way of building the same thing.

use super::super::survey::*;
use super::*;

fn subnet(id: &str, az: &str, public: bool, nat: Option<&str>) -> Subnet {
    Subnet {
        id: id.into(),
        name: id.into(),
        az: az.into(),
        public,
        nat: nat.map(str::to_string),
        map_public_ip: false,
    }
}

fn rule(port: i32, cidrs: &[&str], groups: &[&str]) -> Ingress {
    Ingress {
        ports: Some((port, port)),
        cidrs: cidrs.iter().map(|s| s.to_string()).collect(),
        groups: groups.iter().map(|s| s.to_string()).collect(),
    }
}

/// The lab's way: two AZs, a NAT each, the ALB public with its own group, the app private
/// at 2 with ELB checks, the database Multi-AZ, private, encrypted, admitting the app's
/// group only; SSH from one address.
pub(super) fn lab() -> Survey {
    Survey {
        vpc: "vpc-1a2b3c4d".into(),
        name: "lab-vpc".into(),
        cidr: "10.0.0.0/16".into(),
        standby_of: None,
        dns_hostnames: Some(true),
        subnets: vec![
            subnet("pub-a", "ap-northeast-2a", true, None),
            subnet("pub-c", "ap-northeast-2c", true, None),
            subnet("priv-a", "ap-northeast-2a", false, Some("nat-a")),
            subnet("priv-c", "ap-northeast-2c", false, Some("nat-c")),
        ],
        nats: vec![
            Nat {
                id: "nat-a".into(),
                name: "nat-a".into(),
                subnet: "pub-a".into(),
            },
            Nat {
                id: "nat-c".into(),
                name: "nat-c".into(),
                subnet: "pub-c".into(),
            },
        ],
        groups: vec![
            SecurityGroup {
                id: "sg-default".into(),
                name: "default".into(),
                default: true,
                ingress: vec![],
            },
            SecurityGroup {
                id: "sg-alb".into(),
                name: "alb".into(),
                default: false,
                ingress: vec![rule(443, &["0.0.0.0/0"], &[])],
            },
            SecurityGroup {
                id: "sg-app".into(),
                name: "app".into(),
                default: false,
                ingress: vec![rule(80, &[], &["sg-alb"])],
            },
            SecurityGroup {
                id: "sg-bastion".into(),
                name: "bastion".into(),
                default: false,
                ingress: vec![rule(22, &["203.0.113.10/32"], &[])],
            },
            SecurityGroup {
                id: "sg-efs".into(),
                name: "efs".into(),
                default: false,
                ingress: vec![rule(2049, &[], &["sg-app"])],
            },
            SecurityGroup {
                id: "sg-db".into(),
                name: "db".into(),
                default: false,
                ingress: vec![rule(3306, &[], &["sg-app"])],
            },
        ],
        load_balancers: vec![LoadBalancer {
            name: "lab-alb".into(),
            arn: "arn:alb".into(),
            internet_facing: true,
            subnets: vec!["pub-a".into(), "pub-c".into()],
            groups: vec!["sg-alb".into()],
            listeners: vec![
                Listener {
                    arn: "arn:http".into(),
                    port: 80,
                    protocol: "HTTP".into(),
                    redirects_to_https: true,
                    ssl_policy: None,
                    certificates: vec![],
                },
                Listener {
                    arn: "arn:https".into(),
                    port: 443,
                    protocol: "HTTPS".into(),
                    redirects_to_https: false,
                    ssl_policy: Some("ELBSecurityPolicy-TLS13-1-2-2021-06".into()),
                    certificates: vec!["arn:cert".into()],
                },
            ],
            target_groups: vec![TargetGroup {
                name: "lab-tg".into(),
                arn: "arn:tg".into(),
                interval: 10,
                unhealthy_threshold: 2,
                path: "/hawiz-health".into(),
                matcher: "200".into(),
                redirected: vec![],
            }],
            ..LoadBalancer::default()
        }],
        certificates: vec![Certificate {
            arn: "arn:cert".into(),
            domain: "example.com".into(),
            names: vec!["*.example.com".into(), "example.com".into()],
            status: "ISSUED".into(),
            days_left: Some(200),
        }],
        file_systems: vec![FileSystem {
            id: "fs-1".into(),
            name: "lab-efs".into(),
            zones: vec!["ap-northeast-2a".into(), "ap-northeast-2c".into()],
            groups: vec!["sg-efs".into()],
        }],
        scaling_groups: vec![ScalingGroup {
            name: "lab-app".into(),
            subnets: vec!["priv-a".into(), "priv-c".into()],
            min: 2,
            health_check: "ELB".into(),
            target_groups: 1,
            template: Some(Template {
                name: "lab-lt".into(),
                imds_v2: true,
                unencrypted_volume: false,
                groups: vec!["sg-app".into()],
            }),
            policies: 1,
            instance_zones: vec!["ap-northeast-2a".into(), "ap-northeast-2c".into()],
            rebalance_suspended: false,
        }],
        databases: vec![Database {
            id: "lab-db".into(),
            multi_az: true,
            public: false,
            encrypted: true,
            backup_days: 7,
            port: 3306,
            groups: vec!["sg-db".into()],
            deletion_protection: true,
            engine: "mariadb".into(),
            engine_version: "10.11.8".into(),
            parameter_group: "lab-db-tls".into(),
            tls_required: Some(true),
        }],
        ..Survey::default()
    }
}

pub(super) fn checks_of(s: &Survey) -> Vec<&'static str> {
    all(s).iter().map(|f| f.check).collect()
}

#[test]
fn the_labs_way_has_no_finding() {
    assert_eq!(checks_of(&lab()), Vec::<&str>::new());
}

#[test]
fn dns_hostnames_off() {
    let mut s = lab();
    s.dns_hostnames = Some(false);
    assert_eq!(checks_of(&s), ["vpc-dns-hostnames"]);
}

#[test]
fn one_nat_for_two_azs() {
    let mut s = lab();
    s.subnets[3].nat = Some("nat-a".into());
    s.nats.pop();
    let f = all(&s);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].check, "nat-other-az");
    assert_eq!(f[0].resource, "priv-c");
    assert!(f[0].what.en.contains("ap-northeast-2a"), "{:?}", f[0].what);
}

#[test]
fn ssh_open_to_the_world_in_a_range_or_all_ports() {
    let mut s = lab();
    s.groups[3].ingress = vec![Ingress {
        ports: Some((20, 25)),
        cidrs: vec!["0.0.0.0/0".into()],
        groups: vec![],
    }];
    assert_eq!(checks_of(&s), ["ssh-open-to-world"]);
    s.groups[3].ingress = vec![Ingress {
        ports: None,
        cidrs: vec!["::/0".into()],
        groups: vec![],
    }];
    assert_eq!(checks_of(&s), ["ssh-open-to-world"]);
}

/// Seed 002's `inventory_DB`: the database's group open to the VPC's range.
#[test]
fn database_group_open_to_the_vpc_cidr() {
    let mut s = lab();
    s.groups[5].ingress = vec![rule(3306, &["10.0.0.0/16"], &[])];
    let f = all(&s);
    assert_eq!(checks_of(&s), ["db-open-to-cidr"]);
    assert!(f[0].fix.en.contains("--source-group"), "{:?}", f[0].fix);
    assert!(f[0].what.en.contains("10.0.0.0/16"));
}

/// Seeds 000/001: the ALB put in the private subnets.
#[test]
fn load_balancer_in_private_subnets() {
    let mut s = lab();
    s.load_balancers[0].subnets = vec!["priv-a".into(), "priv-c".into()];
    let f = all(&s);
    assert_eq!(checks_of(&s), ["lb-in-private-subnets"]);
    assert!(f[0].why.en.contains("must be in public subnets"));
    assert!(f[0].fix.en.contains("aws elbv2 set-subnets"));
}

#[test]
fn load_balancer_in_one_az_and_on_the_default_group() {
    let mut s = lab();
    s.load_balancers[0].subnets = vec!["pub-a".into()];
    s.load_balancers[0].groups = vec!["sg-default".into()];
    let mut got = checks_of(&s);
    got.sort_unstable();
    assert_eq!(got, ["lb-default-sg", "lb-one-az"]);
}

#[test]
fn a_group_with_ec2_checks_one_az_below_two_in_public_subnets() {
    let mut s = lab();
    s.scaling_groups[0].health_check = "EC2".into();
    assert_eq!(checks_of(&s), ["asg-ec2-health-check"]);
    let mut s = lab();
    s.scaling_groups[0].subnets = vec!["pub-a".into()];
    s.scaling_groups[0].min = 1;
    let mut got = checks_of(&s);
    got.sort_unstable();
    assert_eq!(
        got,
        ["app-in-public-subnets", "asg-min-below-2", "asg-one-az"]
    );
}

#[test]
fn a_database_single_az_public_unencrypted_without_backups() {
    let mut s = lab();
    let d = &mut s.databases[0];
    d.multi_az = false;
    d.public = true;
    d.encrypted = false;
    d.backup_days = 0;
    let f = all(&s);
    let mut got: Vec<&str> = f.iter().map(|f| f.check).collect();
    got.sort_unstable();
    assert_eq!(
        got,
        [
            "db-no-backups",
            "db-public",
            "db-single-az",
            "db-unencrypted"
        ]
    );
    // Highs first.
    assert_eq!(f[0].severity, Severity::High);
    assert!(f.iter().any(|f| f.fix.en.contains("--multi-az")));
}

/// A hawiz standby runs scaled down on purpose: said, not counted as high.
#[test]
fn a_hawiz_standby_is_scaled_down_on_purpose() {
    let mut s = lab();
    s.standby_of = Some("shop".into());
    s.scaling_groups[0].min = 1;
    s.databases[0].multi_az = false;
    let f = all(&s);
    assert_eq!(f.len(), 2, "{f:?}");
    assert!(f.iter().all(|f| f.severity == Severity::Info));
    assert!(
        f[0].why.en.contains("hawiz failover shop"),
        "{:?}",
        f[0].why
    );
    // Anything else stays what it is.
    s.databases[0].public = true;
    assert!(all(&s).iter().any(|f| f.severity == Severity::High));
}

#[test]
fn every_finding_speaks_korean_too() {
    let mut s = lab();
    s.dns_hostnames = Some(false);
    s.subnets[3].nat = Some("nat-a".into());
    s.groups[3].ingress = vec![rule(22, &["0.0.0.0/0"], &[])];
    s.groups[5].ingress = vec![rule(3306, &["10.0.0.0/16"], &[])];
    s.load_balancers[0].subnets = vec!["priv-a".into()];
    s.scaling_groups[0].min = 1;
    s.databases[0].multi_az = false;
    for f in all(&s) {
        for t in [&f.what, &f.why] {
            assert!(
                t.ko.chars().any(|c| ('가'..='힣').contains(&c)),
                "{}: {:?}",
                f.check,
                t
            );
        }
    }
}

#[test]
fn http_served_beside_https_and_an_old_tls_policy() {
    let mut s = lab();
    s.load_balancers[0].listeners[0].redirects_to_https = false;
    s.load_balancers[0].listeners[1].ssl_policy = Some("ELBSecurityPolicy-2016-08".into());
    let mut got = checks_of(&s);
    got.sort_unstable();
    assert_eq!(got, ["http-not-redirected", "tls-policy-outdated"]);
    // A policy named on a plain HTTP listener means nothing.
    let mut t = lab();
    t.load_balancers[0].listeners[0].ssl_policy = Some("ELBSecurityPolicy-2016-08".into());
    assert_eq!(checks_of(&t), Vec::<&str>::new());
    // Without HTTPS at all, plain HTTP is what the site is: not this finding.
    s.load_balancers[0].listeners.pop();
    assert_eq!(checks_of(&s), Vec::<&str>::new());
}

#[test]
fn a_certificate_not_issued_or_about_to_expire() {
    let mut s = lab();
    s.certificates[0].status = "PENDING_VALIDATION".into();
    assert_eq!(checks_of(&s), ["cert-not-issued"]);
    s.certificates[0].status = "ISSUED".into();
    s.certificates[0].days_left = Some(12);
    let f = all(&s);
    assert_eq!(f[0].check, "cert-expiring");
    assert!(f[0].what.en.contains("12 days"));
}

#[test]
fn a_template_without_imdsv2_with_a_plain_volume_and_no_scaling_policy() {
    let mut s = lab();
    let t = s.scaling_groups[0].template.as_mut().unwrap();
    t.imds_v2 = false;
    t.unencrypted_volume = true;
    s.scaling_groups[0].policies = 0;
    let mut got = checks_of(&s);
    got.sort_unstable();
    assert_eq!(
        got,
        [
            "asg-no-scaling-policy",
            "lt-imdsv1",
            "lt-unencrypted-volume"
        ]
    );
}

#[test]
fn shared_files_missing_missing_in_an_az_or_open_to_a_range() {
    let mut s = lab();
    s.file_systems.clear();
    assert_eq!(checks_of(&s), ["efs-none"]);
    let mut s = lab();
    s.file_systems[0].zones = vec!["ap-northeast-2a".into()];
    let f = all(&s);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].check, "efs-no-mount-target");
    assert!(f[0].what.en.contains("ap-northeast-2c"));
    let mut s = lab();
    s.groups[4].ingress = vec![rule(2049, &["10.0.0.0/16"], &[])];
    assert_eq!(checks_of(&s), ["efs-open-to-cidr"]);
}

#[test]
fn a_database_without_deletion_protection_is_info() {
    let mut s = lab();
    s.databases[0].deletion_protection = false;
    let f = all(&s);
    assert_eq!(f.len(), 1);
    assert_eq!(
        (f[0].check, f[0].severity),
        ("db-no-deletion-protection", Severity::Info)
    );
}

#[test]
fn a_slow_health_check() {
    let mut s = lab();
    let tg = &mut s.load_balancers[0].target_groups[0];
    tg.interval = 30;
    tg.unhealthy_threshold = 5;
    let f = all(&s);
    assert_eq!(checks_of(&s), ["tg-slow-health-check"]);
    assert!(f[0].what.en.contains("150 s"), "{:?}", f[0].what);
    // AWS's defaults (30 s, 2 failures: 60 s) pass.
    s.load_balancers[0].target_groups[0].unhealthy_threshold = 2;
    assert!(all(&s).is_empty());
}

#[test]
fn a_database_that_takes_connections_without_tls() {
    let mut s = lab();
    s.databases[0].tls_required = Some(false);
    let f = all(&s);
    assert_eq!(checks_of(&s), ["db-tls-not-required"]);
    assert!(
        f[0].fix
            .en
            .starts_with("aws rds modify-db-parameter-group --db-parameter-group-name lab-db-tls "),
        "{}",
        f[0].fix.en
    );
    // On a default group (which cannot be changed): a group of its own, of its family.
    s.databases[0].parameter_group = "default.mariadb10.11".into();
    let f = all(&s);
    assert!(
        f[0].fix.en.contains(
            "--db-parameter-group-name lab-db-tls --db-parameter-group-family mariadb10.11"
        ),
        "{}",
        f[0].fix.en
    );
    // Unread is not a pass, nor a finding: the survey says it went unchecked.
    s.databases[0].tls_required = None;
    assert!(all(&s).is_empty());
    use crate::ops::doctor::survey::data::tls_by_default;
    assert!(!tls_by_default("mariadb", "10.11.8") && !tls_by_default("mariadb", "11.4.5"));
    assert!(tls_by_default("mariadb", "11.8.1") && tls_by_default("mysql", "9.7.0"));
    assert!(!tls_by_default("mysql", "8.4.3"));
}

#[test]
fn instances_unevenly_spread_over_the_groups_azs() {
    let mut s = lab();
    let a = "ap-northeast-2a".to_string();
    s.scaling_groups[0].instance_zones = vec![a.clone(), a.clone(), "ap-northeast-2c".into()];
    assert!(all(&s).is_empty(), "3 over 2 AZs is as even as it gets");
    s.scaling_groups[0].instance_zones = vec![a.clone(), a.clone()];
    let f = all(&s);
    assert_eq!(checks_of(&s), ["asg-unbalanced"]);
    assert!(
        f[0].what
            .en
            .contains("ap-northeast-2a: 2, ap-northeast-2c: 0"),
        "{}",
        f[0].what.en
    );
    assert!(f[0].fix.en.contains("describe-scaling-activities"));
    s.scaling_groups[0].rebalance_suspended = true;
    assert!(all(&s)[0].fix.en.contains("resume-processes"));
}
