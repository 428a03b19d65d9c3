//! AWS clients and configuration: one place that turns the user's AWS setup (profiles,
//! SSO, env credentials, `AWS_REGION`, `AWS_ENDPOINT_URL`) into SDK clients.

pub mod ami;
pub mod ec2;
pub mod error;
pub mod retry;

use aws_config::BehaviorVersion;
use aws_config::meta::region::RegionProviderChain;
use aws_config::retry::RetryConfig;
use aws_config::{Region, SdkConfig};
use std::time::Duration;

pub use error::{AwsError, Class, OrMissing, Problem, aws};
use retry::{NoteFailures, SDK_TRIES, Sent};

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

    /// hawiz's own command line for this target, as a user copies it: with `--sandbox`
    /// where the sandbox runs (without it, the command would go to the real account, and
    /// could find a real stack of the same name there).
    pub fn hawiz(&self, args: &str) -> String {
        if self.sandbox {
            format!("hawiz --sandbox {args}")
        } else {
            format!("hawiz {args}")
        }
    }

    /// An AWS CLI command line that reaches this target: with the emulator's endpoint
    /// where hawiz was given one (the AWS CLI reads `AWS_ENDPOINT_URL` itself).
    pub fn aws_cli(&self, command: &str) -> String {
        match &self.endpoint {
            Some(url) => command.replacen("aws ", &format!("aws --endpoint-url {url} "), 1),
            None => command.to_string(),
        }
    }
}

/// One client per AWS service hawiz uses, all from the same configuration.
///
/// These retry transient errors themselves (SDK standard mode), which is right for reads
/// and for deletes (gone counts as done), and the engine does not retry those calls again.
/// Calls that create something use `once`, and the engine retries their resource.
#[derive(Debug, Clone)]
pub struct Clients {
    pub region: String,
    pub acm: aws_sdk_acm::Client,
    pub autoscaling: aws_sdk_autoscaling::Client,
    pub cloudfront: aws_sdk_cloudfront::Client,
    pub cloudwatch: aws_sdk_cloudwatch::Client,
    pub ec2: aws_sdk_ec2::Client,
    pub efs: aws_sdk_efs::Client,
    pub elb: aws_sdk_elasticloadbalancingv2::Client,
    pub iam: aws_sdk_iam::Client,
    pub logs: aws_sdk_cloudwatchlogs::Client,
    pub rds: aws_sdk_rds::Client,
    pub route53: aws_sdk_route53::Client,
    pub s3: aws_sdk_s3::Client,
    pub sns: aws_sdk_sns::Client,
    pub ssm: aws_sdk_ssm::Client,
    pub sts: aws_sdk_sts::Client,
    pub waf: aws_sdk_wafv2::Client,
    /// The same clients with SDK retries off, for calls that create or add something.
    pub once: Once,
    /// The configuration these came from, for the same clients in another region.
    base: SdkConfig,
    /// The account the credentials belong to, once asked (shared with `others`: the
    /// same credentials in another region are the same account).
    account: std::sync::Arc<tokio::sync::OnceCell<String>>,
    /// Clients for the other regions a stack lives in (a failover standby), made once.
    others: std::sync::Arc<
        std::sync::Mutex<std::collections::HashMap<String, std::sync::Arc<Clients>>>,
    >,
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
    pub cloudfront: aws_sdk_cloudfront::Client,
    pub cloudwatch: aws_sdk_cloudwatch::Client,
    pub ec2: aws_sdk_ec2::Client,
    pub efs: aws_sdk_efs::Client,
    pub elb: aws_sdk_elasticloadbalancingv2::Client,
    pub iam: aws_sdk_iam::Client,
    pub logs: aws_sdk_cloudwatchlogs::Client,
    pub rds: aws_sdk_rds::Client,
    pub route53: aws_sdk_route53::Client,
    pub s3: aws_sdk_s3::Client,
    pub sns: aws_sdk_sns::Client,
    pub ssm: aws_sdk_ssm::Client,
    pub waf: aws_sdk_wafv2::Client,
}

/// A service's client from the shared configuration, noting its failures for the engine
/// (`retry::NoteFailures`).
macro_rules! client {
    ($service:ident, $config:expr, $sent:expr) => {
        $service::Client::from_conf(
            $service::config::Builder::from($config)
                .interceptor(NoteFailures($sent))
                .build(),
        )
    };
}

/// S3's client: path-style addresses when the endpoint is the emulator's (a bucket's
/// virtual host `NAME.localhost` resolves nowhere); AWS itself gets its usual addresses.
fn s3_client(config: &SdkConfig, sent: Sent) -> aws_sdk_s3::Client {
    aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(config)
            .force_path_style(config.endpoint_url().is_some())
            .interceptor(NoteFailures(sent))
            .build(),
    )
}

