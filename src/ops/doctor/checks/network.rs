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
    public_without_igw(s, out);
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

/// Step 1: a subnet meant to be public (named so, or giving its instances public
/// addresses) with no route to an Internet gateway; a NAT gateway in such a subnet.
fn public_without_igw(s: &Survey, out: &mut Vec<Finding>) {
    for sn in s.subnets.iter().filter(|sn| !sn.public) {
        let lower = sn.name.to_ascii_lowercase();
        let meant = sn.map_public_ip || lower.contains("public") || sn.name.contains("퍼블릭");
        if meant {
            let fix = format!(
                "aws ec2 associate-route-table --route-table-id PUBLIC-RTB --subnet-id {} (the table whose 0.0.0.0/0 goes to the Internet gateway)",
                sn.id
            );
            out.push(Finding {
                check: "public-subnet-without-igw",
                severity: Severity::Medium,
                resource: named(&sn.name, &sn.id),
                what: Text::new(
                    "this subnet is meant to be public but has no route to an Internet gateway",
                    "이 서브넷은 퍼블릭으로 만들었지만 인터넷 게이트웨이로 가는 경로가 없습니다",
                ),
                why: Text::new(
                    "step 1 (VPC): a subnet is public only by its route table (0.0.0.0/0 → the Internet gateway); without it, a load balancer, bastion or NAT gateway put there cannot reach or be reached from the internet",
                    "1단계(VPC): 서브넷은 라우팅 테이블(0.0.0.0/0 → 인터넷 게이트웨이)로만 퍼블릭이 됩니다. 그 경로가 없으면 그곳의 로드 밸런서, 배스천, NAT 게이트웨이가 인터넷과 통하지 못합니다",
                ),
                fix: Text::new(fix.clone(), fix),
            });
        }
    }
    for n in &s.nats {
        let Some(sn) = s.subnet(&n.subnet).filter(|sn| !sn.public) else {
            continue;
        };
        out.push(Finding {
            check: "nat-in-private-subnet",
            severity: Severity::High,
            resource: named(&n.name, &n.id),
            what: Text::new(
                format!(
                    "the NAT gateway is in {}, a subnet with no route to an Internet gateway",
                    named(&sn.name, &sn.id)
                ),
                format!(
                    "NAT 게이트웨이가 인터넷 게이트웨이 경로가 없는 서브넷 {}에 있습니다",
                    named(&sn.name, &sn.id)
                ),
            ),
            why: Text::new(
                "step 1 (NAT): a NAT gateway sends the private subnets' traffic out through its own subnet's route to the Internet gateway; in a private subnet it reaches nothing, so instances cannot install packages or reach AWS APIs",
                "1단계(NAT): NAT 게이트웨이는 자기 서브넷의 인터넷 게이트웨이 경로로 프라이빗 서브넷의 트래픽을 내보냅니다. 프라이빗 서브넷에서는 아무 데도 닿지 못해 인스턴스가 패키지를 설치하거나 AWS API에 닿지 못합니다",
            ),
            fix: Text::new(
                format!("create a NAT gateway in a public subnet of the same AZ (aws ec2 create-nat-gateway --subnet-id PUBLIC-SUBNET --allocation-id EIP), point the private route tables at it, then: aws ec2 delete-nat-gateway --nat-gateway-id {}", n.id),
                format!("같은 AZ의 퍼블릭 서브넷에 NAT 게이트웨이를 만들고(aws ec2 create-nat-gateway --subnet-id PUBLIC-SUBNET --allocation-id EIP) 프라이빗 라우팅 테이블이 그것을 가리키게 한 뒤: aws ec2 delete-nat-gateway --nat-gateway-id {}", n.id),
            ),
        });
    }
}

/// A public IPv4 range wider than a /16: open to a large slice of the internet.
fn wide(cidr: &str) -> bool {
    let Some((addr, len)) = cidr.split_once('/') else {
        return false;
    };
    let (Ok(ip), Ok(len)) = (addr.parse::<std::net::Ipv4Addr>(), len.parse::<u8>()) else {
        return false;
    };
    len > 0 && len < 16 && !ip.is_private() && !ip.is_loopback()
}

