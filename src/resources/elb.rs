//! The load balancer tier: target group, internet-facing ALB, listeners.

use crate::aws::{OrMissing, aws};
use crate::engine::wait::{self, Poll};
use crate::engine::{Ctx, Error, Resource};
use async_trait::async_trait;
use aws_sdk_elasticloadbalancingv2::types::{
    Action, ActionTypeEnum, Certificate, IpAddressType, LoadBalancerSchemeEnum,
    LoadBalancerStateEnum, LoadBalancerTypeEnum, Matcher, ProtocolEnum, RedirectActionConfig,
    RedirectActionStatusCodeEnum, Tag,
};
use std::time::Duration;

/// TLS 1.3 with TLS 1.2 for older clients: AWS's current recommended policy.
pub const TLS_POLICY: &str = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/// WordPress answers `/` with redirects (to the installer, to the canonical host), which
/// are healthy answers; only errors are not.
pub const HEALTHY_CODES: &str = "200-399";

fn tags(cx: &Ctx) -> Vec<Tag> {
    let t = |k: &str, v: &str| Tag::builder().key(k).value(v).build();
    vec![
        t("Name", &cx.name),
        t(crate::aws::ec2::STACK_TAG, &cx.stack),
        t(crate::aws::ec2::KEY_TAG, &cx.key),
    ]
}

/// Names are unique per account and region, so a same-named resource may belong to
/// someone else: refuse to adopt it silently.
async fn check_ours(cx: &Ctx, arn: &str, what: &str) -> Result<(), Error> {
    let out = cx
        .aws
        .elb
        .describe_tags()
        .resource_arns(arn)
        .send()
        .await
        .map_err(aws("DescribeTags"))?;
    let ours = out
        .tag_descriptions()
        .iter()
        .flat_map(|d| d.tags())
        .any(|t| {
            t.key() == Some(crate::aws::ec2::STACK_TAG) && t.value() == Some(cx.stack.as_str())
        });
    if ours {
        Ok(())
    } else {
        Err(Error::Failed(format!(
            "a {what} named {} already exists and is not part of stack {}; rename the stack or remove it",
            cx.name, cx.stack
        )))
    }
}

#[derive(Debug)]
pub struct TargetGroup {
    pub name: String,
    pub vpc: String,
    pub health_check_path: String,
}

#[async_trait]
impl Resource for TargetGroup {
    fn kind(&self) -> &'static str {
        "target-group"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn deps(&self) -> Vec<String> {
        vec![self.vpc.clone()]
    }

    async fn find(&self, cx: &Ctx) -> Result<Vec<String>, Error> {
        let out = cx
            .aws
            .elb
            .describe_target_groups()
            .names(&self.name)
            .send()
            .await
            .map_err(aws("DescribeTargetGroups"));
        let arns: Vec<String> = match out {
            Ok(o) => o
                .target_groups()
                .iter()
                .filter_map(|t| t.target_group_arn().map(str::to_string))
                .collect(),
            Err(e) if e.is_not_found() => vec![],
            Err(e) => return Err(e.into()),
        };
        for arn in &arns {
            check_ours(cx, arn, "target group").await?;
        }
        Ok(arns)
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let out = cx
            .aws
            .once
            .elb
            .create_target_group()
            .name(&self.name)
            .protocol(ProtocolEnum::Http)
            .port(80)
            .vpc_id(cx.dep(&self.vpc)?)
            .health_check_path(&self.health_check_path)
            .health_check_interval_seconds(10)
            .healthy_threshold_count(2)
            .unhealthy_threshold_count(3)
            .health_check_timeout_seconds(5)
            .matcher(Matcher::builder().http_code(HEALTHY_CODES).build())
            .set_tags(Some(tags(cx)))
            .send()
            .await
            .map_err(aws("CreateTargetGroup"))?;
        out.target_groups()
            .first()
            .and_then(|t| t.target_group_arn())
            .map(str::to_string)
            .ok_or_else(|| Error::Failed("CreateTargetGroup returned no ARN".into()))
    }

    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        cx.aws
            .elb
            .delete_target_group()
            .target_group_arn(id)
            .send()
            .await
            .map_err(aws("DeleteTargetGroup"))?;
        Ok(())
    }
}

