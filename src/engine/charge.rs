//! What a kind of resource is billed for, said by the kind itself (`Resource::charges`):
//! `cost` prices the charges of every node of a plan's graph with the region's table, so
//! the estimate is of what the blueprint really builds, and a new kind prices itself.

/// What holds an address or runs an instance, for the lines that add them up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Nat,
    Bastion,
    App,
    LoadBalancer,
}

/// One thing on the bill, always-on and hourly or monthly; traffic-driven charges are
/// the notes of their lines.
#[derive(Debug, Clone, PartialEq)]
pub enum Charge {
    /// A NAT gateway's hours (its data is per GB: the line's note).
    NatGateway,
    /// An adopted VPC: its NAT gateways are billed with it, listed at 0 so the bill is
    /// not forgotten.
    AdoptedNetwork,
    /// Public IPv4 addresses (AWS bills each by the hour).
    PublicIpv4 { holder: Role, count: u32 },
    /// An Application Load Balancer's hours and about one LCU.
    LoadBalancer,
    /// EC2 instances: `count` in steady state, up to `max` when scaled out.
    Instances {
        role: Role,
        instance_type: String,
        count: u32,
        max: u32,
    },
    /// gp3 root volumes of `gib` each.
    Volumes { gib: u32, count: u32 },
    /// An RDS instance: Multi-AZ bills instance hours and storage twice.
    Database {
        class: String,
        multi_az: bool,
        gib: u32,
        max_gib: u32,
    },
    /// EFS Standard, what WordPress keeps there.
    FileSystem,
    /// AWS Backup of the file system.
    FileBackups,
    /// VPC flow logs into CloudWatch Logs.
    FlowLogs,
    /// An AWS WAF web ACL with its rules.
    WebAcl { rules: u32 },
    /// A standard-resolution CloudWatch alarm.
    Alarm,
    /// Alarms mail an address (SNS email: the first 1,000 mails a month are free).
    EmailAlerts,
    /// A CloudWatch dashboard.
    Dashboard,
    /// A Route 53 hosted zone hawiz creates.
    HostedZone { name: String },
    /// A public ACM certificate (free).
    Certificate,
    /// A Route 53 HTTPS health check of an AWS endpoint (`fast`: every 10 s).
    HealthCheck { fast: bool },
    /// A CloudFront distribution (requests and data out; free within the always-free
    /// tier at a lab's traffic).
    Distribution,
}
