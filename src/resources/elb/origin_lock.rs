//! The primary's load balancer answers CloudFront only, once CloudFront serves the site
//! (CloudFront DG, *Restricting access to Application Load Balancers*): a listener rule
//! forwards requests that carry the stack's secret header, everything else gets a fixed
//! 403, and its security group admits HTTPS from CloudFront's origin-facing addresses only
//! (the AWS-managed prefix list). It comes after the site's record points at CloudFront,
//! so visitors are never refused while the switch happens.

use super::listener::{self, ListenerAction};
use crate::aws::{OrMissing, aws};
use crate::engine::settings::{Actual, Change, Setting, Value};
use crate::engine::{Ctx, Error, Found, Proof, Resource};
use crate::resources::cloudfront::SECRET_HEADER;
use crate::resources::security_group::{SecurityGroup, revoke, seen};
use async_trait::async_trait;
use aws_sdk_ec2::types::{IpPermission, PrefixListId};
use aws_sdk_elasticloadbalancingv2::types::{HttpHeaderConditionConfig, Rule, RuleCondition};

/// CloudFront's origin-facing addresses, an AWS-managed prefix list in every region (its
/// ID differs per region). It counts as 55 rules of the group's quota of 60.
pub const PREFIX_LIST: &str = "com.amazonaws.global.cloudfront.origin-facing";

/// The rule's priority on the listener (hawiz makes no other rule there).
const PRIORITY: i32 = 10;

#[derive(Debug)]
pub struct OriginLock {
    pub name: String,
    /// Key of the HTTPS listener the rule and the 403 belong to.
    pub listener: String,
    pub target_group: String,
    /// Key of the load balancer's security group, whose ingress this owns.
    pub security_group: String,
    /// Key of the origin secret's parameter.
    pub secret: String,
    /// Key of the site's record: the lock waits until it points at CloudFront.
    pub after: String,
}

fn inbound() -> String {
    format!("443 from {PREFIX_LIST}")
}

fn rule_text(secret_ok: bool, target: &str) -> String {
    format!(
        "{SECRET_HEADER}: {} → forward to {target}",
        if secret_ok {
            "the stack's secret"
        } else {
            "another value"
        }
    )
}

/// The header value a rule requires, if it is the secret rule.
fn required_value(r: &Rule) -> Option<Vec<String>> {
    r.conditions().iter().find_map(|c| {
        c.http_header_config()
            .filter(|h| {
                h.http_header_name()
                    .is_some_and(|n| n.eq_ignore_ascii_case(SECRET_HEADER))
            })
            .map(|h| h.values().to_vec())
    })
}

async fn rules(cx: &Ctx, listener: &str) -> Result<Vec<Rule>, Error> {
    Ok(cx
        .aws
        .elb
        .describe_rules()
        .listener_arn(listener)
        .send()
        .await
        .map_err(aws("DescribeRules"))
        .or_missing()?
        .map(|o| o.rules().to_vec())
        .unwrap_or_default())
}

/// The prefix list's ID in this region.
async fn prefix_list(cx: &Ctx) -> Result<String, Error> {
    let out = cx
        .ec2()
        .describe_managed_prefix_lists()
        .filters(crate::aws::ec2::filter("prefix-list-name", PREFIX_LIST))
        .send()
        .await
        .map_err(aws("DescribeManagedPrefixLists"))?;
    out.prefix_lists()
        .iter()
        .find_map(|p| p.prefix_list_id().map(str::to_string))
        .ok_or_else(|| {
            Error::Failed(format!(
                "the AWS-managed prefix list {PREFIX_LIST} is not in region {}",
                cx.aws.region
            ))
        })
}

impl OriginLock {
    async fn secret(&self, cx: &Ctx) -> Result<String, Error> {
        crate::resources::parameter::password_value(cx, cx.dep(&self.secret)?).await
    }

    fn condition(secret: &str) -> RuleCondition {
        RuleCondition::builder()
            .field("http-header")
            .http_header_config(
                HttpHeaderConditionConfig::builder()
                    .http_header_name(SECRET_HEADER)
                    .values(secret)
                    .build(),
            )
            .build()
    }

    fn forward(&self, cx: &Ctx) -> Result<aws_sdk_elasticloadbalancingv2::types::Action, Error> {
        listener::action(cx, &ListenerAction::Forward(self.target_group.clone()))
    }

    /// The group's ingress as words, CloudFront's list by its name.
    async fn ingress(
        cx: &Ctx,
        group: &str,
    ) -> Result<Vec<crate::resources::security_group::Seen>, Error> {
        let Some(g) = SecurityGroup::describe(cx, group).await? else {
            return Ok(Vec::new());
        };
        let list = prefix_list(cx).await?;
        Ok(seen(&g)
            .into_iter()
            .map(|mut s| {
                s.text = s.text.replace(&list, PREFIX_LIST);
                s
            })
            .collect())
    }
}

#[async_trait]
impl Resource for OriginLock {
    fn kind(&self) -> &'static str {
        "origin-lock"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn deps(&self) -> Vec<String> {
        vec![
            self.listener.clone(),
            self.target_group.clone(),
            self.security_group.clone(),
            self.secret.clone(),
            self.after.clone(),
        ]
    }

