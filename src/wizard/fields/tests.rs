//! The fields' own checks: every answer round-trips through text, the defaults are the
//! plan's, and findings land at the field that owns them.

use super::*;
use crate::plan::Domain;

fn plan() -> Plan {
    let mut p = Plan::default();
    p.resolve(None);
    p
}

#[test]
fn every_field_round_trips_through_text() {
    let mut p = plan();
    p.domain = Some(Domain::default());
    let mut profile = "default".to_string();
    for spec in all() {
        let before = get(&p, &profile, spec.id);
        set(&mut p, &mut profile, spec.id, &before).unwrap();
        assert_eq!(get(&p, &profile, spec.id), before, "{:?}", spec.id);
    }
}

#[test]
fn defaults_are_the_spec_defaults() {
    let p = plan();
    assert_eq!(get(&p, "", FieldId::Region), "ap-northeast-2");
    assert_eq!(get(&p, "", FieldId::Cidr), "10.0.0.0/16");
    assert_eq!(
        get(&p, "", FieldId::PublicSubnets),
        "10.0.0.0/24, 10.0.1.0/24"
    );
    assert_eq!(get(&p, "", FieldId::Nat), "per-az");
    assert_eq!(get(&p, "", FieldId::MultiAz), "true");
    assert_eq!(get(&p, "", FieldId::Desired), "2");
}

#[test]
fn numbers_are_checked_in_both_languages() {
    let mut p = plan();
    let e = set(&mut p, &mut String::new(), FieldId::Storage, "twenty").unwrap_err();
    assert_eq!(e.text(Lang::En), "\"twenty\" is not a number");
    assert!(e.text(Lang::Ko).contains("숫자가 아닙니다"));
}

#[test]
fn region_change_moves_the_azs() {
    let mut p = plan();
    set(&mut p, &mut String::new(), FieldId::Region, "us-east-1").unwrap();
    assert_eq!(p.network.azs(), ["us-east-1a", "us-east-1c"]);
}

#[test]
fn visibility_follows_answers() {
    let mut p = plan();
    assert!(visible(&p, FieldId::Cidr) && !visible(&p, FieldId::VpcId));
    set(&mut p, &mut String::new(), FieldId::VpcMode, "existing").unwrap();
    assert!(!visible(&p, FieldId::Cidr) && visible(&p, FieldId::VpcId));
    assert!(!visible(&p, FieldId::DomainName));
    set(&mut p, &mut String::new(), FieldId::DomainEnabled, "true").unwrap();
    assert!(visible(&p, FieldId::DomainName));
}

#[test]
fn known_sets_refuse_at_the_field() {
    let p = plan();
    let azs: Vec<String> = ["ap-northeast-2a", "ap-northeast-2c"]
        .map(String::from)
        .to_vec();
    let e = not_in_set(&p, FieldId::Az2, "ap-northeast-2z", &azs).unwrap();
    assert!(e.en.starts_with("Second AZ ap-northeast-2z is not an availability zone"));
    assert!(not_in_set(&p, FieldId::Az2, "ap-northeast-2c", &azs).is_none());
    assert!(not_in_set(&p, FieldId::Az2, "ap-northeast-2z", &[]).is_none());
    let keys = vec!["mine".to_string()];
    assert!(not_in_set(&p, FieldId::KeyName, "", &keys).is_none());
    let e = not_in_set(&p, FieldId::KeyName, "nope", &keys).unwrap();
    assert!(e.en.contains("leave the key pair empty"), "{}", e.en);
    let types = vec!["t3.micro".to_string()];
    assert!(not_in_set(&p, FieldId::AppType, "x9.large", &types).is_some());
    let classes = vec!["db.t3.micro".to_string()];
    assert!(not_in_set(&p, FieldId::DbClass, "db.x9.large", &classes).is_some());
    let regions = vec!["ap-northeast-2".to_string(), "us-east-1".to_string()];
    let e = not_in_set(&p, FieldId::Region, "us-east-1x", &regions).unwrap();
    assert!(e.en.contains("\"us-east-1x\""), "{}", e.en);
}

#[test]
fn findings_find_their_field() {
    assert!(owns(
        &["network.public_subnets"],
        "network.public_subnets[1]"
    ));
    assert!(owns(&["network.public_subnets"], "network.public_subnets"));
    assert!(!owns(
        &["network.public_subnets"],
        "network.public_subnet_ids[0]"
    ));
    assert!(owns(&["network.azs[1]", "network.azs"], "network.azs"));
    assert!(!owns(&["network.azs[1]", "network.azs"], "network.azs[0]"));
}

#[test]
fn seed_003_fields_write_the_plan_and_own_its_findings() {
    let mut p = plan();
    let mut profile = String::new();
    set(&mut p, &mut profile, FieldId::ScalingPolicy, "simple").unwrap();
    assert!(visible(&p, FieldId::CpuAlarms) && !visible(&p, FieldId::CpuTarget));
    set(&mut p, &mut profile, FieldId::CpuAlarms, "50/60").unwrap();
    let bad = set(&mut p, &mut profile, FieldId::StepCooldown, "1").unwrap_err();
    assert!(
        bad.en
            .contains("write 2 numbers separated by '/', e.g. 1/300"),
        "{}",
        bad.en
    );
    assert!(!visible(&p, FieldId::ScheduleCron));
    set(&mut p, &mut profile, FieldId::Schedule, "true").unwrap();
    set(&mut p, &mut profile, FieldId::ScheduleSizes, "5/2/6").unwrap();
    set(&mut p, &mut profile, FieldId::ScheduleZone, "Mars/Olympus").unwrap();
    let report = crate::plan::validate::validate(&p);
    let spec = |id| all().into_iter().find(|s| s.id == id).unwrap();
    for (id, words) in [
        (FieldId::CpuAlarms, "scale-in threshold (60 %)"),
        (FieldId::ScheduleSizes, "5 ≤ 2 ≤ 6"),
        (
            FieldId::ScheduleZone,
            "\"Mars/Olympus\" is not a time zone name",
        ),
    ] {
        assert!(
            report
                .errors
                .iter()
                .any(|f| owns(spec(id).paths, &f.field) && f.message.contains(words)),
            "{id:?}: {:#?}",
            report.errors
        );
    }
    assert_eq!(get(&p, "", FieldId::ScheduleSizes), "5/2/6");
    set(&mut p, &mut profile, FieldId::Schedule, "false").unwrap();
    assert!(p.scaling.schedule.is_empty());
}

/// CloudFront off takes the static bucket (read only through it) with it: its field is
/// hidden then, so no refusal is left at a field nobody sees.
#[test]
fn cloudfront_off_turns_the_static_bucket_off() {
    let mut p = plan();
    let mut profile = String::new();
    set(&mut p, &mut profile, FieldId::FailoverEnabled, "true").unwrap();
    set(&mut p, &mut profile, FieldId::StaticBucket, "true").unwrap();
    assert!(p.failover.as_ref().unwrap().static_bucket);
    set(&mut p, &mut profile, FieldId::CloudFront, "false").unwrap();
    assert!(!p.failover.as_ref().unwrap().static_bucket);
    assert!(!visible(&p, FieldId::StaticBucket));
}
