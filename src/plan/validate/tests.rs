//! One test per rule, checking the words a user reads.

use super::*;
use crate::plan::Plan;

fn plan(toml: &str) -> Plan {
    let mut p = Plan::from_toml(toml).expect("test plan parses");
    p.resolve(None);
    p
}

fn errors(toml: &str) -> Vec<String> {
    validate(&plan(toml))
        .errors
        .iter()
        .map(|f| f.to_string())
        .collect()
}

#[track_caller]
fn assert_error(toml: &str, expected: &str) {
    let errs = errors(toml);
    assert!(
        errs.iter().any(|e| e == expected),
        "expected error\n  {expected}\ngot\n  {errs:#?}"
    );
}

#[test]
fn empty_plan_is_valid_with_spec_defaults() {
    let report = validate(&plan(""));
    assert!(report.is_ok(), "{report:?}");
    assert!(report.warnings.is_empty());
}

#[test]
fn stack_name_rules() {
    assert_error(
        "[stack]\nname = \"My Site\"",
        "stack.name: \"My Site\" must be 3 to 32 characters of lowercase letters, digits and '-' (it is used in every resource name and tag)",
    );
    assert!(!errors("[stack]\nname = \"ab\"").is_empty());
    assert!(!errors(&format!("[stack]\nname = \"{}\"", "a".repeat(33))).is_empty());
    assert_error(
        "[stack]\nname = \"-site\"",
        "stack.name: \"-site\" must start with a letter: the database is named -site-db, and RDS names start with a letter (try \"site--site\")",
    );
    assert!(errors("[stack]\nname = \"my-site-2\"").is_empty());
}

#[test]
fn region_must_look_like_a_region() {
    assert_error(
        "[stack]\nregion = \"seoul\"",
        "stack.region: \"seoul\" is not an AWS region; use one like ap-northeast-2 (Seoul) or us-east-1 (N. Virginia)",
    );
    assert!(errors("[stack]\nregion = \"us-gov-west-1\"").is_empty());
}

#[test]
fn vpc_cidr_must_parse() {
    assert_error(
        "[network]\ncidr = \"10.0.0.0/33\"",
        "network.cidr: \"10.0.0.0/33\" is not an IPv4 CIDR block like 10.0.0.0/16",
    );
}

#[test]
fn vpc_cidr_with_host_bits_suggests_the_network() {
    assert_error(
        "[network]\ncidr = \"10.0.0.1/16\"\npublic_subnets = [\"10.0.0.0/24\", \"10.0.1.0/24\"]\nprivate_subnets = [\"10.0.10.0/24\", \"10.0.11.0/24\"]",
        "network.cidr: 10.0.0.1/16 has host bits set; did you mean 10.0.0.0/16?",
    );
}

#[test]
fn vpc_cidr_size_limits() {
    assert_error(
        "[network]\ncidr = \"10.0.0.0/8\"",
        "network.cidr: 10.0.0.0/8: AWS allows VPC blocks from /16 to /28 (got /8)",
    );
}

#[test]
fn subnet_outside_the_vpc() {
    assert_error(
        "[network]\npublic_subnets = [\"10.0.0.0/24\", \"10.1.1.0/24\"]",
        "network.public_subnets[1]: 10.1.1.0/24 is outside the VPC block 10.0.0.0/16",
    );
}

#[test]
fn subnets_must_not_overlap() {
    assert_error(
        "[network]\npublic_subnets = [\"10.0.0.0/24\", \"10.0.1.0/24\"]\nprivate_subnets = [\"10.0.1.0/24\", \"10.0.11.0/24\"]",
        "network.private_subnets[0]: 10.0.1.0/24 overlaps network.public_subnets[1] (10.0.1.0/24); subnets must not share addresses",
    );
    // A larger block containing a smaller one is an overlap too.
    assert_error(
        "[network]\npublic_subnets = [\"10.0.0.0/24\", \"10.0.1.0/24\"]\nprivate_subnets = [\"10.0.0.0/20\", \"10.0.16.0/24\"]",
        "network.private_subnets[0]: 10.0.0.0/20 overlaps network.public_subnets[0] (10.0.0.0/24); subnets must not share addresses",
    );
}

#[test]
fn subnet_must_parse_and_be_big_enough() {
    assert_error(
        "[network]\nprivate_subnets = [\"10.0.10.0/24\", \"ten\"]",
        "network.private_subnets[1]: \"ten\" is not an IPv4 CIDR block like 10.0.0.0/16",
    );
    assert_error(
        "[network]\nprivate_subnets = [\"10.0.10.0/24\", \"10.0.11.0/29\"]",
        "network.private_subnets[1]: 10.0.11.0/29: AWS subnets can be no smaller than /28 (got /29)",
    );
}

