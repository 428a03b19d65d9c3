//! Fields with a known set of values: the region's AZs, the instance types the region
//! offers, the DB classes orderable for the engine, the account's key pairs. The sets come
//! from AWS (preflight reads them, the wizard's lists load them); checking a value against
//! a set is pure, so `hawiz plan` and the wizard's fields refuse with the same words.

use super::{Finding, Report};
use crate::i18n::korean::{Josa, with};
use crate::plan::{Engine, Plan};

/// The sets read from the account; `None` where a set could not be read (then that field
/// is not checked against it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Known {
    pub azs: Option<Vec<String>>,
    /// The region's offered instance types (at least those the plan names).
    pub instance_types: Option<Vec<String>>,
    /// The DB classes orderable for the plan's engine.
    pub db_classes: Option<Vec<String>>,
    pub key_pairs: Option<Vec<String>>,
}

fn listed(set: &[String], most: usize) -> String {
    let mut v: Vec<&str> = set.iter().map(String::as_str).take(most).collect();
    if set.len() > most {
        v.push("…");
    }
    v.join(", ")
}

fn finding(field: String, en: String, ko: String) -> Finding {
    Finding {
        field,
        message: en,
        ko,
    }
}

/// An AZ that is not one of the region's.
pub fn az(field: &str, index: usize, value: &str, region: &str, azs: &[String]) -> Option<Finding> {
    if azs.iter().any(|a| a == value) {
        return None;
    }
    let (en, ko) = match index {
        0 => ("First AZ", "첫째 가용 영역"),
        1 => ("Second AZ", "둘째 가용 영역"),
        _ => ("AZ", "가용 영역"),
    };
    Some(finding(
        field.into(),
        format!(
            "{en} {value} is not an availability zone of {region}; pick one of the region's: {}",
            listed(azs, 8)
        ),
        format!(
            "{ko} {} {region}의 가용 영역이 아닙니다. 이 리전의 가용 영역 중에서 고르세요: {}",
            with(value, Josa::EunNeun),
            listed(azs, 8)
        ),
    ))
}

/// An instance type the region does not offer.
pub fn instance_type(
    field: &str,
    label: (&str, &str),
    value: &str,
    region: &str,
    offered: &[String],
) -> Option<Finding> {
    if offered.iter().any(|t| t == value) {
        return None;
    }
    Some(finding(
        field.into(),
        format!(
            "{} {value} is not offered in {region}; pick a type the region offers, like t3.micro \
             or t3.small",
            label.0
        ),
        format!(
            "{} {} {region}에서 제공되지 않습니다. t3.micro나 t3.small처럼 이 리전에서 제공하는 유형을 \
             고르세요",
            label.1,
            with(value, Josa::EunNeun)
        ),
    ))
}

/// A DB class that cannot be ordered for the engine in the region.
pub fn db_class(
    value: &str,
    engine: Engine,
    region: &str,
    orderable: &[String],
) -> Option<Finding> {
    if orderable.iter().any(|c| c == value) {
        return None;
    }
    let engine = match engine {
        Engine::Mariadb => "MariaDB",
        Engine::Mysql => "MySQL",
    };
    Some(finding(
        "database.instance_class".into(),
        format!(
            "Instance class {value} cannot be ordered for {engine} in {region}; pick one that \
             can, like db.t3.micro or db.t4g.micro"
        ),
        format!(
            "인스턴스 클래스 {} {region}의 {engine}에 쓸 수 없습니다. db.t3.micro나 db.t4g.micro처럼 \
             쓸 수 있는 클래스를 고르세요",
            with(value, Josa::EunNeun)
        ),
    ))
}

/// A key pair that does not exist in the region.
pub fn key_pair(value: &str, region: &str, existing: &[String]) -> Option<Finding> {
    if existing.iter().any(|k| k == value) {
        return None;
    }
    let (there_en, there_ko) = if existing.is_empty() {
        ("there are none".to_string(), "하나도 없습니다".to_string())
    } else {
        (
            format!("there are: {}", listed(existing, 6)),
            format!("있는 키 페어: {}", listed(existing, 6)),
        )
    };
    Some(finding(
        "bastion.key_name".into(),
        format!(
            "Key pair {value:?} does not exist in {region} ({there_en}); import or create it \
             there first, or leave the key pair empty and hawiz creates one"
        ),
        format!(
            "키 페어 {} {region}에 없습니다 ({there_ko}). 먼저 그 리전에 가져오거나 만들고, 아니면 \
             키 페어를 비워 두어 hawiz가 새로 만들게 하세요",
            with(&format!("{value:?}"), Josa::EunNeun)
        ),
    ))
}

