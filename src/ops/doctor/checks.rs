//! The lab's HA mistakes, each a check of a `Survey` that says what is wrong, why it
//! matters (the lab's step and its classic mistake) and how to fix it: the console's
//! path and the AWS CLI command. Pure: tested on surveys built by hand.

use super::survey::Survey;
use crate::i18n::Text;
use crate::i18n::korean::{self, Josa};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    High,
    Medium,
    Info,
}

impl Severity {
    pub fn word(self, lang: crate::i18n::Lang) -> &'static str {
        match self {
            Severity::High => lang.pick("HIGH", "높음"),
            Severity::Medium => lang.pick("medium", "중간"),
            Severity::Info => lang.pick("info", "참고"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// The check's stable ID (`lb-private-subnets`).
    pub check: &'static str,
    pub severity: Severity,
    /// The resource: its name and ID.
    pub resource: String,
    pub what: Text,
    /// Why it matters, in the lab's words.
    pub why: Text,
    /// The console's path and the AWS CLI command.
    pub fix: Text,
}

/// Every check, in the order of the lab's steps.
pub fn all(s: &Survey) -> Vec<Finding> {
    let mut out = Vec::new();
    network(s, &mut out);
    security(s, &mut out);
    load_balancers(s, &mut out);
    scaling_groups(s, &mut out);
    databases(s, &mut out);
    if let Some(stack) = &s.standby_of {
        for f in out.iter_mut().filter(|f| SCALED_DOWN.contains(&f.check)) {
            f.severity = Severity::Info;
            f.why = Text::new(
                format!(
                    "{} (this VPC is hawiz stack {stack}'s failover standby: scaled down on purpose, a replica for its database, until `hawiz failover {stack}` runs it at the primary's size)",
                    f.why.en
                ),
                format!(
                    "{} (이 VPC는 hawiz 스택 {stack}의 장애 조치 대기 리전입니다: `hawiz failover {stack}`이 기본 리전 크기로 돌릴 때까지 일부러 작게, 데이터베이스는 복제본으로 둡니다)",
                    f.why.ko
                ),
            );
        }
    }
    out.sort_by_key(|f| f.severity);
    out
}

/// What a hawiz failover standby does on purpose until it fails over.
const SCALED_DOWN: [&str; 3] = ["asg-min-below-2", "db-single-az", "nat-other-az"];

fn named(name: &str, id: &str) -> String {
    if name.is_empty() || name == id {
        id.to_string()
    } else {
        format!("{name} ({id})")
    }
}

/// Step 1, the network: DNS hostnames, and each AZ's own NAT gateway.
fn network(s: &Survey, out: &mut Vec<Finding>) {
    if s.dns_hostnames == Some(false) {
        out.push(Finding {
            check: "vpc-dns-hostnames",
            severity: Severity::Medium,
            resource: named(&s.name, &s.vpc),
            what: Text::new(
                "DNS hostnames are off in this VPC",
                "이 VPC에서 DNS 호스트 이름이 꺼져 있습니다",
            ),
            why: Text::new(
                "step 1 (VPC): EFS mount names and RDS endpoints resolve to private addresses only with DNS hostnames on; instances then fail to mount the shared files",
                "1단계(VPC): DNS 호스트 이름이 켜져 있어야 EFS 마운트 이름과 RDS 엔드포인트가 프라이빗 주소로 풀립니다. 꺼져 있으면 인스턴스가 공유 파일을 마운트하지 못합니다",
            ),
            fix: Text::new(
                format!(
                    "VPC console → Your VPCs → {vpc} → Actions → Edit VPC settings → Enable DNS hostnames; or: aws ec2 modify-vpc-attribute --vpc-id {vpc} --enable-dns-hostnames",
                    vpc = s.vpc
                ),
                format!(
                    "VPC 콘솔 → VPC → {vpc} → 작업 → VPC 설정 편집 → DNS 호스트 이름 활성화, 또는: aws ec2 modify-vpc-attribute --vpc-id {vpc} --enable-dns-hostnames",
                    vpc = s.vpc
                ),
            ),
        });
    }
    // A private subnet whose NAT gateway is in another AZ: that AZ's loss cuts this one off.
    for sn in s.subnets.iter().filter(|sn| !sn.public) {
        let Some(nat) = sn.nat.as_ref() else { continue };
        let Some(n) = s.nats.iter().find(|n| &n.id == nat) else {
            continue;
        };
        let Some(nat_az) = s.subnet(&n.subnet).map(|x| x.az.clone()) else {
            continue;
        };
        if nat_az != sn.az {
            out.push(Finding {
                check: "nat-other-az",
                severity: Severity::Medium,
                resource: named(&sn.name, &sn.id),
                what: Text::new(
                    format!(
                        "this private subnet in {} goes out through NAT gateway {} in {nat_az}",
                        sn.az,
                        named(&n.name, &n.id)
                    ),
                    format!(
                        "{}의 이 프라이빗 서브넷은 {nat_az}의 NAT 게이트웨이 {} 나갑니다",
                        sn.az,
                        korean::with(&named(&n.name, &n.id), Josa::EuroRo)
                    ),
                ),
                why: Text::new(
                    format!(
                        "step 1 (NAT): one NAT gateway for several AZs means that losing {nat_az} also cuts {}'s instances off from updates and outside APIs; the lab gives each AZ its own",
                        sn.az
                    ),
                    format!(
                        "1단계(NAT): NAT 게이트웨이 하나를 여러 AZ가 쓰면 {} 잃을 때 {}의 인스턴스도 업데이트와 외부 API에 닿지 못합니다. 실습은 AZ마다 하나씩 둡니다",
                        korean::with(&nat_az, Josa::EulReul),
                        sn.az
                    ),
                ),
                fix: Text::new(
                    format!(
                        "create a NAT gateway in a public subnet of {az}, then point this subnet's route table at it: aws ec2 replace-route --route-table-id RTB --destination-cidr-block 0.0.0.0/0 --nat-gateway-id NEW-NAT (or let hawiz adopt the VPC and add it)",
                        az = sn.az
                    ),
                    format!(
                        "{az}의 퍼블릭 서브넷에 NAT 게이트웨이를 만들고 이 서브넷의 라우팅 테이블이 그것을 가리키게 하세요: aws ec2 replace-route --route-table-id RTB --destination-cidr-block 0.0.0.0/0 --nat-gateway-id NEW-NAT (또는 hawiz가 VPC를 가져와 더하게 하세요)",
                        az = sn.az
                    ),
                ),
            });
        }
    }
}

/// SSH open to the world; a database's group open to an address range.
fn security(s: &Survey, out: &mut Vec<Finding>) {
    for g in &s.groups {
        let world: Vec<&str> = g
            .ingress
            .iter()
            .filter(|r| r.covers(22))
            .flat_map(|r| r.cidrs.iter())
            .filter(|c| *c == "0.0.0.0/0" || *c == "::/0")
            .map(String::as_str)
            .collect();
        if let Some(cidr) = world.first() {
            out.push(Finding {
                check: "ssh-open-to-world",
                severity: Severity::High,
                resource: named(&g.name, &g.id),
                what: Text::new(
                    format!("SSH (port 22) is open to {cidr}"),
                    format!("SSH(포트 22)가 {cidr}에 열려 있습니다"),
                ),
                why: Text::new(
                    "step 2 (bastion): the whole internet tries passwords and keys on port 22 within minutes; the lab opens it to your own address only, and only on the bastion",
                    "2단계(배스천): 인터넷 전체가 몇 분 안에 포트 22로 암호와 키를 시도합니다. 실습은 내 주소에만, 배스천에만 엽니다",
                ),
                fix: Text::new(
                    format!(
                        "EC2 console → Security groups → {id} → Edit inbound rules → source: My IP; or: aws ec2 revoke-security-group-ingress --group-id {id} --protocol tcp --port 22 --cidr {cidr}, then authorize YOUR-IP/32",
                        id = g.id
                    ),
                    format!(
                        "EC2 콘솔 → 보안 그룹 → {id} → 인바운드 규칙 편집 → 소스: 내 IP, 또는: aws ec2 revoke-security-group-ingress --group-id {id} --protocol tcp --port 22 --cidr {cidr} 후 내-IP/32 허용",
                        id = g.id
                    ),
                ),
            });
        }
    }
    for d in &s.databases {
        for g in d.groups.iter().filter_map(|id| s.group(id)) {
            let Some(cidr) = g
                .ingress
                .iter()
                .filter(|r| r.covers(d.port))
                .flat_map(|r| r.cidrs.iter())
                .next()
            else {
                continue;
            };
            out.push(Finding {
                check: "db-open-to-cidr",
                severity: Severity::High,
                resource: named(&g.name, &g.id),
                what: Text::new(
                    format!(
                        "database {}'s group admits port {} from {cidr}, an address range, instead of the app's security group",
                        d.id, d.port
                    ),
                    format!(
                        "데이터베이스 {}의 보안 그룹이 앱 보안 그룹 대신 주소 범위 {cidr}에서 포트 {}를 허용합니다",
                        d.id, d.port
                    ),
                ),
                why: Text::new(
                    "step 3 (database): a range lets anything in it reach the database (every instance of the VPC, the bastion, whatever comes later); the lab admits only the app tier's group",
                    "3단계(데이터베이스): 주소 범위는 그 안의 모든 것(VPC의 모든 인스턴스, 배스천, 나중에 생길 것)이 데이터베이스에 닿게 합니다. 실습은 앱 계층의 보안 그룹만 허용합니다",
                ),
                fix: Text::new(
                    format!(
                        "aws ec2 authorize-security-group-ingress --group-id {id} --protocol tcp --port {port} --source-group APP-SG, then aws ec2 revoke-security-group-ingress --group-id {id} --protocol tcp --port {port} --cidr {cidr}",
                        id = g.id,
                        port = d.port
                    ),
                    format!(
                        "aws ec2 authorize-security-group-ingress --group-id {id} --protocol tcp --port {port} --source-group 앱-SG 후 aws ec2 revoke-security-group-ingress --group-id {id} --protocol tcp --port {port} --cidr {cidr}",
                        id = g.id,
                        port = d.port
                    ),
                ),
            });
        }
    }
}

/// Step 6: an internet-facing load balancer in public subnets of two AZs, with a group of
/// its own.
fn load_balancers(s: &Survey, out: &mut Vec<Finding>) {
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

/// A part that lives in one AZ only.
fn one_az(check: &'static str, resource: &str, what: &str, what_ko: &str, fix: String) -> Finding {
    Finding {
        check,
        severity: Severity::High,
        resource: resource.to_string(),
        what: Text::new(
            format!("the {what} is in one AZ only"),
            format!("{} AZ 하나에만 있습니다", korean::with(what_ko, Josa::IGa)),
        ),
        why: Text::new(
            "the whole lab: high availability means two AZs for every tier, so the loss of one AZ leaves the other serving",
            "실습 전체: 고가용성은 모든 계층을 두 AZ에 두는 것입니다. AZ 하나를 잃어도 다른 쪽이 서비스합니다",
        ),
        fix: Text::new(fix.clone(), fix),
    }
}

/// Step 7: the app tier's group across two AZs, in private subnets, at least two
/// instances, replaced when the load balancer says an instance is unhealthy.
fn scaling_groups(s: &Survey, out: &mut Vec<Finding>) {
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

/// Step 3: the database Multi-AZ, private, encrypted, backed up.
fn databases(s: &Survey, out: &mut Vec<Finding>) {
    for d in &s.databases {
        let modify = |flag: &str| {
            format!(
                "aws rds modify-db-instance --db-instance-identifier {} {flag} --apply-immediately",
                d.id
            )
        };
        let mut add = |check, severity, what: Text, why: Text, fix: String| {
            out.push(Finding {
                check,
                severity,
                resource: d.id.clone(),
                what,
                why,
                fix: Text::new(fix.clone(), fix),
            });
        };
        if !d.multi_az {
            add(
                "db-single-az",
                Severity::High,
                Text::new("the database is single-AZ", "데이터베이스가 단일 AZ입니다"),
                Text::new(
                    "step 3 (RDS): without a standby in a second AZ, the loss of its AZ (or a failed host) stops the site until the database is restored; Multi-AZ fails over in a minute or two",
                    "3단계(RDS): 두 번째 AZ에 대기 인스턴스가 없으면 그 AZ를 잃거나 호스트가 고장 날 때 복원될 때까지 사이트가 멈춥니다. 다중 AZ는 1~2분 안에 장애 조치합니다",
                ),
                modify("--multi-az"),
            );
        }
        if d.public {
            add(
                "db-public",
                Severity::High,
                Text::new(
                    "the database is publicly accessible",
                    "데이터베이스가 퍼블릭 액세스 가능입니다",
                ),
                Text::new(
                    "step 3: the database gets a public address; only the app tier needs to reach it, from inside the VPC",
                    "3단계: 데이터베이스가 퍼블릭 주소를 얻습니다. 데이터베이스에는 VPC 안의 앱 계층만 닿으면 됩니다",
                ),
                modify("--no-publicly-accessible"),
            );
        }
        if !d.encrypted {
            add(
                "db-unencrypted",
                Severity::Medium,
                Text::new(
                    "the database's storage is not encrypted",
                    "데이터베이스 스토리지가 암호화되어 있지 않습니다",
                ),
                Text::new(
                    "step 3: encryption can only be chosen at creation (or by restoring an encrypted snapshot copy), and a cross-region replica needs it",
                    "3단계: 암호화는 만들 때만 고를 수 있고(또는 암호화한 스냅샷 사본에서 복원), 리전 간 복제본에도 필요합니다",
                ),
                format!(
                    "aws rds create-db-snapshot --db-instance-identifier {id} --db-snapshot-identifier {id}-plain, copy it with --kms-key-id alias/aws/rds, restore the copy",
                    id = d.id
                ),
            );
        }
        if d.backup_days == 0 {
            add(
                "db-no-backups",
                Severity::Medium,
                Text::new("automated backups are off", "자동 백업이 꺼져 있습니다"),
                Text::new(
                    "step 3: without backups there is no point-in-time restore, and no read replica can be made",
                    "3단계: 백업이 없으면 특정 시점 복원도, 읽기 복제본도 만들 수 없습니다",
                ),
                modify("--backup-retention-period 7"),
            );
        }
    }
}

#[cfg(test)]
mod tests;
