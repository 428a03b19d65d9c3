//! The whole environment a `hawiz` under test sees: PATH, a private data dir, and never
//! the developer's own `~/.aws` files. One place, so no test can forget a part of it.

use portable_pty::CommandBuilder;
use std::ffi::OsString;
use std::path::Path;
use std::process::{Command, Stdio};

pub struct Env(Vec<(&'static str, OsString)>);

impl Env {
    fn private(home: &Path) -> Env {
        Env(vec![
            ("PATH", std::env::var_os("PATH").unwrap_or_default()),
            ("HAWIZ_HOME", home.into()),
            ("AWS_CONFIG_FILE", home.join("no-aws-config").into()),
            (
                "AWS_SHARED_CREDENTIALS_FILE",
                home.join("no-aws-credentials").into(),
            ),
        ])
    }

    /// Signed in with test credentials to the emulator at `endpoint`.
    pub fn emulator(endpoint: &str, home: &Path) -> Env {
        Env::private(home)
            .set("AWS_ENDPOINT_URL", endpoint)
            .set("AWS_ACCESS_KEY_ID", "test")
            .set("AWS_SECRET_ACCESS_KEY", "test")
            .set("AWS_REGION", super::REGION)
    }

    /// For `--sandbox` and `sandbox stop`: no credentials at all.
    pub fn sandbox(home: &Path) -> Env {
        // The test venv's emulator instead of preparing one under HAWIZ_HOME.
        let env = Env::private(home).set("HAWIZ_MOTO_SERVER", super::moto_server_path());
        // scripts/test marks its runs to find emulators left behind.
        match std::env::var_os("HAWIZ_TEST_RUN") {
            Some(mark) => env.set("HAWIZ_TEST_RUN", mark),
            None => env,
        }
    }

    pub fn set(mut self, key: &'static str, value: impl Into<OsString>) -> Env {
        self.0.retain(|(k, _)| *k != key);
        self.0.push((key, value.into()));
        self
    }

    /// `hawiz ARGS` as a child process, reading nothing from stdin.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_hawiz"));
        cmd.args(args)
            .env_clear()
            .envs(self.0.iter().map(|(k, v)| (k, v)));
        cmd.stdin(Stdio::null());
        cmd
    }

    /// `hawiz ARGS` for a pseudo-terminal.
    pub fn pty(&self, args: &[&str]) -> CommandBuilder {
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_hawiz"));
        cmd.args(args);
        cmd.env_clear();
        cmd.env("TERM", "xterm-256color");
        for (k, v) in &self.0 {
            cmd.env(k, v);
        }
        cmd
    }
}
