//! Checks for the steps after the network: bastion, database, app tier, load balancer,
//! domain. Each refuses one of the lab's classic mistakes with the reason.

use super::Report;
use crate::plan::Plan;
use ipnet::Ipv4Net;

pub(super) fn check(plan: &Plan, r: &mut Report) {
    bastion(plan, r);
    database(plan, r);
    files(plan, r);
    app(plan, r);
    load_balancer(plan, r);
    domain(plan, r);
}

use super::names::{db_class, db_name, db_user, instance_type};

fn bastion(plan: &Plan, r: &mut Report) {
    let b = &plan.bastion;
    if !b.enabled {
        return;
    }
    instance_type(
        "bastion.instance_type",
        ("Bastion instance type", "배스천 인스턴스 유형"),
        &b.instance_type,
        r,
    );
    let cidr = b.ssh_cidr.trim();
    if !cidr.is_empty() {
        match cidr.parse::<Ipv4Net>() {
            Err(_) => r.error(
                "bastion.ssh_cidr",
                format!("{cidr:?} is not an IPv4 CIDR block like 203.0.113.7/32 (leave it empty to use your own address)"),
                format!("{cidr:?}: 203.0.113.7/32 같은 IPv4 CIDR 블록이 아닙니다 (비워 두면 내 주소를 사용합니다)"),
            ),
            Ok(net) if net.prefix_len() == 0 => r.error(
                "bastion.ssh_cidr",
                format!(
                    "{cidr} opens SSH to the whole internet, where bots try passwords and keys all day. \
                     Use your own address /32 (leave \"SSH allowed from\" empty and hawiz detects it)"
                ),
                format!(
                    "{cidr}: SSH를 인터넷 전체에 엽니다. 인터넷에서는 봇이 하루 종일 비밀번호와 키를 \
                     시도합니다. 내 주소의 /32를 사용하세요 (SSH 허용 주소를 비워 두면 hawiz가 알아냅니다)"
                ),
            ),
            Ok(net) if net.addr() != net.network() => r.error(
                "bastion.ssh_cidr",
                format!("{cidr} has host bits set; did you mean {}/{}?", net.network(), net.prefix_len()),
                format!("{cidr}: 호스트 비트가 설정되어 있습니다. {}/{}{} 뜻하셨나요?", net.network(), net.prefix_len(), crate::i18n::korean::particle(&net.prefix_len().to_string(), crate::i18n::korean::Josa::EulReul)),
            ),
            Ok(net) if net.prefix_len() < 16 => r.error(
                "bastion.ssh_cidr",
                format!(
                    "{net} lets {} addresses try to reach SSH; anything wider than a /16 is \
                     refused. Use your own address /32 (leave the SSH source empty and hawiz \
                     detects it)",
                    crate::i18n::grouped(1u64 << (32 - net.prefix_len()))
                ),
                format!(
                    "{net}: 주소 {}개가 SSH에 접속을 시도할 수 있습니다. /16보다 넓은 범위는 \
                     거부합니다. 내 주소의 /32를 사용하세요 (SSH 허용 주소를 비워 두면 hawiz가 \
                     알아냅니다)",
                    crate::i18n::grouped(1u64 << (32 - net.prefix_len()))
                ),
            ),
            Ok(net) if net.prefix_len() < 24 => r.warn(
                "bastion.ssh_cidr",
                format!(
                    "{net} lets {} addresses try to reach SSH; a /32 of your own address is safer",
                    crate::i18n::grouped(1u64 << (32 - net.prefix_len()))
                ),
                format!(
                    "{net}: 주소 {}개가 SSH에 접속을 시도할 수 있습니다. 내 주소의 /32가 더 안전합니다",
                    crate::i18n::grouped(1u64 << (32 - net.prefix_len()))
                ),
            ),
            Ok(_) => {}
        }
    }
    let key = b.key_name.trim();
    if key.len() > 255 || !key.is_ascii() {
        r.error(
            "bastion.key_name",
            format!("{key:?} must be at most 255 ASCII characters"),
            format!("{key:?}: 255자 이하의 ASCII 문자여야 합니다"),
        );
    }
}

