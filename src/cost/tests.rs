use super::*;
use crate::plan::Domain;

fn run(edit: impl FnOnce(&mut Plan)) -> Result<Estimate, CostError> {
    let mut plan = Plan::default();
    edit(&mut plan);
    plan.resolve(None);
    estimate(&plan)
}

fn monthly(e: &Estimate, key: &str) -> Option<f64> {
    e.lines.iter().find(|l| l.key == key).map(|l| l.monthly)
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-6)
}

#[test]
fn default_plan_in_seoul() {
    let e = run(|_| {}).unwrap();
    assert_eq!([&*e.region, &*e.priced_as], ["ap-northeast-2"; 2]);
    assert!(!e.fallback() && e.date == "2026-11-01");
    let nat = &e.lines[0];
    assert_eq!(
        [nat.item.as_str(), &nat.note],
        ["NAT gateway × 2 (per AZ)", "+ $0.059/GB processed"]
    );
    assert!(close(monthly(&e, "nat"), 2.0 * 0.059 * 730.0));
    // Multi-AZ doubles both the instance hours and the storage.
    let rds = 2.0 * (0.026 * 730.0 + 20.0 * 0.131);
    assert!(close(monthly(&e, "rds"), rds));
    assert!(close(monthly(&e, "alb"), (0.0225 + 0.008) * 730.0));
    assert!(close(monthly(&e, "ec2-app"), 2.0 * 0.013 * 730.0));
    assert!(close(monthly(&e, "ec2-bastion"), 0.013 * 730.0));
    assert!(close(monthly(&e, "ipv4"), 5.0 * 0.005 * 730.0));
    assert!(monthly(&e, "route53").is_none() && monthly(&e, "acm").is_none());
    let sum: f64 = e.lines.iter().map(|l| l.monthly).sum();
    assert!(close(Some(e.total), sum));
    // The README's "What it costs" table says ≈ 200.
    assert!((195.0..205.0).contains(&e.total), "{}", e.total);
}

#[test]
fn nat_modes_and_adopted_vpc() {
    let per_az = monthly(&run(|_| {}).unwrap(), "nat").unwrap();
    let single = run(|p| p.network.nat = NatMode::Single).unwrap();
    assert!(close(monthly(&single, "nat"), per_az / 2.0));
    let none = run(|p| p.network.nat = NatMode::None).unwrap();
    assert!(monthly(&none, "nat").is_none());
    let adopted = run(|p| {
        p.network.vpc_id = "vpc-0abc".into();
        p.network.public_subnet_ids = vec!["subnet-a".into(), "subnet-b".into()];
    })
    .unwrap();
    assert!(close(monthly(&adopted, "nat"), 0.0));
    assert!(close(monthly(&adopted, "ipv4"), 3.0 * 0.005 * 730.0));
}

#[test]
fn prices_read_like_prices() {
    assert_eq!(
        [usd(0.3), usd(0.059), usd(0.0225), usd(2.0)],
        ["$0.30", "$0.059", "$0.0225", "$2.00"]
    );
}

#[test]
fn unknown_region_falls_back_and_says_so() {
    let e = run(|p| p.stack.region = Some("sa-east-1".into())).unwrap();
    assert_eq!([&*e.region, &*e.priced_as], ["sa-east-1", "us-east-1"]);
    assert!(e.fallback());
    let caption = e.caption();
    assert!(caption.starts_with("no prices for sa-east-1"), "{caption}");
    assert!(caption.contains("priced as us-east-1"), "{caption}");
}

#[test]
fn unknown_instance_type_or_class_is_an_error() {
    let err = run(|p| p.app.instance_type = "m9.huge".into()).unwrap_err();
    let want = r#"no price for instance type "m9.huge" in ap-northeast-2 (assets/prices.toml)"#;
    assert_eq!(err.to_string(), want);
    let err = run(|p| p.database.instance_class = "db.x9".into()).unwrap_err();
    assert!(matches!(err, CostError::DbClass { .. }), "{err}");
}

#[test]
fn domain_adds_route53_and_acm() {
    let e = run(|p| p.domain = Some(Domain::default())).unwrap();
    assert!(close(monthly(&e, "route53"), 0.50) && close(monthly(&e, "acm"), 0.0));
    let e = run(|p| {
        let d = p.domain.insert(Domain::default());
        (d.create_hosted_zone, d.https) = (false, false);
    })
    .unwrap();
    assert!(monthly(&e, "route53").is_none() && monthly(&e, "acm").is_none());
}

#[test]
fn table_parses_and_every_region_has_every_key() {
    // Missing or unknown scalar keys already fail the parse (no defaults, deny_unknown_fields).
    let t = table().unwrap();
    assert_eq!(t.hours_per_month, 730);
    for region in ["ap-northeast-2", "us-east-1", "eu-west-1", "ap-northeast-1"] {
        let p = &t.regions[region];
        for it in "t3.micro t3.small t3.medium t4g.micro t4g.small".split(' ') {
            let (ec2, rds) = (p.ec2.get(it), p.rds.get(&format!("db.{it}")));
            assert!(ec2.is_some_and(|&h| h > 0.0), "{region} {it}");
            assert!(rds.is_some_and(|&h| h > 0.0), "{region} db.{it}");
        }
    }
    assert!(t.regions.contains_key(FALLBACK_REGION));
}