/// Every known-set check of a plan (after `resolve`).
pub fn check(plan: &Plan, known: &Known, r: &mut Report) {
    let region = plan.region();
    if let Some(azs) = &known.azs
        && !plan.network.adopts_vpc()
    {
        for (i, value) in plan.network.azs().iter().enumerate() {
            r.errors
                .extend(az(&format!("network.azs[{i}]"), i, value, region, azs));
        }
    }
    if let Some(offered) = &known.instance_types {
        if plan.bastion.enabled {
            r.errors.extend(instance_type(
                "bastion.instance_type",
                ("Bastion instance type", "배스천 인스턴스 유형"),
                &plan.bastion.instance_type,
                region,
                offered,
            ));
        }
        r.errors.extend(instance_type(
            "app.instance_type",
            ("Web server instance type", "웹 서버 인스턴스 유형"),
            &plan.app.instance_type,
            region,
            offered,
        ));
    }
    if let Some(classes) = &known.db_classes {
        r.errors.extend(db_class(
            &plan.database.instance_class,
            plan.database.engine,
            region,
            classes,
        ));
    }
    let key = plan.bastion.key_name.trim();
    if let Some(keys) = &known.key_pairs
        && plan.bastion.enabled
        && !key.is_empty()
    {
        r.errors.extend(key_pair(key, region, keys));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    fn known() -> Known {
        Known {
            azs: Some(s(&[
                "ap-northeast-2a",
                "ap-northeast-2b",
                "ap-northeast-2c",
                "ap-northeast-2d",
            ])),
            instance_types: Some(s(&["t3.micro", "t3.small"])),
            db_classes: Some(s(&["db.t3.micro"])),
            key_pairs: Some(s(&["mine"])),
        }
    }

    fn plan(toml: &str) -> Plan {
        let mut p = Plan::from_toml(toml).unwrap();
        p.resolve(None);
        p
    }

    fn errors(toml: &str) -> Vec<Finding> {
        let mut r = Report::default();
        check(&plan(toml), &known(), &mut r);
        r.errors
    }

    #[test]
    fn the_defaults_are_known() {
        assert!(errors("").is_empty());
        assert!(errors("[bastion]\nkey_name = \"mine\"").is_empty());
    }

    #[test]
    fn an_az_of_no_region_is_refused_naming_the_real_ones() {
        let e = errors("[network]\nazs = [\"ap-northeast-2a\", \"ap-northeast-2z\"]");
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].field, "network.azs[1]");
        assert_eq!(
            e[0].message,
            "Second AZ ap-northeast-2z is not an availability zone of ap-northeast-2; pick one of \
             the region's: ap-northeast-2a, ap-northeast-2b, ap-northeast-2c, ap-northeast-2d"
        );
        assert!(
            e[0].ko.starts_with("둘째 가용 영역 ap-northeast-2z는 "),
            "{}",
            e[0].ko
        );
    }

    #[test]
    fn an_instance_type_the_region_lacks_is_refused() {
        let e = errors("[app]\ninstance_type = \"x9.large\"");
        assert_eq!(e[0].field, "app.instance_type");
        assert!(
            e[0].message
                .starts_with("Web server instance type x9.large is not offered in ap-northeast-2")
        );
        assert!(e[0].message.contains("like t3.micro"));
    }

    #[test]
    fn a_db_class_the_engine_lacks_is_refused() {
        let e = errors("[database]\ninstance_class = \"db.x9.large\"");
        assert_eq!(e[0].field, "database.instance_class");
        assert!(
            e[0].message
                .contains("db.x9.large cannot be ordered for MariaDB in ap-northeast-2")
        );
    }

    #[test]
    fn a_missing_key_pair_is_refused_with_the_fix() {
        let e = errors("[bastion]\nkey_name = \"nope\"");
        assert_eq!(
            e[0].message,
            "Key pair \"nope\" does not exist in ap-northeast-2 (there are: mine); import or create \
             it there first, or leave the key pair empty and hawiz creates one"
        );
        assert!(e[0].ko.contains("\"nope\"는"), "{}", e[0].ko);
        // Not asked when there is no bastion.
        assert!(errors("[bastion]\nenabled = false\nkey_name = \"nope\"").is_empty());
    }

    #[test]
    fn unknown_sets_check_nothing() {
        let mut r = Report::default();
        check(
            &plan("[bastion]\nkey_name = \"nope\""),
            &Known::default(),
            &mut r,
        );
        assert!(r.errors.is_empty());
    }
}
