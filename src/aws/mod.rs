//! AWS clients and configuration: one place that turns the user's AWS setup (profiles,
//! SSO, env credentials, `AWS_REGION`, `AWS_ENDPOINT_URL`) into SDK clients.

pub mod ami;
pub mod ec2;
pub mod error;

use aws_config::BehaviorVersion;
use aws_config::meta::region::RegionProviderChain;
use aws_config::retry::RetryConfig;
use aws_config::{Region, SdkConfig};
use std::time::Duration;

pub use error::{AwsError, OrMissing, aws};

/// Where the clients point: the user's AWS account, or the sandbox emulator.
#[derive(Debug, Clone, Default)]
pub struct Target {
    /// Overrides `AWS_ENDPOINT_URL` (the sandbox sets it to its emulator).
    pub endpoint: Option<String>,
    /// Use throw-away static credentials (the emulator accepts any).
    pub sandbox: bool,
    /// A named profile to use instead of `AWS_PROFILE` (the wizard asks for one).
    pub profile: Option<String>,
}

impl Target {
    /// Whether the calls go to an emulator (the sandbox, or `AWS_ENDPOINT_URL`) rather
    /// than AWS: nothing boots there and nothing serves HTTP, so nothing is waited for.
    pub fn emulated(&self) -> bool {
        self.sandbox
            || self.endpoint.is_some()
            || std::env::var("AWS_ENDPOINT_URL").is_ok_and(|v| !v.trim().is_empty())
    }
}

/// One client per AWS service hawiz uses, all from the same configuration.
///
/// These retry transient errors themselves (SDK standard mode), which is right for reads
/// and for deletes (gone counts as done). Calls that create something use `once`.
#[derive(Debug, Clone)]
pub struct Clients {
    pub region: String,
    pub acm: aws_sdk_acm::Client,
    pub autoscaling: aws_sdk_autoscaling::Client,
    pub cloudwatch: aws_sdk_cloudwatch::Client,
    pub ec2: aws_sdk_ec2::Client,
    pub efs: aws_sdk_efs::Client,
    pub elb: aws_sdk_elasticloadbalancingv2::Client,
    pub iam: aws_sdk_iam::Client,
    pub logs: aws_sdk_cloudwatchlogs::Client,
    pub rds: aws_sdk_rds::Client,
    pub route53: aws_sdk_route53::Client,
    pub sns: aws_sdk_sns::Client,
    pub ssm: aws_sdk_ssm::Client,
    pub sts: aws_sdk_sts::Client,
    pub waf: aws_sdk_wafv2::Client,
    /// The same clients with SDK retries off, for calls that create or add something.
    pub once: Once,
}

/// Clients that send each call exactly once. If a create's answer is lost (connection
/// dropped, 5xx after the work was done), resending it blindly makes a duplicate (many
/// APIs have no client token, and where they do, emulators may ignore it) or fails with
/// "already exists". So these calls fail fast with a transient error and the engine
/// retries the whole resource: look it up by tag first, create only if it is missing.
#[derive(Debug, Clone)]
pub struct Once {
    pub acm: aws_sdk_acm::Client,
    pub autoscaling: aws_sdk_autoscaling::Client,
    pub cloudwatch: aws_sdk_cloudwatch::Client,
    pub ec2: aws_sdk_ec2::Client,
    pub efs: aws_sdk_efs::Client,
    pub elb: aws_sdk_elasticloadbalancingv2::Client,
    pub iam: aws_sdk_iam::Client,
    pub logs: aws_sdk_cloudwatchlogs::Client,
    pub rds: aws_sdk_rds::Client,
    pub route53: aws_sdk_route53::Client,
    pub sns: aws_sdk_sns::Client,
    pub ssm: aws_sdk_ssm::Client,
    pub waf: aws_sdk_wafv2::Client,
}

