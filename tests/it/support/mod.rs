//! Test support: a moto server of its own per test (free loopback port, killed on drop),
//! the real `hawiz` binary pointed at it, and an EC2 client for checking from outside.

#![allow(dead_code)] // each test binary uses a different part of this

pub mod env;
pub mod iam;
pub mod lab;
pub mod owned;
pub mod proxy;
pub mod pty;
mod refuse;
pub mod sandbox;

use aws_sdk_ec2::Client;
use aws_sdk_ec2::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_ec2::types::{Filter, Tag};
use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub const REGION: &str = "ap-northeast-2";

pub fn moto_server_path() -> PathBuf {
    if let Some(p) = std::env::var_os("HAWIZ_TEST_MOTO_SERVER") {
        return PathBuf::from(p);
    }
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/moto_server");
    assert!(
        p.exists(),
        "{} is missing: run scripts/test, which installs moto[server] into .venv",
        p.display()
    );
    p
}

pub struct Moto {
    child: Child,
    pub endpoint: String,
    _log: tempfile::NamedTempFile,
}

impl Moto {
    pub fn start() -> Moto {
        Moto::start_with(&[])
    }

    /// With settings of the emulator wrapper (`assets/moto-server.py`), such as
    /// `HAWIZ_MOTO_DASHBOARD_PAGE`.
    pub fn start_with(settings: &[(&str, &str)]) -> Moto {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let log = tempfile::NamedTempFile::new().unwrap();
        // As the sandbox starts it: moto's server through hawiz's launcher (an emulator fix).
        let child = Command::new(moto_server_path().with_file_name("python"))
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/assets/moto-server.py"
            ))
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            // moto marks ACM certificates ISSUED this many seconds after the request.
            .env("MOTO_ACM_VALIDATION_WAIT", "1")
            // AWS's managed policies (Session Manager's among them) exist in every account.
            .env("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
            .envs(settings.iter().copied())
            .stdout(log.reopen().unwrap())
            .stderr(log.reopen().unwrap())
            .spawn()
            .expect("start moto_server");
        let start = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "moto did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Moto {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
            _log: log,
        }
    }

    pub fn ec2(&self) -> Client {
        let config = aws_sdk_ec2::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(REGION))
            .endpoint_url(&self.endpoint)
            .credentials_provider(Credentials::new("test", "test", None, None, "test"))
            .build();
        Client::from_conf(config)
    }

    /// `hawiz` with a private data dir, pointed at this emulator.
    pub fn hawiz(&self, home: &Path) -> Command {
        hawiz_command(&self.endpoint, home)
    }

    pub fn run(&self, home: &Path, args: &[&str]) -> Run {
        let out = self.hawiz(home).args(args).output().expect("run hawiz");
        Run::from(out)
    }

    /// Start `hawiz apply` and SIGKILL it right after the `n`-th progress line that
    /// matches `pattern`. Returns the lines seen.
    pub fn apply_killed_after(
        &self,
        home: &Path,
        plan: &Path,
        pattern: &str,
        n: usize,
    ) -> Vec<String> {
        self.killed_after(
            home,
            &["apply", plan.to_str().unwrap(), "--yes"],
            pattern,
            n,
        )
    }

    /// Start `hawiz ARGS` and SIGKILL it right after the `n`-th progress line that
    /// matches `pattern`. Returns the lines seen.
    pub fn killed_after(&self, home: &Path, args: &[&str], pattern: &str, n: usize) -> Vec<String> {
        let mut child = self
            .hawiz(home)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut seen = Vec::new();
        let mut hits = 0;
        for line in BufReader::new(child.stdout.take().unwrap()).lines() {
            let line = line.unwrap();
            let hit = line.contains(pattern);
            seen.push(line);
            if hit {
                hits += 1;
                if hits == n {
                    child.kill().unwrap(); // SIGKILL: no cleanup of any kind
                    break;
                }
            }
        }
        let _ = child.wait();
        seen
    }

    /// Start `hawiz ARGS` and SIGKILL it after `after`, wherever it is by then (it may
    /// also have finished). Returns whether it was still running.
    pub fn killed_at(&self, home: &Path, args: &[&str], after: Duration) -> bool {
        let mut child = self
            .hawiz(home)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(after);
        let running = child.try_wait().unwrap().is_none();
        let _ = child.kill();
        let _ = child.wait();
        running
    }
}

/// `hawiz` with a private data dir and only test credentials, pointed at `endpoint`.
pub fn hawiz_command(endpoint: &str, home: &Path) -> Command {
    env::Env::emulator(endpoint, home).command(&[])
}

