//! The stack's permissions boundary, `hawiz/hawiz-<stack>-boundary`: the most any role of
//! the stack may ever do (read the stack's own parameters, and only with an instance's
//! credentials; tell the stack's group an instance is ready; run the Session Manager
//! agent; deliver the stack's flow logs), whatever policy is put on the role. The deployer
//! policy lets hawiz create roles only with this boundary, and never create or change a
//! boundary itself: IAM cannot limit a new role's trust, so the boundary is the limit.
//!
//! Trusted by its document, not its name: every run reads the default version and
//! compares it with `policy::boundary(stack)`; a different document is refused before
//! any role is made. hawiz creates it only when its credentials may (an administrator's;
//! the deployer policy may not), otherwise an administrator creates it once with the
//! command hawiz prints. One hawiz created carries the stack's tags and goes with the
//! stack; one an administrator made is the user's own and stays.

use super::tags;
use crate::aws::aws;
use crate::engine::settings::{Actual, Change, Setting};
use crate::engine::{Ctx, Error, Found, Match, Outputs, Proof, Resource};
use crate::plan::Finding;
use crate::policy::{BOUNDARY_PATH, boundary_name};
use async_trait::async_trait;

#[derive(Debug)]
pub struct Boundary {
    pub name: String,
    /// The document it must have.
    pub document: String,
}

impl Boundary {
    pub fn for_stack(stack: &str) -> Boundary {
        Boundary {
            name: boundary_name(stack),
            document: crate::policy::boundary(stack),
        }
    }

    /// The one a plan's roles need (the static bucket's replication role adds to it).
    pub fn for_plan(plan: &crate::plan::Plan) -> Boundary {
        Boundary {
            name: boundary_name(&plan.stack.name),
            document: crate::policy::boundary_for(&plan.stack.name, plan.static_bucket()),
        }
    }

    /// What an administrator runs to make it (or set its document right).
    fn admin_commands(&self, stack: &str, arn: Option<&str>) -> String {
        let write = format!("hawiz policy {stack} --boundary > boundary.json");
        match arn {
            None => format!(
                "{write} && aws iam create-policy --policy-name {} --path {BOUNDARY_PATH} \
                 --policy-document file://boundary.json",
                self.name
            ),
            Some(arn) => format!(
                "{write} && aws iam create-policy-version --policy-arn {arn} \
                 --policy-document file://boundary.json --set-as-default"
            ),
        }
    }

    fn differs(&self, cx: &Ctx, arn: &str, why: &str) -> Finding {
        let fix = self.admin_commands(&cx.stack, Some(arn));
        Finding {
            field: "stack.name".into(),
            message: format!(
                "the permissions boundary {arn} does not have the document hawiz's roles need \
                 ({why}). Every role of the stack carries it, so its document is their limit: \
                 hawiz makes no role under a boundary it cannot vouch for. An administrator \
                 sets it right with: {fix}"
            ),
            ko: format!(
                "권한 경계 {arn}의 문서가 hawiz 역할에 필요한 문서와 다릅니다 ({why}). 스택의 모든 \
                 역할이 이 경계를 달고 있어 그 문서가 곧 역할의 한계입니다. hawiz는 보증할 수 없는 \
                 경계로는 역할을 만들지 않습니다. 관리자가 다음으로 바로잡으세요: {fix}"
            ),
        }
    }
}

/// The ARN of the policy of that name under hawiz's path, if it exists.
async fn arn(cx: &Ctx, name: &str) -> Result<Option<String>, Error> {
    let mut pages = cx
        .aws
        .iam
        .list_policies()
        .scope(aws_sdk_iam::types::PolicyScopeType::Local)
        .path_prefix(BOUNDARY_PATH)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(aws("ListPolicies"))?;
        if let Some(p) = page
            .policies()
            .iter()
            .find(|p| p.policy_name() == Some(name))
        {
            return Ok(p.arn().map(str::to_string));
        }
    }
    Ok(None)
}

/// `document` as the policy's default version (IAM keeps five: the oldest other one
/// goes first).
async fn new_version(cx: &Ctx, arn: &str, document: &str) -> Result<(), crate::aws::AwsError> {
    let iam = &cx.aws.iam;
    let versions = iam
        .list_policy_versions()
        .policy_arn(arn)
        .send()
        .await
        .map_err(aws("ListPolicyVersions"))?;
    let oldest = versions
        .versions()
        .iter()
        .filter(|v| !v.is_default_version())
        .min_by_key(|v| v.create_date().map(|d| d.secs()));
    if versions.versions().len() >= 5
        && let Some(oldest) = oldest
    {
        iam.delete_policy_version()
            .policy_arn(arn)
            .version_id(oldest.version_id().unwrap_or_default())
            .send()
            .await
            .map_err(aws("DeletePolicyVersion"))?;
    }
    cx.aws
        .once
        .iam
        .create_policy_version()
        .policy_arn(arn)
        .policy_document(document)
        .set_as_default(true)
        .send()
        .await
        .map_err(aws("CreatePolicyVersion"))?;
    Ok(())
}

