//! The resource graph: nodes keyed by logical name, edges from each resource's `deps()`.

use super::Resource;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct Node {
    pub key: String,
    pub res: Arc<dyn Resource>,
    pub deps: Vec<String>,
    /// The region it lives in when that is not the stack's (a failover standby's).
    pub region: Option<String>,
}

impl Node {
    /// Its name as the user reads it in lists: with its region when it is not the
    /// stack's (the standby's VPC has the same name as the primary's).
    pub fn label(&self) -> String {
        match &self.region {
            Some(region) => format!("{} ({region})", self.res.name()),
            None => self.res.name().to_string(),
        }
    }
}

#[derive(Debug, Default, Clone)]
pub struct Graph {
    nodes: BTreeMap<String, Node>,
    /// Keys in insertion order, which is the order progress is listed in.
    order: Vec<String>,
    /// While set, `add` puts nodes under this key prefix in this region (`within`).
    scope: Option<Scope>,
}

/// Where `within` puts nodes: a key prefix, their region, and the stack's own region
/// (what a copy of a primary's secret reads from).
#[derive(Debug, Clone)]
struct Scope {
    prefix: String,
    region: String,
    home: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum GraphError {
    #[error("resource {0} is defined twice")]
    Duplicate(String),
    #[error("resource {node} depends on {dep}, which is not in the plan")]
    UnknownDependency { node: String, dep: String },
    #[error("resources depend on each other in a cycle: {0}")]
    Cycle(String),
}

impl Graph {
    pub fn add(
        &mut self,
        key: impl Into<String>,
        res: impl Resource + 'static,
    ) -> Result<String, GraphError> {
        let key = match &self.scope {
            Some(scope) => format!("{}{}", scope.prefix, key.into()),
            None => key.into(),
        };
        if self.nodes.contains_key(&key) {
            return Err(GraphError::Duplicate(key));
        }
        let res: Arc<dyn Resource> = Arc::new(res);
        let deps = res.deps();
        self.order.push(key.clone());
        self.nodes.insert(
            key.clone(),
            Node {
                key: key.clone(),
                res,
                deps,
                region: self.scope.as_ref().map(|s| s.region.clone()),
            },
        );
        Ok(key)
    }

    /// Add what `build` adds under the key prefix `prefix` (`standby/`) in `region`: the
    /// same steps of the lab make a second copy of a tier in another region, every key
    /// they return already prefixed, so its dependencies stay inside the copy unless a
    /// step names a key outside it on purpose (the global permissions boundary).
    pub fn within<T>(
        &mut self,
        prefix: &str,
        region: &str,
        home: &str,
        build: impl FnOnce(&mut Graph) -> Result<T, GraphError>,
    ) -> Result<T, GraphError> {
        let before = self.scope.replace(Scope {
            prefix: prefix.to_string(),
            region: region.to_string(),
            home: home.to_string(),
        });
        let out = build(self);
        self.scope = before;
        out
    }

    /// Inside `within`: the stack's own region, whose nodes of the same key the scoped
    /// ones copy where they must hold the same value (secrets).
    pub fn copying_from(&self) -> Option<&str> {
        self.scope.as_ref().map(|s| s.home.as_str())
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.nodes.get(key)
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// `keys` (those in the graph) and everything they depend on, all the way down: what
    /// must exist for them to be made.
    pub fn needs(&self, keys: &BTreeSet<String>) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let mut todo: Vec<&str> = keys.iter().map(String::as_str).collect();
        while let Some(k) = todo.pop() {
            if let Some(n) = self.nodes.get(k)
                && out.insert(n.key.clone())
            {
                todo.extend(n.deps.iter().map(String::as_str));
            }
        }
        out
    }

    /// Nodes in the order they were added.
    pub fn nodes(&self) -> impl Iterator<Item = &Node> {
        self.order.iter().filter_map(|k| self.nodes.get(k))
    }

    /// The nodes of `keys` only: a phase that works on part of the stack (replacements,
    /// resources that left the plan) in the same dependency order. Each node keeps all
    /// its dependencies, those outside the set too: deleting an Internet gateway's
    /// attachment needs the gateway's ID even when only the VPC is replaced. Only the
    /// ones inside the set order the work (`in_order`).
    pub fn subset(&self, keys: &std::collections::BTreeSet<String>) -> Graph {
        let mut g = Graph::default();
        for n in self.nodes().filter(|n| keys.contains(&n.key)) {
            g.order.push(n.key.clone());
            g.nodes.insert(n.key.clone(), n.clone());
        }
        g
    }

    /// The dependencies of `node` that are in this graph: what must be done before it.
    pub fn in_order(&self, node: &Node) -> Vec<String> {
        node.deps
            .iter()
            .filter(|d| self.nodes.contains_key(*d))
            .cloned()
            .collect()
    }

    /// This graph plus the nodes of `older` it does not have (resources an earlier plan
    /// made that this one no longer names). Keys are stable across plans, so an older
    /// node's dependencies are found in the union.
    pub fn with_older(&self, older: &Graph) -> Graph {
        let mut g = self.clone();
        for n in older.nodes() {
            if !g.nodes.contains_key(&n.key) {
                g.order.push(n.key.clone());
                g.nodes.insert(n.key.clone(), n.clone());
            }
        }
        g
    }

