//! Checks that need AWS but change nothing and do not belong to one resource: the fields
//! with a known set of values (the region's AZs, the instance types it offers, the DB
//! classes orderable for the engine, the key pairs) and an adopted VPC's subnets being
//! what the plan says they are. (What is in the way of each resource is found by the
//! survey, per kind.)

use super::Failure;
use crate::aws::{self, Clients};
use crate::plan::validate::known::{self, Known};
use crate::plan::{Finding, Plan, Report};

/// Errors and warnings about the plan against the account. Its reads are independent of
/// each other and run at once: they come before anything is created, so their time is
/// added to every build.
pub async fn check(clients: &Clients, plan: &Plan) -> Result<Report, Failure> {
    let failed = |e: aws::AwsError| Failure::failed(e.to_string());
    let standby = plan.standby();
    let there = standby.as_ref().map(|s| clients.in_region(s.region()));
    let (adopted, waf_findings, here, theirs) = tokio::join!(
        async {
            if plan.network.adopts_vpc() {
                crate::resources::adopt::inspect(clients, &plan.network)
                    .await
                    .map_err(|e| Failure::failed(e.to_string()))
            } else {
                Ok(Report::default())
            }
        },
        async {
            let mut report = Report::default();
            if plan.load_balancer.waf {
                waf(clients, &mut report).await;
            }
            report
        },
        read_known(clients, plan),
        async {
            match (&standby, &there) {
                (Some(standby), Some(there)) => Some(read_known(there, standby).await),
                _ => None,
            }
        },
    );
    let mut report = adopted?;
    report.errors.extend(waf_findings.errors);
    report.warnings.extend(waf_findings.warnings);
    known::check(plan, &here.map_err(failed)?, &mut report);
    // The standby region must offer the same instance type and database class, and the
    // zones its network is placed in: refused at the standby's region, which decides it.
    if let (Some(standby), Some(sets)) = (&standby, theirs) {
        let mut theirs = Report::default();
        known::check(standby, &sets.map_err(failed)?, &mut theirs);
        report
            .errors
            .extend(theirs.errors.into_iter().map(|f| Finding {
                field: "failover.region".into(),
                ..f
            }));
    }
    Ok(report)
}

/// Read the sets the plan's fields are checked against, all at once. An emulator that
/// does not know a catalogue (moto lists no orderable MariaDB classes) leaves that set
/// unknown.
pub async fn read_known(clients: &Clients, plan: &Plan) -> Result<Known, aws::AwsError> {
    let (azs, instance_types, db_classes, key_pairs) = tokio::join!(
        azs(clients),
        instance_types(clients, plan),
        db_classes(clients, plan),
        key_pairs(clients, plan),
    );
    Ok(Known {
        azs: Some(azs?),
        instance_types: Some(instance_types?),
        db_classes: db_classes?,
        key_pairs: key_pairs?,
    })
}

async fn azs(clients: &Clients) -> Result<Vec<String>, aws::AwsError> {
    Ok(clients
        .ec2
        .describe_availability_zones()
        .send()
        .await
        .map_err(aws::aws("DescribeAvailabilityZones"))?
        .availability_zones()
        .iter()
        .filter_map(|z| z.zone_name().map(str::to_string))
        .collect())
}

/// Which of the plan's instance types the region offers.
async fn instance_types(clients: &Clients, plan: &Plan) -> Result<Vec<String>, aws::AwsError> {
    let mut wanted = vec![plan.app.instance_type.clone()];
    if plan.bastion.enabled {
        wanted.push(plan.bastion.instance_type.clone());
    }
    Ok(clients
        .ec2
        .describe_instance_type_offerings()
        .location_type(aws_sdk_ec2::types::LocationType::Region)
        .filters(
            aws_sdk_ec2::types::Filter::builder()
                .name("instance-type")
                .set_values(Some(wanted))
                .build(),
        )
        .send()
        .await
        .map_err(aws::aws("DescribeInstanceTypeOfferings"))?
        .instance_type_offerings()
        .iter()
        .filter_map(|o| o.instance_type().map(|t| t.as_str().to_string()))
        .collect())
}

