//! AWS WAF in front of the load balancer: AWS's managed rules for common attacks,
//! WordPress, PHP and known bad inputs, and a rate limit on the login endpoints
//! (wp-login.php, xmlrpc.php) that brute-force tools hammer. Off unless asked for: it
//! costs about $10 a month.

use super::tags;
use crate::aws::aws;
use crate::engine::Charge;
use crate::engine::settings::{Actual, Change, Setting, Value};
use crate::engine::{Ctx, Error, Found, Outputs, Proof, Resource, Swept};
use async_trait::async_trait;
use aws_sdk_wafv2::types::{
    ByteMatchStatement, DefaultAction, ManagedRuleGroupStatement, OverrideAction,
    PositionalConstraint, RateBasedStatement, RateBasedStatementAggregateKeyType, Rule, RuleAction,
    Scope, Statement, TextTransformation, TextTransformationType, VisibilityConfig, WebAclSummary,
};

/// The managed rule groups (vendor AWS), in the order they are evaluated.
pub const MANAGED: [&str; 4] = [
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesWordPressRuleSet",
    "AWSManagedRulesPHPRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
];

/// Requests per 5 minutes from one address to the login endpoints before it is blocked.
pub const LOGIN_LIMIT: i64 = 100;
const RATE_RULE: &str = "login-rate-limit";

#[derive(Debug)]
pub struct WebAcl {
    pub name: String,
}

fn allow() -> DefaultAction {
    DefaultAction::builder()
        .allow(aws_sdk_wafv2::types::AllowAction::builder().build())
        .build()
}

fn visibility(name: &str) -> Result<VisibilityConfig, Error> {
    VisibilityConfig::builder()
        .sampled_requests_enabled(true)
        .cloud_watch_metrics_enabled(true)
        .metric_name(name)
        .build()
        .map_err(|e| Error::Failed(e.to_string()))
}

fn built<T, E: std::fmt::Display>(r: Result<T, E>) -> Result<T, Error> {
    r.map_err(|e| Error::Failed(e.to_string()))
}

/// The web ACL's rules: the managed groups, then the login rate limit.
fn rules() -> Result<Vec<Rule>, Error> {
    let mut out = Vec::new();
    for (i, group) in MANAGED.iter().enumerate() {
        out.push(built(
            Rule::builder()
                .name(*group)
                .priority(i32::try_from(i).unwrap_or(0))
                .statement(
                    Statement::builder()
                        .managed_rule_group_statement(built(
                            ManagedRuleGroupStatement::builder()
                                .vendor_name("AWS")
                                .name(*group)
                                .build(),
                        )?)
                        .build(),
                )
                .override_action(
                    OverrideAction::builder()
                        .none(aws_sdk_wafv2::types::NoneAction::builder().build())
                        .build(),
                )
                .visibility_config(visibility(group)?)
                .build(),
        )?);
    }
    let path = |suffix: &str| -> Result<Statement, Error> {
        Ok(Statement::builder()
            .byte_match_statement(built(
                ByteMatchStatement::builder()
                    .search_string(aws_smithy_types::Blob::new(suffix.as_bytes()))
                    .field_to_match(
                        aws_sdk_wafv2::types::FieldToMatch::builder()
                            .uri_path(aws_sdk_wafv2::types::UriPath::builder().build())
                            .build(),
                    )
                    .text_transformations(built(
                        TextTransformation::builder()
                            .priority(0)
                            .r#type(TextTransformationType::Lowercase)
                            .build(),
                    )?)
                    .positional_constraint(PositionalConstraint::EndsWith)
                    .build(),
            )?)
            .build())
    };
    let logins = Statement::builder()
        .or_statement(built(
            aws_sdk_wafv2::types::OrStatement::builder()
                .statements(path("/wp-login.php")?)
                .statements(path("/xmlrpc.php")?)
                .build(),
        )?)
        .build();
    out.push(built(
        Rule::builder()
            .name(RATE_RULE)
            .priority(i32::try_from(MANAGED.len()).unwrap_or(4))
            .statement(
                Statement::builder()
                    .rate_based_statement(built(
                        RateBasedStatement::builder()
                            .limit(LOGIN_LIMIT)
                            .aggregate_key_type(RateBasedStatementAggregateKeyType::Ip)
                            .scope_down_statement(logins)
                            .build(),
                    )?)
                    .build(),
            )
            .action(
                RuleAction::builder()
                    .block(aws_sdk_wafv2::types::BlockAction::builder().build())
                    .build(),
            )
            .visibility_config(visibility(RATE_RULE)?)
            .build(),
    )?);
    Ok(out)
}

fn rule_names() -> Vec<String> {
    MANAGED
        .iter()
        .map(|s| s.to_string())
        .chain([format!("{RATE_RULE} ({LOGIN_LIMIT} per 5 min per address)")])
        .collect()
}

