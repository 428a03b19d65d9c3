//! Checks that need AWS but change nothing and do not belong to one resource: the chosen
//! AZs exist in the region, and an adopted VPC's subnets are what the plan says they are.
//! (What is in the way of each resource is found by the survey, per kind.)

use super::Failure;
use crate::aws::{self, Clients};
use crate::plan::{Finding, Plan, Report};

/// Errors and warnings about the plan against the account.
pub async fn check(clients: &Clients, plan: &Plan) -> Result<Report, Failure> {
    let net = &plan.network;
    if net.adopts_vpc() {
        let mut report = crate::resources::adopt::inspect(clients, net)
            .await
            .map_err(|e| Failure::failed(e.to_string()))?;
        if plan.load_balancer.waf {
            waf(clients, &mut report).await;
        }
        return Ok(report);
    }
    let out = clients
        .ec2
        .describe_availability_zones()
        .send()
        .await
        .map_err(aws::aws("DescribeAvailabilityZones"))
        .map_err(|e| Failure::failed(e.to_string()))?;
    let known: Vec<&str> = out
        .availability_zones()
        .iter()
        .filter_map(|z| z.zone_name())
        .collect();
    let mut report = Report::default();
    if plan.load_balancer.waf {
        waf(clients, &mut report).await;
    }
    for (i, az) in net.azs().iter().enumerate() {
        if !known.contains(&az.as_str()) {
            report.errors.push(Finding {
                field: format!("network.azs[{i}]"),
                message: format!(
                    "{az} is not an availability zone of {} (the region has: {})",
                    clients.region,
                    known.join(", ")
                ),
                ko: format!(
                    "{az}은(는) {}의 가용 영역이 아닙니다 (이 리전의 가용 영역: {})",
                    clients.region,
                    known.join(", ")
                ),
            });
        }
    }
    Ok(report)
}

/// AWS WAF's managed rule groups hawiz uses must exist in the region.
async fn waf(clients: &Clients, report: &mut Report) {
    let listed = clients
        .waf
        .list_available_managed_rule_groups()
        .scope(aws_sdk_wafv2::types::Scope::Regional)
        .send()
        .await
        .map_err(aws::aws("ListAvailableManagedRuleGroups"));
    match listed {
        Ok(out) => {
            let available: Vec<String> = out
                .managed_rule_groups()
                .iter()
                .filter(|g| g.vendor_name() == Some("AWS"))
                .filter_map(|g| g.name().map(str::to_string))
                .collect();
            let missing = crate::resources::waf::missing(&available);
            if !missing.is_empty() {
                report.errors.push(Finding {
                    field: "load_balancer.waf".into(),
                    message: format!(
                        "AWS WAF in {} does not offer {} (hawiz's web ACL uses them); turn WAF \
                         off for this region, or choose another region",
                        clients.region,
                        missing.join(", ")
                    ),
                    ko: format!(
                        "{}의 AWS WAF에는 {}이(가) 없습니다(hawiz의 웹 ACL이 사용합니다). 이 리전에서는 \
                         WAF를 끄거나 다른 리전을 고르세요",
                        clients.region,
                        missing.join(", ")
                    ),
                });
            }
        }
        // Could not ask (an emulator without WAF's catalogue): say so, do not guess.
        Err(e) => report.warnings.push(Finding {
            field: "load_balancer.waf".into(),
            message: format!(
                "could not check that AWS WAF offers its managed rule groups in {} ({e}); \
                 creating the web ACL will tell",
                clients.region
            ),
            ko: format!(
                "{}에서 AWS WAF 관리형 규칙 그룹을 확인할 수 없었습니다({e}). 웹 ACL을 만들 때 알 수 있습니다",
                clients.region
            ),
        }),
    }
}

/// A changed plan that would move the stack to another network: the network's resources
/// (and everything in them) cannot move, so this is refused rather than half-done.
pub fn network_switch(before: &Plan, now: &Plan) -> Option<Finding> {
    let (a, b) = (before.network.vpc_id.trim(), now.network.vpc_id.trim());
    if a == b {
        return None;
    }
    let what = |id: &str| {
        if id.is_empty() {
            "the VPC hawiz created".to_string()
        } else {
            format!("your VPC {id}")
        }
    };
    let what_ko = |id: &str| {
        if id.is_empty() {
            "hawiz가 만든 VPC".to_string()
        } else {
            format!("사용자의 VPC {id}")
        }
    };
    Some(Finding {
        field: "network.vpc_id".into(),
        message: format!(
            "this stack runs in {}; moving it to {} would rebuild every server, the database and \
             the file system's mount targets. hawiz does not do that in place: destroy the stack \
             (a final snapshot keeps the database) and apply again, or keep the VPC",
            what(a),
            what(b)
        ),
        ko: format!(
            "이 스택은 {}에서 실행 중입니다. {}(으)로 옮기면 모든 서버, 데이터베이스, 파일 시스템의 \
             탑재 대상을 다시 만들어야 합니다. hawiz는 이것을 제자리에서 하지 않습니다. 스택을 \
             삭제(최종 스냅샷이 데이터베이스를 보존)하고 다시 적용하거나, VPC를 그대로 두세요",
            what_ko(a),
            what_ko(b)
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moving_to_another_vpc_is_refused() {
        let made = Plan::default();
        let mut adopted = Plan::default();
        adopted.network.vpc_id = "vpc-0123".into();
        assert!(network_switch(&made, &made).is_none());
        let f = network_switch(&made, &adopted).unwrap();
        assert_eq!(f.field, "network.vpc_id");
        assert!(f.message.contains("your VPC vpc-0123"), "{}", f.message);
    }
}
