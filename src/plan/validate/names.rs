//! Names and values with a rule stricter than their shape: the stack name feeds every
//! resource name (the strictest rule wins: RDS identifiers start with a letter and have no
//! `--`, load balancer names must not start with `internal-`), regions come from a known
//! list, instance types and DB classes need a real size, and the database refuses
//! reserved words for its user and schema names.

use super::Report;
pub use super::reserved::is_reserved;
use super::reserved::{RDS_USERS, SYSTEM_SCHEMAS};
use crate::i18n::korean::{Josa, with};

/// AWS regions hawiz knows (commercial, GovCloud, China). A region AWS opens later needs
/// a newer hawiz; the wizard's list comes from the account itself.
pub const REGIONS: &[&str] = &[
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "cn-north-1",
    "cn-northwest-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-gov-east-1",
    "us-gov-west-1",
    "us-west-1",
    "us-west-2",
];

/// The longest suffix hawiz appends to the stack name in a name with a 63-character
/// limit (`-db`, the RDS identifier): well inside it for a 32-character stack name.
const STACK_MAX: usize = 32;

/// The stack name: also used by the wizard's stack-name field.
pub fn stack_name(name: &str, r: &mut Report) {
    let ok_chars = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    let field = "stack.name";
    if !(3..=STACK_MAX).contains(&name.len()) || !ok_chars {
        // A name far too long is not echoed back whole.
        let shown = match name.char_indices().nth(40) {
            Some((cut, _)) => format!("{:?}… ({} characters)", &name[..cut], name.chars().count()),
            None => format!("{name:?}"),
        };
        r.error(
            field,
            format!(
                "{shown} must be 3 to 32 characters of lowercase letters, digits and '-' \
                 (it is used in every resource name and tag)"
            ),
            format!(
                "{shown}: 영문 소문자, 숫자, '-'로 된 3~32자여야 합니다 \
                 (모든 리소스 이름과 태그에 쓰입니다)"
            ),
        );
    } else if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        r.error(
            field,
            format!(
                "{name:?} must start with a letter: the database is named {name}-db, and RDS \
                 names start with a letter (try \"site-{name}\")"
            ),
            format!(
                "{} 영문자로 시작해야 합니다. 데이터베이스 이름이 {name}-db가 되는데, RDS 이름은 \
                 영문자로 시작해야 합니다 (예: \"site-{name}\")",
                with(&format!("{name:?}"), Josa::EunNeun)
            ),
        );
    } else if name.ends_with('-') {
        r.error(
            field,
            format!("{name:?} must end with a letter or digit"),
            format!("{name:?}: 영문자나 숫자로 끝나야 합니다"),
        );
    } else if name.contains("--") {
        let fixed = squeeze(name);
        r.error(
            field,
            format!(
                "{name:?} has two hyphens in a row, which RDS refuses in the database's name \
                 ({name}-db); use one, like {fixed:?}"
            ),
            format!(
                "{name:?}: 하이픈이 두 개 연달아 있습니다. RDS는 데이터베이스 이름({name}-db)에 \
                 이것을 허용하지 않습니다. {fixed:?}처럼 하나만 쓰세요"
            ),
        );
    } else if name.starts_with("internal-") {
        r.error(
            field,
            format!(
                "{name:?} starts with \"internal-\", which Elastic Load Balancing reserves for \
                 internal load balancers' names; choose another name"
            ),
            format!(
                "{name:?}: \"internal-\"로 시작합니다. Elastic Load Balancing은 이 접두사를 내부 로드 \
                 밸런서 이름에 예약해 둡니다. 다른 이름을 고르세요"
            ),
        );
    }
}

fn squeeze(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if !(c == '-' && out.ends_with('-')) {
            out.push(c);
        }
    }
    out
}

/// The region: a name from the known list.
pub fn region(region: &str, r: &mut Report) {
    region_at("stack.region", region, r)
}

/// The same check of a region named at another field (`failover.region`).
pub fn region_at(field: &str, region: &str, r: &mut Report) {
    if REGIONS.contains(&region) {
        return;
    }
    // `us-east-1x` → us-east-1; `ap-northeast-9` → the ap-northeast regions.
    let stem = region.rfind('-').map(|i| &region[..=i]).unwrap_or("");
    let close: Vec<&str> = REGIONS
        .iter()
        .copied()
        .filter(|k| region.starts_with(k) || (!stem.is_empty() && k.starts_with(stem)))
        .take(3)
        .collect();
    let hint = if close.is_empty() {
        "ap-northeast-2 (Seoul) or us-east-1 (N. Virginia)".to_string()
    } else {
        close.join(", ")
    };
    r.error(
        field,
        format!("{region:?} is not an AWS region; use one like {hint}"),
        format!(
            "{} AWS 리전이 아닙니다. {hint} 같은 리전을 쓰세요",
            with(&format!("{region:?}"), Josa::EunNeun)
        ),
    );
}

