//! `hawiz plan PLAN`: validate, look at the account, and print what a run would do:
//! create `+`, change in place `~`, replace `-/+`, delete `-`, and the cost change.
//! Changes nothing.

use super::{Env, Failure, print_changes};
use crate::ops;
use std::path::Path;

pub async fn run(env: &Env, path: &Path) -> Result<(), Failure> {
    let plan = ops::load_plan(path).await?;
    println!(
        "Plan {}: stack {:?} in {}",
        path.display(),
        plan.stack.name,
        plan.region()
    );
    // Without an account the plan can only be checked on its own; an adopted VPC cannot
    // be judged that way, so there the account is required.
    if let Err(e) = ops::connect(env, plan.region()).await {
        if plan.network.adopts_vpc() {
            return Err(e);
        }
        ops::validated(&plan)?;
        let graph = crate::blueprint::build(&plan, &env.stacks_dir)
            .map_err(|e| Failure::failed(format!("internal error: {e}")))?;
        println!("The plan is valid on its own; it would make:");
        for node in graph.nodes() {
            println!("  +   {:<17} {}", node.res.kind(), node.res.name());
        }
        println!("{} resources in the plan.", graph.len());
        // Not a pass: what exists, what is in the way and the differences are unknown.
        return Err(Failure {
            message: format!(
                "the AWS account was not checked (what exists, what is in the way, what \
                 would change): {}",
                e.message
            ),
            ..e
        });
    }
    let cs = ops::changes(env, plan, false).await?;
    println!(
        "AWS account {} ({})",
        cs.session.who.account, cs.session.who.arn
    );
    print_changes(&cs);
    let needs = cs.needs();
    if needs.replace_vpc {
        println!("Replacing the VPC needs `--replace-vpc` at apply.");
    }
    if needs.replace_database {
        println!("Replacing the database needs `--replace-database` at apply.");
    }
    if needs.db_when {
        println!(
            "Database changes are made in its next maintenance window, or now with `--db-now`."
        );
    }
    println!(
        "Nothing was changed; `hawiz apply {}` does this.",
        path.display()
    );
    Ok(())
}
