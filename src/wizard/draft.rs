//! Unfinished answers: saved on every change by both front-ends and offered again at the
//! next start, so an interrupted wizard (Ctrl-C, a closed laptop, a crash) loses nothing.
//! One draft per data dir (the sandbox has its own), kept until the answers are built or
//! the user throws them away. Written like the state file: temp file + rename, 0600.

use crate::plan::Plan;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

const FILE: &str = "draft.toml";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    /// When it was saved (UTC, for "answers from 2026-11-23 10:02").
    pub saved: String,
    /// The step the user was at.
    pub step: usize,
    /// The AWS profile answered at step 0.
    #[serde(default)]
    pub profile: String,
    /// The plan file these answers came from and go back to (`hawiz edit PLAN.toml`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<PathBuf>,
    pub plan: Plan,
}

impl Draft {
    pub fn new(plan: Plan, step: usize, profile: &str, origin: Option<PathBuf>) -> Draft {
        Draft {
            saved: crate::time::now_utc(),
            step,
            profile: profile.to_string(),
            origin,
            plan,
        }
    }
}

/// Where the draft of a data dir lives: `home` for real accounts, `home/sandbox` for the
/// sandbox (its answers stay with it).
pub fn path(home: &Path, sandbox: bool) -> PathBuf {
    if sandbox {
        home.join("sandbox").join(FILE)
    } else {
        home.join(FILE)
    }
}

pub fn save(home: &Path, sandbox: bool, draft: &Draft) -> std::io::Result<()> {
    let path = path(home, sandbox);
    let dir = path.parent().unwrap_or(home);
    crate::state::create_private_dir(dir)?;
    let text = toml::to_string_pretty(draft).map_err(std::io::Error::other)?;
    let tmp = dir.join(format!(".{FILE}.{}.tmp", std::process::id()));
    let mut f = crate::state::open_private(&tmp)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()?;
    drop(f);
    std::fs::rename(&tmp, &path)
}

/// The saved draft, if there is one that still reads (an unreadable one is ignored: it
/// would only be offered, never trusted).
pub fn load(home: &Path, sandbox: bool) -> Option<Draft> {
    let text = std::fs::read_to_string(path(home, sandbox)).ok()?;
    toml::from_str(&text).ok()
}

/// The answers were built (or thrown away): forget them.
pub fn clear(home: &Path, sandbox: bool) {
    let _ = std::fs::remove_file(path(home, sandbox));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_survives_a_restart_and_is_private() {
        let home = tempfile::tempdir().unwrap();
        assert!(load(home.path(), false).is_none());
        let mut plan = Plan::default();
        plan.stack.name = "half-done".into();
        plan.app.max = 7;
        let d = Draft::new(plan, 3, "work", None);
        save(home.path(), false, &d).unwrap();
        assert_eq!(load(home.path(), false), Some(d));
        assert!(
            load(home.path(), true).is_none(),
            "the sandbox keeps its own"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(path(home.path(), false))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        clear(home.path(), false);
        assert!(load(home.path(), false).is_none());
    }
}