    /// The secret rule on our listener (its parent proves it ours).
    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        let Some(listener) = cx.dep_opt(&self.listener) else {
            return Ok(Found::none());
        };
        let ids = rules(cx, listener)
            .await?
            .into_iter()
            .filter(|r| required_value(r).is_some())
            .filter_map(|r| r.rule_arn().map(str::to_string))
            .collect();
        Ok(Found::with(ids, Proof::Parent))
    }

    /// The rule; the 403 and the security group follow as its settings.
    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let out = cx
            .aws
            .once
            .elb
            .create_rule()
            .listener_arn(cx.dep(&self.listener)?)
            .priority(PRIORITY)
            .conditions(Self::condition(&self.secret(cx).await?))
            .actions(self.forward(cx)?)
            .set_tags(Some(super::tags::elb(cx)))
            .send()
            .await
            .map_err(aws("CreateRule"))?;
        out.rules()
            .first()
            .and_then(|r| r.rule_arn())
            .map(str::to_string)
            .ok_or_else(|| Error::Failed("CreateRule returned no rule".into()))
    }

    fn desired(&self, cx: &Ctx) -> Vec<Setting> {
        vec![
            Setting::update("rule", rule_text(true, &cx.dep_or_new(&self.target_group))),
            Setting::update("others", listener::said(cx, &ListenerAction::Forbidden)),
            Setting::update("inbound", Value::set([inbound()])),
        ]
    }

    async fn read(&self, cx: &Ctx, id: &str) -> Result<Actual, Error> {
        let mut a = Actual::new();
        let Some(listener) = cx.dep_opt(&self.listener) else {
            return Ok(a);
        };
        let secret = self.secret(cx).await?;
        let all = rules(cx, listener).await?;
        if let Some(r) = all.iter().find(|r| r.rule_arn() == Some(id)) {
            let ok = required_value(r).is_some_and(|v| v == [secret.clone()]);
            let target = r
                .actions()
                .first()
                .and_then(|a| a.target_group_arn())
                .unwrap_or("?");
            a.insert("rule", rule_text(ok, target).into());
        }
        if let Some(l) = listener::describe(cx, listener).await?
            && let Some(first) = l.default_actions().first()
        {
            a.insert("others", listener::seen(first).into());
        }
        if let Some(group) = cx.dep_opt(&self.security_group) {
            let texts = Self::ingress(cx, group).await?.into_iter().map(|s| s.text);
            a.insert("inbound", Value::set(texts));
        }
        Ok(a)
    }

    /// The rule with the current secret, a 403 for everyone else, and HTTPS from
    /// CloudFront only: the world's rules go after CloudFront's is in.
    async fn update(&self, cx: &Ctx, id: &str, _changes: &[Change]) -> Result<(), Error> {
        let secret = self.secret(cx).await?;
        cx.aws
            .once
            .elb
            .modify_rule()
            .rule_arn(id)
            .conditions(Self::condition(&secret))
            .actions(self.forward(cx)?)
            .send()
            .await
            .map_err(aws("ModifyRule"))?;
        cx.aws
            .once
            .elb
            .modify_listener()
            .listener_arn(cx.dep(&self.listener)?)
            .default_actions(listener::action(cx, &ListenerAction::Forbidden)?)
            .send()
            .await
            .map_err(aws("ModifyListener"))?;
        let group = cx.dep(&self.security_group)?;
        let now = Self::ingress(cx, group).await?;
        if !now.iter().any(|s| s.text == inbound()) {
            cx.ec2_once()
                .authorize_security_group_ingress()
                .group_id(group)
                .ip_permissions(
                    IpPermission::builder()
                        .ip_protocol("tcp")
                        .from_port(443)
                        .to_port(443)
                        .prefix_list_ids(
                            PrefixListId::builder()
                                .prefix_list_id(prefix_list(cx).await?)
                                .description("HTTPS from CloudFront only")
                                .build(),
                        )
                        .build(),
                )
                .send()
                .await
                .map_err(aws("AuthorizeSecurityGroupIngress"))?;
        }
        // The world's rules go once CloudFront's is in.
        revoke(cx, group, now.into_iter().filter(|s| s.text != inbound())).await
    }

    /// Visitors may reach the load balancer again: it forwards everything, and the rule
    /// goes. (The group's own rules come back with its own settings once CloudFront
    /// leaves the plan.)
    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        if let (Some(listener), Some(_)) =
            (cx.dep_opt(&self.listener), cx.dep_opt(&self.target_group))
        {
            cx.aws
                .elb
                .modify_listener()
                .listener_arn(listener)
                .default_actions(self.forward(cx)?)
                .send()
                .await
                .map_err(aws("ModifyListener"))
                .or_missing()?;
        }
        cx.aws
            .elb
            .delete_rule()
            .rule_arn(id)
            .send()
            .await
            .map_err(aws("DeleteRule"))
            .or_missing()?;
        Ok(())
    }
}
