//! The app instances' instance profile, holding the app role.

use super::{gone_already, prefix, tags};
use crate::aws::{OrMissing, aws};
use crate::engine::settings::{Actual, Change, Setting};
use crate::engine::{Ctx, Error, Found, Resource, Swept};
use async_trait::async_trait;

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
