//! Seed 003's front door: with `[failover]` (cloudfront on by default) visitors reach the
//! primary through CloudFront. Read back with plain describe calls: the distribution's
//! settings, the origin's own name, the health check on CloudFront's name, the PRIMARY
//! record aliased to CloudFront, and the primary's load balancer locked to CloudFront
//! (secret header rule, a 403 for anyone else, HTTPS only from CloudFront's prefix list).
//! Turned off, every piece of it goes and the load balancer is open again; destroyed,
//! nothing is left in CloudFront. What AWS refuses and the emulator accepts (a name on
//! another distribution, a record of the user's at the origin's name) is refused first.

use crate::failover::{FAILOVER, STANDBY, dns_name, health_checks, site_records};
use crate::support::*;
use aws_sdk_cloudfront::types::{DistributionConfig, Method};
use aws_sdk_route53::types::RrType;

/// The stack's distributions (by their tags), with their configurations.
async fn distributions(
    aws: &hawiz::aws::Clients,
    stack: &str,
) -> Vec<(String, DistributionConfig)> {
    let list = aws.cloudfront.list_distributions().send().await.unwrap();
    let mut out = Vec::new();
    for d in list
        .distribution_list()
        .map(|l| l.items())
        .unwrap_or_default()
    {
        let tags = aws
            .cloudfront
            .list_tags_for_resource()
            .resource(d.arn())
            .send()
            .await
            .unwrap();
        let ours = tags
            .tags()
            .map(|t| t.items())
            .unwrap_or_default()
            .iter()
            .any(|t| t.key() == "hawiz:stack" && t.value() == Some(stack));
        if ours {
            let config = aws
                .cloudfront
                .get_distribution_config()
                .id(d.id())
                .send()
                .await
                .unwrap();
            out.push((
                d.domain_name().to_string(),
                config.distribution_config().unwrap().clone(),
            ));
        }
    }
    out
}

async fn origin_secret(aws: &hawiz::aws::Clients, stack: &str) -> Option<String> {
    aws.ssm
        .get_parameter()
        .name(format!("/hawiz/{stack}/origin-secret"))
        .with_decryption(true)
        .send()
        .await
        .ok()
        .and_then(|o| o.parameter().and_then(|p| p.value()).map(str::to_string))
}

/// The rules of a stack's HTTPS listener, the default one included.
async fn https_rules(
    aws: &hawiz::aws::Clients,
    stack: &str,
) -> Vec<aws_sdk_elasticloadbalancingv2::types::Rule> {
    let lb = aws
        .elb
        .describe_load_balancers()
        .names(format!("{stack}-alb"))
        .send()
        .await
        .unwrap();
    let arn = lb.load_balancers()[0].load_balancer_arn().unwrap();
    let listeners = aws
        .elb
        .describe_listeners()
        .load_balancer_arn(arn)
        .send()
        .await
        .unwrap();
    let https = listeners
        .listeners()
        .iter()
        .find(|l| l.port() == Some(443))
        .unwrap();
    aws.elb
        .describe_rules()
        .listener_arn(https.listener_arn().unwrap())
        .send()
        .await
        .unwrap()
        .rules()
        .to_vec()
}

