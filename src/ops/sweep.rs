//! The leftovers sweep: everything tagged with the stack, in every service the stack's
//! kinds live in, that no resource of the stack (now or in an earlier plan) accounts for.

use crate::engine::{Runner, Survey};
use std::collections::BTreeSet;

/// A tagged resource of the stack that none of its nodes found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leftover {
    pub kind: &'static str,
    pub id: String,
    pub key: Option<String>,
}

pub async fn leftovers(runner: &Runner, survey: &Survey) -> Result<Vec<Leftover>, String> {
    let known: BTreeSet<&String> = survey
        .nodes
        .values()
        .flat_map(|s| s.found.ours.iter().map(|m| &m.id))
        .collect();
    Ok(crate::engine::sweep(runner)
        .await?
        .into_iter()
        .filter(|(_, s)| !known.contains(&s.id))
        .map(|(kind, s)| Leftover {
            kind,
            id: s.id,
            key: s.key,
        })
        .collect())
}
