//! Names of the tags every resource hawiz creates carries, and an EC2 filter helper.

use aws_sdk_ec2::types::Filter;

pub const STACK_TAG: &str = "hawiz:stack";
pub const KEY_TAG: &str = "hawiz:key";

pub fn filter(name: &str, value: &str) -> Filter {
    Filter::builder().name(name).values(value).build()
}