fn database(plan: &Plan, r: &mut Report) {
    let d = &plan.database;
    db_class(&d.instance_class, r);
    if !(20..=65536).contains(&d.storage_gib) {
        r.error(
            "database.storage_gib",
            format!(
                "{} GiB: gp3 storage for MariaDB/MySQL must be 20 to 65536 GiB",
                d.storage_gib
            ),
            format!(
                "{} GiB: MariaDB/MySQL용 gp3 스토리지는 20~65536 GiB여야 합니다",
                d.storage_gib
            ),
        );
    }
    // RDS wants the ceiling at least 10 % above the storage.
    let least = d.storage_gib.saturating_add(d.storage_gib.div_ceil(10));
    if d.max_storage_gib < least || d.max_storage_gib > 65536 {
        r.error(
            "database.max_storage_gib",
            format!(
                "{} GiB must be at least 10 % more than the storage ({} GiB: so {least} GiB or \
                 more, as RDS requires) and at most 65536: it is the ceiling storage autoscaling \
                 may grow to",
                d.max_storage_gib, d.storage_gib
            ),
            format!(
                "{} GiB: 스토리지({} GiB)보다 10% 이상 커야 하고(RDS 요구 사항이므로 {least} GiB \
                 이상) 65536 이하여야 합니다. 스토리지 자동 조정이 늘릴 수 있는 상한입니다",
                d.max_storage_gib, d.storage_gib
            ),
        );
    }
    if !d.multi_az {
        r.error(
            "database.multi_az",
            "With Multi-AZ off the database sits in one AZ: when that AZ fails, every web server \
             loses it and the site is down. An HA site needs Multi-AZ (a standby in the other AZ that takes \
             over in a minute or two)",
            "다중 AZ를 끄면 데이터베이스가 한 가용 영역에만 있습니다. 그 가용 영역에 장애가 나면 모든 웹 \
             서버가 데이터베이스를 잃고 사이트가 중단됩니다. HA 사이트에는 다중 AZ(Multi-AZ)가 \
             필요합니다 (다른 가용 영역의 대기 인스턴스가 1~2분 안에 넘겨받습니다)",
        );
    }
    let ident = |s: &str, max: usize| {
        !s.is_empty()
            && s.len() <= max
            && s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    if !ident(&d.db_name, 64) {
        r.error(
            "database.db_name",
            format!(
                "{:?} must start with a letter and hold only letters, digits and '_' (at most 64)",
                d.db_name
            ),
            format!(
                "{:?}: 영문자로 시작하고 영문자, 숫자, '_'만 쓸 수 있습니다 (최대 64자)",
                d.db_name
            ),
        );
    } else {
        db_name(&d.db_name, r);
    }
    if !ident(&d.username, 16) {
        r.error(
            "database.username",
            format!(
                "{:?} must start with a letter and hold only letters, digits and '_' (at most 16)",
                d.username
            ),
            format!(
                "{:?}: 영문자로 시작하고 영문자, 숫자, '_'만 쓸 수 있습니다 (최대 16자)",
                d.username
            ),
        );
    } else {
        db_user(&d.username, r);
    }
}

fn app(plan: &Plan, r: &mut Report) {
    let a = &plan.app;
    instance_type(
        "app.instance_type",
        ("Web server instance type", "웹 서버 인스턴스 유형"),
        &a.instance_type,
        r,
    );
    if a.max == 0 || a.min > a.max {
        r.error(
            "app.max",
            format!(
                "Maximum instances ({}) must be at least 1 and at least the minimum ({})",
                a.max, a.min
            ),
            format!(
                "최대 용량({})은 1 이상이면서 최소 용량({}) 이상이어야 합니다",
                a.max, a.min
            ),
        );
    }
    if a.desired < a.min || a.desired > a.max {
        r.error(
            "app.desired",
            format!(
                "{} is outside the minimum to maximum instances ({} to {}); Auto Scaling keeps \
                 the count inside that range",
                a.desired, a.min, a.max
            ),
            format!(
                "{}: 최소~최대 용량({}~{}) 범위를 벗어납니다. Auto Scaling은 인스턴스 수를 그 범위 \
                 안으로 유지합니다",
                a.desired, a.min, a.max
            ),
        );
    }
    if a.min == 0 {
        r.error(
            "app.min",
            "0: with a minimum of 0, Auto Scaling may stop every web server and the site is down; \
             an HA site keeps at least 2 (one per AZ)",
            "0: 최소 용량이 0이면 Auto Scaling이 웹 서버를 모두 멈출 수 있어 사이트가 중단됩니다. \
             HA 사이트는 최소 2개(가용 영역마다 하나)를 유지합니다",
        );
    } else if a.min < 2 && a.max >= 1 {
        r.warn(
            "app.min",
            format!("{}: with fewer than 2 instances, one failure (or one AZ outage) takes the site down", a.min),
            format!("{}: 인스턴스가 2개보다 적으면 장애 한 번(또는 가용 영역 하나의 중단)으로 사이트가 멈춥니다", a.min),
        );
    }
    if !(a.cpu_target > 0.0 && a.cpu_target <= 100.0) {
        r.error(
            "app.cpu_target",
            format!(
                "{} must be a CPU percentage above 0 and at most 100",
                a.cpu_target
            ),
            format!(
                "{}: 0보다 크고 100 이하인 CPU 사용률(%)이어야 합니다",
                a.cpu_target
            ),
        );
    }
}

fn files(plan: &Plan, r: &mut Report) {
    if !plan.files.enabled {
        r.warn(
            "files.enabled",
            "Without a shared web root (EFS) each instance keeps its own, so uploads and plugins \
             land on one instance only and vanish when Auto Scaling replaces it",
            "공유 웹 루트(EFS)가 없으면 인스턴스마다 웹 루트를 따로 가지므로, 업로드한 파일과 \
             플러그인이 한 인스턴스에만 남고 Auto Scaling이 그 인스턴스를 교체하면 사라집니다",
        );
    }
}

fn load_balancer(plan: &Plan, r: &mut Report) {
    let p = &plan.load_balancer.health_check_path;
    let field = "load_balancer.health_check_path";
    if !p.starts_with('/') {
        r.error(
            field,
            format!(
                "{p:?} must be a URL path starting with '/', like {} (hawiz's own) or /wp-login.php",
                crate::plan::HEALTH_PATH
            ),
            format!(
                "{p:?}: {} (hawiz 전용) 또는 /wp-login.php처럼 '/'로 시작하는 URL 경로여야 합니다",
                crate::plan::HEALTH_PATH
            ),
        );
    } else if p.chars().count() > 1024 {
        r.error(
            field,
            format!(
                "is {} characters long; AWS allows a health check path of at most 1024",
                p.chars().count()
            ),
            format!(
                "{}자입니다. AWS는 상태 검사 경로를 1024자까지만 허용합니다",
                p.chars().count()
            ),
        );
    } else if p.contains(char::is_whitespace) {
        r.error(
            field,
            format!("{p:?} has a space; AWS allows no spaces in a health check path (write %20)"),
            format!("{p:?}에 공백이 있습니다. AWS는 상태 검사 경로에 공백을 허용하지 않습니다 (%20으로 쓰세요)"),
        );
    }
}

/// The names RFC 2606 (and RFC 6761 after it) keep for documentation and testing, with the
/// RFC that keeps them: a site can never be built on one.
fn reserved_for_examples(name: &str) -> Option<&'static str> {
    let under = |base: &str| name == base || name.ends_with(&format!(".{base}"));
    if ["example.com", "example.net", "example.org"]
        .into_iter()
        .any(under)
    {
        return Some("RFC 2606");
    }
    let tld = name.rsplit('.').next().unwrap_or_default();
    ["test", "example", "invalid", "localhost"]
        .contains(&tld)
        .then_some("RFC 2606")
}