impl Clients {
    pub async fn new(region: &str, target: &Target) -> Clients {
        Clients::from_config(region, load(Some(region), target).await)
    }

    /// The same credentials, endpoint and retries in another region (a failover
    /// standby's), made once and shared.
    pub fn in_region(&self, region: &str) -> std::sync::Arc<Clients> {
        let mut others = self.others.lock().unwrap_or_else(|e| e.into_inner());
        others
            .entry(region.to_string())
            .or_insert_with(|| {
                let config = self
                    .base
                    .to_builder()
                    .region(Region::new(region.to_string()))
                    .build();
                let mut c = Clients::from_config(region, config);
                c.account = self.account.clone();
                std::sync::Arc::new(c)
            })
            .clone()
    }

    fn from_config(region: &str, config: SdkConfig) -> Clients {
        let single = config
            .to_builder()
            .retry_config(RetryConfig::standard().with_max_attempts(1))
            .build();
        let (once, retried) = (&single, &config);
        Clients {
            region: region.to_string(),
            once: Once {
                acm: client!(aws_sdk_acm, once, Sent::Once),
                autoscaling: client!(aws_sdk_autoscaling, once, Sent::Once),
                cloudfront: client!(aws_sdk_cloudfront, once, Sent::Once),
                cloudwatch: client!(aws_sdk_cloudwatch, once, Sent::Once),
                ec2: client!(aws_sdk_ec2, once, Sent::Once),
                efs: client!(aws_sdk_efs, once, Sent::Once),
                elb: client!(aws_sdk_elasticloadbalancingv2, once, Sent::Once),
                iam: client!(aws_sdk_iam, once, Sent::Once),
                logs: client!(aws_sdk_cloudwatchlogs, once, Sent::Once),
                rds: client!(aws_sdk_rds, once, Sent::Once),
                route53: client!(aws_sdk_route53, once, Sent::Once),
                s3: s3_client(once, Sent::Once),
                sns: client!(aws_sdk_sns, once, Sent::Once),
                ssm: client!(aws_sdk_ssm, once, Sent::Once),
                waf: client!(aws_sdk_wafv2, once, Sent::Once),
            },
            acm: client!(aws_sdk_acm, retried, Sent::Retried),
            autoscaling: client!(aws_sdk_autoscaling, retried, Sent::Retried),
            cloudfront: client!(aws_sdk_cloudfront, retried, Sent::Retried),
            cloudwatch: client!(aws_sdk_cloudwatch, retried, Sent::Retried),
            ec2: client!(aws_sdk_ec2, retried, Sent::Retried),
            efs: client!(aws_sdk_efs, retried, Sent::Retried),
            elb: client!(aws_sdk_elasticloadbalancingv2, retried, Sent::Retried),
            iam: client!(aws_sdk_iam, retried, Sent::Retried),
            logs: client!(aws_sdk_cloudwatchlogs, retried, Sent::Retried),
            rds: client!(aws_sdk_rds, retried, Sent::Retried),
            route53: client!(aws_sdk_route53, retried, Sent::Retried),
            s3: s3_client(retried, Sent::Retried),
            sns: client!(aws_sdk_sns, retried, Sent::Retried),
            ssm: client!(aws_sdk_ssm, retried, Sent::Retried),
            sts: client!(aws_sdk_sts, retried, Sent::Retried),
            waf: client!(aws_sdk_wafv2, retried, Sent::Retried),
            base: config.clone(),
            account: Default::default(),
            others: Default::default(),
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
        let account = out.account().unwrap_or("?").to_string();
        let _ = self.account.set(account.clone());
        Ok(Identity {
            account,
            arn: out.arn().unwrap_or("?").to_string(),
        })
    }

    /// The account's ID: asked of STS once (names that must be unique across accounts
    /// carry it, and every such name would otherwise cost a call).
    pub async fn account(&self) -> Result<String, AwsError> {
        if let Some(a) = self.account.get() {
            return Ok(a.clone());
        }
        Ok(self.identity().await?.account)
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

/// The region used when neither the plan nor the AWS configuration names one: Seoul,
/// where the lab is set.
pub const DEFAULT_REGION: &str = "ap-northeast-2";

async fn load(region: Option<&str>, target: &Target) -> SdkConfig {
    // Standard mode retries throttling and 5xx with exponential backoff and jitter; a few
    // more tries than the default ride out the bursts a full-stack build causes. The
    // engine adds none on top (see `retry`).
    let retry = RetryConfig::standard()
        .with_max_attempts(SDK_TRIES)
        .with_initial_backoff(Duration::from_millis(200))
        .with_max_backoff(Duration::from_secs(20));
    let chain = RegionProviderChain::first_try(region.map(|r| Region::new(r.to_string())))
        .or_default_provider()
        .or_else(Region::new(DEFAULT_REGION));
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
