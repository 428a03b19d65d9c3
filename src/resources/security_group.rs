//! A security group with exactly the ingress rules of its tier. Rules that point at another
//! group (the app tier admits only the load balancer's group) make the tiers explicit:
//! world → ALB → app → database / file system; SSH only from the bastion. Any other
//! rule (an SSH rule opened to the world in the console) is drift: status reports it and
//! apply removes it.

use super::tags;
use crate::aws::aws;
use crate::aws::ec2::filter;
use crate::engine::inspection::{Inspection, Inspector};
use crate::engine::settings::{Actual, Change, Setting, Value};
use crate::engine::{Ctx, Error, Found, Resource, Swept};
use async_trait::async_trait;
use aws_sdk_ec2::types::{
    IpPermission, IpRange, Ipv6Range, PrefixListId, ResourceType, UserIdGroupPair,
};

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
    /// Key of the node that owns this group's ingress once it exists (the origin lock
    /// narrows a load balancer's to CloudFront when CloudFront serves the site): `rules`
    /// are then only what the group starts with, and not a difference to undo.
    pub ingress_owner: Option<String>,
}

/// One ingress rule as it is in AWS: its words for the diff and the exact permission to
/// revoke it with.
pub(crate) struct Seen {
    /// "443 from 0.0.0.0/0", "80 from sg-…", "443 from pl-…".
    pub text: String,
    pub permission: IpPermission,
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
pub(crate) fn seen(group: &aws_sdk_ec2::types::SecurityGroup) -> Vec<Seen> {
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
        for l in p.prefix_list_ids() {
            let id = l.prefix_list_id().unwrap_or_default();
            out.push(Seen {
                text: format!("{what} from {id}"),
                permission: base()
                    .prefix_list_ids(PrefixListId::builder().prefix_list_id(id).build())
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

    /// Add the rules of `rules` that `actual` lacks.
    async fn open(&self, cx: &Ctx, id: &str, actual: &[Seen]) -> Result<(), Error> {
        let missing = self
            .rules
            .iter()
            .filter(|r| !actual.iter().any(|s| s.text == Self::text(cx, r)))
            .map(|r| Self::permission(cx, r))
            .collect::<Result<Vec<_>, _>>()?;
        if !missing.is_empty() {
            cx.ec2_once()
                .authorize_security_group_ingress()
                .group_id(id)
                .set_ip_permissions(Some(missing))
                .send()
                .await
                .map_err(aws("AuthorizeSecurityGroupIngress"))?;
        }
        Ok(())
    }

    pub(crate) async fn describe(
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

/// Remove these rules from the group (one call; nothing to do for none).
pub(crate) async fn revoke(
    cx: &Ctx,
    group: &str,
    rules: impl Iterator<Item = Seen>,
) -> Result<(), Error> {
    let extra: Vec<IpPermission> = rules.map(|s| s.permission).collect();
    if !extra.is_empty() {
        cx.ec2_once()
            .revoke_security_group_ingress()
            .group_id(group)
            .set_ip_permissions(Some(extra))
            .send()
            .await
            .map_err(aws("RevokeSecurityGroupIngress"))?;
    }
    Ok(())
}

/// Its wiring as the inspector shows it.
async fn inspector(c: &crate::aws::Clients, id: &str) -> Result<Inspection, String> {
    let mut out = Inspection::default();
    let out = &mut out;
    let r = c
        .ec2
        .describe_security_groups()
        .group_ids(id)
        .send()
        .await
        .map_err(aws("DescribeSecurityGroups"))
        .map_err(|e| e.to_string())?;
    let Some(g) = r.security_groups().first() else {
        return Err(format!("{id} was not found"));
    };
    // Name the groups rules point at, as the console does.
    let mut names: Vec<(String, String)> = vec![(
        id.to_string(),
        g.group_name().unwrap_or_default().to_string(),
    )];
    let referenced: Vec<String> = g
        .ip_permissions()
        .iter()
        .chain(g.ip_permissions_egress())
        .flat_map(|p| p.user_id_group_pairs())
        .filter_map(|p| p.group_id().map(str::to_string))
        .filter(|x| x != id)
        .collect();
    if !referenced.is_empty()
        && let Ok(r) = c
            .ec2
            .describe_security_groups()
            .set_group_ids(Some(referenced))
            .send()
            .await
    {
        for g in r.security_groups() {
            if let (Some(i), Some(n)) = (g.group_id(), g.group_name()) {
                names.push((i.to_string(), n.to_string()));
            }
        }
    }
    let name_of = |gid: &str| {
        names
            .iter()
            .find(|(i, _)| i == gid)
            .map_or_else(|| gid.to_string(), |(i, n)| format!("{i} ({n})"))
    };
    if let Some(d) = g.description() {
        out.item(d.to_string());
    }
    for (egress, perms) in [
        (false, g.ip_permissions()),
        (true, g.ip_permissions_egress()),
    ] {
        if egress {
            out.head(
                "Outbound rules (port ← destination)",
                "아웃바운드 규칙 (포트 ← 대상)",
            );
        } else {
            out.head(
                "Inbound rules (port ← source)",
                "인바운드 규칙 (포트 ← 소스)",
            );
        }
        if perms.is_empty() {
            out.item("-");
        }
        for p in perms {
            let proto = match p.ip_protocol().unwrap_or("?") {
                "-1" => "all".to_string(),
                other => other.to_string(),
            };
            let ports = match (p.from_port(), p.to_port()) {
                (Some(a), Some(b)) if a == b => format!("{proto} {a}"),
                (Some(-1), _) | (None, _) => proto.clone(),
                (Some(a), Some(b)) => format!("{proto} {a}-{b}"),
                (Some(a), None) => format!("{proto} {a}"),
            };
            let mut sources: Vec<String> = Vec::new();
            sources.extend(
                p.ip_ranges()
                    .iter()
                    .filter_map(|r| r.cidr_ip().map(str::to_string)),
            );
            sources.extend(
                p.ipv6_ranges()
                    .iter()
                    .filter_map(|r| r.cidr_ipv6().map(str::to_string)),
            );
            sources.extend(
                p.user_id_group_pairs()
                    .iter()
                    .filter_map(|g| g.group_id().map(name_of)),
            );
            sources.extend(
                p.prefix_list_ids()
                    .iter()
                    .filter_map(|l| l.prefix_list_id().map(str::to_string)),
            );
            for s in sources {
                out.item(format!("{ports:<10} ← {s}"));
            }
        }
    }
    out.note(
        "Tiers trust each other by security group, not by address: the app allows 80 only from the load balancer's group, the database 3306 only from the app's.",
        "계층끼리는 주소가 아니라 보안 그룹으로 신뢰합니다. 앱은 로드 밸런서의 보안 그룹에서 오는 80만, 데이터베이스는 앱의 보안 그룹에서 오는 3306만 허용합니다.",
    );
    Ok(std::mem::take(out))
}

#[async_trait]
impl Resource for SecurityGroup {
    fn kind(&self) -> &'static str {
        "security-group"
    }
    fn name(&self) -> &str {
        &self.name
    }

    fn inspector(&self) -> Option<Inspector> {
        Some(|clients, id| Box::pin(inspector(clients, id)))
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

    /// A group whose ingress another node owns starts with `rules` (only when it has no
    /// rule at all: before that node narrowed it, or a run cut right after the create).
    async fn settle(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        if self.ingress_owner.is_none() {
            return Ok(());
        }
        match Self::describe(cx, id).await? {
            Some(g) if g.ip_permissions().is_empty() => self.open(cx, id, &[]).await,
            _ => Ok(()),
        }
    }

    fn desired(&self, cx: &Ctx) -> Vec<Setting> {
        let mut out = vec![Setting::replace(
            "vpc",
            cx.dep_or_new(&self.vpc),
            "a security group cannot move to another VPC",
        )];
        if self.ingress_owner.is_none() {
            out.push(Setting::update(
                "ingress",
                Value::set(self.rules.iter().map(|r| Self::text(cx, r))),
            ));
        }
        out
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
        self.open(cx, id, &actual).await?;
        revoke(
            cx,
            id,
            actual.into_iter().filter(|s| !wanted.contains(&s.text)),
        )
        .await
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