/// EC2 sizes: nano … xlarge, 2xlarge …, metal, metal-24xl.
fn size_ok(size: &str) -> bool {
    let n_then = |s: &str, tail: &str| {
        s.strip_suffix(tail)
            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
    };
    matches!(
        size,
        "nano" | "micro" | "small" | "medium" | "large" | "xlarge" | "metal"
    ) || n_then(size, "xlarge")
        || size.strip_prefix("metal-").is_some_and(|s| n_then(s, "xl"))
}

/// A family like t3, m7i-flex, u-6tb1: starts with a letter, has a generation digit.
fn family_ok(family: &str) -> bool {
    family.starts_with(|c: char| c.is_ascii_lowercase())
        && family.chars().any(|c| c.is_ascii_digit())
        && family
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// An EC2 instance type: family and a real size (`t3.potato` is refused here; whether
/// the region offers it is checked against the account).
pub fn instance_type(field: &str, label: (&str, &str), value: &str, r: &mut Report) {
    let ok = value
        .split_once('.')
        .is_some_and(|(family, size)| family_ok(family) && size_ok(size));
    if !ok {
        r.error(
            field,
            format!(
                "{label_en} {value:?} is not an EC2 instance type: a family and a size, like \
                 t3.micro or m7g.large",
                label_en = label.0
            ),
            format!(
                "{label_ko} {} EC2 인스턴스 유형이 아닙니다. t3.micro나 m7g.large처럼 패밀리와 크기로 \
                 쓰세요",
                with(&format!("{value:?}"), Josa::EunNeun),
                label_ko = label.1
            ),
        );
    }
}

/// An RDS instance class for MariaDB/MySQL: `db.` + an instance type.
pub fn db_class(value: &str, r: &mut Report) {
    let ok = value
        .strip_prefix("db.")
        .and_then(|t| t.split_once('.'))
        .is_some_and(|(family, size)| family_ok(family) && size_ok(size));
    if !ok {
        r.error(
            "database.instance_class",
            format!(
                "Instance class {value:?} is not an RDS instance class: \"db.\", a family and a \
                 size, like db.t3.micro or db.m7g.large"
            ),
            format!(
                "인스턴스 클래스 {} RDS 인스턴스 클래스가 아닙니다. db.t3.micro나 db.m7g.large처럼 \
                 \"db.\"와 패밀리, 크기로 쓰세요",
                with(&format!("{value:?}"), Josa::EunNeun)
            ),
        );
    }
}

/// The master user's name: not a reserved word, not a user RDS keeps.
pub fn db_user(name: &str, r: &mut Report) {
    let lower = name.to_ascii_lowercase();
    if RDS_USERS.contains(&lower.as_str()) {
        r.error(
            "database.username",
            format!("Master user {name:?} is reserved by RDS; choose another name, like \"admin\""),
            format!(
                "마스터 사용자 {} RDS가 예약한 이름입니다. \"admin\" 같은 다른 이름을 고르세요",
                with(&format!("{name:?}"), Josa::EunNeun)
            ),
        );
    } else if is_reserved(name) {
        r.error(
            "database.username",
            format!(
                "Master user {name:?} is a reserved word of MariaDB/MySQL, which RDS refuses as \
                 a user name; choose another, like \"admin\" or \"{lower}_admin\""
            ),
            format!(
                "마스터 사용자 {} MariaDB/MySQL의 예약어라 RDS가 사용자 이름으로 받지 않습니다. \
                 \"admin\"이나 \"{lower}_admin\" 같은 다른 이름을 고르세요",
                with(&format!("{name:?}"), Josa::EunNeun)
            ),
        );
    }
}

/// The initial database's name: not a system schema, not a reserved word.
pub fn db_name(name: &str, r: &mut Report) {
    let lower = name.to_ascii_lowercase();
    if SYSTEM_SCHEMAS.contains(&lower.as_str()) || is_reserved(name) {
        r.error(
            "database.db_name",
            format!(
                "Database name {name:?} is taken by MariaDB/MySQL itself (a system schema or \
                 a reserved word); use another, like \"wordpress\""
            ),
            format!(
                "데이터베이스 이름 {} MariaDB/MySQL이 직접 쓰는 이름(시스템 스키마나 예약어)입니다. \
                 \"wordpress\" 같은 다른 이름을 쓰세요",
                with(&format!("{name:?}"), Josa::EunNeun)
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        for ok in [
            "t3.micro",
            "m7i-flex.large",
            "c6g.16xlarge",
            "m5.metal",
            "u-6tb1.metal",
            "c7i.metal-24xl",
        ] {
            let mut r = Report::default();
            instance_type(
                "app.instance_type",
                ("Instance type", "인스턴스 유형"),
                ok,
                &mut r,
            );
            assert!(r.is_ok(), "{ok}: {r:?}");
        }
        for bad in ["t3.potato", "t3", "3t.micro", "t3.2large", "t3.xlargex"] {
            let mut r = Report::default();
            instance_type(
                "app.instance_type",
                ("Instance type", "인스턴스 유형"),
                bad,
                &mut r,
            );
            assert!(!r.is_ok(), "{bad}");
        }
    }
}