/// The primary's HTTPS listener: (default action type, the secret rule's header values).
async fn https_listener(aws: &hawiz::aws::Clients, stack: &str) -> (String, Option<Vec<String>>) {
    let rules = https_rules(aws, stack).await;
    let default = rules
        .iter()
        .find(|r| r.is_default() == Some(true))
        .and_then(|r| r.actions().first())
        .and_then(|a| a.r#type())
        .map(|t| t.as_str().to_string())
        .unwrap_or_default();
    let header = rules.iter().find_map(|r| {
        r.conditions().iter().find_map(|c| {
            c.http_header_config()
                .filter(|h| h.http_header_name() == Some("X-Hawiz-Origin"))
                .map(|h| h.values().to_vec())
        })
    });
    (default, header)
}

/// The load balancer's security group's ingress as "port from source", sorted.
async fn alb_ingress(aws: &hawiz::aws::Clients, stack: &str) -> Vec<String> {
    let out = aws
        .ec2
        .describe_security_groups()
        .filters(ec2_filter("group-name", &format!("{stack}-alb")))
        .send()
        .await
        .unwrap();
    let mut rules = Vec::new();
    for p in out.security_groups()[0].ip_permissions() {
        let port = p.from_port().unwrap_or(-1);
        for r in p.ip_ranges() {
            rules.push(format!("{port} from {}", r.cidr_ip().unwrap()));
        }
        for l in p.prefix_list_ids() {
            rules.push(format!("{port} from {}", l.prefix_list_id().unwrap()));
        }
    }
    rules.sort();
    rules
}

async fn cloudfront_prefix_list(aws: &hawiz::aws::Clients) -> String {
    let out = aws
        .ec2
        .describe_managed_prefix_lists()
        .filters(ec2_filter(
            "prefix-list-name",
            "com.amazonaws.global.cloudfront.origin-facing",
        ))
        .send()
        .await
        .unwrap();
    out.prefix_lists()[0].prefix_list_id().unwrap().to_string()
}

/// The alias at a name in the zone: (DNS name, hosted zone, evaluates target health), of
/// the PRIMARY when there is a pair.
async fn alias_at(aws: &hawiz::aws::Clients, name: &str) -> Option<(String, String, bool)> {
    let zones = aws
        .route53
        .list_hosted_zones_by_name()
        .dns_name("wplab.click.")
        .send()
        .await
        .unwrap();
    let zone = zones.hosted_zones().first()?.id().to_string();
    let out = aws
        .route53
        .list_resource_record_sets()
        .hosted_zone_id(zone)
        .send()
        .await
        .unwrap();
    out.resource_record_sets()
        .iter()
        .filter(|r| r.name() == format!("{name}.") && *r.r#type() == RrType::A)
        .find(|r| r.set_identifier().is_none_or(|s| s.ends_with("primary")))
        .and_then(|r| r.alias_target())
        .map(|a| {
            (
                a.dns_name().trim_end_matches('.').to_string(),
                a.hosted_zone_id().to_string(),
                a.evaluate_target_health(),
            )
        })
}

#[tokio::test(flavor = "multi_thread")]
async fn cloudfront_fronts_the_primary_and_only_cloudfront_reaches_it() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    let aws = moto.clients().await;
    let east = aws.in_region(STANDBY);
    let plan = stack_plan(home.path(), "cf1", &format!("{DOMAIN}{FAILOVER}"));
    let run = moto
        .run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    assert!(run.stdout.contains("is ready"), "{}", run.stdout);

    // The distribution, as the lab sets it up (with an HTTPS origin).
    let found = distributions(&aws, "cf1").await;
    assert_eq!(found.len(), 1, "{found:?}");
    let (cf_domain, c) = &found[0];
    assert!(c.enabled());
    assert_eq!(c.aliases().unwrap().items(), ["www.wplab.click"]);
    let cert = c.viewer_certificate().unwrap();
    assert!(
        cert.acm_certificate_arn().unwrap().contains(":us-east-1:"),
        "CloudFront takes us-east-1 certificates only: {cert:?}"
    );
    assert_eq!(
        cert.minimum_protocol_version().unwrap().as_str(),
        "TLSv1.2_2021"
    );
    let origin = &c.origins().unwrap().items()[0];
    assert_eq!(origin.domain_name(), "origin.wplab.click");
    assert_eq!(
        origin
            .custom_origin_config()
            .unwrap()
            .origin_protocol_policy()
            .as_str(),
        "https-only"
    );
    let header = &origin.custom_headers().unwrap().items()[0];
    assert_eq!(header.header_name(), "X-Hawiz-Origin");
    let secret = origin_secret(&aws, "cf1")
        .await
        .expect("the origin secret in SSM");
    assert_eq!(header.header_value(), secret);
    assert_eq!(secret.len(), 32);
    let b = c.default_cache_behavior().unwrap();
    assert_eq!(b.viewer_protocol_policy().as_str(), "redirect-to-https");
    let mut methods: Vec<&str> = b
        .allowed_methods()
        .unwrap()
        .items()
        .iter()
        .map(Method::as_str)
        .collect();
    methods.sort_unstable();
    assert_eq!(
        methods,
        ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]
    );
    assert_eq!(
        b.cache_policy_id(),
        Some("4135ea2d-6df8-44a3-9df3-4b5a84be39ad"),
        "CachingDisabled"
    );
    assert_eq!(
        b.origin_request_policy_id(),
        Some("216adef6-5c7f-47e4-b989-5492eafa07d3"),
        "AllViewer"
    );
    assert_eq!(b.compress(), Some(true));
    // The secret never reaches the state file.
    let state = std::fs::read_to_string(home.path().join("stacks/cf1/state.json")).unwrap();
    assert!(!state.contains(&secret));

    // origin.<domain> is the primary's load balancer; the site's PRIMARY is CloudFront
    // (its zone, no target health), checked at CloudFront's own name.
    let seoul = dns_name(&aws, "cf1-alb").await;
    let (origin_target, _, evaluates) = alias_at(&aws, "origin.wplab.click").await.unwrap();
    assert_eq!(origin_target, seoul);
    assert!(evaluates);
    let (primary, zone, evaluates) = alias_at(&aws, "www.wplab.click").await.unwrap();
    assert_eq!(primary, *cf_domain);
    assert_eq!(zone, "Z2FDTNDATAQYW2");
    assert!(!evaluates, "Route 53 cannot evaluate CloudFront's health");
    let checks = health_checks(&aws, "cf1").await;
    assert_eq!(checks.len(), 1);
    let cfg = checks[0].health_check_config().unwrap();
    assert_eq!(cfg.fully_qualified_domain_name(), Some(cf_domain.as_str()));
    let records = site_records(&aws).await;
    let secondary = records
        .iter()
        .find(|r| r.1.as_deref() == Some("SECONDARY"))
        .unwrap();
    assert_eq!(secondary.2, dns_name(&east, "cf1-alb").await);

    // The load balancer answers CloudFront only: the secret rule, a 403 for the rest,
    // HTTPS from CloudFront's addresses only. The standby's stays open (visitors reach it
    // directly when it serves).
    let (default, rule) = https_listener(&aws, "cf1").await;
    assert_eq!(default, "fixed-response");
    assert_eq!(rule, Some(vec![secret.clone()]));
    let list = cloudfront_prefix_list(&aws).await;
    assert_eq!(alb_ingress(&aws, "cf1").await, [format!("443 from {list}")]);
    assert_eq!(
        alb_ingress(&east, "cf1").await,
        ["443 from 0.0.0.0/0", "80 from 0.0.0.0/0"]
    );
    let (default, rule) = https_listener(&east, "cf1").await;
    assert_eq!((default.as_str(), rule), ("forward", None));

    // Nothing drifts; a second apply makes nothing. The summary gives CloudFront's own
    // address, not the load balancer's (which answers CloudFront only).
    let status = moto.run(home.path(), &["status", "cf1"]);
    assert!(
        status
            .stdout
            .contains(&format!("CloudFront:  https://{cf_domain}/")),
        "{}",
        status.stdout
    );
    assert!(
        !status.stdout.contains("Load balancer:"),
        "{}",
        status.stdout
    );
    assert!(
        status
            .stdout
            .contains("serving:   ap-northeast-2 via CloudFront"),
        "{}",
        status.stdout
    );
    assert!(!status.stdout.contains("EXTRA"), "{}", status.stdout);
    assert!(!status.stdout.contains("differs"), "{}", status.stdout);
    let again = moto
        .run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    assert_eq!(again.lines_with("creating"), 0, "{}", again.stdout);

    // Someone opens the load balancer to the world by hand: drift, and apply closes it.
    let group = aws
        .ec2
        .describe_security_groups()
        .filters(ec2_filter("group-name", "cf1-alb"))
        .send()
        .await
        .unwrap();
    aws.ec2
        .authorize_security_group_ingress()
        .group_id(group.security_groups()[0].group_id().unwrap())
        .ip_protocol("tcp")
        .from_port(443)
        .to_port(443)
        .cidr_ip("0.0.0.0/0")
        .send()
        .await
        .unwrap();
    let status = moto.run(home.path(), &["status", "cf1"]);
    assert!(status.stdout.contains("inbound"), "{}", status.stdout);
    moto.run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    assert_eq!(alb_ingress(&aws, "cf1").await, [format!("443 from {list}")]);

    // --- CloudFront off: the site's PRIMARY is the load balancer again, which answers
    // everyone; the distribution, the origin's name and the secret are gone.
    let plan = stack_plan(
        home.path(),
        "cf1",
        &format!("{DOMAIN}{FAILOVER}cloudfront = false\n"),
    );
    let shown = moto
        .run(home.path(), &["plan", plan.to_str().unwrap()])
        .ok();
    assert!(shown.stdout.contains("cloudfront"), "{}", shown.stdout);
    moto.run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    assert!(distributions(&aws, "cf1").await.is_empty());
    let (primary, _, evaluates) = alias_at(&aws, "www.wplab.click").await.unwrap();
    assert_eq!((primary.as_str(), evaluates), (seoul.as_str(), true));
    assert_eq!(alias_at(&aws, "origin.wplab.click").await, None);
    let cfg = health_checks(&aws, "cf1").await[0]
        .health_check_config()
        .cloned()
        .unwrap();
    assert_eq!(cfg.fully_qualified_domain_name(), Some(seoul.as_str()));
    let (default, rule) = https_listener(&aws, "cf1").await;
    assert_eq!((default.as_str(), rule), ("forward", None));
    assert_eq!(
        alb_ingress(&aws, "cf1").await,
        ["443 from 0.0.0.0/0", "80 from 0.0.0.0/0"]
    );
    assert_eq!(origin_secret(&aws, "cf1").await, None);

    // --- On again, then destroy: nothing of it in CloudFront.
    let plan = stack_plan(home.path(), "cf1", &format!("{DOMAIN}{FAILOVER}"));
    moto.run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    assert_eq!(distributions(&aws, "cf1").await.len(), 1);
    let gone = moto.run(home.path(), &["destroy", "cf1", "--yes"]).ok();
    assert!(
        gone.stdout
            .contains("nothing tagged hawiz:stack=cf1 remains"),
        "{}",
        gone.stdout
    );
    assert!(distributions(&aws, "cf1").await.is_empty());
    assert!(health_checks(&aws, "cf1").await.is_empty());
}