/// The plan's database class if it is orderable for the engine; an empty set when it is
/// not but others are; unknown when the catalogue lists none at all.
async fn db_classes(clients: &Clients, plan: &Plan) -> Result<Option<Vec<String>>, aws::AwsError> {
    let engine = match plan.database.engine {
        crate::plan::Engine::Mariadb => "mariadb",
        crate::plan::Engine::Mysql => "mysql",
    };
    let class = &plan.database.instance_class;
    let orderable = |class: Option<&str>| {
        clients
            .rds
            .describe_orderable_db_instance_options()
            .engine(engine)
            .set_db_instance_class(class.map(str::to_string))
            .max_records(20)
            .send()
    };
    let for_class = orderable(Some(class))
        .await
        .map_err(aws::aws("DescribeOrderableDBInstanceOptions"))?;
    if !for_class.orderable_db_instance_options().is_empty() {
        return Ok(Some(vec![class.clone()]));
    }
    let any = orderable(None)
        .await
        .map_err(aws::aws("DescribeOrderableDBInstanceOptions"))?;
    // No class at all for the engine: the catalogue is unknown here, not empty.
    Ok((!any.orderable_db_instance_options().is_empty()).then(Vec::new))
}

async fn key_pairs(clients: &Clients, plan: &Plan) -> Result<Option<Vec<String>>, aws::AwsError> {
    if !plan.bastion.enabled || plan.bastion.key_name.trim().is_empty() {
        return Ok(None);
    }
    Ok(Some(
        clients
            .ec2
            .describe_key_pairs()
            .send()
            .await
            .map_err(aws::aws("DescribeKeyPairs"))?
            .key_pairs()
            .iter()
            .filter_map(|k| k.key_name().map(str::to_string))
            .collect(),
    ))
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
                        "{}의 AWS WAF에는 {} 없습니다(hawiz의 웹 ACL이 사용합니다). 이 리전에서는 \
                         WAF를 끄거나 다른 리전을 고르세요",
                        clients.region,
                        crate::i18n::korean::with(&missing.join(", "), crate::i18n::korean::Josa::IGa)
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
            "이 스택은 {}에서 실행 중입니다. {} 옮기면 모든 서버, 데이터베이스, 파일 시스템의 \
             탑재 대상을 다시 만들어야 합니다. hawiz는 이것을 제자리에서 하지 않습니다. 스택을 \
             삭제(최종 스냅샷이 데이터베이스를 보존)하고 다시 적용하거나, VPC를 그대로 두세요",
            what_ko(a),
            crate::i18n::korean::with(&what_ko(b), crate::i18n::korean::Josa::EuroRo)
        ),
    })
}

/// After `hawiz failover` the standby is the site: a plan that drops `[failover]` or moves
/// it to another region would delete it.
pub fn failover_switch(before: &Plan, now: &Plan) -> Option<Finding> {
    let f = before.failover.as_ref()?;
    let at = f.failed_over.as_ref()?;
    let same = now
        .failover
        .as_ref()
        .is_some_and(|n| n.region.trim() == f.region.trim());
    if same {
        return None;
    }
    let (stack, region) = (&before.stack.name, f.region.trim());
    Some(Finding {
        field: "failover".into(),
        message: format!(
            "stack {stack:?} failed over to {region} at {at}: its standby there is the site now, \
             and this plan would delete it. Keep [failover] with region = \"{region}\" until \
             you have failed back (`hawiz failback {stack}`)"
        ),
        ko: format!(
            "스택 {stack}의 장애 조치가 {at}에 {} 이루어졌습니다. 그곳의 대기 스택이 이제 \
             사이트이고, 이 계획은 그것을 지웁니다. 되돌아가기 전까지 [failover]와 region = \
             \"{region}\"을 그대로 두세요 (`hawiz failback {stack}`)",
            crate::i18n::korean::with(region, crate::i18n::korean::Josa::EuroRo)
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
