//! Steps 1 and 2: the network (DNS hostnames, each AZ's own NAT gateway) and the
//! security groups (SSH open to the world, a database's group open to a range).

use super::super::survey::Survey;
use super::{Finding, Severity, named};
use crate::i18n::Text;
use crate::i18n::korean::{self, Josa};

/// Step 1, the network: DNS hostnames, and each AZ's own NAT gateway.
pub(super) fn network(s: &Survey, out: &mut Vec<Finding>) {
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
pub(super) fn security(s: &Survey, out: &mut Vec<Finding>) {
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
                        "데이터베이스 {}의 보안 그룹이 앱 보안 그룹 대신 주소 범위 {cidr}에서 포트 {} 허용합니다",
                        d.id,
                        korean::with(&d.port.to_string(), Josa::EulReul)
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
