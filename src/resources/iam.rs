//! The app instances' IAM role and instance profile, least privilege: read this stack's
//! SSM parameters (the DB password and endpoint) and nothing else. IAM is global, so the
//! names include the region.

use crate::aws::{AwsError, OrMissing, aws};
use crate::engine::{Ctx, Error, Resource};
use async_trait::async_trait;

const POLICY_NAME: &str = "read-stack-parameters";

const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

/// The inline policy: GetParameter on `/hawiz/<stack>/*` in this region only.
pub fn policy(region: &str, stack: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"ReadStackParameters","Effect":"Allow","Action":["ssm:GetParameter"],"Resource":"arn:aws:ssm:{region}:*:parameter/hawiz/{stack}/*"}}]}}"#
    )
}

fn tags(cx: &Ctx) -> Vec<aws_sdk_iam::types::Tag> {
    let t = |k: &str, v: &str| {
        aws_sdk_iam::types::Tag::builder()
            .key(k)
            .value(v)
            .build()
            .expect("key and value set")
    };
    vec![
        t(crate::aws::ec2::STACK_TAG, &cx.stack),
        t(crate::aws::ec2::KEY_TAG, &cx.key),
    ]
}

#[derive(Debug)]
pub struct Role {
    /// Role name (also the node ID).
    pub name: String,
    pub region: String,
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
        vec![]
    }

    async fn find(&self, cx: &Ctx) -> Result<Vec<String>, Error> {
        Ok(cx
            .aws
            .iam
            .get_role()
            .role_name(&self.name)
            .send()
            .await
            .map_err(aws("GetRole"))
            .or_missing()?
            .map_or_else(Vec::new, |_| vec![self.name.clone()]))
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        cx.aws
            .once
            .iam
            .create_role()
            .role_name(&self.name)
            .assume_role_policy_document(TRUST)
            .description(format!(
                "hawiz stack {}: app instances read their DB settings",
                cx.stack
            ))
            .set_tags(Some(tags(cx)))
            .send()
            .await
            .map_err(aws("CreateRole"))?;
        Ok(self.name.clone())
    }

    /// The inline policy (PutRolePolicy replaces it, so this is safe to repeat).
    async fn settle(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        cx.aws
            .once
            .iam
            .put_role_policy()
            .role_name(id)
            .policy_name(POLICY_NAME)
            .policy_document(policy(&self.region, &cx.stack))
            .send()
            .await
            .map_err(aws("PutRolePolicy"))?;
        Ok(())
    }

    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        let iam = &cx.aws.iam;
        // A role must be empty of inline policies before it can go.
        let listed = iam
            .list_role_policies()
            .role_name(id)
            .send()
            .await
            .map_err(aws("ListRolePolicies"))?;
        for p in listed.policy_names() {
            // Sent once: if the answer is lost, destroy retries this whole delete, which
            // lists the policies again. "No such policy" here is not "no such role": it
            // must not end the delete before the role itself is gone.
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
}

#[derive(Debug)]
pub struct InstanceProfile {
    pub name: String,
    pub role: String,
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

    async fn find(&self, cx: &Ctx) -> Result<Vec<String>, Error> {
        Ok(cx
            .aws
            .iam
            .get_instance_profile()
            .instance_profile_name(&self.name)
            .send()
            .await
            .map_err(aws("GetInstanceProfile"))
            .or_missing()?
            .map_or_else(Vec::new, |_| vec![self.name.clone()]))
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        cx.aws
            .once
            .iam
            .create_instance_profile()
            .instance_profile_name(&self.name)
            .set_tags(Some(tags(cx)))
            .send()
            .await
            .map_err(aws("CreateInstanceProfile"))?;
        Ok(self.name.clone())
    }

    async fn settle(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        let role = cx.dep(&self.role)?;
        let out = cx
            .aws
            .iam
            .get_instance_profile()
            .instance_profile_name(id)
            .send()
            .await
            .map_err(aws("GetInstanceProfile"))?;
        let has_role = out
            .instance_profile()
            .is_some_and(|p| p.roles().iter().any(|r| r.role_name() == role));
        if !has_role {
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
        let iam = &cx.aws.iam;
        let out = iam
            .get_instance_profile()
            .instance_profile_name(id)
            .send()
            .await
            .map_err(aws("GetInstanceProfile"))?;
        for r in out
            .instance_profile()
            .map(|p| p.roles())
            .unwrap_or_default()
        {
            // As above: sent once, and "not there" is fine for this step only.
            cx.aws
                .once
                .iam
                .remove_role_from_instance_profile()
                .instance_profile_name(id)
                .role_name(r.role_name())
                .send()
                .await
                .map(Some)
                .map_err(aws("RemoveRoleFromInstanceProfile"))
                .or_else(gone_already)?;
        }
        iam.delete_instance_profile()
            .instance_profile_name(id)
            .send()
            .await
            .map_err(aws("DeleteInstanceProfile"))?;
        Ok(())
    }
}

/// A step of a delete that finds its object already gone has nothing to do.
fn gone_already<T>(e: AwsError) -> Result<Option<T>, AwsError> {
    if e.is_not_found() { Ok(None) } else { Err(e) }
}