/// Every line has its Korean words (the review screen shows them in Korean mode).
#[test]
fn every_line_reads_in_korean() {
    let est = run(|p| {
        p.alerts.email = "ops@example.com".into();
        p.domain = Some(crate::plan::Domain {
            name: "wplab.click".into(),
            ..Default::default()
        });
    })
    .unwrap();
    for l in &est.lines {
        let ko = l.item(crate::i18n::Lang::Ko);
        assert!(!ko.is_empty(), "{}", l.key);
        let english_words = [
            "gateway",
            "bastion",
            "app)",
            "hosted zone",
            "certificate",
            "alarms",
            "dashboard",
            "backups",
            "flow logs",
            "rules",
            "Public",
        ];
        assert!(!english_words.iter().any(|w| ko.contains(w)), "{ko}");
    }
    assert_eq!(
        est.lines
            .iter()
            .find(|l| l.key == "nat")
            .unwrap()
            .item(crate::i18n::Lang::Ko),
        "NAT 게이트웨이 × 2 (가용 영역마다)"
    );
}

#[test]
fn alarms_and_the_dashboard_are_priced() {
    let line = |e: &Estimate, k: &str| e.lines.iter().find(|l| l.key == k).cloned();
    let base = run(|_| {}).unwrap();
    assert!(
        line(&base, "alarms").is_none(),
        "target tracking makes no alarm of hawiz's"
    );
    assert!(close(monthly(&base, "dashboard"), 3.0));
    let ops = run(|p| {
        p.scaling.policy = crate::plan::ScalingPolicy::Simple;
        p.alerts.email = "ops@example.com".into();
        p.alerts.dashboard = false;
    })
    .unwrap();
    assert!(close(monthly(&ops, "alarms"), 0.6));
    assert_eq!(line(&ops, "alarms").unwrap().item, "CloudWatch alarms × 6");
    assert!(line(&ops, "dashboard").is_none());
}

#[test]
fn the_security_options_are_priced() {
    let mut plan = Plan::default();
    plan.network.flow_logs = true;
    plan.load_balancer.waf = true;
    plan.resolve(None);
    let e = estimate(&plan).unwrap();
    let line = |key: &str| e.lines.iter().find(|l| l.key == key).unwrap().clone();
    assert_eq!(line("waf").monthly, 10.0);
    assert!(line("waf").note.contains("/million requests"));
    assert!(line("flow-logs").monthly > 0.0);
    assert!(
        line("efs-backup").monthly > 0.0,
        "backups are on by default"
    );
    let plain = {
        let mut p = Plan::default();
        p.resolve(None);
        estimate(&p).unwrap()
    };
    assert!(
        !plain
            .lines
            .iter()
            .any(|l| l.key == "waf" || l.key == "flow-logs")
    );
    assert!((e.total - plain.total - 10.0 - line("flow-logs").monthly).abs() < 0.001);
    assert!(snapshot_monthly("ap-northeast-2", 20).unwrap() > 1.0);
}

/// A standby region is priced at its own region's prices, on lines of its own, and
/// the health check with the rest; a pilot light costs less than a warm standby.
#[test]
fn a_standby_region_is_priced_on_its_own_lines() {
    let plan = |extra: &str| {
        let mut p = Plan::from_toml(&format!(
            "[domain]\nname = \"wplab.click\"\n[failover]\nregion = \"us-east-1\"\n{extra}"
        ))
        .unwrap();
        p.resolve(None);
        p
    };
    let single = {
        let mut p = plan("");
        p.failover = None;
        estimate(&p).unwrap()
    };
    let warm = estimate(&plan("")).unwrap();
    let pilot = estimate(&plan("mode = \"pilot-light\"\n")).unwrap();
    let standby: Vec<&Line> = warm
        .lines
        .iter()
        .filter(|l| l.item.starts_with("Standby us-east-1: "))
        .collect();
    assert!(
        standby.iter().any(|l| l.item.contains("NAT gateway × 1")),
        "{standby:#?}"
    );
    assert!(standby.iter().any(|l| l.key == "rds"), "{standby:#?}");
    assert!(
        standby
            .iter()
            .all(|l| l.item_ko.starts_with("대기 us-east-1: "))
    );
    assert!(
        warm.lines
            .iter()
            .any(|l| l.key == "health-check" && !l.item.starts_with("Standby"))
    );
    // CloudFront in front (the default) is priced as what it is at a lab's traffic:
    // nothing, with why.
    let front = warm
        .lines
        .iter()
        .find(|l| l.key == "cloudfront")
        .expect("a CloudFront line");
    assert_eq!(front.monthly, 0.0);
    assert!(front.note.contains("10 M requests"), "{}", front.note);
    assert!(
        !estimate(&plan("cloudfront = false\n"))
            .unwrap()
            .lines
            .iter()
            .any(|l| l.key == "cloudfront")
    );
    let extra = warm.total - single.total;
    // Research §6: ≈ $89 a month for a minimum warm standby, ≈ $41 for a pilot light
    // (priced here from assets/prices.toml, with the files and the fast HTTPS check).
    assert!(
        (70.0..110.0).contains(&extra),
        "warm standby adds {extra:.2}"
    );
    let extra_pilot = pilot.total - single.total;
    assert!(
        (30.0..60.0).contains(&extra_pilot),
        "pilot light adds {extra_pilot:.2}"
    );
}
