//! The monthly cost estimate on the review screen: per region, dated, from assets/prices.toml.
//!
//! Only the always-on, hourly-billed parts are summed; traffic-driven charges (NAT data,
//! extra LCUs, DNS queries) go in each line's note, because they depend on the site's
//! traffic, which hawiz cannot know.

use crate::plan::{NatMode, Plan};
use serde::Deserialize;
use std::collections::BTreeMap;

/// Embedded so the estimate works offline and in the released binary without assets on disk.
const PRICES: &str = include_str!("../assets/prices.toml");
/// Priced instead of a region the table lacks: AWS's reference region; the estimate says so.
const FALLBACK_REGION: &str = "us-east-1";
/// The root volume size of the AMIs hawiz launches (gp3).
const EBS_GIB_PER_INSTANCE: f64 = 8.0;
/// A WordPress wp-content is well under 1 GiB; EFS bills what is stored.
const EFS_GIB: f64 = 1.0;
/// Light traffic stays around one LCU; more traffic shows up in the ALB line's note.
const ALB_LCUS: f64 = 1.0;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    date: String,
    currency: String,
    hours_per_month: u32,
    source: String,
    regions: BTreeMap<String, Prices>,
}

/// One region's unit prices. No field has a default, so a region missing a key fails to parse.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Prices {
    nat_gateway_hour: f64,
    nat_gateway_gb: f64,
    public_ipv4_hour: f64,
    alb_hour: f64,
    alb_lcu_hour: f64,
    /// Instance type → hourly on-demand price (Linux).
    ec2: BTreeMap<String, f64>,
    /// DB instance class → hourly price, single-AZ MariaDB/MySQL (Multi-AZ is billed 2x).
    rds: BTreeMap<String, f64>,
    rds_gp3_gib_month: f64,
    /// Manual DB snapshots (a destroyed stack's final snapshot).
    rds_snapshot_gib_month: f64,
    /// AWS Backup, EFS warm storage.
    backup_gib_month: f64,
    /// CloudWatch Logs, vended logs (VPC flow logs), first tier.
    logs_ingest_gb: f64,
    waf_acl_month: f64,
    waf_rule_month: f64,
    waf_million_requests: f64,
    /// A standard-resolution CloudWatch alarm.
    cloudwatch_alarm_month: f64,
    /// A CloudWatch dashboard (the first three of an account are free).
    cloudwatch_dashboard_month: f64,
    ebs_gp3_gib_month: f64,
    efs_standard_gib_month: f64,
    route53_zone_month: f64,
}

/// One row of the estimate.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// What is billed and how many, e.g. "NAT gateway × 2 (per AZ)".
    pub item: String,
    /// The same in Korean, e.g. "NAT 게이트웨이 × 2 (가용 영역마다)".
    pub item_ko: String,
    /// A stable id for the row: "nat", "rds", "alb", "ec2-app", "ec2-bastion", "ipv4",
    /// "ebs", "efs", "route53", "acm".
    pub key: &'static str,
    pub monthly: f64,
    /// What comes on top with traffic or growth, e.g. "+ $0.059/GB processed"; may be empty.
    pub note: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    /// The plan's region.
    pub region: String,
    /// The region whose prices were used: differs from `region` when the table lacks it.
    pub priced_as: String,
    /// The date the price table was taken.
    pub date: String,
    pub currency: String,
    /// Where the prices come from (and that they are for planning only).
    pub source: String,
    pub lines: Vec<Line>,
    pub total: f64,
}

impl Estimate {
    /// True when the plan's region is not in the table and another region's prices were used.
    pub fn fallback(&self) -> bool {
        self.priced_as != self.region
    }

