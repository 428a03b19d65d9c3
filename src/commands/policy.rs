//! `hawiz policy [STACK]`: the deployer IAM policy scoped to one stack (its tag values,
//! names and parameter paths only; without a stack, the all-stacks variant for a personal
//! account), or with `--boundary` the permissions boundary its roles carry. The document
//! goes to stdout alone, so it can be saved and read; what to do with it goes to stderr.
//! AWS takes at most 6,144 characters per managed policy, so `--out DIR` writes it cut
//! into parts that fit, with the commands that create and attach them.

use super::Failure;
use crate::plan::validate::{Report, stack_name};
use crate::policy::{self, BOUNDARY_PATH, Scope};
use crate::state::Store;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default)]
pub struct Args {
    /// None: the all-stacks variant.
    pub stack: Option<String>,
    pub region: Option<String>,
    pub domain: Option<String>,
    pub host: Option<String>,
    pub boundary: bool,
    pub out: Option<PathBuf>,
}

/// The stack's scope: the flags, else its saved plan, else the AWS configuration.
async fn scope(stacks_dir: &Path, stack: &str, args: &Args) -> Result<Scope, Failure> {
    let mut r = Report::default();
    stack_name(stack, &mut r);
    if !r.is_ok() {
        return Err(Failure::refused("no policy was written:", r.errors));
    }
    let saved = Store::open(stacks_dir, stack)
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
        stack: stack.to_string(),
        region,
        site,
    })
}

pub async fn run(stacks_dir: &Path, args: &Args) -> Result<(), Failure> {
    let Some(stack) = &args.stack else {
        if args.boundary {
            return Err(Failure::invalid(
                "a permissions boundary belongs to one stack: name it, as in \
                 `hawiz policy STACK --boundary`",
            ));
        }
        if args.domain.is_some() || args.host.is_some() {
            return Err(Failure::invalid(
                "--domain and --host scope a stack's policy: name the stack, as in \
                 `hawiz policy STACK --domain example.com`",
            ));
        }
        return emit(
            policy::ALL_STACKS,
            "hawiz-deployer",
            None,
            args.out.as_deref(),
            "The all-stacks deployer policy, for a personal account: any hawiz stack of the \
             account is in its reach. For a shared account or CI, give each key one stack's \
             policy (`hawiz policy STACK`). Each stack's roles need the stack's boundary, which \
             this policy may not create (`hawiz policy STACK --boundary`).",
        );
    };
    let scope = scope(stacks_dir, stack, args).await?;
    // The saved plan's static bucket adds its replication role's statement.
    let static_bucket = Store::open(stacks_dir, stack)
        .ok()
        .is_some_and(|s| s.snapshot().plan.static_bucket());
    let boundary = policy::boundary_for(stack, static_bucket);
    let name = policy::boundary_name(stack);
    let make_boundary = format!(
        "hawiz policy {stack} --boundary > boundary.json\n  aws iam create-policy \
         --policy-name {name} --path {BOUNDARY_PATH} --policy-document file://boundary.json"
    );
    if args.boundary {
        print!("{boundary}");
        eprintln!(
            "The permissions boundary of stack {stack}'s roles. An administrator creates it \
             once (the deployer policy may not):\n  {make_boundary}"
        );
        return Ok(());
    }
    let text = policy::deployer(&scope).map_err(Failure::failed)?;
    let dns = match &scope.site {
        Some((d, h)) => format!(
            "DNS records it may change: {} (A, CNAME), {} (TXT)",
            policy::site_record_names(d, h).join(", "),
            policy::site_marker_names(d, h).join(", ")
        ),
        None => "no domain: it may change no DNS record (pass --domain to add the site's)".into(),
    };
    emit(
        &text,
        &format!("hawiz-{stack}-deployer"),
        Some((stack, &boundary)),
        args.out.as_deref(),
        &format!(
            "The deployer policy of stack {stack} (region {region}): only this stack's tags, \
             names and parameters. {dns}. Its roles need the boundary {name}, which this policy \
             may not create: an administrator makes it once with\n  {make_boundary}",
            region = scope.region
        ),
    )
}

/// The policy whole on stdout, or with `out` its parts as files and the commands that
/// make them; what it is on stderr.
fn emit(
    text: &str,
    prefix: &str,
    stack: Option<(&str, &str)>,
    out: Option<&Path>,
    about: &str,
) -> Result<(), Failure> {
    let parts = policy::parts(text).map_err(Failure::failed)?;
    let Some(dir) = out else {
        print!("{text}");
        eprintln!(
            "{about}\nAWS takes at most {} characters per managed policy: this one is {} \
             parts. Write them as files, with the commands that create them: --out DIR",
            policy::MANAGED_POLICY_LIMIT,
            parts.len()
        );
        return Ok(());
    };
    let write = |name: &str, body: &str| -> Result<PathBuf, Failure> {
        let path = dir.join(format!("{name}.json"));
        std::fs::write(&path, body)
            .map_err(|e| Failure::failed(format!("cannot write {}: {e}", path.display())))?;
        Ok(path)
    };
    std::fs::create_dir_all(dir)
        .map_err(|e| Failure::failed(format!("cannot create {}: {e}", dir.display())))?;
    eprintln!("{about}");
    println!(
        "# Run as an administrator. The deployer policy, in {} parts:",
        parts.len()
    );
    let mut names = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let name = format!("{prefix}-{}", i + 1);
        let path = write(&name, part)?;
        println!(
            "aws iam create-policy --policy-name {name} --policy-document file://{}",
            path.display()
        );
        names.push(name);
    }
    if let Some((stack, boundary)) = stack {
        let name = policy::boundary_name(stack);
        let path = write(&name, boundary)?;
        println!("# The boundary every role of the stack carries:");
        println!(
            "aws iam create-policy --policy-name {name} --path {BOUNDARY_PATH} \
             --policy-document file://{}",
            path.display()
        );
    }
    println!("# Then attach the parts to the user or role that runs hawiz (ACCOUNT: yours):");
    for name in names {
        println!(
            "aws iam attach-user-policy --user-name USER --policy-arn \
             arn:aws:iam::ACCOUNT:policy/{name}"
        );
    }
    Ok(())
}
