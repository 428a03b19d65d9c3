//! `hawiz apply PLAN [--yes]`: show what will change, ask the run layer's question,
//! carry it out with one progress line per event, and print where the site is.

use super::{Env, Failure};
use crate::i18n::Lang;
use crate::ops::{self, ApplyOptions, Choice};
use crate::progress::ask::{self, Asking};
use crate::progress::print::{applied_in, print_changes_in};
use crate::progress::{BuildState, Lines, RunKind};
use std::path::Path;

pub struct Flags {
    pub yes: bool,
    pub db_now: bool,
    pub replace_vpc: bool,
    pub replace_database: bool,
    pub no_wait: bool,
}

pub async fn run(env: &Env, path: &Path, flags: Flags) -> Result<(), Failure> {
    let plan = ops::load_plan(path).await?;
    let cs = ops::changes(env, plan, true).await?;
    let (name, region, who) = (&cs.plan.stack.name, cs.plan.region(), &cs.session.who);
    match env.lang {
        Lang::En => println!(
            "Stack {name:?} in {region} — AWS account {} ({})",
            who.account, who.arn
        ),
        Lang::Ko => println!(
            "스택 {name:?}, 리전 {region} — AWS 계정 {} ({})",
            who.account, who.arn
        ),
    }
    print_changes_in(&cs, env.lang);
    let chosen = [
        (Choice::DbNow, flags.db_now),
        (Choice::ReplaceVpc, flags.replace_vpc),
        (Choice::ReplaceDatabase, flags.replace_database),
    ];
    let how = Asking {
        yes: flags.yes,
        flags: chosen
            .iter()
            .filter(|(_, on)| *on)
            .map(|(c, _)| *c)
            .collect(),
        ask_required: false,
        lang: env.lang,
    };
    let answer = ask::answer(&cs.question(), &how, &mut |q, _| ask::confirm(q))?;
    let stack = cs.plan.stack.name.clone();
    let run = BuildState::new(
        &cs.graph,
        &stack,
        cs.plan.region(),
        RunKind::Build,
        std::time::Instant::now(),
    );
    let options = ApplyOptions {
        no_wait: flags.no_wait,
        ..ApplyOptions::from(&answer)
    };
    let (mut events, work) = ops::apply(env, cs, options);
    super::follow(&mut events, run, &Lines::new(env.lang)).await;
    let report = work
        .await
        .map_err(|e| Failure::failed(format!("internal error: {e}")))??;
    applied_in(&report, &stack, path, env.lang)
}
