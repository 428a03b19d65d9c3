//! The group's settings read back from AWS and changed in place: sizes (the plan's, or
//! the schedule's in force), health checks, subnets, template, metrics, lifecycle hook,
//! and whether its instances run the latest template.

use super::*;

impl AutoScalingGroup {
    pub(super) async fn read_live(&self, cx: &Ctx, id: &str) -> Result<Actual, Error> {
        let mut a = Actual::new();
        let Some(g) = group(cx, id).await? else {
            return Ok(a);
        };
        let n = |v: Option<i32>| Value::One(v.map(|v| v.to_string()).unwrap_or_default());
        match self.schedule_in_force(&g) {
            // A schedule of the plan set these: the plan's own sizes.
            Some(_) => {
                a.insert("min", self.min.to_string().into());
                a.insert("max", self.max.to_string().into());
            }
            None => {
                a.insert("min", n(g.min_size()));
                a.insert("max", n(g.max_size()));
            }
        }
        let planned = pairs(&g)
            .find(|(k, _)| *k == PLANNED)
            .map(|(_, v)| v.to_string())
            .unwrap_or_else(|| "(not recorded)".into());
        a.insert("desired", planned.into());
        a.insert(
            "subnets",
            Value::set(
                g.vpc_zone_identifier()
                    .unwrap_or_default()
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty()),
            ),
        );
        a.insert(
            "launch template",
            g.launch_template()
                .and_then(|t| t.launch_template_id())
                .unwrap_or_default()
                .into(),
        );
        a.insert("target groups", Value::set(g.target_group_arns()));
        a.insert(
            "health check",
            format!(
                "{}, {} s grace",
                g.health_check_type().unwrap_or_default(),
                g.health_check_grace_period().unwrap_or(0)
            )
            .into(),
        );
        let hooks = cx
            .aws
            .autoscaling
            .describe_lifecycle_hooks()
            .auto_scaling_group_name(id)
            .send()
            .await
            .map_err(aws("DescribeLifecycleHooks"))?;
        let hook = hooks
            .lifecycle_hooks()
            .iter()
            .find(|h| {
                h.lifecycle_hook_name() == Some(LAUNCH_HOOK)
                    && h.lifecycle_transition() == Some(HOOK_TRANSITION)
            })
            .map_or_else(
                || "(none)".to_string(),
                |h| {
                    hook_text(
                        h.heartbeat_timeout().unwrap_or(0),
                        h.default_result().unwrap_or_default(),
                    )
                },
            );
        a.insert("launch hook", hook.into());
        let on: Vec<&str> = g
            .enabled_metrics()
            .iter()
            .filter_map(|m| m.metric())
            .collect();
        a.insert(
            "group metrics",
            METRICS.iter().all(|m| on.contains(m)).into(),
        );
        let stale = refresh::stale(cx, &self.launch_template, &g).await?;
        a.insert(
            "instances on the latest template",
            if cx.options.roll_instances {
                ROLL.to_string()
            } else if stale.is_empty() {
                CURRENT.to_string()
            } else {
                format!("{} on an older version", stale.join(", "))
            }
            .into(),
        );
        Ok(a)
    }

    pub(super) async fn change(&self, cx: &Ctx, id: &str, changes: &[Change]) -> Result<(), Error> {
        let asg = &cx.aws.once.autoscaling;
        let changed = |name: &str| changes.iter().any(|c| c.name == name);
        if [
            "min",
            "max",
            "desired",
            "subnets",
            "launch template",
            "health check",
        ]
        .iter()
        .any(|n| changed(n))
        {
            let live = group(cx, id).await?;
            // While a schedule of the plan is in force, its sizes stay (a change of subnets
            // or template must not undo the user's schedule); else the plan's.
            let (min, max) = live
                .as_ref()
                .and_then(|g| self.schedule_in_force(g))
                .filter(|_| !changed("min") && !changed("max"))
                .unwrap_or((self.min, self.max));
            let mut call = asg
                .update_auto_scaling_group()
                .auto_scaling_group_name(id)
                .min_size(count(min))
                .max_size(count(max))
                .vpc_zone_identifier(self.subnet_ids(cx)?)
                .launch_template(self.template(cx)?)
                .health_check_type("ELB")
                .health_check_grace_period(GRACE_SECONDS);
            // The planned size when the plan changed it; otherwise scaling's choice,
            // kept inside the (maybe new) bounds.
            let current = live
                .and_then(|g| g.desired_capacity())
                .and_then(|d| u32::try_from(d).ok())
                .unwrap_or(self.desired);
            let desired = if changed("desired") {
                self.desired
            } else {
                current
            };
            call = call.desired_capacity(count(desired.clamp(min, max)));
            call.send().await.map_err(aws("UpdateAutoScalingGroup"))?;
            asg.create_or_update_tags()
                .tags(self.tag(PLANNED, &self.desired.to_string(), false))
                .send()
                .await
                .map_err(aws("CreateOrUpdateTags"))?;
        }
        if let Some(c) = changes.iter().find(|c| c.name == "target groups")
            && let (Value::Set(old), Value::Set(new)) = (&c.old, &c.new)
        {
            let add: Vec<String> = new.difference(old).cloned().collect();
            let remove: Vec<String> = old.difference(new).cloned().collect();
            if !add.is_empty() {
                asg.attach_load_balancer_target_groups()
                    .auto_scaling_group_name(id)
                    .set_target_group_arns(Some(add))
                    .send()
                    .await
                    .map_err(aws("AttachLoadBalancerTargetGroups"))?;
            }
            if !remove.is_empty() {
                asg.detach_load_balancer_target_groups()
                    .auto_scaling_group_name(id)
                    .set_target_group_arns(Some(remove))
                    .send()
                    .await
                    .map_err(aws("DetachLoadBalancerTargetGroups"))?;
            }
        }
        // Put again, the hook takes the settings asked for (new instances only).
        if changed("launch hook") {
            asg.put_lifecycle_hook()
                .auto_scaling_group_name(id)
                .lifecycle_hook_name(LAUNCH_HOOK)
                .lifecycle_transition(HOOK_TRANSITION)
                .heartbeat_timeout(HOOK_TIMEOUT_SECONDS)
                .default_result(HOOK_DEFAULT)
                .send()
                .await
                .map_err(aws("PutLifecycleHook"))?;
        }
        // Group metrics (what the console's Monitoring tab and CloudWatch show).
        if changed("group metrics") {
            asg.enable_metrics_collection()
                .auto_scaling_group_name(id)
                .set_metrics(Some(METRICS.iter().map(|m| m.to_string()).collect()))
                .granularity("1Minute")
                .send()
                .await
                .map_err(aws("EnableMetricsCollection"))?;
        }
        if changed("instances on the latest template") {
            self.refresh(cx).await?;
        }
        Ok(())
    }
}
