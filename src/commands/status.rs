//! `hawiz status [STACK]`: saved stacks, or one stack as it is in AWS: present, missing,
//! drifted from the plan, left over from an earlier plan, or tagged and unaccounted for.

use super::{Env, Failure};
use crate::ops::{self, status::State};
use crate::state::Store;

pub async fn run(env: &Env, stack: Option<&str>) -> Result<(), Failure> {
    let Some(stack) = stack else {
        return list(env);
    };
    let r = ops::status(env, stack).await?;
    println!(
        "Stack {:?} in {} (state: {})",
        r.stack, r.region, r.state_file
    );
    for row in &r.rows {
        let (word, detail) = match &row.state {
            State::Present => ("present", row.ids.join(", ")),
            State::Yours => ("yours", row.ids.join(", ")),
            State::Drifted(what) => (
                "DRIFTED",
                format!("{}: {}", row.ids.join(", "), what.join("; ")),
            ),
            State::Missing { was: Some(id) } => {
                ("missing", format!("{id} was recorded but is gone"))
            }
            State::Missing { was: None } => ("missing", String::new()),
            State::LeftThePlan => (
                "left",
                format!(
                    "{} (no longer in the plan; apply removes it)",
                    row.ids.join(", ")
                ),
            ),
            State::Unknown(e) => ("unknown", e.text.clone()),
        };
        let mut detail = detail;
        if row.ids.len() > 1 {
            detail.push_str("  (duplicates: destroy removes all)");
        }
        println!("  {word:<8} {:<17} {:<30} {detail}", row.kind, row.name);
    }
    for l in &r.leftovers {
        println!(
            "  tagged   {:<17} {:<30} tagged {}={} but no resource of the plan (destroy removes it)",
            l.kind,
            l.id,
            crate::aws::ec2::STACK_TAG,
            r.stack
        );
    }
    if let Some(e) = &r.sweep {
        println!(
            "  unknown  {:<17} {:<30} could not sweep for leftovers: {e}",
            "sweep", "-"
        );
    }
    let (present, total) = r.present();
    let drifted = r.drifted();
    if drifted > 0 {
        println!(
            "{present} of {total} resources present; {drifted} drifted from the plan (the next apply changes them back)."
        );
    } else {
        println!("{present} of {total} resources present.");
    }
    for n in &r.notes {
        println!("Note: {}", n.en);
    }
    ops::summary::print(&r.summary);
    if let Some(d) = ops::drill::last(&env.stacks_dir, stack) {
        println!("{}", ops::drill::status_line(&d));
    }
    if r.unknown() {
        return Err(Failure::failed(
            "some resources could not be checked (see above)",
        ));
    }
    Ok(())
}

fn list(env: &Env) -> Result<(), Failure> {
    let names = Store::list(&env.stacks_dir);
    if names.is_empty() {
        println!("No saved stacks in {}.", env.stacks_dir.display());
        return Ok(());
    }
    for name in names {
        match ops::stacks::saved_one(&env.stacks_dir, &name) {
            Ok(s) => println!(
                "  {name:<32} {:<16} {:<9} {}/{} ready",
                s.region,
                s.state(crate::i18n::Lang::En),
                s.ready,
                s.total
            ),
            Err(e) => println!("  {name:<32} {e}"),
        }
    }
    Ok(())
}
