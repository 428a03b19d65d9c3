//! The fault-injecting test proxy itself: it names operations right, and its refusals of
//! premature deletes are real (so a destroy that passes it proves its order).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;

use aws_sdk_ec2::error::ProvideErrorMetadata;
use std::collections::BTreeMap;
use support::proxy::{Faults, Protocol, Proxy, form, identify};
use support::*;

fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn auth(service: &str) -> (&'static str, String) {
    (
        "Authorization",
        format!(
            "AWS4-HMAC-SHA256 Credential=test/20261122/ap-northeast-2/{service}/aws4_request, \
             SignedHeaders=host;x-amz-date, Signature=abc"
        ),
    )
}

#[test]
fn query_calls_are_named_by_their_action() {
    let (k, v) = auth("ec2");
    let call = identify(
        "POST",
        "/",
        &h(&[
            (k, &v),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ]),
        b"Action=DeleteSubnet&Version=2016-11-15&SubnetId=subnet-123",
    );
    assert_eq!(call.service, "ec2");
    assert_eq!(call.op, "DeleteSubnet");
    assert_eq!(call.protocol, Protocol::Ec2);
    assert_eq!(call.params["SubnetId"], "subnet-123");
    assert!(call.mutating("POST"));

    let (k, v) = auth("rds");
    let call = identify(
        "POST",
        "/",
        &h(&[(k, &v)]),
        b"Action=DescribeDBInstances&Version=2014-10-31",
    );
    assert_eq!(
        (call.op.as_str(), call.protocol),
        ("DescribeDBInstances", Protocol::Query)
    );
    assert!(!call.mutating("POST"));
}

