//! The command line (the CLI contract in DESIGN.md).

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "hawiz",
    version,
    about = "Build a highly available web site on AWS, step by step",
    long_about = "hawiz builds the classic HA lab on AWS: a VPC with public and private \
                  subnets in two AZs and NAT, a bastion, an RDS Multi-AZ database, EFS, a \
                  launch template, an ALB with Auto Scaling, and Route 53 + ACM; it explains \
                  each step, refuses the classic mistakes, shows the monthly cost first, \
                  resumes an interrupted build without creating anything twice, and proves \
                  the result heals (`hawiz drill`).\n\n\
                  Try it with no AWS account and no cost: `hawiz --sandbox`.",
    after_help = "A stack lives in its AWS account: its resources' tags, its plan and its lock \
                  (SSM /hawiz/STACK/), so any machine with the credentials can work on it. \
                  The local state (the OS data dir; HAWIZ_HOME overrides it) is a cache plus \
                  private keys and drafts. AWS settings come from the usual places: profiles, \
                  SSO, env credentials, AWS_REGION, AWS_ENDPOINT_URL."
)]
pub struct Cli {
    /// Run against a local AWS emulator (moto) that hawiz starts in the background and
    /// finds again on later runs (`hawiz sandbox stop` stops it)
    #[arg(long, global = true)]
    pub sandbox: bool,

    /// Ask the steps as plain line prompts instead of the full-screen wizard
    #[arg(long, global = true)]
    pub plain: bool,

    /// Colour theme for the wizard: dark, light or high-contrast (NO_COLOR is honoured)
    #[arg(long, global = true, value_name = "NAME")]
    pub theme: Option<String>,

    /// The language to speak: en or ko (default: the one last chosen in the wizard with
    /// F2, else the locale's, LC_ALL / LC_MESSAGES / LANG)
    #[arg(long, global = true, value_enum, value_name = "LANG")]
    pub lang: Option<crate::i18n::Lang>,

