//! The plan file: the user's answers as typed TOML (the contract in DESIGN.md).
//!
//! Every key has a default, so a plan may be short. Unknown keys and wrong types are
//! rejected by serde with the key and its line. `resolve` fills the defaults that depend on
//! other answers (region → AZs, VPC CIDR → subnets); `validate` checks the result without
//! any AWS call.

mod failover;
pub mod file;
mod network_defaults;
pub mod schedule;
pub mod validate;

use serde::{Deserialize, Serialize};
use std::path::Path;

pub use failover::{Failover, StandbyMode};
pub use validate::{Finding, Report};

/// The region used when neither the plan nor the AWS configuration names one (the
/// clients' fallback too, so it lives with them).
pub use crate::aws::DEFAULT_REGION;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Plan {
    pub stack: Stack,
    pub network: Network,
    pub bastion: Bastion,
    pub database: Database,
    pub files: Files,
    pub app: App,
    pub load_balancer: LoadBalancer,
    pub scaling: Scaling,
    pub alerts: Alerts,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<Domain>,
    /// A standby copy of the site in a second region, and DNS failover to it (seed 003).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failover: Option<Failover>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Stack {
    pub name: String,
    /// `None` until resolved: the plan's own region wins, then the AWS configuration's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

impl Default for Stack {
    fn default() -> Self {
        Stack {
            name: "wordpress-ha".into(),
            region: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum NatMode {
    /// One NAT gateway per AZ: an AZ outage leaves the other AZ's instances online.
    #[default]
    PerAz,
    /// One NAT gateway for all AZs: cheaper, but a single point of failure.
    Single,
    /// No NAT: private instances cannot reach the internet (no package installs).
    None,
}

impl NatMode {
    pub fn as_str(self) -> &'static str {
        match self {
            NatMode::PerAz => "per-az",
            NatMode::Single => "single",
            NatMode::None => "none",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Network {
    pub vpc_id: String,
    pub public_subnet_ids: Vec<String>,
    pub private_subnet_ids: Vec<String>,
    pub cidr: String,
    /// `None` until resolved: defaults to the region's "a" and "c" zones.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub azs: Option<Vec<String>>,
    /// `None` until resolved: defaults to /24s carved from `cidr`, one per AZ.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_subnets: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private_subnets: Option<Vec<String>>,
    pub nat: NatMode,
    /// VPC flow logs to CloudWatch Logs.
    pub flow_logs: bool,
}

impl Default for Network {
    fn default() -> Self {
        Network {
            vpc_id: String::new(),
            public_subnet_ids: Vec::new(),
            private_subnet_ids: Vec::new(),
            cidr: "10.0.0.0/16".into(),
            azs: None,
            public_subnets: None,
            private_subnets: None,
            nat: NatMode::PerAz,
            flow_logs: false,
        }
    }
}

impl Network {
    /// True when the plan adopts a VPC the user built instead of creating one.
    pub fn adopts_vpc(&self) -> bool {
        !self.vpc_id.trim().is_empty()
    }
    pub fn azs(&self) -> &[String] {
        self.azs.as_deref().unwrap_or_default()
    }
    pub fn public_subnets(&self) -> &[String] {
        self.public_subnets.as_deref().unwrap_or_default()
    }
    pub fn private_subnets(&self) -> &[String] {
        self.private_subnets.as_deref().unwrap_or_default()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Bastion {
    pub enabled: bool,
    pub instance_type: String,
    pub ssh_cidr: String,
    pub key_name: String,
}

impl Default for Bastion {
    fn default() -> Self {
        Bastion {
            enabled: true,
            instance_type: "t3.micro".into(),
            ssh_cidr: String::new(),
            key_name: String::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    #[default]
    Mariadb,
    Mysql,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Database {
    pub engine: Engine,
    pub instance_class: String,
    pub storage_gib: u32,
    pub max_storage_gib: u32,
    pub multi_az: bool,
    /// A new Multi-AZ database is made single-AZ first (about 5 minutes on AWS instead of
    /// 15–20) so the site serves sooner; its standby is added in place once it does. A
    /// database that exists is never changed by it.
    pub fast_start: bool,
    pub db_name: String,
    pub username: String,
    /// On while the stack lives; destroy turns it off after the user confirms.
    pub deletion_protection: bool,
    /// Destroy keeps a final snapshot (named and listed) unless told not to.
    pub final_snapshot: bool,
}

impl Default for Database {
    fn default() -> Self {
        Database {
            engine: Engine::Mariadb,
            instance_class: "db.t3.micro".into(),
            storage_gib: 20,
            max_storage_gib: 100,
            multi_az: true,
            fast_start: true,
            db_name: "wordpress".into(),
            username: "admin".into(),
            deletion_protection: true,
            final_snapshot: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Files {
    pub enabled: bool,
    /// EFS automatic backups (AWS Backup).
    pub backups: bool,
}

impl Default for Files {
    fn default() -> Self {
        Files {
            enabled: true,
            backups: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct App {
    pub instance_type: String,
    pub min: u32,
    pub desired: u32,
    pub max: u32,
    pub cpu_target: f64,
}

impl Default for App {
    fn default() -> Self {
        App {
            instance_type: "t3.micro".into(),
            min: 2,
            desired: 2,
            max: 4,
            cpu_target: 80.0,
        }
    }
}

/// hawiz's own health path (the default): the instances' setup serves it from outside the
/// web root and answers 200 only once WordPress is installed and configured on that
/// instance, checked locally (not in the database: a database failover must not make the
/// whole fleet unhealthy).
pub const HEALTH_PATH: &str = "/hawiz-health";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LoadBalancer {
    pub health_check_path: String,
    /// AWS WAF with managed rules and a rate limit on the login endpoints.
    pub waf: bool,
}

impl Default for LoadBalancer {
    fn default() -> Self {
        LoadBalancer {
            health_check_path: HEALTH_PATH.into(),
            waf: false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum ScalingPolicy {
    /// Keep average CPU near `app.cpu_target` (AWS adds and removes instances itself).
    #[default]
    TargetTracking,
    /// The lab's seed 003: CloudWatch alarms at `cpu_high`/`cpu_low` add or remove `step`.
    Simple,
}

impl ScalingPolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            ScalingPolicy::TargetTracking => "target-tracking",
            ScalingPolicy::Simple => "simple",
        }
    }
}

/// How the group grows and shrinks (seed 003).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Scaling {
    pub policy: ScalingPolicy,
    pub cpu_high: f64,
    pub cpu_low: f64,
    pub step: u32,
    pub cooldown_secs: u32,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub schedule: Vec<Schedule>,
}

impl Default for Scaling {
    fn default() -> Self {
        Scaling {
            policy: ScalingPolicy::TargetTracking,
            cpu_high: 80.0,
            cpu_low: 10.0,
            step: 1,
            cooldown_secs: 300,
            schedule: Vec::new(),
        }
    }
}

/// A scheduled action: the group's sizes from `cron` on, in `timezone`. A plan file
/// gives every key but the time zone: a schedule is never completed with sizes the user
/// did not write (`Default` is only the wizard's starting example).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    pub name: String,
    pub cron: String,
    #[serde(default = "Schedule::default_timezone")]
    pub timezone: String,
    pub min: u32,
    pub desired: u32,
    pub max: u32,
}

impl Schedule {
    fn default_timezone() -> String {
        "Asia/Seoul".into()
    }
}

impl Default for Schedule {
    fn default() -> Self {
        Schedule {
            name: "weekday-peak".into(),
            cron: "0 9 * * 1-5".into(),
            timezone: Schedule::default_timezone(),
            min: 2,
            desired: 4,
            max: 6,
        }
    }
}

/// Alarms by email and a dashboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Alerts {
    /// Empty: no topic, no subscription.
    pub email: String,
    pub dashboard: bool,
}

impl Default for Alerts {
    fn default() -> Self {
        Alerts {
            email: String::new(),
            dashboard: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Domain {
    /// No default anywhere: a `[domain]` without its name is refused, and the wizard's
    /// field starts empty (a pre-filled example.com was built on without a word; the
    /// names kept for examples are refused).
    #[serde(default)]
    pub name: String,
    pub host: String,
    pub create_hosted_zone: bool,
    pub https: bool,
}

impl Default for Domain {
    fn default() -> Self {
        Domain {
            name: String::new(),
            host: "www".into(),
            create_hosted_zone: true,
            https: true,
        }
    }
}

/// A plan file that could not be read or parsed.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read plan file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    /// toml's message already names the key, the line and the column, with a snippet.
    #[error("plan file {path} is not valid:\n{message}")]
    Parse { path: String, message: String },
}

impl Plan {
    pub fn from_toml(text: &str) -> Result<Plan, toml::de::Error> {
        toml::from_str(text)
    }

    pub fn load(path: &Path) -> Result<Plan, LoadError> {
        let text = std::fs::read_to_string(path).map_err(|source| LoadError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Plan::from_toml(&text).map_err(|e| LoadError::Parse {
            path: path.display().to_string(),
            message: e.to_string().trim_end().to_string(),
        })
    }

    /// The plan as a whole file. An error, not an empty text, when it cannot be written
    /// (so nothing empty is ever saved over a plan); `file::save` keeps an existing file's
    /// comments.
    pub fn to_toml(&self) -> Result<String, toml::ser::Error> {
        toml::to_string_pretty(self)
    }

    /// The region after resolution (never empty once `resolve` ran).
    pub fn region(&self) -> &str {
        self.stack.region.as_deref().unwrap_or(DEFAULT_REGION)
    }

    /// Fill the defaults that depend on other answers. `configured_region` is the region
    /// the AWS configuration names (profile or `AWS_REGION`), used when the plan has none.
    pub fn resolve(&mut self, configured_region: Option<&str>) {
        if self
            .stack
            .region
            .as_deref()
            .is_none_or(|r| r.trim().is_empty())
        {
            self.stack.region = Some(configured_region.unwrap_or(DEFAULT_REGION).to_string());
        }
        let region = self.region().to_string();
        network_defaults::fill(&mut self.network, &region);
    }
}
