//! What hawiz prints: in the run's language (`--lang ko` or English), and, when the
//! reader stops early (`hawiz --sandbox status S | head`), nothing more: every command
//! that prints ends quietly, never with a "Broken pipe" panic.

use crate::support::{Moto, stack_plan};
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, ExitStatus, Stdio};

const SIGPIPE: i32 = 13;

/// `cmd` with its standard output a pipe whose reading end is closed before hawiz
/// prints anything: how it ended, and what it said on standard error.
fn reader_gone(mut cmd: Command) -> (ExitStatus, String) {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    (
        out.status,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reader_that_stops_early_ends_hawiz_quietly() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    let file = stack_plan(home.path(), "piped", "");
    let mut plan = hawiz::plan::Plan::load(&file).unwrap();
    plan.resolve(None);
    hawiz::state::Store::open_for_apply(&home.path().join("stacks"), &plan).unwrap();
    let file = file.to_str().unwrap();
    for args in [
        &["status", "piped"][..],
        &["status"],
        &["plan", file],
        &["policy", "piped"],
    ] {
        let mut cmd = moto.hawiz(home.path());
        cmd.args(args);
        let (status, stderr) = reader_gone(cmd);
        assert_eq!(stderr, "", "hawiz {args:?} said more than nothing");
        assert_eq!(
            status.signal(),
            Some(SIGPIPE),
            "hawiz {args:?} ends as command-line tools do when the reader goes: {status:?}"
        );
    }
}

/// `plan`, `status` and `destroy` speak Korean with `--lang ko` (a header, kinds by the
/// Korean console's names, the counts), and English without it, word for word as before.
/// A saved stack with nothing made yet: no apply needed to look at it or destroy it.
#[tokio::test(flavor = "multi_thread")]
async fn the_commands_speak_the_language_asked_for() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    let file = stack_plan(home.path(), "hangul", "");
    let run = |args: &[&str]| moto.run(home.path(), args).ok().stdout;
    let plan = file.to_str().unwrap();

    let ko = run(&["--lang", "ko", "plan", plan]);
    let total = ko.lines().filter(|l| l.starts_with("  +   ")).count();
    for line in [
        format!("계획 {plan}: 스택 \"hangul\", 리전 ap-northeast-2"),
        "  +   보안 그룹         hangul-".into(),
        format!("생성 예정 {total}개."),
        format!("아무것도 바꾸지 않았습니다. `hawiz apply {plan}`로 적용합니다."),
    ] {
        assert!(ko.contains(&line), "{line:?} in:\n{ko}");
    }
    let en = run(&["plan", plan]);
    for line in [
        format!("Plan {plan}: stack \"hangul\" in ap-northeast-2"),
        "  +   security-group    hangul-".into(),
        format!("{total} to create."),
        format!("Nothing was changed; `hawiz apply {plan}` does this."),
    ] {
        assert!(en.contains(&line), "{line:?} in:\n{en}");
    }

    let mut saved = hawiz::plan::Plan::load(&file).unwrap();
    saved.resolve(None);
    hawiz::state::Store::open_for_apply(&home.path().join("stacks"), &saved).unwrap();
    let ko = run(&["--lang", "ko", "status", "hangul"]);
    for line in [
        "스택 \"hangul\", 리전 ap-northeast-2 (상태 파일: ".to_string(),
        "  없음       서브넷            hangul-".into(),
        format!("리소스 {total}개 중 0개가 있습니다."),
    ] {
        assert!(ko.contains(&line), "{line:?} in:\n{ko}");
    }
    let en = run(&["status", "hangul"]);
    for line in [
        "Stack \"hangul\" in ap-northeast-2 (state: ".to_string(),
        "  missing  subnet            hangul-".into(),
        format!("0 of {total} resources present."),
    ] {
        assert!(en.contains(&line), "{line:?} in:\n{en}");
    }

    let ko = run(&["--lang", "ko", "destroy", "hangul", "--yes"]);
    assert!(
        ko.contains("스택 \"hangul\"이 삭제되었습니다: hawiz:stack=hangul 태그가 붙은 것은 남아 있지 않습니다."),
        "{ko}"
    );
}
