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

/// A path as a user types it: under the home directory as `~/…` (shorter, so a command
/// holding it fits a narrow screen unwrapped; the shell expands it back).
pub fn tilde(path: &Path) -> String {
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty());
    match home.and_then(|h| path.strip_prefix(h).ok().map(Path::to_path_buf)) {
        Some(rest) if !rest.as_os_str().is_empty() => format!("~/{}", rest.display()),
        _ => path.display().to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn paths_under_home_start_with_a_tilde() {
        let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) else {
            return;
        };
        let key = std::path::Path::new(&home).join(".local/share/hawiz/lab-key.pem");
        assert_eq!(super::tilde(&key), "~/.local/share/hawiz/lab-key.pem");
        assert_eq!(super::tilde(std::path::Path::new("/etc/x")), "/etc/x");
    }
}