/// Poll `ok` until it holds; fail the test naming `what` after `secs`.
pub fn wait_on(what: &str, secs: u64, mut ok: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ok() {
        assert!(
            start.elapsed() < Duration::from_secs(secs),
            "waited {secs}s for {what}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Self {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Run {
    #[track_caller]
    pub fn ok(self) -> Run {
        assert_eq!(
            self.code, 0,
            "hawiz failed\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
    pub fn lines_with(&self, word: &str) -> usize {
        self.stdout.lines().filter(|l| l.contains(word)).count()
    }
}

/// A plan file in `dir` for stack `name` (the whole stack, no domain), with extra TOML
/// appended to `[network]`.
pub fn plan_file(dir: &Path, name: &str, network: &str) -> PathBuf {
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(
        &path,
        format!(
            "[stack]\nname = \"{name}\"\nregion = \"{REGION}\"\n\n[bastion]\nssh_cidr = \"203.0.113.10/32\"\n\n[network]\n{network}\n"
        ),
    )
    .unwrap();
    path
}

pub fn tag<'a>(tags: &'a [Tag], key: &str) -> Option<&'a str> {
    tags.iter()
        .find(|t| t.key() == Some(key))
        .and_then(|t| t.value())
}

pub fn stack_filter(stack: &str) -> Filter {
    Filter::builder()
        .name("tag:hawiz:stack")
        .values(stack)
        .build()
}

/// Live resources of each kind tagged with the stack, counted from outside.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub struct Counts {
    pub vpcs: usize,
    pub subnets: usize,
    pub igws: usize,
    pub route_tables: usize,
    pub eips: usize,
    pub nats: usize,
}

pub async fn count(ec2: &Client, stack: &str) -> Counts {
    let f = || stack_filter(stack);
    let ours = |tags: &[Tag]| tag(tags, "hawiz:stack") == Some(stack);
    Counts {
        vpcs: ec2
            .describe_vpcs()
            .filters(f())
            .send()
            .await
            .unwrap()
            .vpcs()
            .len(),
        subnets: ec2
            .describe_subnets()
            .filters(f())
            .send()
            .await
            .unwrap()
            .subnets()
            .len(),
        igws: ec2
            .describe_internet_gateways()
            .filters(f())
            .send()
            .await
            .unwrap()
            .internet_gateways()
            .len(),
        route_tables: ec2
            .describe_route_tables()
            .filters(f())
            .send()
            .await
            .unwrap()
            .route_tables()
            .len(),
        eips: ec2
            .describe_addresses()
            .filters(f())
            .send()
            .await
            .unwrap()
            .addresses()
            .len(),
        // moto ignores tag filters here, so check tags and state ourselves.
        nats: ec2
            .describe_nat_gateways()
            .send()
            .await
            .unwrap()
            .nat_gateways()
            .iter()
            .filter(|g| ours(g.tags()))
            .filter(|g| g.state().map(|s| s.as_str()) != Some("deleted"))
            .count(),
    }
}

/// The network the default plan (per-AZ NAT, 2 AZs) builds.
pub const FULL: Counts = Counts {
    vpcs: 1,
    subnets: 4,
    igws: 1,
    route_tables: 3,
    eips: 2,
    nats: 2,
};

pub const NONE: Counts = Counts {
    vpcs: 0,
    subnets: 0,
    igws: 0,
    route_tables: 0,
    eips: 0,
    nats: 0,
};

impl Moto {
    /// Clients for checking from outside (plain describe calls, same endpoint).
    pub async fn clients(&self) -> hawiz::aws::Clients {
        let target = hawiz::aws::Target {
            endpoint: Some(self.endpoint.clone()),
            sandbox: true,
            ..Default::default()
        };
        hawiz::aws::Clients::new(REGION, &target).await
    }
}

/// A full-stack plan: SSH from a documentation address (no lookup), and a domain when asked.
pub fn stack_plan(dir: &Path, name: &str, extra: &str) -> PathBuf {
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(
        &path,
        format!(
            "[stack]\nname = \"{name}\"\nregion = \"{REGION}\"\n\n[bastion]\nssh_cidr = \"203.0.113.10/32\"\n\n{extra}\n"
        ),
    )
    .unwrap();
    path
}

pub const DOMAIN: &str = "[domain]\nname = \"wplab.click\"\nhost = \"www\"\n";

/// The stack's instances that are not terminated, as describe calls list them.
pub async fn live_instances(ec2: &Client, stack: &str) -> Vec<aws_sdk_ec2::types::Instance> {
    let all = ec2
        .describe_instances()
        .filters(stack_filter(stack))
        .send()
        .await
        .unwrap();
    all.reservations()
        .iter()
        .flat_map(|r| r.instances())
        .filter(|i| i.state().and_then(|s| s.name()).map(|n| n.as_str()) != Some("terminated"))
        .cloned()
        .collect()
}

/// Every kind of resource of a stack, counted from outside (live ones only).
pub async fn inventory(
    aws: &hawiz::aws::Clients,
    stack: &str,
) -> std::collections::BTreeMap<&'static str, usize> {
    let ours = |tags: &[Tag]| tag(tags, "hawiz:stack") == Some(stack);
    let mut m = std::collections::BTreeMap::new();
    let sgs = aws
        .ec2
        .describe_security_groups()
        .filters(stack_filter(stack))
        .send()
        .await
        .unwrap();
    m.insert("security groups", sgs.security_groups().len());
    let bastions = live_instances(&aws.ec2, stack)
        .await
        .iter()
        .filter(|i| tag(i.tags(), "Name") == Some(&format!("{stack}-bastion")))
        .count();
    m.insert("bastions", bastions);
    let lts = aws
        .ec2
        .describe_launch_templates()
        .filters(stack_filter(stack))
        .send()
        .await
        .unwrap();
    m.insert("launch templates", lts.launch_templates().len());
    let keys = aws.ec2.describe_key_pairs().send().await.unwrap();
    m.insert(
        "key pairs",
        keys.key_pairs().iter().filter(|k| ours(k.tags())).count(),
    );
    let dbs = aws.rds.describe_db_instances().send().await.unwrap();
    m.insert(
        "databases",
        dbs.db_instances()
            .iter()
            .filter(|d| d.db_instance_identifier() == Some(&format!("{stack}-db")))
            .count(),
    );
    // Paginated: moto returns at most 10 file systems a page.
    let mut fs = Vec::new();
    let mut pages = aws.efs.describe_file_systems().into_paginator().send();
    while let Some(page) = pages.next().await {
        fs.extend(
            page.unwrap()
                .file_systems()
                .iter()
                .filter(|f| {
                    f.tags()
                        .iter()
                        .any(|t| t.key() == "hawiz:stack" && t.value() == stack)
                })
                .cloned(),
        );
    }
    m.insert("file systems", fs.len());
    let mut mts = 0;
    for f in &fs {
        mts += aws
            .efs
            .describe_mount_targets()
            .file_system_id(f.file_system_id())
            .send()
            .await
            .unwrap()
            .mount_targets()
            .len();
    }
    m.insert("mount targets", mts);
    let lbs = aws.elb.describe_load_balancers().send().await.unwrap();
    m.insert(
        "load balancers",
        lbs.load_balancers()
            .iter()
            .filter(|l| l.load_balancer_name() == Some(&format!("{stack}-alb")))
            .count(),
    );
    let tgs = aws.elb.describe_target_groups().send().await.unwrap();
    m.insert(
        "target groups",
        tgs.target_groups()
            .iter()
            .filter(|t| t.target_group_name() == Some(&format!("{stack}-tg")))
            .count(),
    );
    let groups = aws
        .autoscaling
        .describe_auto_scaling_groups()
        .send()
        .await
        .unwrap();
    m.insert(
        "auto scaling groups",
        groups
            .auto_scaling_groups()
            .iter()
            .filter(|g| g.auto_scaling_group_name() == Some(&format!("{stack}-app")))
            .count(),
    );
    let c = count(&aws.ec2, stack).await;
    m.insert("nat gateways", c.nats);
    m.insert("elastic ips", c.eips);
    m.insert("subnets", c.subnets);
    m.insert("vpcs", c.vpcs);
    m
}