#[derive(Debug)]
pub struct LoadBalancer {
    pub name: String,
    pub subnets: Vec<String>,
    pub security_group: String,
    /// An internet-facing ALB needs the VPC's Internet gateway attached.
    pub after: Vec<String>,
}

pub struct LbInfo {
    pub arn: String,
    pub dns_name: String,
    pub zone_id: String,
    pub state: Option<LoadBalancerStateEnum>,
}

pub async fn describe_lb(
    clients: &crate::aws::Clients,
    arn: &str,
) -> Result<Option<LbInfo>, Error> {
    let out = clients
        .elb
        .describe_load_balancers()
        .load_balancer_arns(arn)
        .send()
        .await
        .map_err(aws("DescribeLoadBalancers"));
    Ok(out.or_missing()?.and_then(|o| {
        o.load_balancers().first().map(|lb| LbInfo {
            arn: lb.load_balancer_arn().unwrap_or_default().to_string(),
            dns_name: lb.dns_name().unwrap_or_default().to_string(),
            zone_id: lb
                .canonical_hosted_zone_id()
                .unwrap_or_default()
                .to_string(),
            state: lb.state().and_then(|s| s.code()).cloned(),
        })
    }))
}

#[async_trait]
impl Resource for LoadBalancer {
    fn kind(&self) -> &'static str {
        "load-balancer"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn deps(&self) -> Vec<String> {
        let mut d = self.subnets.clone();
        d.push(self.security_group.clone());
        d.extend(self.after.iter().cloned());
        d
    }

    async fn find(&self, cx: &Ctx) -> Result<Vec<String>, Error> {
        let out = cx
            .aws
            .elb
            .describe_load_balancers()
            .names(&self.name)
            .send()
            .await
            .map_err(aws("DescribeLoadBalancers"));
        let arns: Vec<String> = match out {
            Ok(o) => o
                .load_balancers()
                .iter()
                .filter_map(|l| l.load_balancer_arn().map(str::to_string))
                .collect(),
            Err(e) if e.is_not_found() => vec![],
            Err(e) => return Err(e.into()),
        };
        for arn in &arns {
            check_ours(cx, arn, "load balancer").await?;
        }
        Ok(arns)
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let subnets = self
            .subnets
            .iter()
            .map(|k| cx.dep(k).map(str::to_string))
            .collect::<Result<Vec<_>, _>>()?;
        let out = cx
            .aws
            .once
            .elb
            .create_load_balancer()
            .name(&self.name)
            .r#type(LoadBalancerTypeEnum::Application)
            .scheme(LoadBalancerSchemeEnum::InternetFacing)
            .ip_address_type(IpAddressType::Ipv4)
            .set_subnets(Some(subnets))
            .security_groups(cx.dep(&self.security_group)?)
            .set_tags(Some(tags(cx)))
            .send()
            .await
            .map_err(aws("CreateLoadBalancer"))?;
        out.load_balancers()
            .first()
            .and_then(|l| l.load_balancer_arn())
            .map(str::to_string)
            .ok_or_else(|| Error::Failed("CreateLoadBalancer returned no ARN".into()))
    }

    async fn settle(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        wait::until(
            &format!("load balancer {} to become active", self.name),
            Duration::from_secs(900),
            || async {
                match describe_lb(&cx.aws, id).await?.and_then(|l| l.state) {
                    Some(LoadBalancerStateEnum::Active) => Ok(Poll::Ready),
                    Some(LoadBalancerStateEnum::Failed) => {
                        Err(Error::Failed(format!("load balancer {} failed", self.name)))
                    }
                    None => Err(Error::Failed(format!(
                        "load balancer {} disappeared",
                        self.name
                    ))),
                    _ => Ok(Poll::Pending),
                }
            },
        )
        .await
    }

    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        cx.aws
            .elb
            .delete_load_balancer()
            .load_balancer_arn(id)
            .send()
            .await
            .map_err(aws("DeleteLoadBalancer"))?;
        Ok(())
    }

    async fn wait_deleted(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        wait::until(
            &format!("load balancer {} to be deleted", self.name),
            Duration::from_secs(900),
            || async {
                Ok(if describe_lb(&cx.aws, id).await?.is_none() {
                    Poll::Ready
                } else {
                    Poll::Pending
                })
            },
        )
        .await
    }
}

