//! "Where is my site and how do I get in": shown after a successful build (CLI and wizard)
//! and by status.

use crate::aws::Clients;
use crate::blueprint;
use crate::engine::{Dep, Fact, Graph};
use crate::i18n::Lang;
use crate::plan::Plan;
use crate::resources::{instance, route53};
use std::collections::BTreeMap;

/// An alert subscription nobody has confirmed yet, as SNS's status says it.
const WAITING: &str = "waiting for you to confirm the mail";

/// Between a schedule's sizes and its next run in a schedule line ("weekday-peak: 2-4-6
/// from Mon …"); the Korean line splits there.
const FROM: &str = " from ";

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    pub site: Option<String>,
    /// The load balancer's own address, when it answers visitors (not behind CloudFront).
    pub load_balancer: Option<String>,
    /// CloudFront's own address, when visitors reach the site through it.
    pub cloudfront: Option<String>,
    /// The command that uploads the static files (served under `/static/`).
    pub static_sync: Option<String>,
    /// Lines to copy: `ssh-add KEY`, `ssh -J ...`.
    pub ssh: Vec<String>,
    /// Without a bastion (or its key): the Session Manager command to an app instance.
    pub session: Option<String>,
    /// The WordPress administrator's name and the command that shows its password (the
    /// password itself is never shown).
    pub admin: Option<(String, String)>,
    pub domain: Option<String>,
    pub name_servers: Vec<String>,
    /// The stack's CloudWatch dashboard in the console.
    pub dashboard: Option<String>,
    /// Where alerts go and whether the subscription is confirmed yet.
    pub alerts: Option<(String, String)>,
    /// Each scheduled action's next run, in its zone and in UTC.
    pub schedules: Vec<String>,
    /// The command that proves the stack heals (the lab's last step).
    pub drill: Option<String>,
    /// With `[failover]`: the standby region, which region serves, whether it keeps up.
    pub standby: Option<super::standby::Standby>,
    /// A Multi-AZ database's standby (fast start adds it after the site serves).
    pub db_standby: Option<super::db_standby::DbStandby>,
    /// When an apply first saw the site serve (UTC; never in an emulator).
    pub serving_since: Option<String>,
}

