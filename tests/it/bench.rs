//! The speed benchmark behind `scripts/bench` (ignored in the normal suite): the whole
//! stack applied through the test proxy, which holds each create call for the time that
//! kind of resource takes on AWS (scaled down), so hawiz's concurrency is measured against
//! the critical path the same table implies over the dependency graph.
//!
//! moto makes everything ready at once, so the proxy puts each resource's whole latency
//! on its create call; the waits after it then return at their first look, as they would
//! when AWS reports the resource ready. `bench_answering` instead keeps the slow ones
//! "creating" until their time is up, so there the waits' polls count.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};
use support::proxy::{Faults, NameIn, Proxy, ReadyAfter};
use support::*;

/// Real AWS time to ready, in seconds, per resource kind, and the call that creates it.
/// Sources: AWS documentation and observed times for us-east-1/ap-northeast-2 (RDS
/// Multi-AZ create 10–20 min, NAT gateway "typically a few minutes", ALB provisioning
/// 2–4 min, EFS mount target ~1.5 min, EC2 instance running ~30 s); everything else is
/// a control-plane call of about a second. See README "Speed".
pub const TABLE: &[(&str, &str, f64)] = &[
    ("rds-instance", "CreateDBInstance", 900.0),
    ("load-balancer", "CreateLoadBalancer", 180.0),
    ("nat-gateway", "CreateNatGateway", 120.0),
    ("efs-mount-target", "CreateMountTarget", 90.0),
    ("instance", "RunInstances", 30.0),
    ("autoscaling-group", "CreateAutoScalingGroup", 10.0),
    ("efs", "CreateFileSystem", 10.0),
    ("instance-profile", "CreateInstanceProfile", 10.0),
    ("vpc", "CreateVpc", 3.0),
    ("subnet", "CreateSubnet", 2.0),
    ("iam-role", "CreateRole", 2.0),
    ("internet-gateway", "CreateInternetGateway", 1.0),
    ("igw-attachment", "AttachInternetGateway", 1.0),
    ("elastic-ip", "AllocateAddress", 1.0),
    ("route-table", "CreateRouteTable", 1.0),
    ("route", "CreateRoute", 1.0),
    ("rtb-association", "AssociateRouteTable", 1.0),
    ("security-group", "CreateSecurityGroup", 1.0),
    ("key-pair", "CreateKeyPair", 1.0),
    ("db-subnet-group", "CreateDBSubnetGroup", 1.0),
    ("ssm-secret", "PutParameter", 1.0),
    ("ssm-parameter", "PutParameter", 1.0),
    ("launch-template", "CreateLaunchTemplate", 1.0),
    ("target-group", "CreateTargetGroup", 1.0),
    ("listener", "CreateListener", 1.0),
    ("scaling-policy", "PutScalingPolicy", 1.0),
    ("scheduled-action", "PutScheduledUpdateGroupAction", 1.0),
    ("iam-boundary", "CreatePolicy", 1.0),
    ("db-parameter-group", "CreateDBParameterGroup", 1.0),
    ("log-group", "CreateLogGroup", 1.0),
    ("flow-log", "CreateFlowLogs", 1.0),
    ("sns-topic", "CreateTopic", 1.0),
    ("sns-subscription", "Subscribe", 1.0),
    ("alarm", "PutMetricAlarm", 1.0),
    ("dashboard", "PutDashboard", 1.0),
    ("web-acl", "CreateWebACL", 1.0),
    ("web-acl-association", "AssociateWebACL", 1.0),
    ("http-redirect", "ModifyListener", 1.0),
    // Made with its parent, or a change to what exists: no create call of its own.
    ("default-sg", "", 1.0),
    // With a domain only (the benchmark's stack has none).
    ("hosted-zone", "CreateHostedZone", 1.0),
    ("dns-record", "ChangeResourceRecordSets", 1.0),
    ("certificate", "RequestCertificate", 1.0),
    ("cert-validation", "", 1.0),
];

/// Fast start's calls, ahead of the table: a single-AZ create is ready in about 5 minutes
/// on AWS, and adding the standby to it takes 10–15 more (put on the call that asks for
/// it, as each create carries its resource's whole latency here).
pub const FAST_START: &[(&str, &str, f64)] = &[
    ("CreateDBInstance", "MultiAZ=false", 300.0),
    ("ModifyDBInstance", "MultiAZ=true", 600.0),
];

