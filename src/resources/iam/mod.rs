//! IAM roles hawiz creates (the app instances', the flow logs'), and the instance profile.
//! Least privilege: each role gets exactly its inline policy and managed policies, and
//! every role carries the account's permissions boundary, so no policy put on it can
//! grant more than the boundary allows. IAM is global, so the names include the region;
//! a role or profile of that name that is not this stack's is never taken over.

mod profile;
mod role;

pub use profile::InstanceProfile;
pub use role::Role;

use super::tags;
use crate::aws::AwsError;
use crate::engine::Ctx;

/// Session Manager's agent needs this on the instance role (AWS managed policy).
pub const SSM_CORE: &str = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore";

/// Who may assume a role: `ec2.amazonaws.com`, `vpc-flow-logs.amazonaws.com`.
pub(super) fn trust(service: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Service":"{service}"}},"Action":"sts:AssumeRole"}}]}}"#
    )
}

/// The app role's inline policy: GetParameter on `/hawiz/<stack>/*` in this region only,
/// and telling the group's launch hook that the instance is ready (or gave up).
pub fn policy(region: &str, stack: &str, group: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"ReadStackParameters","Effect":"Allow","Action":["ssm:GetParameter"],"Resource":"arn:aws:ssm:{region}:*:parameter/hawiz/{stack}/*"}},{{"Sid":"SayReadyToTheGroup","Effect":"Allow","Action":["autoscaling:CompleteLifecycleAction"],"Resource":"arn:aws:autoscaling:{region}:*:autoScalingGroup:*:autoScalingGroupName/{group}"}}]}}"#
    )
}

/// The flow logs role's inline policy: write to the stack's log group only.
pub fn flow_logs_policy(region: &str, group: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"WriteStackFlowLogs","Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents","logs:DescribeLogStreams"],"Resource":"arn:aws:logs:{region}:*:log-group:{group}:*"}},{{"Sid":"FindTheLogGroup","Effect":"Allow","Action":["logs:DescribeLogGroups"],"Resource":"*"}}]}}"#
    )
}

/// The replication role's inline policy: the statement alone.
pub fn replication_policy(stack: &str) -> String {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [crate::policy::replication_statement(stack)]
    })
    .to_string()
}

/// IAM answers policy documents URL-encoded; compare them as JSON, key order aside.
pub(super) use crate::policy::canonical_text as canonical;

/// A step of a delete that finds its object already gone has nothing to do.
pub(super) fn gone_already<T>(e: AwsError) -> Result<Option<T>, AwsError> {
    if e.is_not_found() { Ok(None) } else { Err(e) }
}

/// IAM names of this stack in this region start with this.
pub(super) fn prefix(cx: &Ctx) -> String {
    crate::names::iam(&cx.stack, &cx.aws.region, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policies_compare_as_json_whatever_the_encoding() {
        let doc = policy("ap-northeast-2", "wp", "wp-app");
        assert!(
            serde_json::from_str::<serde_json::Value>(&flow_logs_policy(
                "us-east-1",
                "/hawiz/wp/vpc-flow-logs"
            ))
            .is_ok()
        );
        assert!(serde_json::from_str::<serde_json::Value>(&trust("ec2.amazonaws.com")).is_ok());
        let encoded: String = doc
            .bytes()
            .map(|b| match b {
                b'{' => "%7B".to_string(),
                b'}' => "%7D".to_string(),
                b'"' => "%22".to_string(),
                b':' => "%3A".to_string(),
                b => (b as char).to_string(),
            })
            .collect();
        assert_eq!(canonical(&encoded), canonical(&doc));
        assert_ne!(
            canonical(&doc),
            canonical(&policy("ap-northeast-2", "other", "other-app"))
        );
        assert_eq!(crate::policy::percent_decode("a%2Fb+c%"), "a/b+c%");
    }
}