fn domain(plan: &Plan, r: &mut Report) {
    let Some(d) = &plan.domain else { return };
    let label = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    let name = d.name.trim_end_matches('.').to_ascii_lowercase();
    if name.trim().is_empty() {
        r.error(
            "domain.name",
            "no domain is given: type the domain you own, like example.com, or turn \"Use my \
             domain\" off to use the load balancer's own address (in a plan file: remove [domain])",
            "도메인이 없습니다. example.com처럼 내가 가진 도메인을 쓰거나, '내 도메인 사용'을 끄면 \
             로드 밸런서의 주소를 그대로 씁니다 (계획 파일에서는 [domain]을 지우세요)",
        );
    } else if name.len() > 253 || name.split('.').count() < 2 || !name.split('.').all(label) {
        r.error(
            "domain.name",
            format!("{:?} is not a domain name like example.com", d.name),
            format!("{:?}: example.com 같은 도메인 이름이 아닙니다", d.name),
        );
    } else if let Some(reserved) = reserved_for_examples(&name) {
        r.error(
            "domain.name",
            format!(
                "{name} is reserved for examples ({reserved}): nobody can own it, so its DNS \
                 and a certificate for it can never work. Type the domain you own, or turn \
                 \"Use my domain\" off to use the load balancer's own address"
            ),
            format!(
                "{name}: 예시용으로 예약된 이름입니다({reserved}). 누구도 소유할 수 없어 DNS와 인증서가 \
                 동작할 수 없습니다. 내가 가진 도메인을 쓰거나, '내 도메인 사용'을 끄면 로드 밸런서의 \
                 주소를 그대로 씁니다"
            ),
        );
    } else if d.https && name.len() > 64 {
        // ACM refuses a certificate whose first name is longer (it becomes the common name).
        r.error(
            "domain.name",
            format!(
                "{name} is {} characters long; a certificate's first name may have at most 64 \
                 (ACM's limit), so HTTPS cannot be set up for it. Use a shorter domain, or turn \
                 HTTPS off",
                name.len()
            ),
            format!(
                "{name}: {}자입니다. 인증서의 첫 번째 이름은 64자까지만 쓸 수 있어(ACM 한도) HTTPS를 \
                 설정할 수 없습니다. 더 짧은 도메인을 쓰거나 HTTPS를 끄세요",
                name.len()
            ),
        );
    }
    if !d.host.is_empty() && !d.host.split('.').all(label) {
        r.error(
            "domain.host",
            format!(
                "{:?} is not a host name like www (use \"\" for the bare domain)",
                d.host
            ),
            format!(
                "{:?}: www 같은 호스트 이름이 아닙니다 (루트 도메인에는 \"\"를 쓰세요)",
                d.host
            ),
        );
    } else if d.https && d.host.contains('.') {
        r.error(
            "domain.host",
            format!(
                "{:?}: the certificate covers {name} and *.{name}, and a wildcard covers one level \
                 only; use a single label like www",
                d.host
            ),
            format!(
                "{:?}: 인증서는 {} {} 포함하는데, 와일드카드는 한 단계만 \
                 포함합니다. www처럼 레이블 하나만 쓰세요",
                d.host,
                crate::i18n::korean::with(&name, crate::i18n::korean::Josa::GwaWa),
                crate::i18n::korean::with(&format!("*.{name}"), crate::i18n::korean::Josa::EulReul)
            ),
        );
    }
}
