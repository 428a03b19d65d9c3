//! Where hawiz keeps its files: the OS data dir (via `directories`), or `HAWIZ_HOME`.

use std::path::{Path, PathBuf};

pub fn home() -> PathBuf {
    if let Some(dir) = std::env::var_os("HAWIZ_HOME").filter(|v| !v.is_empty()) {
        return PathBuf::from(dir);
    }
    directories::ProjectDirs::from("dev", "hawiz", "hawiz")
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".hawiz"))
}

/// Stack state lives here. The sandbox keeps its own, since its emulator forgets
/// everything when it stops and must never be confused with a real account.
pub fn stacks_dir(home: &Path, sandbox: bool) -> PathBuf {
    if sandbox {
        home.join("sandbox").join("stacks")
    } else {
        home.join("stacks")
    }
}