/// The facts of a built (or surveyed) stack: what each ready resource of `graph` says of
/// itself (`Resource::facts`), with the few look-ups they need (the bastion's address, an
/// app instance, the zone's name servers).
pub async fn collect(
    clients: &Clients,
    plan: &Plan,
    env: &super::Env,
    graph: &Graph,
    ready: &BTreeMap<String, Dep>,
) -> Summary {
    let (stacks_dir, target) = (&env.stacks_dir, &env.target);
    // The standby region's resources say their facts of the standby, not of the site.
    let (facts, standby_facts): (Vec<_>, Vec<_>) = graph
        .nodes()
        .filter_map(|n| {
            ready
                .get(&n.key)
                .map(|dep| (n.region.is_some(), n.res.facts(dep)))
        })
        .partition(|(elsewhere, _)| !elsewhere);
    let facts: Vec<Fact> = facts.into_iter().flat_map(|(_, f)| f).collect();
    let standby_lb = standby_facts
        .into_iter()
        .flat_map(|(_, f)| f)
        .find_map(|f| match f {
            Fact::LoadBalancer { dns } => Some(format!("https://{dns}/")),
            _ => None,
        });
    let mut s = Summary::default();
    let https = plan.domain.as_ref().is_some_and(|d| d.https) && facts.contains(&Fact::Https);
    let prefix = format!("{}-", plan.stack.name);
    let now = chrono::Utc::now();
    let mut bastion = None;
    let mut zone = None;
    for fact in &facts {
        match fact {
            Fact::LoadBalancer { dns } => s.load_balancer = Some(format!("http://{dns}/")),
            Fact::Cdn { dns } => s.cloudfront = Some(format!("https://{dns}/")),
            Fact::StaticFiles { bucket } => {
                s.static_sync = Some(target.aws_cli(&static_sync(bucket)));
            }
            Fact::SiteName { name } => {
                s.site = Some(format!(
                    "{}://{name}/",
                    if https { "https" } else { "http" }
                ));
            }
            Fact::Https => {}
            Fact::Bastion { instance } => bastion = Some(instance.clone()),
            Fact::AdminPassword => {
                s.admin = Some((
                    blueprint::admin_user(plan),
                    target.aws_cli(&blueprint::admin_password_command(plan)),
                ));
            }
            Fact::Dashboard { name } => {
                s.dashboard = Some(crate::resources::console::service(
                    plan.region(),
                    "cloudwatch",
                    &format!("dashboards/dashboard/{name}"),
                ));
            }
            Fact::Alerts { email, status } => {
                let status = status.clone().unwrap_or_else(|| WAITING.into());
                s.alerts = Some((email.clone(), status));
            }
            Fact::Schedule {
                name,
                cron,
                timezone,
                min,
                desired,
                max,
            } => {
                if let Some(next) = crate::plan::schedule::next_run(cron, timezone, now) {
                    let name = name.strip_prefix(&prefix).unwrap_or(name);
                    s.schedules
                        .push(format!("{name}: {min}-{desired}-{max}{FROM}{next}"));
                }
            }
            Fact::AppGroup { .. } => {
                s.drill = Some(target.hawiz(&format!("drill {} instance", plan.stack.name)));
            }
            Fact::HostedZone { id, domain } => zone = Some((id.clone(), domain.clone())),
        }
    }
    // Behind CloudFront the load balancer refuses everyone else: not an address to try.
    if s.cloudfront.is_some() {
        s.load_balancer = None;
    }
    if super::db_standby::shown(plan) {
        s.db_standby = super::db_standby::read(clients, plan).await;
    }
    let app = app_instance(clients, plan).await;
    if let Some(bastion) = bastion {
        let bastion_ip = instance::addresses(clients, std::slice::from_ref(&bastion))
            .await
            .ok()
            .and_then(|a| a.into_iter().next())
            .and_then(|(_, public, _)| public);
        let pem = blueprint::pem_path(plan, &blueprint::stack_dir(stacks_dir, &plan.stack.name));
        let ours = plan.bastion.key_name.trim().is_empty();
        // Without the private key here (built on another machine) the ssh lines cannot
        // work from this one; Session Manager is offered instead.
        if let Some(ip) = bastion_ip.filter(|_| !ours || pem.exists()) {
            let key = if ours {
                crate::paths::tilde(&pem)
            } else {
                format!("<your key for {}>", plan.bastion.key_name.trim())
            };
            let app_ip = app
                .as_ref()
                .and_then(|(_, ip)| ip.clone())
                .unwrap_or_else(|| "<private IP of an app instance>".into());
            s.ssh = vec![
                format!("ssh-add {key}"),
                format!("ssh -J ec2-user@{ip} ec2-user@{app_ip}"),
            ];
        }
    }
    if s.ssh.is_empty()
        && let Some((id, _)) = &app
    {
        s.session = Some(target.aws_cli(&format!(
            "aws ssm start-session --region {} --target {id}",
            plan.region()
        )));
    }
    if let Some((id, domain)) = zone
        && let Ok(ns) = route53::name_servers(clients, &id).await
    {
        s.domain = Some(domain);
        s.name_servers = ns;
    }
    let check = ready.get("health-check/primary").map(|d| d.id.as_str());
    s.standby = super::standby::read(clients, plan, standby_lb, check, target.emulated()).await;
    s
}

/// What uploads a local `static` folder to the bucket: its objects keep the `static/`
/// prefix, which is the path CloudFront sends them under.
pub fn static_sync(bucket: &str) -> String {
    format!("aws s3 sync ./static s3://{bucket}/static/")
}