    /// How many resources may be worked on at the same time
    #[arg(long, global = true, default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub parallelism: u16,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the full-screen wizard on a plan file (its answers filled in); the review
    /// saves back to that file
    Edit {
        /// The plan file (TOML) to edit
        plan: PathBuf,
    },
    /// Check a plan file and show what a run would create, change, replace or delete
    /// (changes nothing)
    Plan {
        /// The plan file (TOML), e.g. assets/plans/wordpress-ha.toml
        plan: PathBuf,
    },
    /// Create the stack a plan describes, resume it, or change it to match the plan;
    /// exits 0 only when all is ready
    Apply {
        plan: PathBuf,
        /// Do not ask for confirmation
        #[arg(long, short = 'y')]
        yes: bool,
        /// Make database changes now (a restart; Multi-AZ fails over first) instead of in
        /// its next maintenance window
        #[arg(long)]
        db_now: bool,
        /// Allow replacing the VPC, which rebuilds everything in it
        #[arg(long)]
        replace_vpc: bool,
        /// Allow replacing the database with a new, empty one
        #[arg(long)]
        replace_database: bool,
        /// End once the site serves: what still converges (a fast start's database
        /// standby) goes on in AWS, and a later `apply` or `status` picks it up
        #[arg(long)]
        no_wait: bool,
        /// Take the stack's lock in the account even though its holder looks alive (only
        /// when that machine is gone for good)
        #[arg(long)]
        force_unlock: bool,
    },
    /// Show what exists of a stack, what is missing and what drifted
    Status {
        /// Stack name; without it, list the stacks found in the account and on this machine
        stack: Option<String>,
        /// Where to look for a stack this machine has no state of (default: the AWS
        /// configuration's region)
        #[arg(long)]
        region: Option<String>,
    },
    /// The HA drill: break one part of a complete stack on purpose (an app instance, or
    /// the database's primary) and watch it heal, with measured times
    Drill {
        stack: String,
        /// What to break: `instance` (terminated through Auto Scaling), `database`
        /// (rebooted with failover to its standby) or `region` (the primary's Route 53
        /// health check inverted, with [failover]; put back at the end)
        #[arg(value_enum)]
        part: DrillPart,
        /// With `region`: once the standby answers, go on to `hawiz failover` (promote its
        /// database, irreversible: asked) instead of putting the check back
        #[arg(long)]
        promote: bool,
        /// Do not ask for confirmation
        #[arg(long, short = 'y')]
        yes: bool,
        /// Where to look for a stack this machine has no state of
        #[arg(long)]
        region: Option<String>,
        /// Take the stack's lock in the account even though its holder looks alive
        #[arg(long)]
        force_unlock: bool,
    },
    /// Make a stack's standby region the site ([failover]): promote its database replica
    /// (irreversible), end its files' replication, run it at the primary's size
    Failover {
        stack: String,
        /// Do not ask for confirmation
        #[arg(long, short = 'y')]
        yes: bool,
        /// Where to look for a stack this machine has no state of
        #[arg(long)]
        region: Option<String>,
        /// Take the stack's lock in the account even though its holder looks alive
        #[arg(long)]
        force_unlock: bool,
    },
    /// After `hawiz failover`: copy the site's data back to the primary's region, then
    /// switch the site back to it (minutes of a read-only site) and make the standby anew
    Failback {
        stack: String,
        /// Stop once the primary holds an up-to-date copy (switch later, in a quiet hour)
        #[arg(long)]
        prepare: bool,
        /// Do not ask for confirmation
        #[arg(long, short = 'y')]
        yes: bool,
        /// Where to look for a stack this machine has no state of
        #[arg(long)]
        region: Option<String>,
        /// Take the stack's lock in the account even though its holder looks alive
        #[arg(long)]
        force_unlock: bool,
    },
    /// Delete everything the stack created, dependents first; adopted resources stay,
    /// and the database leaves a final snapshot
    Destroy {
        stack: String,
        /// Do not ask for confirmation
        #[arg(long, short = 'y')]
        yes: bool,
        /// Delete the database without keeping a final snapshot (its data is gone for good)
        #[arg(long)]
        skip_final_snapshot: bool,
        /// Delete only what carries the stack's tag but its plan does not explain
        /// (duplicates, leftovers, as `status` lists them); the stack stays
        #[arg(long)]
        leftovers: bool,
        /// Where to look for a stack this machine has no state of
        #[arg(long)]
        region: Option<String>,
        /// Take the stack's lock in the account even though its holder looks alive
        #[arg(long)]
        force_unlock: bool,
    },
    /// Check a VPC built by hand (or with hawiz) for the lab's HA mistakes, read-only:
    /// each finding with why it matters and how to fix it. Without STACK or --vpc, every
    /// VPC of the region with a verdict each. Exit 0: no high finding; 1: high findings
    Doctor {
        /// A saved stack whose VPC to check
        stack: Option<String>,
        /// The VPC to check (vpc-…)
        #[arg(long)]
        vpc: Option<String>,
        /// The region (default: the stack's, else the AWS configuration's)
        #[arg(long)]
        region: Option<String>,
        /// Print the findings as JSON (the shape is in the README)
        #[arg(long)]
        json: bool,
        /// Write a plan that adopts the VPC and its subnets (a new file): `hawiz plan
        /// FILE` then shows what hawiz would build there
        #[arg(long, value_name = "FILE")]
        write_plan: Option<PathBuf>,
    },
    /// Print the deployer IAM policy scoped to one stack (its tags, names and parameters
    /// only; without STACK, the all-stacks variant); `--boundary` prints the permissions
    /// boundary its roles carry; `--out DIR` writes it in parts that fit AWS's limit
    Policy {
        stack: Option<String>,
        /// The stack's region (default: its saved plan's, else the AWS configuration's)
        #[arg(long)]
        region: Option<String>,
        /// The site's domain, whose records the policy may change (default: the saved plan's)
        #[arg(long)]
        domain: Option<String>,
        /// The site's host name under the domain ("" for the apex; default www)
        #[arg(long)]
        host: Option<String>,
        /// Print the permissions boundary instead
        #[arg(long)]
        boundary: bool,
        /// Write the policy as files that each fit one managed policy (6,144 characters),
        /// and print the commands that create and attach them
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Print a shell completion script: `hawiz completions bash > ~/.local/share/bash-completion/completions/hawiz`
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// The sandbox's background emulator
    Sandbox {
        #[command(subcommand)]
        action: SandboxAction,
    },
}

#[derive(Debug, Subcommand)]
pub enum SandboxAction {
    /// Stop the background emulator; its practice stacks go with it
    Stop,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DrillPart {
    Instance,
    Database,
    Region,
}

impl From<DrillPart> for crate::ops::drill::Part {
    fn from(p: DrillPart) -> Self {
        match p {
            DrillPart::Instance => crate::ops::drill::Part::Instance,
            DrillPart::Database => crate::ops::drill::Part::Database,
            DrillPart::Region => crate::ops::drill::Part::Region,
        }
    }
}
