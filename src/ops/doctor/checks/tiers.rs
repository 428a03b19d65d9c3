//! Steps 6 and 7: the load balancer and the app tier's Auto Scaling group.

use super::super::survey::Survey;
use super::one_az;
use super::{Finding, Severity, named};
use crate::i18n::Text;

/// Step 6: an internet-facing load balancer in public subnets of two AZs, with a group of
/// its own.
pub(super) fn load_balancers(s: &Survey, out: &mut Vec<Finding>) {
    for lb in &s.load_balancers {
        let private: Vec<&str> = lb
            .subnets
            .iter()
            .filter(|id| s.subnet(id).is_some_and(|sn| !sn.public))
            .map(String::as_str)
            .collect();
        if lb.internet_facing && !private.is_empty() {
            out.push(Finding {
                check: "lb-in-private-subnets",
                severity: Severity::High,
                resource: named(&lb.name, &lb.arn),
                what: Text::new(
                    format!(
                        "the internet-facing load balancer is in subnets with no route to an Internet gateway: {}",
                        private.join(", ")
                    ),
                    format!(
                        "인터넷 연결 로드 밸런서가 인터넷 게이트웨이로 가는 경로가 없는 서브넷에 있습니다: {}",
                        private.join(", ")
                    ),
                ),
                why: Text::new(
                    "step 6 (load balancer): \"Your load balancer must be in public subnets\": in a private subnet its nodes cannot answer visitors, and the site does not load",
                    "6단계(로드 밸런서): \"로드 밸런서는 퍼블릭 서브넷에 있어야 합니다\". 프라이빗 서브넷에서는 노드가 방문자에게 응답하지 못해 사이트가 열리지 않습니다",
                ),
                fix: Text::new(
                    format!(
                        "EC2 console → Load balancers → {name} → Network mapping → Edit subnets: one public subnet per AZ; or: aws elbv2 set-subnets --load-balancer-arn {arn} --subnets PUBLIC-A PUBLIC-C",
                        name = lb.name,
                        arn = lb.arn
                    ),
                    format!(
                        "EC2 콘솔 → 로드 밸런서 → {name} → 네트워크 매핑 → 서브넷 편집: AZ마다 퍼블릭 서브넷 하나, 또는: aws elbv2 set-subnets --load-balancer-arn {arn} --subnets PUBLIC-A PUBLIC-C",
                        name = lb.name,
                        arn = lb.arn
                    ),
                ),
            });
        }
        if s.zones(&lb.subnets).len() < 2 {
            out.push(one_az(
                "lb-one-az",
                &named(&lb.name, &lb.arn),
                "load balancer",
                "로드 밸런서",
                format!(
                    "aws elbv2 set-subnets --load-balancer-arn {} --subnets SUBNET-A SUBNET-C",
                    lb.arn
                ),
            ));
        }
        if lb
            .groups
            .iter()
            .any(|g| s.group(g).is_some_and(|g| g.default))
        {
            out.push(Finding {
                check: "lb-default-sg",
                severity: Severity::Medium,
                resource: named(&lb.name, &lb.arn),
                what: Text::new(
                    "the load balancer uses the VPC's default security group",
                    "로드 밸런서가 VPC의 기본 보안 그룹을 씁니다",
                ),
                why: Text::new(
                    "step 6: the default group lets every member reach every other on every port, so the load balancer and whatever else uses it are one flat tier (an Auto Scaling group that made its own load balancer does this)",
                    "6단계: 기본 보안 그룹은 구성원끼리 모든 포트로 닿게 해 로드 밸런서와 그 그룹을 쓰는 모든 것이 한 계층이 됩니다 (Auto Scaling 그룹이 로드 밸런서를 직접 만들면 이렇게 됩니다)",
                ),
                fix: Text::new(
                    format!(
                        "make a group that admits 80 and 443 from the internet, then: aws elbv2 set-security-groups --load-balancer-arn {} --security-groups ALB-SG",
                        lb.arn
                    ),
                    format!(
                        "인터넷에서 80과 443을 허용하는 그룹을 만든 뒤: aws elbv2 set-security-groups --load-balancer-arn {} --security-groups ALB-SG",
                        lb.arn
                    ),
                ),
            });
        }
    }
}