/// The inventory of a complete stack without a domain.
pub fn one_of_each() -> std::collections::BTreeMap<&'static str, usize> {
    [
        ("security groups", 5),
        ("bastions", 1),
        ("launch templates", 1),
        ("key pairs", 1),
        ("databases", 1),
        ("file systems", 1),
        ("mount targets", 2),
        ("load balancers", 1),
        ("target groups", 1),
        ("auto scaling groups", 1),
        ("nat gateways", 2),
        ("elastic ips", 2),
        ("subnets", 4),
        ("vpcs", 1),
    ]
    .into_iter()
    .collect()
}

/// The route table governing a subnet: its explicit association, else the main table.
pub fn governing<'a>(
    tables: &'a [aws_sdk_ec2::types::RouteTable],
    subnet: &str,
) -> &'a aws_sdk_ec2::types::RouteTable {
    tables
        .iter()
        .find(|t| {
            t.associations()
                .iter()
                .any(|a| a.subnet_id() == Some(subnet))
        })
        .or_else(|| {
            tables
                .iter()
                .find(|t| t.associations().iter().any(|a| a.main() == Some(true)))
        })
        .expect("every subnet has a route table")
}

pub fn ec2_filter(name: &str, value: &str) -> Filter {
    Filter::builder().name(name).values(value).build()
}