#[test]
fn one_public_and_one_private_subnet_per_az() {
    assert_error(
        "[network]\npublic_subnets = [\"10.0.0.0/24\"]",
        "network.public_subnets: 1 public subnet(s) for 2 AZ(s); give exactly one public subnet per AZ, in the order of network.azs",
    );
    assert_error(
        "[network]\nprivate_subnets = [\"10.0.10.0/24\", \"10.0.11.0/24\", \"10.0.12.0/24\"]",
        "network.private_subnets: 3 private subnet(s) for 2 AZ(s); give exactly one private subnet per AZ, in the order of network.azs",
    );
}

#[test]
fn at_least_two_distinct_azs() {
    assert_error(
        "[network]\nazs = [\"ap-northeast-2a\"]",
        "network.azs: an HA site needs at least 2 availability zones (got 1), so that losing one zone leaves the site up",
    );
    assert_error(
        "[network]\nazs = [\"ap-northeast-2a\", \"ap-northeast-2a\"]",
        "network.azs[1]: ap-northeast-2a is listed twice; each AZ must be a different zone",
    );
}

#[test]
fn azs_belong_to_the_region() {
    assert_error(
        "[network]\nazs = [\"us-east-1a\", \"ap-northeast-2c\"]",
        "network.azs[0]: \"us-east-1a\" is not an availability zone of region ap-northeast-2",
    );
}

#[test]
fn nat_modes_warn_about_their_cost_in_availability() {
    let single = validate(&plan("[network]\nnat = \"single\""));
    assert!(single.is_ok());
    assert!(single.warnings[0].message.contains("if its AZ fails"));
    let none = validate(&plan("[network]\nnat = \"none\""));
    assert!(none.warnings[0].message.contains("cannot install packages"));
}

#[test]
fn unknown_nat_mode_is_a_parse_error_naming_the_choices() {
    let err = Plan::from_toml("[network]\nnat = \"double\"")
        .unwrap_err()
        .to_string();
    assert!(err.contains("line 2"), "{err}");
    assert!(
        err.contains("per-az") && err.contains("single") && err.contains("none"),
        "{err}"
    );
}

#[test]
fn subnet_ids_need_a_vpc_id() {
    assert_error(
        "[network]\npublic_subnet_ids = [\"subnet-1\", \"subnet-2\"]",
        "network.public_subnet_ids: subnet IDs are only used with an existing VPC (network.vpc_id); set the VPC or remove the subnet IDs",
    );
}

#[test]
fn adopted_vpc_rules() {
    assert!(
        errors(
            "[network]\nvpc_id = \"vpc-0abc\"\npublic_subnet_ids = [\"subnet-1\", \"subnet-2\"]\nprivate_subnet_ids = [\"subnet-3\", \"subnet-4\"]"
        )
        .is_empty()
    );
    assert_error(
        "[network]\nvpc_id = \"my-vpc\"\npublic_subnet_ids = [\"subnet-1\", \"subnet-2\"]\nprivate_subnet_ids = [\"subnet-3\", \"subnet-4\"]",
        "network.vpc_id: \"my-vpc\" is not a VPC ID like vpc-0a1b2c3d4e5f67890",
    );
    assert_error(
        "[network]\nvpc_id = \"vpc-1\"\npublic_subnet_ids = [\"subnet-1\"]\nprivate_subnet_ids = [\"subnet-3\", \"subnet-4\"]",
        "network.public_subnet_ids: an HA site needs public subnets in at least 2 availability zones (got 1 subnet(s))",
    );
    assert_error(
        "[network]\nvpc_id = \"vpc-1\"\npublic_subnet_ids = [\"subnet-1\", \"subnet-2\"]\nprivate_subnet_ids = [\"subnet-2\", \"subnet-4\"]",
        "network.private_subnet_ids[0]: subnet-2 is listed twice; a subnet is either public or private, once",
    );
    assert_error(
        "[network]\nvpc_id = \"vpc-1\"\npublic_subnet_ids = [\"subnet-1\", \"sub2\"]\nprivate_subnet_ids = [\"subnet-3\", \"subnet-4\"]",
        "network.public_subnet_ids[1]: \"sub2\" is not a subnet ID like subnet-0a1b2c3d4e5f67890",
    );
}

#[test]
fn unknown_key_is_rejected_with_its_name_and_line() {
    let err = Plan::from_toml(
        "[stack]\nname = \"ok-name\"\n\n[network]\ncidr = \"10.0.0.0/16\"\nnat_mode = \"single\"\n",
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("line 6"), "{err}");
    assert!(err.contains("nat_mode"), "{err}");
}