/// Step 7: the app tier's group across two AZs, in private subnets, at least two
/// instances, replaced when the load balancer says an instance is unhealthy.
pub(super) fn scaling_groups(s: &Survey, out: &mut Vec<Finding>) {
    for g in &s.scaling_groups {
        let res = g.name.clone();
        if s.zones(&g.subnets).len() < 2 {
            out.push(one_az(
                "asg-one-az",
                &res,
                "Auto Scaling group",
                "Auto Scaling 그룹",
                format!(
                    "aws autoscaling update-auto-scaling-group --auto-scaling-group-name {} --vpc-zone-identifier PRIVATE-A,PRIVATE-C",
                    g.name
                ),
            ));
        }
        if g.min < 2 {
            out.push(Finding {
                check: "asg-min-below-2",
                severity: Severity::High,
                resource: res.clone(),
                what: Text::new(
                    format!("the group's minimum is {}", g.min),
                    format!("그룹의 최소 크기가 {}입니다", g.min),
                ),
                why: Text::new(
                    "step 7 (Auto Scaling): with fewer than two instances, one failure (or one AZ) takes the site down until a replacement boots",
                    "7단계(Auto Scaling): 인스턴스가 둘보다 적으면 장애 하나(또는 AZ 하나)로 대체 인스턴스가 부팅될 때까지 사이트가 멈춥니다",
                ),
                fix: Text::new(
                    format!(
                        "aws autoscaling update-auto-scaling-group --auto-scaling-group-name {} --min-size 2",
                        g.name
                    ),
                    format!(
                        "aws autoscaling update-auto-scaling-group --auto-scaling-group-name {} --min-size 2",
                        g.name
                    ),
                ),
            });
        }
        if g.health_check == "EC2" && g.target_groups > 0 {
            let cmd = format!(
                "aws autoscaling update-auto-scaling-group --auto-scaling-group-name {} --health-check-type ELB --health-check-grace-period 300",
                g.name
            );
            out.push(Finding {
                check: "asg-ec2-health-check",
                severity: Severity::Medium,
                resource: res.clone(),
                what: Text::new(
                    "the group replaces instances on EC2's status checks only",
                    "그룹이 EC2 상태 검사만으로 인스턴스를 교체합니다",
                ),
                why: Text::new(
                    "step 7: an instance whose web server is down still passes EC2's checks, so it keeps its place while the load balancer sends it nothing; the lab turns on the ELB health check",
                    "7단계: 웹 서버가 멈춘 인스턴스도 EC2 검사는 통과해, 로드 밸런서가 요청을 보내지 않는데도 자리를 지킵니다. 실습은 ELB 상태 검사를 켭니다",
                ),
                fix: Text::new(cmd.clone(), cmd),
            });
        }
        if let Some(f) = unbalanced(s, g) {
            out.push(f);
        }
        let public: Vec<&str> = g
            .subnets
            .iter()
            .filter(|id| s.subnet(id).is_some_and(|sn| sn.public))
            .map(String::as_str)
            .collect();
        if !public.is_empty() {
            out.push(Finding {
                check: "app-in-public-subnets",
                severity: Severity::Medium,
                resource: res,
                what: Text::new(
                    format!(
                        "the app tier runs in subnets with a route to an Internet gateway: {}",
                        public.join(", ")
                    ),
                    format!(
                        "앱 계층이 인터넷 게이트웨이로 가는 경로가 있는 서브넷에서 돕니다: {}",
                        public.join(", ")
                    ),
                ),
                why: Text::new(
                    "step 7: app instances belong in private subnets behind the load balancer; in public ones any port a group opens faces the internet",
                    "7단계: 앱 인스턴스는 로드 밸런서 뒤의 프라이빗 서브넷에 둡니다. 퍼블릭 서브넷에서는 보안 그룹이 연 포트가 모두 인터넷을 향합니다",
                ),
                fix: Text::new(
                    format!(
                        "aws autoscaling update-auto-scaling-group --auto-scaling-group-name {} --vpc-zone-identifier PRIVATE-A,PRIVATE-C",
                        g.name
                    ),
                    format!(
                        "aws autoscaling update-auto-scaling-group --auto-scaling-group-name {} --vpc-zone-identifier PRIVATE-A,PRIVATE-C",
                        g.name
                    ),
                ),
            });
        }
    }
}