    /// Make `key` come before everything else: every other node without a dependency
    /// gets it as one (the permissions boundary: when these credentials cannot make it,
    /// nothing else is made either; destroy removes it last).
    pub fn first(&mut self, key: &str) {
        for n in self.nodes.values_mut() {
            if n.key != key && n.deps.is_empty() {
                n.deps.push(key.to_string());
            }
        }
    }

    pub fn contains(&self, key: &str) -> bool {
        self.nodes.contains_key(key)
    }

    /// Every node that depends on `key`, directly or through others.
    pub fn dependents_all(&self, key: &str) -> std::collections::BTreeSet<String> {
        let mut out = std::collections::BTreeSet::new();
        let mut todo = vec![key.to_string()];
        while let Some(k) = todo.pop() {
            for d in self.dependents(&k) {
                if out.insert(d.clone()) {
                    todo.push(d);
                }
            }
        }
        out
    }

    /// Keys of the nodes that depend on `key`.
    pub fn dependents(&self, key: &str) -> Vec<String> {
        self.nodes()
            .filter(|n| n.deps.iter().any(|d| d == key))
            .map(|n| n.key.clone())
            .collect()
    }

    /// Check every dependency exists and there is no cycle; returns a topological order.
    pub fn check(&self) -> Result<Vec<String>, GraphError> {
        for n in self.nodes() {
            for d in &n.deps {
                if !self.nodes.contains_key(d) {
                    return Err(GraphError::UnknownDependency {
                        node: n.key.clone(),
                        dep: d.clone(),
                    });
                }
            }
        }
        let mut done: BTreeSet<&str> = BTreeSet::new();
        let mut order = Vec::with_capacity(self.len());
        while order.len() < self.len() {
            let ready: Vec<&Node> = self
                .nodes()
                .filter(|n| !done.contains(n.key.as_str()))
                .filter(|n| n.deps.iter().all(|d| done.contains(d.as_str())))
                .collect();
            if ready.is_empty() {
                let stuck: Vec<&str> = self
                    .nodes()
                    .filter(|n| !done.contains(n.key.as_str()))
                    .map(|n| n.key.as_str())
                    .collect();
                return Err(GraphError::Cycle(stuck.join(", ")));
            }
            for n in ready {
                done.insert(&n.key);
                order.push(n.key.clone());
            }
        }
        Ok(order)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Ctx, Error};
    use async_trait::async_trait;

    #[derive(Debug)]
    struct Fake(Vec<&'static str>);

    #[async_trait]
    impl Resource for Fake {
        fn kind(&self) -> &'static str {
            "fake"
        }
        fn name(&self) -> &str {
            "fake"
        }
        fn deps(&self) -> Vec<String> {
            self.0.iter().map(|s| s.to_string()).collect()
        }
        async fn find(&self, _: &Ctx) -> Result<crate::engine::Found, Error> {
            Ok(crate::engine::Found::none())
        }
        async fn create(&self, _: &Ctx) -> Result<String, Error> {
            Ok(String::new())
        }
        async fn delete(&self, _: &Ctx, _: &str) -> Result<(), Error> {
            Ok(())
        }
    }

    #[test]
    fn topological_order_puts_dependencies_first() {
        let mut g = Graph::default();
        g.add("route", Fake(vec!["rtb", "igw"])).unwrap();
        g.add("rtb", Fake(vec!["vpc"])).unwrap();
        g.add("igw", Fake(vec![])).unwrap();
        g.add("vpc", Fake(vec![])).unwrap();
        let order = g.check().unwrap();
        let pos = |k| order.iter().position(|x| x == k).unwrap();
        assert!(pos("vpc") < pos("rtb"));
        assert!(pos("rtb") < pos("route"));
        assert!(pos("igw") < pos("route"));
        assert_eq!(g.dependents("vpc"), vec!["rtb".to_string()]);
        assert_eq!(
            g.dependents_all("vpc").into_iter().collect::<Vec<_>>(),
            vec!["route".to_string(), "rtb".to_string()]
        );
        let part = g.subset(&["route".to_string(), "rtb".to_string()].into());
        let route = part.get("route").unwrap();
        assert_eq!(
            route.deps,
            vec!["rtb".to_string(), "igw".to_string()],
            "all kept"
        );
        assert_eq!(
            part.in_order(route),
            vec!["rtb".to_string()],
            "ordered in the set"
        );
    }

    #[test]
    fn older_nodes_join_the_union_once() {
        let mut now = Graph::default();
        now.add("vpc", Fake(vec![])).unwrap();
        now.add("nat/a", Fake(vec!["vpc"])).unwrap();
        let mut before = Graph::default();
        before.add("vpc", Fake(vec![])).unwrap();
        before.add("nat", Fake(vec!["vpc"])).unwrap();
        let union = now.with_older(&before);
        assert_eq!(union.len(), 3);
        assert!(union.contains("nat") && union.contains("nat/a"));
        union.check().unwrap();
    }

    #[test]
    fn unknown_dependency_and_cycles_are_refused() {
        let mut g = Graph::default();
        g.add("a", Fake(vec!["b"])).unwrap();
        assert_eq!(
            g.check().unwrap_err().to_string(),
            "resource a depends on b, which is not in the plan"
        );
        g.add("b", Fake(vec!["a"])).unwrap();
        assert_eq!(g.check().unwrap_err(), GraphError::Cycle("a, b".into()));
        assert_eq!(
            g.add("a", Fake(vec![])).unwrap_err(),
            GraphError::Duplicate("a".into())
        );
    }
}
