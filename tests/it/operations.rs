//! Seed 003 in a lived-in account: simple scaling driven by CPU alarms, a scheduled action
//! with its time zone, alerts by email and a dashboard, read back with plain describe
//! calls; the user's own alarm, topic and dashboard beside them stay as they were through
//! apply, re-apply, a change of policy and destroy.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;

use hawiz::aws::Clients;
use support::{Moto, stack_plan};

const OPS: &str = r#"
[scaling]
policy = "simple"
cpu_high = 75.0
cpu_low = 15.0
step = 2
cooldown_secs = 240

[[scaling.schedule]]
name = "weekday-peak"
cron = "0 9 * * 1-5"
timezone = "Asia/Seoul"
min = 3
desired = 4
max = 6

[alerts]
email = "ops@example.com"
dashboard = true
"#;

async fn alarm(aws: &Clients, name: &str) -> Option<aws_sdk_cloudwatch::types::MetricAlarm> {
    aws.cloudwatch
        .describe_alarms()
        .alarm_names(name)
        .send()
        .await
        .unwrap()
        .metric_alarms()
        .first()
        .cloned()
}

async fn policy(aws: &Clients, name: &str) -> Option<aws_sdk_autoscaling::types::ScalingPolicy> {
    aws.autoscaling
        .describe_policies()
        .auto_scaling_group_name("ops-app")
        .send()
        .await
        .unwrap()
        .scaling_policies()
        .iter()
        .find(|p| p.policy_name() == Some(name))
        .cloned()
}

async fn topic_arn(aws: &Clients, name: &str) -> Option<String> {
    aws.sns
        .list_topics()
        .send()
        .await
        .unwrap()
        .topics()
        .iter()
        .filter_map(|t| t.topic_arn())
        .find(|a| a.ends_with(&format!(":{name}")))
        .map(str::to_string)
}