#[test]
fn wrong_type_is_rejected_with_its_line() {
    let err = Plan::from_toml("[app]\nmin = \"two\"\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("line 2"), "{err}");
    assert!(err.contains("invalid type"), "{err}");
}

#[test]
fn unknown_section_is_rejected() {
    let err = Plan::from_toml("[netwrok]\ncidr = \"10.0.0.0/16\"\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("netwrok") && err.contains("line 1"), "{err}");
}

#[test]
fn every_key_in_the_spec_parses() {
    let text = include_str!("../../../assets/plans/wordpress-ha.toml");
    let p = plan(text);
    assert!(validate(&p).is_ok(), "{:?}", validate(&p));
    assert_eq!(p.stack.name, "wordpress-ha");
    assert_eq!(p.network.nat, NatMode::PerAz);
}

#[test]
fn plan_round_trips_through_toml() {
    let p = plan("[network]\nnat = \"single\"\n[domain]\nname = \"wplab.click\"\n");
    let again = Plan::from_toml(&p.to_toml().expect("serialises")).expect("serialised plan parses");
    assert_eq!(p, again);
}

#[test]
fn ssh_open_to_the_world_is_refused() {
    assert_error(
        "[bastion]\nssh_cidr = \"0.0.0.0/0\"",
        "bastion.ssh_cidr: 0.0.0.0/0 opens SSH to the whole internet, where bots try passwords and keys all day. Use your own address /32 (leave \"SSH allowed from\" empty and hawiz detects it)",
    );
    assert_error(
        "[bastion]\nssh_cidr = \"my-laptop\"",
        "bastion.ssh_cidr: \"my-laptop\" is not an IPv4 CIDR block like 203.0.113.7/32 (leave it empty to use your own address)",
    );
    // Wider than a /16: refused; wider than a /24: warned; a /24 and narrower: fine.
    for wide in ["10.0.0.0/8", "0.0.0.0/1", "172.16.0.0/15"] {
        let r = validate(&plan(&format!("[bastion]\nssh_cidr = \"{wide}\"")));
        assert!(
            r.errors.iter().any(|e| e.field == "bastion.ssh_cidr"
                && e.message.contains("wider than a /16 is refused")
                && e.ko.contains("/16보다 넓은 범위는 거부합니다")),
            "{wide}: {r:?}"
        );
    }
    let warned = validate(&plan("[bastion]\nssh_cidr = \"10.20.0.0/16\""));
    assert!(warned.is_ok(), "{warned:?}");
    assert!(
        warned.warnings[0].message.contains("65,536 addresses"),
        "{warned:?}"
    );
    let quiet = validate(&plan("[bastion]\nssh_cidr = \"203.0.113.0/24\""));
    assert!(quiet.is_ok() && quiet.warnings.iter().all(|w| w.field != "bastion.ssh_cidr"));
    // A disabled bastion is not checked.
    assert!(errors("[bastion]\nenabled = false\nssh_cidr = \"0.0.0.0/0\"").is_empty());
}

#[test]
fn one_az_database_is_refused() {
    assert_error(
        "[database]\nmulti_az = false",
        "database.multi_az: With Multi-AZ off the database sits in one AZ: when that AZ fails, every web server loses it and the site is down. An HA site needs Multi-AZ (a standby in the other AZ that takes over in a minute or two)",
    );
}

#[test]
fn database_fields() {
    assert_error(
        "[database]\ninstance_class = \"t3.micro\"",
        "database.instance_class: Instance class \"t3.micro\" is not an RDS instance class: \"db.\", a family and a size, like db.t3.micro or db.m7g.large",
    );
    assert_error(
        "[database]\nstorage_gib = 10",
        "database.storage_gib: 10 GiB: gp3 storage for MariaDB/MySQL must be 20 to 65536 GiB",
    );
    assert_error(
        "[database]\nstorage_gib = 100\nmax_storage_gib = 100",
        "database.max_storage_gib: 100 GiB must be at least 10 % more than the storage (100 GiB: so 110 GiB or more, as RDS requires) and at most 65536: it is the ceiling storage autoscaling may grow to",
    );
    assert_error(
        "[database]\nstorage_gib = 100\nmax_storage_gib = 109",
        "database.max_storage_gib: 109 GiB must be at least 10 % more than the storage (100 GiB: so 110 GiB or more, as RDS requires) and at most 65536: it is the ceiling storage autoscaling may grow to",
    );
    assert!(errors("[database]\nstorage_gib = 100\nmax_storage_gib = 110").is_empty());
    assert!(
        errors("[database]\nstorage_gib = 21\nmax_storage_gib = 24").is_empty(),
        "21 + 10 % is 23.1: 24 is enough"
    );
    assert_error(
        "[database]\ndb_name = \"word-press\"",
        "database.db_name: \"word-press\" must start with a letter and hold only letters, digits and '_' (at most 64)",
    );
    assert_error(
        "[database]\nusername = \"rdsadmin\"",
        "database.username: Master user \"rdsadmin\" is reserved by RDS; choose another name, like \"admin\"",
    );
    assert!(
        Plan::from_toml("[database]\nengine = \"postgres\"")
            .unwrap_err()
            .to_string()
            .contains("mariadb")
    );
}

#[test]
fn desired_outside_min_max_is_refused() {
    assert_error(
        "[app]\nmin = 2\ndesired = 5\nmax = 4",
        "app.desired: 5 is outside the minimum to maximum instances (2 to 4); Auto Scaling keeps the count inside that range",
    );
    assert_error(
        "[app]\nmin = 3\ndesired = 3\nmax = 2",
        "app.max: Maximum instances (2) must be at least 1 and at least the minimum (3)",
    );
    assert_error(
        "[app]\ncpu_target = 0.0",
        "app.cpu_target: 0 must be a CPU percentage above 0 and at most 100",
    );
    assert_error(
        "[app]\ninstance_type = \"large\"",
        "app.instance_type: Web server instance type \"large\" is not an EC2 instance type: a family and a size, like t3.micro or m7g.large",
    );
    let one = validate(&plan("[app]\nmin = 1\ndesired = 1"));
    assert!(one.is_ok() && one.warnings[0].field == "app.min");
}

#[test]
fn health_check_path_and_domain() {
    assert_error(
        "[load_balancer]\nhealth_check_path = \"health\"",
        "load_balancer.health_check_path: \"health\" must be a URL path starting with '/', like /hawiz-health (hawiz's own) or /wp-login.php",
    );
    assert_error(
        &format!(
            "[load_balancer]\nhealth_check_path = \"/{}\"",
            "a".repeat(1024)
        ),
        "load_balancer.health_check_path: is 1025 characters long; AWS allows a health check path of at most 1024",
    );
    assert_error(
        "[load_balancer]\nhealth_check_path = \"/wp login\"",
        "load_balancer.health_check_path: \"/wp login\" has a space; AWS allows no spaces in a health check path (write %20)",
    );
    assert_error(
        "[domain]\nname = \"localhost\"",
        "domain.name: \"localhost\" is not a domain name like example.com",
    );
    assert_error(
        "[domain]\nname = \"wplab.click\"\nhost = \"-www\"",
        "domain.host: \"-www\" is not a host name like www (use \"\" for the bare domain)",
    );
    assert_error(
        "[domain]\nname = \"wplab.click\"\nhost = \"a.b\"",
        "domain.host: \"a.b\": the certificate covers wplab.click and *.wplab.click, and a wildcard covers one level only; use a single label like www",
    );
    assert!(errors("[domain]\nname = \"wplab.click\"\nhost = \"\"").is_empty());
    // The names kept for examples can never be owned: refused, naming the RFC.
    for reserved in [
        "example.com",
        "shop.example.org",
        "EXAMPLE.NET.",
        "lab.test",
        "my.localhost",
    ] {
        let e = errors(&format!("[domain]\nname = \"{reserved}\"\n"));
        assert!(
            e.len() == 1 && e[0].contains("is reserved for examples (RFC 2606)"),
            "{reserved}: {e:?}"
        );
    }
    assert!(errors("[domain]\nname = \"example.co.kr\"\n").is_empty());
    assert!(errors("[domain]\nname = \"wplab.click\"\nhost = \"a.b\"\nhttps = false").is_empty());
}

#[test]
fn no_shared_files_is_warned() {
    let r = validate(&plan("[files]\nenabled = false"));
    assert!(r.is_ok());
    assert!(
        r.warnings[0]
            .message
            .contains("vanish when Auto Scaling replaces it")
    );
}

/// One bad plan per rule (each snippet must trip at least one finding).
const BAD_PLANS: &[&str] = &[
    "[stack]\nname = \"My Site\"",
    "[stack]\nname = \"-site\"",
    "[stack]\nregion = \"seoul\"",
    "[network]\ncidr = \"10.0.0.0/33\"",
    "[network]\ncidr = \"10.0.0.1/16\"\npublic_subnets = [\"10.0.0.0/24\", \"10.0.1.0/24\"]\nprivate_subnets = [\"10.0.10.0/24\", \"10.0.11.0/24\"]",
    "[network]\ncidr = \"10.0.0.0/8\"",
    "[network]\npublic_subnets = [\"10.0.0.0/24\", \"10.1.1.0/24\"]",
    "[network]\npublic_subnets = [\"10.0.0.0/24\", \"10.0.1.0/24\"]\nprivate_subnets = [\"10.0.1.0/24\", \"10.0.11.0/24\"]",
    "[network]\nprivate_subnets = [\"10.0.10.0/24\", \"ten\"]",
    "[network]\nprivate_subnets = [\"10.0.10.0/24\", \"10.0.11.0/29\"]",
    "[network]\npublic_subnets = [\"10.0.0.0/24\"]",
    "[network]\nprivate_subnets = [\"10.0.10.0/24\", \"10.0.11.0/24\", \"10.0.12.0/24\"]",
    "[network]\nazs = [\"ap-northeast-2a\"]",
    "[network]\nazs = [\"ap-northeast-2a\", \"ap-northeast-2a\"]",
    "[network]\nazs = [\"us-east-1a\", \"ap-northeast-2c\"]",
    "[network]\nnat = \"single\"",
    "[network]\nnat = \"none\"",
    "[network]\npublic_subnet_ids = [\"subnet-1\", \"subnet-2\"]",
    "[network]\nvpc_id = \"my-vpc\"\npublic_subnet_ids = [\"subnet-1\", \"subnet-2\"]\nprivate_subnet_ids = [\"subnet-3\", \"subnet-4\"]",
    "[network]\nvpc_id = \"vpc-1\"\npublic_subnet_ids = [\"subnet-1\"]\nprivate_subnet_ids = [\"subnet-3\", \"subnet-4\"]",
    "[network]\nvpc_id = \"vpc-1\"\npublic_subnet_ids = [\"subnet-1\", \"subnet-2\"]\nprivate_subnet_ids = [\"subnet-2\", \"subnet-4\"]",
    "[network]\nvpc_id = \"vpc-1\"\npublic_subnet_ids = [\"subnet-1\", \"sub2\"]\nprivate_subnet_ids = [\"subnet-3\", \"subnet-4\"]",
    "[bastion]\nssh_cidr = \"0.0.0.0/0\"",
    "[bastion]\nssh_cidr = \"my-laptop\"",
    "[bastion]\nssh_cidr = \"203.0.113.7/24\"",
    "[bastion]\nssh_cidr = \"10.0.0.0/8\"",
    "[bastion]\nssh_cidr = \"10.0.0.0/16\"",
    "[bastion]\ninstance_type = \"micro\"",
    "[bastion]\nkey_name = \"열쇠\"",
    "[database]\nmulti_az = false",
    "[database]\ninstance_class = \"t3.micro\"",
    "[database]\nstorage_gib = 10",
    "[database]\nstorage_gib = 100\nmax_storage_gib = 100",
    "[database]\ndb_name = \"word-press\"",
    "[database]\nusername = \"1admin\"",
    "[database]\nusername = \"rdsadmin\"",
    "[app]\nmin = 2\ndesired = 5\nmax = 4",
    "[app]\nmin = 3\ndesired = 3\nmax = 2",
    "[app]\ncpu_target = 0.0",
    "[app]\ninstance_type = \"large\"",
    "[app]\nmin = 1\ndesired = 1",
    "[files]\nenabled = false",
    "[load_balancer]\nhealth_check_path = \"health\"",
    "[domain]\nname = \"localhost\"",
    "[domain]\nname = \"wplab.click\"\nhost = \"-www\"",
    "[domain]\nname = \"wplab.click\"\nhost = \"a.b\"",
    "[domain]\nhost = \"www\"",
    "[stack]\nname = \"123\"",
    "[stack]\nname = \"a--b\"",
    "[stack]\nname = \"site-\"",
    "[stack]\nname = \"internal-site\"",
    "[stack]\nregion = \"ap-northeast-9\"",
    "[app]\ninstance_type = \"t3.potato\"",
    "[database]\ninstance_class = \"db.t3.potato\"",
    "[database]\nusername = \"select\"",
    "[database]\ndb_name = \"mysql\"",
];

#[test]
fn every_finding_has_korean_text() {
    use crate::i18n::Lang;
    let mut seen = std::collections::BTreeSet::new();
    for toml in BAD_PLANS {
        let report = validate(&plan(toml));
        let all: Vec<&Finding> = report.errors.iter().chain(&report.warnings).collect();
        assert!(!all.is_empty(), "no finding for\n{toml}");
        for f in all {
            assert!(
                f.ko.chars().any(|c| ('가'..='힣').contains(&c)),
                "no Korean text for {f}: {:?}",
                f.ko
            );
            assert_eq!(f.text(Lang::Ko), f.ko);
            assert_eq!(f.text(Lang::En), f.message);
            assert_ne!(f.ko, f.message);
            seen.insert(f.ko.clone());
        }
    }
    // Each rule's Korean message is its own, not a shared placeholder.
    assert!(seen.len() >= BAD_PLANS.len(), "{seen:#?}");
}

#[test]
fn simple_scaling_thresholds_and_step() {
    assert_error(
        "[scaling]\npolicy = \"simple\"\ncpu_high = 50.0\ncpu_low = 60.0\n",
        "scaling.cpu_low: the scale-in threshold (60 %) must be below the scale-out threshold \
         (50 %), or both alarms fire together and the group flaps; e.g. 10 and 80",
    );
    assert_error(
        "[scaling]\npolicy = \"simple\"\nstep = 0\n",
        "scaling.step: a step of 0 instances never changes the group; use 1 (the lab's +1 / -1)",
    );
    assert_error(
        "[scaling]\npolicy = \"simple\"\ncpu_high = 120.0\n",
        "scaling.cpu_high: CPU 120 % is not a percentage between 0 and 100",
    );
    // Target tracking ignores the simple policy's keys.
    assert!(errors("[scaling]\npolicy = \"target-tracking\"\nstep = 0\n").is_empty());
}

#[test]
fn schedules_are_checked_field_by_field() {
    let one = |body: &str| {
        format!(
            "[[scaling.schedule]]\nname = \"weekday-peak\"\ncron = \"0 9 * * 1-5\"\n\
             min = 2\ndesired = 4\nmax = 6\n{body}\n"
        )
    };
    assert_error(
        &one("cron = \"0 0 9 * * 1-5\"").replace("cron = \"0 9 * * 1-5\"\n", ""),
        "scaling.schedule[0].cron: \"0 0 9 * * 1-5\" has 6 fields; Auto Scaling takes five: \
         minute hour day-of-month month day-of-week, e.g. \"0 9 * * 1-5\"",
    );
    assert!(
        errors(&one("cron = \"0 nine * * *\"").replace("cron = \"0 9 * * 1-5\"\n", ""))
            .iter()
            .any(|e| e.starts_with("scaling.schedule[0].cron: its hour field \"nine\""))
    );
    assert!(
        errors(&one("timezone = \"Korea Standard Time\""))
            .iter()
            .any(|e| e.starts_with(
                "scaling.schedule[0].timezone: \"Korea Standard Time\" is not a time zone name"
            ))
    );
    let sizes = |min: u32, desired: u32, max: u32| {
        format!(
            "[[scaling.schedule]]\nname = \"weekday-peak\"\ncron = \"0 9 * * 1-5\"\n\
             min = {min}\ndesired = {desired}\nmax = {max}\n"
        )
    };
    assert_error(
        &sizes(4, 3, 6),
        "scaling.schedule[0].desired: schedule \"weekday-peak\": sizes must keep minimum ≤ \
         desired ≤ maximum, they are 4 ≤ 3 ≤ 6",
    );
    assert_error(
        &format!("{}{}", one(""), one("")),
        "scaling.schedule[1].name: two schedules are named \"weekday-peak\"; give each its own name",
    );
    assert!(
        errors(&one("").replace("weekday-peak", "Peak Hours"))[0]
            .starts_with("scaling.schedule[0].name:")
    );
    assert!(errors(&one("")).is_empty(), "a whole schedule is valid");
    // A schedule is never completed with sizes nobody wrote: each is needed.
    for missing in ["min", "desired", "max", "cron", "name"] {
        let text: String = one("")
            .lines()
            .filter(|l| !l.starts_with(&format!("{missing} =")))
            .map(|l| format!("{l}\n"))
            .collect();
        let err = Plan::from_toml(&text).unwrap_err().to_string();
        assert!(err.contains(&format!("missing field `{missing}`")), "{err}");
    }
    // AWS keeps 125 scheduled actions per group and 32-bit sizes.
    let many: String = (0..126)
        .map(|i| one("").replace("weekday-peak", &format!("s{i}")))
        .collect();
    assert!(
        errors(&many).iter().any(|e| e.starts_with(
            "scaling.schedule: 126 schedules: Auto Scaling keeps at most 125 scheduled actions"
        )),
        "{:?}",
        errors(&many)
    );
    assert_error(
        &sizes(2, 4, 4_294_967_295),
        "scaling.schedule[0].max: 4294967295 is more than AWS stores here (at most 2147483647)",
    );
    assert_error(
        "[scaling]\ncooldown_secs = 4294967295",
        "scaling.cooldown_secs: 4294967295 is more than AWS stores here (at most 2147483647)",
    );
}

#[test]
fn alert_email_needs_an_at() {
    assert_error(
        "[alerts]\nemail = \"ops.wplab.click\"\n",
        "alerts.email: \"ops.wplab.click\" is not an email address like you@example.com \
         (leave it empty for no alerts)",
    );
    for bad in [
        "@example.com",
        "me@",
        "me@example",
        "me @example.com",
        "a@b@c.com",
    ] {
        assert!(!email_ok(bad), "{bad}");
    }
    assert!(email_ok("ops+hawiz@example.co.kr"));
    assert!(errors("[alerts]\nemail = \"ops@example.com\"\n").is_empty());
}

/// Issue 10: each value `hawiz plan` once passed and apply then failed on.
#[test]
fn values_apply_would_fail_on_are_refused_naming_value_and_fix() {
    assert_error(
        "[stack]\nname = \"123\"",
        "stack.name: \"123\" must start with a letter: the database is named 123-db, and RDS names start with a letter (try \"site-123\")",
    );
    assert_error(
        "[stack]\nname = \"a--b\"",
        "stack.name: \"a--b\" has two hyphens in a row, which RDS refuses in the database's name (a--b-db); use one, like \"a-b\"",
    );
    assert_error(
        "[stack]\nname = \"site-\"",
        "stack.name: \"site-\" must end with a letter or digit",
    );
    assert_error(
        "[stack]\nname = \"internal-site\"",
        "stack.name: \"internal-site\" starts with \"internal-\", which Elastic Load Balancing reserves for internal load balancers' names; choose another name",
    );
    assert_error(
        "[stack]\nregion = \"ap-northeast-9\"",
        "stack.region: \"ap-northeast-9\" is not an AWS region; use one like ap-northeast-1, ap-northeast-2, ap-northeast-3",
    );
    assert_error(
        "[app]\ninstance_type = \"t3.potato\"",
        "app.instance_type: Web server instance type \"t3.potato\" is not an EC2 instance type: a family and a size, like t3.micro or m7g.large",
    );
    assert_error(
        "[bastion]\ninstance_type = \"t3.potato\"",
        "bastion.instance_type: Bastion instance type \"t3.potato\" is not an EC2 instance type: a family and a size, like t3.micro or m7g.large",
    );
    assert_error(
        "[database]\ninstance_class = \"db.t3.potato\"",
        "database.instance_class: Instance class \"db.t3.potato\" is not an RDS instance class: \"db.\", a family and a size, like db.t3.micro or db.m7g.large",
    );
    assert_error(
        "[database]\nusername = \"select\"",
        "database.username: Master user \"select\" is a reserved word of MariaDB/MySQL, which RDS refuses as a user name; choose another, like \"admin\" or \"select_admin\"",
    );
    assert_error(
        "[database]\nusername = \"Root\"",
        "database.username: Master user \"Root\" is reserved by RDS; choose another name, like \"admin\"",
    );
    for schema in [
        "mysql",
        "information_schema",
        "performance_schema",
        "sys",
        "select",
    ] {
        assert_error(
            &format!("[database]\ndb_name = \"{schema}\""),
            &format!(
                "database.db_name: Database name \"{schema}\" is taken by MariaDB/MySQL itself (a system schema or a reserved word); use another, like \"wordpress\""
            ),
        );
    }
    assert_error(
        "[domain]\nhost = \"www\"",
        "domain.name: no domain is given: type the domain you own, like example.com, or turn \"Use my domain\" off to use the load balancer's own address (in a plan file: remove [domain])",
    );
    // Korean: the particle follows the value's reading.
    let ko = |toml: &str| validate(&plan(toml)).errors[0].ko.clone();
    assert!(ko("[stack]\nname = \"123\"").starts_with("\"123\"은 "));
    assert!(ko("[database]\nusername = \"select\"").starts_with("마스터 사용자 \"select\"는 "));
    assert!(ko("[database]\ndb_name = \"mysql\"").starts_with("데이터베이스 이름 \"mysql\"은 "));
}

#[test]
fn the_longest_stack_name_fits_every_resource_name() {
    let name = format!("s{}", "a".repeat(31));
    let p = plan(&format!("[stack]\nname = \"{name}\""));
    assert!(validate(&p).is_ok());
    let rds = format!("{name}-db");
    assert!(rds.len() <= 63 && !rds.contains("--"));
    // IAM role names (hawiz-<stack>-<region>-app) are at most 64.
    let region = names::REGIONS.iter().max_by_key(|r| r.len()).unwrap();
    assert!(format!("hawiz-{name}-{region}-app").len() <= 64);
    for suffix in ["alb", "tg"] {
        let n = crate::blueprint::fit(&name, suffix, 32);
        assert!(
            n.len() <= 32 && !n.ends_with('-') && !n.starts_with('-'),
            "{n}"
        );
    }
}

/// Issue 18: values AWS refuses only after part of the stack was built.
#[test]
fn what_aws_would_refuse_midway_is_refused_at_plan_time() {
    let long = format!("{}.com", "a".repeat(61));
    assert_error(
        &format!("[domain]\nname = \"{long}\""),
        &format!(
            "domain.name: {long} is 65 characters long; a certificate's first name may have at \
             most 64 (ACM's limit), so HTTPS cannot be set up for it. Use a shorter domain, or \
             turn HTTPS off"
        ),
    );
    assert!(errors(&format!("[domain]\nname = \"{long}\"\nhttps = false")).is_empty());
    assert_error(
        "[app]\nmin = 0\ndesired = 0",
        "app.min: 0: with a minimum of 0, Auto Scaling may stop every web server and the site is \
         down; an HA site keeps at least 2 (one per AZ)",
    );
    assert_error(
        "[network]\ncidr = \"10.0.0.0/28\"",
        "network.public_subnets: the VPC range 10.0.0.0/28 is too small for hawiz's default \
         subnets (one public and one private per AZ, 4 in all); choose a larger range such as \
         10.0.0.0/16, or give the subnets yourself",
    );
}

#[test]
fn a_huge_stack_name_is_not_echoed_back_whole() {
    let name = "x".repeat(1_000_000);
    let errs = errors(&format!("[stack]\nname = \"{name}\""));
    assert_eq!(errs.len(), 1, "{}", errs.len());
    assert!(errs[0].len() < 300, "{} characters", errs[0].len());
    assert!(
        errs[0].contains("(1000000 characters)"),
        "{}",
        &errs[0][..200]
    );
}

const HTTPS: &str = "[domain]\nname = \"wplab.click\"\n";

#[test]
fn failover_refusals() {
    let ok = format!("{HTTPS}[failover]\nregion = \"us-east-1\"\n");
    assert!(errors(&ok).is_empty(), "{:?}", errors(&ok));
    assert_error(
        "[failover]\nregion = \"us-east-1\"\n",
        "failover: failover needs the site's own domain with HTTPS: Route 53 moves the site's name between the regions, so add [domain] (with https = true), or remove [failover]",
    );
    assert_error(
        &format!("{HTTPS}https = false\n[failover]\nregion = \"us-east-1\"\n"),
        "failover: failover needs HTTPS (domain.https = true): Route 53's health check and the standby's load balancer speak HTTPS. Turn HTTPS on, or remove [failover]",
    );
    assert_error(
        &format!("{HTTPS}[files]\nenabled = false\n[failover]\nregion = \"us-east-1\"\n"),
        "failover: failover needs the shared files (files.enabled = true): the standby serves the primary's WordPress from an EFS replica of them. Turn the shared files on, or remove [failover]",
    );
    assert_error(
        &format!("{HTTPS}[failover]\n"),
        "failover.region: no standby region is given: name the second region the site fails over to, like us-east-1 (N. Virginia, the lab's)",
    );
    assert_error(
        &format!("{HTTPS}[failover]\nregion = \"ap-northeast-2\"\n"),
        "failover.region: ap-northeast-2 is the stack's own region; a standby must be in another region to survive the loss of this one. Pick another, like us-east-1",
    );
    assert_error(
        &format!("{HTTPS}[failover]\nregion = \"us-east-9\"\n"),
        "failover.region: \"us-east-9\" is not an AWS region; use one like us-east-1, us-east-2",
    );
    assert_error(
        &format!("{ok}standby_min = 0\n"),
        "failover.standby_min: a warm standby runs at least 1 instance (0 is a pilot light: set mode = \"pilot-light\" for a standby that runs none until failover)",
    );
    assert!(errors(&format!("{ok}standby_min = 0\nmode = \"pilot-light\"\n")).is_empty());
    assert_error(
        &format!("{ok}standby_min = 9\n"),
        "failover.standby_min: 9 standby instances are more than the group's maximum (4); the standby is a scaled-down copy: lower standby_min, or raise app.max",
    );
    assert_error(
        &format!("{ok}health_check_interval = 15\n"),
        "failover.health_check_interval: 15 seconds: Route 53 checks every 10 seconds (fast) or every 30, nothing else; use 10 or 30",
    );
    assert!(errors(&format!("{ok}health_check_interval = 30\n")).is_empty());
    // Behind CloudFront, `origin.<domain>` is the load balancer's own name.
    assert_error(
        &format!("{HTTPS}host = \"origin\"\n[failover]\nregion = \"us-east-1\"\n"),
        "domain.host: origin: behind CloudFront, hawiz names the primary's load balancer origin.wplab.click for CloudFront to reach it, so the site cannot have that name. Choose another host, like www",
    );
    assert!(
        errors(&format!(
            "{HTTPS}host = \"origin\"\n[failover]\nregion = \"us-east-1\"\ncloudfront = false\n"
        ))
        .is_empty()
    );
    // The static bucket is read through CloudFront only.
    assert_error(
        &format!("{ok}cloudfront = false\nstatic_bucket = true\n"),
        "failover.static_bucket: the static bucket is private and read through CloudFront (its /static/* path), so it needs CloudFront: turn failover.cloudfront on, or static_bucket off",
    );
    assert!(errors(&format!("{ok}static_bucket = true\n")).is_empty());
    // An unknown mode is refused by the parser, naming the key and the values.
    let bad = Plan::from_toml(&format!("{ok}mode = \"hot\"\n"))
        .unwrap_err()
        .to_string();
    assert!(bad.contains("mode") && bad.contains("pilot-light"), "{bad}");
    // Korean too.
    let plan = plan(&format!("{HTTPS}[failover]\nregion = \"ap-northeast-2\"\n"));
    let report = validate(&plan);
    assert!(
        report.errors.iter().any(|f| f.ko.contains("다른 리전")),
        "{report:?}"
    );
}

#[test]
fn the_standby_plan_is_the_site_scaled_down_in_its_region() {
    let p = plan(&format!(
        "{HTTPS}[failover]\nregion = \"us-east-1\"\nstandby_min = 1\n"
    ));
    let s = p.standby().unwrap();
    assert_eq!(s.region(), "us-east-1");
    assert_eq!(s.network.azs(), ["us-east-1a", "us-east-1c"]);
    assert_eq!(s.network.nat, crate::plan::NatMode::Single);
    assert!(!s.bastion.enabled);
    assert_eq!((s.app.min, s.app.desired, s.app.max), (1, 1, 4));
    assert_eq!(s.domain, p.domain);
    assert!(plan(HTTPS).standby().is_none());
    // After `hawiz failover` it is the site: the primary's sizes.
    let mut p = p;
    p.failover.as_mut().unwrap().failed_over = Some("2026-12-03T01:00:00Z".into());
    let s = p.standby().unwrap();
    assert_eq!((s.app.min, s.app.desired, s.app.max), (2, 2, 4));
    assert_eq!(s.network.nat, crate::plan::NatMode::Single);
}
