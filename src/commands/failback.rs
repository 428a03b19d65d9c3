//! `hawiz failback STACK [--prepare] [--yes]`: the site's data copied back to the primary's
//! region, then the site switched back to it, every step shown as it goes and timed.

use super::failover::{incomplete, steps};
use super::{Env, Failure};
use crate::ops;
use crate::progress::ask;

pub async fn run(env: &Env, stack: &str, yes: bool, prepare: bool) -> Result<(), Failure> {
    let plan = ops::failback::prepare(env, stack, prepare).await?;
    let answer = ask::cli(&plan.question(), yes, env.lang)?;
    plan.answer(&answer)?;
    let (stack, primary) = (plan.stack.clone(), plan.primary.clone());
    let outcome = plan.outcome();
    let (events, work) = ops::failback::run(env, plan);
    let report = steps(env, &stack, &primary, events, work).await?;
    if !report.is_complete() {
        return Err(incomplete(
            env,
            &report,
            &format!(
                "stack {stack:?} serves from {primary} again, but its standby is not whole yet"
            ),
            &format!("failback {stack}"),
        ));
    }
    println!("{}", env.lang.pick(&outcome.en, &outcome.ko));
    Ok(())
}
