//! `[failover]`: a standby copy of the site in a second region (seed 003), and the plan
//! that copy is built from.

use super::{App, Bastion, NatMode, Network, Plan, Scaling, Stack, network_defaults};
use serde::{Deserialize, Serialize};

/// How ready the standby region is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum StandbyMode {
    /// The standby's group runs `standby_min` instances and serves at once (AWS's "warm
    /// standby": RTO of minutes).
    #[default]
    Warm,
    /// The standby keeps its data (the database replica, the files) but runs no
    /// instances and no NAT gateway until failover (AWS's "pilot light": tens of minutes).
    PilotLight,
}

impl StandbyMode {
    pub fn as_str(self) -> &'static str {
        match self {
            StandbyMode::Warm => "warm",
            StandbyMode::PilotLight => "pilot-light",
        }
    }
}

/// `[failover]`: a standby stack in `region` that Route 53 sends visitors to when the
/// primary's health check fails.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Failover {
    /// No default: the user picks the standby region (the lab's is us-east-1).
    pub region: String,
    pub mode: StandbyMode,
    /// Instances the standby runs in warm mode.
    pub standby_min: u32,
    /// The lab's way: visitors reach the primary through CloudFront.
    pub cloudfront: bool,
    /// The lab's static bucket: S3, versioned and private, read by CloudFront under
    /// `/static/*`, replicated to a bucket in the standby region. WordPress itself never
    /// writes there (its uploads are on the shared files): it is for files the user puts
    /// there, so it is off unless asked for.
    pub static_bucket: bool,
    /// Seconds between Route 53's checks: 10 (fast) or 30; fixed once the check exists.
    pub health_check_interval: u32,
    /// Set by `hawiz failover` (when, RFC 3339): the standby's database was promoted and
    /// its files' replication ended, so it is the site now, at the primary's size. Kept
    /// by every later apply of the stack until the failback.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed_over: Option<String>,
}

impl Failover {
    pub fn is_failed_over(&self) -> bool {
        self.failed_over.is_some()
    }
}

impl Plan {
    /// Whether CloudFront fronts this stack's primary (a `[failover]` with `cloudfront`,
    /// which needs HTTPS; never the standby's own plan). It stays after a failover, unused
    /// (the site's name is the standby's then), for the way back.
    pub fn cloudfront(&self) -> bool {
        self.failover.as_ref().is_some_and(|f| f.cloudfront)
            && self.domain.as_ref().is_some_and(|d| d.https)
    }

    /// Whether the stack has the lab's static bucket (behind CloudFront, so only with it).
    pub fn static_bucket(&self) -> bool {
        self.cloudfront() && self.failover.as_ref().is_some_and(|f| f.static_bucket)
    }
}

impl Default for Failover {
    fn default() -> Self {
        Failover {
            region: String::new(),
            mode: StandbyMode::Warm,
            standby_min: 1,
            cloudfront: true,
            static_bucket: false,
            health_check_interval: 10,
            failed_over: None,
        }
    }
}

impl Plan {
    /// The standby stack's plan: the same site in `[failover]`'s region, in a network of
    /// its own (the primary's address block when hawiz made it; the regions never talk
    /// over it), with a NAT gateway only when instances run (one: the standby is scaled
    /// down), no bastion, and the group at the standby's size. `None` without
    /// `[failover]`.
    pub fn standby(&self) -> Option<Plan> {
        let f = self.failover.as_ref()?;
        let region = f.region.trim().to_string();
        let cidr = if self.network.adopts_vpc() {
            Network::default().cidr
        } else {
            self.network.cidr.clone()
        };
        // After failover it is the site: the primary's sizes and a NAT gateway.
        let (nat, size) = match f.mode {
            _ if f.is_failed_over() => (NatMode::Single, self.app.desired),
            StandbyMode::Warm => (NatMode::Single, f.standby_min),
            StandbyMode::PilotLight => (NatMode::None, 0),
        };
        let mut plan = Plan {
            stack: Stack {
                name: self.stack.name.clone(),
                region: Some(region.clone()),
            },
            network: Network {
                cidr,
                nat,
                flow_logs: self.network.flow_logs,
                ..Network::default()
            },
            bastion: Bastion {
                enabled: false,
                ..self.bastion.clone()
            },
            app: App {
                min: if f.is_failed_over() {
                    self.app.min
                } else {
                    size
                },
                desired: size,
                max: self.app.max.max(size),
                ..self.app.clone()
            },
            scaling: Scaling::default(),
            // Kept: what it is the standby of (whether it took over, `failed_over`).
            // Visitors reach it directly (the SECONDARY record), never through CloudFront.
            failover: Some(Failover {
                cloudfront: false,
                ..f.clone()
            }),
            ..self.clone()
        };
        network_defaults::fill(&mut plan.network, &region);
        Some(plan)
    }
}
