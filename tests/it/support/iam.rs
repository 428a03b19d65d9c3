//! IAM read-backs the tests share: the boundary a role carries, and the document of the
//! boundary policy as IAM keeps it now.

/// The ARN of the permissions boundary on `role`.
pub async fn role_boundary(aws: &hawiz::aws::Clients, role: &str) -> String {
    let got = aws.iam.get_role().role_name(role).send().await.unwrap();
    got.role()
        .unwrap()
        .permissions_boundary()
        .expect("a permissions boundary")
        .permissions_boundary_arn()
        .unwrap()
        .to_string()
}

/// The default version's document of the policy `arn`, decoded.
pub async fn policy_document(aws: &hawiz::aws::Clients, arn: &str) -> String {
    let policy = aws.iam.get_policy().policy_arn(arn).send().await.unwrap();
    let version = aws
        .iam
        .get_policy_version()
        .policy_arn(arn)
        .version_id(policy.policy().unwrap().default_version_id().unwrap())
        .send()
        .await
        .unwrap();
    hawiz::policy::percent_decode(version.policy_version().unwrap().document().unwrap())
}
