//! The permissions hawiz needs (scripts/iam-policy.py writes assets/iam-policy.json, the
//! all-stacks variant, and the per-stack templates assets/iam-policy-stack.json and
//! assets/permissions-boundary.json):
//! - every `aws("Operation")` in src/ is listed in tests/iam/calls.json, where the
//!   evaluator (tests/iam/evaluate.mjs) decides each against both variants;
//! - the IAM linters pass both variants and catch an escalation;
//! - the evaluator itself: every attack denied, every call allowed, every condition
//!   guarded by an attack (when its node packages are installed).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

fn rust_files(dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(std::fs::read_to_string(&path).unwrap());
        }
    }
}

fn json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_operation_hawiz_calls_is_in_the_evaluators_calls() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for policy in [
        "assets/iam-policy.json",
        "assets/iam-policy-stack.json",
        "assets/permissions-boundary.json",
    ] {
        assert_eq!(
            json(&root.join(policy))["Version"],
            "2012-10-17",
            "{policy}"
        );
    }
    let mut sources = Vec::new();
    rust_files(&root.join("src"), &mut sources);
    let mut ops: Vec<String> = Vec::new();
    for text in &sources {
        for piece in text.split("aws(\"").skip(1) {
            let op: String = piece
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            if !op.is_empty() && !ops.contains(&op) {
                ops.push(op);
            }
        }
    }
    assert!(ops.len() > 80, "found only {} operations", ops.len());
    // Called without the `aws()` wrapper (its failure falls back to a pinned version).
    ops.push("DescribeDBEngineVersions".into());

    let calls = json(&root.join("tests/iam/calls.json"));
    let listed: Vec<&str> = calls["calls"]
        .as_array()
        .expect("tests/iam/calls.json has a list of calls")
        .iter()
        .map(|c| {
            let requests = c["requests"].as_array().map_or(0, Vec::len);
            assert!(requests > 0, "a call without authorizations: {c}");
            c["op"].as_str().expect("every call names its operation")
        })
        .collect();
    let missing: Vec<&String> = ops
        .iter()
        .filter(|op| !listed.contains(&op.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "tests/iam/calls.json lacks these operations hawiz calls (add each with the \
         authorizations AWS makes for it): {missing:?}"
    );
}

/// The linters behind `scripts/lint-iam` (cloudsplaining, parliament) pass both variants
/// and catch a policy that lets its holder make itself an administrator.
#[test]
fn the_iam_linters_pass_the_policy_and_catch_an_escalation() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = |policy: Option<&Path>| {
        let mut cmd = Command::new(root.join("scripts/lint-iam"));
        if let Some(p) = policy {
            cmd.arg(p);
        }
        cmd.current_dir(root).output().unwrap()
    };
    let ours = run(None);
    assert!(
        ours.status.success(),
        "{}{}",
        String::from_utf8_lossy(&ours.stdout),
        String::from_utf8_lossy(&ours.stderr)
    );
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:CreateRole","iam:PutRolePolicy","iam:PassRole","ec2:RunInstances"],"Resource":"*"}]}"#,
    )
    .unwrap();
    let caught = run(Some(&bad));
    let out = String::from_utf8_lossy(&caught.stdout);
    assert!(!caught.status.success(), "{out}");
    assert!(out.contains("Privilege Escalation"), "{out}");
}

/// tests/iam/evaluate.mjs through scripts/iam-evaluate: the per-stack policy (with and
/// without a domain) denies every attack and allows every call, each of its conditions is
/// needed to stop some attack, and the all-stacks policy meets its own expectations.
#[test]
fn the_evaluator_denies_every_attack_and_allows_every_call() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("HAWIZ_IAM_EVALUATED").is_some() {
        eprintln!("skipped: scripts/test ran the IAM evaluator already (scripts/iam-evaluate)");
        return;
    }
    if !root.join("tests/iam/node_modules").is_dir() {
        eprintln!(
            "skipped: the IAM evaluator's packages are not installed \
             (npm ci --prefix tests/iam, or run scripts/test)"
        );
        return;
    }
    if Command::new("node").arg("--version").output().is_err() {
        eprintln!("skipped: node is not installed (the IAM evaluator runs on Node 20)");
        return;
    }
    let out = Command::new(root.join("scripts/iam-evaluate"))
        .current_dir(root)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{text}");
    assert!(!text.contains("WRONG"), "{text}");
    assert!(!text.contains("UNGUARDED"), "{text}");
}

