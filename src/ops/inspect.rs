//! The inspector: one built resource's wiring read back from AWS, as a console user would
//! have set it by hand in the lab (route table routes, security-group rules with their
//! sources, the target group's health check, the launch template's user data). Read-only.
//! User data never carries secrets (they come from SSM at boot); lines that look like one
//! are masked anyway, so nothing secret can reach the screen.

use crate::aws::{Clients, aws};

/// A line of the inspector.
#[derive(Debug, Clone, PartialEq)]
pub enum Line {
    /// A section's title, in both languages.
    Heading { en: String, ko: String },
    /// A fact as AWS gives it (IDs, CIDRs, ports: the same in both languages).
    Item(String),
    /// An explanation, in both languages.
    Note { en: String, ko: String },
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inspection {
    pub lines: Vec<Line>,
}

impl Inspection {
    fn head(&mut self, en: &str, ko: &str) {
        self.lines.push(Line::Heading {
            en: en.into(),
            ko: ko.into(),
        });
    }
    fn item(&mut self, text: impl Into<String>) {
        self.lines.push(Line::Item(text.into()));
    }
    fn note(&mut self, en: impl Into<String>, ko: impl Into<String>) {
        self.lines.push(Line::Note {
            en: en.into(),
            ko: ko.into(),
        });
    }
}

/// Read one resource's wiring. `kind` is the engine's kind name, `id` its live ID.
pub async fn inspect(clients: &Clients, kind: &str, id: &str) -> Result<Inspection, String> {
    let mut out = Inspection::default();
    match kind {
        "route-table" => route_table(clients, id, &mut out).await?,
        "security-group" => security_group(clients, id, &mut out).await?,
        "target-group" => target_group(clients, id, &mut out).await?,
        "launch-template" => launch_template(clients, id, &mut out).await?,
        "load-balancer" => load_balancer(clients, id, &mut out).await?,
        "autoscaling-group" => autoscaling_group(clients, id, &mut out).await?,
        _ => out.note(
            format!(
                "Nothing more to show for a {kind} than its ID ({id}); its console page has the rest."
            ),
            format!(
                "{} ID({id}) 말고 더 보여 줄 것이 없습니다. 나머지는 콘솔 페이지에 있습니다.",
                crate::i18n::korean::with(kind, crate::i18n::korean::Josa::EunNeun)
            ),
        ),
    }
    Ok(out)
}

async fn route_table(c: &Clients, id: &str, out: &mut Inspection) -> Result<(), String> {
    let r = c
        .ec2
        .describe_route_tables()
        .route_table_ids(id)
        .send()
        .await
        .map_err(aws("DescribeRouteTables"))
        .map_err(|e| e.to_string())?;
    let Some(t) = r.route_tables().first() else {
        return Err(format!("{id} was not found"));
    };
    out.head("Routes (destination → target)", "라우팅 (대상 → 대상 유형)");
    for route in t.routes() {
        let dest = route
            .destination_cidr_block()
            .or(route.destination_ipv6_cidr_block())
            .or(route.destination_prefix_list_id())
            .unwrap_or("?");
        let target = route
            .nat_gateway_id()
            .or(route.gateway_id())
            .or(route.instance_id())
            .or(route.transit_gateway_id())
            .or(route.vpc_peering_connection_id())
            .or(route.network_interface_id())
            .unwrap_or("?");
        let state = route.state().map(|s| s.as_str().to_string());
        out.item(format!(
            "{dest:<18} → {target}{}",
            state.map_or_else(String::new, |s| format!("  ({s})"))
        ));
    }
    out.head("Subnet associations", "서브넷 연결");
    let mut any = false;
    for a in t.associations() {
        if a.main() == Some(true) {
            out.item("(main route table of the VPC)");
            any = true;
        }
        if let Some(s) = a.subnet_id() {
            out.item(s.to_string());
            any = true;
        }
    }
    if !any {
        out.item("-");
    }
    out.note(
        "A public table sends 0.0.0.0/0 to the Internet gateway (igw-…); a private one to the NAT gateway (nat-…) of its own AZ.",
        "퍼블릭 라우팅 테이블은 0.0.0.0/0을 인터넷 게이트웨이(igw-…)로, 프라이빗 라우팅 테이블은 같은 가용 영역의 NAT 게이트웨이(nat-…)로 보냅니다.",
    );
    Ok(())
}

async fn security_group(c: &Clients, id: &str, out: &mut Inspection) -> Result<(), String> {
    let r = c
        .ec2
        .describe_security_groups()
        .group_ids(id)
        .send()
        .await
        .map_err(aws("DescribeSecurityGroups"))
        .map_err(|e| e.to_string())?;
    let Some(g) = r.security_groups().first() else {
        return Err(format!("{id} was not found"));
    };
    // Name the groups rules point at, as the console does.
    let mut names: Vec<(String, String)> = vec![(
        id.to_string(),
        g.group_name().unwrap_or_default().to_string(),
    )];
    let referenced: Vec<String> = g
        .ip_permissions()
        .iter()
        .chain(g.ip_permissions_egress())
        .flat_map(|p| p.user_id_group_pairs())
        .filter_map(|p| p.group_id().map(str::to_string))
        .filter(|x| x != id)
        .collect();
    if !referenced.is_empty()
        && let Ok(r) = c
            .ec2
            .describe_security_groups()
            .set_group_ids(Some(referenced))
            .send()
            .await
    {
        for g in r.security_groups() {
            if let (Some(i), Some(n)) = (g.group_id(), g.group_name()) {
                names.push((i.to_string(), n.to_string()));
            }
        }
    }
    let name_of = |gid: &str| {
        names
            .iter()
            .find(|(i, _)| i == gid)
            .map_or_else(|| gid.to_string(), |(i, n)| format!("{i} ({n})"))
    };
    if let Some(d) = g.description() {
        out.item(d.to_string());
    }
    for (egress, perms) in [
        (false, g.ip_permissions()),
        (true, g.ip_permissions_egress()),
    ] {
        if egress {
            out.head(
                "Outbound rules (port ← destination)",
                "아웃바운드 규칙 (포트 ← 대상)",
            );
        } else {
            out.head(
                "Inbound rules (port ← source)",
                "인바운드 규칙 (포트 ← 소스)",
            );
        }
        if perms.is_empty() {
            out.item("-");
        }
        for p in perms {
            let proto = match p.ip_protocol().unwrap_or("?") {
                "-1" => "all".to_string(),
                other => other.to_string(),
            };
            let ports = match (p.from_port(), p.to_port()) {
                (Some(a), Some(b)) if a == b => format!("{proto} {a}"),
                (Some(-1), _) | (None, _) => proto.clone(),
                (Some(a), Some(b)) => format!("{proto} {a}-{b}"),
                (Some(a), None) => format!("{proto} {a}"),
            };
            let mut sources: Vec<String> = Vec::new();
            sources.extend(
                p.ip_ranges()
                    .iter()
                    .filter_map(|r| r.cidr_ip().map(str::to_string)),
            );
            sources.extend(
                p.ipv6_ranges()
                    .iter()
                    .filter_map(|r| r.cidr_ipv6().map(str::to_string)),
            );
            sources.extend(
                p.user_id_group_pairs()
                    .iter()
                    .filter_map(|g| g.group_id().map(name_of)),
            );
            sources.extend(
                p.prefix_list_ids()
                    .iter()
                    .filter_map(|l| l.prefix_list_id().map(str::to_string)),
            );
            for s in sources {
                out.item(format!("{ports:<10} ← {s}"));
            }
        }
    }
    out.note(
        "Tiers trust each other by security group, not by address: the app allows 80 only from the load balancer's group, the database 3306 only from the app's.",
        "계층끼리는 주소가 아니라 보안 그룹으로 신뢰합니다. 앱은 로드 밸런서의 보안 그룹에서 오는 80만, 데이터베이스는 앱의 보안 그룹에서 오는 3306만 허용합니다.",
    );
    Ok(())
}

async fn target_group(c: &Clients, arn: &str, out: &mut Inspection) -> Result<(), String> {
    let r = c
        .elb
        .describe_target_groups()
        .target_group_arns(arn)
        .send()
        .await
        .map_err(aws("DescribeTargetGroups"))
        .map_err(|e| e.to_string())?;
    let Some(t) = r.target_groups().first() else {
        return Err(format!("{arn} was not found"));
    };
    let opt = |v: Option<i32>| v.map_or_else(|| "-".to_string(), |v| v.to_string());
    out.head("Target group", "대상 그룹");
    out.item(format!(
        "{} {}",
        t.protocol().map_or("?", |p| p.as_str()),
        opt(t.port())
    ));
    out.head("Health check", "상태 검사");
    out.item(format!(
        "{} {} {}",
        t.health_check_protocol().map_or("?", |p| p.as_str()),
        t.health_check_port().unwrap_or("traffic-port"),
        t.health_check_path().unwrap_or("/")
    ));
    out.item(format!(
        "interval {} s · timeout {} s · healthy {} · unhealthy {}",
        opt(t.health_check_interval_seconds()),
        opt(t.health_check_timeout_seconds()),
        opt(t.healthy_threshold_count()),
        opt(t.unhealthy_threshold_count())
    ));
    if let Some(m) = t.matcher().and_then(|m| m.http_code()) {
        out.item(format!("matcher: HTTP {m}"));
    }
    if t.health_check_path() == Some(crate::plan::HEALTH_PATH) {
        out.note(
            "hawiz's own health path answers 200 only once WordPress is installed and configured on that instance, checked on the instance (not in the database, so a database failover does not fail every instance at once).",
            "hawiz 전용 상태 검사 경로는 그 인스턴스에 WordPress가 설치되고 설정된 뒤에만 200을 답합니다. 데이터베이스가 아니라 인스턴스에서 확인하므로 데이터베이스 장애 조치 때문에 모든 인스턴스가 한꺼번에 비정상이 되지 않습니다.",
        );
    } else {
        out.note(
            "The matcher accepts redirects (30x): an instance is healthy as soon as its web server answers this path.",
            "성공 코드에 리디렉션(30x)이 포함되어, 웹 서버가 이 경로에 응답하면 바로 정상 인스턴스가 됩니다.",
        );
    }
    out.head("Targets", "대상");
    match super::fleet::targets(c, arn).await {
        Ok(targets) if targets.is_empty() => out.item("-"),
        Ok(targets) => {
            for t in targets {
                out.item(format!("{}  {}", t.id, t.state));
            }
        }
        Err(e) => out.item(format!("({e})")),
    }
    Ok(())
}

async fn launch_template(c: &Clients, id: &str, out: &mut Inspection) -> Result<(), String> {
    let r = c
        .ec2
        .describe_launch_template_versions()
        .launch_template_id(id)
        .versions("$Latest")
        .send()
        .await
        .map_err(aws("DescribeLaunchTemplateVersions"))
        .map_err(|e| e.to_string())?;
    let Some(v) = r.launch_template_versions().first() else {
        return Err(format!("{id} was not found"));
    };
    let Some(d) = v.launch_template_data() else {
        return Err(format!("{id} has no data"));
    };
    out.head("Launch template", "시작 템플릿");
    out.item(format!(
        "version {} · {} · {}",
        v.version_number().unwrap_or_default(),
        d.image_id().unwrap_or("?"),
        d.instance_type().map_or("?", |t| t.as_str())
    ));
    if !d.security_group_ids().is_empty() {
        out.item(format!(
            "security groups: {}",
            d.security_group_ids().join(", ")
        ));
    }
    if let Some(m) = d.metadata_options() {
        out.item(format!(
            "IMDS: http tokens {}",
            m.http_tokens().map_or("?", |t| t.as_str())
        ));
    }
    out.head("User data (cloud-init)", "사용자 데이터 (cloud-init)");
    match d.user_data().map(crate::userdata::decode) {
        Some(Ok(text)) => {
            for l in text.lines() {
                out.item(mask(l));
            }
        }
        Some(Err(_)) => out.item("(not readable as text)"),
        None => out.item("-"),
    }
    out.note(
        "No password is in the user data: the instance reads the database's credentials from SSM Parameter Store when it boots.",
        "사용자 데이터에는 암호가 없습니다. 인스턴스가 부팅할 때 SSM Parameter Store에서 데이터베이스 자격 증명을 읽습니다.",
    );
    Ok(())
}

async fn load_balancer(c: &Clients, arn: &str, out: &mut Inspection) -> Result<(), String> {
    let r = c
        .elb
        .describe_load_balancers()
        .load_balancer_arns(arn)
        .send()
        .await
        .map_err(aws("DescribeLoadBalancers"))
        .map_err(|e| e.to_string())?;
    let Some(lb) = r.load_balancers().first() else {
        return Err(format!("{arn} was not found"));
    };
    out.head("Load balancer", "로드 밸런서");
    out.item(format!(
        "{} · {}",
        lb.scheme().map_or("?", |s| s.as_str()),
        lb.dns_name().unwrap_or("?")
    ));
    out.item(format!(
        "security groups: {}",
        lb.security_groups().join(", ")
    ));
    out.head("Subnets", "서브넷");
    for z in lb.availability_zones() {
        out.item(format!(
            "{}  {}",
            z.zone_name().unwrap_or("?"),
            z.subnet_id().unwrap_or("?")
        ));
    }
    Ok(())
}

async fn autoscaling_group(c: &Clients, name: &str, out: &mut Inspection) -> Result<(), String> {
    let Some(g) = super::fleet::group(c, name)
        .await
        .map_err(|e| e.to_string())?
    else {
        return Err(format!("{name} was not found"));
    };
    out.head("Auto Scaling group", "Auto Scaling 그룹");
    out.item(format!(
        "min {} · desired {} · max {}",
        g.min_size().unwrap_or_default(),
        g.desired_capacity().unwrap_or_default(),
        g.max_size().unwrap_or_default()
    ));
    out.item(format!(
        "health check {} · grace {} s",
        g.health_check_type().unwrap_or("?"),
        g.health_check_grace_period().unwrap_or_default()
    ));
    out.head("Subnets", "서브넷");
    for s in g.vpc_zone_identifier().unwrap_or_default().split(',') {
        out.item(s.trim().to_string());
    }
    out.head("Instances", "인스턴스");
    if g.instances().is_empty() {
        out.item("-");
    }
    for i in g.instances() {
        out.item(format!(
            "{}  {}  {}",
            i.instance_id().unwrap_or("?"),
            i.availability_zone().unwrap_or("?"),
            i.health_status().unwrap_or("?")
        ));
    }
    Ok(())
}

/// A line of user data with anything that looks like a secret's value masked.
pub fn mask(line: &str) -> String {
    let lower = line.to_ascii_lowercase();
    let secret = [
        "password",
        "passwd",
        "secret",
        "token",
        "private_key",
        "aws_secret",
    ]
    .iter()
    .any(|w| lower.contains(w));
    if !secret {
        return line.to_string();
    }
    // Keep commands that read a secret from SSM (they carry a name, not a value).
    if lower.contains("ssm") || lower.contains("get-parameter") || lower.contains("$(") {
        return line.to_string();
    }
    match line.find(['=', ':']) {
        Some(i) => format!("{}{} ••••••", &line[..i], &line[i..=i]),
        None => "••••••".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::mask;

    #[test]
    fn secret_looking_values_are_masked() {
        assert_eq!(mask("echo hello"), "echo hello");
        assert_eq!(mask("DB_PASSWORD=hunter2"), "DB_PASSWORD= ••••••");
        assert!(!mask("password: hunter2").contains("hunter2"));
        let ssm = "PW=$(aws ssm get-parameter --name /hawiz/x/db-password --with-decryption)";
        assert_eq!(mask(ssm), ssm, "reading a secret by name is shown");
    }
}
