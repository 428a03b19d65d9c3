//! The price table, `assets/prices.toml`: per region, dated, embedded so the estimate
//! works offline and in the released binary without assets on disk.

use super::CostError;
use serde::Deserialize;
use std::collections::BTreeMap;

const PRICES: &str = include_str!("../../assets/prices.toml");
/// Priced instead of a region the table lacks: AWS's reference region; the estimate says so.
pub const FALLBACK_REGION: &str = "us-east-1";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    pub date: String,
    pub currency: String,
    pub hours_per_month: u32,
    pub source: String,
    pub regions: BTreeMap<String, Prices>,
}

/// One region's unit prices. No field has a default, so a region missing a key fails to parse.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prices {
    pub nat_gateway_hour: f64,
    pub nat_gateway_gb: f64,
    pub public_ipv4_hour: f64,
    pub alb_hour: f64,
    pub alb_lcu_hour: f64,
    /// Instance type → hourly on-demand price (Linux).
    pub ec2: BTreeMap<String, f64>,
    /// DB instance class → hourly price, single-AZ MariaDB/MySQL (Multi-AZ is billed 2x).
    pub rds: BTreeMap<String, f64>,
    pub rds_gp3_gib_month: f64,
    /// Manual DB snapshots (a destroyed stack's final snapshot).
    pub rds_snapshot_gib_month: f64,
    /// AWS Backup, EFS warm storage.
    pub backup_gib_month: f64,
    /// CloudWatch Logs, vended logs (VPC flow logs), first tier.
    pub logs_ingest_gb: f64,
    pub waf_acl_month: f64,
    pub waf_rule_month: f64,
    pub waf_million_requests: f64,
    /// A standard-resolution CloudWatch alarm.
    pub cloudwatch_alarm_month: f64,
    /// A CloudWatch dashboard (the first three of an account are free).
    pub cloudwatch_dashboard_month: f64,
    pub ebs_gp3_gib_month: f64,
    pub efs_standard_gib_month: f64,
    pub route53_zone_month: f64,
}

pub fn table() -> Result<Table, CostError> {
    toml::from_str(PRICES).map_err(|e| CostError::Table(e.to_string().trim_end().to_string()))
}

impl Table {
    /// The region's prices, or the fallback region's (with its name) when the table
    /// lacks it.
    pub fn take(mut self, region: &str) -> Result<(Self, String, Prices), CostError> {
        let priced_as = if self.regions.contains_key(region) {
            region.to_string()
        } else {
            FALLBACK_REGION.to_string()
        };
        let p = self
            .regions
            .remove(&priced_as)
            .ok_or_else(|| CostError::Table(format!("no [regions.\"{priced_as}\"]")))?;
        Ok((self, priced_as, p))
    }
}
