//! A data dir for `hawiz --sandbox` whose emulator is stopped when the test ends,
//! however it ends, and what a test asks of that emulator's process.

use super::Run;
use super::env::Env;
use super::pty::{ENTER, PAGE_DOWN, Pty};
use portable_pty::CommandBuilder;
use std::path::Path;

pub struct Home(tempfile::TempDir);

impl Home {
    pub fn new() -> Home {
        Home(tempfile::tempdir().unwrap())
    }

    pub fn path(&self) -> &Path {
        self.0.path()
    }

    pub fn hawiz(&self, args: &[&str]) -> Run {
        Run::from(Env::sandbox(self.path()).command(args).output().unwrap())
    }

    pub fn pty(&self, args: &[&str]) -> CommandBuilder {
        Env::sandbox(self.path()).pty(args)
    }

    /// `hawiz --sandbox` at 100×30, every step's defaults taken (each screen waited for
    /// before the next key), the build confirmed: returns as the build starts.
    pub fn build_with_defaults(&self) -> Pty {
        let mut p = Pty::spawn(self.pty(&["--sandbox"]), 100, 30);
        p.wait_for("SANDBOX", 60);
        p.wait_for("123456789012", 30);
        for step in 1..=hawiz::wizard::REVIEW {
            p.send(PAGE_DOWN);
            if step == 2 {
                p.decline_early();
            }
            p.wait_for(&format!("▸ {step} "), 10);
        }
        p.wait_for("Nothing has been created yet", 30); // the preflight passed
        p.send(ENTER);
        p.wait_for("sandbox: nothing real, no cost", 10);
        p.send(ENTER);
        p
    }

    /// The emulator's pid and port as recorded.
    pub fn emulator(&self) -> Option<(u32, u16)> {
        let text = std::fs::read_to_string(self.path().join("sandbox/emulator.toml")).ok()?;
        let v: toml::Table = toml::from_str(&text).unwrap();
        Some((
            v["pid"].as_integer().unwrap() as u32,
            v["port"].as_integer().unwrap() as u16,
        ))
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = self.hawiz(&["sandbox", "stop"]);
    }
}

pub fn running(pid: u32) -> bool {
    // A zombie (exited, not yet reaped by its parent) is not running.
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .is_ok_and(|s| s.split_whitespace().nth(2).is_none_or(|st| st != "Z"))
}

pub fn answers(port: u16) -> bool {
    std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
}
