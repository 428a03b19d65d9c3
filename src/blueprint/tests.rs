//! The whole graph: what depends on what decides what runs concurrently.

use super::*;
use std::collections::BTreeSet;

fn graph(toml: &str) -> Graph {
    let mut plan = Plan::from_toml(toml).unwrap();
    plan.resolve(None);
    plan.bastion.ssh_cidr = "203.0.113.7/32".into();
    build(&plan, Path::new("/tmp/hawiz-test")).unwrap()
}

/// Everything `key` waits for, directly or not.
fn upstream(g: &Graph, key: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![key.to_string()];
    while let Some(k) = todo.pop() {
        for d in &g.get(&k).unwrap_or_else(|| panic!("no node {k}")).deps {
            if seen.insert(d.clone()) {
                todo.push(d.clone());
            }
        }
    }
    seen
}

const DOMAIN: &str = "[domain]\nname = \"wplab.click\"\nhost = \"www\"\n";

#[test]
fn full_stack_has_every_step() {
    let g = graph(DOMAIN);
    for key in [
        "vpc",
        "sg/alb",
        "sg/app",
        "sg/db",
        "sg/efs",
        "sg/bastion",
        "key-pair",
        "instance/bastion",
        "param/db-password",
        "db-subnet-group",
        "db",
        "param/db-endpoint",
        "efs",
        "efs-mt/a",
        "efs-mt/c",
        "iam-role/app",
        "instance-profile/app",
        "launch-template",
        "tg",
        "alb",
        "listener/http",
        "asg",
        "asg-policy/cpu",
        "zone",
        "dns/www.wplab.click",
        "cert",
        "cert-validation",
        "listener/https",
        "http-redirect",
        "iam-boundary",
        "default-sg",
        "db-parameter-group",
        "param/wp-db-password",
        "param/admin-password",
        "param/wp-salts",
        "param/site-url",
        "dashboard",
    ] {
        assert!(g.get(key).is_some(), "missing {key}");
    }
    assert_eq!(g.len(), 57);
    // Options off by default: no flow logs, no WAF.
    assert!(g.get("flow-log").is_none() && g.get("waf").is_none());
    let with = graph("[network]\nflow_logs = true\n[load_balancer]\nwaf = true\n");
    for key in [
        "log-group/flow-logs",
        "iam-role/flow-logs",
        "flow-log",
        "waf",
        "waf-association",
    ] {
        assert!(with.get(key).is_some(), "missing {key}");
    }
    // Every role carries the permissions boundary.
    for role in ["iam-role/app", "iam-role/flow-logs"] {
        assert!(
            with.get(role)
                .unwrap()
                .deps
                .contains(&"iam-boundary".to_string())
        );
    }
}

#[test]
fn the_app_tier_never_waits_for_the_database() {
    let g = graph(DOMAIN);
    for key in [
        "asg",
        "launch-template",
        "alb",
        "listener/https",
        "dns/www.wplab.click",
    ] {
        let up = upstream(&g, key);
        assert!(!up.contains("db"), "{key} waits for the database: {up:?}");
    }
}