/// Step 7: the app's instances admit the web ports from the internet themselves, not only
/// from the load balancer's group.
fn app_open_to_world(s: &Survey, out: &mut Vec<Finding>) {
    let mut seen: Vec<&str> = Vec::new();
    for g in s.scaling_groups.iter().filter(|g| g.target_groups > 0) {
        let Some(t) = &g.template else { continue };
        for sg in t.groups.iter().filter_map(|id| s.group(id)) {
            if seen.contains(&sg.id.as_str()) {
                continue;
            }
            let port = [80, 443].into_iter().find(|p| {
                sg.ingress.iter().any(|r| {
                    r.covers(*p) && r.cidrs.iter().any(|c| c == "0.0.0.0/0" || c == "::/0")
                })
            });
            let Some(port) = port else { continue };
            seen.push(&sg.id);
            out.push(Finding {
                check: "app-open-to-world",
                severity: Severity::Medium,
                resource: named(&sg.name, &sg.id),
                what: Text::new(
                    format!("the app's group (template {}) admits port {port} from the whole internet", t.name),
                    format!("앱 보안 그룹(템플릿 {})이 인터넷 전체에서 포트 {} 허용합니다", t.name, korean::with(&port.to_string(), Josa::EulReul)),
                ),
                why: Text::new(
                    "step 7: only the load balancer should reach the app; open to the world, an instance with a public address serves around it (no HTTPS, no health check), and its web server faces every scanner",
                    "7단계: 앱에는 로드 밸런서만 닿아야 합니다. 인터넷 전체에 열면 퍼블릭 주소가 있는 인스턴스가 로드 밸런서를 거치지 않고 서비스하고(HTTPS도 상태 검사도 없이) 웹 서버가 모든 스캐너에 노출됩니다",
                ),
                fix: Text::new(
                    format!("aws ec2 authorize-security-group-ingress --group-id {id} --protocol tcp --port {port} --source-group ALB-SG, then aws ec2 revoke-security-group-ingress --group-id {id} --protocol tcp --port {port} --cidr 0.0.0.0/0", id = sg.id),
                    format!("aws ec2 authorize-security-group-ingress --group-id {id} --protocol tcp --port {port} --source-group ALB-SG 후 aws ec2 revoke-security-group-ingress --group-id {id} --protocol tcp --port {port} --cidr 0.0.0.0/0", id = sg.id),
                ),
            });
        }
    }
}

/// SSH open to the world; a database's group open to an address range.
pub(super) fn security(s: &Survey, out: &mut Vec<Finding>) {
    app_open_to_world(s, out);
    for g in &s.groups {
        let world: Vec<&str> = g
            .ingress
            .iter()
            .filter(|r| r.covers(22))
            .flat_map(|r| r.cidrs.iter())
            .filter(|c| *c == "0.0.0.0/0" || *c == "::/0" || wide(c))
            .map(String::as_str)
            .collect();
        // The whole internet first; else a wide slice of it.
        let whole = world.iter().find(|c| !wide(c)).or(world.first());
        if let Some(cidr) = whole {
            let (check, severity) = if wide(cidr) {
                ("ssh-open-to-wide-range", Severity::Medium)
            } else {
                ("ssh-open-to-world", Severity::High)
            };
            out.push(Finding {
                check,
                severity,
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

#[cfg(test)]
mod tests {
    use super::super::tests::{checks_of, lab};
    use crate::ops::doctor::survey::{Ingress, Nat};

    #[test]
    fn a_subnet_meant_public_without_a_route_out_and_a_nat_in_it() {
        let mut s = lab();
        s.subnets[2].name = "lab-public-b".into();
        assert_eq!(checks_of(&s), ["public-subnet-without-igw"]);
        s.subnets[2].name = "priv-a".into();
        s.subnets[2].map_public_ip = true;
        assert_eq!(checks_of(&s), ["public-subnet-without-igw"]);
        s.subnets[2].map_public_ip = false;
        s.nats.push(Nat {
            id: "nat-lost".into(),
            name: "nat-lost".into(),
            subnet: "priv-a".into(),
        });
        assert_eq!(checks_of(&s), ["nat-in-private-subnet"]);
    }

    #[test]
    fn ssh_open_to_a_wide_public_range_but_not_a_private_one() {
        let mut s = lab();
        let open = |cidr: &str| Ingress {
            ports: Some((22, 22)),
            cidrs: vec![cidr.into()],
            groups: vec![],
        };
        s.groups[3].ingress = vec![open("52.0.0.0/8")];
        assert_eq!(checks_of(&s), ["ssh-open-to-wide-range"]);
        for fine in ["10.0.0.0/8", "203.0.113.0/24", "172.16.0.0/12"] {
            s.groups[3].ingress = vec![open(fine)];
            assert!(checks_of(&s).is_empty(), "{fine}");
        }
        // The whole internet is the one named, however many ranges there are.
        s.groups[3].ingress = vec![open("52.0.0.0/8"), open("0.0.0.0/0")];
        assert_eq!(checks_of(&s), ["ssh-open-to-world"]);
    }

    #[test]
    fn the_app_open_to_the_world_instead_of_the_load_balancer() {
        let mut s = lab();
        s.groups[2].ingress.push(Ingress {
            ports: Some((80, 80)),
            cidrs: vec!["0.0.0.0/0".into()],
            groups: vec![],
        });
        let found = super::super::all(&s);
        assert_eq!(checks_of(&s), ["app-open-to-world"]);
        assert!(
            found[0].what.en.contains("admits port 80"),
            "{}",
            found[0].what.en
        );
        assert!(
            found[0].what.ko.contains("포트 80을"),
            "{}",
            found[0].what.ko
        );
    }
}
