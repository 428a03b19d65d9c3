//! A data dir for `hawiz --sandbox` whose emulator is stopped when the test ends,
//! however it ends, and what a test asks of that emulator's process.

use super::Run;
use super::env::Env;
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
