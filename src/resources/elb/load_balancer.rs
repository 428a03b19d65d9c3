//! The internet-facing Application Load Balancer in the public subnets. It drops HTTP
//! headers with invalid fields (request smuggling) and publishes its DNS name and zone
//! for the alias record.

use super::{arn_suffix, claim, sweep_arns, tags};
use crate::aws::{OrMissing, aws};
use crate::engine::Fact;
use crate::engine::charge::{Charge, Role};
use crate::engine::inspection::{Inspection, Inspector};
use crate::engine::settings::{Actual, Change, Setting, Value};
use crate::engine::wait::{self, Poll};
use crate::engine::{Ctx, Error, Found, Outputs, Resource, Swept};
use async_trait::async_trait;
use aws_sdk_elasticloadbalancingv2::types::{
    IpAddressType, LoadBalancerAttribute, LoadBalancerSchemeEnum, LoadBalancerStateEnum,
    LoadBalancerTypeEnum,
};
use std::time::Duration;

const DROP_INVALID: &str = "routing.http.drop_invalid_header_fields.enabled";

#[derive(Debug)]
pub struct LoadBalancer {
    pub name: String,
    pub subnets: Vec<String>,
    pub security_group: String,
    /// An internet-facing ALB needs the VPC's Internet gateway attached.
    pub after: Vec<String>,
}

async fn describe(
    cx: &Ctx,
    arn: &str,
) -> Result<Option<aws_sdk_elasticloadbalancingv2::types::LoadBalancer>, Error> {
    let out = cx
        .aws
        .elb
        .describe_load_balancers()
        .load_balancer_arns(arn)
        .send()
        .await
        .map_err(aws("DescribeLoadBalancers"));
    Ok(out
        .or_missing()?
        .and_then(|o| o.load_balancers().first().cloned()))
}

/// Its wiring as the inspector shows it.
async fn inspector(c: &crate::aws::Clients, arn: &str) -> Result<Inspection, String> {
    let mut out = Inspection::default();
    let out = &mut out;
    let r = c
        .elb
        .describe_load_balancers()
        .load_balancer_arns(arn)
        .send()
        .await
        .map_err(aws("DescribeLoadBalancers"))
        .map_err(|e| e.to_string())?;
    let Some(lb) = r.load_balancers().first() else {
        return Err(format!("{arn} was not found"));
    };
    out.head("Load balancer", "로드 밸런서");
    out.item(format!(
        "{} · {}",
        lb.scheme().map_or("?", |s| s.as_str()),
        lb.dns_name().unwrap_or("?")
    ));
    out.item(format!(
        "security groups: {}",
        lb.security_groups().join(", ")
    ));
    out.head("Subnets", "서브넷");
    for z in lb.availability_zones() {
        out.item(format!(
            "{}  {}",
            z.zone_name().unwrap_or("?"),
            z.subnet_id().unwrap_or("?")
        ));
    }
    Ok(std::mem::take(out))
}

