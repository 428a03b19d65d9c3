//! What hawiz sets on a static bucket after making it, each a call that is safe to
//! repeat: its tags, public access blocked, versioning, the replication rule; and
//! emptying it of every version before it goes.

use super::{RULE, Replica, built};
use crate::aws::{OrMissing, aws};
use crate::engine::{Ctx, Error};
use crate::resources::tags;
use aws_sdk_s3::types::{
    BucketVersioningStatus, Delete, DeleteMarkerReplication, DeleteMarkerReplicationStatus,
    Destination, ObjectIdentifier, PublicAccessBlockConfiguration, ReplicaModifications,
    ReplicaModificationsStatus, ReplicationConfiguration, ReplicationRule, ReplicationRuleFilter,
    ReplicationRuleStatus, SourceSelectionCriteria, Tag, Tagging, VersioningConfiguration,
};

/// The primary's replication to the standby's bucket (`None`: no replication).
pub(super) async fn replicate(cx: &Ctx, id: &str, replica: Option<&Replica>) -> Result<(), Error> {
    let Some(r) = replica else {
        cx.aws
            .s3
            .delete_bucket_replication()
            .bucket(id)
            .send()
            .await
            .map_err(aws("DeleteBucketReplication"))?;
        return Ok(());
    };
    let rule = built(
        ReplicationRule::builder()
            .id(RULE)
            .priority(1)
            .status(ReplicationRuleStatus::Enabled)
            .filter(ReplicationRuleFilter::builder().prefix("").build())
            .delete_marker_replication(
                DeleteMarkerReplication::builder()
                    .status(DeleteMarkerReplicationStatus::Enabled)
                    .build(),
            )
            // What the lab sets: changes made to replicas are synced too.
            .source_selection_criteria(
                SourceSelectionCriteria::builder()
                    .replica_modifications(built(
                        ReplicaModifications::builder()
                            .status(ReplicaModificationsStatus::Enabled)
                            .build(),
                    )?)
                    .build(),
            )
            .destination(built(
                Destination::builder()
                    .bucket(cx.output(&r.bucket, "arn")?)
                    .build(),
            )?)
            .build(),
    )?;
    // PutBucketReplication replaces the whole configuration: safe to repeat.
    cx.aws
        .s3
        .put_bucket_replication()
        .bucket(id)
        .replication_configuration(built(
            ReplicationConfiguration::builder()
                .role(cx.output(&r.role, "arn")?)
                .rules(rule)
                .build(),
        )?)
        .send()
        .await
        .map_err(aws("PutBucketReplication"))?;
    Ok(())
}

pub(super) async fn tag(cx: &Ctx, id: &str) -> Result<(), Error> {
    let set = tags::pairs(cx)
        .into_iter()
        .map(|(k, v)| built(Tag::builder().key(k).value(v).build()))
        .collect::<Result<Vec<_>, _>>()?;
    cx.aws
        .s3
        .put_bucket_tagging()
        .bucket(id)
        .tagging(built(Tagging::builder().set_tag_set(Some(set)).build())?)
        .send()
        .await
        .map_err(aws("PutBucketTagging"))?;
    Ok(())
}

/// The bucket's tags (none when it has none: S3 answers NoSuchTagSet).
pub(super) async fn tags_of(cx: &Ctx, id: &str) -> Result<Vec<(String, String)>, Error> {
    let out = cx
        .aws
        .s3
        .get_bucket_tagging()
        .bucket(id)
        .send()
        .await
        .map_err(aws("GetBucketTagging"))
        .or_missing()?;
    Ok(out
        .map(|o| {
            o.tag_set()
                .iter()
                .map(|t| (t.key().to_string(), t.value().to_string()))
                .collect()
        })
        .unwrap_or_default())
}

pub(super) fn pairs(t: &[(String, String)]) -> impl Iterator<Item = (&str, &str)> {
    t.iter().map(|(k, v)| (k.as_str(), v.as_str()))
}

pub(super) async fn block_public(cx: &Ctx, id: &str) -> Result<(), Error> {
    cx.aws
        .s3
        .put_public_access_block()
        .bucket(id)
        .public_access_block_configuration(
            PublicAccessBlockConfiguration::builder()
                .block_public_acls(true)
                .ignore_public_acls(true)
                .block_public_policy(true)
                .restrict_public_buckets(true)
                .build(),
        )
        .send()
        .await
        .map_err(aws("PutPublicAccessBlock"))?;
    Ok(())
}

/// Replication needs versioning on both buckets; it also keeps what a sync overwrote.
pub(super) async fn version(cx: &Ctx, id: &str) -> Result<(), Error> {
    cx.aws
        .s3
        .put_bucket_versioning()
        .bucket(id)
        .versioning_configuration(
            VersioningConfiguration::builder()
                .status(BucketVersioningStatus::Enabled)
                .build(),
        )
        .send()
        .await
        .map_err(aws("PutBucketVersioning"))?;
    Ok(())
}

/// Every version and delete marker in the bucket, deleted a thousand at a time (a
/// versioned bucket is empty only when they are all gone).
pub(super) async fn empty(cx: &Ctx, id: &str) -> Result<(), Error> {
    loop {
        let out = cx
            .aws
            .s3
            .list_object_versions()
            .bucket(id)
            .max_keys(1000)
            .send()
            .await
            .map_err(aws("ListObjectVersions"))?;
        let objects: Vec<ObjectIdentifier> = out
            .versions()
            .iter()
            .map(|v| (v.key(), v.version_id()))
            .chain(
                out.delete_markers()
                    .iter()
                    .map(|m| (m.key(), m.version_id())),
            )
            .filter_map(|(k, v)| {
                ObjectIdentifier::builder()
                    .set_key(k.map(str::to_string))
                    .set_version_id(v.map(str::to_string))
                    .build()
                    .ok()
            })
            .collect();
        if objects.is_empty() {
            return Ok(());
        }
        cx.aws
            .s3
            .delete_objects()
            .bucket(id)
            .delete(built(
                Delete::builder()
                    .set_objects(Some(objects))
                    .quiet(true)
                    .build(),
            )?)
            .send()
            .await
            .map_err(aws("DeleteObjects"))?;
    }
}