#[test]
fn form_values_are_decoded() {
    let f = form("Action=CreateTags&Tag.1.Key=hawiz%3Astack&Tag.1.Value=a+b%2Fc&Empty=");
    let want: BTreeMap<String, String> = [
        ("Action", "CreateTags"),
        ("Tag.1.Key", "hawiz:stack"),
        ("Tag.1.Value", "a b/c"),
        ("Empty", ""),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(f, want);
    // A stray percent sign is kept as it is.
    assert_eq!(form("x=100%")["x"], "100%");
}

#[test]
fn json_calls_are_named_by_their_target() {
    let (k, v) = auth("ssm");
    let call = identify(
        "POST",
        "/",
        &h(&[(k, &v), ("X-Amz-Target", "AmazonSSM.PutParameter")]),
        b"{}",
    );
    assert_eq!(
        (call.service.as_str(), call.op.as_str(), call.protocol),
        ("ssm", "PutParameter", Protocol::Json)
    );
    assert!(call.mutating("POST"));
    let call = identify(
        "POST",
        "/",
        &h(&[("x-amz-target", "CertificateManager.DescribeCertificate")]),
        b"{}",
    );
    assert_eq!(call.op, "DescribeCertificate");
    assert!(!call.mutating("POST"));
}

#[test]
fn rest_calls_are_named_by_method_and_path() {
    let (k, v) = auth("elasticfilesystem");
    let hs = h(&[(k, &v)]);
    let op = |m: &str, p: &str| identify(m, p, &hs, b"").op;
    assert_eq!(op("POST", "/2015-02-01/file-systems"), "CreateFileSystem");
    assert_eq!(
        op("GET", "/2015-02-01/file-systems?CreationToken=abc"),
        "DescribeFileSystems"
    );
    assert_eq!(
        op("DELETE", "/2015-02-01/file-systems/fs-123"),
        "DeleteFileSystem"
    );
    assert_eq!(op("POST", "/2015-02-01/mount-targets"), "CreateMountTarget");
    assert_eq!(
        op("GET", "/2015-02-01/mount-targets?FileSystemId=fs-1"),
        "DescribeMountTargets"
    );
    assert_eq!(
        op("GET", "/2015-02-01/mount-targets/fsmt-1/security-groups"),
        "DescribeMountTargetSecurityGroups"
    );
    assert_eq!(op("POST", "/2013-04-01/hostedzone"), "CreateHostedZone");
    assert_eq!(
        op("POST", "/2013-04-01/hostedzone/Z123/rrset/"),
        "ChangeResourceRecordSets"
    );
    assert_eq!(
        op("GET", "/2013-04-01/hostedzone/Z123/rrset?name=a"),
        "ListResourceRecordSets"
    );
    assert_eq!(
        op("DELETE", "/2013-04-01/hostedzone/Z123"),
        "DeleteHostedZone"
    );
    assert_eq!(op("GET", "/2013-04-01/change/C1"), "GetChange");
    assert_eq!(
        op("POST", "/2013-04-01/tags/hostedzone/Z123"),
        "ChangeTagsForResource"
    );
    // Unknown paths are still told apart.
    assert_eq!(op("PATCH", "/2015-02-01/odd"), "PATCH /2015-02-01/odd");
    let call = identify("DELETE", "/2015-02-01/mount-targets/fsmt-1", &hs, b"");
    assert_eq!(call.protocol, Protocol::RestJson);
    assert!(call.mutating("DELETE"));
    assert!(!identify("GET", "/2013-04-01/hostedzone", &hs, b"").mutating("GET"));
}

#[track_caller]
fn refused<T: std::fmt::Debug, E: ProvideErrorMetadata + std::fmt::Debug>(
    r: Result<T, E>,
    what: &str,
) {
    let e = r.expect_err(what);
    assert_eq!(e.code(), Some("DependencyViolation"), "{what}: {e:?}");
}

/// A built stack, then each delete in the wrong order: the proxy must refuse every one
/// with `DependencyViolation`, and moto must still hold what it protected.
#[tokio::test(flavor = "multi_thread")]
async fn premature_deletes_are_refused_like_aws_does() {
    let moto = Moto::start();
    let proxy = Proxy::start(
        &moto.endpoint,
        Faults {
            refuse_premature_deletes: true,
            ..Default::default()
        },
    );
    let home = tempfile::tempdir().unwrap();
    let plan = stack_plan(home.path(), "early", "");
    proxy
        .run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    assert!(proxy.stats().calls["CreateVpc"] == 1);

    let direct = moto.ec2();
    let via = aws_sdk_ec2::Client::from_conf(
        direct
            .config()
            .to_builder()
            .endpoint_url(&proxy.endpoint)
            .build(),
    );
    let one = |tags: &[aws_sdk_ec2::types::Tag], name: &str| {
        tag(tags, "Name") == Some(&format!("early-{name}"))
    };
    let vpc = direct
        .describe_vpcs()
        .filters(stack_filter("early"))
        .send()
        .await
        .unwrap()
        .vpcs()[0]
        .vpc_id()
        .unwrap()
        .to_string();
    let subnets = direct
        .describe_subnets()
        .filters(stack_filter("early"))
        .send()
        .await
        .unwrap();
    let subnet = |name: &str| {
        subnets
            .subnets()
            .iter()
            .find(|s| one(s.tags(), name))
            .and_then(|s| s.subnet_id())
            .unwrap()
            .to_string()
    };
    let groups = direct
        .describe_security_groups()
        .filters(stack_filter("early"))
        .send()
        .await
        .unwrap();
    let group = |name: &str| {
        groups
            .security_groups()
            .iter()
            .find(|g| one(g.tags(), name))
            .and_then(|g| g.group_id())
            .unwrap()
            .to_string()
    };
    let igw = direct
        .describe_internet_gateways()
        .filters(stack_filter("early"))
        .send()
        .await
        .unwrap()
        .internet_gateways()[0]
        .internet_gateway_id()
        .unwrap()
        .to_string();

    // NAT gateway, bastion and load balancer in it.
    refused(
        via.delete_subnet()
            .subnet_id(subnet("public-a"))
            .send()
            .await,
        "public subnet",
    );
    // Mount target, app instances.
    refused(
        via.delete_subnet()
            .subnet_id(subnet("private-c"))
            .send()
            .await,
        "private subnet",
    );
    // Named by the database's and the file system's rules, on the instances.
    refused(
        via.delete_security_group()
            .group_id(group("app"))
            .send()
            .await,
        "app group",
    );
    // On the database only.
    refused(
        via.delete_security_group()
            .group_id(group("db"))
            .send()
            .await,
        "db group",
    );
    // NAT gateways' addresses, the bastion's public IP, the internet-facing ALB.
    refused(
        via.detach_internet_gateway()
            .internet_gateway_id(&igw)
            .vpc_id(&vpc)
            .send()
            .await,
        "IGW detach",
    );
    refused(via.delete_vpc().vpc_id(&vpc).send().await, "VPC");
    let stats = proxy.stats();
    assert_eq!(stats.refused.values().sum::<usize>(), 6, "{stats:?}");
    // All of it is still there.
    assert_eq!(count(&direct, "early").await, FULL);
    let aws = moto.clients().await;
    assert_eq!(inventory(&aws, "early").await, one_of_each());
}
