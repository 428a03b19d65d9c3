//! Pure checks of a resolved plan: no AWS calls, so `hawiz plan`, the wizard's fields and
//! `apply` all refuse the same mistakes with the same words before anything is created.

use super::{NatMode, Network, Plan};
use ipnet::Ipv4Net;
use std::fmt;

/// One problem (or warning) about one field of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Dotted path as written in the plan file, e.g. `network.public_subnets[1]`.
    pub field: String,
    /// The English text; `Display` and the CLI use it.
    pub message: String,
    /// The same message in Korean.
    pub ko: String,
}

impl Finding {
    /// The message in the user's language.
    pub fn text(&self, lang: crate::i18n::Lang) -> &str {
        lang.pick(&self.message, &self.ko)
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    pub errors: Vec<Finding>,
    pub warnings: Vec<Finding>,
}

impl Report {
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }
    pub(crate) fn error(
        &mut self,
        field: impl Into<String>,
        en: impl Into<String>,
        ko: impl Into<String>,
    ) {
        self.errors.push(Finding {
            field: field.into(),
            message: en.into(),
            ko: ko.into(),
        });
    }
    pub(crate) fn warn(
        &mut self,
        field: impl Into<String>,
        en: impl Into<String>,
        ko: impl Into<String>,
    ) {
        self.warnings.push(Finding {
            field: field.into(),
            message: en.into(),
            ko: ko.into(),
        });
    }
}

/// Validate a plan after `Plan::resolve`.
pub fn validate(plan: &Plan) -> Report {
    let mut r = Report::default();
    stack_name(&plan.stack.name, &mut r);
    region(plan.region(), &mut r);
    if plan.network.adopts_vpc() {
        adopted_network(&plan.network, &mut r);
    } else {
        new_network(&plan.network, plan.region(), &mut r);
    }
    tiers::check(plan, &mut r);
    failover::check(plan, &mut r);
    scaling::check(plan, &mut r);
    r
}

pub use names::{region, stack_name};

/// Parse an IPv4 CIDR block, reporting the field on failure.
fn cidr(field: &str, text: &str, r: &mut Report) -> Option<Ipv4Net> {
    let Ok(net) = text.trim().parse::<Ipv4Net>() else {
        r.error(
            field,
            format!("{text:?} is not an IPv4 CIDR block like 10.0.0.0/16"),
            format!("{text:?}: 10.0.0.0/16 같은 IPv4 CIDR 블록이 아닙니다"),
        );
        return None;
    };
    if net.addr() != net.network() {
        r.error(
            field,
            format!(
                "{text} has host bits set; did you mean {}/{}?",
                net.network(),
                net.prefix_len()
            ),
            format!(
                "{text}: 호스트 비트가 설정되어 있습니다. {} 뜻하셨나요?",
                crate::i18n::korean::with(
                    &format!("{}/{}", net.network(), net.prefix_len()),
                    crate::i18n::korean::Josa::EulReul
                )
            ),
        );
        return None;
    }
    Some(net)
}

