//! A security group with exactly the ingress rules of its tier. Rules that point at another
//! group (the app tier admits only the load balancer's group) make the tiers explicit:
//! world → ALB → app → database / file system; SSH only from the bastion. Any other
//! rule (an SSH rule opened to the world in the console) is drift: status reports it and
//! apply removes it.

use super::tags;
use crate::aws::aws;
use crate::aws::ec2::filter;
use crate::engine::settings::{Actual, Change, Setting, Value};
use crate::engine::{Ctx, Error, Found, Resource, Swept};
use async_trait::async_trait;
use aws_sdk_ec2::types::{IpPermission, IpRange, Ipv6Range, ResourceType, UserIdGroupPair};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Cidr(String),
    /// Key of another security group node.
    Group(String),
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub port: u16,
    pub from: Source,
    /// Shown in the console next to the rule.
    pub why: String,
}

#[derive(Debug)]
pub struct SecurityGroup {
    pub name: String,
    pub vpc: String,
    pub description: String,
    pub rules: Vec<Rule>,
}

/// One ingress rule as it is in AWS: its words for the diff and the exact permission to
/// revoke it with.
struct Seen {
    text: String,
    permission: IpPermission,
}

fn ports(p: &IpPermission) -> String {
    match (p.ip_protocol(), p.from_port(), p.to_port()) {
        (Some("-1"), _, _) => "all traffic".into(),
        (Some("tcp"), Some(a), Some(b)) if a == b => a.to_string(),
        (proto, a, b) => format!(
            "{} {}-{}",
            proto.unwrap_or("?"),
            a.unwrap_or(0),
            b.unwrap_or(0)
        ),
    }
}

/// Every (rule, source) pair of a group's ingress, one permission each.
fn seen(group: &aws_sdk_ec2::types::SecurityGroup) -> Vec<Seen> {
    let mut out = Vec::new();
    for p in group.ip_permissions() {
        let base = || {
            IpPermission::builder()
                .set_ip_protocol(p.ip_protocol().map(str::to_string))
                .set_from_port(p.from_port())
                .set_to_port(p.to_port())
        };
        let what = ports(p);
        for r in p.ip_ranges() {
            let cidr = r.cidr_ip().unwrap_or_default();
            out.push(Seen {
                text: format!("{what} from {cidr}"),
                permission: base()
                    .ip_ranges(IpRange::builder().cidr_ip(cidr).build())
                    .build(),
            });
        }
        for r in p.ipv6_ranges() {
            let cidr = r.cidr_ipv6().unwrap_or_default();
            out.push(Seen {
                text: format!("{what} from {cidr}"),
                permission: base()
                    .ipv6_ranges(Ipv6Range::builder().cidr_ipv6(cidr).build())
                    .build(),
            });
        }
        for g in p.user_id_group_pairs() {
            let id = g.group_id().unwrap_or_default();
            // The description is repeated: moto matches a revoke on it (AWS does not mind).
            let pair = UserIdGroupPair::builder()
                .group_id(id)
                .set_user_id(g.user_id().map(str::to_string))
                .set_description(g.description().map(str::to_string))
                .build();
            out.push(Seen {
                text: format!("{what} from {id}"),
                permission: base().user_id_group_pairs(pair).build(),
            });
        }
    }
    out
}

impl SecurityGroup {
    fn source(cx: &Ctx, from: &Source) -> String {
        match from {
            Source::Cidr(c) => c.clone(),
            Source::Group(key) => cx.dep_or_new(key),
        }
    }

    fn text(cx: &Ctx, r: &Rule) -> String {
        format!("{} from {}", r.port, Self::source(cx, &r.from))
    }

    fn permission(cx: &Ctx, r: &Rule) -> Result<IpPermission, Error> {
        let p = IpPermission::builder()
            .ip_protocol("tcp")
            .from_port(i32::from(r.port))
            .to_port(i32::from(r.port));
        Ok(match &r.from {
            Source::Cidr(c) => p.ip_ranges(
                IpRange::builder()
                    .cidr_ip(c)
                    .description(r.why.as_str())
                    .build(),
            ),
            Source::Group(key) => p.user_id_group_pairs(
                UserIdGroupPair::builder()
                    .group_id(cx.dep(key)?)
                    .description(r.why.as_str())
                    .build(),
            ),
        }
        .build())
    }

    async fn describe(
        cx: &Ctx,
        id: &str,
    ) -> Result<Option<aws_sdk_ec2::types::SecurityGroup>, Error> {
        let out = cx
            .ec2()
            .describe_security_groups()
            .filters(filter("group-id", id))
            .send()
            .await
            .map_err(aws("DescribeSecurityGroups"))?;
        Ok(out.security_groups().first().cloned())
    }
}

