//! What carries the stack's tag that its plan does not explain: a second resource with a
//! key the plan has (a duplicate: two machines, or a create resent after its answer was
//! lost), and anything tagged with the stack that no resource of it (now or in an earlier
//! plan) finds — made by hand, by another tool, or by a plan the account no longer
//! remembers. `status` lists them with the reason, `apply` refuses until they are gone,
//! `destroy` deletes them (`--leftovers`: only them).

use crate::engine::{Runner, Survey};
use crate::i18n::Text;
use crate::i18n::korean::{self, Josa};
use std::collections::BTreeSet;

/// Why a resource of the stack is not explained by its plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// Another resource carries the same `hawiz:key`; `used` is the one the stack uses
    /// (the one its state knows, else the first AWS lists).
    Duplicate { used: String },
    /// Its `hawiz:key` is one the plans of the stack do not have.
    Unplanned,
    /// It carries `hawiz:stack` and no `hawiz:key`.
    Unkeyed,
    /// Its key is the plan's, but the resource of that key did not find it where the
    /// plan puts it.
    Astray,
}

/// A resource tagged with the stack that its plan does not explain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extra {
    pub kind: &'static str,
    pub id: String,
    pub key: Option<String>,
    pub why: Why,
    /// The resource of the graph whose kind deletes it (its own key, else the first of
    /// its kind), so it is deleted in dependency order with the rest; `None` when the
    /// stack has none of its kind to delete (only the user's own): then it is listed and
    /// left for the user.
    pub node: Option<String>,
}

impl Extra {
    /// Why it is listed, in both languages.
    pub fn reason(&self, stack: &str) -> Text {
        let tag = crate::aws::ec2::STACK_TAG;
        let key = self.key.as_deref().unwrap_or_default();
        match &self.why {
            Why::Duplicate { used } => Text::new(
                format!("a duplicate: {used} has the same hawiz:key={key} and is the one in use"),
                format!(
                    "중복: 같은 hawiz:key={key}인 {}{} 쓰이고 있습니다",
                    used,
                    korean::particle(used, Josa::IGa)
                ),
            ),
            Why::Unplanned => Text::new(
                format!(
                    "tagged {tag}={stack} with hawiz:key={key}, which no plan of the stack has \
                     (made by hand, by another tool, or by a plan this stack no longer knows)"
                ),
                format!(
                    "{tag}={stack}, hawiz:key={key} 태그가 있지만 스택의 어느 계획에도 없는 키입니다 \
                     (직접 만들었거나, 다른 도구가 만들었거나, 잊힌 계획이 만든 것)"
                ),
            ),
            Why::Unkeyed => Text::new(
                format!(
                    "tagged {tag}={stack} but has no hawiz:key: hawiz did not make it (made by \
                     hand or by another tool)"
                ),
                format!(
                    "{tag}={stack} 태그가 있지만 hawiz:key가 없습니다. hawiz가 만든 것이 아닙니다 \
                     (직접 만들었거나 다른 도구가 만든 것)"
                ),
            ),
            Why::Astray => Text::new(
                format!("tagged hawiz:key={key} but not where the plan puts that resource"),
                format!("hawiz:key={key} 태그가 있지만 계획이 두는 자리에 있지 않습니다"),
            ),
        }
    }
}

/// Why `apply` refuses while extras exist: what they are, and the command that removes
/// them. Something tagged with the stack that hawiz cannot explain is never built around
/// (a second VPC's NAT gateways bill, a duplicate database would be written to by no
/// one): the user decides, and the command deletes exactly what is listed.
pub fn refusal(
    target: &crate::aws::Target,
    stack: &str,
    extras: &[Extra],
) -> Option<crate::plan::Finding> {
    const SHOWN: usize = 6;
    if extras.is_empty() {
        return None;
    }
    let status = target.hawiz(&format!("status {stack}"));
    let list = |ko: bool| {
        let mut lines: Vec<String> = extras
            .iter()
            .take(SHOWN)
            .map(|x| {
                let r = x.reason(stack);
                if ko {
                    format!("{} {}: {}", crate::i18n::Lang::Ko.kind(x.kind), x.id, r.ko)
                } else {
                    format!("{} {}: {}", x.kind, x.id, r.en)
                }
            })
            .collect();
        if extras.len() > SHOWN {
            lines.push(if ko {
                format!("외 {}개 ({status})", extras.len() - SHOWN)
            } else {
                format!("and {} more ({status})", extras.len() - SHOWN)
            });
        }
        lines.join("; ")
    };
    let n = extras.len();
    let remover = remover(target, stack);
    Some(crate::plan::Finding {
        field: "stack.name".into(),
        message: format!(
            "{n} resource(s) carry the tag of stack {stack} but are not explained by its plan \
             ({}); hawiz builds nothing around them. `{remover}` deletes exactly these and \
             keeps the stack; or remove them yourself. Then apply again",
            list(false)
        ),
        ko: format!(
            "스택 {stack}의 태그가 있지만 계획으로 설명되지 않는 리소스가 {n}개 있습니다({}). \
             hawiz는 이것들을 두고 만들지 않습니다. `{remover}` 명령은 정확히 이것들만 지우고 \
             스택은 남깁니다. 직접 지워도 됩니다. 그다음 다시 apply 하세요",
            list(true)
        ),
    })
}

