//! assets/iam-policy.json (the permissions hawiz needs) covers every AWS operation the
//! code calls: each `aws("Operation")` in src/ must be allowed by some statement.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

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

#[test]
fn the_policy_allows_every_operation_hawiz_calls() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let policy = std::fs::read_to_string(root.join("assets/iam-policy.json")).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&policy).expect("the policy is JSON");
    assert_eq!(doc["Version"], "2012-10-17");
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
    let missing: Vec<&String> = ops
        .iter()
        .filter(|op| !policy.contains(&format!(":{op}\"")))
        .collect();
    assert!(
        missing.is_empty(),
        "assets/iam-policy.json lacks: {missing:?}"
    );
}

/// The linters behind `scripts/lint-iam` (cloudsplaining, parliament) pass hawiz's policy and
/// catch a policy that lets its holder make itself an administrator.
#[test]
fn the_iam_linters_pass_the_policy_and_catch_an_escalation() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = |policy: Option<&Path>| {
        let mut cmd = std::process::Command::new(root.join("scripts/lint-iam"));
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