#[async_trait]
impl Resource for SecurityGroup {
    fn kind(&self) -> &'static str {
        "security-group"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn deps(&self) -> Vec<String> {
        let mut d = vec![self.vpc.clone()];
        for r in &self.rules {
            if let Source::Group(k) = &r.from
                && !d.contains(k)
            {
                d.push(k.clone());
            }
        }
        d
    }
    fn console(&self, id: &str, region: &str) -> Option<String> {
        Some(super::console::ec2(
            region,
            &format!("SecurityGroup:groupId={id}"),
        ))
    }

    /// Found by tags. Group names are unique per VPC; in a VPC of the user's, a group
    /// with this name that is not this stack's is in the way.
    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        let out = cx
            .ec2()
            .describe_security_groups()
            .set_filters(Some(tags::ec2_filters(cx)))
            .send()
            .await
            .map_err(aws("DescribeSecurityGroups"))?;
        let mut found = Found::tagged(
            out.security_groups()
                .iter()
                .filter(|g| tags::ec2_ours(cx, g.tags()))
                .filter_map(|g| g.group_id().map(str::to_string))
                .collect(),
        );
        if found.ours.is_empty()
            && let Some(vpc) = cx.dep_opt(&self.vpc)
        {
            let named = cx
                .ec2()
                .describe_security_groups()
                .filters(filter("vpc-id", vpc))
                .filters(filter("group-name", &self.name))
                .send()
                .await
                .map_err(aws("DescribeSecurityGroups"))?;
            for g in named.security_groups() {
                found.foreign.push(crate::engine::foreign(
                    cx,
                    "security group",
                    g.group_name().unwrap_or(&self.name),
                    "stack.name",
                ));
            }
        }
        Ok(found)
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let out = cx
            .ec2_once()
            .create_security_group()
            .group_name(&self.name)
            .description(&self.description)
            .vpc_id(cx.dep(&self.vpc)?)
            .tag_specifications(tags::ec2_spec(cx, ResourceType::SecurityGroup))
            .send()
            .await
            .map_err(aws("CreateSecurityGroup"))?;
        out.group_id()
            .map(str::to_string)
            .ok_or_else(|| Error::Failed("CreateSecurityGroup returned no group ID".into()))
    }

    fn desired(&self, cx: &Ctx) -> Vec<Setting> {
        vec![
            Setting::replace(
                "vpc",
                cx.dep_or_new(&self.vpc),
                "a security group cannot move to another VPC",
            ),
            Setting::update(
                "ingress",
                Value::set(self.rules.iter().map(|r| Self::text(cx, r))),
            ),
        ]
    }

    async fn read(&self, cx: &Ctx, id: &str) -> Result<Actual, Error> {
        let mut a = Actual::new();
        if let Some(g) = Self::describe(cx, id).await? {
            a.insert("vpc", g.vpc_id().unwrap_or_default().into());
            a.insert("ingress", Value::set(seen(&g).into_iter().map(|s| s.text)));
        }
        Ok(a)
    }

    /// Make the ingress rules exactly the wanted ones: add what is missing and remove what
    /// is extra (an old SSH address, a rule someone opened to the world by hand).
    async fn update(&self, cx: &Ctx, id: &str, _changes: &[Change]) -> Result<(), Error> {
        let Some(group) = Self::describe(cx, id).await? else {
            return Err(Error::Failed(format!("security group {id} is gone")));
        };
        let actual = seen(&group);
        let wanted: Vec<String> = self.rules.iter().map(|r| Self::text(cx, r)).collect();
        let missing = self
            .rules
            .iter()
            .filter(|r| !actual.iter().any(|s| s.text == Self::text(cx, r)))
            .map(|r| Self::permission(cx, r))
            .collect::<Result<Vec<_>, _>>()?;
        let extra: Vec<IpPermission> = actual
            .into_iter()
            .filter(|s| !wanted.contains(&s.text))
            .map(|s| s.permission)
            .collect();
        if !missing.is_empty() {
            cx.ec2_once()
                .authorize_security_group_ingress()
                .group_id(id)
                .set_ip_permissions(Some(missing))
                .send()
                .await
                .map_err(aws("AuthorizeSecurityGroupIngress"))?;
        }
        if !extra.is_empty() {
            cx.ec2_once()
                .revoke_security_group_ingress()
                .group_id(id)
                .set_ip_permissions(Some(extra))
                .send()
                .await
                .map_err(aws("RevokeSecurityGroupIngress"))?;
        }
        Ok(())
    }

    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        cx.ec2()
            .delete_security_group()
            .group_id(id)
            .send()
            .await
            .map_err(aws("DeleteSecurityGroup"))?;
        Ok(())
    }

    async fn sweep(&self, cx: &Ctx) -> Result<Vec<Swept>, Error> {
        // Every page: a large account's answer may not fit in one.
        let mut pages = cx
            .ec2()
            .describe_security_groups()
            .filters(tags::ec2_stack_filter(&cx.stack))
            .into_paginator()
            .send();
        let mut out = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(aws("DescribeSecurityGroups"))?;
            out.extend(
                page.security_groups()
                    .iter()
                    .filter_map(|g| tags::ec2_swept(&cx.stack, g.group_id(), g.tags())),
            );
        }
        Ok(out)
    }
}
