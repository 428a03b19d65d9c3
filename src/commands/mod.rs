//! The non-interactive commands. Each returns `Ok` or a `Failure` carrying the exit code
//! and the message the user reads; printing progress is `progress`'s job.

pub mod apply;
pub mod destroy;
pub mod plan;
pub mod status;
pub mod summary;

use crate::aws::{self, Clients, Identity};
use crate::plan::{Finding, Plan, validate::validate};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// Exit codes: 1 = something failed in AWS or the engine, 2 = the input is wrong
/// (nothing was created), 130 = interrupted.
#[derive(Debug)]
pub struct Failure {
    pub code: i32,
    pub message: String,
}

impl Failure {
    pub fn invalid(message: impl Into<String>) -> Self {
        Failure {
            code: 2,
            message: message.into(),
        }
    }
    pub fn failed(message: impl Into<String>) -> Self {
        Failure {
            code: 1,
            message: message.into(),
        }
    }
}

/// What every command needs to know about where it runs.
#[derive(Debug, Clone)]
pub struct Env {
    pub stacks_dir: PathBuf,
    pub target: aws::Target,
    pub parallelism: usize,
}

pub fn findings(title: &str, list: &[Finding]) -> String {
    let mut s = title.to_string();
    for f in list {
        s.push_str(&format!("\n  - {f}"));
    }
    s
}

/// Load, resolve and validate a plan; warnings are printed, errors refuse it.
pub async fn load_plan(path: &Path) -> Result<Plan, Failure> {
    let mut plan = Plan::load(path).map_err(|e| Failure::invalid(e.to_string()))?;
    let configured = if plan.stack.region.is_none() {
        aws::configured_region().await
    } else {
        None
    };
    plan.resolve(configured.as_deref());
    let report = validate(&plan);
    if !report.warnings.is_empty() {
        eprintln!("{}", findings("warning:", &report.warnings));
    }
    if !report.is_ok() {
        return Err(Failure::invalid(findings(
            &format!(
                "plan {} has {} problem(s); nothing was created:",
                path.display(),
                report.errors.len()
            ),
            &report.errors,
        )));
    }
    Ok(plan)
}

/// Clients for a region, plus who we are: the first call every command makes, so a
/// missing login is explained before anything else happens.
pub async fn connect(env: &Env, region: &str) -> Result<(Clients, Identity), Failure> {
    let clients = Clients::new(region, &env.target).await;
    let who = clients.identity().await.map_err(|e| {
        Failure::failed(format!(
            "cannot reach AWS with the current credentials: {e}\n\
             Set AWS_PROFILE (or run `aws sso login` / `aws configure`), or practise with \
             `hawiz --sandbox`, which needs no account."
        ))
    })?;
    Ok((clients, who))
}

/// Ask before changing anything; refuses to guess when nobody can answer.
pub fn confirm(question: &str) -> Result<bool, Failure> {
    if !std::io::stdin().is_terminal() {
        return Err(Failure::invalid(
            "this changes your AWS account and there is no terminal to confirm on; \
             pass --yes to go ahead",
        ));
    }
    match inquire::Confirm::new(question).with_default(false).prompt() {
        Ok(answer) => Ok(answer),
        // Ctrl-C / Esc is "no", never "yes".
        Err(
            inquire::InquireError::OperationCanceled | inquire::InquireError::OperationInterrupted,
        ) => Ok(false),
        Err(e) => Err(Failure::failed(format!("cannot ask for confirmation: {e}"))),
    }
}