/// ListWebACLs' largest page (the fewest calls).
const PAGE: i32 = 100;

/// Every regional web ACL of the account, page by page (WAF's SDK has no paginator: the
/// marker is followed here).
async fn all(cx: &Ctx) -> Result<Vec<WebAclSummary>, Error> {
    let mut out = Vec::new();
    let mut marker = None;
    loop {
        let page = cx
            .aws
            .waf
            .list_web_acls()
            .scope(Scope::Regional)
            .limit(PAGE)
            .set_next_marker(marker)
            .send()
            .await
            .map_err(aws("ListWebACLs"))?;
        out.extend(page.web_acls().iter().cloned());
        // An empty page with a marker would loop forever on a misbehaving endpoint.
        match page.next_marker() {
            Some(m) if !m.is_empty() && !page.web_acls().is_empty() => marker = Some(m.to_string()),
            _ => return Ok(out),
        }
    }
}

/// (id, ARN) of the web ACL of this name.
async fn listed(cx: &Ctx, name: &str) -> Result<Option<(String, String)>, Error> {
    Ok(all(cx)
        .await?
        .iter()
        .find(|a| a.name() == Some(name))
        .and_then(|a| Some((a.id()?.to_string(), a.arn()?.to_string()))))
}

async fn tags_of(cx: &Ctx, arn: &str) -> Result<tags::Read, Error> {
    let out = cx
        .aws
        .waf
        .list_tags_for_resource()
        .resource_arn(arn)
        .send()
        .await
        .map_err(aws("ListTagsForResource"))?;
    Ok(tags::Read::from_pairs(
        out.tag_info_for_resource()
            .map(|t| t.tag_list())
            .unwrap_or_default()
            .iter()
            .map(|t| (t.key(), t.value())),
    ))
}

/// The web ACL's ID is the last part of its ARN.
fn id_of(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

#[async_trait]
impl Resource for WebAcl {
    fn kind(&self) -> &'static str {
        "web-acl"
    }
    fn name(&self) -> &str {
        &self.name
    }
    /// One web ACL with its rules: the managed rule groups and the login rate limit.
    fn charges(&self) -> Vec<Charge> {
        vec![Charge::WebAcl {
            rules: u32::try_from(rule_names().len()).unwrap_or(u32::MAX),
        }]
    }
    fn deps(&self) -> Vec<String> {
        vec![]
    }
    fn console(&self, _id: &str, region: &str) -> Option<String> {
        Some(format!(
            "https://{region}.console.aws.amazon.com/wafv2/homev2/web-acls?region={region}"
        ))
    }

    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        let Some((_, arn)) = listed(cx, &self.name).await? else {
            return Ok(Found::none());
        };
        let t = tags_of(cx, &arn).await?;
        Ok(if tags::is_ours(cx, t.pairs()) {
            Found::tagged(vec![arn])
        } else {
            Found {
                ours: vec![],
                foreign: vec![crate::engine::foreign(
                    cx,
                    "web ACL",
                    &self.name,
                    "stack.name",
                )],
            }
        })
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let mut call = cx
            .aws
            .once
            .waf
            .create_web_acl()
            .name(&self.name)
            .scope(Scope::Regional)
            .default_action(allow())
            .set_rules(Some(rules()?))
            .visibility_config(visibility(&self.name)?)
            .description(format!("hawiz stack {}", cx.stack));
        for (k, v) in tags::pairs(cx) {
            call = call.tags(built(
                aws_sdk_wafv2::types::Tag::builder().key(k).value(v).build(),
            )?);
        }
        let out = call.send().await.map_err(aws("CreateWebACL"))?;
        out.summary()
            .and_then(|s| s.arn())
            .map(str::to_string)
            .ok_or_else(|| Error::Failed("CreateWebACL returned no ARN".into()))
    }

    fn desired(&self, _cx: &Ctx) -> Vec<Setting> {
        vec![Setting::update("rules", Value::set(rule_names()))]
    }

    async fn read(&self, cx: &Ctx, id: &str) -> Result<Actual, Error> {
        let mut a = Actual::new();
        let out = cx
            .aws
            .waf
            .get_web_acl()
            .name(&self.name)
            .scope(Scope::Regional)
            .id(id_of(id))
            .send()
            .await
            .map_err(aws("GetWebACL"))?;
        if let Some(acl) = out.web_acl() {
            let names = acl.rules().iter().map(|r| {
                if r.name() == RATE_RULE {
                    let limit = r
                        .statement()
                        .and_then(|s| s.rate_based_statement())
                        .map(|s| s.limit())
                        .unwrap_or(0);
                    format!("{RATE_RULE} ({limit} per 5 min per address)")
                } else {
                    r.name().to_string()
                }
            });
            a.insert("rules", Value::set(names));
        }
        Ok(a)
    }

    /// The rules as hawiz sets them (WAF wants the lock token of the version it replaces).
    async fn update(&self, cx: &Ctx, id: &str, _changes: &[Change]) -> Result<(), Error> {
        let current = cx
            .aws
            .waf
            .get_web_acl()
            .name(&self.name)
            .scope(Scope::Regional)
            .id(id_of(id))
            .send()
            .await
            .map_err(aws("GetWebACL"))?;
        let token = current.lock_token().unwrap_or_default();
        cx.aws
            .once
            .waf
            .update_web_acl()
            .name(&self.name)
            .scope(Scope::Regional)
            .id(id_of(id))
            .lock_token(token)
            .default_action(allow())
            .set_rules(Some(rules()?))
            .visibility_config(visibility(&self.name)?)
            .send()
            .await
            .map_err(aws("UpdateWebACL"))?;
        Ok(())
    }

    async fn outputs(&self, _cx: &Ctx, id: &str) -> Result<Outputs, Error> {
        Ok([("arn".to_string(), id.to_string())].into())
    }

    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        let current = cx
            .aws
            .waf
            .get_web_acl()
            .name(&self.name)
            .scope(Scope::Regional)
            .id(id_of(id))
            .send()
            .await
            .map_err(aws("GetWebACL"))?;
        cx.aws
            .waf
            .delete_web_acl()
            .name(&self.name)
            .scope(Scope::Regional)
            .id(id_of(id))
            .lock_token(current.lock_token().unwrap_or_default())
            .send()
            .await
            .map_err(aws("DeleteWebACL"))?;
        Ok(())
    }

    async fn sweep(&self, cx: &Ctx) -> Result<Vec<Swept>, Error> {
        let mut swept = Vec::new();
        for a in all(cx).await? {
            let Some(arn) = a.arn() else { continue };
            let t = tags_of(cx, arn).await?;
            swept.extend(tags::swept(&cx.stack, Some(arn), t.pairs()));
        }
        Ok(swept)
    }
}