impl Clients {
    pub async fn new(region: &str, target: &Target) -> Clients {
        let config = load(Some(region), target).await;
        let single = config
            .to_builder()
            .retry_config(RetryConfig::standard().with_max_attempts(1))
            .build();
        Clients {
            region: region.to_string(),
            once: Once {
                acm: aws_sdk_acm::Client::new(&single),
                autoscaling: aws_sdk_autoscaling::Client::new(&single),
                cloudwatch: aws_sdk_cloudwatch::Client::new(&single),
                ec2: aws_sdk_ec2::Client::new(&single),
                efs: aws_sdk_efs::Client::new(&single),
                elb: aws_sdk_elasticloadbalancingv2::Client::new(&single),
                iam: aws_sdk_iam::Client::new(&single),
                logs: aws_sdk_cloudwatchlogs::Client::new(&single),
                rds: aws_sdk_rds::Client::new(&single),
                route53: aws_sdk_route53::Client::new(&single),
                sns: aws_sdk_sns::Client::new(&single),
                ssm: aws_sdk_ssm::Client::new(&single),
                waf: aws_sdk_wafv2::Client::new(&single),
            },
            acm: aws_sdk_acm::Client::new(&config),
            autoscaling: aws_sdk_autoscaling::Client::new(&config),
            cloudwatch: aws_sdk_cloudwatch::Client::new(&config),
            ec2: aws_sdk_ec2::Client::new(&config),
            efs: aws_sdk_efs::Client::new(&config),
            elb: aws_sdk_elasticloadbalancingv2::Client::new(&config),
            iam: aws_sdk_iam::Client::new(&config),
            logs: aws_sdk_cloudwatchlogs::Client::new(&config),
            rds: aws_sdk_rds::Client::new(&config),
            route53: aws_sdk_route53::Client::new(&config),
            sns: aws_sdk_sns::Client::new(&config),
            ssm: aws_sdk_ssm::Client::new(&config),
            sts: aws_sdk_sts::Client::new(&config),
            waf: aws_sdk_wafv2::Client::new(&config),
        }
    }

    /// Who the credentials belong to; the first call every command makes, so a missing or
    /// expired login is reported before anything else happens.
    pub async fn identity(&self) -> Result<Identity, AwsError> {
        let out = self
            .sts
            .get_caller_identity()
            .send()
            .await
            .map_err(aws("GetCallerIdentity"))?;
        Ok(Identity {
            account: out.account().unwrap_or("?").to_string(),
            arn: out.arn().unwrap_or("?").to_string(),
        })
    }
}

#[derive(Debug, Clone)]
pub struct Identity {
    pub account: String,
    pub arn: String,
}

/// The region the AWS configuration names (profile or environment), if any.
pub async fn configured_region() -> Option<String> {
    RegionProviderChain::default_provider()
        .region()
        .await
        .map(|r| r.to_string())
}

async fn load(region: Option<&str>, target: &Target) -> SdkConfig {
    // Standard mode retries throttling and 5xx with exponential backoff and jitter; a few
    // more attempts than the default ride out the bursts a full-stack build causes.
    let retry = RetryConfig::standard()
        .with_max_attempts(8)
        .with_initial_backoff(Duration::from_millis(200))
        .with_max_backoff(Duration::from_secs(20));
    let chain = RegionProviderChain::first_try(region.map(|r| Region::new(r.to_string())))
        .or_default_provider()
        .or_else(Region::new(crate::plan::DEFAULT_REGION));
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .region(chain)
        .retry_config(retry);
    if let Some(endpoint) = &target.endpoint {
        loader = loader.endpoint_url(endpoint);
    }
    if let Some(profile) = target.profile.as_deref().filter(|p| !p.is_empty())
        && !target.sandbox
    {
        loader = loader.profile_name(profile);
    }
    if target.sandbox {
        loader = loader.credentials_provider(aws_sdk_ec2::config::Credentials::new(
            "sandbox",
            "sandbox",
            None,
            None,
            "hawiz-sandbox",
        ));
    }
    loader.load().await
}
