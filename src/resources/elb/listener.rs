//! Listeners: HTTP:80 (forwarding, or a 301 to HTTPS once that works) and HTTPS:443 with
//! the certificate and a current TLS policy. A listener of our own load balancer is ours.

use super::{TLS_POLICY, tags};
use crate::aws::{OrMissing, aws};
use crate::engine::Fact;
use crate::engine::settings::{Actual, Change, Setting};
use crate::engine::{Ctx, Error, Found, Proof, Resource};
use async_trait::async_trait;
use aws_sdk_elasticloadbalancingv2::types::{
    Action, ActionTypeEnum, Certificate, FixedResponseActionConfig, ProtocolEnum,
    RedirectActionConfig, RedirectActionStatusCodeEnum,
};

/// What a listener does with requests.
#[derive(Debug, Clone)]
pub enum ListenerAction {
    /// Send to the target group (key).
    Forward(String),
    /// 301 to the same URL over HTTPS.
    RedirectToHttps,
    /// A fixed 403: what a load balancer behind CloudFront answers anyone else.
    Forbidden,
}

const REDIRECT: &str = "redirect to HTTPS (301)";
const FORBIDDEN: &str = "refuse (403)";

pub(super) fn action(cx: &Ctx, a: &ListenerAction) -> Result<Action, Error> {
    Ok(match a {
        ListenerAction::Forward(tg) => Action::builder()
            .r#type(ActionTypeEnum::Forward)
            .target_group_arn(cx.dep(tg)?)
            .build(),
        ListenerAction::RedirectToHttps => Action::builder()
            .r#type(ActionTypeEnum::Redirect)
            .redirect_config(
                RedirectActionConfig::builder()
                    .protocol("HTTPS")
                    .port("443")
                    .status_code(RedirectActionStatusCodeEnum::Http301)
                    .build(),
            )
            .build(),
        ListenerAction::Forbidden => Action::builder()
            .r#type(ActionTypeEnum::FixedResponse)
            .fixed_response_config(
                FixedResponseActionConfig::builder()
                    .status_code("403")
                    .content_type("text/plain")
                    .message_body("Forbidden")
                    .build(),
            )
            .build(),
    })
}

pub(super) fn said(cx: &Ctx, a: &ListenerAction) -> String {
    match a {
        ListenerAction::Forward(tg) => format!("forward to {}", cx.dep_or_new(tg)),
        ListenerAction::RedirectToHttps => REDIRECT.into(),
        ListenerAction::Forbidden => FORBIDDEN.into(),
    }
}

/// The words for an action as AWS has it.
pub(super) fn seen(a: &Action) -> String {
    match a.r#type() {
        Some(ActionTypeEnum::Forward) => {
            format!("forward to {}", a.target_group_arn().unwrap_or_default())
        }
        Some(ActionTypeEnum::Redirect) => {
            let https = a
                .redirect_config()
                .is_some_and(|r| r.protocol() == Some("HTTPS"));
            if https {
                REDIRECT.into()
            } else {
                "redirect".into()
            }
        }
        Some(ActionTypeEnum::FixedResponse) => match a.fixed_response_config() {
            Some(f) if f.status_code() == Some("403") => FORBIDDEN.into(),
            Some(f) => format!("fixed {}", f.status_code().unwrap_or("?")),
            None => "fixed".into(),
        },
        Some(other) => other.as_str().to_string(),
        None => String::new(),
    }
}

pub(super) async fn describe(
    cx: &Ctx,
    arn: &str,
) -> Result<Option<aws_sdk_elasticloadbalancingv2::types::Listener>, Error> {
    Ok(cx
        .aws
        .elb
        .describe_listeners()
        .listener_arns(arn)
        .send()
        .await
        .map_err(aws("DescribeListeners"))
        .or_missing()?
        .and_then(|o| o.listeners().first().cloned()))
}

#[derive(Debug)]
pub struct Listener {
    pub name: String,
    pub load_balancer: String,
    pub port: i32,
    pub action: ListenerAction,
    /// Another node switches this listener's action (HTTP → redirect once HTTPS works):
    /// its action is then that node's business, not a difference to undo.
    pub action_elsewhere: bool,
    /// Key of the node whose `certificate` output is the issued certificate, for HTTPS.
    pub certificate: Option<String>,
}

