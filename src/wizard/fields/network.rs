//! The account and network questions (steps 0 and 1): profile, region, stack name; a new
//! VPC (CIDR, AZs, subnets, NAT) or an adopted one (its ID and subnets).

use super::{FieldId, Invalid, Kind, Source, Spec};
use crate::plan::{NatMode, Plan};

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

pub(super) fn specs() -> Vec<Spec> {
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
    ]
}

/// The answer of one of these fields, as text.
pub(super) fn get(plan: &Plan, id: FieldId) -> Option<String> {
    use FieldId::*;
    let n = &plan.network;
    Some(match id {
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
        _ => return None,
    })
}

/// Write an answer into the plan: `Ok(false)` when the field is not one of these.
pub(super) fn set(plan: &mut Plan, id: FieldId, v: &str) -> Result<bool, Invalid> {
    use FieldId::*;
    let n = &mut plan.network;
    match id {
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
        _ => return Ok(false),
    }
    Ok(true)
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
