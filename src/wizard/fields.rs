//! Every question the wizard asks: its label, kind, default (from the plan's defaults),
//! how it reads and writes the plan, and which plan fields' findings belong to it. The
//! full-screen and the plain wizard both ask from this one table.

use crate::i18n::Lang;
use crate::plan::{Domain, NatMode, Plan};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldId {
    Profile,
    Region,
    StackName,
    VpcMode,
    VpcId,
    PublicSubnetIds,
    PrivateSubnetIds,
    Cidr,
    Az1,
    Az2,
    PublicSubnets,
    PrivateSubnets,
    Nat,
    BastionEnabled,
    BastionType,
    SshCidr,
    KeyName,
    Engine,
    DbClass,
    Storage,
    MaxStorage,
    MultiAz,
    DbName,
    DbUser,
    FilesEnabled,
    AppType,
    HealthPath,
    Min,
    Desired,
    Max,
    CpuTarget,
    ScalingPolicy,
    CpuAlarms,
    StepCooldown,
    Schedule,
    ScheduleCron,
    ScheduleZone,
    ScheduleSizes,
    AlertEmail,
    Dashboard,
    DomainEnabled,
    DomainName,
    Host,
    CreateZone,
    Https,
}

pub use crate::ops::lists::Source;

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// Free text; `Some(source)`: suggestions from AWS, cycled with ←/→.
    Text(Option<Source>),
    /// One of fixed values: (value, English label, Korean label).
    Choice(&'static [(&'static str, &'static str, &'static str)]),
    Toggle,
}

#[derive(Debug, Clone)]
pub struct Spec {
    pub id: FieldId,
    pub step: usize,
    pub label: (&'static str, &'static str),
    pub kind: Kind,
    /// Plan paths whose findings show at this field (prefix match).
    pub paths: &'static [&'static str],
}

impl Spec {
    pub fn label(&self, lang: Lang) -> &'static str {
        lang.pick(self.label.0, self.label.1)
    }
}

const VPC_MODES: &[(&str, &str, &str)] = &[
    ("new", "create a new VPC", "새 VPC 만들기"),
    ("existing", "use an existing VPC", "기존 VPC 사용"),
];
const NAT_MODES: &[(&str, &str, &str)] = &[
    ("per-az", "one per AZ (HA)", "가용 영역마다 하나 (HA)"),
    (
        "single",
        "one for all (cheaper, single point of failure)",
        "하나만 (저렴, 단일 장애 지점)",
    ),
    (
        "none",
        "none (no outbound internet)",
        "없음 (외부 인터넷 불가)",
    ),
];
const ENGINES: &[(&str, &str, &str)] = &[
    ("mariadb", "MariaDB", "MariaDB"),
    ("mysql", "MySQL", "MySQL"),
];
const SCALING_POLICIES: &[(&str, &str, &str)] = &[
    ("target-tracking", "target tracking", "대상 추적"),
    ("simple", "simple (CPU alarms)", "단순 (CPU 경보)"),
];
const ZONE_MODES: &[(&str, &str, &str)] = &[
    ("new", "create a new hosted zone", "새 호스팅 영역 만들기"),
    ("existing", "use my hosted zone", "기존 호스팅 영역 사용"),
];

macro_rules! spec {
    ($id:ident, $step:expr, $en:expr, $ko:expr, $kind:expr, [$($p:expr),*]) => {
        Spec { id: FieldId::$id, step: $step, label: ($en, $ko), kind: $kind, paths: &[$($p),*] }
    };
}