/// 15 real minutes of RDS become one.
const SCALE: f64 = 1.0 / 15.0;

fn latency(kind: &str) -> f64 {
    TABLE
        .iter()
        .find(|(k, _, _)| *k == kind)
        .map(|(_, _, s)| s * SCALE)
        .unwrap_or_else(|| panic!("no latency for {kind}: add it to TABLE"))
}

/// The longest chain of latencies through the graph, and the sum of all of them.
fn critical_and_total(graph: &hawiz::engine::Graph) -> (f64, f64) {
    let nodes: HashMap<&str, &hawiz::engine::Node> =
        graph.nodes().map(|n| (n.key.as_str(), n)).collect();
    fn finish<'a>(
        key: &'a str,
        nodes: &HashMap<&'a str, &'a hawiz::engine::Node>,
        memo: &mut HashMap<&'a str, f64>,
    ) -> f64 {
        if let Some(t) = memo.get(key) {
            return *t;
        }
        let n = nodes[key];
        let start = n
            .deps
            .iter()
            .map(|d| finish(d, nodes, memo))
            .fold(0.0, f64::max);
        let t = start + latency(n.res.kind());
        memo.insert(key, t);
        t
    }
    let mut memo = HashMap::new();
    let critical = nodes
        .keys()
        .map(|k| finish(k, &nodes, &mut memo))
        .fold(0.0, f64::max);
    let total = graph.nodes().map(|n| latency(n.res.kind())).sum();
    (critical, total)
}