#[async_trait]
impl Resource for Listener {
    fn kind(&self) -> &'static str {
        "listener"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn facts(&self, _ready: &crate::engine::Dep) -> Vec<Fact> {
        if self.certificate.is_some() {
            vec![Fact::Https]
        } else {
            vec![]
        }
    }
    fn deps(&self) -> Vec<String> {
        let mut d = vec![self.load_balancer.clone()];
        if let ListenerAction::Forward(tg) = &self.action {
            d.push(tg.clone());
        }
        d.extend(self.certificate.iter().cloned());
        d
    }

    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        let Some(lb) = cx.dep_opt(&self.load_balancer) else {
            return Ok(Found::none());
        };
        let listeners = cx
            .aws
            .elb
            .describe_listeners()
            .load_balancer_arn(lb)
            .send()
            .await
            .map_err(aws("DescribeListeners"))
            .or_missing()?
            .map_or_else(Vec::new, |o| o.listeners().to_vec());
        Ok(Found::with(
            listeners
                .into_iter()
                .filter(|l| l.port() == Some(self.port))
                .filter_map(|l| l.listener_arn().map(str::to_string))
                .collect(),
            Proof::Parent,
        ))
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let mut call = cx
            .aws
            .once
            .elb
            .create_listener()
            .load_balancer_arn(cx.dep(&self.load_balancer)?)
            .port(self.port)
            .default_actions(action(cx, &self.action)?)
            .set_tags(Some(tags::elb(cx)));
        call = match &self.certificate {
            Some(cert) => call
                .protocol(ProtocolEnum::Https)
                .ssl_policy(TLS_POLICY)
                .certificates(
                    Certificate::builder()
                        .certificate_arn(cx.output(cert, "certificate")?)
                        .build(),
                ),
            None => call.protocol(ProtocolEnum::Http),
        };
        let out = call.send().await.map_err(aws("CreateListener"))?;
        out.listeners()
            .first()
            .and_then(|l| l.listener_arn())
            .map(str::to_string)
            .ok_or_else(|| Error::Failed("CreateListener returned no ARN".into()))
    }

    fn desired(&self, cx: &Ctx) -> Vec<Setting> {
        let https = self.certificate.is_some();
        let mut s = vec![Setting::replace(
            "protocol",
            if https { "HTTPS" } else { "HTTP" },
            "a listener's protocol is set when it is made",
        )];
        if !self.action_elsewhere {
            s.push(Setting::update("action", said(cx, &self.action)));
        }
        if let Some(cert) = &self.certificate {
            s.push(Setting::update(
                "certificate",
                cx.output_opt(cert, "certificate")
                    .map_or_else(|| "(new certificate)".to_string(), str::to_string),
            ));
            s.push(Setting::update("TLS policy", TLS_POLICY));
        }
        s
    }

    async fn read(&self, cx: &Ctx, id: &str) -> Result<Actual, Error> {
        let mut a = Actual::new();
        let Some(l) = describe(cx, id).await? else {
            return Ok(a);
        };
        a.insert(
            "protocol",
            l.protocol().map(|p| p.as_str()).unwrap_or_default().into(),
        );
        if let Some(first) = l.default_actions().first() {
            a.insert("action", seen(first).into());
        }
        if let Some(c) = l.certificates().first().and_then(|c| c.certificate_arn()) {
            a.insert("certificate", c.into());
        }
        if let Some(p) = l.ssl_policy() {
            a.insert("TLS policy", p.into());
        }
        Ok(a)
    }

    async fn update(&self, cx: &Ctx, id: &str, _changes: &[Change]) -> Result<(), Error> {
        let mut call = cx.aws.once.elb.modify_listener().listener_arn(id);
        if !self.action_elsewhere {
            call = call.default_actions(action(cx, &self.action)?);
        }
        if let Some(cert) = &self.certificate {
            call = call.ssl_policy(TLS_POLICY).certificates(
                Certificate::builder()
                    .certificate_arn(cx.output(cert, "certificate")?)
                    .build(),
            );
        }
        call.send().await.map_err(aws("ModifyListener"))?;
        Ok(())
    }

    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        cx.aws
            .elb
            .delete_listener()
            .listener_arn(id)
            .send()
            .await
            .map_err(aws("DeleteListener"))?;
        Ok(())
    }
}

/// Turns the HTTP listener from "forward" into "301 to HTTPS" once the HTTPS listener
/// exists, so the site answers on HTTP from the start and never redirects to nowhere.
/// Removing it (the domain or HTTPS left the plan) turns HTTP back to forwarding.
#[derive(Debug)]
pub struct HttpsRedirect {
    pub name: String,
    pub http_listener: String,
    pub https_listener: String,
    /// Where HTTP forwards again when the redirect goes.
    pub target_group: String,
}

#[async_trait]
impl Resource for HttpsRedirect {
    fn kind(&self) -> &'static str {
        "http-redirect"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn deps(&self) -> Vec<String> {
        vec![
            self.http_listener.clone(),
            self.https_listener.clone(),
            self.target_group.clone(),
        ]
    }

    /// Present when our HTTP listener redirects to HTTPS.
    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        let Some(http) = cx.dep_opt(&self.http_listener) else {
            return Ok(Found::none());
        };
        let redirects = describe(cx, http)
            .await?
            .and_then(|l| l.default_actions().first().map(seen))
            .is_some_and(|a| a == REDIRECT);
        Ok(if redirects {
            Found::with(vec![http.to_string()], Proof::Parent)
        } else {
            Found::none()
        })
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let http = cx.dep(&self.http_listener)?;
        cx.aws
            .once
            .elb
            .modify_listener()
            .listener_arn(http)
            .default_actions(action(cx, &ListenerAction::RedirectToHttps)?)
            .send()
            .await
            .map_err(aws("ModifyListener"))?;
        Ok(http.to_string())
    }

    /// HTTP forwards to the app again (when the listener itself stays).
    async fn delete(&self, cx: &Ctx, _id: &str) -> Result<(), Error> {
        let (Some(http), Some(_)) = (
            cx.dep_opt(&self.http_listener),
            cx.dep_opt(&self.target_group),
        ) else {
            return Ok(());
        };
        cx.aws
            .once
            .elb
            .modify_listener()
            .listener_arn(http)
            .default_actions(action(
                cx,
                &ListenerAction::Forward(self.target_group.clone()),
            )?)
            .send()
            .await
            .map_err(aws("ModifyListener"))?;
        Ok(())
    }
}
