//! `hawiz drill STACK instance|database|region`: break one part on purpose, watch the
//! stack heal live, and print the measured times with what they mean; `region --promote`
//! goes on to `hawiz failover`.

use super::{Env, Failure};
use crate::i18n::text::{columns, pad};
use crate::ops::{self, drill::Part};
use crate::progress::ask;

/// What Ctrl-C during a drill says: hawiz only watches, the stack heals without it.
pub fn interrupted(env: &Env, stack: &str) -> String {
    format!(
        "stopped watching the drill. Nothing is left broken by stopping: Auto Scaling replaces \
         the instance (RDS finishes its failover) on its own; `{}` shows when it is whole \
         again.",
        env.target.hawiz(&format!("status {stack}"))
    )
}

pub async fn run(
    env: &Env,
    stack: &str,
    part: Part,
    promote: bool,
    yes: bool,
) -> Result<(), Failure> {
    let mut plan = ops::drill::prepare(env, stack, part).await?;
    if promote {
        plan.promote()?;
    }
    let answer = ask::cli(&plan.question(), yes, env.lang)?;
    plan.answer(&answer)?;
    let (mut events, work) = ops::drill::run(plan);
    while let Some(ev) = events.recv().await {
        if let ops::Event::Note { en, ko } = ev {
            println!("  {}", env.lang.pick(&en, &ko));
        }
    }
    let result = work
        .await
        .map_err(|e| Failure::failed(format!("internal error: {e}")))??;
    println!();
    let rows = ops::drill::table(&result, env.lang);
    // Aligned by display width: a Korean label's bytes are not its columns.
    let width = rows.iter().map(|(l, _)| columns(l)).max().unwrap_or(0);
    for (label, value) in &rows {
        println!("  {}  {value}", pad(label, width));
    }
    println!();
    println!("{}", ops::drill::meaning(&result, env.lang));
    // The drill's locks went with its plan: the failover takes them again, and asks.
    if result.promoted {
        if !result.healed {
            return Err(Failure::failed(format!(
                "the standby did not answer within the drill's wait, so nothing was promoted; \
                 the primary's health check is still inverted (Route 53 sends visitors to the \
                 read-only standby). `hawiz apply` of the stack's plan puts it back; `{}` fails \
                 over anyway",
                env.target.hawiz(&format!("failover {stack}"))
            )));
        }
        println!();
        return super::failover::run(env, stack, yes).await;
    }
    if result.healed {
        Ok(())
    } else {
        Err(Failure::failed(format!(
            "the stack was not whole again within the drill's wait; see `{}`",
            env.target.hawiz(&format!("status {stack}"))
        )))
    }
}
