//! The servers' questions (steps 2 to 5): the bastion, the database, the shared files, the
//! launch template.

use super::{FieldId, Invalid, Kind, Source, Spec, number};
use crate::plan::Plan;

const ENGINES: &[(&str, &str, &str)] = &[
    ("mariadb", "MariaDB", "MariaDB"),
    ("mysql", "MySQL", "MySQL"),
];

pub(super) fn specs() -> Vec<Spec> {
    use Kind::*;
    vec![
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
            FastStart,
            3,
            "Fast start",
            "빠른 시작",
            Toggle,
            ["database.fast_start"]
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
    ]
}

/// The answer of one of these fields, as text.
pub(super) fn get(plan: &Plan, id: FieldId) -> Option<String> {
    use FieldId::*;
    let b = |v: bool| if v { "true" } else { "false" }.to_string();
    Some(match id {
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
        FastStart => b(plan.database.fast_start),
        DbName => plan.database.db_name.clone(),
        DbUser => plan.database.username.clone(),
        FilesEnabled => b(plan.files.enabled),
        AppType => plan.app.instance_type.clone(),
        _ => return None,
    })
}

/// Write an answer into the plan: `Ok(false)` when the field is not one of these.
pub(super) fn set(plan: &mut Plan, id: FieldId, v: &str) -> Result<bool, Invalid> {
    use FieldId::*;
    let yes = v == "true";
    match id {
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
        FastStart => plan.database.fast_start = yes,
        DbName => plan.database.db_name = v.to_string(),
        DbUser => plan.database.username = v.to_string(),
        FilesEnabled => plan.files.enabled = yes,
        AppType => plan.app.instance_type = v.to_string(),
        _ => return Ok(false),
    }
    Ok(true)
}
