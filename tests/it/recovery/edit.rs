//! `hawiz edit PLAN.toml` changing one answer in place.

use super::*;
use support::pty::{BACKSPACE, CTRL_C, PAGE_DOWN, Pty, TAB};
use support::*;

/// `hawiz edit PLAN.toml`: the wizard opens on the file's answers; one answer changed
/// (the app's maximum instances), the review saves back to that same file: the new value
/// is there, every other answer is as it was, the file is still a valid plan, and nothing
/// was created in AWS.
/// The plan file `hawiz edit` is tried on: written by hand, with comments and an order of
/// its own.
const COMMENTED_PLAN: &str = "\
# Our blog's plan: kept in git, reviewed by the team.
[stack]
name = \"edited\"
region = \"ap-northeast-2\"

[bastion]
# The office VPN only.
ssh_cidr = \"203.0.113.10/32\"

[database]
storage_gib = 30 # room for a year of posts
db_name = \"blog\"

[app]
min = 2
desired = 3
# Peak season: raise this first.
max = 4 # the budget allows no more

[load_balancer]
health_check_path = \"/healthz\"
";

#[tokio::test(flavor = "multi_thread")]
async fn edit_changes_one_answer_in_the_plan_file() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("edited.toml");
    std::fs::write(&file, COMMENTED_PLAN).unwrap();
    let before = std::fs::read_to_string(&file).unwrap();
    let mut p = Pty::spawn(
        hawiz(
            &moto.endpoint,
            home.path(),
            &["edit", file.to_str().unwrap()],
        ),
        100,
        30,
    );
    // Straight to the wizard with the file's answers (no resume screen).
    p.wait_for(&step_title(0), 20);
    p.wait_for("edited", 5);
    for step in 1..=6 {
        p.send(PAGE_DOWN);
        if step == 2 {
            p.decline_early();
        }
        p.wait_for(&step_title(step), 10);
    }
    p.wait_for("/healthz", 5);
    p.send(TAB); // Minimum instances
    p.send(TAB); // Desired
    p.send(TAB); // Maximum
    p.wait_until("Maximum instances focused", 10, |s| {
        s.lines()
            .any(|l| l.contains("› Maximum instances") && l.contains(" 4"))
    });
    p.send(BACKSPACE);
    p.send("7");
    p.wait_until("the maximum typed", 10, |s| {
        s.lines()
            .any(|l| l.contains("› Maximum instances") && l.contains(" 7"))
    });
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        before,
        "nothing is written before the review"
    );
    for step in 7..hawiz::wizard::REVIEW {
        p.send(PAGE_DOWN);
        p.wait_for(&step_title(step), 10);
    }
    p.send(PAGE_DOWN);
    // The review says where it saves, and saves there.
    p.wait_for("┌ Review · saves to ", 10);
    let mut expected = hawiz::plan::Plan::from_toml(&before).unwrap();
    expected.app.max = 7;
    expected.resolve(None);
    wait_on("the plan file to be saved with the new maximum", 20, || {
        hawiz::plan::Plan::load(&file).is_ok_and(|p| p.app.max == 7)
    });
    let mut saved = hawiz::plan::Plan::load(&file).unwrap();
    saved.resolve(None);
    assert_eq!(
        saved,
        expected,
        "only the maximum changed:\n{}",
        std::fs::read_to_string(&file).unwrap()
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        before.replace("max = 4 #", "max = 7 #"),
        "the file keeps its comments and order; only the maximum's value changed"
    );
    p.wait_for("Nothing has been created yet", 30);
    p.send(CTRL_C);
    assert_eq!(p.wait_exit(10), 0);

    // Still a plan `hawiz plan` accepts, with the new maximum; nothing made anywhere.
    let checked = moto
        .run(home.path(), &["plan", file.to_str().unwrap()])
        .ok();
    assert!(checked.stdout.contains("to create"), "{}", checked.stdout);
    assert!(
        !home.path().join("plans/edited.toml").exists(),
        "saved to the edited file, not the data dir"
    );
    assert!(!home.path().join("stacks/edited").exists());
    assert_eq!(count(&moto.ec2(), "edited").await, NONE);
    let aws = moto.clients().await;
    let made = inventory(&aws, "edited").await;
    assert!(made.values().all(|n| *n == 0), "{made:?}");
}