fn new_network(net: &Network, region_name: &str, r: &mut Report) {
    for (field, list) in [
        ("network.public_subnet_ids", &net.public_subnet_ids),
        ("network.private_subnet_ids", &net.private_subnet_ids),
    ] {
        if !list.is_empty() {
            r.error(
                field,
                "subnet IDs are only used with an existing VPC (network.vpc_id); set the VPC \
                 or remove the subnet IDs",
                "서브넷 ID는 기존 VPC(network.vpc_id)와 함께일 때만 쓰입니다. VPC를 설정하거나 \
                 서브넷 ID를 지우세요",
            );
        }
    }

    let vpc = cidr("network.cidr", &net.cidr, r);
    if let Some(vpc) = vpc
        && !(16..=28).contains(&vpc.prefix_len())
    {
        r.error(
            "network.cidr",
            format!(
                "{vpc}: AWS allows VPC blocks from /16 to /28 (got /{})",
                vpc.prefix_len()
            ),
            format!(
                "{vpc}: AWS VPC 블록은 /16부터 /28까지만 쓸 수 있습니다 (현재 /{})",
                vpc.prefix_len()
            ),
        );
    }

    let azs = net.azs();
    let mut distinct: Vec<&str> = Vec::new();
    for (i, az) in azs.iter().enumerate() {
        let field = format!("network.azs[{i}]");
        let suffix = az.strip_prefix(region_name).unwrap_or("");
        if suffix.is_empty()
            || !suffix
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            r.error(
                field,
                format!("{az:?} is not an availability zone of region {region_name}"),
                format!("{az:?}: 리전 {region_name}의 가용 영역이 아닙니다"),
            );
        } else if distinct.contains(&az.as_str()) {
            r.error(
                field,
                format!("{az} is listed twice; each AZ must be a different zone"),
                format!("{az}: 두 번 나열되었습니다. 가용 영역은 저마다 달라야 합니다"),
            );
        } else {
            distinct.push(az);
        }
    }
    if azs.len() < 2 {
        r.error(
            "network.azs",
            format!(
                "an HA site needs at least 2 availability zones (got {}), \
                 so that losing one zone leaves the site up",
                azs.len()
            ),
            format!(
                "HA 사이트에는 가용 영역이 2개 이상 필요합니다 (현재 {}개). \
                 그래야 한 영역을 잃어도 사이트가 계속 동작합니다",
                azs.len()
            ),
        );
    }

    // Every subnet: parse, sit inside the VPC, never overlap another.
    let mut placed: Vec<(String, Ipv4Net)> = Vec::new();
    for (tier, tier_ko, list) in [
        ("public", "퍼블릭", net.public_subnets()),
        ("private", "프라이빗", net.private_subnets()),
    ] {
        let key = format!("network.{tier}_subnets");
        let defaulted = match tier {
            "public" => net.public_subnets.is_none(),
            _ => net.private_subnets.is_none(),
        };
        if defaulted && !azs.is_empty() {
            // Resolving found no room for them: say so, not "0 subnets".
            r.error(
                &key,
                format!(
                    "the VPC range {} is too small for hawiz's default subnets (one public and \
                     one private per AZ, {} in all); choose a larger range such as 10.0.0.0/16, \
                     or give the subnets yourself",
                    net.cidr.trim(),
                    2 * azs.len()
                ),
                format!(
                    "VPC 범위 {}는 hawiz 기본 서브넷(가용 영역마다 퍼블릭 하나, 프라이빗 하나, 모두 \
                     {}개)이 들어가기에 너무 작습니다. 10.0.0.0/16처럼 더 큰 범위를 고르거나 \
                     서브넷을 직접 지정하세요",
                    net.cidr.trim(),
                    2 * azs.len()
                ),
            );
        } else if list.len() != azs.len() {
            r.error(
                &key,
                format!(
                    "{} {tier} subnet(s) for {} AZ(s); give exactly one {tier} subnet per AZ, \
                     in the order of network.azs",
                    list.len(),
                    azs.len()
                ),
                format!(
                    "가용 영역 {}개에 {tier_ko} 서브넷이 {}개입니다. 가용 영역마다 {tier_ko} 서브넷을 \
                     정확히 하나씩, network.azs 순서대로 지정하세요",
                    azs.len(),
                    list.len()
                ),
            );
        }
        for (i, text) in list.iter().enumerate() {
            let field = format!("{key}[{i}]");
            let Some(sub) = cidr(&field, text, r) else {
                continue;
            };
            if sub.prefix_len() > 28 {
                r.error(
                    &field,
                    format!(
                        "{sub}: AWS subnets can be no smaller than /28 (got /{})",
                        sub.prefix_len()
                    ),
                    format!(
                        "{sub}: AWS 서브넷은 /28보다 작을 수 없습니다 (현재 /{})",
                        sub.prefix_len()
                    ),
                );
            }
            if let Some(vpc) = vpc
                && !vpc.contains(&sub)
            {
                r.error(
                    &field,
                    format!("{sub} is outside the VPC block {vpc}"),
                    format!("{sub}: VPC 블록 {vpc} 밖에 있습니다"),
                );
            }
            if let Some((other, _)) = placed
                .iter()
                .find(|(_, o)| o.contains(&sub.network()) || sub.contains(&o.network()))
            {
                r.error(
                    &field,
                    format!("{sub} overlaps {other}; subnets must not share addresses"),
                    format!(
                        "{sub}: {} 겹칩니다. 서브넷끼리 주소를 나눠 쓸 수 없습니다",
                        crate::i18n::korean::with(other, crate::i18n::korean::Josa::GwaWa)
                    ),
                );
            }
            placed.push((format!("{field} ({sub})"), sub));
        }
    }

    match net.nat {
        NatMode::PerAz => {}
        NatMode::Single => r.warn(
            "network.nat",
            "\"single\": one NAT gateway serves every AZ. It is cheaper, but if its AZ fails \
             the instances in the other AZs lose outbound internet access (updates, plugins)",
            "\"single\": NAT 게이트웨이 하나가 모든 가용 영역을 맡습니다. 비용은 적지만 그 가용 \
             영역에 장애가 나면 다른 가용 영역의 인스턴스가 아웃바운드 인터넷 연결(업데이트, \
             플러그인)을 잃습니다",
        ),
        NatMode::None => r.warn(
            "network.nat",
            "\"none\": private subnets get no route to the internet, so instances there \
             cannot install packages or reach outside APIs",
            "\"none\": 프라이빗 서브넷에 인터넷으로 가는 경로가 없어, 그곳의 인스턴스는 패키지를 \
             설치하거나 외부 API에 접근할 수 없습니다",
        ),
    }
}