pub fn all() -> Vec<Spec> {
    use Kind::*;
    vec![
        spec!(Profile, 0, "AWS profile", "AWS 프로필", Text(None), []),
        spec!(
            Region,
            0,
            "Region",
            "리전",
            Text(Some(Source::Regions)),
            ["stack.region"]
        ),
        spec!(
            StackName,
            0,
            "Stack name",
            "스택 이름",
            Text(None),
            ["stack.name"]
        ),
        spec!(VpcMode, 1, "VPC", "VPC", Choice(VPC_MODES), []),
        spec!(
            VpcId,
            1,
            "Existing VPC",
            "기존 VPC",
            Text(Some(Source::Vpcs)),
            ["network.vpc_id"]
        ),
        spec!(
            PublicSubnetIds,
            1,
            "Public subnet IDs",
            "퍼블릭 서브넷 ID",
            Text(Some(Source::Subnets)),
            ["network.public_subnet_ids"]
        ),
        spec!(
            PrivateSubnetIds,
            1,
            "Private subnet IDs",
            "프라이빗 서브넷 ID",
            Text(Some(Source::Subnets)),
            ["network.private_subnet_ids"]
        ),
        spec!(
            Cidr,
            1,
            "VPC CIDR",
            "VPC CIDR",
            Text(None),
            ["network.cidr"]
        ),
        spec!(
            Az1,
            1,
            "First AZ",
            "첫째 가용 영역",
            Text(Some(Source::Azs)),
            ["network.azs[0]", "network.azs"]
        ),
        spec!(
            Az2,
            1,
            "Second AZ",
            "둘째 가용 영역",
            Text(Some(Source::Azs)),
            ["network.azs[1]", "network.azs"]
        ),
        spec!(
            PublicSubnets,
            1,
            "Public subnets",
            "퍼블릭 서브넷",
            Text(None),
            ["network.public_subnets"]
        ),
        spec!(
            PrivateSubnets,
            1,
            "Private subnets",
            "프라이빗 서브넷",
            Text(None),
            ["network.private_subnets"]
        ),
        spec!(
            Nat,
            1,
            "NAT gateways",
            "NAT 게이트웨이",
            Choice(NAT_MODES),
            ["network.nat"]
        ),
        spec!(
            BastionEnabled,
            2,
            "Bastion host",
            "배스천 호스트",
            Toggle,
            []
        ),
        spec!(
            BastionType,
            2,
            "Instance type",
            "인스턴스 유형",
            Text(Some(Source::InstanceTypes)),
            ["bastion.instance_type"]
        ),
        spec!(
            SshCidr,
            2,
            "SSH allowed from",
            "SSH 허용 주소",
            Text(None),
            ["bastion.ssh_cidr"]
        ),
        spec!(
            KeyName,
            2,
            "Key pair (empty: new)",
            "키 페어 (비우면 새로)",
            Text(Some(Source::KeyPairs)),
            ["bastion.key_name"]
        ),
        spec!(
            Engine,
            3,
            "Engine",
            "엔진",
            Choice(ENGINES),
            ["database.engine"]
        ),
        spec!(
            DbClass,
            3,
            "Instance class",
            "DB 인스턴스 클래스",
            Text(None),
            ["database.instance_class"]
        ),
        spec!(
            Storage,
            3,
            "Storage (GiB)",
            "스토리지 (GiB)",
            Text(None),
            ["database.storage_gib"]
        ),
        spec!(
            MaxStorage,
            3,
            "Autoscale up to (GiB)",
            "자동 확장 한도 (GiB)",
            Text(None),
            ["database.max_storage_gib"]
        ),
        spec!(
            MultiAz,
            3,
            "Multi-AZ",
            "다중 AZ",
            Toggle,
            ["database.multi_az"]
        ),
        spec!(
            DbName,
            3,
            "Database name",
            "데이터베이스 이름",
            Text(None),
            ["database.db_name"]
        ),
        spec!(
            DbUser,
            3,
            "Master user",
            "마스터 사용자 이름",
            Text(None),
            ["database.username"]
        ),
        spec!(
            FilesEnabled,
            4,
            "Shared web root (EFS)",
            "공유 웹 루트 (EFS)",
            Toggle,
            ["files.enabled"]
        ),
        spec!(
            AppType,
            5,
            "Instance type",
            "인스턴스 유형",
            Text(Some(Source::InstanceTypes)),
            ["app.instance_type"]
        ),
        spec!(
            HealthPath,
            6,
            "Health check path",
            "상태 검사 경로",
            Text(None),
            ["load_balancer.health_check_path"]
        ),
        spec!(
            Min,
            6,
            "Minimum instances",
            "최소 용량",
            Text(None),
            ["app.min"]
        ),
        spec!(
            Desired,
            6,
            "Desired instances",
            "원하는 용량",
            Text(None),
            ["app.desired"]
        ),
        spec!(
            Max,
            6,
            "Maximum instances",
            "최대 용량",
            Text(None),
            ["app.max"]
        ),
        spec!(
            ScalingPolicy,
            6,
            "Scaling policy",
            "조정 정책",
            Choice(SCALING_POLICIES),
            ["scaling.policy"]
        ),
        spec!(
            CpuTarget,
            6,
            "CPU target (%)",
            "CPU 목표 (%)",
            Text(None),
            ["app.cpu_target"]
        ),
        spec!(
            CpuAlarms,
            6,
            "CPU alarms high/low (%)",
            "CPU 경보 높음/낮음 (%)",
            Text(None),
            ["scaling.cpu_high", "scaling.cpu_low"]
        ),
        spec!(
            StepCooldown,
            6,
            "Step / cooldown (s)",
            "단계 / 휴지 기간 (초)",
            Text(None),
            ["scaling.step", "scaling.cooldown_secs"]
        ),
        spec!(Schedule, 6, "Scheduled action", "예약된 작업", Toggle, []),
        spec!(
            ScheduleCron,
            6,
            "Schedule (cron)",
            "일정 (cron)",
            Text(None),
            ["scaling.schedule[0].cron", "scaling.schedule[0].name"]
        ),
        spec!(
            ScheduleZone,
            6,
            "Schedule time zone",
            "일정 시간대",
            Text(None),
            ["scaling.schedule[0].timezone"]
        ),
        spec!(
            ScheduleSizes,
            6,
            "Schedule min/desired/max",
            "일정 최소/원하는/최대 용량",
            Text(None),
            [
                "scaling.schedule[0].min",
                "scaling.schedule[0].desired",
                "scaling.schedule[0].max"
            ]
        ),
        spec!(
            AlertEmail,
            6,
            "Alert email",
            "알림 이메일",
            Text(None),
            ["alerts.email"]
        ),
        spec!(
            Dashboard,
            6,
            "Dashboard",
            "대시보드",
            Toggle,
            ["alerts.dashboard"]
        ),
        spec!(
            DomainEnabled,
            7,
            "Use my domain",
            "내 도메인 사용",
            Toggle,
            []
        ),
        spec!(
            DomainName,
            7,
            "Domain",
            "도메인",
            Text(Some(Source::HostedZones)),
            ["domain.name"]
        ),
        spec!(
            Host,
            7,
            "Host name",
            "호스트 이름",
            Text(None),
            ["domain.host"]
        ),
        spec!(
            CreateZone,
            7,
            "Hosted zone",
            "호스팅 영역",
            Choice(ZONE_MODES),
            ["domain.create_hosted_zone"]
        ),
        spec!(
            Https,
            7,
            "HTTPS (ACM)",
            "HTTPS (ACM)",
            Toggle,
            ["domain.https"]
        ),
    ]
}

