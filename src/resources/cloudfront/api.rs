//! The CloudFront calls the distribution's life is made of: its list (paged), its tags,
//! its configuration with the ETag an update needs, its status, and the wait until a
//! change is on every edge location.

use super::marker;
use crate::aws::{OrMissing, aws};
use crate::engine::wait::{self, Poll};
use crate::engine::{Ctx, Error};
use aws_sdk_cloudfront::types::{DistributionConfig, DistributionSummary};
use std::time::Duration;

/// Every page of a CloudFront list (they page by marker, with `IsTruncated`): `fetch`
/// gets the marker and gives (items, next marker while truncated).
pub(super) async fn paged<T, F, Fut>(mut fetch: F) -> Result<Vec<T>, Error>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: std::future::Future<Output = Result<(Vec<T>, Option<String>), Error>>,
{
    let mut out = Vec::new();
    let mut marker = None;
    loop {
        let (items, next) = fetch(marker.take()).await?;
        out.extend(items);
        match next.filter(|m| !m.is_empty()) {
            Some(m) => marker = Some(m),
            None => return Ok(out),
        }
    }
}

pub(super) async fn summaries(cx: &Ctx) -> Result<Vec<DistributionSummary>, Error> {
    paged(|marker| async move {
        let page = cx
            .aws
            .cloudfront
            .list_distributions()
            .set_marker(marker)
            .send()
            .await
            .map_err(aws("ListDistributions"))?;
        Ok(page.distribution_list().map_or((vec![], None), |l| {
            (
                l.items().to_vec(),
                l.is_truncated()
                    .then(|| l.next_marker().map(str::to_string))
                    .flatten(),
            )
        }))
    })
    .await
}

pub(super) async fn tags_of(cx: &Ctx, arn: &str) -> Result<Vec<(String, String)>, Error> {
    let out = cx
        .aws
        .cloudfront
        .list_tags_for_resource()
        .resource(arn)
        .send()
        .await
        .map_err(aws("ListTagsForResource"))?;
    Ok(out
        .tags()
        .map(|t| {
            t.items()
                .iter()
                .map(|t| {
                    (
                        t.key().to_string(),
                        t.value().unwrap_or_default().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default())
}

/// This stack's distributions, with their tags (each proven by its tags, found by its
/// comment).
pub(super) async fn stacks(
    cx: &Ctx,
    all: &[DistributionSummary],
) -> Result<Vec<(DistributionSummary, Vec<(String, String)>)>, Error> {
    let mut out = Vec::new();
    for d in all.iter().filter(|d| d.comment() == marker(&cx.stack)) {
        let tags = tags_of(cx, d.arn()).await?;
        out.push((d.clone(), tags));
    }
    Ok(out)
}

pub(super) async fn config(
    cx: &Ctx,
    id: &str,
) -> Result<Option<(DistributionConfig, String)>, Error> {
    Ok(cx
        .aws
        .cloudfront
        .get_distribution_config()
        .id(id)
        .send()
        .await
        .map_err(aws("GetDistributionConfig"))
        .or_missing()?
        .and_then(|o| {
            Some((
                o.distribution_config()?.clone(),
                o.e_tag().unwrap_or_default().to_string(),
            ))
        }))
}

pub(super) async fn status(cx: &Ctx, id: &str) -> Result<Option<(String, String, String)>, Error> {
    Ok(cx
        .aws
        .cloudfront
        .get_distribution()
        .id(id)
        .send()
        .await
        .map_err(aws("GetDistribution"))
        .or_missing()?
        .and_then(|o| {
            let d = o.distribution()?;
            Some((
                d.status().to_string(),
                d.domain_name().to_string(),
                o.e_tag().unwrap_or_default().to_string(),
            ))
        }))
}

/// Until CloudFront has put the last change on its edge locations (minutes on AWS).
pub(super) async fn deployed(cx: &Ctx, id: &str, what: &str) -> Result<(), Error> {
    wait::until(what, Duration::from_secs(45 * 60), || async {
        match status(cx, id).await? {
            Some((s, _, _)) if s == "Deployed" => Ok(Poll::Ready),
            Some(_) => Ok(Poll::Pending),
            None => Err(Error::Failed(format!(
                "CloudFront distribution {id} disappeared"
            ))),
        }
    })
    .await
}
