//! The load balancer tier: target group, internet-facing ALB, listeners, and the switch of
//! plain HTTP to a redirect once HTTPS works. Names are unique per account and region, so
//! a same-named one that is not this stack's is refused, never adopted.

mod listener;
mod load_balancer;
mod origin_lock;
mod target_group;

pub use listener::{HttpsRedirect, Listener, ListenerAction};
pub use load_balancer::LoadBalancer;
pub use origin_lock::OriginLock;
pub use target_group::TargetGroup;

use super::tags;
use crate::aws::aws;
use crate::engine::{Ctx, Error, Swept};
use std::collections::HashMap;

/// TLS 1.3 with TLS 1.2 for older clients: AWS's current recommended policy.
pub const TLS_POLICY: &str = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/// A path of the user's own (WordPress's `/`, say) may answer with redirects (to the
/// canonical host, to HTTPS), which are healthy answers; only errors are not.
pub const HEALTHY_CODES: &str = "200-399";

/// What counts as healthy at `path`: hawiz's own health path says exactly 200.
pub fn healthy_codes(path: &str) -> &'static str {
    if path == crate::plan::HEALTH_PATH {
        "200"
    } else {
        HEALTHY_CODES
    }
}

/// Tags of load balancers, target groups or listeners, by ARN (DescribeTags takes 20).
async fn tags_of(cx: &Ctx, arns: &[String]) -> Result<HashMap<String, tags::Read>, Error> {
    let mut out = HashMap::new();
    for chunk in arns.chunks(20) {
        let answer = cx
            .aws
            .elb
            .describe_tags()
            .set_resource_arns(Some(chunk.to_vec()))
            .send()
            .await
            .map_err(aws("DescribeTags"))?;
        for d in answer.tag_descriptions() {
            let Some(arn) = d.resource_arn() else {
                continue;
            };
            out.insert(
                arn.to_string(),
                tags::Read::from_pairs(
                    d.tags()
                        .iter()
                        .map(|t| (t.key().unwrap_or_default(), t.value().unwrap_or_default())),
                ),
            );
        }
    }
    Ok(out)
}

/// ARNs found by name, split into this node's and ones in the way.
async fn claim(
    cx: &Ctx,
    arns: Vec<String>,
    what: &str,
    name: &str,
) -> Result<crate::engine::Found, Error> {
    let tags = tags_of(cx, &arns).await?;
    let mut found = crate::engine::Found::none();
    for arn in arns {
        let t = tags.get(&arn).cloned().unwrap_or_default();
        if tags::is_ours(cx, t.pairs()) {
            found.ours.push(crate::engine::Match {
                id: arn,
                proof: crate::engine::Proof::Tagged,
            });
        } else {
            found
                .foreign
                .push(crate::engine::foreign(cx, what, name, "stack.name"));
        }
    }
    Ok(found)
}

/// Of these ARNs, the ones tagged with the stack.
async fn sweep_arns(cx: &Ctx, arns: Vec<String>) -> Result<Vec<Swept>, Error> {
    let tags = tags_of(cx, &arns).await?;
    Ok(arns
        .into_iter()
        .filter_map(|arn| {
            let t = tags.get(&arn).cloned().unwrap_or_default();
            tags::swept(&cx.stack, Some(&arn), t.pairs())
        })
        .collect())
}

/// The part of an ARN CloudWatch names the resource by: `app/<name>/<id>`,
/// `targetgroup/<name>/<id>`.
pub fn arn_suffix(arn: &str) -> String {
    arn.split_once(":loadbalancer/")
        .map(|(_, s)| s)
        .or_else(|| arn.rsplit_once(':').map(|(_, s)| s))
        .unwrap_or(arn)
        .to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn arn_suffixes_are_what_cloudwatch_wants() {
        assert_eq!(
            super::arn_suffix(
                "arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:loadbalancer/app/wp-alb/50dc6c495c0c9188"
            ),
            "app/wp-alb/50dc6c495c0c9188"
        );
        assert_eq!(
            super::arn_suffix(
                "arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:targetgroup/wp-tg/73e2d6bc24d8a067"
            ),
            "targetgroup/wp-tg/73e2d6bc24d8a067"
        );
    }
}