/// An outdated TLS policy: one that still takes TLS 1.0 or 1.1 (every policy named for
/// TLS 1.2 or 1.3 refuses them).
fn outdated(policy: &str) -> bool {
    !(policy.contains("TLS13") || policy.contains("TLS-1-2") || policy.contains("FS-1-2"))
}

/// Step 8 (HTTPS): HTTP sent on to HTTPS, a current TLS policy, certificates issued and
/// not about to expire.
pub(super) fn listeners(s: &Survey, out: &mut Vec<Finding>) {
    for lb in &s.load_balancers {
        let https = lb.listeners.iter().any(|l| l.protocol == "HTTPS");
        for l in &lb.listeners {
            if https && l.protocol == "HTTP" && !l.redirects_to_https {
                let cmd = format!(
                    "aws elbv2 modify-listener --listener-arn {} --default-actions 'Type=redirect,RedirectConfig={{Protocol=HTTPS,Port=443,StatusCode=HTTP_301}}'",
                    l.arn
                );
                out.push(Finding {
                    check: "http-not-redirected",
                    severity: Severity::Medium,
                    resource: named(&lb.name, &l.arn),
                    what: Text::new(
                        format!("port {} serves HTTP instead of sending visitors to HTTPS", l.port),
                        format!(
                            "포트 {} 방문자를 HTTPS로 보내지 않고 HTTP로 서비스합니다",
                            crate::i18n::korean::with(&l.port.to_string(), crate::i18n::korean::Josa::IGa)
                        ),
                    ),
                    why: Text::new(
                        "step 8 (HTTPS): visitors who type the address land on plain HTTP, where logins travel in clear and WordPress mixes HTTP and HTTPS links (Mixed Content)",
                        "8단계(HTTPS): 주소를 입력한 방문자가 일반 HTTP로 들어와 로그인이 암호화 없이 오가고, WordPress가 HTTP와 HTTPS 링크를 섞습니다(혼합 콘텐츠)",
                    ),
                    fix: Text::new(cmd.clone(), cmd),
                });
            }
            // Only where TLS ends on the listener (an emulator names a policy on HTTP too).
            let tls = l.protocol == "HTTPS" || l.protocol == "TLS";
            if let Some(policy) = l.ssl_policy.as_deref().filter(|p| tls && outdated(p)) {
                let cmd = format!(
                    "aws elbv2 modify-listener --listener-arn {} --ssl-policy ELBSecurityPolicy-TLS13-1-2-2021-06",
                    l.arn
                );
                out.push(Finding {
                    check: "tls-policy-outdated",
                    severity: Severity::Medium,
                    resource: named(&lb.name, &l.arn),
                    what: Text::new(
                        format!("the HTTPS listener's TLS policy {policy} still takes TLS 1.0 or 1.1"),
                        format!("HTTPS 리스너의 TLS 정책 {policy}가 아직 TLS 1.0이나 1.1을 받습니다"),
                    ),
                    why: Text::new(
                        "step 8: TLS 1.0 and 1.1 are deprecated (RFC 8996); AWS's current policies allow TLS 1.2 and 1.3 only",
                        "8단계: TLS 1.0과 1.1은 폐기되었습니다(RFC 8996). AWS의 현재 정책은 TLS 1.2와 1.3만 허용합니다",
                    ),
                    fix: Text::new(cmd.clone(), cmd),
                });
            }
        }
    }
    for c in &s.certificates {
        if c.status != "ISSUED" {
            out.push(Finding {
                check: "cert-not-issued",
                severity: Severity::High,
                resource: named(&c.domain, &c.arn),
                what: Text::new(
                    format!("the certificate a listener serves is {}", c.status),
                    format!("리스너가 쓰는 인증서의 상태가 {}입니다", c.status),
                ),
                why: Text::new(
                    "step 8: browsers refuse a site whose certificate is not issued or has expired",
                    "8단계: 발급되지 않았거나 만료된 인증서의 사이트는 브라우저가 거부합니다",
                ),
                fix: Text::new(
                    format!("aws acm describe-certificate --certificate-arn {} (its DNS validation record must be in the domain's zone), or request a new one and put it on the listener", c.arn),
                    format!("aws acm describe-certificate --certificate-arn {} (DNS 검증 레코드가 도메인의 영역에 있어야 합니다), 또는 새로 요청해 리스너에 다세요", c.arn),
                ),
            });
        } else if let Some(days) = c.days_left.filter(|d| *d < 30) {
            out.push(Finding {
                check: "cert-expiring",
                severity: Severity::Medium,
                resource: named(&c.domain, &c.arn),
                what: Text::new(
                    format!("the certificate expires in {days} days"),
                    format!("인증서가 {days}일 뒤 만료됩니다"),
                ),
                why: Text::new(
                    "step 8: ACM renews a DNS-validated certificate by itself only while its validation record stays in the zone",
                    "8단계: ACM은 검증 레코드가 영역에 남아 있을 때만 DNS 검증 인증서를 스스로 갱신합니다",
                ),
                fix: Text::new(
                    format!("aws acm describe-certificate --certificate-arn {} --query Certificate.RenewalSummary", c.arn),
                    format!("aws acm describe-certificate --certificate-arn {} --query Certificate.RenewalSummary", c.arn),
                ),
            });
        }
    }
}

