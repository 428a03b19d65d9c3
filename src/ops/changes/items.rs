//! What a run does to each resource: made, kept, changed in place, replaced (with what
//! depends on it and what it renews), removed because it left the plan, or the user's own.

use super::{Action, Item};
use crate::engine::settings::Change;
use crate::engine::{Altered, Graph, Survey};
use crate::plan::Finding;

/// Where a missing resource of the user's is named in the plan.
fn field_of(key: &str) -> &'static str {
    match key.split('/').next().unwrap_or(key) {
        "vpc" => "network.vpc_id",
        "subnet" if key.contains("private") => "network.private_subnet_ids",
        "subnet" => "network.public_subnet_ids",
        "key-pair" => "bastion.key_name",
        "zone" => "domain.create_hosted_zone",
        _ => "stack.name",
    }
}

/// One item per resource of the plan (and per leftover of earlier plans), with what the
/// run does to it; what is in the way goes to `refusals`.
pub(super) fn items(
    graph: &Graph,
    union: &Graph,
    survey: &Survey,
    refusals: &mut Vec<Finding>,
) -> Vec<Item> {
    let mut items: Vec<Item> = Vec::new();
    for node in graph.nodes() {
        let seen = survey.nodes.get(&node.key).cloned().unwrap_or_default();
        let ids = seen.found.ids();
        let proof = seen.found.ours.first().map(|m| m.proof);
        let action = if node.res.adopted() {
            // Preflight may have refused it already, with the names that do exist.
            let told = refusals.iter().any(|f| f.field == field_of(&node.key));
            if ids.is_empty() && !told {
                refusals.push(Finding {
                    field: field_of(&node.key).into(),
                    message: format!(
                        "your {} {} does not exist here (or these credentials cannot see it); \
                         check the name or ID",
                        node.res.kind(),
                        node.label()
                    ),
                    ko: format!(
                        "사용자의 {} {} 여기에 없습니다(또는 이 자격 증명으로 볼 수 없습니다). \
                         이름이나 ID를 확인하세요",
                        crate::i18n::Lang::Ko.kind(node.res.kind()),
                        crate::i18n::korean::with(&node.label(), crate::i18n::korean::Josa::IGa)
                    ),
                });
            }
            Action::Yours
        } else if ids.is_empty() {
            refusals.extend(seen.found.foreign.iter().cloned());
            Action::Create
        } else if seen.changes.iter().any(Change::replaces) {
            Action::Replace
        } else if seen.changes.is_empty() {
            Action::Keep
        } else {
            Action::Update
        };
        items.push(Item {
            key: node.key.clone(),
            kind: node.res.kind(),
            name: node.label(),
            action,
            changes: seen.changes,
            because: None,
            ids,
            proof,
            replacing: node.res.replacing(),
            can_wait: node.res.updates_can_wait(),
            roll: false,
        });
    }
    // What depends on a replaced resource holds its old ID: it goes and comes back too.
    let replaced: Vec<(String, String)> = items
        .iter()
        .filter(|i| i.action == Action::Replace)
        .map(|i| (i.key.clone(), i.name.clone()))
        .collect();
    for (key, name) in replaced {
        for dependent in graph.dependents_all(&key) {
            if let Some(item) = items.iter_mut().find(|i| i.key == dependent)
                && matches!(item.action, Action::Keep | Action::Update)
            {
                item.action = Action::Replace;
                item.because = Some(format!("{name} is replaced"));
            }
        }
    }
    // What another change renews, as each kind says (a group's instances when its
    // template has a new version or the database is new): shown where it is listed, since
    // it happens only once that change is made.
    let altered: Vec<(String, &'static str, Altered)> = items
        .iter()
        .filter_map(|i| match i.action {
            Action::Update => Some((i.key.clone(), i.kind, Altered::Updated)),
            Action::Replace => Some((i.key.clone(), i.kind, Altered::Replaced)),
            _ => None,
        })
        .collect();
    for item in items
        .iter_mut()
        .filter(|i| matches!(i.action, Action::Keep | Action::Update))
    {
        let Some(node) = graph.get(&item.key) else {
            continue;
        };
        for (key, kind, how) in &altered {
            if let Some(new) = node.res.renewed_by(key, kind, *how) {
                item.action = Action::Update;
                item.roll |= *how == Altered::Replaced;
                item.changes.push(Change {
                    name: "instances",
                    old: match how {
                        Altered::Updated => "from the current template",
                        Altered::Replaced => "running",
                    }
                    .into(),
                    new: new.into(),
                    on_change: crate::engine::settings::OnChange::Update,
                });
            }
        }
    }
    for node in union.nodes().filter(|n| !graph.contains(&n.key)) {
        let ids = survey.ids(&node.key);
        if ids.is_empty() || node.res.kept().is_some() {
            continue;
        }
        items.push(Item {
            key: node.key.clone(),
            kind: node.res.kind(),
            name: node.label(),
            action: Action::Delete,
            changes: Vec::new(),
            because: Some("it left the plan".into()),
            proof: survey
                .nodes
                .get(&node.key)
                .and_then(|s| s.found.ours.first().map(|m| m.proof)),
            ids,
            replacing: node.res.replacing(),
            can_wait: node.res.updates_can_wait(),
            roll: false,
        });
    }
    items
}
