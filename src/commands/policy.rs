//! `hawiz policy STACK`: the deployer IAM policy scoped to one stack (its tag values,
//! names and parameter paths only), or with `--boundary` the permissions boundary its
//! roles carry. The document goes to stdout alone, so it can be saved as a file; what to
//! do with it goes to stderr.

use super::Failure;
use crate::plan::validate::{Report, stack_name};
use crate::policy::{self, BOUNDARY_PATH, Scope};
use crate::state::Store;
use std::path::Path;

#[derive(Debug, Clone, Default)]
pub struct Args {
    pub stack: String,
    pub region: Option<String>,
    pub domain: Option<String>,
    pub host: Option<String>,
    pub boundary: bool,
}

/// The stack's scope: the flags, else its saved plan, else the AWS configuration.
async fn scope(stacks_dir: &Path, args: &Args) -> Result<Scope, Failure> {
    let mut r = Report::default();
    stack_name(&args.stack, &mut r);
    if !r.is_ok() {
        return Err(Failure::refused("no policy was written:", r.errors));
    }
    let saved = Store::open(stacks_dir, &args.stack)
        .ok()
        .map(|s| s.snapshot().plan);
    let region = match (&args.region, &saved) {
        (Some(r), _) => r.clone(),
        (None, Some(plan)) => plan.region().to_string(),
        (None, None) => crate::aws::configured_region()
            .await
            .unwrap_or_else(|| crate::plan::DEFAULT_REGION.to_string()),
    };
    let mut r = Report::default();
    crate::plan::validate::region(&region, &mut r);
    if !r.is_ok() {
        return Err(Failure::refused("no policy was written:", r.errors));
    }
    let site = match (&args.domain, &saved) {
        (Some(d), _) => Some((d.clone(), args.host.clone().unwrap_or_else(|| "www".into()))),
        (None, Some(plan)) => plan
            .domain
            .as_ref()
            .map(|d| (d.name.clone(), args.host.clone().unwrap_or(d.host.clone()))),
        (None, None) => None,
    };
    Ok(Scope {
        stack: args.stack.clone(),
        region,
        site,
    })
}

pub async fn run(stacks_dir: &Path, args: &Args) -> Result<(), Failure> {
    let scope = scope(stacks_dir, args).await?;
    let stack = &scope.stack;
    let name = policy::boundary_name(stack);
    if args.boundary {
        print!("{}", policy::boundary(stack));
        eprintln!(
            "The permissions boundary of stack {stack}'s roles. An administrator creates it once \
             (the deployer policy may not):\n  hawiz policy {stack} --boundary > boundary.json\n  \
             aws iam create-policy --policy-name {name} --path {BOUNDARY_PATH} --policy-document \
             file://boundary.json"
        );
        return Ok(());
    }
    let text = policy::deployer(&scope).map_err(Failure::failed)?;
    print!("{text}");
    let dns = match &scope.site {
        Some((d, h)) => format!(
            "DNS records it may change: {}",
            policy::site_record_names(d, h).join(", ")
        ),
        None => "no domain: it may change no DNS record (pass --domain to add the site's)".into(),
    };
    eprintln!(
        "The deployer policy of stack {stack} in {region}: only this stack's tags, names and \
         parameters. {dns}.\nIts roles need the boundary {name}, which this policy may not \
         create: an administrator makes it once with\n  hawiz policy {stack} --boundary > \
         boundary.json\n  aws iam create-policy --policy-name {name} --path {BOUNDARY_PATH} \
         --policy-document file://boundary.json",
        region = scope.region
    );
    Ok(())
}