#[test]
fn rds_efs_alb_and_certificate_start_once_their_network_exists() {
    let g = graph(DOMAIN);
    // Nothing from the NAT path (slow) before the database, the files or the load balancer.
    for key in ["db", "efs", "efs-mt/a", "alb"] {
        let up = upstream(&g, key);
        assert!(
            !up.iter()
                .any(|k| k.starts_with("nat") || k.starts_with("eip")),
            "{key}: {up:?}"
        );
    }
    // Only the permissions boundary comes before everything (nothing is made if these
    // credentials cannot make it).
    let boundary = BTreeSet::from(["iam-boundary".to_string()]);
    assert_eq!(
        upstream(&g, "cert"),
        boundary,
        "the certificate needs nothing else"
    );
    assert_eq!(
        upstream(&g, "efs"),
        boundary,
        "the file system itself needs nothing else"
    );
    for n in g.nodes().filter(|n| n.key != "iam-boundary") {
        assert!(
            upstream(&g, &n.key).contains("iam-boundary"),
            "{} can start before the boundary",
            n.key
        );
    }
    // The launch template waits only for what its user data and settings need.
    let lt: BTreeSet<String> = g
        .get("launch-template")
        .unwrap()
        .deps
        .iter()
        .cloned()
        .collect();
    assert_eq!(
        lt,
        ["sg/app", "instance-profile/app", "key-pair", "efs"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    );
    // Instances boot only once they have outbound internet (NAT routes).
    let asg = upstream(&g, "asg");
    assert!(
        asg.contains("route/private-a") && asg.contains("route/private-c"),
        "{asg:?}"
    );
}

#[test]
fn https_waits_for_the_issued_certificate_and_http_redirects_after() {
    let g = graph(DOMAIN);
    assert!(
        g.get("listener/https")
            .unwrap()
            .deps
            .contains(&"cert-validation".to_string())
    );
    let redirect = &g.get("http-redirect").unwrap().deps;
    assert!(
        redirect.contains(&"listener/https".to_string())
            && redirect.contains(&"listener/http".to_string())
    );
    // Without a domain: no zone, no certificate, HTTP forwards.
    let plain = graph("");
    assert!(plain.get("listener/https").is_none() && plain.get("zone").is_none());
}

#[test]
fn tiers_reference_each_other_not_the_world() {
    let g = graph("");
    assert!(
        g.get("sg/app")
            .unwrap()
            .deps
            .contains(&"sg/alb".to_string())
    );
    assert!(
        g.get("sg/app")
            .unwrap()
            .deps
            .contains(&"sg/bastion".to_string())
    );
    assert!(g.get("sg/db").unwrap().deps.contains(&"sg/app".to_string()));
    assert!(
        g.get("sg/efs")
            .unwrap()
            .deps
            .contains(&"sg/app".to_string())
    );
    let no_bastion = graph("[bastion]\nenabled = false");
    assert!(no_bastion.get("sg/bastion").is_none() && no_bastion.get("instance/bastion").is_none());
    assert!(
        !no_bastion
            .get("sg/app")
            .unwrap()
            .deps
            .contains(&"sg/bastion".to_string())
    );
}

#[test]
fn optional_parts_follow_the_plan() {
    let no_files = graph("[files]\nenabled = false");
    assert!(no_files.get("efs").is_none());
    assert_eq!(no_files.get("launch-template").unwrap().deps.len(), 3);
    let own_key = graph("[bastion]\nkey_name = \"laptop\"");
    // Another key than the one hawiz made, so switching never mistakes one for the other.
    assert!(own_key.get("key-pair").is_none());
    let key = own_key.get("key-pair/yours").unwrap();
    assert!(key.res.adopted() && key.res.name() == "laptop");
    let no_bastion = graph("[bastion]\nenabled = false");
    assert!(no_bastion.get("key-pair").is_none());
    assert_eq!(no_bastion.get("launch-template").unwrap().deps.len(), 3);
    let existing_zone = graph("[domain]\nname = \"wplab.click\"\ncreate_hosted_zone = false\n");
    assert!(existing_zone.get("zone").unwrap().res.adopted());
}

#[test]
fn names_fit_aws_limits() {
    assert_eq!(fit("wordpress-ha", "alb", 32), "wordpress-ha-alb");
    let long = "a-very-long-stack-name-of-32-char";
    let name = fit(long, "alb", 32);
    assert!(name.len() <= 32 && name.ends_with("-alb"), "{name}");
    let g = graph(&format!("[stack]\nname = \"{}\"\n", &long[..32]));
    assert!(g.get("alb").unwrap().res.name().len() <= 32);
    assert!(g.get("tg").unwrap().res.name().len() <= 32);
}

#[test]
fn seed_003_scaling_alerts_and_schedules() {
    let g = graph(
        "[scaling]\npolicy = \"simple\"\n[[scaling.schedule]]\nname = \"rush\"\n\
         cron = \"0 9 * * 1-5\"\nmin = 2\ndesired = 4\nmax = 6\n\
         [alerts]\nemail = \"ops@example.com\"\ndashboard = false\n",
    );
    assert!(
        g.get("asg-policy/cpu").is_none(),
        "simple replaces target tracking"
    );
    assert!(g.get("dashboard").is_none());
    // Each CPU alarm acts on its policy; the alert alarms on the topic.
    assert_eq!(
        g.get("alarm/cpu-high").unwrap().deps,
        ["asg", "asg-policy/scale-out"]
    );
    assert_eq!(
        g.get("alarm/cpu-low").unwrap().deps,
        ["asg", "asg-policy/scale-in"]
    );
    for alert in ["unhealthy-hosts", "5xx", "cpu-long", "db-storage"] {
        let deps = &g.get(&format!("alarm/{alert}")).unwrap().deps;
        assert!(deps.contains(&"sns-topic".to_string()), "{alert}: {deps:?}");
    }
    assert!(upstream(&g, "alarm/db-storage").contains("db"));
    assert_eq!(
        g.get("sns-subscription/ops@example.com").unwrap().deps,
        ["sns-topic"]
    );
    assert_eq!(g.get("schedule/rush").unwrap().deps, ["asg"]);
}

/// Every kind of resource a stack can have has its Korean console name in the glossary
/// (a new kind without one would show its code on Korean screens).
#[test]
fn every_kind_has_its_korean_console_name() {
    use crate::i18n::korean::glossary;
    let plans = [
        format!("{DOMAIN}[network]\nflow_logs = true\n[load_balancer]\nwaf = true\n"),
        format!("{DOMAIN}{FAILOVER}"),
        "[scaling]\npolicy = \"simple\"\n[[scaling.schedule]]\nname = \"rush\"\n\
         cron = \"0 9 * * 1-5\"\nmin = 2\ndesired = 4\nmax = 6\n\
         [alerts]\nemail = \"ops@example.com\"\ndashboard = true\n"
            .to_string(),
    ];
    let mut missing = BTreeSet::new();
    let mut seen = BTreeSet::new();
    for toml in &plans {
        for node in graph(toml).nodes() {
            let kind = node.res.kind();
            seen.insert(kind);
            if !glossary::KINDS.iter().any(|(code, _)| *code == kind) {
                missing.insert(kind);
            }
        }
    }
    assert!(missing.is_empty(), "no Korean name for {missing:?}");
    assert!(
        seen.len() > 30,
        "the plans above reach most kinds: {seen:?}"
    );
}

const FAILOVER: &str = "[failover]\nregion = \"us-east-1\"\n";

#[test]
fn the_standby_is_a_copy_of_the_tiers_in_its_region() {
    let g = graph(&format!("{DOMAIN}{FAILOVER}"));
    let standby: Vec<&crate::engine::Node> = g
        .nodes()
        .filter(|n| n.key.starts_with("standby/"))
        .collect();
    assert!(standby.len() > 20, "{}", standby.len());
    assert!(
        standby
            .iter()
            .all(|n| n.region.as_deref() == Some("us-east-1"))
    );
    assert!(
        g.nodes()
            .filter(|n| !n.key.starts_with("standby/"))
            .all(|n| n.region.is_none())
    );
    let regions: BTreeSet<&str> = g.nodes().filter_map(|n| n.region.as_deref()).collect();
    assert_eq!(regions.into_iter().collect::<Vec<_>>(), ["us-east-1"]);
    for key in [
        "standby/vpc",
        "standby/nat/a",
        "standby/alb",
        "standby/asg",
        "standby/db",
        "standby/cert",
        "standby/listener/https",
        "standby/http-redirect",
        "standby/param/db-password",
        "health-check/primary",
    ] {
        assert!(g.contains(key), "no {key}");
    }
    // Scaled down: one NAT gateway, no bastion; the files are the primary's, replicated
    // (configured in the primary's region) and mounted in the standby's subnets.
    assert!(!g.contains("standby/nat/c"));
    assert!(!g.contains("standby/instance/bastion"));
    assert!(!g.contains("standby/efs"));
    let copy = g.get("efs-replication").unwrap();
    assert!(copy.region.is_none() && copy.deps.contains(&"efs".to_string()));
    for mt in ["standby/efs-mt/a", "standby/efs-mt/c"] {
        assert!(
            g.get(mt)
                .unwrap()
                .deps
                .contains(&"efs-replication".to_string()),
            "{mt}"
        );
    }
    assert!(upstream(&g, "standby/launch-template").contains("efs-replication"));
    // The replica follows the primary's database; the standby's secrets are the
    // primary's, copied; its HTTPS uses its own region's certificate.
    let db = g.get("standby/db").unwrap();
    assert_eq!(db.res.kind(), "rds-replica");
    assert!(db.deps.contains(&"db".to_string()));
    assert!(db.deps.contains(&"standby/db-subnet-group".to_string()));
    assert!(
        g.get("standby/param/db-password")
            .unwrap()
            .deps
            .contains(&"param/db-password".to_string())
    );
    assert!(upstream(&g, "standby/listener/https").contains("standby/cert-validation"));
    assert!(upstream(&g, "standby/cert-validation").contains("zone"));
    // The site's record waits for both load balancers and the health check.
    let record = upstream(&g, "dns/www.wplab.click");
    for key in ["alb", "standby/alb", "health-check/primary"] {
        assert!(record.contains(key), "the record does not wait for {key}");
    }
    // Nothing of the primary waits for the standby.
    for key in ["alb", "asg", "db", "listener/https"] {
        assert!(
            upstream(&g, key).iter().all(|k| !k.starts_with("standby/")),
            "{key} waits for the standby"
        );
    }
}

#[test]
fn a_pilot_light_standby_runs_nothing_until_failover() {
    let g = graph(&format!("{DOMAIN}{FAILOVER}mode = \"pilot-light\"\n"));
    assert!(g.contains("standby/db") && g.contains("standby/alb"));
    assert!(g.nodes().all(|n| !n.key.starts_with("standby/nat/")));
    let charges = g.get("standby/asg").unwrap().res.charges();
    assert!(
        charges
            .iter()
            .any(|c| matches!(c, crate::engine::Charge::Instances { count: 0, .. })),
        "{charges:?}"
    );
}

#[test]
fn cloudfront_fronts_the_primary_and_locks_it_last() {
    let has = |g: &Graph, key: &str, dep: &str| {
        g.get(key)
            .unwrap_or_else(|| panic!("no {key}"))
            .deps
            .contains(&dep.to_string())
    };
    let g = graph(&format!("{DOMAIN}{FAILOVER}"));
    // A us-east-1 standby's certificate serves CloudFront too (one certificate there).
    assert!(has(&g, "cloudfront", "standby/cert-validation"));
    assert!(!g.contains("cloudfront/cert"));
    // CloudFront reaches the primary's load balancer at origin.<domain>.
    assert!(has(&g, "cloudfront", "dns/origin.wplab.click"));
    assert!(has(&g, "dns/origin.wplab.click", "alb"));
    // Route 53 checks CloudFront's own name; the site's PRIMARY points at CloudFront.
    assert_eq!(g.get("health-check/primary").unwrap().deps, ["cloudfront"]);
    assert!(has(&g, "dns/www.wplab.click", "cloudfront"));
    assert!(has(&g, "dns/www.wplab.click", "standby/alb"));
    // The load balancer answers CloudFront only once the site's record points there.
    for dep in [
        "dns/www.wplab.click",
        "listener/https",
        "sg/alb",
        "param/origin-secret",
    ] {
        assert!(
            has(&g, "origin-lock", dep),
            "the lock does not wait for {dep}"
        );
    }
    // The standby is reached directly: no CloudFront, no lock of its own.
    assert!(g.nodes().all(|n| !n.key.starts_with("standby/origin")));

    // Neither region is us-east-1: a certificate for CloudFront alone, made there, sharing
    // the primary's validation records.
    let g = graph(&format!("{DOMAIN}[failover]\nregion = \"us-west-2\"\n"));
    assert_eq!(
        g.get("cloudfront/cert").unwrap().region.as_deref(),
        Some("us-east-1")
    );
    assert!(has(&g, "cloudfront", "cloudfront/cert-validation"));
    assert!(has(&g, "cloudfront/cert-validation", "cert-validation"));

    // The stack itself in us-east-1: its own certificate.
    let g = graph(&format!(
        "[stack]\nregion = \"us-east-1\"\n{DOMAIN}[failover]\nregion = \"us-west-2\"\n"
    ));
    assert!(has(&g, "cloudfront", "cert-validation"));
    assert!(!g.contains("cloudfront/cert"));

    // Without CloudFront: none of it, and the check is on the load balancer.
    let g = graph(&format!("{DOMAIN}{FAILOVER}cloudfront = false\n"));
    for key in [
        "cloudfront",
        "origin-lock",
        "dns/origin.wplab.click",
        "param/origin-secret",
    ] {
        assert!(!g.contains(key), "{key}");
    }
    assert_eq!(g.get("health-check/primary").unwrap().deps, ["alb"]);
}