/// Checks that need AWS but change nothing: the adopted VPC's subnets are what the plan
/// says they are, or the chosen AZs exist in the region.
/// Returns the warnings, for the caller to show its way.
pub async fn preflight(clients: &Clients, plan: &Plan) -> Result<Vec<Finding>, Failure> {
    let net = &plan.network;
    let report = if net.adopts_vpc() {
        crate::resources::adopt::inspect(clients, net)
            .await
            .map_err(|e| Failure::failed(e.to_string()))?
    } else {
        let out = clients
            .ec2
            .describe_availability_zones()
            .send()
            .await
            .map_err(aws::aws("DescribeAvailabilityZones"))
            .map_err(|e| Failure::failed(e.to_string()))?;
        let known: Vec<&str> = out
            .availability_zones()
            .iter()
            .filter_map(|z| z.zone_name())
            .collect();
        let mut report = crate::plan::Report::default();
        for (i, az) in net.azs().iter().enumerate() {
            if !known.contains(&az.as_str()) {
                report.errors.push(Finding {
                    field: format!("network.azs[{i}]"),
                    message: format!(
                        "{az} is not an availability zone of {} here (available: {})",
                        clients.region,
                        known.join(", ")
                    ),
                    ko: format!(
                        "{az}: 이곳 {}의 가용 영역이 아닙니다 (사용 가능: {})",
                        clients.region,
                        known.join(", ")
                    ),
                });
            }
        }
        report
    };
    let mut report = report;
    if let Some(d) = &plan.domain {
        let zones = crate::resources::route53::zones_named(clients, &d.name)
            .await
            .map_err(|e| Failure::failed(e.to_string()))?;
        let strangers: Vec<&str> = zones
            .iter()
            .filter(|(_, comment)| !crate::resources::route53::made_by(comment, &plan.stack.name))
            .map(|(id, _)| id.as_str())
            .collect();
        if d.create_hosted_zone && !strangers.is_empty() {
            report.errors.push(Finding {
                field: "domain.create_hosted_zone".into(),
                message: format!(
                    "a hosted zone for {} already exists ({}); set create_hosted_zone = false to use \
                     it instead of creating a second one that nobody would delegate to",
                    d.name,
                    strangers.join(", ")
                ),
                ko: format!(
                    "{}의 호스팅 영역이 이미 있습니다 ({}). 아무도 위임하지 않을 두 번째 영역을 만드는 대신 \
                     create_hosted_zone = false로 기존 영역을 사용하세요",
                    d.name,
                    strangers.join(", ")
                ),
            });
        }
        if !d.create_hosted_zone && zones.is_empty() {
            report.errors.push(Finding {
                field: "domain.create_hosted_zone".into(),
                message: format!(
                    "false, but there is no hosted zone for {} in this account; set it to true to create one",
                    d.name
                ),
                ko: format!(
                    "false이지만 이 계정에 {}의 호스팅 영역이 없습니다. true로 바꾸면 새로 만듭니다",
                    d.name
                ),
            });
        }
    }
    if !report.is_ok() {
        return Err(Failure::invalid(findings(
            &format!(
                "the plan does not fit what exists in {}; nothing was created:",
                clients.region
            ),
            &report.errors,
        )));
    }
    Ok(report.warnings)
}

/// An engine runner and the receiving end of its events.
pub fn runner(
    env: &Env,
    clients: Clients,
    store: std::sync::Arc<crate::state::Store>,
    graph: crate::engine::Graph,
) -> (
    crate::engine::Runner,
    tokio::sync::mpsc::UnboundedReceiver<crate::engine::Event>,
) {
    let (events, rx) = tokio::sync::mpsc::unbounded_channel();
    let runner = crate::engine::Runner {
        aws: std::sync::Arc::new(clients),
        store,
        graph: std::sync::Arc::new(graph),
        parallelism: env.parallelism,
        events,
    };
    (runner, rx)
}

/// An empty `bastion.ssh_cidr` means "my address": look it up now, so SSH is open to the
/// user's /32 and nobody else. Stored in the plan saved with the state. Returns a note for
/// the user when it chose an address.
pub async fn resolve_ssh_cidr(plan: &mut Plan, env: &Env) -> Result<Option<String>, Failure> {
    if !plan.bastion.enabled || !plan.bastion.ssh_cidr.trim().is_empty() {
        return Ok(None);
    }
    match crate::myip::detect().await {
        Ok(ip) => {
            plan.bastion.ssh_cidr = format!("{ip}/32");
            Ok(Some(format!(
                "SSH to the bastion will be allowed from {ip}/32 (your public address)."
            )))
        }
        Err(why) if env.target.sandbox => {
            plan.bastion.ssh_cidr = SANDBOX_SSH_CIDR.into();
            Ok(Some(format!(
                "Could not detect your public address ({why}); the sandbox uses {SANDBOX_SSH_CIDR}."
            )))
        }
        Err(why) => Err(Failure::invalid(format!(
            "bastion.ssh_cidr is empty, so hawiz looked up your public address to allow SSH \
             from it alone, but {why}. Set bastion.ssh_cidr = \"<your address>/32\" in the plan \
             (or bastion.enabled = false); nothing was created"
        ))),
    }
}

/// What the sandbox allows SSH from when the real address cannot be found (it is offline).
pub const SANDBOX_SSH_CIDR: &str = "127.0.0.1/32";

/// Everything checked and ready to build: clients, who we are, the graph, the state.
pub struct Prepared {
    pub clients: Clients,
    pub who: Identity,
    pub graph: crate::engine::Graph,
    pub warnings: Vec<Finding>,
}

/// The checks every build makes before creating anything: the graph, the account, and
/// what must already exist (an adopted VPC, AZs, hosted zones).
pub async fn prepare(env: &Env, plan: &Plan) -> Result<Prepared, Failure> {
    let graph = crate::blueprint::build(plan, &env.stacks_dir)
        .map_err(|e| Failure::failed(e.to_string()))?;
    let (clients, who) = connect(env, plan.region()).await?;
    let warnings = preflight(&clients, plan).await?;
    Ok(Prepared {
        clients,
        who,
        graph,
        warnings,
    })
}
