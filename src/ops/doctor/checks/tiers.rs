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