/// The web ACL in front of the stack's load balancer.
#[derive(Debug)]
pub struct WebAclAssociation {
    pub name: String,
    pub web_acl: String,
    pub load_balancer: String,
}

#[async_trait]
impl Resource for WebAclAssociation {
    fn kind(&self) -> &'static str {
        "web-acl-association"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn deps(&self) -> Vec<String> {
        vec![self.web_acl.clone(), self.load_balancer.clone()]
    }

    /// Our load balancer's web ACL, if it is ours.
    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        let (Some(lb), Some(acl)) = (cx.dep_opt(&self.load_balancer), cx.dep_opt(&self.web_acl))
        else {
            return Ok(Found::none());
        };
        let out = cx
            .aws
            .waf
            .get_web_acl_for_resource()
            .resource_arn(lb)
            .send()
            .await
            .map_err(aws("GetWebACLForResource"));
        let attached = match out {
            Ok(o) => o.web_acl().map(|w| w.arn().to_string()),
            Err(e) if e.is_not_found() => None,
            Err(e) => return Err(e.into()),
        };
        Ok(if attached.as_deref() == Some(acl) {
            Found::with(vec![lb.to_string()], Proof::Parent)
        } else {
            Found::none()
        })
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let lb = cx.dep(&self.load_balancer)?;
        cx.aws
            .once
            .waf
            .associate_web_acl()
            .web_acl_arn(cx.dep(&self.web_acl)?)
            .resource_arn(lb)
            .send()
            .await
            .map_err(aws("AssociateWebACL"))?;
        Ok(lb.to_string())
    }

    async fn delete(&self, cx: &Ctx, _id: &str) -> Result<(), Error> {
        let Some(lb) = cx.dep_opt(&self.load_balancer) else {
            return Ok(());
        };
        cx.aws
            .waf
            .disassociate_web_acl()
            .resource_arn(lb)
            .send()
            .await
            .map_err(aws("DisassociateWebACL"))?;
        Ok(())
    }
}

/// Which of the managed rule groups this region does not offer (the preflight check).
pub fn missing(available: &[String]) -> Vec<&'static str> {
    MANAGED
        .iter()
        .copied()
        .filter(|m| !available.iter().any(|a| a == m))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rules_are_the_four_managed_groups_and_the_login_limit() {
        let r = rules().unwrap();
        assert_eq!(r.len(), 5);
        assert_eq!(r[1].name(), "AWSManagedRulesWordPressRuleSet");
        let rate = r[4].statement().unwrap().rate_based_statement().unwrap();
        assert_eq!(rate.limit(), LOGIN_LIMIT);
        assert!(missing(&MANAGED.iter().map(|s| s.to_string()).collect::<Vec<_>>()).is_empty());
        assert_eq!(
            missing(&["AWSManagedRulesCommonRuleSet".to_string()]),
            vec![
                "AWSManagedRulesWordPressRuleSet",
                "AWSManagedRulesPHPRuleSet",
                "AWSManagedRulesKnownBadInputsRuleSet"
            ]
        );
    }
}
