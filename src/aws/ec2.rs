//! Tagging and lookup helpers shared by every EC2 resource module.

use crate::engine::Ctx;
use aws_sdk_ec2::types::{Filter, ResourceType, Tag, TagSpecification};

pub const STACK_TAG: &str = "hawiz:stack";
pub const KEY_TAG: &str = "hawiz:key";

fn tag(key: &str, value: &str) -> Tag {
    Tag::builder().key(key).value(value).build()
}

/// Tags applied in the create call itself, so a resource is never untagged even if hawiz
/// dies right after AWS creates it: the next run finds it by these tags.
pub fn tag_spec(cx: &Ctx, kind: ResourceType) -> TagSpecification {
    TagSpecification::builder()
        .resource_type(kind)
        .tags(tag("Name", &cx.name))
        .tags(tag(STACK_TAG, &cx.stack))
        .tags(tag(KEY_TAG, &cx.key))
        .build()
}

pub fn filter(name: &str, value: &str) -> Filter {
    Filter::builder().name(name).values(value).build()
}

/// Server-side filters for this node's tags.
pub fn tag_filters(cx: &Ctx) -> Vec<Filter> {
    vec![
        filter(&format!("tag:{STACK_TAG}"), &cx.stack),
        filter(&format!("tag:{KEY_TAG}"), &cx.key),
    ]
}

/// Client-side check of the same tags: some emulators ignore tag filters on some calls
/// (moto on DescribeNatGateways), and a wrong match would adopt a stranger's resource.
pub fn is_ours(cx: &Ctx, tags: &[Tag]) -> bool {
    let has = |k: &str, v: &str| {
        tags.iter()
            .any(|t| t.key() == Some(k) && t.value() == Some(v))
    };
    has(STACK_TAG, &cx.stack) && has(KEY_TAG, &cx.key)
}