/// `hawiz policy` prints exactly what the evaluator judged: the per-stack policy as
/// scripts/iam-policy.py renders it (the contract in Python), with and without a domain,
/// the stack's boundary, and the all-stacks file; `--out` cuts it into managed policies
/// that fit AWS's limit; a name IAM or hawiz would refuse is refused, nothing written.
#[test]
fn hawiz_policy_prints_what_the_evaluator_judged() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let home = tempfile::tempdir().unwrap();
    let hawiz = |args: &[&str]| -> crate::support::Run {
        crate::support::env::Env::emulator("http://127.0.0.1:9", home.path())
            .command(args)
            .output()
            .unwrap()
            .into()
    };
    let python = |args: &[&str]| -> serde_json::Value {
        assert!(
            root.join(".venv/bin/python").exists(),
            ".venv is missing: run scripts/test once (it makes .venv and installs its tools)"
        );
        let out = Command::new(root.join(".venv/bin/python"))
            .arg(root.join("scripts/iam-policy.py"))
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let parsed = |run: &crate::support::Run| -> serde_json::Value {
        assert_eq!(run.code, 0, "{}", run.stderr);
        serde_json::from_str(&run.stdout).unwrap()
    };
    for (args, py) in [
        (
            vec!["policy", "shop", "--domain", "example.com", "--host", "www"],
            vec![
                "--stack",
                "shop",
                "--domain",
                "example.com",
                "--host",
                "www",
            ],
        ),
        (
            vec!["policy", "shop", "--domain", "Example.com.", "--host", ""],
            vec!["--stack", "shop", "--domain", "example.com", "--host", ""],
        ),
        (vec!["policy", "shop"], vec!["--stack", "shop"]),
        (
            vec!["policy", "shop", "--boundary"],
            vec!["--boundary", "shop"],
        ),
    ] {
        assert_eq!(parsed(&hawiz(&args)), python(&py), "hawiz {args:?}");
    }
    let all = hawiz(&["policy"]);
    assert_eq!(parsed(&all), json(&root.join("assets/iam-policy.json")));
    assert!(all.stderr.contains("personal account"), "{}", all.stderr);

    let dir = home.path().join("policy");
    let out = hawiz(&["policy", "shop", "--out", dir.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let mut statements = 0;
    let mut parts = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let doc = json(&path);
        assert!(serde_json::to_string(&doc).unwrap().len() <= 6144, "{name}");
        if name.starts_with("hawiz-shop-deployer-") {
            parts += 1;
            statements += doc["Statement"].as_array().unwrap().len();
            assert!(out.stdout.contains(&format!("file://{}", path.display())));
        } else {
            assert_eq!(name, "hawiz-shop-boundary.json");
            assert_eq!(doc, python(&["--boundary", "shop"]));
        }
    }
    let whole = python(&["--stack", "shop"]);
    assert_eq!(statements, whole["Statement"].as_array().unwrap().len());
    assert!(parts >= 2, "{}", out.stdout);
    assert!(
        out.stdout
            .contains("aws iam create-policy --policy-name hawiz-shop-boundary --path /hawiz/")
    );

    for (args, says) in [
        (vec!["policy", "Shop_1"], "must be 3 to 32 characters"),
        (
            vec!["policy", "a-very-long-stack-name-that-is-too-long"],
            "must be 3 to 32",
        ),
        (vec!["policy", "shop", "--region", "mars-1"], "region"),
        (vec!["policy", "--boundary"], "belongs to one stack"),
    ] {
        let run = hawiz(&args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{args:?} printed a policy");
    }
}
