//! "Up" means serving: after the build, on AWS, wait until the target group has at least
//! `min` healthy targets in at least two AZs and the site answers with WordPress's real
//! front page (not a redirect, an error, a "setting up" page or the installer), showing what
//! each instance is doing (its target health, and the last `hawiz:` line its setup script
//! printed on the console). An emulator boots nothing: there the wait is skipped, saying so.

use super::Events;
use crate::aws::{Clients, Target};
use crate::engine::Dep;
use crate::plan::Plan;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// How long to wait: instances boot, install packages and WordPress, and wait for RDS.
/// Typically 5-10 minutes after the last resource is ready.
pub const BOUND: Duration = Duration::from_secs(25 * 60);
const EVERY: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing to wait for here (an emulator), and why.
    Skipped {
        en: String,
        ko: String,
    },
    Serving {
        secs: u64,
    },
    /// The bounded wait ended: likely causes and the commands to look.
    NotServing(String),
}

/// Since when the site serves, after a wait that ended in `outcome`: the first time it
/// was seen serving is kept (a later apply's wait does not move it), a wait that saw it
/// not serving clears it, and a wait that was skipped (an emulator, where nothing
/// serves) knows nothing new.
pub fn since(before: Option<&str>, outcome: &Outcome, now: &str) -> Option<String> {
    match outcome {
        Outcome::Serving { .. } => Some(before.unwrap_or(now).to_string()),
        Outcome::NotServing(_) => None,
        Outcome::Skipped { .. } => before.map(str::to_string),
    }
}

/// One target as the wait sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub id: String,
    pub zone: String,
    pub state: String,
    pub reason: Option<String>,
    /// The instance's last `hawiz:` console line.
    pub doing: Option<String>,
}

/// Whether the targets are enough: `min` healthy, in two AZs or more.
pub fn enough(targets: &[Seen], min: usize) -> bool {
    let healthy: Vec<&Seen> = targets.iter().filter(|t| t.state == "healthy").collect();
    let zones: std::collections::BTreeSet<&str> = healthy.iter().map(|t| t.zone.as_str()).collect();
    healthy.len() >= min && zones.len() >= 2
}

/// The last `hawiz: ...` line of a console output.
pub fn last_phase(console: &str) -> Option<String> {
    console
        .lines()
        .filter_map(|l| l.split_once("hawiz: ").map(|(_, p)| p.trim().to_string()))
        .next_back()
}

