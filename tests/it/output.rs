//! What hawiz prints when the reader stops early (`hawiz --sandbox status S | head`):
//! every command that prints ends quietly, never with a "Broken pipe" panic.

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
