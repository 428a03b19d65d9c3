//! Seed 003, running the site: how the group scales (target tracking, or simple policies
//! driven by CPU alarms), its scheduled actions, alerts by email, and a dashboard.

use super::app::WebKeys;
use crate::engine::{Graph, GraphError};
use crate::names::subscription_key;
use crate::plan::{Plan, ScalingPolicy};
use crate::resources::alarm::{Alarm, DimensionValue};
use crate::resources::dashboard::Dashboard;
use crate::resources::scaling::CpuPolicy;
use crate::resources::scaling::{ScheduledAction, SimplePolicy};
use crate::resources::sns::{EmailSubscription, Topic};
use aws_sdk_cloudwatch::types::{ComparisonOperator, StandardUnit, Statistic};

/// EC2's basic monitoring sends CPU every five minutes: a shorter alarm period sees gaps.
const CPU_PERIOD: i32 = 300;

/// The database's key in the graph (see `database`).
const DB: &str = "db";

fn group_cpu(web: &WebKeys) -> Vec<(&'static str, DimensionValue)> {
    vec![(
        "AutoScalingGroupName",
        DimensionValue::Id(web.group.clone()),
    )]
}

fn load_balancer(web: &WebKeys) -> (&'static str, DimensionValue) {
    (
        "LoadBalancer",
        DimensionValue::Output {
            key: web.load_balancer.clone(),
            output: "metric name",
        },
    )
}

pub fn add(plan: &Plan, web: &WebKeys, g: &mut Graph) -> Result<(), GraphError> {
    let stack = &plan.stack.name;
    let s = &plan.scaling;
    match s.policy {
        ScalingPolicy::TargetTracking => {
            g.add(
                "asg-policy/cpu",
                CpuPolicy {
                    // Named after the stack: policy names need only be unique per group on
                    // AWS, but moto keeps one policy per name in the whole account.
                    name: format!("{stack}-cpu-target-tracking"),
                    group: web.group.clone(),
                    group_name: crate::names::app(stack),
                    target: plan.app.cpu_target,
                },
            )?;
        }
        ScalingPolicy::Simple => {
            let step = i32::try_from(s.step).unwrap_or(1);
            for (dir, adjustment, alarm, comparison, threshold, periods) in [
                (
                    "out",
                    step,
                    "cpu-high",
                    ComparisonOperator::GreaterThanOrEqualToThreshold,
                    s.cpu_high,
                    1,
                ),
                // Scale in more slowly than out: three quiet periods in a row.
                (
                    "in",
                    -step,
                    "cpu-low",
                    ComparisonOperator::LessThanOrEqualToThreshold,
                    s.cpu_low,
                    3,
                ),
            ] {
                let policy = g.add(
                    format!("asg-policy/scale-{dir}"),
                    SimplePolicy {
                        name: format!("{stack}-scale-{dir}"),
                        group: web.group.clone(),
                        group_name: crate::names::app(stack),
                        adjustment,
                        cooldown_secs: s.cooldown_secs,
                    },
                )?;
                g.add(
                    format!("alarm/{alarm}"),
                    Alarm {
                        name: format!("{stack}-{alarm}"),
                        description: format!(
                            "hawiz {stack}: average CPU of the group {} {threshold} % scales {dir} by {step}",
                            if adjustment > 0 { ">=" } else { "<=" }
                        ),
                        namespace: "AWS/EC2",
                        metric: "CPUUtilization",
                        statistic: Statistic::Average,
                        dimensions: group_cpu(web),
                        comparison,
                        threshold,
                        period_secs: CPU_PERIOD,
                        evaluation_periods: periods,
                        actions: vec![policy],
                        ok_actions: false,
                        unit: None,
                    },
                )?;
            }
        }
    }
    for sched in &s.schedule {
        g.add(
            format!("schedule/{}", sched.name),
            ScheduledAction {
                // moto keeps scheduled actions by name across groups: the stack keeps
                // two stacks' "weekday-peak" apart.
                name: format!("{stack}-{}", sched.name),
                group: web.group.clone(),
                group_name: crate::names::app(stack),
                recurrence: sched.cron.trim().to_string(),
                time_zone: sched.timezone.trim().to_string(),
                min: sched.min,
                desired: sched.desired,
                max: sched.max,
            },
        )?;
    }
    alerts(plan, web, g)?;
    if plan.alerts.dashboard {
        g.add(
            "dashboard",
            Dashboard {
                name: format!("{stack}-dashboard"),
                region: plan.region().to_string(),
                group: web.group.clone(),
                load_balancer: web.load_balancer.clone(),
                target_group: web.target_group.clone(),
                database: DB.to_string(),
            },
        )?;
    }
    Ok(())
}

