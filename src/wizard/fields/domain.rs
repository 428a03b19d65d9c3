//! The domain questions (step 7): the domain, the host name, the hosted zone, HTTPS.

use super::{FieldId, Invalid, Kind, Source, Spec};
use crate::plan::{Domain, Plan};

const ZONE_MODES: &[(&str, &str, &str)] = &[
    ("new", "create a new hosted zone", "새 호스팅 영역 만들기"),
    ("existing", "use my hosted zone", "기존 호스팅 영역 사용"),
];

pub(super) fn specs() -> Vec<Spec> {
    use Kind::*;
    vec![
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

/// The answer of one of these fields, as text.
pub(super) fn get(plan: &Plan, id: FieldId) -> Option<String> {
    use FieldId::*;
    let b = |v: bool| if v { "true" } else { "false" }.to_string();
    Some(match id {
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

        _ => return None,
    })
}

/// Write an answer into the plan: `Ok(false)` when the field is not one of these.
pub(super) fn set(plan: &mut Plan, id: FieldId, v: &str) -> Result<bool, Invalid> {
    use FieldId::*;
    let yes = v == "true";
    match id {
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

        _ => return Ok(false),
    }
    Ok(true)
}

fn domain(plan: &mut Plan) -> &mut Domain {
    plan.domain.get_or_insert_with(Domain::default)
}
