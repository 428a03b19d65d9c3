//! The lab's static bucket (seed 003): S3, versioned, every kind of public access blocked,
//! read only by the stack's CloudFront distribution (`policy::BucketPolicy`), and the
//! primary's copy replicated to the standby region's. Bucket names are global to all of
//! S3, so the account and the region are part of the name.

mod policy;
mod settings;
pub use policy::BucketPolicy;

use super::tags;
use crate::aws::{OrMissing, aws};
use crate::engine::settings::{Actual, Change, Setting};
use crate::engine::{Ctx, Error, Found, Match, Outputs, Proof, Resource, Swept};
use crate::i18n::korean::{self, Josa};
use crate::plan::Finding;
use async_trait::async_trait;
use aws_sdk_s3::types::{
    BucketLocationConstraint, BucketVersioningStatus, CreateBucketConfiguration,
    ReplicationRuleStatus,
};

/// The replication rule's ID (one rule: everything, to the standby).
const RULE: &str = "to-standby";

/// A bucket's name: `<stack>-static-<account>-<region, short>`, at most 62 characters
/// for the longest stack name (S3 allows 63).
pub fn name(base: &str, account: &str, region: &str) -> String {
    format!("{base}-{account}-{}", short_region(region))
}

/// `ap-northeast-2` → `apne2`, `us-east-1` → `use1`, `us-gov-west-1` → `usgovw1`: the
/// short form AWS's own examples use, so a name fits S3's 63 characters.
pub fn short_region(region: &str) -> String {
    region
        .split('-')
        .map(|part| {
            [
                ("north", "n"),
                ("south", "s"),
                ("east", "e"),
                ("west", "w"),
                ("central", "c"),
            ]
            .iter()
            .fold(part.to_string(), |p, (long, short)| p.replace(long, short))
        })
        .collect()
}

#[derive(Debug)]
pub struct Bucket {
    /// Its name without the account, shown before the account is known.
    pub name: String,
    /// `names::static_buckets(stack)`.
    pub base: String,
    /// The primary's: replicated to this bucket (key of a `Bucket`) as this role (key of
    /// an `iam::Role`).
    pub replica: Option<Replica>,
}

#[derive(Debug)]
pub struct Replica {
    pub bucket: String,
    pub role: String,
}

/// Where the built call's missing field is said (never expected: the fields are set).
fn built<T, E: std::fmt::Display>(r: Result<T, E>) -> Result<T, Error> {
    r.map_err(|e| Error::Failed(e.to_string()))
}

async fn account(cx: &Ctx) -> Result<String, Error> {
    Ok(cx.aws.account().await?)
}

impl Bucket {
    async fn real_name(&self, cx: &Ctx) -> Result<String, Error> {
        Ok(name(&self.base, &account(cx).await?, &cx.aws.region))
    }

    fn rule(&self, cx: &Ctx) -> Option<String> {
        let r = self.replica.as_ref()?;
        Some(format!(
            "everything to {} as {}",
            cx.output_opt(&r.bucket, "arn")
                .unwrap_or("(the standby's bucket)"),
            cx.output_opt(&r.role, "arn").unwrap_or("(new role)")
        ))
    }
}

#[async_trait]
impl Resource for Bucket {
    fn kind(&self) -> &'static str {
        "s3-bucket"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn deps(&self) -> Vec<String> {
        self.replica
            .iter()
            .flat_map(|r| [r.bucket.clone(), r.role.clone()])
            .collect()
    }
    fn console(&self, id: &str, region: &str) -> Option<String> {
        Some(format!(
            "https://s3.console.aws.amazon.com/s3/buckets/{id}?region={region}"
        ))
    }
    /// The primary's (the one that replicates) is where the user uploads.
    fn facts(&self, ready: &crate::engine::Dep) -> Vec<crate::engine::Fact> {
        ready
            .outputs
            .get("bucket")
            .filter(|_| self.replica.is_some())
            .map(|b| crate::engine::Fact::StaticFiles { bucket: b.clone() })
            .into_iter()
            .collect()
    }

