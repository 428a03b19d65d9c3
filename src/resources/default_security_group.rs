//! A new VPC's default security group, left with no rules: every VPC has one, anything
//! launched without a group gets it, and AWS opens it to itself and to everything
//! outbound. hawiz never uses it; emptying it means a forgotten group cannot open a path
//! (CIS AWS Foundations 5.4). Only in a VPC hawiz creates: a user's own VPC is theirs.

use crate::aws::aws;
use crate::aws::ec2::filter;
use crate::engine::settings::{Actual, Change, Setting, Value};
use crate::engine::{Ctx, Error, Found, Proof, Resource};
use async_trait::async_trait;
use aws_sdk_ec2::types::IpPermission;

#[derive(Debug)]
pub struct DefaultSecurityGroup {
    pub name: String,
    pub vpc: String,
}

async fn group(cx: &Ctx, vpc: &str) -> Result<Option<aws_sdk_ec2::types::SecurityGroup>, Error> {
    let out = cx
        .ec2()
        .describe_security_groups()
        .filters(filter("vpc-id", vpc))
        .filters(filter("group-name", "default"))
        .send()
        .await
        .map_err(aws("DescribeSecurityGroups"))?;
    Ok(out.security_groups().first().cloned())
}

fn count(rules: &[IpPermission]) -> String {
    let n: usize = rules
        .iter()
        .map(|p| {
            p.ip_ranges().len()
                + p.ipv6_ranges().len()
                + p.user_id_group_pairs().len()
                + p.prefix_list_ids().len()
        })
        .sum();
    if n == 0 {
        "none".into()
    } else {
        format!("{n} rule(s)")
    }
}

#[async_trait]
impl Resource for DefaultSecurityGroup {
    fn kind(&self) -> &'static str {
        "default-sg"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn deps(&self) -> Vec<String> {
        vec![self.vpc.clone()]
    }
    fn kept(&self) -> Option<(&'static str, &'static str)> {
        Some(("goes with its VPC", "VPC와 함께 사라집니다"))
    }
    fn console(&self, id: &str, region: &str) -> Option<String> {
        Some(super::console::ec2(
            region,
            &format!("SecurityGroup:groupId={id}"),
        ))
    }

    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        let Some(vpc) = cx.dep_opt(&self.vpc) else {
            return Ok(Found::none());
        };
        Ok(Found::with(
            group(cx, vpc)
                .await?
                .and_then(|g| g.group_id().map(str::to_string))
                .into_iter()
                .collect(),
            Proof::Parent,
        ))
    }

    /// AWS makes it with the VPC; there is nothing to create.
    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let vpc = cx.dep(&self.vpc)?;
        group(cx, vpc)
            .await?
            .and_then(|g| g.group_id().map(str::to_string))
            .ok_or_else(|| Error::Failed(format!("VPC {vpc} has no default security group yet")))
    }

    fn desired(&self, _cx: &Ctx) -> Vec<Setting> {
        vec![
            Setting::update("inbound rules", Value::from("none")),
            Setting::update("outbound rules", Value::from("none")),
        ]
    }

    async fn read(&self, cx: &Ctx, _id: &str) -> Result<Actual, Error> {
        let mut a = Actual::new();
        if let Some(vpc) = cx.dep_opt(&self.vpc)
            && let Some(g) = group(cx, vpc).await?
        {
            a.insert("inbound rules", count(g.ip_permissions()).into());
            a.insert("outbound rules", count(g.ip_permissions_egress()).into());
        }
        Ok(a)
    }

    async fn update(&self, cx: &Ctx, id: &str, _changes: &[Change]) -> Result<(), Error> {
        let Some(g) = group(cx, cx.dep(&self.vpc)?).await? else {
            return Ok(());
        };
        let mut revoked = Ok(());
        if !g.ip_permissions().is_empty() {
            revoked = cx
                .ec2_once()
                .revoke_security_group_ingress()
                .group_id(id)
                .set_ip_permissions(Some(g.ip_permissions().to_vec()))
                .send()
                .await
                .map(|_| ())
                .map_err(aws("RevokeSecurityGroupIngress"));
        }
        if revoked.is_ok() && !g.ip_permissions_egress().is_empty() {
            revoked = cx
                .ec2_once()
                .revoke_security_group_egress()
                .group_id(id)
                .set_ip_permissions(Some(g.ip_permissions_egress().to_vec()))
                .send()
                .await
                .map(|_| ())
                .map_err(aws("RevokeSecurityGroupEgress"));
        }
        match revoked {
            // AWS makes this group untagged with the VPC, and a deployer policy may tag
            // only what a create makes, so no tag condition can name it: with hawiz's own
            // policy the revoke is refused. Nothing hawiz launches uses the group; say
            // what an administrator runs, and go on.
            Err(e) if e.is_denied() => {
                cx.warn(
                    format!(
                        "could not empty the VPC's default security group {id} ({e}): AWS makes \
                     it untagged, so hawiz's deployer policy cannot name it. Nothing hawiz \
                     launches uses it; an administrator empties it (CIS 5.4) with: aws ec2 \
                     revoke-security-group-ingress --region {r} --group-id {id} \
                     --security-group-rule-ids $(aws ec2 describe-security-group-rules \
                     --region {r} --filters Name=group-id,Values={id} --query \
                     'SecurityGroupRules[?!IsEgress].SecurityGroupRuleId' --output text), and \
                     the same with revoke-security-group-egress and IsEgress",
                        r = cx.aws.region
                    ),
                    format!(
                        "VPC의 기본 보안 그룹 {} 비우지 못했습니다({e}). AWS가 이 그룹을 태그 \
                     없이 만들어 hawiz의 배포 정책이 가리킬 수 없습니다. hawiz가 띄우는 것은 이 \
                     그룹을 쓰지 않습니다. 관리자가 다음으로 비웁니다(CIS 5.4): aws ec2 \
                     revoke-security-group-ingress --region {r} --group-id {id} \
                     --security-group-rule-ids $(aws ec2 describe-security-group-rules \
                     --region {r} --filters Name=group-id,Values={id} --query \
                     'SecurityGroupRules[?!IsEgress].SecurityGroupRuleId' --output text). \
                     revoke-security-group-egress와 IsEgress로도 같이 합니다",
                        crate::i18n::korean::with(id, crate::i18n::korean::Josa::EulReul),
                        r = cx.aws.region
                    ),
                );
                Ok(())
            }
            other => other.map_err(Error::from),
        }
    }

    /// Goes with its VPC.
    async fn delete(&self, _cx: &Ctx, _id: &str) -> Result<(), Error> {
        Ok(())
    }
}