/// A document's statements by their IDs, in order.
fn statements(doc: &str) -> String {
    let ids: Vec<String> = crate::policy::canonical(doc)
        .and_then(|v| v.get("Statement").and_then(|s| s.as_array()).cloned())
        .unwrap_or_default()
        .iter()
        .map(|st| {
            st.get("Sid")
                .and_then(|s| s.as_str())
                .unwrap_or("?")
                .to_string()
        })
        .collect();
    format!("statements {}", ids.join(", "))
}

/// The document of its default version.
async fn document(cx: &Ctx, arn: &str) -> Result<String, Error> {
    let policy = cx
        .aws
        .iam
        .get_policy()
        .policy_arn(arn)
        .send()
        .await
        .map_err(aws("GetPolicy"))?;
    let version = policy
        .policy()
        .and_then(|p| p.default_version_id())
        .unwrap_or("v1")
        .to_string();
    let out = cx
        .aws
        .iam
        .get_policy_version()
        .policy_arn(arn)
        .version_id(version)
        .send()
        .await
        .map_err(aws("GetPolicyVersion"))?;
    Ok(out
        .policy_version()
        .and_then(|v| v.document())
        .unwrap_or_default()
        .to_string())
}

#[async_trait]
impl Resource for Boundary {
    fn kind(&self) -> &'static str {
        "iam-boundary"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn deps(&self) -> Vec<String> {
        vec![]
    }
    fn console(&self, id: &str, _region: &str) -> Option<String> {
        Some(format!(
            "https://console.aws.amazon.com/iam/home#/policies/details/{}",
            id.replace(':', "%3A").replace('/', "%2F")
        ))
    }

    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        let Some(arn) = arn(cx, &self.name).await? else {
            return Ok(Found::none());
        };
        let listed = cx
            .aws
            .iam
            .list_policy_tags()
            .policy_arn(&arn)
            .send()
            .await
            .map_err(aws("ListPolicyTags"))?;
        // Made by hawiz for this stack: it goes with the stack, and hawiz keeps its
        // document what the plan needs (a setting). Made by an administrator: used as it
        // is and kept, and only with the document the plan needs.
        let proof = if tags::is_ours(cx, tags::iam_pairs(listed.tags())) {
            Proof::Tagged
        } else if let Some(why) =
            crate::policy::difference(&self.document, &document(cx, &arn).await?)
        {
            return Ok(Found {
                ours: vec![],
                foreign: vec![self.differs(cx, &arn, &why)],
            });
        } else {
            Proof::Yours
        };
        Ok(Found {
            ours: vec![Match { id: arn, proof }],
            foreign: vec![],
        })
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let out = cx
            .aws
            .once
            .iam
            .create_policy()
            .policy_name(&self.name)
            .path(BOUNDARY_PATH)
            .description(format!(
                "The most any role of hawiz stack {} may do",
                cx.stack
            ))
            .policy_document(&self.document)
            .set_tags(Some(tags::iam(cx)))
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
                "the permissions boundary {} does not exist, and these credentials may not \
                 create it ({e}): hawiz's deployer policy never may, because a boundary is what \
                 limits every role. Ask an administrator to create it once, then run apply \
                 again: {}",
                self.name,
                self.admin_commands(&cx.stack, None)
            ))),
            Err(e) => Err(e.into()),
        }
    }

    /// Compared only on one hawiz made (an administrator's was checked by `find`).
    fn desired(&self, _cx: &Ctx) -> Vec<Setting> {
        vec![Setting::update("document", statements(&self.document))]
    }

    /// Shown by its statements' IDs and, when it is not hawiz's, how it differs.
    async fn read(&self, cx: &Ctx, id: &str) -> Result<Actual, Error> {
        let mut a = Actual::new();
        let have = document(cx, id).await?;
        let shown = match crate::policy::difference(&self.document, &have) {
            None => statements(&self.document),
            Some(why) => format!("{} ({why})", statements(&have)),
        };
        a.insert("document", shown.into());
        Ok(a)
    }

    /// A new default version. Made by hawiz with an administrator's credentials and
    /// changed now with the deployer's (which may never change a boundary): said, with
    /// the administrator's command.
    async fn update(&self, cx: &Ctx, id: &str, _changes: &[Change]) -> Result<(), Error> {
        match new_version(cx, id, &self.document).await {
            Err(e) if e.class == crate::aws::Class::Denied => Err(Error::Failed(format!(
                "the permissions boundary {id} needs a new document and these credentials \
                 may not change it ({e}). An administrator sets it with: {}",
                self.admin_commands(&cx.stack, Some(id))
            ))),
            r => Ok(r?),
        }
    }

    async fn outputs(&self, _cx: &Ctx, id: &str) -> Result<Outputs, Error> {
        Ok([("arn".to_string(), id.to_string())].into())
    }

    /// Only one hawiz made (an administrator's is the user's own, never deleted); IAM
    /// refuses while a role still carries it, which destroy waits out.
    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        cx.aws
            .once
            .iam
            .delete_policy()
            .policy_arn(id)
            .send()
            .await
            .map_err(aws("DeletePolicy"))?;
        Ok(())
    }
}
