//! A user who changes their mind: each change to the plan of a built stack shows as a diff
//! (`+`, `~`, `-/+`, `-`) and converges, checked from outside with describe calls; what
//! left the plan is removed; drift made by hand is reported and repaired; a change killed
//! midway converges on the next run; destroy afterwards leaves nothing tagged anywhere.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;

use hawiz::aws::Clients;
use support::owned::tagged_anywhere;
use support::{DOMAIN, Moto, count, stack_plan};

async fn group(aws: &Clients, name: &str) -> aws_sdk_autoscaling::types::AutoScalingGroup {
    aws.autoscaling
        .describe_auto_scaling_groups()
        .auto_scaling_group_names(name)
        .send()
        .await
        .unwrap()
        .auto_scaling_groups()[0]
        .clone()
}

async fn db_class(aws: &Clients, id: &str) -> String {
    aws.rds
        .describe_db_instances()
        .db_instance_identifier(id)
        .send()
        .await
        .unwrap()
        .db_instances()[0]
        .db_instance_class()
        .unwrap()
        .to_string()
}

/// The NAT gateway each private subnet's route table sends 0.0.0.0/0 to, by subnet Name.
async fn nat_routes(aws: &Clients, stack: &str) -> Vec<(String, String)> {
    let tables = aws
        .ec2
        .describe_route_tables()
        .filters(support::stack_filter(stack))
        .send()
        .await
        .unwrap();
    let mut out = Vec::new();
    for t in tables.route_tables() {
        let name = support::tag(t.tags(), "Name")
            .unwrap_or_default()
            .to_string();
        if let Some(nat) = t.routes().iter().find_map(|r| r.nat_gateway_id()) {
            out.push((name, nat.to_string()));
        }
    }
    out.sort();
    out
}

/// A plan file of its own (`stack_plan` names the file after the stack, and these tests
/// keep several plans of one stack side by side).
fn plan(
    dir: &std::path::Path,
    file: &str,
    stack: &str,
    bastion: &str,
    extra: &str,
) -> std::path::PathBuf {
    let path = dir.join(format!("{file}.toml"));
    std::fs::write(
        &path,
        format!(
            "[stack]\nname = \"{stack}\"\nregion = \"{}\"\n\n[bastion]\nssh_cidr = \"203.0.113.10/32\"\n{bastion}\n\n{extra}\n",
            support::REGION
        ),
    )
    .unwrap();
    path
}

fn line_with<'a>(out: &'a str, words: &[&str]) -> Option<&'a str> {
    out.lines().find(|l| words.iter().all(|w| l.contains(w)))
}