/// One apply of a new stack: (seconds until its first create call, seconds until it waits
/// for the site to serve, seconds to its end). In the emulator nothing boots, so "serving"
/// is the moment the app tier, load balancer and database are ready; the end is HA
/// complete.
fn timed_apply(
    proxy: &Proxy,
    stack: &str,
    extra_args: &[&str],
    fast_start: bool,
) -> (f64, f64, f64) {
    use std::io::BufRead;
    let home = tempfile::tempdir().unwrap();
    let plan = stack_plan(
        home.path(),
        stack,
        &format!("[database]\nfast_start = {fast_start}\n"),
    );
    let mut args = extra_args.to_vec();
    args.extend(["apply", plan.to_str().unwrap(), "--yes"]);
    let started = Instant::now();
    let mut child = proxy
        .hawiz(home.path())
        .args(&args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut serving = None;
    for line in std::io::BufReader::new(child.stdout.take().unwrap())
        .lines()
        .map_while(Result::ok)
    {
        if serving.is_none() && line.contains("== Waiting for the site to serve ==") {
            serving = Some(started.elapsed().as_secs_f64());
        }
    }
    assert!(
        child.wait().unwrap().success(),
        "the apply of {stack} failed"
    );
    let end = started.elapsed().as_secs_f64();
    // Every create is a Create* call (RunInstances aside, which needs a launch template
    // made before it); the account's lock and plan record are PutParameter.
    let first_create = proxy
        .stats()
        .first
        .iter()
        .filter(|(op, at)| op.starts_with("Create") && **at >= started)
        .map(|(_, at)| at.duration_since(started).as_secs_f64())
        .fold(end, f64::min);
    (first_create, serving.unwrap_or(end), end)
}

/// moto builds each service's backend on its first call in a region (seconds of Python,
/// one call after another); AWS has nothing like it. A plan of the same stack first,
/// untimed, so what the timed runs measure is hawiz and the latency table, not moto's
/// start (on a cold moto the first create came 3.8 s after the start instead of 0.8 s).
fn warm_up(proxy: &Proxy) {
    let home = tempfile::tempdir().unwrap();
    let plan = stack_plan(home.path(), "warmup", "");
    proxy
        .run(home.path(), &["plan", plan.to_str().unwrap()])
        .ok();
    proxy.reset_stats();
}

/// The proxy's delays: each create held for its kind's time on AWS, scaled.
fn latency_faults() -> Faults {
    let delays: HashMap<String, Duration> = TABLE
        .iter()
        .map(|(_, op, s)| (op.to_string(), Duration::from_secs_f64(s * SCALE)))
        .collect();
    let delays_if = FAST_START
        .iter()
        .map(|(op, body, s)| {
            (
                op.to_string(),
                body.to_string(),
                Duration::from_secs_f64(s * SCALE),
            )
        })
        .collect();
    Faults {
        delays,
        delays_if,
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "a benchmark: run scripts/bench"]
async fn bench() {
    let moto = Moto::start();
    let proxy = Proxy::start(&moto.endpoint, latency_faults());
    warm_up(&proxy);

    let home = tempfile::tempdir().unwrap();
    let mut plan = hawiz::plan::Plan::load(&stack_plan(
        home.path(),
        "bench",
        "[database]\nfast_start = false\n",
    ))
    .unwrap();
    plan.resolve(None);
    let graph = hawiz::blueprint::build(&plan, home.path()).unwrap();
    let (critical, total) = critical_and_total(&graph);

    // The Multi-AZ database from its create (fast start off): the table's figures.
    let (first_create, _, wall) = timed_apply(&proxy, "bench", &[], false);
    let calls: BTreeMap<String, usize> = proxy.stats().calls;
    proxy.reset_stats();
    let (_, _, sequential) = timed_apply(&proxy, "benchseq", &["--parallelism", "1"], false);
    proxy.reset_stats();
    // Fast start: serving on the single-AZ database, then HA complete.
    let (_, serving, ha) = timed_apply(&proxy, "benchfast", &[], true);

    // After the harness's "test bench ... " on the same line.
    println!();
    println!(
        "API calls for one full apply ({} in all):",
        calls.values().sum::<usize>()
    );
    for (op, n) in &calls {
        println!("  {op:<40} {n}");
    }
    println!(
        "{} resources; latency table sum (scaled) {total:.1}s; first create after \
         {first_create:.1}s; wall/critical {:.2}; sequential/wall {:.2} (at most {:.2} for \
         this table: sum/critical)",
        graph.len(),
        wall / critical,
        sequential / wall,
        total / critical
    );
    println!(
        "fast start: serving after {serving:.1}s = {:.2} x the Multi-AZ critical path \
         (target <= 0.5), {:.2} x the Multi-AZ build; HA complete after {ha:.1}s = {:.2} x \
         the Multi-AZ build",
        serving / critical,
        serving / wall,
        ha / wall
    );
    println!(
        "bench: wall={wall:.1} critical={critical:.1} sequential={sequential:.1} \
         serving={serving:.1} ha={ha:.1} first_create={first_create:.1}"
    );
}

/// A user who takes `answering` seconds over the wizard's eight steps (evenly, confirming
/// each), then the review's build at once, in-process through the run layer as the
/// wizard drives it: seconds from opening the wizard until the build waits for the site
/// to serve. With `early`, they said yes to building while answering after the network
/// step (`ops::early`); without, nothing starts before the review.
async fn timed_answering(proxy: &Proxy, stack: &str, answering: f64, early: bool) -> f64 {
    let home = tempfile::tempdir().unwrap();
    let mut plan = hawiz::plan::Plan::load(&stack_plan(
        home.path(),
        stack,
        "[database]\nfast_start = true\n",
    ))
    .unwrap();
    plan.resolve(None);
    let env = hawiz::ops::Env {
        stacks_dir: home.path().join("stacks"),
        target: hawiz::aws::Target {
            endpoint: Some(proxy.endpoint.clone()),
            sandbox: true,
            ..Default::default()
        },
        parallelism: 16,
        lang: hawiz::i18n::Lang::En,
        region: None,
        force_unlock: false,
    };
    let step = Duration::from_secs_f64(answering / 8.0);
    let opened = Instant::now();
    tokio::time::sleep(step).await; // the account step
    tokio::time::sleep(step).await; // the network step
    let building = early.then(|| hawiz::ops::early::start(&env, plan.clone(), 1));
    let mut reports = None;
    if let Some((handle, rx)) = building {
        reports = Some(rx);
        for through in 2..8 {
            tokio::time::sleep(step).await;
            handle.confirm(plan.clone(), through);
        }
        handle.settle().await;
    } else {
        tokio::time::sleep(step * 6).await;
    }
    if let Some(mut rx) = reports {
        while let Ok(r) = rx.try_recv() {
            if let hawiz::ops::early::Report::Ended { result: Err(f), .. } = r {
                panic!("building while answering stopped: {}", f.message);
            }
        }
    }
    let cs = hawiz::ops::changes(&env, plan, true).await.unwrap();
    let options = hawiz::ops::ApplyOptions {
        no_wait: true,
        ..Default::default()
    };
    let (mut events, work) = hawiz::ops::apply(&env, cs, options);
    let mut serving = None;
    // The last resources to become ready before serving: where the time went.
    let mut ready: Vec<(f64, String)> = Vec::new();
    while let Some(ev) = events.recv().await {
        if serving.is_none() && matches!(ev, hawiz::ops::Event::Phase(hawiz::ops::Phase::Serving)) {
            serving = Some(opened.elapsed().as_secs_f64());
        }
        if let hawiz::ops::Event::Resource(e) = &ev
            && matches!(e.what, hawiz::engine::What::Ready { .. })
            && serving.is_none()
        {
            ready.push((opened.elapsed().as_secs_f64(), e.key.clone()));
        }
    }
    let last: Vec<String> = ready
        .iter()
        .rev()
        .take(4)
        .map(|(t, k)| format!("{k} {t:.1}s"))
        .collect();
    println!("{stack}: last ready before serving: {}", last.join(", "));
    let report = work.await.unwrap().unwrap();
    assert!(report.is_complete(), "{:?}", report.problems);
    serving.unwrap_or_else(|| opened.elapsed().as_secs_f64())
}

/// Build while answering against answering first, on the same latency model, in one run.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "a benchmark: run scripts/bench"]
async fn bench_answering() {
    let moto = Moto::start();
    // Here the slow resources' create calls return at once and their time is spent
    // waiting for them, as on AWS: a run that only starts one can end (`ReadyAfter`).
    // The quick ones (seconds of control plane: an Auto Scaling group, a file
    // system, an instance profile) keep their time on the call.
    let mut faults = latency_faults();
    let ready = |op: &str, contains: &str, name: NameIn, s: f64, says: (&str, &str)| ReadyAfter {
        op: op.into(),
        contains: contains.into(),
        name,
        after: Duration::from_secs_f64(s * SCALE),
        ready: says.0.into(),
        pending: says.1.into(),
    };
    faults.ready_after = vec![
        ready(
            "CreateDBInstance",
            "MultiAZ=false",
            NameIn::Request("DBInstanceIdentifier".into()),
            FAST_START[0].2,
            (
                "<DBInstanceStatus>available</DBInstanceStatus>",
                "<DBInstanceStatus>creating</DBInstanceStatus>",
            ),
        ),
        ready(
            "CreateNatGateway",
            "",
            NameIn::Answer("natGatewayId".into()),
            120.0,
            ("<state>available</state>", "<state>pending</state>"),
        ),
        ready(
            "CreateLoadBalancer",
            "",
            NameIn::Answer("LoadBalancerArn".into()),
            180.0,
            ("<Code>active</Code>", "<Code>provisioning</Code>"),
        ),
        ready(
            "CreateMountTarget",
            "",
            NameIn::AnswerJson("MountTargetId".into()),
            90.0,
            (
                "\"LifeCycleState\": \"available\"",
                "\"LifeCycleState\": \"creating\"",
            ),
        ),
        // The bastion (RunInstances answers with the instance "pending" on AWS too).
        ready(
            "RunInstances",
            "",
            NameIn::Answer("instanceId".into()),
            30.0,
            ("<name>running</name>", "<name>pending</name>"),
        ),
    ];
    let proxy = Proxy::start(&moto.endpoint, faults);
    warm_up(&proxy);
    // Four real minutes of answering.
    let answering = 240.0 * SCALE;
    let first = timed_answering(&proxy, "answerfirst", answering, false).await;
    let early = timed_answering(&proxy, "answerearly", answering, true).await;
    let single_az = FAST_START[0].2 * SCALE;
    println!();
    println!(
        "build while answering ({answering:.1}s of answers = 4 real minutes): serving \
         {early:.1}s after the wizard opened, against {first:.1}s answering first = {:.2}; \
         the single-AZ database alone takes {single_az:.1}s",
        early / first
    );
    println!("answering: answering={answering:.1} first={first:.1} early={early:.1}");
}
