//! `hawiz plan PLAN`: validate, look at the account, and print what a run would do:
//! create `+`, change in place `~`, replace `-/+`, delete `-`, and the cost change.
//! Changes nothing.

use super::{Env, Failure};
use crate::i18n::korean::{self, Josa};
use crate::i18n::{Lang, text::pad};
use crate::ops;
use crate::progress::print::print_changes_in;
use std::path::Path;

pub async fn run(env: &Env, path: &Path) -> Result<(), Failure> {
    let lang = env.lang;
    let plan = ops::load_plan(path).await?;
    match lang {
        Lang::En => println!(
            "Plan {}: stack {:?} in {}",
            path.display(),
            plan.stack.name,
            plan.region()
        ),
        Lang::Ko => println!(
            "계획 {}: 스택 {:?}, 리전 {}",
            path.display(),
            plan.stack.name,
            plan.region()
        ),
    }
    // Without an account the plan can only be checked on its own; an adopted VPC cannot
    // be judged that way, so there the account is required.
    if let Err(e) = ops::connect(env, plan.region()).await {
        if plan.network.adopts_vpc() {
            return Err(e);
        }
        ops::validated(&plan)?;
        let graph = crate::blueprint::build(&plan, &env.stacks_dir)
            .map_err(|e| Failure::failed(format!("internal error: {e}")))?;
        println!(
            "{}",
            lang.pick(
                "The plan is valid on its own; it would make:",
                "계획 자체는 올바릅니다. 만들 리소스:",
            )
        );
        for node in graph.nodes() {
            println!(
                "  +   {} {}",
                pad(lang.kind(node.res.kind()), 17),
                node.res.name()
            );
        }
        match lang {
            Lang::En => println!("{} resources in the plan.", graph.len()),
            Lang::Ko => println!("계획에 리소스 {}개가 있습니다.", graph.len()),
        }
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
        "{} {} ({})",
        lang.pick("AWS account", "AWS 계정"),
        cs.session.who.account,
        cs.session.who.arn
    );
    print_changes_in(&cs, lang);
    let needs = cs.needs();
    if needs.replace_vpc {
        println!(
            "{}",
            lang.pick(
                "Replacing the VPC needs `--replace-vpc` at apply.",
                "VPC를 교체하려면 apply에 `--replace-vpc`가 필요합니다.",
            )
        );
    }
    if needs.replace_database {
        println!(
            "{}",
            lang.pick(
                "Replacing the database needs `--replace-database` at apply.",
                "데이터베이스를 교체하려면 apply에 `--replace-database`가 필요합니다.",
            )
        );
    }
    if needs.db_when {
        println!(
            "{}",
            lang.pick(
                "Database changes are made in its next maintenance window, or now with `--db-now`.",
                "데이터베이스 변경은 다음 유지 관리 기간에 이루어집니다. `--db-now`를 주면 바로 합니다.",
            )
        );
    }
    let apply = format!("`hawiz apply {}`", path.display());
    match lang {
        Lang::En => println!("Nothing was changed; {apply} does this."),
        Lang::Ko => println!(
            "아무것도 바꾸지 않았습니다. {} 적용합니다.",
            korean::with(&apply, Josa::EuroRo)
        ),
    }
    Ok(())
}
