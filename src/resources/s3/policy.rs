//! The static bucket's policy: CloudFront reads its objects, and only for the stack's own
//! distribution (origin access control signs the requests; `AWS:SourceArn` names the
//! distribution). A node of its own because the distribution needs the bucket first and
//! the policy needs the distribution.

use crate::aws::{OrMissing, aws};
use crate::engine::settings::{Actual, Change, Setting};
use crate::engine::{Ctx, Error, Found, Proof, Resource};
use async_trait::async_trait;

/// The statement's ID, which tells the stack's policy from another one.
const SID: &str = "CloudFrontReadsStaticFiles";

#[derive(Debug)]
pub struct BucketPolicy {
    pub name: String,
    /// Key of the `Bucket`.
    pub bucket: String,
    /// Key of the `cloudfront::Distribution` allowed to read it.
    pub distribution: String,
}

/// The document: read-only, objects only, one distribution.
pub fn document(bucket: &str, distribution_arn: &str) -> String {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": SID,
            "Effect": "Allow",
            "Principal": {"Service": "cloudfront.amazonaws.com"},
            "Action": "s3:GetObject",
            "Resource": format!("arn:aws:s3:::{bucket}/*"),
            "Condition": {"StringEquals": {"AWS:SourceArn": distribution_arn}}
        }]
    })
    .to_string()
}

impl BucketPolicy {
    fn want(&self, cx: &Ctx) -> Result<String, Error> {
        Ok(document(
            cx.output(&self.bucket, "bucket")?,
            cx.output(&self.distribution, "arn")?,
        ))
    }

    async fn current(&self, cx: &Ctx, bucket: &str) -> Result<Option<String>, Error> {
        Ok(cx
            .aws
            .s3
            .get_bucket_policy()
            .bucket(bucket)
            .send()
            .await
            .map_err(aws("GetBucketPolicy"))
            .or_missing()?
            .and_then(|o| o.policy().map(str::to_string)))
    }

    async fn put(&self, cx: &Ctx, bucket: &str) -> Result<(), Error> {
        // PutBucketPolicy replaces the document: safe to repeat.
        cx.aws
            .s3
            .put_bucket_policy()
            .bucket(bucket)
            .policy(self.want(cx)?)
            .send()
            .await
            .map_err(aws("PutBucketPolicy"))?;
        Ok(())
    }
}

#[async_trait]
impl Resource for BucketPolicy {
    fn kind(&self) -> &'static str {
        "s3-bucket-policy"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn deps(&self) -> Vec<String> {
        vec![self.bucket.clone(), self.distribution.clone()]
    }

    /// On the stack's bucket, a policy is this node (the bucket is proven; its policy is
    /// hawiz's alone).
    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        let Some(bucket) = cx.output_opt(&self.bucket, "bucket") else {
            return Ok(Found::none());
        };
        Ok(match self.current(cx, bucket).await? {
            Some(_) => Found::with(vec![bucket.to_string()], Proof::Parent),
            None => Found::none(),
        })
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let bucket = cx.output(&self.bucket, "bucket")?.to_string();
        self.put(cx, &bucket).await?;
        Ok(bucket)
    }

    fn desired(&self, cx: &Ctx) -> Vec<Setting> {
        vec![Setting::update(
            "policy",
            self.want(cx).map_or_else(
                |_| "(new policy)".to_string(),
                |d| crate::policy::canonical_text(&d),
            ),
        )]
    }

    async fn read(&self, cx: &Ctx, id: &str) -> Result<Actual, Error> {
        let mut a = Actual::new();
        if let Some(doc) = self.current(cx, id).await? {
            a.insert("policy", crate::policy::canonical_text(&doc).into());
        }
        Ok(a)
    }

    async fn update(&self, cx: &Ctx, id: &str, _changes: &[Change]) -> Result<(), Error> {
        self.put(cx, id).await
    }

    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        cx.aws
            .s3
            .delete_bucket_policy()
            .bucket(id)
            .send()
            .await
            .map_err(aws("DeleteBucketPolicy"))
            .or_missing()?;
        Ok(())
    }
}
