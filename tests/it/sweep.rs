//! The leftovers sweep (status's "tagged" lines, destroy's proof that nothing is left)
//! reads every page of every list: an account with more of the stack's alarms, log
//! groups, dashboards and web ACLs than one page holds has them all found. A sweep that
//! fails is reported, not taken for "nothing left".

use crate::support::proxy::{Faults, Permanent, Proxy};
use crate::support::{Moto, stack_plan};
use aws_sdk_wafv2::types::{DefaultAction, Scope, Tag, VisibilityConfig};

const STACK: &str = "paged";

/// One more than the largest page hawiz asks for (DescribeAlarms 100, ListWebACLs 100,
/// DescribeLogGroups 50); ListDashboards pages at 2 in this emulator.
const ALARMS: usize = 101;
const WEB_ACLS: usize = 101;
const LOG_GROUPS: usize = 51;
const DASHBOARDS: usize = 3;

/// Resources tagged with the stack that no resource of its plan accounts for, made from
/// outside as a console user (or an earlier, crashed tool) would.
async fn leftovers(aws: &hawiz::aws::Clients) {
    let tag = |k: &str, v: &str| {
        aws_sdk_cloudwatch::types::Tag::builder()
            .key(k)
            .value(v)
            .build()
    };
    for i in 0..ALARMS {
        aws.cloudwatch
            .put_metric_alarm()
            .alarm_name(format!("{STACK}-extra-{i:03}"))
            .namespace("AWS/EC2")
            .metric_name("CPUUtilization")
            .statistic(aws_sdk_cloudwatch::types::Statistic::Average)
            .comparison_operator(
                aws_sdk_cloudwatch::types::ComparisonOperator::GreaterThanThreshold,
            )
            .threshold(90.0)
            .period(300)
            .evaluation_periods(1)
            .tags(tag("hawiz:stack", STACK))
            .tags(tag("hawiz:key", &format!("extra-{i:03}")))
            .send()
            .await
            .unwrap();
    }
    for i in 0..LOG_GROUPS {
        aws.logs
            .create_log_group()
            .log_group_name(format!("/hawiz/{STACK}/extra-{i:02}"))
            .tags("hawiz:stack", STACK)
            .tags("hawiz:key", format!("extra-{i:02}"))
            .send()
            .await
            .unwrap();
    }
    for i in 0..DASHBOARDS {
        // The emulator keeps no tags on dashboards: the mark in the body stands in.
        let body = serde_json::json!({"widgets": [{
            "type": "text", "x": 0, "y": 0, "width": 24, "height": 2,
            "properties": {"markdown": format!("hawiz:stack={STACK} hawiz:key=extra-{i}")}
        }]});
        aws.cloudwatch
            .put_dashboard()
            .dashboard_name(format!("{STACK}-extra-{i}"))
            .dashboard_body(body.to_string())
            .send()
            .await
            .unwrap();
    }
    for i in 0..WEB_ACLS {
        let name = format!("{STACK}-extra-{i:03}");
        aws.waf
            .create_web_acl()
            .name(&name)
            .scope(Scope::Regional)
            .default_action(
                DefaultAction::builder()
                    .allow(aws_sdk_wafv2::types::AllowAction::builder().build())
                    .build(),
            )
            .visibility_config(
                VisibilityConfig::builder()
                    .sampled_requests_enabled(false)
                    .cloud_watch_metrics_enabled(false)
                    .metric_name(&name)
                    .build()
                    .unwrap(),
            )
            .tags(
                Tag::builder()
                    .key("hawiz:stack")
                    .value(STACK)
                    .build()
                    .unwrap(),
            )
            .tags(
                Tag::builder()
                    .key("hawiz:key")
                    .value(format!("extra-{i:03}"))
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .unwrap();
    }
}

/// The `EXTRA` lines of `hawiz status` for one kind (tagged with the stack, not explained
/// by its plan).
fn tagged<'a>(stdout: &'a str, kind: &str) -> Vec<&'a str> {
    stdout
        .lines()
        .filter(|l| l.split_whitespace().take(2).collect::<Vec<_>>() == ["EXTRA", kind])
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_sweep_reads_every_page_and_a_failed_sweep_is_reported() {
    let moto = Moto::start_with(&[("HAWIZ_MOTO_DASHBOARD_PAGE", "2")]);
    let home = tempfile::tempdir().unwrap();
    // Every kind whose sweep pages: flow logs (a log group), WAF, the dashboard, and the
    // alarms that mail the alerts.
    let file = stack_plan(
        home.path(),
        STACK,
        "[network]\nflow_logs = true\n\n[load_balancer]\nwaf = true\n\n\
         [alerts]\nemail = \"ops@example.com\"\n",
    );
    let mut plan = hawiz::plan::Plan::load(&file).unwrap();
    plan.resolve(None);
    // A saved stack with nothing built yet: everything tagged is a leftover.
    hawiz::state::Store::open_for_apply(&home.path().join("stacks"), &plan).unwrap();
    leftovers(&moto.clients().await).await;

    let run = moto.run(home.path(), &["status", STACK]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    for (kind, want, last) in [
        ("alarm", ALARMS, format!("{STACK}-extra-{:03}", ALARMS - 1)),
        (
            "log-group",
            LOG_GROUPS,
            format!("/hawiz/{STACK}/extra-{}", LOG_GROUPS - 1),
        ),
        (
            "dashboard",
            DASHBOARDS,
            format!("{STACK}-extra-{}", DASHBOARDS - 1),
        ),
        (
            "web-acl",
            WEB_ACLS,
            format!("/{STACK}-extra-{:03}/", WEB_ACLS - 1),
        ),
    ] {
        let lines = tagged(&run.stdout, kind);
        assert_eq!(lines.len(), want, "{kind}: {}", run.stdout);
        // The last by name is on the last page.
        assert!(
            lines.iter().any(|l| l.contains(&last)),
            "{kind} {last} (page 2) missing:\n{}",
            run.stdout
        );
    }

    // Only the sweep lists dashboards: with that call failing, status says it could not
    // check, and does not end as if nothing were left.
    let proxy = Proxy::start(
        &moto.endpoint,
        Faults {
            permanent: vec![Permanent {
                op: "ListDashboards".into(),
                contains: String::new(),
                code: "AccessDenied".into(),
                message: "not allowed in this test".into(),
            }],
            ..Default::default()
        },
    );
    let run = proxy.run(home.path(), &["status", STACK]);
    assert_ne!(run.code, 0, "{}", run.stdout);
    let line = run
        .stdout
        .lines()
        .find(|l| l.contains("could not sweep for leftovers:"))
        .unwrap_or_else(|| panic!("no 'could not sweep' line:\n{}", run.stdout));
    assert!(line.contains("ListDashboards"), "{line}");
    assert!(
        tagged(&run.stdout, "dashboard").is_empty(),
        "{}",
        run.stdout
    );
}