/// The command that removes the extras and nothing else (with `--sandbox` there).
pub fn remover(target: &crate::aws::Target, stack: &str) -> String {
    target.hawiz(&format!("destroy {stack} --leftovers"))
}

/// Everything of the stack its plan does not explain: the duplicates the survey found
/// (each node's resources after the one in use), then whatever the sweep finds tagged
/// with the stack that no node found.
pub async fn extras(runner: &Runner, survey: &Survey) -> Result<Vec<Extra>, String> {
    let swept = crate::engine::sweep(runner).await?;
    Ok(explain(runner, survey, swept))
}

/// What `extras` finds, from a survey and a sweep run side by side.
pub fn explain(
    runner: &Runner,
    survey: &Survey,
    swept: Vec<(&'static str, crate::engine::Swept)>,
) -> Vec<Extra> {
    let graph = &runner.graph;
    let mut out = Vec::new();
    for node in graph.nodes().filter(|n| n.res.kept().is_none()) {
        let owned = survey.owned(&node.key);
        if let Some((used, rest)) = owned.split_first() {
            out.extend(rest.iter().map(|id| Extra {
                kind: node.res.kind(),
                id: id.clone(),
                key: Some(node.key.clone()),
                why: Why::Duplicate { used: used.clone() },
                node: Some(node.key.clone()),
            }));
        }
    }
    let known: BTreeSet<&String> = survey
        .nodes
        .values()
        .flat_map(|s| s.found.ours.iter().map(|m| &m.id))
        .collect();
    for (kind, s) in swept {
        if known.contains(&s.id) {
            continue;
        }
        let planned = s.key.as_deref().filter(|k| graph.contains(k));
        let why = match (&s.key, planned) {
            (_, Some(_)) => Why::Astray,
            (Some(_), None) => Why::Unplanned,
            (None, None) => Why::Unkeyed,
        };
        let node = planned.map(str::to_string).or_else(|| {
            graph
                .nodes()
                .find(|n| n.res.kind() == kind && n.res.kept().is_none())
                .map(|n| n.key.clone())
        });
        out.push(Extra {
            kind,
            id: s.id,
            key: s.key,
            why,
            node,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn extra(why: Why, key: Option<&str>) -> Extra {
        Extra {
            kind: "security-group",
            id: "sg-1".into(),
            key: key.map(str::to_string),
            why,
            node: Some("sg/app".into()),
        }
    }

    /// The refusal names each with why and the command that removes exactly them, as the
    /// target spells it (the sandbox's carries `--sandbox`, so it can be pasted).
    #[test]
    fn the_refusal_names_each_and_the_command_for_this_target() {
        let sandbox = crate::aws::Target {
            sandbox: true,
            ..Default::default()
        };
        let all = [
            extra(Why::Unkeyed, None),
            extra(
                Why::Duplicate {
                    used: "sg-0".into(),
                },
                Some("sg/app"),
            ),
        ];
        let f = refusal(&sandbox, "lab", &all).unwrap();
        assert_eq!(f.field, "stack.name");
        assert!(
            f.message
                .starts_with("2 resource(s) carry the tag of stack lab")
        );
        assert!(
            f.message
                .contains("has no hawiz:key: hawiz did not make it")
        );
        assert!(
            f.message
                .contains("a duplicate: sg-0 has the same hawiz:key=sg/app")
        );
        assert!(
            f.message
                .contains("`hawiz --sandbox destroy lab --leftovers` deletes exactly these"),
            "{}",
            f.message
        );
        assert!(f.ko.contains("`hawiz --sandbox destroy lab --leftovers` 명령은"));
        assert!(refusal(&crate::aws::Target::default(), "lab", &[]).is_none());
        assert_eq!(
            remover(&crate::aws::Target::default(), "lab"),
            "hawiz destroy lab --leftovers"
        );
    }
}