/// The summary as lines, in `lang`: the values (addresses, commands, names) as they are,
/// the words around them in the user's language.
pub fn print(s: &Summary, lang: Lang) {
    let ko = lang == Lang::Ko;
    if let Some(site) = &s.site {
        println!("{}  {site}", lang.pick("Site:", "사이트:"));
    }
    if let Some(lb) = &s.load_balancer {
        println!("{}  {lb}", lang.pick("Load balancer:", "로드 밸런서:"));
    }
    if let Some(cf) = &s.cloudfront {
        println!("CloudFront:  {cf}");
    }
    if let Some(since) = &s.serving_since {
        println!("{}  {since}", lang.pick("Serving since:", "서비스 시작:"));
    }
    if let Some(standby) = s.db_standby {
        println!(
            "{}  {}",
            lang.pick("Database standby:", "데이터베이스 대기:"),
            standby.text().pick(lang)
        );
    }
    if let Some(sync) = &s.static_sync {
        println!(
            "{}  {sync}   # {}",
            lang.pick("Static files:", "정적 파일:"),
            lang.pick(
                "served at /static/ on the site, copied to the standby region",
                "사이트의 /static/ 아래로 서비스되고 대기 리전으로 복제됩니다",
            )
        );
    }
    if let [add, jump] = s.ssh.as_slice() {
        println!(
            "SSH:   {add}   # {}",
            lang.pick(
                "once: the agent carries the key through the bastion",
                "한 번만: 에이전트가 배스천 호스트를 거쳐 키를 전달합니다",
            )
        );
        println!("       {jump}");
        println!(
            "       {}",
            lang.pick(
                "(the key never needs to be copied onto the bastion)",
                "(키를 배스천 호스트에 복사할 필요가 없습니다)",
            )
        );
    }
    if let Some(session) = &s.session {
        println!(
            "{} {session}   # {}",
            lang.pick("Shell:", "셸:   "),
            lang.pick(
                "Session Manager: no SSH, no open port",
                "Session Manager: SSH도 열린 포트도 필요 없습니다",
            )
        );
    }
    if let Some((user, command)) = &s.admin {
        match lang {
            Lang::En => println!("Admin: {user}, password: {command}"),
            Lang::Ko => println!("관리자: {user}, 비밀번호: {command}"),
        }
    }
    if let Some(domain) = &s.domain
        && !s.name_servers.is_empty()
    {
        match lang {
            Lang::En => println!(
                "DNS:   {domain} is served by these name servers; set them at your registrar:"
            ),
            Lang::Ko => println!(
                "DNS:   {domain}의 네임서버는 다음과 같습니다. 도메인 {}에 설정하세요:",
                crate::i18n::korean::glossary::REGISTRAR
            ),
        }
        for n in &s.name_servers {
            println!("         {n}");
        }
    }
    if let Some(url) = &s.dashboard {
        println!("{} {url}", lang.pick("Dashboard:", "대시보드:"));
    }
    if let Some((email, status)) = &s.alerts {
        let status = if ko {
            alert_status_ko(status)
        } else {
            status.as_str()
        };
        println!("{} {email} ({status})", lang.pick("Alerts:", "알림:"));
    }
    if let Some(sb) = &s.standby {
        let pick = |t: &crate::i18n::Text| lang.pick(&t.en, &t.ko).to_string();
        println!("{} {}", lang.pick("Standby:", "대기 리전:"), sb.region);
        println!(
            "  {} {}",
            lang.pick("serving:  ", "서비스:    "),
            pick(&sb.serving)
        );
        println!(
            "  {} {}",
            lang.pick("database: ", "데이터베이스:"),
            pick(&sb.database)
        );
        if let Some(files) = &sb.files {
            println!(
                "  {} {}",
                lang.pick("files:    ", "파일:      "),
                pick(files)
            );
        }
        if let Some(st) = &sb.static_files {
            println!("  {} {}", lang.pick("static:   ", "정적 파일: "), pick(st));
        }
        if let Some(lb) = &sb.load_balancer {
            println!("  {} {lb}", lang.pick("its ALB:  ", "ALB:       "));
        }
    }
    for line in &s.schedules {
        match (lang, line.split_once(FROM)) {
            (Lang::Ko, Some((what, next))) => println!("일정: {what}, {next}부터"),
            _ => println!("{} {line}", lang.pick("Schedule:", "일정:")),
        }
    }
    if let Some(drill) = &s.drill {
        println!(
            "{} {drill}   # {}",
            lang.pick("Prove it:", "HA 확인:"),
            lang.pick(
                "breaks one instance on purpose and times the healing",
                "인스턴스 하나를 일부러 고장 내고 복구 시간을 잽니다",
            )
        );
    }
}

/// A subscription's status (`resources::sns` words it in English) in Korean.
fn alert_status_ko(status: &str) -> &str {
    match status {
        "confirmed" => "승인됨",
        "missing" => "없음",
        WAITING | "" => "먼저 AWS가 보낸 메일을 승인하세요",
        other => other,
    }
}

/// One of the app tier's running instances: its ID and private address.
async fn app_instance(clients: &Clients, plan: &Plan) -> Option<(String, Option<String>)> {
    let group = crate::names::app(&plan.stack.name);
    let g = super::fleet::group(clients, &group).await.ok()??;
    let ids: Vec<String> = super::fleet::zones(&g).into_keys().collect();
    instance::addresses(clients, &ids)
        .await
        .ok()?
        .into_iter()
        .next()
        .map(|(id, _, private)| (id, private))
}