#[async_trait]
impl Resource for LoadBalancer {
    fn kind(&self) -> &'static str {
        "load-balancer"
    }
    fn name(&self) -> &str {
        &self.name
    }

    fn inspector(&self) -> Option<Inspector> {
        Some(|clients, id| Box::pin(inspector(clients, id)))
    }
    fn facts(&self, ready: &crate::engine::Dep) -> Vec<Fact> {
        ready
            .outputs
            .get("dns name")
            .map(|dns| Fact::LoadBalancer { dns: dns.clone() })
            .into_iter()
            .collect()
    }
    /// Its hours, and one public address per node (one per AZ, at least two).
    fn charges(&self) -> Vec<Charge> {
        let nodes = u32::try_from(self.subnets.len()).unwrap_or(u32::MAX).max(2);
        vec![
            Charge::LoadBalancer,
            Charge::PublicIpv4 {
                holder: Role::LoadBalancer,
                count: nodes,
            },
        ]
    }
    fn deps(&self) -> Vec<String> {
        let mut d = self.subnets.clone();
        d.push(self.security_group.clone());
        d.extend(self.after.iter().cloned());
        d
    }
    fn typical(&self) -> Duration {
        Duration::from_secs(180)
    }
    fn console(&self, _id: &str, region: &str) -> Option<String> {
        Some(crate::resources::console::ec2(
            region,
            &format!("LoadBalancers:search={}", self.name),
        ))
    }

    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
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
        claim(cx, arns, "load balancer", &self.name).await
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
            .set_tags(Some(tags::elb(cx)))
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
                let state = describe(cx, id)
                    .await?
                    .and_then(|l| l.state().and_then(|s| s.code()).cloned());
                match state {
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

    fn desired(&self, cx: &Ctx) -> Vec<Setting> {
        vec![
            Setting::replace(
                "scheme",
                "internet-facing",
                "a load balancer's scheme cannot be changed",
            ),
            Setting::update(
                "subnets",
                Value::set(self.subnets.iter().map(|k| cx.dep_or_new(k))),
            ),
            Setting::update(
                "security groups",
                Value::set([cx.dep_or_new(&self.security_group)]),
            ),
            Setting::update("drop invalid header fields", true),
        ]
    }

    async fn read(&self, cx: &Ctx, id: &str) -> Result<Actual, Error> {
        let mut a = Actual::new();
        let Some(lb) = describe(cx, id).await? else {
            return Ok(a);
        };
        a.insert(
            "scheme",
            lb.scheme().map(|s| s.as_str()).unwrap_or_default().into(),
        );
        a.insert(
            "subnets",
            Value::set(lb.availability_zones().iter().filter_map(|z| z.subnet_id())),
        );
        a.insert("security groups", Value::set(lb.security_groups()));
        let attrs = cx
            .aws
            .elb
            .describe_load_balancer_attributes()
            .load_balancer_arn(id)
            .send()
            .await
            .map_err(aws("DescribeLoadBalancerAttributes"))?;
        let drop = attrs
            .attributes()
            .iter()
            .any(|x| x.key() == Some(DROP_INVALID) && x.value() == Some("true"));
        a.insert("drop invalid header fields", drop.into());
        Ok(a)
    }

    async fn update(&self, cx: &Ctx, id: &str, changes: &[Change]) -> Result<(), Error> {
        let elb = &cx.aws.once.elb;
        for c in changes {
            match c.name {
                "subnets" => {
                    let subnets = self
                        .subnets
                        .iter()
                        .map(|k| cx.dep(k).map(str::to_string))
                        .collect::<Result<Vec<_>, _>>()?;
                    elb.set_subnets()
                        .load_balancer_arn(id)
                        .set_subnets(Some(subnets))
                        .send()
                        .await
                        .map_err(aws("SetSubnets"))?;
                }
                "security groups" => {
                    elb.set_security_groups()
                        .load_balancer_arn(id)
                        .security_groups(cx.dep(&self.security_group)?)
                        .send()
                        .await
                        .map_err(aws("SetSecurityGroups"))?;
                }
                "drop invalid header fields" => {
                    elb.modify_load_balancer_attributes()
                        .load_balancer_arn(id)
                        .attributes(
                            LoadBalancerAttribute::builder()
                                .key(DROP_INVALID)
                                .value("true")
                                .build(),
                        )
                        .send()
                        .await
                        .map_err(aws("ModifyLoadBalancerAttributes"))?;
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Its DNS name and zone (for the alias record) and its metric name (for alarms).
    async fn outputs(&self, cx: &Ctx, id: &str) -> Result<Outputs, Error> {
        let mut o = Outputs::new();
        if let Some(lb) = describe(cx, id).await? {
            o.insert(
                "dns name".into(),
                lb.dns_name().unwrap_or_default().to_string(),
            );
            o.insert(
                "zone".into(),
                lb.canonical_hosted_zone_id()
                    .unwrap_or_default()
                    .to_string(),
            );
            o.insert("metric name".into(), arn_suffix(id));
        }
        Ok(o)
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
                Ok(if describe(cx, id).await?.is_none() {
                    Poll::Ready
                } else {
                    Poll::Pending
                })
            },
        )
        .await
    }

    async fn sweep(&self, cx: &Ctx) -> Result<Vec<Swept>, Error> {
        let mut arns = Vec::new();
        let mut pages = cx.aws.elb.describe_load_balancers().into_paginator().send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(aws("DescribeLoadBalancers"))?;
            arns.extend(
                page.load_balancers()
                    .iter()
                    .filter_map(|l| l.load_balancer_arn().map(str::to_string)),
            );
        }
        sweep_arns(cx, arns).await
    }
}