/// What a listener does with requests.
#[derive(Debug, Clone)]
pub enum ListenerAction {
    /// Send to the target group (key).
    Forward(String),
    /// 301 to the same URL over HTTPS.
    RedirectToHttps,
}

fn action(cx: &Ctx, a: &ListenerAction) -> Result<Action, Error> {
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
    })
}

#[derive(Debug)]
pub struct Listener {
    pub name: String,
    pub load_balancer: String,
    pub port: i32,
    pub action: ListenerAction,
    /// Key of the certificate node that must be issued, for HTTPS.
    pub certificate: Option<String>,
    pub after: Vec<String>,
}

async fn listeners(
    cx: &Ctx,
    lb: &str,
) -> Result<Vec<aws_sdk_elasticloadbalancingv2::types::Listener>, Error> {
    Ok(cx
        .aws
        .elb
        .describe_listeners()
        .load_balancer_arn(lb)
        .send()
        .await
        .map_err(aws("DescribeListeners"))
        .or_missing()?
        .map_or_else(Vec::new, |o| o.listeners().to_vec()))
}

#[async_trait]
impl Resource for Listener {
    fn kind(&self) -> &'static str {
        "listener"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn deps(&self) -> Vec<String> {
        let mut d = vec![self.load_balancer.clone()];
        if let ListenerAction::Forward(tg) = &self.action {
            d.push(tg.clone());
        }
        d.extend(self.certificate.iter().cloned());
        d.extend(self.after.iter().cloned());
        d
    }

    async fn find(&self, cx: &Ctx) -> Result<Vec<String>, Error> {
        let Some(lb) = cx.dep_opt(&self.load_balancer) else {
            return Ok(vec![]);
        };
        Ok(listeners(cx, lb)
            .await?
            .into_iter()
            .filter(|l| l.port() == Some(self.port))
            .filter_map(|l| l.listener_arn().map(str::to_string))
            .collect())
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
            .set_tags(Some(tags(cx)));
        call = match &self.certificate {
            Some(cert) => {
                // The certificate node's ID is `<arn>` once issued.
                let arn = super::certificate::arn_of(cx.dep(cert)?);
                call.protocol(ProtocolEnum::Https)
                    .ssl_policy(TLS_POLICY)
                    .certificates(Certificate::builder().certificate_arn(arn).build())
            }
            None => call.protocol(ProtocolEnum::Http),
        };
        let out = call.send().await.map_err(aws("CreateListener"))?;
        out.listeners()
            .first()
            .and_then(|l| l.listener_arn())
            .map(str::to_string)
            .ok_or_else(|| Error::Failed("CreateListener returned no ARN".into()))
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
#[derive(Debug)]
pub struct HttpsRedirect {
    pub name: String,
    pub http_listener: String,
    pub https_listener: String,
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
        vec![self.http_listener.clone(), self.https_listener.clone()]
    }

    async fn find(&self, cx: &Ctx) -> Result<Vec<String>, Error> {
        let Some(http) = cx.dep_opt(&self.http_listener) else {
            return Ok(vec![]);
        };
        let out = cx
            .aws
            .elb
            .describe_listeners()
            .listener_arns(http)
            .send()
            .await
            .map_err(aws("DescribeListeners"));
        let redirects = match out {
            Ok(o) => o
                .listeners()
                .iter()
                .flat_map(|l| l.default_actions())
                .any(|a| a.r#type() == Some(&ActionTypeEnum::Redirect)),
            Err(e) if e.is_not_found() => false,
            Err(e) => return Err(e.into()),
        };
        Ok(if redirects {
            vec![format!("{http}#redirect")]
        } else {
            vec![]
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
        Ok(format!("{http}#redirect"))
    }

    /// Nothing to undo: the HTTP listener itself is deleted next.
    async fn delete(&self, _cx: &Ctx, _id: &str) -> Result<(), Error> {
        Ok(())
    }
}