#[tokio::test(flavor = "multi_thread")]
async fn nat_layout_sizes_and_database_class_converge() {
    let moto = Moto::start();
    let aws = moto.clients().await;
    let home = tempfile::tempdir().unwrap();
    let single = plan(
        home.path(),
        "single",
        "grow",
        "",
        "[network]\nnat = \"single\"\n",
    );
    moto.run(home.path(), &["apply", single.to_str().unwrap(), "--yes"])
        .ok();
    assert_eq!(count(&aws.ec2, "grow").await.nats, 1);
    let first_nat = nat_routes(&aws, "grow").await[0].1.clone();

    let bigger = plan(
        home.path(),
        "bigger",
        "grow",
        "",
        "[network]\nnat = \"per-az\"\n[app]\nmin = 3\ndesired = 3\nmax = 6\n[database]\ninstance_class = \"db.t3.small\"\n",
    );
    let preview = moto
        .run(home.path(), &["plan", bigger.to_str().unwrap()])
        .ok();
    let out = &preview.stdout;
    assert!(
        line_with(out, &["+   nat-gateway", "grow-nat-c"]).is_some(),
        "{out}"
    );
    assert!(
        line_with(out, &["+   elastic-ip", "grow-nat-c-eip"]).is_some(),
        "{out}"
    );
    assert!(
        line_with(
            out,
            &["~   route", "grow-private-rt-c", "target:", "(new nat/c)"]
        )
        .is_some(),
        "{out}"
    );
    assert!(
        line_with(
            out,
            &[
                "~   autoscaling-group",
                "min: 2 → 3",
                "max: 4 → 6",
                "desired: 2 → 3"
            ]
        )
        .is_some(),
        "{out}"
    );
    assert!(
        line_with(
            out,
            &[
                "~   rds-instance",
                "instance class: db.t3.micro → db.t3.small"
            ]
        )
        .is_some(),
        "{out}"
    );
    assert!(out.contains("2 to create, 3 to change"), "{out}");
    assert!(out.contains("Estimated cost: $"), "{out}");
    // Planning changed nothing.
    assert_eq!(group(&aws, "grow-app").await.max_size(), Some(4));

    let applied = moto
        .run(
            home.path(),
            &["apply", bigger.to_str().unwrap(), "--yes", "--db-now"],
        )
        .ok();
    assert!(applied.stdout.contains("3 changed"), "{}", applied.stdout);
    let g = group(&aws, "grow-app").await;
    assert_eq!(
        (g.min_size(), g.desired_capacity(), g.max_size()),
        (Some(3), Some(3), Some(6))
    );
    assert_eq!(db_class(&aws, "grow-db").await, "db.t3.small");
    let routes = nat_routes(&aws, "grow").await;
    assert_eq!(routes.len(), 2);
    assert_ne!(routes[0].1, routes[1].1, "each AZ its own NAT: {routes:?}");
    assert!(
        routes.iter().any(|(_, nat)| *nat == first_nat),
        "the first NAT (and its address) is kept"
    );
    assert_eq!(count(&aws.ec2, "grow").await.nats, 2);

    // Back to one NAT: the second goes, and its route points at the first again.
    let again = moto
        .run(home.path(), &["plan", single.to_str().unwrap()])
        .ok();
    assert!(
        line_with(
            &again.stdout,
            &["-   nat-gateway", "grow-nat-c", "it left the plan"]
        )
        .is_some(),
        "{}",
        again.stdout
    );
    moto.run(
        home.path(),
        &["apply", single.to_str().unwrap(), "--yes", "--db-now"],
    )
    .ok();
    let c = count(&aws.ec2, "grow").await;
    assert_eq!((c.nats, c.eips), (1, 1));
    let routes = nat_routes(&aws, "grow").await;
    assert!(
        routes.iter().all(|(_, nat)| *nat == first_nat),
        "{routes:?}"
    );
    let g = group(&aws, "grow-app").await;
    assert_eq!((g.min_size(), g.max_size()), (Some(2), Some(4)));
    assert_eq!(db_class(&aws, "grow-db").await, "db.t3.micro");
    // Settled: nothing more to do.
    let quiet = moto
        .run(home.path(), &["plan", single.to_str().unwrap()])
        .ok();
    assert!(quiet.stdout.contains("49 unchanged."), "{}", quiet.stdout);

    // Without --db-now a database change waits for its maintenance window: apply says
    // so, never "changed".
    let later = plan(
        home.path(),
        "later",
        "grow",
        "",
        "[network]\nnat = \"single\"\n[database]\ninstance_class = \"db.t3.small\"\n",
    );
    let waits = moto
        .run(home.path(), &["apply", later.to_str().unwrap(), "--yes"])
        .ok();
    assert!(
        waits
            .stdout
            .contains("1 to change in its next maintenance window"),
        "{}",
        waits.stdout
    );
    assert!(
        waits
            .stdout
            .contains("  to change db in its next maintenance window (`--db-now`: at once):"),
        "{}",
        waits.stdout
    );
    assert!(!waits.stdout.contains("  changed db:"), "{}", waits.stdout);

    moto.run(home.path(), &["destroy", "grow", "--yes"]).ok();
    assert_eq!(tagged_anywhere(&aws, "grow").await, Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread")]
async fn what_leaves_the_plan_is_removed_and_destroy_finds_everything() {
    let moto = Moto::start();
    let aws = moto.clients().await;
    let home = tempfile::tempdir().unwrap();
    let full = plan(home.path(), "full", "slim", "", DOMAIN);
    moto.run(home.path(), &["apply", full.to_str().unwrap(), "--yes"])
        .ok();

    let slim = plan(
        home.path(),
        "slim",
        "slim",
        "enabled = false",
        "[files]\nenabled = false\n",
    );
    let preview = moto
        .run(home.path(), &["plan", slim.to_str().unwrap()])
        .ok();
    let out = &preview.stdout;
    for gone in [
        "efs ",
        "efs-mount-target",
        "hosted-zone",
        "dns-record",
        "certificate ",
        "cert-validation",
        "slim-https",
        "slim-bastion",
        "key-pair",
    ] {
        assert!(
            out.lines().any(|l| l.starts_with("  -   ")
                && l.contains(gone)
                && l.contains("it left the plan")),
            "{gone}: {out}"
        );
    }
    assert!(
        line_with(
            out,
            &[
                "~   launch-template",
                "key pair: slim-key → (none)",
                "user data:"
            ]
        )
        .is_some(),
        "{out}"
    );
    assert!(
        line_with(
            out,
            &["~   security-group", "slim-app", "ingress: -22 from sg-"]
        )
        .is_some(),
        "{out}"
    );
    assert!(
        line_with(
            out,
            &[
                "~   listener",
                "slim-http",
                "action: redirect to HTTPS (301) → forward to"
            ]
        )
        .is_some(),
        "{out}"
    );
    assert!(
        line_with(
            out,
            &[
                "~   autoscaling-group",
                "instances: from the current template → replaced"
            ]
        )
        .is_some(),
        "{out}"
    );

    let applied = moto
        .run(home.path(), &["apply", slim.to_str().unwrap(), "--yes"])
        .ok();
    assert!(
        applied.stdout.contains("removed (left the plan)"),
        "{}",
        applied.stdout
    );
    // From outside: what left the plan is gone; the rest serves plain HTTP.
    let left = tagged_anywhere(&aws, "slim").await;
    for gone in ["efs ", "hosted-zone", "certificate", "key-pair"] {
        assert!(
            !left.iter().any(|l| l.starts_with(gone)),
            "{gone} still there: {left:?}"
        );
    }
    let instances = aws
        .ec2
        .describe_instances()
        .filters(support::stack_filter("slim"))
        .send()
        .await
        .unwrap();
    let live: Vec<_> = instances
        .reservations()
        .iter()
        .flat_map(|r| r.instances())
        .filter(|i| i.state().and_then(|s| s.name()).map(|n| n.as_str()) == Some("running"))
        .collect();
    assert!(
        live.iter()
            .all(|i| support::tag(i.tags(), "Name") == Some("slim-app") && i.key_name().is_none()),
        "no bastion, and app instances from the new template: {:?}",
        live.iter()
            .map(|i| (i.instance_id(), i.key_name()))
            .collect::<Vec<_>>()
    );
    let lb = aws
        .elb
        .describe_load_balancers()
        .names("slim-alb")
        .send()
        .await
        .unwrap();
    let listeners = aws
        .elb
        .describe_listeners()
        .load_balancer_arn(lb.load_balancers()[0].load_balancer_arn().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(listeners.listeners().len(), 1);
    assert_eq!(
        listeners.listeners()[0].default_actions()[0]
            .r#type()
            .unwrap()
            .as_str(),
        "forward"
    );
    let status = moto.run(home.path(), &["status", "slim"]).ok();
    assert!(!status.stdout.contains("  left "), "{}", status.stdout);
    assert!(!status.stdout.contains("  tagged "), "{}", status.stdout);

    moto.run(home.path(), &["destroy", "slim", "--yes"]).ok();
    assert_eq!(tagged_anywhere(&aws, "slim").await, Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread")]
async fn destroy_finds_what_an_unfinished_change_left_behind() {
    let moto = Moto::start();
    let aws = moto.clients().await;
    let home = tempfile::tempdir().unwrap();
    let full = plan(home.path(), "full", "halfway", "", "");
    moto.run(home.path(), &["apply", full.to_str().unwrap(), "--yes"])
        .ok();
    // The change is killed before it removed anything: the file system stays, tagged,
    // and the plan no longer names it.
    let slim = plan(
        home.path(),
        "slim",
        "halfway",
        "",
        "[files]\nenabled = false\n",
    );
    let seen = moto.apply_killed_after(home.path(), &slim, "== Removing", 1);
    assert!(seen.iter().any(|l| l.contains("Removing")), "{seen:?}");
    let status = moto.run(home.path(), &["status", "halfway"]).ok();
    assert!(
        line_with(
            &status.stdout,
            &["left", "efs", "halfway-efs", "apply removes it"]
        )
        .is_some(),
        "{}",
        status.stdout
    );
    moto.run(home.path(), &["destroy", "halfway", "--yes"]).ok();
    assert_eq!(tagged_anywhere(&aws, "halfway").await, Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread")]
async fn replacing_the_vpc_or_the_database_needs_its_flag() {
    let moto = Moto::start();
    let aws = moto.clients().await;
    let home = tempfile::tempdir().unwrap();
    let first = plan(home.path(), "first", "moves", "", "");
    moto.run(home.path(), &["apply", first.to_str().unwrap(), "--yes"])
        .ok();
    let vpc = aws
        .ec2
        .describe_vpcs()
        .filters(support::stack_filter("moves"))
        .send()
        .await
        .unwrap()
        .vpcs()[0]
        .vpc_id()
        .unwrap()
        .to_string();

    let moved = plan(
        home.path(),
        "moved",
        "moves",
        "",
        "[network]\ncidr = \"10.1.0.0/16\"\n",
    );
    let preview = moto
        .run(home.path(), &["plan", moved.to_str().unwrap()])
        .ok();
    assert!(
        line_with(
            &preview.stdout,
            &[
                "-/+ vpc",
                "cidr: 10.0.0.0/16 → 10.1.0.0/16",
                "(a VPC's address range cannot be changed)"
            ]
        )
        .is_some(),
        "{}",
        preview.stdout
    );
    assert!(
        line_with(
            &preview.stdout,
            &["-/+ rds-instance", "moves-vpc is replaced"]
        )
        .is_some()
            || line_with(&preview.stdout, &["-/+ rds-instance", "is replaced"]).is_some(),
        "{}",
        preview.stdout
    );
    assert!(
        preview.stdout.contains("needs `--replace-vpc`"),
        "{}",
        preview.stdout
    );
    let refused = moto.run(home.path(), &["apply", moved.to_str().unwrap(), "--yes"]);
    assert_eq!(refused.code, 2, "{}\n{}", refused.stdout, refused.stderr);
    assert!(
        refused.stderr.contains("--replace-vpc"),
        "{}",
        refused.stderr
    );
    // The VPC's flag covers the database it takes along, and says so; no other flag.
    assert!(
        !refused.stderr.contains("--replace-database"),
        "{}",
        refused.stderr
    );
    assert!(
        !refused.stderr.contains("database.engine"),
        "the engine did not change: {}",
        refused.stderr
    );
    assert!(
        refused
            .stderr
            .contains("the database too: a new, empty one is made"),
        "{}",
        refused.stderr
    );
    let same = aws.ec2.describe_vpcs().vpc_ids(&vpc).send().await.unwrap();
    assert_eq!(
        same.vpcs()[0].cidr_block(),
        Some("10.0.0.0/16"),
        "nothing changed"
    );

    let engine = plan(
        home.path(),
        "engine",
        "moves",
        "",
        "[database]\nengine = \"mysql\"\n",
    );
    let refused = moto.run(home.path(), &["apply", engine.to_str().unwrap(), "--yes"]);
    assert_eq!(refused.code, 2);
    assert!(
        refused
            .stderr
            .contains("replaces the database (engine: mariadb → mysql"),
        "{}",
        refused.stderr
    );
    assert!(
        !refused.stderr.contains("--replace-vpc"),
        "{}",
        refused.stderr
    );
    let replaced = moto
        .run(
            home.path(),
            &[
                "apply",
                engine.to_str().unwrap(),
                "--yes",
                "--replace-database",
            ],
        )
        .ok();
    assert!(
        replaced.stdout.contains("1 replaced") || replaced.stdout.contains("replaced"),
        "{}",
        replaced.stdout
    );
    let db = aws
        .rds
        .describe_db_instances()
        .db_instance_identifier("moves-db")
        .send()
        .await
        .unwrap();
    assert_eq!(db.db_instances()[0].engine(), Some("mysql"));
    moto.run(home.path(), &["destroy", "moves", "--yes"]).ok();
}

#[tokio::test(flavor = "multi_thread")]
async fn drift_made_by_hand_is_reported_and_repaired() {
    let moto = Moto::start();
    let aws = moto.clients().await;
    let home = tempfile::tempdir().unwrap();
    let plan = stack_plan(home.path(), "drifty", "");
    moto.run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    let sg = aws
        .ec2
        .describe_security_groups()
        .filters(support::stack_filter("drifty"))
        .filters(
            aws_sdk_ec2::types::Filter::builder()
                .name("group-name")
                .values("drifty-bastion")
                .build(),
        )
        .send()
        .await
        .unwrap()
        .security_groups()[0]
        .group_id()
        .unwrap()
        .to_string();
    // From the console: SSH opened to the world, the group's maximum raised.
    aws.ec2
        .authorize_security_group_ingress()
        .group_id(&sg)
        .ip_protocol("tcp")
        .from_port(22)
        .to_port(22)
        .cidr_ip("0.0.0.0/0")
        .send()
        .await
        .unwrap();
    aws.autoscaling
        .update_auto_scaling_group()
        .auto_scaling_group_name("drifty-app")
        .max_size(40)
        .send()
        .await
        .unwrap();

    let status = moto.run(home.path(), &["status", "drifty"]).ok();
    let out = &status.stdout;
    assert!(
        line_with(
            out,
            &[
                "DRIFTED",
                "drifty-bastion",
                "ingress has 22 from 0.0.0.0/0 (not in the plan)"
            ]
        )
        .is_some(),
        "{out}"
    );
    assert!(
        line_with(out, &["DRIFTED", "drifty-app", "max: 40, plan says 4"]).is_some(),
        "{out}"
    );
    assert!(out.contains("2 drifted from the plan"), "{out}");

    let applied = moto
        .run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    assert!(applied.stdout.contains("2 changed"), "{}", applied.stdout);
    assert!(
        line_with(&applied.stdout, &["changed", "max: 40 → 4"]).is_some(),
        "{}",
        applied.stdout
    );
    let rules = aws
        .ec2
        .describe_security_groups()
        .group_ids(&sg)
        .send()
        .await
        .unwrap();
    let open: Vec<&str> = rules.security_groups()[0]
        .ip_permissions()
        .iter()
        .flat_map(|p| p.ip_ranges())
        .filter_map(|r| r.cidr_ip())
        .collect();
    assert_eq!(open, vec!["203.0.113.10/32"]);
    assert_eq!(group(&aws, "drifty-app").await.max_size(), Some(4));
    let clean = moto.run(home.path(), &["status", "drifty"]).ok();
    assert!(!clean.stdout.contains("DRIFTED"), "{}", clean.stdout);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_change_killed_midway_converges_on_the_next_run() {
    let moto = Moto::start();
    let aws = moto.clients().await;
    let home = tempfile::tempdir().unwrap();
    let single = plan(
        home.path(),
        "single",
        "interrupted",
        "",
        "[network]\nnat = \"single\"\n",
    );
    moto.run(home.path(), &["apply", single.to_str().unwrap(), "--yes"])
        .ok();
    let change = plan(
        home.path(),
        "change",
        "interrupted",
        "enabled = false",
        "[network]\nnat = \"per-az\"\n[app]\nmax = 5\n",
    );
    for point in ["created  nat-gateway", "updating", "== Removing"] {
        // Back to the start each time, then killed at a different point of the change.
        moto.run(home.path(), &["apply", single.to_str().unwrap(), "--yes"])
            .ok();
        let seen = moto.apply_killed_after(home.path(), &change, point, 1);
        assert!(seen.iter().any(|l| l.contains(point)), "{point}: {seen:?}");
        moto.run(home.path(), &["apply", change.to_str().unwrap(), "--yes"])
            .ok();
        let c = count(&aws.ec2, "interrupted").await;
        assert_eq!((c.nats, c.eips), (2, 2), "{point}");
        assert_eq!(
            group(&aws, "interrupted-app").await.max_size(),
            Some(5),
            "{point}"
        );
        let left = tagged_anywhere(&aws, "interrupted").await;
        assert!(
            !left.iter().any(|l| l.starts_with("key-pair")),
            "{point}: {left:?}"
        );
        assert_eq!(
            support::inventory(&aws, "interrupted").await["bastions"],
            0,
            "{point}"
        );
        let settled = moto
            .run(home.path(), &["plan", change.to_str().unwrap()])
            .ok();
        assert!(
            settled.stdout.contains("48 unchanged."),
            "{point}: {}",
            settled.stdout
        );
    }
}

/// A change that touches only the user data (here the alert address, which WordPress's
/// admin mail uses) makes a new template version, and the group's instances are really
/// replaced by ones launched with it, also in the emulator, where the version numbers do
/// not tell old instances from new: their user data does.
#[tokio::test(flavor = "multi_thread")]
async fn a_user_data_change_replaces_the_instances() {
    let moto = Moto::start();
    let aws = moto.clients().await;
    let home = tempfile::tempdir().unwrap();
    let plan = stack_plan(
        home.path(),
        "mail",
        "[alerts]\nemail = \"ops@example.com\"\n",
    );
    let plan = plan.to_str().unwrap();
    moto.run(home.path(), &["apply", plan, "--yes"]).ok();
    let app = |all: Vec<aws_sdk_ec2::types::Instance>| -> std::collections::BTreeSet<String> {
        all.into_iter()
            .filter(|i| {
                i.tags()
                    .iter()
                    .any(|t| t.key() == Some("Name") && t.value() == Some("mail-app"))
            })
            .filter_map(|i| i.instance_id().map(str::to_string))
            .collect()
    };
    let before = app(support::live_instances(&aws.ec2, "mail").await);
    assert_eq!(before.len(), 2);
    std::fs::write(
        plan,
        std::fs::read_to_string(plan)
            .unwrap()
            .replace("ops@example.com", "web@example.com"),
    )
    .unwrap();
    let preview = moto.run(home.path(), &["plan", plan]).ok();
    assert!(
        preview
            .stdout
            .contains("replaced from the new template version (instance refresh)"),
        "{}",
        preview.stdout
    );
    moto.run(home.path(), &["apply", plan, "--yes"]).ok();
    let after = app(support::live_instances(&aws.ec2, "mail").await);
    assert_eq!(after.len(), 2);
    assert!(before.is_disjoint(&after), "{before:?} → {after:?}");
    for id in &after {
        let ud = aws
            .ec2
            .describe_instance_attribute()
            .instance_id(id)
            .attribute(aws_sdk_ec2::types::InstanceAttributeName::UserData)
            .send()
            .await
            .unwrap();
        let text = hawiz::userdata::decode(ud.user_data().unwrap().value().unwrap()).unwrap();
        assert!(text.contains("ADMIN_EMAIL=web@example.com"), "{id}");
    }
    let quiet = moto.run(home.path(), &["plan", plan]).ok();
    assert!(
        !quiet.stdout.contains("instance refresh"),
        "{}",
        quiet.stdout
    );
}

/// What a stack looks like from outside after its VPC was replaced: one VPC of the stack,
/// in the new range, with the gateway attached to it and the stack's pieces inside it;
/// with a domain, the site's record points at the new load balancer.
async fn rebuilt_in(aws: &Clients, stack: &str, cidr: &str, domain: bool) {
    let vpcs = aws
        .ec2
        .describe_vpcs()
        .filters(support::stack_filter(stack))
        .send()
        .await
        .unwrap();
    assert_eq!(vpcs.vpcs().len(), 1, "one VPC of the stack");
    let vpc = &vpcs.vpcs()[0];
    assert_eq!(vpc.cidr_block(), Some(cidr));
    let vpc_id = vpc.vpc_id().unwrap();
    let igws = aws
        .ec2
        .describe_internet_gateways()
        .filters(support::stack_filter(stack))
        .send()
        .await
        .unwrap();
    assert_eq!(igws.internet_gateways().len(), 1);
    let attached: Vec<&str> = igws.internet_gateways()[0]
        .attachments()
        .iter()
        .filter_map(|a| a.vpc_id())
        .collect();
    assert_eq!(attached, vec![vpc_id], "the gateway is on the new VPC only");
    let c = count(&aws.ec2, stack).await;
    assert_eq!((c.nats, c.eips), (2, 2));
    let lbs = aws.elb.describe_load_balancers().send().await.unwrap();
    let lb = lbs
        .load_balancers()
        .iter()
        .find(|l| l.load_balancer_name() == Some(&format!("{stack}-alb")))
        .expect("the load balancer");
    assert_eq!(lb.vpc_id(), Some(vpc_id));
    assert_eq!(
        group(aws, &format!("{stack}-app")).await.instances().len(),
        2
    );
    let db = aws
        .rds
        .describe_db_instances()
        .db_instance_identifier(format!("{stack}-db"))
        .send()
        .await
        .unwrap();
    let subnets = db.db_instances()[0].db_subnet_group().unwrap();
    assert_eq!(subnets.vpc_id(), Some(vpc_id));
    if domain {
        let zones = aws.route53.list_hosted_zones().send().await.unwrap();
        let zone = zones.hosted_zones()[0].id().to_string();
        let records = aws
            .route53
            .list_resource_record_sets()
            .hosted_zone_id(&zone)
            .send()
            .await
            .unwrap();
        let www = records
            .resource_record_sets()
            .iter()
            .find(|r| r.name() == "www.wplab.click." && r.r#type().as_str() == "A")
            .expect("the site's record");
        let target = www.alias_target().unwrap().dns_name().to_ascii_lowercase();
        let dns = lb.dns_name().unwrap().to_ascii_lowercase();
        assert!(
            target.trim_end_matches('.').ends_with(&dns),
            "{target} → {dns}"
        );
    }
}

/// `--replace-vpc` rebuilds the stack in the new address range end to end, with and
/// without a domain, and a kill in the middle converges on the next run; afterwards the
/// plan is quiet and destroy leaves nothing.
#[tokio::test(flavor = "multi_thread")]
async fn replacing_the_vpc_rebuilds_the_whole_stack_in_the_new_range() {
    let moto = Moto::start();
    let aws = moto.clients().await;
    let home = tempfile::tempdir().unwrap();
    for (stack, domain) in [("moved", false), ("movedns", true)] {
        let extra = if domain { support::DOMAIN } else { "" };
        let first = plan(home.path(), stack, stack, "", extra);
        moto.run(home.path(), &["apply", first.to_str().unwrap(), "--yes"])
            .ok();
        let second = plan(
            home.path(),
            &format!("{stack}-2"),
            stack,
            "",
            &format!("{extra}\n[network]\ncidr = \"10.1.0.0/16\"\n"),
        );
        let args = ["apply", second.to_str().unwrap(), "--yes", "--replace-vpc"];
        if domain {
            // Killed once the old VPC's pieces are going, then run again.
            let seen = moto.killed_after(home.path(), &args, "deleted  vpc", 1);
            assert!(seen.iter().any(|l| l.contains("deleted  vpc")), "{seen:?}");
        }
        let run = moto.run(home.path(), &args);
        assert_eq!(run.code, 0, "{stack}: {}\n{}", run.stdout, run.stderr);
        rebuilt_in(&aws, stack, "10.1.0.0/16", domain).await;
        let quiet = moto
            .run(home.path(), &["plan", second.to_str().unwrap()])
            .ok();
        assert!(
            !quiet.stdout.contains("to create")
                && !quiet.stdout.contains("to change")
                && !quiet.stdout.contains("to replace"),
            "{stack}: {}",
            quiet.stdout
        );
        moto.run(home.path(), &["destroy", stack, "--yes"]).ok();
        assert_eq!(tagged_anywhere(&aws, stack).await, Vec::<String>::new());
    }
}
