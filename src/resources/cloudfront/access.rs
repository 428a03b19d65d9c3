//! The origin access control that signs CloudFront's requests to the static bucket, so
//! the bucket stays private (CloudFront DG, *Restrict access to an Amazon S3 origin*).
//! It carries no tags: it is found by its name, and proven the stack's by the marker in
//! its description.

use super::marker;
use crate::aws::{OrMissing, aws};
use crate::engine::{Ctx, Error, Found, Resource, Swept};
use async_trait::async_trait;
use aws_sdk_cloudfront::types::{
    OriginAccessControlConfig, OriginAccessControlOriginTypes, OriginAccessControlSigningBehaviors,
    OriginAccessControlSigningProtocols, OriginAccessControlSummary,
};

#[derive(Debug)]
pub struct OriginAccess {
    /// `<stack>-static` (unique in the account).
    pub name: String,
}

async fn all(cx: &Ctx) -> Result<Vec<OriginAccessControlSummary>, Error> {
    super::api::paged(|marker| async move {
        let page = cx
            .aws
            .cloudfront
            .list_origin_access_controls()
            .set_marker(marker)
            .send()
            .await
            .map_err(aws("ListOriginAccessControls"))?;
        Ok(page
            .origin_access_control_list()
            .map_or((vec![], None), |l| {
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

#[async_trait]
impl Resource for OriginAccess {
    fn kind(&self) -> &'static str {
        "cloudfront-origin-access"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn deps(&self) -> Vec<String> {
        vec![]
    }
    fn console(&self, _id: &str, _region: &str) -> Option<String> {
        Some("https://console.aws.amazon.com/cloudfront/v4/home#/originAccess".into())
    }

    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        let mut found = Found::none();
        for c in all(cx).await?.iter().filter(|c| c.name() == self.name) {
            if c.description() == marker(&cx.stack) {
                found
                    .ours
                    .extend(Found::tagged(vec![c.id().to_string()]).ours);
            } else {
                found.foreign.push(crate::engine::foreign(
                    cx,
                    "CloudFront origin access control",
                    &self.name,
                    "failover.static_bucket",
                ));
            }
        }
        Ok(found)
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let out = cx
            .aws
            .once
            .cloudfront
            .create_origin_access_control()
            .origin_access_control_config(
                OriginAccessControlConfig::builder()
                    .name(&self.name)
                    .description(marker(&cx.stack))
                    .signing_protocol(OriginAccessControlSigningProtocols::Sigv4)
                    .signing_behavior(OriginAccessControlSigningBehaviors::Always)
                    .origin_access_control_origin_type(OriginAccessControlOriginTypes::S3)
                    .build()
                    .map_err(|e| Error::Failed(e.to_string()))?,
            )
            .send()
            .await
            .map_err(aws("CreateOriginAccessControl"))?;
        out.origin_access_control()
            .map(|c| c.id().to_string())
            .ok_or_else(|| Error::Failed("CreateOriginAccessControl returned nothing".into()))
    }

    /// After the distribution that used it (it depends on this one), with the fresh ETag.
    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        let Some(now) = cx
            .aws
            .cloudfront
            .get_origin_access_control()
            .id(id)
            .send()
            .await
            .map_err(aws("GetOriginAccessControl"))
            .or_missing()?
        else {
            return Ok(());
        };
        cx.aws
            .cloudfront
            .delete_origin_access_control()
            .id(id)
            .set_if_match(now.e_tag().map(str::to_string))
            .send()
            .await
            .map_err(aws("DeleteOriginAccessControl"))
            .or_missing()?;
        Ok(())
    }

    /// By the marker in the description (it has no tags for the tagging API to list).
    async fn sweep(&self, cx: &Ctx) -> Result<Vec<Swept>, Error> {
        Ok(all(cx)
            .await?
            .iter()
            .filter(|c| c.description() == marker(&cx.stack))
            .map(|c| Swept {
                id: c.id().to_string(),
                key: Some(cx.key.clone()),
            })
            .collect())
    }
}