pub fn for_step(step: usize) -> Vec<Spec> {
    all().into_iter().filter(|s| s.step == step).collect()
}

/// Whether a field is asked, given the other answers.
pub fn visible(plan: &Plan, id: FieldId) -> bool {
    use FieldId::*;
    let adopt = plan.network.adopts_vpc();
    match id {
        VpcId | PublicSubnetIds | PrivateSubnetIds => adopt,
        Cidr | Az1 | Az2 | PublicSubnets | PrivateSubnets | Nat => !adopt,
        BastionType | SshCidr | KeyName => plan.bastion.enabled,
        DomainName | Host | CreateZone | Https => plan.domain.is_some(),
        CpuTarget => plan.scaling.policy == crate::plan::ScalingPolicy::TargetTracking,
        CpuAlarms | StepCooldown => plan.scaling.policy == crate::plan::ScalingPolicy::Simple,
        ScheduleCron | ScheduleZone | ScheduleSizes => !plan.scaling.schedule.is_empty(),
        _ => true,
    }
}

fn list(v: &[String]) -> String {
    v.join(", ")
}

fn split(text: &str) -> Vec<String> {
    text.split([',', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The field's current answer, as text.
pub fn get(plan: &Plan, profile: &str, id: FieldId) -> String {
    use FieldId::*;
    let n = &plan.network;
    let b = |v: bool| if v { "true" } else { "false" }.to_string();
    match id {
        Profile => profile.to_string(),
        Region => plan.region().to_string(),
        StackName => plan.stack.name.clone(),
        VpcMode => if n.adopts_vpc() { "existing" } else { "new" }.to_string(),
        VpcId => n.vpc_id.clone(),
        PublicSubnetIds => list(&n.public_subnet_ids),
        PrivateSubnetIds => list(&n.private_subnet_ids),
        Cidr => n.cidr.clone(),
        Az1 => n.azs().first().cloned().unwrap_or_default(),
        Az2 => n.azs().get(1).cloned().unwrap_or_default(),
        PublicSubnets => list(n.public_subnets()),
        PrivateSubnets => list(n.private_subnets()),
        Nat => n.nat.as_str().to_string(),
        BastionEnabled => b(plan.bastion.enabled),
        BastionType => plan.bastion.instance_type.clone(),
        SshCidr => plan.bastion.ssh_cidr.clone(),
        KeyName => plan.bastion.key_name.clone(),
        Engine => match plan.database.engine {
            crate::plan::Engine::Mariadb => "mariadb",
            crate::plan::Engine::Mysql => "mysql",
        }
        .to_string(),
        DbClass => plan.database.instance_class.clone(),
        Storage => plan.database.storage_gib.to_string(),
        MaxStorage => plan.database.max_storage_gib.to_string(),
        MultiAz => b(plan.database.multi_az),
        DbName => plan.database.db_name.clone(),
        DbUser => plan.database.username.clone(),
        FilesEnabled => b(plan.files.enabled),
        AppType => plan.app.instance_type.clone(),
        HealthPath => plan.load_balancer.health_check_path.clone(),
        Min => plan.app.min.to_string(),
        Desired => plan.app.desired.to_string(),
        Max => plan.app.max.to_string(),
        CpuTarget => format!("{}", plan.app.cpu_target),
        ScalingPolicy => plan.scaling.policy.as_str().to_string(),
        CpuAlarms => format!("{}/{}", plan.scaling.cpu_high, plan.scaling.cpu_low),
        StepCooldown => format!("{}/{}", plan.scaling.step, plan.scaling.cooldown_secs),
        Schedule => b(!plan.scaling.schedule.is_empty()),
        ScheduleCron => first_schedule(plan)
            .map(|s| s.cron.clone())
            .unwrap_or_default(),
        ScheduleZone => first_schedule(plan)
            .map(|s| s.timezone.clone())
            .unwrap_or_default(),
        ScheduleSizes => first_schedule(plan)
            .map(|s| format!("{}/{}/{}", s.min, s.desired, s.max))
            .unwrap_or_default(),
        AlertEmail => plan.alerts.email.clone(),
        Dashboard => b(plan.alerts.dashboard),
        DomainEnabled => b(plan.domain.is_some()),
        DomainName => plan
            .domain
            .as_ref()
            .map(|d| d.name.clone())
            .unwrap_or_default(),
        Host => plan
            .domain
            .as_ref()
            .map(|d| d.host.clone())
            .unwrap_or_default(),
        CreateZone => if plan.domain.as_ref().is_none_or(|d| d.create_hosted_zone) {
            "new"
        } else {
            "existing"
        }
        .to_string(),
        Https => b(plan.domain.as_ref().is_some_and(|d| d.https)),
    }
}

/// The wizard asks for one scheduled action (the plan file may hold more).
fn first_schedule(plan: &Plan) -> Option<&crate::plan::Schedule> {
    plan.scaling.schedule.first()
}

fn schedule(plan: &mut Plan) -> &mut crate::plan::Schedule {
    if plan.scaling.schedule.is_empty() {
        plan.scaling.schedule.push(crate::plan::Schedule::default());
    }
    &mut plan.scaling.schedule[0]
}

/// "80/10" → (80, 10): numbers separated by `/`, as many as `n`.
fn numbers<T: std::str::FromStr>(text: &str, n: usize, example: &str) -> Result<Vec<T>, Invalid> {
    let parts: Vec<&str> = text.split('/').map(str::trim).collect();
    let bad = || Invalid {
        en: format!(
            "{:?}: write {n} numbers separated by '/', e.g. {example}",
            text.trim()
        ),
        ko: format!(
            "{:?}: '/'로 나눈 숫자 {n}개를 쓰세요. 예: {example}",
            text.trim()
        ),
    };
    if parts.len() != n {
        return Err(bad());
    }
    parts.iter().map(|p| p.parse().map_err(|_| bad())).collect()
}

/// A problem with the text itself (before the plan's own checks), in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub en: String,
    pub ko: String,
}

impl Invalid {
    pub fn text(&self, lang: Lang) -> &str {
        lang.pick(&self.en, &self.ko)
    }
}

fn number<T: std::str::FromStr>(text: &str) -> Result<T, Invalid> {
    text.trim().parse().map_err(|_| Invalid {
        en: format!("{:?} is not a number", text.trim()),
        ko: format!(
            "{} 숫자가 아닙니다",
            crate::i18n::korean::with(
                &format!("{:?}", text.trim()),
                crate::i18n::korean::Josa::EunNeun
            )
        ),
    })
}

/// Write an answer into the plan. `profile` holds the one answer that is not in the plan.
pub fn set(plan: &mut Plan, profile: &mut String, id: FieldId, value: &str) -> Result<(), Invalid> {
    use FieldId::*;
    let v = value.trim();
    let yes = v == "true";
    let n = &mut plan.network;
    match id {
        Profile => *profile = v.to_string(),
        Region => {
            let changed = plan.stack.region.as_deref() != Some(v);
            plan.stack.region = Some(v.to_string());
            if changed && !plan.network.adopts_vpc() {
                // AZs belong to a region: follow it.
                plan.network.azs = None;
                plan.resolve(None);
            }
        }
        StackName => plan.stack.name = v.to_string(),
        VpcMode => {
            if v == "new" {
                n.vpc_id.clear();
                n.public_subnet_ids.clear();
                n.private_subnet_ids.clear();
                plan.resolve(None);
            } else if n.vpc_id.is_empty() {
                n.vpc_id = "vpc-".into();
            }
        }
        VpcId => n.vpc_id = v.to_string(),
        PublicSubnetIds => n.public_subnet_ids = split(v),
        PrivateSubnetIds => n.private_subnet_ids = split(v),
        Cidr => n.cidr = v.to_string(),
        Az1 | Az2 => {
            let mut azs = n.azs().to_vec();
            azs.resize(azs.len().max(2), String::new());
            azs[if id == Az1 { 0 } else { 1 }] = v.to_string();
            n.azs = Some(azs);
        }
        PublicSubnets => n.public_subnets = Some(split(v)),
        PrivateSubnets => n.private_subnets = Some(split(v)),
        Nat => {
            n.nat = match v {
                "single" => NatMode::Single,
                "none" => NatMode::None,
                _ => NatMode::PerAz,
            }
        }
        BastionEnabled => plan.bastion.enabled = yes,
        BastionType => plan.bastion.instance_type = v.to_string(),
        SshCidr => plan.bastion.ssh_cidr = v.to_string(),
        KeyName => plan.bastion.key_name = v.to_string(),
        Engine => {
            plan.database.engine = if v == "mysql" {
                crate::plan::Engine::Mysql
            } else {
                crate::plan::Engine::Mariadb
            }
        }
        DbClass => plan.database.instance_class = v.to_string(),
        Storage => plan.database.storage_gib = number(v)?,
        MaxStorage => plan.database.max_storage_gib = number(v)?,
        MultiAz => plan.database.multi_az = yes,
        DbName => plan.database.db_name = v.to_string(),
        DbUser => plan.database.username = v.to_string(),
        FilesEnabled => plan.files.enabled = yes,
        AppType => plan.app.instance_type = v.to_string(),
        HealthPath => plan.load_balancer.health_check_path = v.to_string(),
        Min => plan.app.min = number(v)?,
        Desired => plan.app.desired = number(v)?,
        Max => plan.app.max = number(v)?,
        CpuTarget => plan.app.cpu_target = number(v)?,
        ScalingPolicy => {
            plan.scaling.policy = if v == "simple" {
                crate::plan::ScalingPolicy::Simple
            } else {
                crate::plan::ScalingPolicy::TargetTracking
            }
        }
        CpuAlarms => {
            let n: Vec<f64> = numbers(v, 2, "80/10")?;
            (plan.scaling.cpu_high, plan.scaling.cpu_low) = (n[0], n[1]);
        }
        StepCooldown => {
            let n: Vec<u32> = numbers(v, 2, "1/300")?;
            (plan.scaling.step, plan.scaling.cooldown_secs) = (n[0], n[1]);
        }
        Schedule => {
            if yes {
                schedule(plan);
            } else {
                plan.scaling.schedule.clear();
            }
        }
        ScheduleCron => schedule(plan).cron = v.to_string(),
        ScheduleZone => schedule(plan).timezone = v.to_string(),
        ScheduleSizes => {
            let n: Vec<u32> = numbers(v, 3, "2/4/6")?;
            let s = schedule(plan);
            (s.min, s.desired, s.max) = (n[0], n[1], n[2]);
        }
        AlertEmail => plan.alerts.email = v.to_string(),
        Dashboard => plan.alerts.dashboard = yes,
        DomainEnabled => {
            if yes && plan.domain.is_none() {
                plan.domain = Some(Domain::default());
            } else if !yes {
                plan.domain = None;
            }
        }
        DomainName => domain(plan).name = v.to_string(),
        Host => domain(plan).host = v.to_string(),
        CreateZone => domain(plan).create_hosted_zone = v != "existing",
        Https => domain(plan).https = yes,
    }
    Ok(())
}

/// A field with a known set of values (region, AZs, instance types offered in the region,
/// DB classes for the engine, key pairs) refuses what is not in the set the wizard loaded,
/// in the same words as `hawiz plan`. An empty set (not loaded, or not read) refuses
/// nothing; an empty key pair means "create one".
pub fn not_in_set(plan: &Plan, id: FieldId, value: &str, set: &[String]) -> Option<Invalid> {
    use crate::plan::validate::known;
    use FieldId::*;
    let v = value.trim();
    if set.is_empty() {
        return None;
    }
    let region = plan.region();
    let finding = match id {
        Region if !set.iter().any(|r| r == v) => Some(crate::plan::Finding {
            field: "stack.region".into(),
            message: format!(
                "Region {v:?} is not one of this account's regions; pick one of: {}",
                set.join(", ")
            ),
            ko: format!(
                "리전 {} 이 계정의 리전이 아닙니다. 다음 중에서 고르세요: {}",
                crate::i18n::korean::with(&format!("{v:?}"), crate::i18n::korean::Josa::EunNeun),
                set.join(", ")
            ),
        }),
        Az1 | Az2 => {
            let i = usize::from(id == Az2);
            known::az(&format!("network.azs[{i}]"), i, v, region, set)
        }
        BastionType => known::instance_type(
            "bastion.instance_type",
            ("Bastion instance type", "배스천 인스턴스 유형"),
            v,
            region,
            set,
        ),
        AppType => known::instance_type(
            "app.instance_type",
            ("Web server instance type", "웹 서버 인스턴스 유형"),
            v,
            region,
            set,
        ),
        DbClass => known::db_class(v, plan.database.engine, region, set),
        KeyName if !v.is_empty() => known::key_pair(v, region, set),
        _ => None,
    };
    finding.map(|f| Invalid {
        en: f.message,
        ko: f.ko,
    })
}

fn domain(plan: &mut Plan) -> &mut Domain {
    plan.domain.get_or_insert_with(Domain::default)
}

/// Whether a finding about `path` belongs to the field with these paths. A field that
/// names one element (`network.azs[1]`) takes that element's findings and the list's own,
/// not its siblings'.
pub fn owns(paths: &[&str], path: &str) -> bool {
    if paths.contains(&path) {
        return true;
    }
    let base = path.split('[').next().unwrap_or(path);
    let indexed_here = paths
        .iter()
        .any(|p| p.contains('[') && p.split('[').next() == Some(base));
    if path.contains('[') && indexed_here {
        return false;
    }
    paths.contains(&base)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> Plan {
        let mut p = Plan::default();
        p.resolve(None);
        p
    }

    #[test]
    fn every_field_round_trips_through_text() {
        let mut p = plan();
        p.domain = Some(Domain::default());
        let mut profile = "default".to_string();
        for spec in all() {
            let before = get(&p, &profile, spec.id);
            set(&mut p, &mut profile, spec.id, &before).unwrap();
            assert_eq!(get(&p, &profile, spec.id), before, "{:?}", spec.id);
        }
    }

    #[test]
    fn defaults_are_the_spec_defaults() {
        let p = plan();
        assert_eq!(get(&p, "", FieldId::Region), "ap-northeast-2");
        assert_eq!(get(&p, "", FieldId::Cidr), "10.0.0.0/16");
        assert_eq!(
            get(&p, "", FieldId::PublicSubnets),
            "10.0.0.0/24, 10.0.1.0/24"
        );
        assert_eq!(get(&p, "", FieldId::Nat), "per-az");
        assert_eq!(get(&p, "", FieldId::MultiAz), "true");
        assert_eq!(get(&p, "", FieldId::Desired), "2");
    }

    #[test]
    fn numbers_are_checked_in_both_languages() {
        let mut p = plan();
        let e = set(&mut p, &mut String::new(), FieldId::Storage, "twenty").unwrap_err();
        assert_eq!(e.text(Lang::En), "\"twenty\" is not a number");
        assert!(e.text(Lang::Ko).contains("숫자가 아닙니다"));
    }

    #[test]
    fn region_change_moves_the_azs() {
        let mut p = plan();
        set(&mut p, &mut String::new(), FieldId::Region, "us-east-1").unwrap();
        assert_eq!(p.network.azs(), ["us-east-1a", "us-east-1c"]);
    }

    #[test]
    fn visibility_follows_answers() {
        let mut p = plan();
        assert!(visible(&p, FieldId::Cidr) && !visible(&p, FieldId::VpcId));
        set(&mut p, &mut String::new(), FieldId::VpcMode, "existing").unwrap();
        assert!(!visible(&p, FieldId::Cidr) && visible(&p, FieldId::VpcId));
        assert!(!visible(&p, FieldId::DomainName));
        set(&mut p, &mut String::new(), FieldId::DomainEnabled, "true").unwrap();
        assert!(visible(&p, FieldId::DomainName));
    }

    #[test]
    fn known_sets_refuse_at_the_field() {
        let p = plan();
        let azs: Vec<String> = ["ap-northeast-2a", "ap-northeast-2c"]
            .map(String::from)
            .to_vec();
        let e = not_in_set(&p, FieldId::Az2, "ap-northeast-2z", &azs).unwrap();
        assert!(e.en.starts_with("Second AZ ap-northeast-2z is not an availability zone"));
        assert!(not_in_set(&p, FieldId::Az2, "ap-northeast-2c", &azs).is_none());
        assert!(not_in_set(&p, FieldId::Az2, "ap-northeast-2z", &[]).is_none());
        let keys = vec!["mine".to_string()];
        assert!(not_in_set(&p, FieldId::KeyName, "", &keys).is_none());
        let e = not_in_set(&p, FieldId::KeyName, "nope", &keys).unwrap();
        assert!(e.en.contains("leave the key pair empty"), "{}", e.en);
        let types = vec!["t3.micro".to_string()];
        assert!(not_in_set(&p, FieldId::AppType, "x9.large", &types).is_some());
        let classes = vec!["db.t3.micro".to_string()];
        assert!(not_in_set(&p, FieldId::DbClass, "db.x9.large", &classes).is_some());
        let regions = vec!["ap-northeast-2".to_string(), "us-east-1".to_string()];
        let e = not_in_set(&p, FieldId::Region, "us-east-1x", &regions).unwrap();
        assert!(e.en.contains("\"us-east-1x\""), "{}", e.en);
    }

    #[test]
    fn findings_find_their_field() {
        assert!(owns(
            &["network.public_subnets"],
            "network.public_subnets[1]"
        ));
        assert!(owns(&["network.public_subnets"], "network.public_subnets"));
        assert!(!owns(
            &["network.public_subnets"],
            "network.public_subnet_ids[0]"
        ));
        assert!(owns(&["network.azs[1]", "network.azs"], "network.azs"));
        assert!(!owns(&["network.azs[1]", "network.azs"], "network.azs[0]"));
    }

    #[test]
    fn seed_003_fields_write_the_plan_and_own_its_findings() {
        let mut p = plan();
        let mut profile = String::new();
        set(&mut p, &mut profile, FieldId::ScalingPolicy, "simple").unwrap();
        assert!(visible(&p, FieldId::CpuAlarms) && !visible(&p, FieldId::CpuTarget));
        set(&mut p, &mut profile, FieldId::CpuAlarms, "50/60").unwrap();
        let bad = set(&mut p, &mut profile, FieldId::StepCooldown, "1").unwrap_err();
        assert!(
            bad.en
                .contains("write 2 numbers separated by '/', e.g. 1/300"),
            "{}",
            bad.en
        );
        assert!(!visible(&p, FieldId::ScheduleCron));
        set(&mut p, &mut profile, FieldId::Schedule, "true").unwrap();
        set(&mut p, &mut profile, FieldId::ScheduleSizes, "5/2/6").unwrap();
        set(&mut p, &mut profile, FieldId::ScheduleZone, "Mars/Olympus").unwrap();
        let report = crate::plan::validate::validate(&p);
        let spec = |id| all().into_iter().find(|s| s.id == id).unwrap();
        for (id, words) in [
            (FieldId::CpuAlarms, "scale-in threshold (60 %)"),
            (FieldId::ScheduleSizes, "5 ≤ 2 ≤ 6"),
            (
                FieldId::ScheduleZone,
                "\"Mars/Olympus\" is not a time zone name",
            ),
        ] {
            assert!(
                report
                    .errors
                    .iter()
                    .any(|f| owns(spec(id).paths, &f.field) && f.message.contains(words)),
                "{id:?}: {:#?}",
                report.errors
            );
        }
        assert_eq!(get(&p, "", FieldId::ScheduleSizes), "5/2/6");
        set(&mut p, &mut profile, FieldId::Schedule, "false").unwrap();
        assert!(p.scaling.schedule.is_empty());
    }
}