    /// A one-line caption for the table: region, date and hours, and the fallback if any.
    pub fn caption(&self) -> String {
        let base = format!(
            "{} per month, on-demand, as of {} ({})",
            self.currency, self.date, self.source
        );
        if self.fallback() {
            format!(
                "no prices for {} in assets/prices.toml: priced as {}; {base}",
                self.region, self.priced_as
            )
        } else {
            format!("{}: {base}", self.region)
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CostError {
    #[error("no price for instance type \"{name}\" in {region} (assets/prices.toml)")]
    InstanceType { name: String, region: String },
    #[error("no price for DB instance class \"{name}\" in {region} (assets/prices.toml)")]
    DbClass { name: String, region: String },
    /// Only a broken build can hit this: the table is embedded and checked by a test.
    #[error("price table assets/prices.toml is not valid: {0}")]
    Table(String),
}

fn table() -> Result<Table, CostError> {
    toml::from_str(PRICES).map_err(|e| CostError::Table(e.to_string().trim_end().to_string()))
}

/// What keeping a database snapshot of `gib` costs a month in `region`, if priced.
pub fn snapshot_monthly(region: &str, gib: u32) -> Option<f64> {
    let t = table().ok()?;
    let p = t
        .regions
        .get(region)
        .or_else(|| t.regions.get(FALLBACK_REGION))?;
    Some(f64::from(gib) * p.rds_snapshot_gib_month)
}

/// The alarms the plan makes: two for simple scaling, four for alerts.
fn alarm_count(plan: &Plan) -> u32 {
    let scaling = if plan.scaling.policy == crate::plan::ScalingPolicy::Simple {
        2
    } else {
        0
    };
    let alerts = if plan.alerts.email.trim().is_empty() {
        0
    } else {
        4
    };
    scaling + alerts
}

impl Line {
    pub fn item(&self, lang: crate::i18n::Lang) -> &str {
        lang.pick(&self.item, &self.item_ko)
    }
}

fn line(key: &'static str, item: (String, String), monthly: f64, note: impl Into<String>) -> Line {
    let note = note.into();
    let (item, item_ko) = item;
    Line {
        item,
        item_ko,
        key,
        monthly,
        note,
    }
}

/// A unit price as AWS writes it: at least cents, more digits only when they matter.
fn usd(x: f64) -> String {
    let s = format!("{x:.4}");
    let s = s.trim_end_matches('0');
    let decimals = s.len() - s.find('.').map_or(s.len(), |dot| dot + 1);
    if decimals <= 2 {
        format!("${x:.2}")
    } else {
        format!("${s}")
    }
}

/// The note `s()` when `cond`, else none.
fn note_if(cond: bool, s: impl FnOnce() -> String) -> String {
    if cond { s() } else { String::new() }
}

/// Estimate the monthly cost of a resolved plan (`Plan::resolve` already ran).
pub fn estimate(plan: &Plan) -> Result<Estimate, CostError> {
    let mut table = table()?;
    let region = plan.region().to_string();
    let priced_as = match table.regions.contains_key(&region) {
        true => region.clone(),
        false => FALLBACK_REGION.to_string(),
    };
    let Some(p) = table.regions.remove(&priced_as) else {
        return Err(CostError::Table(format!("no [regions.\"{priced_as}\"]")));
    };
    let hours = f64::from(table.hours_per_month);
    let ec2_hour = |name: &str| {
        let (name, region) = (name.to_string(), priced_as.clone());
        let price = p.ec2.get(&name).copied();
        price.ok_or(CostError::InstanceType { name, region })
    };
    let mut lines = Vec::new();

    let net = &plan.network;
    // An adopted VPC's AZs are those of the public subnets hawiz is told to use.
    let az_count = match net.adopts_vpc() {
        true => net.public_subnet_ids.len(),
        false => net.azs().len(),
    } as u32;
    // hawiz creates NAT gateways only in a VPC it creates; an adopted VPC brings its own,
    // shown at 0 so its bill is not forgotten.
    let (nats, mode, mode_ko) = match net.nat {
        _ if net.adopts_vpc() => (0, "adopted VPC's own", "가져온 VPC의 것"),
        NatMode::PerAz => (az_count, "per AZ", "가용 영역마다"),
        NatMode::Single => (1, "single", "하나"),
        NatMode::None => (0, "none", "없음"),
    };
    if nats > 0 || net.adopts_vpc() {
        let item = (
            format!("NAT gateway × {nats} ({mode})"),
            format!("NAT 게이트웨이 × {nats} ({mode_ko})"),
        );
        let monthly = f64::from(nats) * p.nat_gateway_hour * hours;
        let note = match nats {
            0 => "billed with the adopted VPC, not counted here".to_string(),
            _ => format!("+ {}/GB processed", usd(p.nat_gateway_gb)),
        };
        lines.push(line("nat", item, monthly, note));
    }

    // Multi-AZ runs a standby with its own storage: instance hours and storage bill twice.
    let db = &plan.database;
    let class = db.instance_class.trim();
    let Some(db_hour) = p.rds.get(class).copied() else {
        let (name, region) = (class.to_string(), priced_as);
        return Err(CostError::DbClass { name, region });
    };
    let (copies, az, az_ko, x2) = match db.multi_az {
        true => (2.0, "Multi-AZ", "다중 AZ", " ×2"),
        false => (1.0, "single-AZ", "단일 AZ", ""),
    };
    let gib = db.storage_gib;
    let item = (
        format!("RDS {class} {az} + {gib} GiB gp3{x2}"),
        format!("RDS {class} {az_ko} + {gib} GiB gp3{x2}"),
    );
    let monthly = copies * (db_hour * hours + f64::from(gib) * p.rds_gp3_gib_month);
    let note = note_if(db.max_storage_gib > gib, || {
        format!("storage may grow to {} GiB", db.max_storage_gib)
    });
    lines.push(line("rds", item, monthly, note));

    let item = (
        "Application Load Balancer + ~1 LCU".to_string(),
        "Application Load Balancer + 약 1 LCU".to_string(),
    );
    let monthly = (p.alb_hour + ALB_LCUS * p.alb_lcu_hour) * hours;
    let note = format!("+ {}/LCU-hour with more traffic", usd(p.alb_lcu_hour));
    lines.push(line("alb", item, monthly, note));

    // The ASG runs `desired` instances in steady state; it scales out only under load.
    let app = &plan.app;
    let (it, n) = (app.instance_type.trim(), app.desired);
    let item = (
        format!("EC2 {it} × {n} (app)"),
        format!("EC2 {it} × {n} (앱)"),
    );
    let monthly = f64::from(n) * ec2_hour(it)? * hours;
    let note = note_if(app.max > n, || format!("up to {} when scaled out", app.max));
    lines.push(line("ec2-app", item, monthly, note));
    let bastion = plan.bastion.enabled;
    if bastion {
        let it = plan.bastion.instance_type.trim();
        let item = (
            format!("EC2 {it} × 1 (bastion)"),
            format!("EC2 {it} × 1 (배스천)"),
        );
        lines.push(line("ec2-bastion", item, ec2_hour(it)? * hours, ""));
    }

    let n = app.desired + u32::from(bastion);
    let ebs = format!("EBS gp3 {EBS_GIB_PER_INSTANCE} GiB × {n}");
    let item = (ebs.clone(), ebs);
    let monthly = f64::from(n) * EBS_GIB_PER_INSTANCE * p.ebs_gp3_gib_month;
    lines.push(line("ebs", item, monthly, ""));

    // AWS bills every public IPv4: each NAT's EIP, the bastion's, and one per ALB node
    // (an ALB spans at least two AZs).
    let (b, alb) = (u32::from(bastion), az_count.max(2));
    let n = nats + b + alb;
    let item = (
        format!("Public IPv4 × {n} ({nats} NAT, {b} bastion, {alb} ALB)"),
        format!("퍼블릭 IPv4 × {n} (NAT {nats}, 배스천 {b}, ALB {alb})"),
    );
    let monthly = f64::from(n) * p.public_ipv4_hour * hours;
    lines.push(line("ipv4", item, monthly, ""));

    if plan.files.enabled {
        let price = p.efs_standard_gib_month;
        let item = (
            format!("EFS Standard ~{EFS_GIB} GiB"),
            format!("EFS Standard 약 {EFS_GIB} GiB"),
        );
        let note = format!("{}/GiB-month stored", usd(price));
        lines.push(line("efs", item, EFS_GIB * price, note));
    }

    if plan.files.enabled && plan.files.backups {
        let item = (
            format!("EFS backups (AWS Backup) ~{EFS_GIB} GiB"),
            format!("EFS 백업 (AWS Backup) 약 {EFS_GIB} GiB"),
        );
        let note = format!("{}/GiB-month of backups kept", usd(p.backup_gib_month));
        lines.push(line("efs-backup", item, EFS_GIB * p.backup_gib_month, note));
    }

    if net.flow_logs {
        // A quiet site's flow logs are well under a gigabyte a month.
        let item = (
            "VPC flow logs (CloudWatch Logs) ~1 GB".to_string(),
            "VPC 흐름 로그 (CloudWatch Logs) 약 1 GB".to_string(),
        );
        let note = format!("{}/GB ingested, 30 days kept", usd(p.logs_ingest_gb));
        lines.push(line("flow-logs", item, p.logs_ingest_gb, note));
    }

    if plan.load_balancer.waf {
        // One web ACL with five rules: four AWS managed rule groups and the login limit.
        let item = (
            "AWS WAF web ACL + 5 rules".to_string(),
            "AWS WAF 웹 ACL + 규칙 5개".to_string(),
        );
        let monthly = p.waf_acl_month + 5.0 * p.waf_rule_month;
        let note = format!("+ {}/million requests", usd(p.waf_million_requests));
        lines.push(line("waf", item, monthly, note));
    }

    let alarms = alarm_count(plan);
    if alarms > 0 {
        let item = (
            format!("CloudWatch alarms × {alarms}"),
            format!("CloudWatch 경보 × {alarms}"),
        );
        let note = if plan.alerts.email.trim().is_empty() {
            String::new()
        } else {
            "+ email alerts (first 1,000 mails a month free)".to_string()
        };
        let monthly = f64::from(alarms) * p.cloudwatch_alarm_month;
        lines.push(line("alarms", item, monthly, note));
    }
    if plan.alerts.dashboard {
        let item = (
            "CloudWatch dashboard".to_string(),
            "CloudWatch 대시보드".to_string(),
        );
        let note = "free if it is one of the account's first three";
        lines.push(line("dashboard", item, p.cloudwatch_dashboard_month, note));
    }

    if let Some(domain) = &plan.domain {
        if domain.create_hosted_zone {
            let zone = domain.name.trim();
            let item = (
                format!("Route 53 hosted zone {zone}"),
                format!("Route 53 호스팅 영역 {zone}"),
            );
            lines.push(line("route53", item, p.route53_zone_month, "+ queries"));
        }
        if domain.https {
            let item = ("ACM certificate".to_string(), "ACM 인증서".to_string());
            lines.push(line("acm", item, 0.0, "free (public, on the ALB)"));
        }
    }

    let total = lines.iter().map(|l| l.monthly).sum();
    let (date, currency, source) = (table.date, table.currency, table.source);
    Ok(Estimate {
        region,
        priced_as,
        date,
        currency,
        source,
        lines,
        total,
    })
}

#[cfg(test)]
mod tests {
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
                name: "example.com".into(),
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
}
