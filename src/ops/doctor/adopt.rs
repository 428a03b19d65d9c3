//! From findings to a fix: a plan that adopts the surveyed VPC — its public and private
//! subnets in two AZs — so `hawiz plan FILE` shows what hawiz would build there (the
//! database, the shared files, the app tier, the load balancer) and `hawiz apply FILE`
//! builds it. The user's network is used as it is, never changed.

use super::Report;
use crate::i18n::Text;
use crate::plan::Plan;

/// Two AZs, each with a public and a private subnet (the first of each, by ID): `None`
/// when the VPC has no two such AZs.
fn pairs(r: &Report) -> Option<Vec<(String, String, String)>> {
    let s = &r.survey;
    let mut zones: Vec<&str> = s.subnets.iter().map(|x| x.az.as_str()).collect();
    zones.sort_unstable();
    zones.dedup();
    let pick = |az: &str, public: bool| {
        let mut ids: Vec<&str> = s
            .subnets
            .iter()
            .filter(|x| x.az == az && x.public == public)
            .map(|x| x.id.as_str())
            .collect();
        ids.sort_unstable();
        ids.first().map(|id| id.to_string())
    };
    let found: Vec<(String, String, String)> = zones
        .into_iter()
        .filter_map(|az| Some((az.to_string(), pick(az, true)?, pick(az, false)?)))
        .take(2)
        .collect();
    (found.len() == 2).then_some(found)
}

/// A stack name from the VPC's Name tag (hawiz's rules: 3–32 of a-z, 0-9 and '-',
/// starting with a letter), else `wordpress-ha`.
fn stack_name(vpc_name: &str) -> String {
    let mut name: String = vpc_name
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    name = name.trim_matches('-').to_string();
    name.truncate(32);
    let name = name.trim_end_matches('-').to_string();
    if name.len() >= 3 && name.starts_with(|c: char| c.is_ascii_lowercase()) {
        name
    } else {
        "wordpress-ha".to_string()
    }
}

/// The plan, or why none can be written.
pub fn plan(r: &Report) -> Result<Plan, Text> {
    let mut plan = Plan::default();
    plan.stack.name = stack_name(&r.survey.name);
    adopt(&mut plan, r)?;
    Ok(plan)
}

/// The answers so far, now adopting the surveyed VPC and its subnets (the wizard's
/// "continue as an adoption"): the region becomes the VPC's, the rest stays.
pub fn adopt(plan: &mut Plan, r: &Report) -> Result<(), Text> {
    let Some(pairs) = pairs(r) else {
        return Err(Text::new(
            format!(
                "{} has no two AZs each with a public subnet (a route to an Internet gateway) and a private one: a plan cannot adopt it as it is. Add them, or let hawiz build a VPC of its own (`hawiz`)",
                r.survey.vpc
            ),
            format!(
                "{}에는 퍼블릭 서브넷(인터넷 게이트웨이 경로)과 프라이빗 서브넷을 함께 가진 AZ가 둘 없어, 그대로 가져오는 계획을 쓸 수 없습니다. 서브넷을 더하거나 hawiz가 새 VPC를 만들게 하세요 (`hawiz`)",
                r.survey.vpc
            ),
        ));
    };
    plan.stack.region = Some(r.region.clone());
    let net = &mut plan.network;
    net.vpc_id = r.survey.vpc.clone();
    net.azs = Some(pairs.iter().map(|(az, _, _)| az.clone()).collect());
    net.public_subnet_ids = pairs.iter().map(|(_, p, _)| p.clone()).collect();
    net.private_subnet_ids = pairs.iter().map(|(_, _, p)| p.clone()).collect();
    Ok(())
}

/// A stack name for the adopted VPC when the answers still have the default one.
pub fn suggested_name(r: &Report) -> String {
    stack_name(&r.survey.name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::doctor::survey::{Subnet, Survey};

    fn report(subnets: &[(&str, &str, bool)]) -> Report {
        Report {
            region: "ap-northeast-2".into(),
            survey: Survey {
                vpc: "vpc-1a2b3c4d".into(),
                name: "My Lab VPC".into(),
                subnets: subnets
                    .iter()
                    .map(|(id, az, public)| Subnet {
                        id: id.to_string(),
                        az: az.to_string(),
                        public: *public,
                        ..Subnet::default()
                    })
                    .collect(),
                ..Survey::default()
            },
            findings: vec![],
            plan: None,
        }
    }

    #[test]
    fn it_adopts_a_public_and_a_private_subnet_in_each_of_two_azs() {
        let r = report(&[
            ("subnet-b", "ap-northeast-2a", true),
            ("subnet-a", "ap-northeast-2a", false),
            ("subnet-d", "ap-northeast-2c", true),
            ("subnet-c", "ap-northeast-2c", false),
        ]);
        let p = plan(&r).unwrap();
        assert_eq!(p.stack.name, "my-lab-vpc");
        assert_eq!(p.network.vpc_id, "vpc-1a2b3c4d");
        assert_eq!(p.network.public_subnet_ids, ["subnet-b", "subnet-d"]);
        assert_eq!(p.network.private_subnet_ids, ["subnet-a", "subnet-c"]);
        assert!(p.network.adopts_vpc());
    }

    #[test]
    fn without_two_such_azs_it_says_why() {
        let r = report(&[
            ("subnet-b", "ap-northeast-2a", true),
            ("subnet-a", "ap-northeast-2a", false),
            ("subnet-d", "ap-northeast-2c", true),
        ]);
        let e = plan(&r).unwrap_err();
        assert!(e.en.contains("no two AZs"), "{e:?}");
        assert!(e.ko.contains("AZ가 둘 없어"));
    }

    #[test]
    fn stack_names_follow_hawizs_rules() {
        assert_eq!(stack_name("lab-vpc"), "lab-vpc");
        assert_eq!(stack_name("My VPC!"), "my-vpc");
        assert_eq!(stack_name("1st"), "wordpress-ha");
        assert_eq!(stack_name(""), "wordpress-ha");
        assert!(stack_name(&"x".repeat(50)).len() <= 32);
    }
}
