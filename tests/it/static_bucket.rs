//! Seed 003's static bucket: built with a failover stack, turned off and on again, in an account
//! that already has buckets of its own (one with the stack's prefix). Read back with plain
//! S3, CloudFront and IAM calls in both regions: the two private, versioned buckets, the
//! policy that lets only the stack's distribution read, the replication to the standby as
//! a role under the stack's boundary (whose document gains the statement), CloudFront's
//! `/static/*` behaviour through origin access control. Destroyed, with a file in it:
//! nothing of it is left, and the user's buckets are untouched.

use crate::failover::{FAILOVER, STANDBY};
use crate::support::*;

const ACCOUNT: &str = "123456789012";

async fn bucket_names(aws: &hawiz::aws::Clients) -> Vec<String> {
    let mut names: Vec<String> = aws
        .s3
        .list_buckets()
        .send()
        .await
        .unwrap()
        .buckets()
        .iter()
        .filter_map(|b| b.name().map(str::to_string))
        .collect();
    names.sort();
    names
}

async fn versioning(aws: &hawiz::aws::Clients, bucket: &str) -> Option<String> {
    aws.s3
        .get_bucket_versioning()
        .bucket(bucket)
        .send()
        .await
        .unwrap()
        .status()
        .map(|s| s.as_str().to_string())
}

async fn all_blocked(aws: &hawiz::aws::Clients, bucket: &str) -> bool {
    let out = aws
        .s3
        .get_public_access_block()
        .bucket(bucket)
        .send()
        .await
        .unwrap();
    let c = out.public_access_block_configuration().unwrap();
    [
        c.block_public_acls(),
        c.ignore_public_acls(),
        c.block_public_policy(),
        c.restrict_public_buckets(),
    ]
    .iter()
    .all(|b| *b == Some(true))
}

/// The stack's permissions boundary.
const BOUNDARY: &str = "arn:aws:iam::123456789012:policy/hawiz/hawiz-st1-boundary";

