//! One hawiz at a time per stack: an OS file lock in the stack's directory, holding the
//! process's ID and what it is doing. The kernel releases it when the process dies, so a
//! killed hawiz never leaves the stack locked; the next one notices and takes over.

use super::Failure;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Beside the stacks directory, not in it: a refused run leaves no trace of the stack it
/// was refused for.
const DIR: &str = "locks";

fn dir(stacks_dir: &Path) -> PathBuf {
    stacks_dir
        .parent()
        .map_or_else(|| stacks_dir.join(DIR), |p| p.join(DIR))
}

#[derive(Debug)]
pub struct StackLock {
    file: File,
    path: PathBuf,
    /// A process that held this lock and died without releasing it (its description).
    pub took_over: Option<String>,
}

fn holder(text: &str) -> String {
    let field = |k: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{k}=")))
            .unwrap_or("?")
            .to_string()
    };
    format!(
        "process {} (`{}`, since {})",
        field("pid"),
        field("command"),
        field("started")
    )
}

impl StackLock {
    /// Take the stack's lock for `command` (e.g. `hawiz apply`), or say who holds it.
    pub fn acquire(stacks_dir: &Path, stack: &str, command: &str) -> Result<StackLock, Failure> {
        let dir = dir(stacks_dir);
        let io = |e: std::io::Error| {
            Failure::failed(format!(
                "cannot lock stack {stack:?} in {}: {e}",
                dir.display()
            ))
        };
        crate::state::create_private_dir(&dir).map_err(io)?;
        let path = dir.join(stack);
        let mut opts = OpenOptions::new();
        opts.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut file = opts.open(&path).map_err(io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut text = String::new();
                let _ = file.read_to_string(&mut text);
                return Err(Failure::invalid(format!(
                    "stack {stack:?} is busy: {} is working on it. Wait for it to finish, or stop \
                     it and run this again; nothing was changed",
                    holder(&text)
                )));
            }
            Err(TryLockError::Error(e)) => return Err(io(e)),
        }
        let mut before = String::new();
        let _ = file.read_to_string(&mut before);
        let took_over = (!before.trim().is_empty()).then(|| holder(&before));
        let started = crate::time::now_utc();
        let text = format!(
            "pid={}\ncommand={command}\nstarted={started}\n",
            std::process::id()
        );
        file.set_len(0).map_err(io)?;
        file.seek(SeekFrom::Start(0)).map_err(io)?;
        file.write_all(text.as_bytes()).map_err(io)?;
        file.sync_all().map_err(io)?;
        Ok(StackLock {
            file,
            path,
            took_over,
        })
    }

    /// Release it and remove the file (the stack is gone).
    pub fn remove(self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

impl Drop for StackLock {
    /// Empty the file before the lock goes, so the next holder does not mistake a normal
    /// exit for a crash.
    fn drop(&mut self) {
        let _ = self.file.set_len(0);
        let _ = self.file.unlock();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_is_refused_with_the_first_ones_pid() {
        let home = tempfile::tempdir().unwrap();
        let stacks = home.path().join("stacks");
        let first = StackLock::acquire(&stacks, "wp", "hawiz apply").unwrap();
        assert!(first.took_over.is_none());
        assert!(!stacks.exists(), "no stack directory for a lock");
        let err = StackLock::acquire(&stacks, "wp", "hawiz destroy").unwrap_err();
        assert_eq!(err.code, 2);
        assert!(
            err.message
                .contains(&format!("process {} (`hawiz apply`", std::process::id())),
            "{}",
            err.message
        );
        drop(first);
        let again = StackLock::acquire(&stacks, "wp", "hawiz destroy").unwrap();
        assert!(again.took_over.is_none(), "a clean release is not a crash");
    }

    #[test]
    fn a_dead_holders_lock_is_taken_over() {
        let home = tempfile::tempdir().unwrap();
        let stacks = home.path().join("stacks");
        std::fs::create_dir_all(dir(&stacks)).unwrap();
        // What a killed process leaves: its lines, but no OS lock.
        std::fs::write(
            dir(&stacks).join("wp"),
            "pid=999999\ncommand=hawiz apply\nstarted=2026-11-23 01:02:03 UTC\n",
        )
        .unwrap();
        let lock = StackLock::acquire(&stacks, "wp", "hawiz apply").unwrap();
        assert_eq!(
            lock.took_over.as_deref(),
            Some("process 999999 (`hawiz apply`, since 2026-11-23 01:02:03 UTC)")
        );
    }
}
