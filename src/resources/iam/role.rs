//! An IAM role of the stack (the app instances', the flow logs'): its trust, its inline
//! and managed policies, and the stack's permissions boundary.

use super::{canonical, gone_already, prefix, tags, trust};
use crate::aws::{OrMissing, aws};
use crate::engine::settings::{Actual, Change, Setting, Value};
use crate::engine::{Ctx, Error, Found, Outputs, Resource, Swept};
use async_trait::async_trait;

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