/// The user's own things with names next to the stack's.
async fn users_own(aws: &Clients) -> String {
    aws.cloudwatch
        .put_metric_alarm()
        .alarm_name("ops-my-own-alarm")
        .namespace("AWS/EC2")
        .metric_name("CPUUtilization")
        .statistic(aws_sdk_cloudwatch::types::Statistic::Average)
        .comparison_operator(aws_sdk_cloudwatch::types::ComparisonOperator::GreaterThanThreshold)
        .threshold(50.0)
        .period(300)
        .evaluation_periods(1)
        .send()
        .await
        .unwrap();
    aws.cloudwatch
        .put_dashboard()
        .dashboard_name("ops-my-dashboard")
        .dashboard_body(r#"{"widgets":[]}"#)
        .send()
        .await
        .unwrap();
    aws.sns
        .create_topic()
        .name("ops-my-topic")
        .send()
        .await
        .unwrap()
        .topic_arn()
        .unwrap()
        .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn alarms_drive_the_policies_and_mail_the_topic_and_all_of_it_goes_with_destroy() {
    let moto = Moto::start();
    let aws = moto.clients().await;
    let home = tempfile::tempdir().unwrap();
    let my_topic = users_own(&aws).await;
    let plan = stack_plan(home.path(), "ops", OPS);
    let plan = plan.to_str().unwrap();

    // The plan lists the new kinds.
    let preview = moto.run(home.path(), &["plan", plan]).ok();
    let planned = |kind: &str, name: &str| {
        preview.stdout.lines().any(|l| {
            let words: Vec<&str> = l.split_whitespace().collect();
            words.starts_with(&["+", kind, name])
        })
    };
    for (kind, name) in [
        ("alarm", "ops-cpu-high"),
        ("scaling-policy", "ops-scale-out"),
        ("scheduled-action", "ops-weekday-peak"),
        ("sns-topic", "ops-alerts"),
        ("sns-subscription", "ops@example.com"),
        ("dashboard", "ops-dashboard"),
    ] {
        assert!(planned(kind, name), "{kind} {name}\n{}", preview.stdout);
    }
    let run = moto.run(home.path(), &["apply", plan, "--yes"]).ok();
    assert!(
        run.stdout
            .contains("AWS mailed a confirmation link to ops@example.com"),
        "{}",
        run.stdout
    );

    // Simple scaling: each CPU alarm acts on its policy, +2 / -2 with the cooldown.
    let out = policy(&aws, "ops-scale-out")
        .await
        .expect("scale-out policy");
    assert_eq!(out.policy_type(), Some("SimpleScaling"));
    assert_eq!(out.adjustment_type(), Some("ChangeInCapacity"));
    assert_eq!(out.scaling_adjustment(), Some(2));
    assert_eq!(out.cooldown(), Some(240));
    let r#in = policy(&aws, "ops-scale-in").await.expect("scale-in policy");
    assert_eq!(r#in.scaling_adjustment(), Some(-2));
    assert!(
        policy(&aws, "ops-cpu-target-tracking").await.is_none(),
        "simple replaces target tracking"
    );
    let high = alarm(&aws, "ops-cpu-high").await.expect("cpu-high alarm");
    assert_eq!(high.metric_name(), Some("CPUUtilization"));
    assert_eq!(high.threshold(), Some(75.0));
    assert_eq!(
        high.comparison_operator().map(|c| c.as_str()),
        Some("GreaterThanOrEqualToThreshold")
    );
    assert_eq!(high.dimensions()[0].value(), Some("ops-app"));
    assert_eq!(high.alarm_actions(), [out.policy_arn().unwrap()]);
    let low = alarm(&aws, "ops-cpu-low").await.expect("cpu-low alarm");
    assert_eq!(low.threshold(), Some(15.0));
    assert_eq!(low.alarm_actions(), [r#in.policy_arn().unwrap()]);

    // The schedule runs in Seoul's time, with its sizes.
    let actions = aws
        .autoscaling
        .describe_scheduled_actions()
        .auto_scaling_group_name("ops-app")
        .send()
        .await
        .unwrap();
    let peak = actions
        .scheduled_update_group_actions()
        .iter()
        .find(|a| a.scheduled_action_name() == Some("ops-weekday-peak"))
        .expect("the scheduled action");
    assert_eq!(peak.recurrence(), Some("0 9 * * 1-5"));
    assert_eq!(peak.time_zone(), Some("Asia/Seoul"));
    assert_eq!(
        (peak.min_size(), peak.desired_capacity(), peak.max_size()),
        (Some(3), Some(4), Some(6))
    );

    // Alerts: the topic, the user's subscription, four alarms notifying it.
    let topic = topic_arn(&aws, "ops-alerts")
        .await
        .expect("the alert topic");
    let subs = aws
        .sns
        .list_subscriptions_by_topic()
        .topic_arn(&topic)
        .send()
        .await
        .unwrap();
    assert_eq!(subs.subscriptions().len(), 1);
    assert_eq!(subs.subscriptions()[0].protocol(), Some("email"));
    assert_eq!(subs.subscriptions()[0].endpoint(), Some("ops@example.com"));
    let lb_name = aws
        .elb
        .describe_load_balancers()
        .names("ops-alb")
        .send()
        .await
        .unwrap()
        .load_balancers()[0]
        .load_balancer_arn()
        .unwrap()
        .split(":loadbalancer/")
        .nth(1)
        .unwrap()
        .to_string();
    for (name, metric) in [
        ("ops-unhealthy-hosts", "UnHealthyHostCount"),
        ("ops-5xx", "HTTPCode_ELB_5XX_Count"),
        ("ops-cpu-long", "CPUUtilization"),
        ("ops-db-storage", "FreeStorageSpace"),
    ] {
        let a = alarm(&aws, name).await.unwrap_or_else(|| panic!("{name}"));
        assert_eq!(a.metric_name(), Some(metric), "{name}");
        assert_eq!(a.alarm_actions(), [topic.as_str()], "{name}");
        assert_eq!(a.ok_actions(), [topic.as_str()], "{name}");
    }
    let unhealthy = alarm(&aws, "ops-unhealthy-hosts").await.unwrap();
    assert!(
        unhealthy
            .dimensions()
            .iter()
            .any(|d| d.name() == Some("LoadBalancer") && d.value() == Some(lb_name.as_str())),
        "{:?}",
        unhealthy.dimensions()
    );
    let storage = alarm(&aws, "ops-db-storage").await.unwrap();
    assert_eq!(storage.dimensions()[0].value(), Some("ops-db"));
    assert_eq!(storage.threshold(), Some(2.0 * 1024.0 * 1024.0 * 1024.0));

    // The dashboard watches the stack's own parts, and the final lines link to it.
    let board = aws
        .cloudwatch
        .get_dashboard()
        .dashboard_name("ops-dashboard")
        .send()
        .await
        .unwrap();
    let body = board.dashboard_body().unwrap();
    for part in [
        "ops-app",
        lb_name.as_str(),
        "ops-db",
        "RequestCount",
        "FreeStorageSpace",
    ] {
        assert!(body.contains(part), "{part} not on the dashboard: {body}");
    }
    assert!(
        run.stdout.contains("#dashboards/dashboard/ops-dashboard"),
        "{}",
        run.stdout
    );

    // Resume: nothing is made twice.
    let again = moto.run(home.path(), &["apply", plan, "--yes"]).ok();
    assert!(again.stdout.contains(" 0 created"), "{}", again.stdout);
    assert_eq!(
        aws.sns
            .list_subscriptions_by_topic()
            .topic_arn(&topic)
            .send()
            .await
            .unwrap()
            .subscriptions()
            .len(),
        1
    );

    // Back to target tracking: the alarms and simple policies leave with the plan.
    std::fs::write(
        plan,
        std::fs::read_to_string(plan)
            .unwrap()
            .replace("policy = \"simple\"", "policy = \"target-tracking\""),
    )
    .unwrap();
    let change = moto.run(home.path(), &["apply", plan, "--yes"]).ok();
    assert!(
        alarm(&aws, "ops-cpu-high").await.is_none(),
        "{}",
        change.stdout
    );
    assert!(alarm(&aws, "ops-cpu-low").await.is_none());
    assert!(policy(&aws, "ops-scale-out").await.is_none());
    assert!(policy(&aws, "ops-cpu-target-tracking").await.is_some());
    assert!(alarm(&aws, "ops-5xx").await.is_some(), "alerts stay");

    let gone = moto
        .run(
            home.path(),
            &["destroy", "ops", "--yes", "--skip-final-snapshot"],
        )
        .ok();
    assert_eq!(
        support::owned::tagged_anywhere(&aws, "ops").await,
        Vec::<String>::new(),
        "{}",
        gone.stdout
    );
    assert!(topic_arn(&aws, "ops-alerts").await.is_none());
    assert!(
        aws.cloudwatch
            .get_dashboard()
            .dashboard_name("ops-dashboard")
            .send()
            .await
            .is_err()
    );
    // The user's own things are as they were.
    assert!(alarm(&aws, "ops-my-own-alarm").await.is_some());
    assert!(topic_arn(&aws, "ops-my-topic").await.as_deref() == Some(my_topic.as_str()));
    aws.cloudwatch
        .get_dashboard()
        .dashboard_name("ops-my-dashboard")
        .send()
        .await
        .expect("the user's dashboard is untouched");
}

#[test]
fn bad_operations_input_is_refused_at_the_plan_naming_the_value() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    for (extra, want) in [
        (
            "[[scaling.schedule]]\nname = \"peak\"\ncron = \"0 0 9 * * 1-5\"\nmin = 2\ndesired = 4\nmax = 6\n",
            "scaling.schedule[0].cron: \"0 0 9 * * 1-5\" has 6 fields",
        ),
        (
            "[[scaling.schedule]]\nname = \"peak\"\ncron = \"0 9 * * 1-5\"\nmin = 2\ndesired = 4\nmax = 6\ntimezone = \"KST\"\n",
            "\"KST\" is not a time zone name",
        ),
        (
            "[[scaling.schedule]]\nname = \"peak\"\ncron = \"0 9 * * 1-5\"\nmin = 5\ndesired = 2\nmax = 6\n",
            "minimum ≤ desired ≤ maximum, they are 5 ≤ 2 ≤ 6",
        ),
        (
            "[scaling]\npolicy = \"simple\"\ncpu_low = 90.0\n",
            "the scale-in threshold (90 %) must be below the scale-out threshold (80 %)",
        ),
        ("[scaling]\npolicy = \"simple\"\nstep = 0\n", "a step of 0"),
        (
            "[[scaling.schedule]]\nname = \"peak\"\ncron = \"0 9 * * 1-5\"\nmin = 3\n",
            "missing field `desired`",
        ),
        (
            "[scaling]\ncooldown_secs = 4294967295\n",
            "4294967295 is more than AWS stores here (at most 2147483647)",
        ),
        (
            "[app]\nmin = 0\n",
            "with a minimum of 0, Auto Scaling may stop every web server",
        ),
        (
            "[database]\nstorage_gib = 100\nmax_storage_gib = 105\n",
            "at least 10 % more than the storage (100 GiB: so 110 GiB or more",
        ),
        (
            "[alerts]\nemail = \"ops.wplab.click\"\n",
            "\"ops.wplab.click\" is not an email address",
        ),
    ] {
        let plan = stack_plan(home.path(), "bad", extra);
        let run = moto.run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"]);
        assert_eq!(run.code, 2, "{extra}\n{}\n{}", run.stdout, run.stderr);
        let all = format!("{}{}", run.stdout, run.stderr);
        assert!(all.contains(want), "{want}\n{all}");
    }
    // Nothing was created for any of them.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let aws = rt.block_on(moto.clients());
    assert_eq!(
        rt.block_on(support::owned::tagged_anywhere(&aws, "bad")),
        Vec::<String>::new()
    );
}

/// A scheduled action of the plan that has moved the group's sizes is the plan's own doing:
/// `status` reports no drift and `apply` leaves the sizes as the schedule set them. A size
/// no schedule of the plan sets is still drift, and apply puts the plan's back.
#[tokio::test(flavor = "multi_thread")]
async fn sizes_a_schedule_of_the_plan_set_are_not_drift() {
    let moto = Moto::start();
    let aws = moto.clients().await;
    let home = tempfile::tempdir().unwrap();
    let extra = "[[scaling.schedule]]\nname = \"peak\"\ncron = \"0 9 * * 1-5\"\n\
                 min = 3\ndesired = 4\nmax = 6\n";
    let plan = stack_plan(home.path(), "sched", extra);
    let plan = plan.to_str().unwrap();
    moto.run(home.path(), &["apply", plan, "--yes"]).ok();
    let sizes = |min: i32, desired: i32, max: i32| {
        aws.autoscaling
            .update_auto_scaling_group()
            .auto_scaling_group_name("sched-app")
            .min_size(min)
            .desired_capacity(desired)
            .max_size(max)
            .send()
    };
    let read = || async {
        let g = aws
            .autoscaling
            .describe_auto_scaling_groups()
            .auto_scaling_group_names("sched-app")
            .send()
            .await
            .unwrap();
        let g = &g.auto_scaling_groups()[0];
        (g.min_size().unwrap(), g.max_size().unwrap())
    };
    // 09:00 on a weekday: the schedule did what it says.
    sizes(3, 4, 6).await.unwrap();
    let status = moto.run(home.path(), &["status", "sched"]).ok();
    assert!(!status.stdout.contains("DRIFTED"), "{}", status.stdout);
    let again = moto.run(home.path(), &["apply", plan, "--yes"]).ok();
    assert_eq!(again.lines_with("updated "), 0, "{}", again.stdout);
    assert_eq!(read().await, (3, 6), "the schedule's sizes stay");
    // Sizes no schedule sets are drift, repaired to the plan's.
    sizes(5, 5, 7).await.unwrap();
    let status = moto.run(home.path(), &["status", "sched"]).ok();
    assert!(status.stdout.contains("DRIFTED"), "{}", status.stdout);
    moto.run(home.path(), &["apply", plan, "--yes"]).ok();
    assert_eq!(read().await, (2, 4), "the plan's sizes are back");
}