fn alerts(plan: &Plan, web: &WebKeys, g: &mut Graph) -> Result<(), GraphError> {
    let stack = &plan.stack.name;
    let email = plan.alerts.email.trim();
    if email.is_empty() {
        return Ok(());
    }
    let topic = g.add(
        "sns-topic",
        Topic {
            name: format!("{stack}-alerts"),
        },
    )?;
    g.add(
        subscription_key(email),
        EmailSubscription {
            email: email.to_string(),
            topic: topic.clone(),
        },
    )?;
    let target_group = (
        "TargetGroup",
        DimensionValue::Output {
            key: web.target_group.clone(),
            output: "metric name",
        },
    );
    // Ten percent of the allocated storage, in bytes (FreeStorageSpace's unit).
    let low_storage = f64::from(plan.database.storage_gib) * 0.1 * 1024.0 * 1024.0 * 1024.0;
    let alarms = [
        (
            "unhealthy-hosts",
            "an instance fails the load balancer's health check",
            "AWS/ApplicationELB",
            "UnHealthyHostCount",
            Statistic::Maximum,
            vec![target_group, load_balancer(web)],
            ComparisonOperator::GreaterThanThreshold,
            0.0,
            60,
            2,
            None,
        ),
        (
            "5xx",
            "the load balancer answers 5xx errors (no healthy instance, or WordPress failing)",
            "AWS/ApplicationELB",
            "HTTPCode_ELB_5XX_Count",
            Statistic::Sum,
            vec![load_balancer(web)],
            ComparisonOperator::GreaterThanOrEqualToThreshold,
            10.0,
            300,
            1,
            None,
        ),
        (
            "cpu-long",
            "the group stays above 90 % CPU for 15 minutes: it cannot scale out far enough",
            "AWS/EC2",
            "CPUUtilization",
            Statistic::Average,
            group_cpu(web),
            ComparisonOperator::GreaterThanOrEqualToThreshold,
            90.0,
            CPU_PERIOD,
            3,
            None,
        ),
        (
            "db-storage",
            "the database has less than 10 % of its storage free",
            "AWS/RDS",
            "FreeStorageSpace",
            Statistic::Minimum,
            vec![("DBInstanceIdentifier", DimensionValue::Id(DB.to_string()))],
            ComparisonOperator::LessThanThreshold,
            low_storage,
            300,
            1,
            Some(StandardUnit::Bytes),
        ),
    ];
    for (
        key,
        about,
        namespace,
        metric,
        statistic,
        dimensions,
        comparison,
        threshold,
        period,
        periods,
        unit,
    ) in alarms
    {
        g.add(
            format!("alarm/{key}"),
            Alarm {
                name: format!("{stack}-{key}"),
                description: format!("hawiz {stack}: {about}"),
                namespace,
                metric,
                statistic,
                dimensions,
                comparison,
                threshold,
                period_secs: period,
                evaluation_periods: periods,
                actions: vec![topic.clone()],
                ok_actions: true,
                unit,
            },
        )?;
    }
    Ok(())
}
