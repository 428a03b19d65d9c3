//! Settings a kind declares once: what the plan asks for, what AWS has, and whether a
//! difference is changed in place or needs a new resource. One comparison serves the
//! plan's diff, apply's updates, and status's drift report.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// A setting's value: one word, or a set whose order does not matter (SG rules, subnets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    One(String),
    Set(BTreeSet<String>),
}

impl Value {
    pub fn set<I: IntoIterator<Item = S>, S: Into<String>>(items: I) -> Value {
        Value::Set(items.into_iter().map(Into::into).collect())
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::One(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::One(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::One(if b { "on" } else { "off" }.to_string())
    }
}

impl From<u32> for Value {
    fn from(n: u32) -> Self {
        Value::One(n.to_string())
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::One(s) if s.is_empty() => write!(f, "(none)"),
            Value::One(s) => write!(f, "{s}"),
            Value::Set(s) if s.is_empty() => write!(f, "(none)"),
            Value::Set(s) => write!(f, "{}", s.iter().cloned().collect::<Vec<_>>().join(", ")),
        }
    }
}

/// What a difference in a setting takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnChange {
    /// Changed in place (an API call on the existing resource).
    Update,
    /// AWS cannot change it: the resource is deleted and made again (why, in words).
    Replace(&'static str),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    pub name: &'static str,
    pub want: Value,
    pub on_change: OnChange,
}

impl Setting {
    pub fn update(name: &'static str, want: impl Into<Value>) -> Setting {
        Setting {
            name,
            want: want.into(),
            on_change: OnChange::Update,
        }
    }

    pub fn replace(name: &'static str, want: impl Into<Value>, why: &'static str) -> Setting {
        Setting {
            name,
            want: want.into(),
            on_change: OnChange::Replace(why),
        }
    }
}

/// The settings as AWS has them now. A setting missing here reads as "(none)".
pub type Actual = BTreeMap<&'static str, Value>;

/// One setting that differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub name: &'static str,
    pub old: Value,
    pub new: Value,
    pub on_change: OnChange,
}

impl Change {
    pub fn replaces(&self) -> bool {
        matches!(self.on_change, OnChange::Replace(_))
    }

    /// `max: 4 → 6`, or for sets what is added and removed.
    pub fn describe(&self) -> String {
        match (&self.old, &self.new) {
            (Value::Set(old), Value::Set(new)) => {
                let added: Vec<&String> = new.difference(old).collect();
                let removed: Vec<&String> = old.difference(new).collect();
                let mut parts = Vec::new();
                if !added.is_empty() {
                    parts.push(format!(
                        "+{}",
                        added
                            .iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(", +")
                    ));
                }
                if !removed.is_empty() {
                    parts.push(format!(
                        "-{}",
                        removed
                            .iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(", -")
                    ));
                }
                format!("{}: {}", self.name, parts.join(", "))
            }
            (old, new) => format!("{}: {old} → {new}", self.name),
        }
    }

    /// For drift (status): what AWS has that the plan does not say.
    pub fn describe_drift(&self) -> String {
        match (&self.old, &self.new) {
            (Value::Set(actual), Value::Set(plan)) => {
                let extra: Vec<&String> = actual.difference(plan).collect();
                let missing: Vec<&String> = plan.difference(actual).collect();
                let mut parts = Vec::new();
                if !extra.is_empty() {
                    parts.push(format!(
                        "{} has {} (not in the plan)",
                        self.name,
                        extra
                            .iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
                if !missing.is_empty() {
                    parts.push(format!(
                        "{} lacks {}",
                        self.name,
                        missing
                            .iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
                parts.join("; ")
            }
            (actual, plan) => format!("{}: {actual}, plan says {plan}", self.name),
        }
    }
}

/// The settings that differ between the plan and AWS.
pub fn diff(desired: &[Setting], actual: &Actual) -> Vec<Change> {
    desired
        .iter()
        .filter_map(|s| {
            let old = actual
                .get(s.name)
                .cloned()
                .unwrap_or_else(|| match &s.want {
                    Value::Set(_) => Value::Set(BTreeSet::new()),
                    Value::One(_) => Value::One(String::new()),
                });
            (old != s.want).then(|| Change {
                name: s.name,
                old,
                new: s.want.clone(),
                on_change: s.on_change,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_are_found_and_described() {
        let desired = vec![
            Setting::update("max", 6u32),
            Setting::update("min", 2u32),
            Setting::update("ingress", Value::set(["22 from 203.0.113.7/32"])),
            Setting::replace("cidr", "10.1.0.0/16", "a VPC's range cannot change"),
        ];
        let mut actual = Actual::new();
        actual.insert("max", 4u32.into());
        actual.insert("min", 2u32.into());
        actual.insert(
            "ingress",
            Value::set(["22 from 203.0.113.7/32", "22 from 0.0.0.0/0"]),
        );
        actual.insert("cidr", "10.0.0.0/16".into());
        let changes = diff(&desired, &actual);
        assert_eq!(changes.len(), 3, "{changes:?}");
        assert_eq!(changes[0].describe(), "max: 4 → 6");
        assert!(!changes[0].replaces());
        assert_eq!(changes[1].describe(), "ingress: -22 from 0.0.0.0/0");
        assert_eq!(
            changes[1].describe_drift(),
            "ingress has 22 from 0.0.0.0/0 (not in the plan)"
        );
        assert!(changes[2].replaces());
        assert_eq!(
            changes[2].describe_drift(),
            "cidr: 10.0.0.0/16, plan says 10.1.0.0/16"
        );
    }

    #[test]
    fn a_missing_setting_reads_as_none() {
        let desired = vec![Setting::update("policy", "read-only")];
        let changes = diff(&desired, &Actual::new());
        assert_eq!(changes[0].describe(), "policy: (none) → read-only");
        assert!(diff(&[], &Actual::new()).is_empty());
    }
}
