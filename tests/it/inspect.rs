//! The inspector reads back what a console user would have clicked, each kind writing its
//! own sections: after a real apply against moto, every resource of the stack is inspected
//! through the plan's graph, as the wizard does.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;

use hawiz::ops::inspect::{Inspection, Line, inspect};
use support::{Moto, stack_plan};

fn text(i: &Inspection) -> String {
    i.lines
        .iter()
        .map(|l| match l {
            Line::Heading { en, .. } => format!("## {en}"),
            Line::Item(t) => t.clone(),
            Line::Note { en, .. } => format!("note: {en}"),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test(flavor = "multi_thread")]
async fn every_kind_shows_its_own_wiring() {
    let moto = Moto::start();
    let aws = moto.clients().await;
    let home = tempfile::tempdir().unwrap();
    let path = stack_plan(home.path(), "look", "");
    moto.run(home.path(), &["apply", path.to_str().unwrap(), "--yes"])
        .ok();
    let state: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(home.path().join("stacks/look/state.json")).unwrap(),
    )
    .unwrap();
    let plan: hawiz::plan::Plan = serde_json::from_value(state["plan"].clone()).unwrap();
    let graph = hawiz::blueprint::build(&plan, home.path()).unwrap();
    let mut seen = std::collections::BTreeMap::new();
    for node in graph.nodes() {
        let Some(id) = state["resources"][&node.key]["id"].as_str() else {
            continue;
        };
        let shown = inspect(&aws, Some(&plan), &node.key, node.res.kind(), id)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", node.key));
        seen.insert(node.key.clone(), text(&shown));
    }
    let of = |key: &str| seen.get(key).unwrap_or_else(|| panic!("{key}: {seen:#?}"));
    // Kinds with wiring to show write sections; the rest say where the rest is.
    for (key, has) in [
        ("rtb/private-a", "0.0.0.0/0          → nat-"),
        ("sg/app", "## Inbound rules (port ← source)"),
        ("tg", "/hawiz-health"),
        ("tg", "matcher: HTTP 200"),
        (
            "tg",
            "note: hawiz's own health path answers 200 only once WordPress",
        ),
        ("launch-template", "#cloud-config"),
        ("launch-template", "      wordpress_files() {"),
        ("launch-template", "IMDS: http tokens required"),
        ("alb", "internet-facing"),
        ("asg", "health check ELB"),
    ] {
        assert!(of(key).contains(has), "{key} lacks {has:?}:\n{}", of(key));
    }
    assert!(
        of("vpc").starts_with("note: Nothing more to show of this vpc"),
        "{}",
        of("vpc")
    );
    // The user data is read back whole (gunzipped), and holds no secret value.
    let user_data = of("launch-template");
    assert!(!user_data.contains("••••••"), "nothing needed masking");
    let password = aws
        .ssm
        .get_parameter()
        .name("/hawiz/look/db-password")
        .with_decryption(true)
        .send()
        .await
        .unwrap();
    let password = password.parameter().unwrap().value().unwrap();
    assert!(!seen.values().any(|t| t.contains(password)));
    // Without its plan (a kind it cannot find), the inspector still answers.
    let bare = inspect(&aws, None, "tg", "target-group", "arn:x")
        .await
        .unwrap();
    assert!(text(&bare).contains("Nothing more to show"));
}