/// Step 5 (launch template) and the group's scaling: IMDSv2, encrypted volumes, a
/// policy that adds instances under load.
pub(super) fn templates(s: &Survey, out: &mut Vec<Finding>) {
    for g in &s.scaling_groups {
        if let Some(t) = &g.template {
            if !t.imds_v2 {
                let cmd = format!(
                    "aws ec2 create-launch-template-version --launch-template-name {} --source-version '$Default' --launch-template-data '{{\"MetadataOptions\":{{\"HttpTokens\":\"required\"}}}}', then make it the default",
                    t.name
                );
                out.push(Finding {
                    check: "lt-imdsv1",
                    severity: Severity::Medium,
                    resource: t.name.clone(),
                    what: Text::new(
                        "the launch template allows instance metadata without a token (IMDSv1)",
                        "시작 템플릿이 토큰 없는 인스턴스 메타데이터(IMDSv1)를 허용합니다",
                    ),
                    why: Text::new(
                        "step 5 (launch template): with IMDSv1 a request forgery in the site can read the instance role's credentials; IMDSv2 needs a token no forged request carries",
                        "5단계(시작 템플릿): IMDSv1에서는 사이트의 요청 위조로 인스턴스 역할의 자격 증명을 읽을 수 있습니다. IMDSv2는 위조된 요청에 없는 토큰을 요구합니다",
                    ),
                    fix: Text::new(cmd.clone(), cmd),
                });
            }
            if t.unencrypted_volume {
                out.push(Finding {
                    check: "lt-unencrypted-volume",
                    severity: Severity::Medium,
                    resource: t.name.clone(),
                    what: Text::new(
                        "the launch template defines a volume that is not encrypted",
                        "시작 템플릿에 암호화하지 않은 볼륨이 있습니다",
                    ),
                    why: Text::new(
                        "step 5: an instance's disk holds the site's configuration and logs; EBS encryption costs nothing",
                        "5단계: 인스턴스의 디스크에는 사이트 설정과 로그가 있습니다. EBS 암호화는 비용이 없습니다",
                    ),
                    fix: Text::new(
                        format!("a new version of {} with \"Encrypted\": true on each volume (or: aws ec2 enable-ebs-encryption-by-default)", t.name),
                        format!("각 볼륨에 \"Encrypted\": true를 둔 {}의 새 버전 (또는: aws ec2 enable-ebs-encryption-by-default)", t.name),
                    ),
                });
            }
        }
        if g.policies == 0 {
            out.push(Finding {
                check: "asg-no-scaling-policy",
                severity: Severity::Info,
                resource: g.name.clone(),
                what: Text::new("the group has no scaling policy", "그룹에 조정 정책이 없습니다"),
                why: Text::new(
                    "step 7: without one it stays at its desired size however busy the site gets; the lab tracks the average CPU",
                    "7단계: 정책이 없으면 사이트가 아무리 바빠도 원하는 크기 그대로입니다. 실습은 평균 CPU를 추적합니다",
                ),
                fix: Text::new(
                    format!("aws autoscaling put-scaling-policy --auto-scaling-group-name {} --policy-name cpu50 --policy-type TargetTrackingScaling --target-tracking-configuration '{{\"PredefinedMetricSpecification\":{{\"PredefinedMetricType\":\"ASGAverageCPUUtilization\"}},\"TargetValue\":50}}'", g.name),
                    format!("aws autoscaling put-scaling-policy --auto-scaling-group-name {} --policy-name cpu50 --policy-type TargetTrackingScaling --target-tracking-configuration '{{\"PredefinedMetricSpecification\":{{\"PredefinedMetricType\":\"ASGAverageCPUUtilization\"}},\"TargetValue\":50}}'", g.name),
                ),
            });
        }
    }
}

