//! Step 8 (Route 53): the site's name on the load balancer, not on one instance; a
//! failover record that can actually fail over.

use super::super::survey::{Record, Survey};
use super::{Finding, Severity};
use crate::i18n::Text;

fn resource(r: &Record) -> String {
    match &r.set_id {
        Some(id) => format!("{} {} ({id}, zone {})", r.name, r.kind, r.zone),
        None => format!("{} {} (zone {})", r.name, r.kind, r.zone),
    }
}

pub(super) fn records(s: &Survey, out: &mut Vec<Finding>) {
    let lb = s.load_balancers.iter().find(|lb| lb.internet_facing);
    for r in &s.records {
        let instance = s.instances.iter().find(|i| {
            r.values.iter().any(|v| {
                let v = v.trim_end_matches('.').to_ascii_lowercase();
                i.public_ip.as_deref() == Some(v.as_str()) || i.public_dns.as_deref() == Some(&v)
            })
        });
        if let (Some(i), None) = (instance, &r.alias) {
            let who = super::named(&i.name, &i.id);
            let fix = match lb {
                Some(lb) => format!(
                    "aws route53 change-resource-record-sets --hosted-zone-id {} --change-batch '{{\"Changes\":[{{\"Action\":\"UPSERT\",\"ResourceRecordSet\":{{\"Name\":\"{}\",\"Type\":\"A\",\"AliasTarget\":{{\"HostedZoneId\":\"{}\",\"DNSName\":\"{}\",\"EvaluateTargetHealth\":true}}}}}}]}}'{}",
                    r.zone,
                    r.name,
                    lb.zone_id,
                    lb.dns_name,
                    if r.kind == "A" {
                        ""
                    } else {
                        " (delete the old record first: an alias A cannot replace another type)"
                    }
                ),
                None => "put an internet-facing load balancer in front of the group (or let hawiz adopt the VPC and build it), then make the record an alias to it".to_string(),
            };
            out.push(Finding {
                check: "dns-at-instance",
                severity: Severity::High,
                resource: resource(r),
                what: Text::new(
                    format!("the site's name points at instance {who}, not at the load balancer"),
                    format!("사이트 이름이 로드 밸런서가 아니라 인스턴스 {who}를 가리킵니다"),
                ),
                why: Text::new(
                    "step 8 (Route 53): visitors skip the load balancer, so the other instances and the other AZ never serve them, and the site goes dark when Auto Scaling replaces that one instance (its address goes with it)",
                    "8단계(Route 53): 방문자가 로드 밸런서를 거치지 않아 다른 인스턴스와 다른 AZ가 서비스하지 못하고, Auto Scaling이 그 인스턴스를 교체하면 주소도 사라져 사이트가 멈춥니다",
                ),
                fix: Text::new(fix.clone(), fix),
            });
        }
        if r.failover.is_none() {
            continue;
        }
        match &r.health_check {
            Some(h) if h.disabled || h.inverted => {
                let (state, state_ko, flag) = if h.disabled {
                    ("disabled", "비활성화", "--no-disabled")
                } else {
                    ("inverted", "반전", "--no-inverted")
                };
                let fix = format!(
                    "aws route53 update-health-check --health-check-id {} {flag}",
                    h.id
                );
                out.push(Finding {
                    check: "dns-health-check-off",
                    severity: Severity::High,
                    resource: resource(r),
                    what: Text::new(
                        format!("the failover record's health check {} is {state}", h.id),
                        format!("장애 조치 레코드의 상태 검사 {}가 {state_ko}되어 있습니다", h.id),
                    ),
                    why: Text::new(
                        "the failover lab: Route 53 counts a disabled health check as healthy and an inverted one as the opposite of what it sees, so the record fails over never or always (a drill that inverts it must turn it back)",
                        "장애 조치 실습: Route 53은 비활성화된 상태 검사를 정상으로, 반전된 검사는 본 것과 반대로 셉니다. 그래서 장애 조치가 전혀 안 되거나 늘 됩니다 (반전하는 훈련은 끝나면 되돌려야 합니다)",
                    ),
                    fix: Text::new(fix.clone(), fix),
                });
            }
            Some(_) => {}
            None if r.failover.as_deref() == Some("PRIMARY")
                && !(r.alias.is_some() && r.evaluate_target_health) =>
            {
                let fix = format!(
                    "aws route53 create-health-check --caller-reference $(date +%s) --health-check-config Type=HTTPS,FullyQualifiedDomainName={},ResourcePath=/,RequestInterval=10,FailureThreshold=3, then UPSERT this record with \"HealthCheckId\"",
                    r.name
                );
                out.push(Finding {
                    check: "dns-failover-no-check",
                    severity: Severity::High,
                    resource: resource(r),
                    what: Text::new(
                        "the PRIMARY failover record has no health check (and does not evaluate its target's health)",
                        "PRIMARY 장애 조치 레코드에 상태 검사가 없습니다 (대상 상태 평가도 꺼져 있음)",
                    ),
                    why: Text::new(
                        "the failover lab: Route 53 then takes the primary as healthy forever and never answers with the SECONDARY, so the standby never gets visitors",
                        "장애 조치 실습: 그러면 Route 53이 기본 레코드를 영원히 정상으로 여겨 SECONDARY로 답하지 않으므로, 대기 쪽에 방문자가 가지 않습니다",
                    ),
                    fix: Text::new(fix.clone(), fix),
                });
            }
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::survey::*;
    use super::super::all;

    fn checks(s: &Survey) -> Vec<&'static str> {
        all(s).iter().map(|f| f.check).collect()
    }

    fn site() -> Survey {
        Survey {
            vpc: "vpc-1a2b3c4d".into(),
            dns_hostnames: Some(true),
            load_balancers: vec![LoadBalancer {
                name: "alb".into(),
                arn: "arn:alb".into(),
                internet_facing: true,
                dns_name: "alb-1.ap-northeast-2.elb.amazonaws.com".into(),
                zone_id: "ZWKZPGTI48KDX".into(),
                ..LoadBalancer::default()
            }],
            instances: vec![Instance {
                id: "i-0abc".into(),
                name: "web".into(),
                public_ip: Some("203.0.113.7".into()),
                public_dns: None,
            }],
            ..Survey::default()
        }
    }

    fn record(name: &str) -> Record {
        Record {
            zone: "Z1".into(),
            name: name.into(),
            kind: "A".into(),
            ..Record::default()
        }
    }

    #[test]
    fn a_record_at_an_instance_address() {
        let mut s = site();
        s.records = vec![Record {
            values: vec!["203.0.113.7".into()],
            ..record("example.com")
        }];
        let found = all(&s);
        let f = found.iter().find(|f| f.check == "dns-at-instance").unwrap();
        assert!(f.what.en.contains("web (i-0abc)"), "{}", f.what.en);
        assert!(
            f.fix
                .en
                .contains("\"DNSName\":\"alb-1.ap-northeast-2.elb.amazonaws.com\"")
        );
        s.records[0].values.clear();
        s.records[0].alias = Some("alb-1.ap-northeast-2.elb.amazonaws.com".into());
        assert!(!checks(&s).contains(&"dns-at-instance"));
    }

    #[test]
    fn a_primary_without_a_check_and_a_disabled_or_inverted_check() {
        let mut s = site();
        s.records = vec![Record {
            failover: Some("PRIMARY".into()),
            set_id: Some("primary".into()),
            alias: Some("d111.cloudfront.net".into()),
            ..record("example.com")
        }];
        assert!(checks(&s).contains(&"dns-failover-no-check"));
        // An alias that evaluates its target's health fails over without a check.
        s.records[0].alias = Some("alb-1.ap-northeast-2.elb.amazonaws.com".into());
        s.records[0].evaluate_target_health = true;
        assert!(!checks(&s).contains(&"dns-failover-no-check"));
        s.records[0].health_check = Some(HealthCheck {
            id: "hc-1".into(),
            disabled: true,
            inverted: false,
        });
        let found = all(&s);
        let f = found
            .iter()
            .find(|f| f.check == "dns-health-check-off")
            .unwrap();
        assert!(f.fix.en.ends_with("--no-disabled"), "{}", f.fix.en);
        s.records[0].health_check = Some(HealthCheck {
            id: "hc-1".into(),
            disabled: false,
            inverted: true,
        });
        let found = all(&s);
        let f = found
            .iter()
            .find(|f| f.check == "dns-health-check-off")
            .unwrap();
        assert!(f.what.ko.contains("반전"), "{}", f.what.ko);
        s.records[0].health_check.as_mut().unwrap().inverted = false;
        assert!(!checks(&s).iter().any(|c| c.starts_with("dns-")));
    }
}
