//! The stack's tags in every service's own shape, and the checks that a resource carries
//! them. Every kind tags at creation, in the create call itself where the API allows, so a
//! resource is never untagged even if hawiz dies right after AWS creates it.

use crate::engine::{Ctx, Swept};
use aws_sdk_ec2::types::{Filter, ResourceType, TagSpecification};

pub use crate::aws::ec2::{KEY_TAG, STACK_TAG};

/// Name, stack and key, the three tags every resource hawiz creates carries.
pub fn pairs(cx: &Ctx) -> [(&'static str, String); 3] {
    [
        ("Name", cx.name.clone()),
        (STACK_TAG, cx.stack.clone()),
        (KEY_TAG, cx.key.clone()),
    ]
}

/// Whether a tag list (as key/value pairs) carries this node's stack and key.
pub fn is_ours<'a>(cx: &Ctx, tags: impl IntoIterator<Item = (&'a str, &'a str)>) -> bool {
    let (mut stack, mut key) = (false, false);
    for (k, v) in tags {
        stack |= k == STACK_TAG && v == cx.stack;
        key |= k == KEY_TAG && v == cx.key;
    }
    stack && key
}

/// Whether a tag list carries this stack (any key); `Some(key)` of it when it does.
pub fn of_stack<'a>(
    stack: &str,
    tags: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Option<Option<String>> {
    let (mut ours, mut key) = (false, None);
    for (k, v) in tags {
        ours |= k == STACK_TAG && v == stack;
        if k == KEY_TAG {
            key = Some(v.to_string());
        }
    }
    ours.then_some(key)
}

/// A swept resource, if its tags say it is this stack's.
pub fn swept<'a>(
    stack: &str,
    id: Option<&str>,
    tags: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Option<Swept> {
    let key = of_stack(stack, tags)?;
    Some(Swept {
        id: id?.to_string(),
        key,
    })
}

// EC2

pub fn ec2_pairs(tags: &[aws_sdk_ec2::types::Tag]) -> impl Iterator<Item = (&str, &str)> {
    tags.iter()
        .map(|t| (t.key().unwrap_or_default(), t.value().unwrap_or_default()))
}

pub fn ec2_spec(cx: &Ctx, kind: ResourceType) -> TagSpecification {
    let mut spec = TagSpecification::builder().resource_type(kind);
    for (k, v) in pairs(cx) {
        spec = spec.tags(aws_sdk_ec2::types::Tag::builder().key(k).value(v).build());
    }
    spec.build()
}

pub fn filter(name: &str, value: &str) -> Filter {
    Filter::builder().name(name).values(value).build()
}

/// Server-side filters for this node's tags. Some emulators ignore tag filters on some
/// calls (moto on DescribeNatGateways), so results are checked with `ec2_ours` too: a
/// wrong match would adopt a stranger's resource.
pub fn ec2_filters(cx: &Ctx) -> Vec<Filter> {
    vec![
        filter(&format!("tag:{STACK_TAG}"), &cx.stack),
        filter(&format!("tag:{KEY_TAG}"), &cx.key),
    ]
}

/// The server-side filter for everything of a stack (the sweep).
pub fn ec2_stack_filter(stack: &str) -> Filter {
    filter(&format!("tag:{STACK_TAG}"), stack)
}

pub fn ec2_ours(cx: &Ctx, tags: &[aws_sdk_ec2::types::Tag]) -> bool {
    is_ours(cx, ec2_pairs(tags))
}

pub fn ec2_swept(stack: &str, id: Option<&str>, tags: &[aws_sdk_ec2::types::Tag]) -> Option<Swept> {
    swept(stack, id, ec2_pairs(tags))
}

// Other services

pub fn rds(cx: &Ctx) -> Vec<aws_sdk_rds::types::Tag> {
    rds_of(&cx.stack, &cx.key, &cx.name)
}

/// The three tags of a stack's node, outside a run (`hawiz failback` makes the primary's
/// database again as a replica).
pub fn rds_of(stack: &str, key: &str, name: &str) -> Vec<aws_sdk_rds::types::Tag> {
    [("Name", name), (STACK_TAG, stack), (KEY_TAG, key)]
        .into_iter()
        .map(|(k, v)| aws_sdk_rds::types::Tag::builder().key(k).value(v).build())
        .collect()
}

pub fn rds_pairs(tags: &[aws_sdk_rds::types::Tag]) -> impl Iterator<Item = (&str, &str)> {
    tags.iter()
        .map(|t| (t.key().unwrap_or_default(), t.value().unwrap_or_default()))
}

pub fn elb(cx: &Ctx) -> Vec<aws_sdk_elasticloadbalancingv2::types::Tag> {
    pairs(cx)
        .into_iter()
        .map(|(k, v)| {
            aws_sdk_elasticloadbalancingv2::types::Tag::builder()
                .key(k)
                .value(v)
                .build()
        })
        .collect()
}

pub fn iam(cx: &Ctx) -> Vec<aws_sdk_iam::types::Tag> {
    pairs(cx)
        .into_iter()
        .filter_map(|(k, v)| {
            aws_sdk_iam::types::Tag::builder()
                .key(k)
                .value(v)
                .build()
                .ok()
        })
        .collect()
}

pub fn iam_pairs(tags: &[aws_sdk_iam::types::Tag]) -> impl Iterator<Item = (&str, &str)> {
    tags.iter().map(|t| (t.key(), t.value()))
}

pub fn ssm(cx: &Ctx) -> Vec<aws_sdk_ssm::types::Tag> {
    pairs(cx)
        .into_iter()
        .filter_map(|(k, v)| {
            aws_sdk_ssm::types::Tag::builder()
                .key(k)
                .value(v)
                .build()
                .ok()
        })
        .collect()
}

pub fn efs(cx: &Ctx) -> Vec<aws_sdk_efs::types::Tag> {
    pairs(cx)
        .into_iter()
        .filter_map(|(k, v)| {
            aws_sdk_efs::types::Tag::builder()
                .key(k)
                .value(v)
                .build()
                .ok()
        })
        .collect()
}

pub fn acm(cx: &Ctx) -> Vec<aws_sdk_acm::types::Tag> {
    pairs(cx)
        .into_iter()
        .filter_map(|(k, v)| {
            aws_sdk_acm::types::Tag::builder()
                .key(k)
                .value(v)
                .build()
                .ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_resource_is_ours_only_with_both_tags() {
        let tags = [(STACK_TAG, "wp"), (KEY_TAG, "vpc")];
        assert_eq!(of_stack("wp", tags), Some(Some("vpc".to_string())));
        assert_eq!(of_stack("other", tags), None);
        assert_eq!(of_stack("wp", [(STACK_TAG, "wp")]), Some(None));
        let s = swept("wp", Some("vpc-1"), tags).unwrap();
        assert_eq!((s.id.as_str(), s.key.as_deref()), ("vpc-1", Some("vpc")));
        assert!(swept("wp", None, tags).is_none());
    }
}

/// A resource's tags as a service answers them for one resource at a time (CloudWatch,
/// Logs, SNS, WAF, and ELB by the batch): owned, read with `pairs` like any other.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Read(Vec<(String, String)>);

impl Read {
    pub fn from_pairs<'a>(tags: impl IntoIterator<Item = (&'a str, &'a str)>) -> Read {
        Read(
            tags.into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
