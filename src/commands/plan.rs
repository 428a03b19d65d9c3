//! `hawiz plan PLAN`: validate and list what would be created. Changes nothing.

use super::{Env, Failure, connect, load_plan, preflight};
use crate::blueprint;
use std::path::Path;

pub async fn run(env: &Env, path: &Path) -> Result<(), Failure> {
    let plan = load_plan(path).await?;
    let graph =
        blueprint::build(&plan, &env.stacks_dir).map_err(|e| Failure::failed(e.to_string()))?;
    println!(
        "Plan {}: stack {:?} in {} ({} resources)",
        path.display(),
        plan.stack.name,
        plan.region(),
        graph.len()
    );
    // Checks against the account are a bonus here; an adopted VPC cannot be judged
    // without them, so there they are required.
    match connect(env, plan.region()).await {
        Ok((clients, who)) => {
            println!("AWS account {} ({})", who.account, who.arn);
            let warnings = preflight(&clients, &plan).await?;
            if !warnings.is_empty() {
                eprintln!("{}", super::findings("warning:", &warnings));
            }
        }
        Err(e) if plan.network.adopts_vpc() => return Err(e),
        Err(_) => println!("(not signed in to AWS: checks against the account run at apply)"),
    }
    let mut adopted = 0;
    for node in graph.nodes() {
        if node.res.adopted() {
            adopted += 1;
            println!(
                "  = {:<16} {:<28} yours, used as is",
                node.res.kind(),
                node.res.name()
            );
        } else {
            println!(
                "  + {:<16} {:<28} {}",
                node.res.kind(),
                node.res.name(),
                node.key
            );
        }
    }
    println!(
        "{} to create (or find, if they exist), {adopted} adopted. Nothing was changed; \
         `hawiz apply {}` builds it.",
        graph.len() - adopted,
        path.display()
    );
    Ok(())
}
