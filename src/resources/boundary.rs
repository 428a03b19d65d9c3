//! The permissions boundary every role hawiz creates carries: the most any of them may
//! ever do (read `/hawiz/*` parameters, run the Session Manager agent, deliver flow
//! logs), whatever policy is put on it. The IAM policy hawiz asks for lets it create
//! roles only with this boundary, so it cannot make itself a more powerful role.
//!
//! One per account, shared by every stack: created if missing (from
//! assets/permissions-boundary.json), never changed or deleted by hawiz. An administrator
//! may create it instead; hawiz then uses it as it is.

use crate::aws::aws;
use crate::engine::{Ctx, Error, Found, Outputs, Proof, Resource};
use async_trait::async_trait;

pub const NAME: &str = "hawiz-permissions-boundary";
pub const PATH: &str = "/hawiz/";
pub const DOCUMENT: &str = include_str!("../../assets/permissions-boundary.json");

#[derive(Debug)]
pub struct Boundary;

async fn arn(cx: &Ctx) -> Result<Option<String>, Error> {
    let mut pages = cx
        .aws
        .iam
        .list_policies()
        .scope(aws_sdk_iam::types::PolicyScopeType::Local)
        .path_prefix(PATH)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(aws("ListPolicies"))?;
        if let Some(p) = page
            .policies()
            .iter()
            .find(|p| p.policy_name() == Some(NAME))
        {
            return Ok(p.arn().map(str::to_string));
        }
    }
    Ok(None)
}

#[async_trait]
impl Resource for Boundary {
    fn kind(&self) -> &'static str {
        "iam-boundary"
    }
    fn name(&self) -> &str {
        NAME
    }
    fn deps(&self) -> Vec<String> {
        vec![]
    }
    fn kept(&self) -> Option<(&'static str, &'static str)> {
        Some((
            "shared by every hawiz stack of the account",
            "이 계정의 모든 hawiz 스택이 함께 씁니다",
        ))
    }

    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        Ok(Found::with(
            arn(cx).await?.into_iter().collect(),
            Proof::Yours,
        ))
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let tag = aws_sdk_iam::types::Tag::builder()
            .key("hawiz:shared")
            .value("permissions-boundary")
            .build()
            .map_err(|e| Error::Failed(e.to_string()))?;
        let out = cx
            .aws
            .once
            .iam
            .create_policy()
            .policy_name(NAME)
            .path(PATH)
            .description("The most any role hawiz creates may do (shared by every hawiz stack)")
            .policy_document(DOCUMENT)
            .tags(tag)
            .send()
            .await
            .map_err(aws("CreatePolicy"));
        match out {
            Ok(o) => o
                .policy()
                .and_then(|p| p.arn())
                .map(str::to_string)
                .ok_or_else(|| Error::Failed("CreatePolicy returned no ARN".into())),
            Err(e) if e.code.as_deref() == Some("AccessDenied") => Err(Error::Failed(format!(
                "the permissions boundary {NAME} does not exist and these credentials may not \
                 create it ({e}). Ask an administrator to create it once, then run apply \
                 again: aws iam create-policy --policy-name {NAME} --path {PATH} \
                 --policy-document file://assets/permissions-boundary.json"
            ))),
            Err(e) => Err(e.into()),
        }
    }

    async fn outputs(&self, _cx: &Ctx, id: &str) -> Result<Outputs, Error> {
        Ok([("arn".to_string(), id.to_string())].into())
    }

    async fn delete(&self, _cx: &Ctx, _id: &str) -> Result<(), Error> {
        Ok(()) // never: other stacks' roles carry it
    }
}
