//! The resource graph: nodes keyed by logical name, edges from each resource's `deps()`.

use super::Resource;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct Node {
    pub key: String,
    pub res: Arc<dyn Resource>,
    pub deps: Vec<String>,
}

#[derive(Debug, Default, Clone)]
pub struct Graph {
    nodes: BTreeMap<String, Node>,
    /// Keys in insertion order, which is the order progress is listed in.
    order: Vec<String>,
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
        let key = key.into();
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
            },
        );
        Ok(key)
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

    /// Nodes in the order they were added.
    pub fn nodes(&self) -> impl Iterator<Item = &Node> {
        self.order.iter().filter_map(|k| self.nodes.get(k))
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
        async fn find(&self, _: &Ctx) -> Result<Vec<String>, Error> {
            Ok(vec![])
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
