//! What a ready resource tells the user after a build and in `status` (the final screen's
//! "where is my site, how do I get in"), said by its kind (`Resource::facts`) from its own
//! settings and what it published: the summary needs to know no key and no kind.

#[derive(Debug, Clone, PartialEq)]
pub enum Fact {
    /// The load balancer answers at this DNS name.
    LoadBalancer { dns: String },
    /// CloudFront serves the site at this name too (its own, `dxxxx.cloudfront.net`);
    /// the load balancer behind it answers only CloudFront.
    Cdn { dns: String },
    /// The lab's static bucket, served by CloudFront under `/static/*`.
    StaticFiles { bucket: String },
    /// The site's own name points at the load balancer.
    SiteName { name: String },
    /// The site is served over HTTPS (its listener exists).
    Https,
    /// The bastion host: its public address is looked up for the ssh lines.
    Bastion { instance: String },
    /// WordPress's administrator password waits in SSM.
    AdminPassword,
    /// The stack's CloudWatch dashboard.
    Dashboard { name: String },
    /// Alarms mail this address; `status` is AWS's word on the subscription, when known.
    Alerts {
        email: String,
        status: Option<String>,
    },
    /// A scheduled action of the app tier's group.
    Schedule {
        name: String,
        cron: String,
        timezone: String,
        min: u32,
        desired: u32,
        max: u32,
    },
    /// The app tier's Auto Scaling group (what the HA drill breaks).
    AppGroup { name: String },
    /// A hosted zone hawiz made: its name servers go to the registrar.
    HostedZone { id: String, domain: String },
}