/// A real account is full: the site's name is already on a distribution of the user's,
/// and their own zone has a record at `origin.<domain>`. CloudFront and Route 53 would
/// refuse mid-build (the emulator would not); hawiz refuses both before anything is made,
/// naming them, and leaves them as they were.
#[tokio::test(flavor = "multi_thread")]
async fn a_name_on_someone_elses_distribution_or_origin_record_is_refused() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    let aws = moto.clients().await;
    let east = aws.in_region(STANDBY);
    let zone =
        crate::lived_in::users_zone(&aws, &[("origin.wplab.click", RrType::A, "198.51.100.7")])
            .await;
    let before = crate::lived_in::records(&aws, &zone).await;
    let theirs = aws
        .cloudfront
        .create_distribution()
        .distribution_config(
            DistributionConfig::builder()
                .caller_reference("the-users-own")
                .comment("my blog")
                .enabled(true)
                .aliases(
                    aws_sdk_cloudfront::types::Aliases::builder()
                        .quantity(1)
                        .items("www.wplab.click")
                        .build()
                        .unwrap(),
                )
                .origins(
                    aws_sdk_cloudfront::types::Origins::builder()
                        .quantity(1)
                        .items(
                            aws_sdk_cloudfront::types::Origin::builder()
                                .id("blog")
                                .domain_name("blog.example.net")
                                .custom_origin_config(
                                    aws_sdk_cloudfront::types::CustomOriginConfig::builder()
                                        .http_port(80)
                                        .https_port(443)
                                        .origin_protocol_policy(
                                            aws_sdk_cloudfront::types::OriginProtocolPolicy::HttpsOnly,
                                        )
                                        .build()
                                        .unwrap(),
                                )
                                .build()
                                .unwrap(),
                        )
                        .build()
                        .unwrap(),
                )
                .default_cache_behavior(
                    aws_sdk_cloudfront::types::DefaultCacheBehavior::builder()
                        .target_origin_id("blog")
                        .viewer_protocol_policy(
                            aws_sdk_cloudfront::types::ViewerProtocolPolicy::AllowAll,
                        )
                        .cache_policy_id("658327ea-f89d-4fab-a63d-7e88639e58f6")
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let theirs = theirs.distribution().unwrap().id().to_string();

    let plan = stack_plan(
        home.path(),
        "cf2",
        &format!("{DOMAIN}create_hosted_zone = false\n{FAILOVER}"),
    );
    let run = moto.run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"]);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "www.wplab.click is already an alternate domain name of CloudFront distribution {theirs}"
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("failover.cloudfront: origin.wplab.click already has a record that hawiz did not create (A 198.51.100.7); CloudFront reaches the primary's load balancer at this name"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("failover.cloudfront"), "{}", run.stderr);
    // Nothing made in either region; theirs untouched.
    assert_eq!(count(&aws.ec2, "cf2").await, NONE);
    assert_eq!(count(&east.ec2, "cf2").await, NONE);
    assert_eq!(crate::lived_in::records(&aws, &zone).await, before);
    let still = aws
        .cloudfront
        .get_distribution_config()
        .id(&theirs)
        .send()
        .await
        .unwrap();
    let still = still.distribution_config().unwrap();
    assert!(still.enabled());
    assert_eq!(still.aliases().unwrap().items(), ["www.wplab.click"]);

    // With cloudfront = false the same account is fine for the failover pair.
    let plan = stack_plan(
        home.path(),
        "cf2",
        &format!("{DOMAIN}create_hosted_zone = false\n{FAILOVER}cloudfront = false\n"),
    );
    let run = moto.run(home.path(), &["plan", plan.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
}

/// Killed while CloudFront is being made, and again while the lock is: the next apply
/// finds what was made (by its comment and tags; the rule on the stack's listener) and
/// makes nothing twice.
#[tokio::test(flavor = "multi_thread")]
async fn a_kill_while_cloudfront_is_made_converges_without_duplicates() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    let aws = moto.clients().await;
    let plan = stack_plan(home.path(), "cf3", &format!("{DOMAIN}{FAILOVER}"));
    let seen = moto.apply_killed_after(home.path(), &plan, "creating cloudfront", 1);
    assert!(
        seen.iter().any(|l| l.contains("creating cloudfront")),
        "{seen:?}"
    );
    let seen = moto.apply_killed_after(home.path(), &plan, "origin-lock", 1);
    assert!(seen.iter().any(|l| l.contains("origin-lock")), "{seen:?}");
    let run = moto
        .run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    assert!(run.stdout.contains("is ready"), "{}", run.stdout);
    assert_eq!(distributions(&aws, "cf3").await.len(), 1);
    let (default, rule) = https_listener(&aws, "cf3").await;
    assert_eq!(default, "fixed-response");
    assert_eq!(rule.map(|r| r.len()), Some(1));
    let rules = https_rules(&aws, "cf3").await.len();
    assert_eq!(rules, 2, "the secret rule and the default, once each");
    let status = moto.run(home.path(), &["status", "cf3"]);
    assert!(!status.stdout.contains("EXTRA"), "{}", status.stdout);
}
