//! IAM roles hawiz creates (the app instances', the flow logs'), and the instance profile.
//! Least privilege: each role gets exactly its inline policy and managed policies, and
//! every role carries the account's permissions boundary, so no policy put on it can
//! grant more than the boundary allows. IAM is global, so the names include the region;
//! a role or profile of that name that is not this stack's is never taken over.

use super::tags;
use crate::aws::{AwsError, OrMissing, aws};
use crate::engine::settings::{Actual, Change, Setting, Value};
use crate::engine::{Ctx, Error, Found, Outputs, Resource, Swept};
use async_trait::async_trait;

/// Session Manager's agent needs this on the instance role (AWS managed policy).
pub const SSM_CORE: &str = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore";

/// Who may assume a role: `ec2.amazonaws.com`, `vpc-flow-logs.amazonaws.com`.
fn trust(service: &str) -> String {
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

/// IAM answers policy documents URL-encoded; compare them as JSON, key order aside.
fn canonical(doc: &str) -> String {
    let decoded = crate::policy::percent_decode(doc);
    serde_json::from_str::<serde_json::Value>(&decoded)
        .map(|v| v.to_string())
        .unwrap_or(decoded)
}

/// A step of a delete that finds its object already gone has nothing to do.
fn gone_already<T>(e: AwsError) -> Result<Option<T>, AwsError> {
    if e.is_not_found() { Ok(None) } else { Err(e) }
}

/// IAM names of this stack in this region start with this.
fn prefix(cx: &Ctx) -> String {
    crate::names::iam(&cx.stack, &cx.aws.region, "")
}

#[derive(Debug)]
pub struct Role {
    /// Role name (also the node ID).
    pub name: String,
    /// The service that assumes it (`ec2.amazonaws.com`).
    pub service: &'static str,
    /// What it is for, in its description.
    pub purpose: String,
    /// Its inline policy: name and document.
    pub inline_name: &'static str,
    pub inline: String,
    /// AWS managed policies attached to it.
    pub managed: Vec<&'static str>,
    /// Key of the permissions boundary node.
    pub boundary: String,
}

#[async_trait]
impl Resource for Role {
    fn kind(&self) -> &'static str {
        "iam-role"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn deps(&self) -> Vec<String> {
        vec![self.boundary.clone()]
    }
    fn console(&self, id: &str, _region: &str) -> Option<String> {
        Some(format!(
            "https://console.aws.amazon.com/iam/home#/roles/details/{id}"
        ))
    }

    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        let Some(out) = cx
            .aws
            .iam
            .get_role()
            .role_name(&self.name)
            .send()
            .await
            .map_err(aws("GetRole"))
            .or_missing()?
        else {
            return Ok(Found::none());
        };
        let ours = out
            .role()
            .is_some_and(|r| tags::is_ours(cx, tags::iam_pairs(r.tags())));
        Ok(if ours {
            Found::tagged(vec![self.name.clone()])
        } else {
            Found {
                ours: vec![],
                foreign: vec![crate::engine::foreign(
                    cx,
                    "IAM role",
                    &self.name,
                    "stack.name",
                )],
            }
        })
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        cx.aws
            .once
            .iam
            .create_role()
            .role_name(&self.name)
            .assume_role_policy_document(trust(self.service))
            .description(format!("hawiz stack {}: {}", cx.stack, self.purpose))
            .permissions_boundary(cx.output(&self.boundary, "arn")?)
            .set_tags(Some(tags::iam(cx)))
            .send()
            .await
            .map_err(aws("CreateRole"))?;
        Ok(self.name.clone())
    }

    fn desired(&self, cx: &Ctx) -> Vec<Setting> {
        vec![
            Setting::update("inline policy", canonical(&self.inline)),
            Setting::update("managed policies", Value::set(self.managed.iter().copied())),
            Setting::update(
                "permissions boundary",
                cx.output_opt(&self.boundary, "arn")
                    .unwrap_or("(new permissions boundary)"),
            ),
        ]
    }

    async fn read(&self, cx: &Ctx, id: &str) -> Result<Actual, Error> {
        let iam = &cx.aws.iam;
        let mut a = Actual::new();
        let role = iam
            .get_role()
            .role_name(id)
            .send()
            .await
            .map_err(aws("GetRole"))?;
        let boundary = role
            .role()
            .and_then(|r| r.permissions_boundary())
            .and_then(|b| b.permissions_boundary_arn())
            .unwrap_or_default();
        a.insert("permissions boundary", boundary.into());
        let inline = iam
            .get_role_policy()
            .role_name(id)
            .policy_name(self.inline_name)
            .send()
            .await
            .map_err(aws("GetRolePolicy"))
            .or_missing()?;
        if let Some(p) = inline {
            a.insert("inline policy", canonical(p.policy_document()).into());
        }
        let attached = iam
            .list_attached_role_policies()
            .role_name(id)
            .send()
            .await
            .map_err(aws("ListAttachedRolePolicies"))?;
        a.insert(
            "managed policies",
            Value::set(
                attached
                    .attached_policies()
                    .iter()
                    .filter_map(|p| p.policy_arn()),
            ),
        );
        Ok(a)
    }

    async fn update(&self, cx: &Ctx, id: &str, changes: &[Change]) -> Result<(), Error> {
        let once = &cx.aws.once.iam;
        for c in changes {
            match c.name {
                // PutRolePolicy replaces the document, so this is safe to repeat.
                "inline policy" => {
                    once.put_role_policy()
                        .role_name(id)
                        .policy_name(self.inline_name)
                        .policy_document(&self.inline)
                        .send()
                        .await
                        .map_err(aws("PutRolePolicy"))?;
                }
                "managed policies" => {
                    let (Value::Set(old), Value::Set(new)) = (&c.old, &c.new) else {
                        continue;
                    };
                    for arn in new.difference(old) {
                        once.attach_role_policy()
                            .role_name(id)
                            .policy_arn(arn)
                            .send()
                            .await
                            .map_err(aws("AttachRolePolicy"))?;
                    }
                    for arn in old.difference(new) {
                        once.detach_role_policy()
                            .role_name(id)
                            .policy_arn(arn)
                            .send()
                            .await
                            .map(Some)
                            .map_err(aws("DetachRolePolicy"))
                            .or_else(gone_already)?;
                    }
                }
                "permissions boundary" => {
                    once.put_role_permissions_boundary()
                        .role_name(id)
                        .permissions_boundary(cx.output(&self.boundary, "arn")?)
                        .send()
                        .await
                        .map_err(aws("PutRolePermissionsBoundary"))?;
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Its ARN, for what is handed the role (the flow log).
    async fn outputs(&self, cx: &Ctx, id: &str) -> Result<Outputs, Error> {
        let out = cx
            .aws
            .iam
            .get_role()
            .role_name(id)
            .send()
            .await
            .map_err(aws("GetRole"))?;
        Ok(out
            .role()
            .map(|r| [("arn".to_string(), r.arn().to_string())].into())
            .unwrap_or_default())
    }

    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        let iam = &cx.aws.iam;
        // A role must be empty of policies before it can go. Each step is sent once: if
        // its answer is lost, destroy retries this whole delete, which lists them again.
        // "No such policy" here is not "no such role": it must not end the delete early.
        let attached = iam
            .list_attached_role_policies()
            .role_name(id)
            .send()
            .await
            .map_err(aws("ListAttachedRolePolicies"))?;
        for p in attached.attached_policies() {
            cx.aws
                .once
                .iam
                .detach_role_policy()
                .role_name(id)
                .policy_arn(p.policy_arn().unwrap_or_default())
                .send()
                .await
                .map(Some)
                .map_err(aws("DetachRolePolicy"))
                .or_else(gone_already)?;
        }
        let listed = iam
            .list_role_policies()
            .role_name(id)
            .send()
            .await
            .map_err(aws("ListRolePolicies"))?;
        for p in listed.policy_names() {
            cx.aws
                .once
                .iam
                .delete_role_policy()
                .role_name(id)
                .policy_name(p)
                .send()
                .await
                .map(Some)
                .map_err(aws("DeleteRolePolicy"))
                .or_else(gone_already)?;
        }
        iam.delete_role()
            .role_name(id)
            .send()
            .await
            .map_err(aws("DeleteRole"))?;
        Ok(())
    }

    async fn sweep(&self, cx: &Ctx) -> Result<Vec<Swept>, Error> {
        let prefix = prefix(cx);
        let mut out = Vec::new();
        let mut pages = cx.aws.iam.list_roles().into_paginator().send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(aws("ListRoles"))?;
            for r in page
                .roles()
                .iter()
                .filter(|r| r.role_name().starts_with(&prefix))
            {
                let t = cx
                    .aws
                    .iam
                    .list_role_tags()
                    .role_name(r.role_name())
                    .send()
                    .await
                    .map_err(aws("ListRoleTags"))?;
                out.extend(tags::swept(
                    &cx.stack,
                    Some(r.role_name()),
                    tags::iam_pairs(t.tags()),
                ));
            }
        }
        Ok(out)
    }
}

#[derive(Debug)]
pub struct InstanceProfile {
    pub name: String,
    pub role: String,
}

async fn profile(
    cx: &Ctx,
    name: &str,
) -> Result<Option<aws_sdk_iam::types::InstanceProfile>, Error> {
    Ok(cx
        .aws
        .iam
        .get_instance_profile()
        .instance_profile_name(name)
        .send()
        .await
        .map_err(aws("GetInstanceProfile"))
        .or_missing()?
        .and_then(|o| o.instance_profile().cloned()))
}

#[async_trait]
impl Resource for InstanceProfile {
    fn kind(&self) -> &'static str {
        "instance-profile"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn deps(&self) -> Vec<String> {
        vec![self.role.clone()]
    }
    fn typical(&self) -> std::time::Duration {
        // IAM changes take a few seconds to reach EC2.
        std::time::Duration::from_secs(10)
    }

    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        let Some(p) = profile(cx, &self.name).await? else {
            return Ok(Found::none());
        };
        Ok(if tags::is_ours(cx, tags::iam_pairs(p.tags())) {
            Found::tagged(vec![self.name.clone()])
        } else {
            Found {
                ours: vec![],
                foreign: vec![crate::engine::foreign(
                    cx,
                    "instance profile",
                    &self.name,
                    "stack.name",
                )],
            }
        })
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        cx.aws
            .once
            .iam
            .create_instance_profile()
            .instance_profile_name(&self.name)
            .set_tags(Some(tags::iam(cx)))
            .send()
            .await
            .map_err(aws("CreateInstanceProfile"))?;
        Ok(self.name.clone())
    }

    fn desired(&self, cx: &Ctx) -> Vec<Setting> {
        vec![Setting::update("role", cx.dep_or_new(&self.role))]
    }

    async fn read(&self, cx: &Ctx, id: &str) -> Result<Actual, Error> {
        let mut a = Actual::new();
        if let Some(p) = profile(cx, id).await? {
            let roles: Vec<&str> = p.roles().iter().map(|r| r.role_name()).collect();
            a.insert("role", roles.join(", ").into());
        }
        Ok(a)
    }

    async fn update(&self, cx: &Ctx, id: &str, _changes: &[Change]) -> Result<(), Error> {
        let role = cx.dep(&self.role)?;
        let current = profile(cx, id).await?;
        let roles: Vec<String> = current
            .map(|p| {
                p.roles()
                    .iter()
                    .map(|r| r.role_name().to_string())
                    .collect()
            })
            .unwrap_or_default();
        for other in roles.iter().filter(|r| *r != role) {
            cx.aws
                .once
                .iam
                .remove_role_from_instance_profile()
                .instance_profile_name(id)
                .role_name(other)
                .send()
                .await
                .map(Some)
                .map_err(aws("RemoveRoleFromInstanceProfile"))
                .or_else(gone_already)?;
        }
        if !roles.iter().any(|r| r == role) {
            cx.aws
                .once
                .iam
                .add_role_to_instance_profile()
                .instance_profile_name(id)
                .role_name(role)
                .send()
                .await
                .map_err(aws("AddRoleToInstanceProfile"))?;
        }
        Ok(())
    }

    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        let roles: Vec<String> = profile(cx, id)
            .await?
            .map(|p| {
                p.roles()
                    .iter()
                    .map(|r| r.role_name().to_string())
                    .collect()
            })
            .unwrap_or_default();
        for r in roles {
            // As above: sent once, and "not there" is fine for this step only.
            cx.aws
                .once
                .iam
                .remove_role_from_instance_profile()
                .instance_profile_name(id)
                .role_name(r)
                .send()
                .await
                .map(Some)
                .map_err(aws("RemoveRoleFromInstanceProfile"))
                .or_else(gone_already)?;
        }
        cx.aws
            .iam
            .delete_instance_profile()
            .instance_profile_name(id)
            .send()
            .await
            .map_err(aws("DeleteInstanceProfile"))?;
        Ok(())
    }

    async fn sweep(&self, cx: &Ctx) -> Result<Vec<Swept>, Error> {
        let prefix = prefix(cx);
        let mut out = Vec::new();
        let mut pages = cx.aws.iam.list_instance_profiles().into_paginator().send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(aws("ListInstanceProfiles"))?;
            for p in page
                .instance_profiles()
                .iter()
                .filter(|p| p.instance_profile_name().starts_with(&prefix))
            {
                // The listing leaves tags out: read each profile.
                if let Some(full) = profile(cx, p.instance_profile_name()).await? {
                    out.extend(tags::swept(
                        &cx.stack,
                        Some(full.instance_profile_name()),
                        tags::iam_pairs(full.tags()),
                    ));
                }
            }
        }
        Ok(out)
    }
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