/// "i-0abc (a) healthy; i-0def (c) unhealthy: Target.FailedHealthChecks, installing WP-CLI"
pub fn describe(targets: &[Seen]) -> String {
    if targets.is_empty() {
        return "no targets registered yet".into();
    }
    targets
        .iter()
        .map(|t| {
            let zone = t.zone.chars().last().map(String::from).unwrap_or_default();
            let mut s = format!("{} ({zone}) {}", t.id, t.state);
            if let Some(r) = &t.reason {
                s.push_str(&format!(": {r}"));
            }
            if let Some(d) = &t.doing {
                s.push_str(&format!(", {d}"));
            }
            s
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The targets with their AZs, and the group's instances still setting up behind its
/// launch hook (not registered yet); a failed read (a blip while waiting) is "nothing
/// seen yet".
async fn targets(clients: &Clients, tg: &str, group: &str) -> Vec<Seen> {
    let group = super::fleet::group(clients, group).await.ok().flatten();
    let zones = group.as_ref().map(super::fleet::zones).unwrap_or_default();
    let mut seen: Vec<Seen> = super::fleet::targets(clients, tg)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|t| Seen {
            zone: zones.get(&t.id).cloned().unwrap_or_default(),
            state: t.state,
            reason: t.reason,
            doing: None,
            id: t.id,
        })
        .collect();
    for (id, state) in group
        .as_ref()
        .map(super::fleet::setting_up)
        .unwrap_or_default()
    {
        if !seen.iter().any(|t| t.id == id) {
            seen.push(Seen {
                zone: zones.get(&id).cloned().unwrap_or_default(),
                state: "setting up".into(),
                reason: Some(state),
                doing: None,
                id,
            });
        }
    }
    seen
}

/// Whether a reply is WordPress's real front page: 200, with the theme's or WordPress's
/// own files linked, and not its installer (which hawiz never lets anyone reach; a
/// placeholder or a "setting up" page is not serving either).
pub fn is_front_page(status: u16, body: &str) -> bool {
    status == 200
        && (body.contains("/wp-content/") || body.contains("/wp-includes/"))
        && !body.contains("setup-config.php")
        && !body.contains("wp-admin/install.php")
}

async fn console_phase(clients: &Clients, id: &str) -> Option<String> {
    let out = clients
        .ec2
        .get_console_output()
        .instance_id(id)
        .latest(true)
        .send()
        .await
        .ok()?;
    let text = aws_smithy_types::base64::decode(out.output()?).ok()?;
    last_phase(&String::from_utf8_lossy(&text))
}

/// Wait for the site to serve (on AWS), with notes while waiting.
pub async fn wait(
    target: &Target,
    clients: &Clients,
    plan: &Plan,
    ready: &BTreeMap<String, Dep>,
    site: Option<&str>,
    events: &Events,
) -> Outcome {
    if target.emulated() {
        let (en, ko) = if target.sandbox {
            (
                "sandbox: nothing boots in the emulator, so hawiz does not wait for the site to serve (on AWS it waits until it answers)",
                "샌드박스: 에뮬레이터에서는 아무것도 부팅하지 않으므로 사이트가 응답할 때까지 기다리지 않습니다 (AWS에서는 응답할 때까지 기다립니다)",
            )
        } else {
            (
                "AWS_ENDPOINT_URL points at an emulator, where nothing boots: hawiz does not wait for the site to serve",
                "AWS_ENDPOINT_URL이 에뮬레이터를 가리킵니다. 거기서는 아무것도 부팅하지 않으므로 사이트가 응답할 때까지 기다리지 않습니다",
            )
        };
        events.note(en, ko);
        return Outcome::Skipped {
            en: en.into(),
            ko: ko.into(),
        };
    }
    let Some(tg) = ready.get("tg").map(|d| d.id.clone()) else {
        return Outcome::NotServing("the target group is not ready".into());
    };
    let group = crate::blueprint::group_name(plan);
    let min = usize::try_from(plan.app.min).unwrap_or(2).max(1);
    let start = Instant::now();
    let mut last = String::new();
    let mut phases: BTreeMap<String, String> = BTreeMap::new();
    let mut looked = Instant::now() - Duration::from_secs(60);
    let mut seen = Vec::new();
    while start.elapsed() < BOUND {
        let mut now = targets(clients, &tg, &group).await;
        // The console output lags a few minutes and costs a call per instance: every 30 s.
        if looked.elapsed() >= Duration::from_secs(30) {
            looked = Instant::now();
            for t in now.iter().filter(|t| t.state != "healthy") {
                if let Some(p) = console_phase(clients, &t.id).await {
                    phases.insert(t.id.clone(), p);
                }
            }
        }
        for t in &mut now {
            if t.state != "healthy" {
                t.doing = phases.get(&t.id).cloned();
            }
        }
        let reply = match site {
            Some(url) => crate::http::get(url, Duration::from_secs(5)).await.ok(),
            None => None,
        };
        let answers = reply
            .as_ref()
            .is_some_and(|r| is_front_page(r.status, &r.body));
        let line = format!(
            "{} · site: {}",
            describe(&now),
            match &reply {
                None => "no answer".to_string(),
                Some(r) if answers => format!("HTTP {} (WordPress's front page)", r.status),
                Some(r) => format!("HTTP {} (not WordPress's front page yet)", r.status),
            }
        );
        if line != last {
            let secs = start.elapsed().as_secs();
            events.note(
                format!("waiting for the site ({secs} s): {line}"),
                format!("사이트를 기다리는 중 ({secs}초): {line}"),
            );
            last = line;
        }
        if enough(&now, min) && (answers || site.is_none()) {
            return Outcome::Serving {
                secs: start.elapsed().as_secs(),
            };
        }
        seen = now;
        tokio::time::sleep(EVERY).await;
    }
    let instance = seen
        .iter()
        .find(|t| t.state != "healthy")
        .or(seen.first())
        .map_or("<instance id>".to_string(), |t| t.id.clone());
    Outcome::NotServing(format!(
        "the site did not serve within {} minutes ({}). Likely causes: the instances cannot \
         reach the internet to install (no NAT route from the private subnets), they cannot \
         reach the database or the file system (security groups), or the health check path \
         answers an error. Look: `aws elbv2 describe-target-health --region {r} \
         --target-group-arn {tg}` (the reasons), `aws ec2 get-console-output --region {r} \
         --instance-id {instance} --latest --output text` (the setup script's `hawiz:` lines). \
         Run apply again to wait again; nothing needs rebuilding",
        BOUND.as_secs() / 60,
        describe(&seen),
        r = plan.region()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serving_since_is_the_first_time_seen_serving_until_seen_not_serving() {
        let serving = Outcome::Serving { secs: 200 };
        let skipped = Outcome::Skipped {
            en: String::new(),
            ko: String::new(),
        };
        let now = "2026-12-03 06:12:40 UTC";
        assert_eq!(since(None, &serving, now).as_deref(), Some(now));
        let earlier = "2026-12-01 09:00:00 UTC";
        assert_eq!(
            since(Some(earlier), &serving, now).as_deref(),
            Some(earlier),
            "a later apply does not move it"
        );
        assert_eq!(
            since(Some(earlier), &Outcome::NotServing("x".into()), now),
            None
        );
        assert_eq!(
            since(Some(earlier), &skipped, now).as_deref(),
            Some(earlier)
        );
        assert_eq!(
            since(None, &skipped, now),
            None,
            "an emulator serves nothing"
        );
    }

    #[test]
    fn only_wordpress_front_page_is_serving() {
        let page = r#"<html><link rel="stylesheet" href="https://x/wp-content/themes/t/style.css"></html>"#;
        assert!(is_front_page(200, page));
        assert!(!is_front_page(503, page), "the setting-up page");
        assert!(!is_front_page(302, page), "a redirect");
        assert!(!is_front_page(200, "<p>Setting up...</p>"), "a placeholder");
        assert!(!is_front_page(
            200,
            r#"<a href="/wp-admin/setup-config.php">/wp-includes/x.css"#
        ));
        assert!(!is_front_page(
            200,
            r#"<form action="/wp-admin/install.php?step=2"><link href="/wp-includes/css/x.css">"#
        ));
    }

    fn t(id: &str, zone: &str, state: &str) -> Seen {
        Seen {
            id: id.into(),
            zone: zone.into(),
            state: state.into(),
            reason: None,
            doing: None,
        }
    }

    #[test]
    fn two_healthy_in_two_zones_is_enough() {
        let a = t("i-1", "ap-northeast-2a", "healthy");
        let c = t("i-2", "ap-northeast-2c", "healthy");
        let a2 = t("i-3", "ap-northeast-2a", "healthy");
        assert!(enough(&[a.clone(), c.clone()], 2));
        assert!(!enough(&[a.clone(), a2.clone()], 2), "one AZ is not HA");
        assert!(!enough(
            &[a.clone(), t("i-2", "ap-northeast-2c", "initial")],
            2
        ));
        assert!(!enough(&[a, c, a2], 4), "min is 4");
    }

    #[test]
    fn the_console_says_what_an_instance_is_doing() {
        let console = "[  12.3] cloud-init: ...\nhawiz: installing WP-CLI\n\
                       [  40.0] something\nhawiz: waiting for the database\n";
        assert_eq!(
            last_phase(console).as_deref(),
            Some("waiting for the database")
        );
        assert_eq!(last_phase("no lines"), None);
        let mut u = t("i-2", "ap-northeast-2c", "unhealthy");
        u.reason = Some("Target.FailedHealthChecks".into());
        u.doing = Some("installing WP-CLI".into());
        assert_eq!(
            describe(&[t("i-1", "ap-northeast-2a", "healthy"), u]),
            "i-1 (a) healthy; i-2 (c) unhealthy: Target.FailedHealthChecks, installing WP-CLI"
        );
    }
}
