//! Colour themes as meanings (`theme.error()`, `theme.state(...)`), so no widget names a
//! colour. Themes live in themes/*.toml and are embedded; `NO_COLOR` turns colour off and
//! leaves bold/reverse so focus is still visible.

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;
use std::str::FromStr;

const BUILT_IN: [(&str, &str); 3] = [
    ("dark", include_str!("../../themes/dark.toml")),
    ("light", include_str!("../../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.toml"),
    ),
];

pub fn names() -> Vec<&'static str> {
    BUILT_IN.iter().map(|(n, _)| *n).collect()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    name: String,
    text: String,
    muted: String,
    title: String,
    accent: String,
    focus: String,
    error: String,
    warning: String,
    ok: String,
    busy: String,
    border: String,
    border_focus: String,
    selected_fg: String,
    selected_bg: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub name: String,
    colored: bool,
    text: Color,
    muted: Color,
    title: Color,
    accent: Color,
    focus: Color,
    error: Color,
    warning: Color,
    ok: Color,
    busy: Color,
    border: Color,
    border_focus: Color,
    selected_fg: Color,
    selected_bg: Color,
}

/// How a resource is doing, for rows and the diagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mood {
    Waiting,
    Busy,
    Ok,
    Failed,
    Muted,
}

impl Theme {
    /// A built-in theme by name; `no_color` (from `NO_COLOR`) keeps only bold/reverse.
    pub fn load(name: &str, no_color: bool) -> Result<Theme, String> {
        let text = BUILT_IN
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| *t)
            .ok_or_else(|| {
                format!(
                    "unknown theme {name:?}; choose one of: {}",
                    names().join(", ")
                )
            })?;
        let f: File = toml::from_str(text).map_err(|e| format!("theme {name}: {e}"))?;
        let c = |field: &str, v: &str| {
            Color::from_str(v).map_err(|_| format!("theme {name}: {field} = {v:?} is not a colour"))
        };
        Ok(Theme {
            name: f.name.clone(),
            colored: !no_color,
            text: c("text", &f.text)?,
            muted: c("muted", &f.muted)?,
            title: c("title", &f.title)?,
            accent: c("accent", &f.accent)?,
            focus: c("focus", &f.focus)?,
            error: c("error", &f.error)?,
            warning: c("warning", &f.warning)?,
            ok: c("ok", &f.ok)?,
            busy: c("busy", &f.busy)?,
            border: c("border", &f.border)?,
            border_focus: c("border_focus", &f.border_focus)?,
            selected_fg: c("selected_fg", &f.selected_fg)?,
            selected_bg: c("selected_bg", &f.selected_bg)?,
        })
    }

    fn fg(&self, color: Color) -> Style {
        if self.colored {
            Style::default().fg(color)
        } else {
            Style::default()
        }
    }

    pub fn text(&self) -> Style {
        self.fg(self.text)
    }
    pub fn muted(&self) -> Style {
        if self.colored {
            self.fg(self.muted)
        } else {
            Style::default().add_modifier(Modifier::DIM)
        }
    }
    pub fn title(&self) -> Style {
        self.fg(self.title).add_modifier(Modifier::BOLD)
    }
    pub fn accent(&self) -> Style {
        self.fg(self.accent)
    }
    /// The field or item the keys act on.
    pub fn focus(&self) -> Style {
        self.fg(self.focus).add_modifier(Modifier::BOLD)
    }
    pub fn error(&self) -> Style {
        self.fg(self.error).add_modifier(Modifier::BOLD)
    }
    pub fn warning(&self) -> Style {
        self.fg(self.warning)
    }
    pub fn key(&self) -> Style {
        self.fg(self.accent).add_modifier(Modifier::BOLD)
    }
    pub fn border(&self, focused: bool) -> Style {
        if focused {
            self.fg(self.border_focus)
        } else {
            self.fg(self.border)
        }
    }
    pub fn selected(&self) -> Style {
        if self.colored {
            Style::default()
                .fg(self.selected_fg)
                .bg(self.selected_bg)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::default().add_modifier(Modifier::REVERSED)
        }
    }
    pub fn mood(&self, mood: Mood) -> Style {
        match mood {
            Mood::Waiting => self.muted(),
            Mood::Busy => self.fg(self.busy).add_modifier(Modifier::BOLD),
            Mood::Ok => self.fg(self.ok),
            Mood::Failed => self.error(),
            Mood::Muted => self.muted(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_theme_loads() {
        for name in names() {
            let t = Theme::load(name, false).unwrap();
            assert_eq!(t.name, name);
        }
        assert!(
            Theme::load("neon", false)
                .unwrap_err()
                .contains("dark, light, high-contrast")
        );
    }

    #[test]
    fn no_color_keeps_focus_visible_without_colour() {
        let t = Theme::load("dark", true).unwrap();
        assert_eq!(t.text(), Style::default());
        assert!(t.selected().add_modifier.contains(Modifier::REVERSED));
        assert!(t.focus().add_modifier.contains(Modifier::BOLD));
        assert_eq!(t.error().fg, None);
    }
}
