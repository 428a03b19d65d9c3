//! How many calls throttling costs. Each call is retried by one layer only: reads and
//! deletes by the SDK in place, calls that create or change (sent once) by the engine,
//! which looks the resource up again first. So a resource AWS keeps throttling costs a
//! bounded number of calls before it is reported, counted here at the test proxy.

use crate::support::proxy::{Faults, Permanent, Proxy};
use crate::support::{Moto, REGION, stack_plan};
use hawiz::engine::{Outcome, RunOptions, Runner};
use std::collections::BTreeSet;
use std::sync::Arc;

/// Tries of one call, and of one resource's changes, before it is reported (the SDK's
/// `max_attempts` and the engine's transient retries).
const TRIES: usize = 8;

/// A runner over only the flow logs' log group, talking to AWS through `proxy`.
async fn log_group_runner(proxy: &Proxy, home: &std::path::Path) -> Runner {
    let file = stack_plan(home, "throttled", "[network]\nflow_logs = true\n");
    let mut plan = hawiz::plan::Plan::load(&file).unwrap();
    plan.resolve(None);
    let graph = hawiz::blueprint::build(&plan, home).unwrap();
    let keys: BTreeSet<String> = [KEY.to_string()].into();
    let target = hawiz::aws::Target {
        endpoint: Some(proxy.endpoint.clone()),
        sandbox: true,
        ..Default::default()
    };
    let (events, _seen) = tokio::sync::mpsc::unbounded_channel();
    Runner {
        aws: Arc::new(hawiz::aws::Clients::new(REGION, &target).await),
        store: Arc::new(hawiz::state::Store::open_for_apply(&home.join("stacks"), &plan).unwrap()),
        graph: Arc::new(graph.subset(&keys)),
        parallelism: 1,
        events,
        options: RunOptions::default(),
        known: Default::default(),
    }
}

const KEY: &str = "log-group/flow-logs";

/// Apply the log group, as `hawiz apply` applies it.
async fn apply_the_log_group(proxy: &Proxy, home: &std::path::Path) -> Outcome {
    let outcome = hawiz::engine::apply(log_group_runner(proxy, home).await).await;
    outcome.nodes[KEY].clone()
}

fn throttled(op: &str) -> Faults {
    Faults {
        permanent: vec![Permanent {
            op: op.into(),
            contains: String::new(),
            code: "ThrottlingException".into(),
            message: "Rate exceeded".into(),
        }],
        ..Default::default()
    }
}

/// AWS throttles every look-up of the log group: the SDK tries the read `TRIES` times and
/// the resource is reported; the engine does not start it over (8 × 8 calls before).
#[tokio::test(flavor = "multi_thread")]
async fn a_throttled_read_costs_one_calls_tries() {
    let moto = Moto::start();
    let proxy = Proxy::start(&moto.endpoint, throttled("DescribeLogGroups"));
    let home = tempfile::tempdir().unwrap();
    let outcome = apply_the_log_group(&proxy, home.path()).await;
    let calls = proxy.stats().calls;
    eprintln!("throttled read: {calls:?} → {outcome:?}");
    assert!(matches!(outcome, Outcome::Failed(_)), "{outcome:?}");
    assert_eq!(calls.get("DescribeLogGroups"), Some(&TRIES), "{calls:?}");
    assert_eq!(calls.get("CreateLogGroup"), None, "{calls:?}");
}

/// AWS throttles every create: the create goes out once per try and the engine tries
/// the resource `TRIES` times, looking it up first each time (found nowhere: no duplicate).
#[tokio::test(flavor = "multi_thread")]
async fn a_throttled_create_costs_the_engines_tries() {
    let moto = Moto::start();
    let proxy = Proxy::start(&moto.endpoint, throttled("CreateLogGroup"));
    let home = tempfile::tempdir().unwrap();
    let outcome = apply_the_log_group(&proxy, home.path()).await;
    let calls = proxy.stats().calls;
    eprintln!("throttled create: {calls:?} → {outcome:?}");
    assert!(matches!(outcome, Outcome::Failed(_)), "{outcome:?}");
    assert_eq!(calls.get("CreateLogGroup"), Some(&TRIES), "{calls:?}");
    assert_eq!(calls.get("DescribeLogGroups"), Some(&TRIES), "{calls:?}");
}

/// AWS throttles every delete: the SDK tries the delete `TRIES` times and the resource is
/// reported; destroy does not start it over (8 × 8 calls before).
#[tokio::test(flavor = "multi_thread")]
async fn a_throttled_delete_costs_one_calls_tries() {
    let moto = Moto::start();
    let proxy = Proxy::start(&moto.endpoint, Faults::default());
    let home = tempfile::tempdir().unwrap();
    assert_eq!(
        apply_the_log_group(&proxy, home.path()).await,
        Outcome::Done
    );
    proxy.set(|f| *f = throttled("DeleteLogGroup"));
    proxy.reset_stats();
    let runner = log_group_runner(&proxy, home.path()).await;
    let found = hawiz::engine::survey(&runner, false).await;
    let doomed = hawiz::engine::Scope::Stack(found.doomed());
    let outcome = hawiz::engine::destroy(runner, found, doomed).await.nodes[KEY].clone();
    let calls = proxy.stats().calls;
    eprintln!("throttled delete: {calls:?} → {outcome:?}");
    assert!(matches!(outcome, Outcome::Failed(_)), "{outcome:?}");
    assert_eq!(calls.get("DeleteLogGroup"), Some(&TRIES), "{calls:?}");
}
