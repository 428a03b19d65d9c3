//! A security group with exactly the ingress rules of its tier. Rules that point at another
//! group (the app tier admits only the load balancer's group) make the tiers explicit:
//! world → ALB → app → database / file system; SSH only from the bastion.

use crate::aws::ec2::filter;
use crate::aws::{aws, ec2};
use crate::engine::{Ctx, Error, Resource};
use async_trait::async_trait;
use aws_sdk_ec2::types::{IpPermission, IpRange, ResourceType, UserIdGroupPair};

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

/// One ingress rule as AWS reports it, normalised: (port, cidr or group id).
type Seen = (u16, Source);

impl SecurityGroup {
    fn wanted(&self, cx: &Ctx) -> Result<Vec<Seen>, Error> {
        self.rules
            .iter()
            .map(|r| {
                Ok((
                    r.port,
                    match &r.from {
                        Source::Cidr(c) => Source::Cidr(c.clone()),
                        Source::Group(key) => Source::Group(cx.dep(key)?.to_string()),
                    },
                ))
            })
            .collect()
    }

    fn permission(&self, cx: &Ctx, port: u16, from: &Source) -> IpPermission {
        let why = self
            .rules
            .iter()
            .find(|r| {
                r.port == port
                    && match (&r.from, from) {
                        (Source::Cidr(a), Source::Cidr(b)) => a == b,
                        (Source::Group(k), Source::Group(id)) => cx.dep_opt(k) == Some(id),
                        _ => false,
                    }
            })
            .map(|r| r.why.clone());
        let p = IpPermission::builder()
            .ip_protocol("tcp")
            .from_port(i32::from(port))
            .to_port(i32::from(port));
        match from {
            Source::Cidr(c) => {
                p.ip_ranges(IpRange::builder().cidr_ip(c).set_description(why).build())
            }
            Source::Group(id) => p.user_id_group_pairs(
                UserIdGroupPair::builder()
                    .group_id(id)
                    .set_description(why)
                    .build(),
            ),
        }
        .build()
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

    async fn find(&self, cx: &Ctx) -> Result<Vec<String>, Error> {
        let out = cx
            .ec2()
            .describe_security_groups()
            .set_filters(Some(ec2::tag_filters(cx)))
            .send()
            .await
            .map_err(aws("DescribeSecurityGroups"))?;
        Ok(out
            .security_groups()
            .iter()
            .filter(|g| ec2::is_ours(cx, g.tags()))
            .filter_map(|g| g.group_id().map(str::to_string))
            .collect())
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let out = cx
            .ec2_once()
            .create_security_group()
            .group_name(&self.name)
            .description(&self.description)
            .vpc_id(cx.dep(&self.vpc)?)
            .tag_specifications(ec2::tag_spec(cx, ResourceType::SecurityGroup))
            .send()
            .await
            .map_err(aws("CreateSecurityGroup"))?;
        out.group_id()
            .map(str::to_string)
            .ok_or_else(|| Error::Failed("CreateSecurityGroup returned no group ID".into()))
    }

    /// Make the ingress rules exactly the wanted ones: add what is missing and remove what
    /// is extra (an old SSH address, a rule someone opened to the world by hand).
    async fn settle(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        let wanted = self.wanted(cx)?;
        let out = cx
            .ec2()
            .describe_security_groups()
            .filters(filter("group-id", id))
            .send()
            .await
            .map_err(aws("DescribeSecurityGroups"))?;
        let mut seen: Vec<Seen> = Vec::new();
        for p in out
            .security_groups()
            .iter()
            .flat_map(|g| g.ip_permissions())
        {
            let port = p
                .from_port()
                .and_then(|p| u16::try_from(p).ok())
                .unwrap_or(0);
            let same_port = p.from_port() == p.to_port() && p.ip_protocol() == Some("tcp");
            for r in p.ip_ranges() {
                let src = Source::Cidr(r.cidr_ip().unwrap_or_default().to_string());
                seen.push((if same_port { port } else { 0 }, src));
            }
            for g in p.user_id_group_pairs() {
                let src = Source::Group(g.group_id().unwrap_or_default().to_string());
                seen.push((if same_port { port } else { 0 }, src));
            }
        }
        let missing: Vec<IpPermission> = wanted
            .iter()
            .filter(|w| !seen.contains(w))
            .map(|(port, from)| self.permission(cx, *port, from))
            .collect();
        let extra: Vec<IpPermission> = seen
            .iter()
            .filter(|s| !wanted.contains(s) && s.0 != 0)
            .map(|(port, from)| self.permission(cx, *port, from))
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
}
