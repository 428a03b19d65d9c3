//! What hawiz remembers between runs: the language (every front-end) and the wizard's
//! theme.

use crate::i18n::Lang;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The language last chosen in the wizard (F2); unset until then, so the locale
    /// decides.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<Lang>,
    pub theme: Option<String>,
}

fn path(home: &Path) -> PathBuf {
    home.join("settings.toml")
}

impl Settings {
    /// Missing or unreadable settings are the defaults: never a reason not to start.
    pub fn load(home: &Path) -> Settings {
        std::fs::read_to_string(path(home))
            .ok()
            .and_then(|t| toml::from_str(&t).ok())
            .unwrap_or_default()
    }

    pub fn save(&self, home: &Path) -> std::io::Result<()> {
        crate::state::create_private_dir(home)?;
        std::fs::write(path(home), toml::to_string(self).unwrap_or_default())
    }
}