fn adopted_network(net: &Network, r: &mut Report) {
    let vpc_id = net.vpc_id.trim();
    if !looks_like_id(vpc_id, "vpc-") {
        r.error(
            "network.vpc_id",
            format!("{vpc_id:?} is not a VPC ID like vpc-0a1b2c3d4e5f67890"),
            format!("{vpc_id:?}: vpc-0a1b2c3d4e5f67890 같은 VPC ID가 아닙니다"),
        );
    }
    let mut seen: Vec<&str> = Vec::new();
    for (tier, tier_ko, list) in [
        ("public", "퍼블릭", &net.public_subnet_ids),
        ("private", "프라이빗", &net.private_subnet_ids),
    ] {
        let key = format!("network.{tier}_subnet_ids");
        if list.len() < 2 {
            r.error(
                &key,
                format!(
                    "an HA site needs {tier} subnets in at least 2 availability zones \
                     (got {} subnet(s))",
                    list.len()
                ),
                format!(
                    "HA 사이트에는 가용 영역 2개 이상에 걸친 {tier_ko} 서브넷이 필요합니다 \
                     (현재 서브넷 {}개)",
                    list.len()
                ),
            );
        }
        for (i, id) in list.iter().enumerate() {
            let field = format!("{key}[{i}]");
            if !looks_like_id(id, "subnet-") {
                r.error(
                    field,
                    format!("{id:?} is not a subnet ID like subnet-0a1b2c3d4e5f67890"),
                    format!("{id:?}: subnet-0a1b2c3d4e5f67890 같은 서브넷 ID가 아닙니다"),
                );
            } else if seen.contains(&id.as_str()) {
                r.error(
                    field,
                    format!("{id} is listed twice; a subnet is either public or private, once"),
                    format!(
                        "{id}: 두 번 나열되었습니다. 서브넷은 퍼블릭이나 프라이빗 중 한 곳에 한 번만 \
                         넣을 수 있습니다"
                    ),
                );
            } else {
                seen.push(id);
            }
        }
    }
}

fn looks_like_id(id: &str, prefix: &str) -> bool {
    id.strip_prefix(prefix)
        .is_some_and(|hex| !hex.is_empty() && hex.chars().all(|c| c.is_ascii_alphanumeric()))
}

mod failover;
pub mod known;
pub mod names;
mod reserved;
mod scaling;
mod tiers;
pub use scaling::email_ok;

#[cfg(test)]
mod tests;