#[tokio::test(flavor = "multi_thread")]
async fn the_static_bucket_is_private_replicated_and_read_by_cloudfront_only() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    let aws = moto.clients().await;
    let east = aws.in_region(STANDBY);
    // The user's own buckets: one with the stack's prefix, one without.
    let theirs = ["st1-static-photos", "someone-elses-logs"];
    for b in theirs {
        aws.s3
            .create_bucket()
            .bucket(b)
            .create_bucket_configuration(
                aws_sdk_s3::types::CreateBucketConfiguration::builder()
                    .location_constraint(aws_sdk_s3::types::BucketLocationConstraint::ApNortheast2)
                    .build(),
            )
            .send()
            .await
            .unwrap();
    }

    // Built with it from the start. (One plan file per stack: each apply writes it.)
    let apply = |extra: &str| {
        let plan = stack_plan(home.path(), "st1", &format!("{DOMAIN}{FAILOVER}{extra}"));
        moto.run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
            .ok()
    };
    let run = apply("static_bucket = true\n");
    assert!(run.stdout.contains("is ready"), "{}", run.stdout);
    let status = moto.run(home.path(), &["status", "st1"]);
    assert!(!status.stdout.contains("DRIFTED"), "{}", status.stdout);

    // Off: both buckets, the role and CloudFront's behaviour go; the boundary hawiz made
    // loses the statement. On again for an existing stack: it gains it back.
    apply("");
    let names = bucket_names(&aws).await;
    assert!(!names.iter().any(|n| n.contains(ACCOUNT)), "{names:?}");
    assert!(
        !crate::support::iam::policy_document(&aws, BOUNDARY)
            .await
            .contains("ReplicateStaticFiles")
    );
    let run = apply("static_bucket = true\n");
    assert!(run.stdout.contains("is ready"), "{}", run.stdout);

    let primary = format!("st1-static-{ACCOUNT}-apne2");
    let standby = format!("st1-static-{ACCOUNT}-use1");
    let names = bucket_names(&aws).await;
    for b in [&primary, &standby] {
        assert!(names.contains(b), "{b} in {names:?}: {}", run.stdout);
    }
    let location = |c: &hawiz::aws::Clients, b: String| {
        let s3 = c.s3.clone();
        async move {
            s3.get_bucket_location()
                .bucket(b)
                .send()
                .await
                .unwrap()
                .location_constraint()
                .map(|l| l.as_str().to_string())
                .unwrap_or_default()
        }
    };
    assert_eq!(location(&aws, primary.clone()).await, "ap-northeast-2");
    assert!(["", "us-east-1"].contains(&location(&east, standby.clone()).await.as_str()));
    for (c, b) in [(&aws, &primary), (&east, &standby)] {
        assert_eq!(versioning(c, b).await.as_deref(), Some("Enabled"), "{b}");
        assert!(all_blocked(c, b).await, "{b}");
    }

    // Replicated to the standby's bucket as the stack's role, under the boundary.
    let replication = aws
        .s3
        .get_bucket_replication()
        .bucket(&primary)
        .send()
        .await
        .unwrap();
    let config = replication.replication_configuration().unwrap();
    let role = "hawiz-st1-ap-northeast-2-replication";
    assert!(
        config.role().ends_with(&format!("role/{role}")),
        "{config:?}"
    );
    let rule = &config.rules()[0];
    assert_eq!(rule.status().as_str(), "Enabled");
    assert_eq!(
        rule.destination().unwrap().bucket(),
        format!("arn:aws:s3:::{standby}")
    );
    let boundary = crate::support::iam::role_boundary(&aws, role).await;
    assert!(
        boundary.ends_with("policy/hawiz/hawiz-st1-boundary"),
        "{boundary}"
    );
    let document = crate::support::iam::policy_document(&aws, BOUNDARY).await;
    assert!(document.contains("ReplicateStaticFiles"), "{document}");
    assert!(document.contains("s3:ReplicateObject"), "{document}");

    // CloudFront serves /static/* from the bucket, cached, through origin access control.
    let list = aws.cloudfront.list_distributions().send().await.unwrap();
    let d = &list.distribution_list().unwrap().items()[0];
    let c = aws
        .cloudfront
        .get_distribution_config()
        .id(d.id())
        .send()
        .await
        .unwrap();
    let c = c.distribution_config().unwrap();
    let origin = c
        .origins()
        .unwrap()
        .items()
        .iter()
        .find(|o| o.id() == "static")
        .expect("the static origin");
    assert_eq!(
        origin.domain_name(),
        format!("{primary}.s3.ap-northeast-2.amazonaws.com")
    );
    let behavior = &c.cache_behaviors().unwrap().items()[0];
    assert_eq!(behavior.path_pattern(), "/static/*");
    assert_eq!(behavior.target_origin_id(), "static");
    assert_eq!(
        behavior.cache_policy_id(),
        Some("658327ea-f89d-4fab-a63d-7e88639e58f6"),
        "CachingOptimized"
    );
    assert_eq!(
        behavior.viewer_protocol_policy().as_str(),
        "redirect-to-https"
    );
    let oacs = aws
        .cloudfront
        .list_origin_access_controls()
        .send()
        .await
        .unwrap();
    let oac = oacs
        .origin_access_control_list()
        .unwrap()
        .items()
        .iter()
        .find(|o| o.name() == "st1-static")
        .expect("the origin access control");
    assert_eq!(oac.signing_behavior().as_str(), "always");
    assert_eq!(oac.origin_access_control_origin_type().as_str(), "s3");

    // Only that distribution reads the bucket.
    let policy = aws
        .s3
        .get_bucket_policy()
        .bucket(&primary)
        .send()
        .await
        .unwrap();
    let policy: serde_json::Value = serde_json::from_str(policy.policy().unwrap()).unwrap();
    let st = &policy["Statement"][0];
    assert_eq!(st["Principal"]["Service"], "cloudfront.amazonaws.com");
    assert_eq!(st["Action"], "s3:GetObject");
    assert_eq!(
        st["Condition"]["StringEquals"]["AWS:SourceArn"],
        format!("arn:aws:cloudfront::{ACCOUNT}:distribution/{}", d.id())
    );

    // status: the upload command, nothing drifted; another apply makes nothing.
    let status = moto.run(home.path(), &["status", "st1"]);
    assert!(
        status
            .stdout
            .contains(&format!("s3 sync ./static s3://{primary}/static/")),
        "{}",
        status.stdout
    );
    assert!(
        status.stdout.contains(&format!(
            "static:    {primary} → {standby}: replication Enabled (the emulator copies no object)"
        )),
        "{}",
        status.stdout
    );
    assert!(!status.stdout.contains("differs"), "{}", status.stdout);
    assert!(!status.stdout.contains("EXTRA"), "{}", status.stdout);
    let again = apply("static_bucket = true\n");
    assert_eq!(again.lines_with("creating"), 0, "{}", again.stdout);

    // A file uploaded (and overwritten: two versions), then destroy: nothing is left.
    for body in ["a", "b"] {
        aws.s3
            .put_object()
            .bucket(&primary)
            .key("static/site.css")
            .body(aws_sdk_s3::primitives::ByteStream::from_static(
                body.as_bytes(),
            ))
            .send()
            .await
            .unwrap();
    }
    let gone = moto.run(home.path(), &["destroy", "st1", "--yes"]).ok();
    assert!(
        gone.stdout
            .contains("nothing tagged hawiz:stack=st1 remains"),
        "{}",
        gone.stdout
    );
    let names = bucket_names(&aws).await;
    assert_eq!(
        names,
        theirs
            .iter()
            .rev()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
    );
    let oacs = aws
        .cloudfront
        .list_origin_access_controls()
        .send()
        .await
        .unwrap();
    assert!(
        oacs.origin_access_control_list()
            .map(|l| l.items())
            .unwrap_or_default()
            .is_empty()
    );
}