    /// By its name (global to S3). Someone else's bucket of that name answers 403; one
    /// of this account's that lacks the stack's tag is the user's. Untagged but recorded
    /// by this stack: a create whose tagging was cut short (its tags are put back).
    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        let id = self.real_name(cx).await?;
        let head = cx
            .aws
            .s3
            .head_bucket()
            .bucket(&id)
            .send()
            .await
            .map_err(aws("HeadBucket"));
        match head {
            Ok(_) => {}
            Err(e) if e.is_not_found() => return Ok(Found::none()),
            Err(e) if e.class == crate::aws::Class::Denied || e.message.contains("403") => {
                return Ok(Found {
                    ours: vec![],
                    foreign: vec![Finding {
                        field: "failover.static_bucket".into(),
                        message: format!(
                            "the bucket name {id} is taken by another AWS account (S3 names are \
                             shared by every account). Choose another stack name, or set \
                             static_bucket = false"
                        ),
                        ko: format!(
                            "버킷 이름 {} 다른 AWS 계정이 쓰고 있습니다 (S3 이름은 모든 계정이 \
                             함께 씁니다). 다른 스택 이름을 고르거나 static_bucket = false로 하세요",
                            korean::with(&id, Josa::EunNeun)
                        ),
                    }],
                });
            }
            Err(e) => return Err(e.into()),
        }
        let t = settings::tags_of(cx, &id).await?;
        if tags::is_ours(cx, settings::pairs(&t)) {
            return Ok(Found::tagged(vec![id]));
        }
        if t.is_empty() && cx.recorded.is_some() {
            return Ok(Found {
                ours: vec![Match {
                    id,
                    proof: Proof::Recorded,
                }],
                foreign: vec![],
            });
        }
        Ok(Found {
            ours: vec![],
            foreign: vec![crate::engine::foreign(
                cx,
                "S3 bucket",
                &id,
                "failover.static_bucket",
            )],
        })
    }

    /// Made, tagged, closed to the public and versioned (replication needs versioning);
    /// each step is one the settings put right again if it was cut short.
    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let id = self.real_name(cx).await?;
        let region = cx.aws.region.as_str();
        let mut call = cx.aws.once.s3.create_bucket().bucket(&id);
        // us-east-1 is the one region that takes no location constraint (and refuses one).
        if region != "us-east-1" {
            call = call.create_bucket_configuration(
                CreateBucketConfiguration::builder()
                    .location_constraint(BucketLocationConstraint::from(region))
                    .build(),
            );
        }
        match call.send().await.map_err(aws("CreateBucket")) {
            Ok(_) => {}
            Err(e) if e.code.as_deref() == Some("BucketAlreadyOwnedByYou") => {}
            Err(e) => return Err(e.into()),
        }
        settings::tag(cx, &id).await?;
        settings::block_public(cx, &id).await?;
        settings::version(cx, &id).await?;
        Ok(id)
    }

    fn desired(&self, cx: &Ctx) -> Vec<Setting> {
        let mut s = vec![
            Setting::update("stack tags", "hawiz:stack, hawiz:key, Name"),
            Setting::update("public access", "all blocked"),
            Setting::update("versioning", "Enabled"),
        ];
        if let Some(rule) = self.rule(cx) {
            s.push(Setting::update("replication", rule));
        }
        s
    }

    /// Replication is compared by its destination and role only: an emulator answers a
    /// rule's filter, delete markers and replica modifications with fixed values.
    async fn read(&self, cx: &Ctx, id: &str) -> Result<Actual, Error> {
        let s3 = &cx.aws.s3;
        let mut a = Actual::new();
        if tags::is_ours(cx, settings::pairs(&settings::tags_of(cx, id).await?)) {
            a.insert("stack tags", "hawiz:stack, hawiz:key, Name".into());
        }
        let block = s3
            .get_public_access_block()
            .bucket(id)
            .send()
            .await
            .map_err(aws("GetPublicAccessBlock"))
            .or_missing()?;
        let all = block
            .and_then(|b| b.public_access_block_configuration().cloned())
            .is_some_and(|c| {
                c.block_public_acls() == Some(true)
                    && c.ignore_public_acls() == Some(true)
                    && c.block_public_policy() == Some(true)
                    && c.restrict_public_buckets() == Some(true)
            });
        a.insert(
            "public access",
            if all {
                "all blocked"
            } else {
                "not all blocked"
            }
            .into(),
        );
        let versioning = s3
            .get_bucket_versioning()
            .bucket(id)
            .send()
            .await
            .map_err(aws("GetBucketVersioning"))?;
        a.insert(
            "versioning",
            versioning
                .status()
                .map_or("never enabled", BucketVersioningStatus::as_str)
                .into(),
        );
        if self.replica.is_some() {
            let r = s3
                .get_bucket_replication()
                .bucket(id)
                .send()
                .await
                .map_err(aws("GetBucketReplication"))
                .or_missing()?;
            let rule = r.and_then(|r| {
                let c = r.replication_configuration()?;
                let rule = c
                    .rules()
                    .iter()
                    .find(|x| x.status() == &ReplicationRuleStatus::Enabled)?;
                Some(format!(
                    "everything to {} as {}",
                    rule.destination()?.bucket(),
                    c.role()
                ))
            });
            a.insert("replication", rule.unwrap_or_else(|| "none".into()).into());
        }
        Ok(a)
    }

    async fn update(&self, cx: &Ctx, id: &str, changes: &[Change]) -> Result<(), Error> {
        for c in changes {
            match c.name {
                "stack tags" => settings::tag(cx, id).await?,
                "public access" => settings::block_public(cx, id).await?,
                "versioning" => settings::version(cx, id).await?,
                "replication" => settings::replicate(cx, id, self.replica.as_ref()).await?,
                _ => {}
            }
        }
        Ok(())
    }

    async fn outputs(&self, cx: &Ctx, id: &str) -> Result<Outputs, Error> {
        Ok([
            ("bucket".to_string(), id.to_string()),
            ("arn".to_string(), format!("arn:aws:s3:::{id}")),
            (
                "domain".to_string(),
                format!("{id}.s3.{}.amazonaws.com", cx.aws.region),
            ),
        ]
        .into())
    }

    /// Its files go with it, every version (the user's own copy is where they synced
    /// from); destroy has said so and asked.
    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        match settings::empty(cx, id).await {
            Err(Error::Aws(e)) if e.is_not_found() => return Ok(()),
            r => r?,
        }
        cx.aws
            .s3
            .delete_bucket()
            .bucket(id)
            .send()
            .await
            .map_err(aws("DeleteBucket"))
            .or_missing()?;
        Ok(())
    }

    /// S3 lists every region's buckets in one answer: only those of this node's region
    /// count here (the other region's sweep has its own).
    async fn sweep(&self, cx: &Ctx) -> Result<Vec<Swept>, Error> {
        let prefix = format!("{}-", self.base);
        let mut out = Vec::new();
        let mut pages = cx.aws.s3.list_buckets().into_paginator().send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(aws("ListBuckets"))?;
            for b in page.buckets() {
                let Some(id) = b.name().filter(|n| n.starts_with(&prefix)) else {
                    continue;
                };
                let region = b.bucket_region().unwrap_or_default();
                if !region.is_empty() && region != cx.aws.region {
                    continue;
                }
                let t = settings::tags_of(cx, id).await?;
                out.extend(tags::swept(&cx.stack, Some(id), settings::pairs(&t)));
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_name_fits_s3s_limit() {
        // The longest stack name (stack.name's limit) in the longest region name.
        let stack = "a".repeat(32);
        let n = name(
            &crate::names::static_buckets(&stack),
            "123456789012",
            "ap-southeast-5",
        );
        assert!(n.len() <= 63, "{n} is {} characters", n.len());
        assert_eq!(
            name(
                &crate::names::static_buckets("wordpress-ha"),
                "123456789012",
                "ap-northeast-2"
            ),
            "wordpress-ha-static-123456789012-apne2"
        );
    }

    #[test]
    fn regions_are_shortened_the_usual_way() {
        assert_eq!(short_region("us-east-1"), "use1");
        assert_eq!(short_region("eu-central-1"), "euc1");
        assert_eq!(short_region("us-gov-west-1"), "usgovw1");
        assert_eq!(short_region("ap-southeast-3"), "apse3");
    }
}