/// Step 7: the group's instances spread over its AZs (AWS Trusted Advisor's "EC2
/// Availability Zone Balance"): one AZ two or more instances ahead of another.
fn unbalanced(s: &Survey, g: &crate::ops::doctor::survey::ScalingGroup) -> Option<Finding> {
    let zones = s.zones(&g.subnets);
    if zones.len() < 2 || g.instance_zones.len() < 2 {
        return None;
    }
    let counts: Vec<(String, usize)> = zones
        .iter()
        .map(|z| {
            (
                z.clone(),
                g.instance_zones.iter().filter(|i| *i == z).count(),
            )
        })
        .collect();
    let most = counts.iter().map(|(_, n)| *n).max()?;
    let least = counts.iter().map(|(_, n)| *n).min()?;
    if most - least < 2 {
        return None;
    }
    let spread: Vec<String> = counts.iter().map(|(z, n)| format!("{z}: {n}")).collect();
    let spread = spread.join(", ");
    let (cause, cause_ko, fix) = if g.rebalance_suspended {
        (
            "its AZRebalance process is suspended, so it never evens them out",
            "AZRebalance 프로세스가 일시 중지되어 그룹이 고르게 맞추지 않습니다",
            format!(
                "aws autoscaling resume-processes --auto-scaling-group-name {} --scaling-processes AZRebalance",
                g.name
            ),
        )
    } else {
        (
            "the group evens them out by itself unless an AZ lacks capacity; its activity says why",
            "AZ에 용량이 모자라지 않으면 그룹이 스스로 고르게 맞춥니다. 활동 기록에 이유가 있습니다",
            format!(
                "aws autoscaling describe-scaling-activities --auto-scaling-group-name {}",
                g.name
            ),
        )
    };
    Some(Finding {
        check: "asg-unbalanced",
        severity: Severity::Medium,
        resource: g.name.clone(),
        what: Text::new(
            format!("the group's instances are unevenly spread over its AZs ({spread})"),
            format!("그룹의 인스턴스가 AZ에 고르지 않게 퍼져 있습니다 ({spread})"),
        ),
        why: Text::new(
            format!(
                "step 7: losing the fuller AZ takes most of the site's capacity at once; {cause}"
            ),
            format!(
                "7단계: 인스턴스가 많은 AZ를 잃으면 사이트 용량 대부분이 한꺼번에 사라집니다. {cause_ko}"
            ),
        ),
        fix: Text::new(fix.clone(), fix),
    })
}
