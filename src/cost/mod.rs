//! The monthly cost estimate on the review screen: per region, dated, from assets/prices.toml.
//!
//! What is priced is the plan's graph: every kind says what it is billed for
//! (`Resource::charges`), and this module prices those charges and adds them up into the
//! lines the review shows. Only the always-on, hourly-billed parts are summed;
//! traffic-driven charges (NAT data, extra LCUs, DNS queries) go in each line's note,
//! because they depend on the site's traffic, which hawiz cannot know.

mod table;

use crate::engine::charge::{Charge, Role};
use crate::plan::{NatMode, Plan};
use table::{FALLBACK_REGION, table};

/// A WordPress wp-content is well under 1 GiB; EFS bills what is stored.
const EFS_GIB: f64 = 1.0;
/// Light traffic stays around one LCU; more traffic shows up in the ALB line's note.
const ALB_LCUS: f64 = 1.0;
/// A quiet site's flow logs are well under a gigabyte a month.
const FLOW_LOG_GB: f64 = 1.0;

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
    /// The hours a month is priced as (730): the total per hour is `total / hours`.
    pub hours: f64,
}

impl Estimate {
    /// True when the plan's region is not in the table and another region's prices were used.
    /// What it costs per hour it runs.
    pub fn hourly(&self) -> f64 {
        self.total / self.hours
    }

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
    /// The plan does not make a graph (only an invalid plan, which is refused earlier).
    #[error("the plan cannot be priced: {0}")]
    Plan(String),
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

impl Line {
    pub fn item(&self, lang: crate::i18n::Lang) -> &str {
        lang.pick(&self.item, &self.item_ko)
    }
}

/// Route 53 health check list prices (global): an AWS endpoint, and each optional
/// feature (HTTPS, the fast interval).
const HEALTH_CHECK_MONTH: f64 = 0.50;
const HEALTH_CHECK_OPTION_MONTH: f64 = 1.00;

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

/// Estimate the monthly cost of a resolved plan (`Plan::resolve` already ran): the
/// charges of every resource its graph builds.
pub fn estimate(plan: &Plan) -> Result<Estimate, CostError> {
    estimate_of(plan, |_| true)
}

/// The estimate of part of the plan: the resources whose keys `keep` (what a build while
/// answering has started).
pub fn estimate_of(plan: &Plan, keep: impl Fn(&str) -> bool) -> Result<Estimate, CostError> {
    let graph = crate::blueprint::build(plan, std::path::Path::new(""))
        .map_err(|e| CostError::Plan(e.to_string()))?;
    // A failover standby is billed at its own region's prices, on lines of its own.
    let (here, there): (Vec<_>, Vec<_>) = graph
        .nodes()
        .filter(|n| keep(&n.key))
        .partition(|n| n.region.is_none() && n.res.billed_in().is_none());
    let charges: Vec<Charge> = here.iter().flat_map(|n| n.res.charges()).collect();
    let mut estimate = price(plan, &charges)?;
    if let Some(standby) = plan.standby()
        && !there.is_empty()
    {
        let charges: Vec<Charge> = there.iter().flat_map(|n| n.res.charges()).collect();
        let away = price(&standby, &charges)?;
        let region = standby.region();
        estimate.lines.extend(away.lines.into_iter().map(|l| Line {
            item: format!("Standby {region}: {}", l.item),
            item_ko: format!("대기 {region}: {}", l.item_ko),
            ..l
        }));
        estimate.total += away.total;
    }
    Ok(estimate)
}

/// The charges, priced in the plan's region and gathered into the review's lines.
fn price(plan: &Plan, charges: &[Charge]) -> Result<Estimate, CostError> {
    let region = plan.region().to_string();
    let (table, priced_as, p) = table()?.take(&region)?;
    let hours = f64::from(table.hours_per_month);
    let ec2_hour = |name: &str| {
        let (name, region) = (name.to_string(), priced_as.clone());
        let price = p.ec2.get(&name).copied();
        price.ok_or(CostError::InstanceType { name, region })
    };
    let count = |want: fn(&Charge) -> bool| {
        u32::try_from(charges.iter().filter(|c| want(c)).count()).unwrap_or(u32::MAX)
    };
    let mut lines = Vec::new();

    // NAT gateways. An adopted VPC brings its own, shown at 0 so its bill is not forgotten.
    let nats = count(|c| matches!(c, Charge::NatGateway));
    let adopted = count(|c| matches!(c, Charge::AdoptedNetwork)) > 0;
    let (mode, mode_ko) = match plan.network.nat {
        _ if adopted => ("adopted VPC's own", "가져온 VPC의 것"),
        NatMode::PerAz => ("per AZ", "가용 영역마다"),
        NatMode::Single => ("single", "하나"),
        NatMode::None => ("none", "없음"),
    };
    if nats > 0 || adopted {
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
    for c in charges {
        let Charge::Database {
            class,
            multi_az,
            gib,
            max_gib,
        } = c
        else {
            continue;
        };
        let class = class.trim();
        let Some(db_hour) = p.rds.get(class).copied() else {
            let (name, region) = (class.to_string(), priced_as);
            return Err(CostError::DbClass { name, region });
        };
        let (copies, az, az_ko, x2) = match multi_az {
            true => (2.0, "Multi-AZ", "다중 AZ", " ×2"),
            false => (1.0, "single-AZ", "단일 AZ", ""),
        };
        let item = (
            format!("RDS {class} {az} + {gib} GiB gp3{x2}"),
            format!("RDS {class} {az_ko} + {gib} GiB gp3{x2}"),
        );
        let monthly = copies * (db_hour * hours + f64::from(*gib) * p.rds_gp3_gib_month);
        let note = note_if(max_gib > gib, || {
            format!("storage may grow to {max_gib} GiB")
        });
        lines.push(line("rds", item, monthly, note));
    }

    for _ in 0..count(|c| matches!(c, Charge::LoadBalancer)) {
        let item = (
            "Application Load Balancer + ~1 LCU".to_string(),
            "Application Load Balancer + 약 1 LCU".to_string(),
        );
        let monthly = (p.alb_hour + ALB_LCUS * p.alb_lcu_hour) * hours;
        let note = format!("+ {}/LCU-hour with more traffic", usd(p.alb_lcu_hour));
        lines.push(line("alb", item, monthly, note));
    }

    // The app tier first, then the bastion.
    let mut instances: Vec<&Charge> = charges
        .iter()
        .filter(|c| matches!(c, Charge::Instances { .. }))
        .collect();
    instances.sort_by_key(|c| match c {
        Charge::Instances { role, .. } => *role != Role::App,
        _ => true,
    });
    for c in instances {
        let Charge::Instances {
            role,
            instance_type,
            count: n,
            max,
        } = c
        else {
            continue;
        };
        let it = instance_type.trim();
        let (key, what, what_ko) = match role {
            Role::Bastion => ("ec2-bastion", "bastion", "배스천"),
            _ => ("ec2-app", "app", "앱"),
        };
        let item = (
            format!("EC2 {it} × {n} ({what})"),
            format!("EC2 {it} × {n} ({what_ko})"),
        );
        let monthly = f64::from(*n) * ec2_hour(it)? * hours;
        let note = note_if(max > n, || format!("up to {max} when scaled out"));
        lines.push(line(key, item, monthly, note));
    }

    let volumes: Vec<(u32, u32)> = charges
        .iter()
        .filter_map(|c| match c {
            Charge::Volumes { gib, count } => Some((*gib, *count)),
            _ => None,
        })
        .collect();
    if let Some(&(gib, _)) = volumes.first() {
        let n: u32 = volumes.iter().map(|(_, n)| n).sum();
        let gib_total: u32 = volumes.iter().map(|(g, n)| g * n).sum();
        let ebs = format!("EBS gp3 {gib} GiB × {n}");
        let monthly = f64::from(gib_total) * p.ebs_gp3_gib_month;
        lines.push(line("ebs", (ebs.clone(), ebs), monthly, ""));
    }

    // AWS bills every public IPv4: each NAT's address, the bastion's, and one per ALB node.
    let held = |who: Role| -> u32 {
        charges
            .iter()
            .filter_map(|c| match c {
                Charge::PublicIpv4 { holder, count } if *holder == who => Some(*count),
                _ => None,
            })
            .sum()
    };
    let (nat, b, alb) = (
        held(Role::Nat),
        held(Role::Bastion),
        held(Role::LoadBalancer),
    );
    let n = nat + b + alb;
    if n > 0 {
        let item = (
            format!("Public IPv4 × {n} ({nat} NAT, {b} bastion, {alb} ALB)"),
            format!("퍼블릭 IPv4 × {n} (NAT {nat}, 배스천 {b}, ALB {alb})"),
        );
        let monthly = f64::from(n) * p.public_ipv4_hour * hours;
        lines.push(line("ipv4", item, monthly, ""));
    }

    if count(|c| matches!(c, Charge::FileSystem)) > 0 {
        let price = p.efs_standard_gib_month;
        let item = (
            format!("EFS Standard ~{EFS_GIB} GiB"),
            format!("EFS Standard 약 {EFS_GIB} GiB"),
        );
        let note = format!("{}/GiB-month stored", usd(price));
        lines.push(line("efs", item, EFS_GIB * price, note));
    }
    if count(|c| matches!(c, Charge::FileBackups)) > 0 {
        let item = (
            format!("EFS backups (AWS Backup) ~{EFS_GIB} GiB"),
            format!("EFS 백업 (AWS Backup) 약 {EFS_GIB} GiB"),
        );
        let note = format!("{}/GiB-month of backups kept", usd(p.backup_gib_month));
        lines.push(line("efs-backup", item, EFS_GIB * p.backup_gib_month, note));
    }

    if count(|c| matches!(c, Charge::FlowLogs)) > 0 {
        let item = (
            "VPC flow logs (CloudWatch Logs) ~1 GB".to_string(),
            "VPC 흐름 로그 (CloudWatch Logs) 약 1 GB".to_string(),
        );
        let note = format!("{}/GB ingested, 30 days kept", usd(p.logs_ingest_gb));
        lines.push(line(
            "flow-logs",
            item,
            FLOW_LOG_GB * p.logs_ingest_gb,
            note,
        ));
    }

    for c in charges {
        if let Charge::WebAcl { rules } = c {
            let item = (
                format!("AWS WAF web ACL + {rules} rules"),
                format!("AWS WAF 웹 ACL + 규칙 {rules}개"),
            );
            let monthly = p.waf_acl_month + f64::from(*rules) * p.waf_rule_month;
            let note = format!("+ {}/million requests", usd(p.waf_million_requests));
            lines.push(line("waf", item, monthly, note));
        }
    }

    let alarms = count(|c| matches!(c, Charge::Alarm));
    if alarms > 0 {
        let item = (
            format!("CloudWatch alarms × {alarms}"),
            format!("CloudWatch 경보 × {alarms}"),
        );
        let note = note_if(count(|c| matches!(c, Charge::EmailAlerts)) > 0, || {
            "+ email alerts (first 1,000 mails a month free)".to_string()
        });
        let monthly = f64::from(alarms) * p.cloudwatch_alarm_month;
        lines.push(line("alarms", item, monthly, note));
    }
    for _ in 0..count(|c| matches!(c, Charge::Dashboard)) {
        let item = (
            "CloudWatch dashboard".to_string(),
            "CloudWatch 대시보드".to_string(),
        );
        let note = "free if it is one of the account's first three";
        lines.push(line("dashboard", item, p.cloudwatch_dashboard_month, note));
    }

    for c in charges {
        if let Charge::HostedZone { name } = c {
            let zone = name.trim();
            let item = (
                format!("Route 53 hosted zone {zone}"),
                format!("Route 53 호스팅 영역 {zone}"),
            );
            lines.push(line("route53", item, p.route53_zone_month, "+ queries"));
        }
    }
    for c in charges {
        if let Charge::HealthCheck { fast } = c {
            // Route 53 prices checks the same everywhere: $0.50 a month for an AWS
            // endpoint, + $1.00 each for HTTPS and for the fast interval.
            let monthly =
                HEALTH_CHECK_MONTH + HEALTH_CHECK_OPTION_MONTH * if *fast { 2.0 } else { 1.0 };
            let item = (
                format!(
                    "Route 53 health check (HTTPS{})",
                    if *fast { ", every 10 s" } else { "" }
                ),
                format!(
                    "Route 53 상태 검사 (HTTPS{})",
                    if *fast { ", 10초마다" } else { "" }
                ),
            );
            lines.push(line("health-check", item, monthly, ""));
        }
    }
    for _ in 0..count(|c| matches!(c, Charge::Distribution)) {
        // Billed by traffic only; the always-free tier covers 1 TB out and 10 M requests a
        // month, of which Route 53's checkers take about 3 M at the fast interval.
        let item = (
            "CloudFront distribution".to_string(),
            "CloudFront 배포".to_string(),
        );
        lines.push(line(
            "cloudfront",
            item,
            0.0,
            "by traffic: free up to 1 TB and 10 M requests a month (health checks use ~3 M)",
        ));
    }
    for _ in 0..count(|c| matches!(c, Charge::Certificate)) {
        let item = ("ACM certificate".to_string(), "ACM 인증서".to_string());
        lines.push(line("acm", item, 0.0, "free (public, on the ALB)"));
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
        hours,
    })
}

#[cfg(test)]
mod tests;
