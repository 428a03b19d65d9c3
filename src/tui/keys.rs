//! Key bindings as data (assets/keys.toml): keys become `Action`s here, and the footer and
//! the help overlay are generated from the same table.

use crate::i18n::Lang;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    Quit,
    Help,
    Language,
    NextField,
    PrevField,
    Left,
    Right,
    NextSuggestion,
    PrevSuggestion,
    Confirm,
    NextStep,
    PrevStep,
    Back,
    Retry,
    Destroy,
    View,
    New,
    Yes,
    /// Scroll the panel whose text can be longer than it (explanation, review, log, help).
    ScrollDown,
    ScrollUp,
    /// Show the selected resource's wiring as a console user would have set it.
    Inspect,
    /// Pick or unpick the highlighted item (a subnet, an option).
    Toggle,
    /// The HA drill: break one app instance on purpose and watch the stack heal.
    Drill,
    /// The database drill: reboot RDS with failover.
    DrillDatabase,
    /// The region drill (a stack with a standby): invert the primary's health check.
    DrillRegion,
    /// Move a panel sideways: a line that must stay whole (a command, an ID, a link) can
    /// be wider than its panel.
    PanLeft,
    PanRight,
    /// Check an existing setup (`doctor`): the region's VPCs and their findings.
    Check,
    /// Copy the selected resource's console link (or its ID) to the clipboard (OSC 52).
    Copy,
}

/// What a key press means once the context is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Do(Action),
    /// A character for the focused text field.
    Type(char),
    Backspace,
    Delete,
    Home,
    End,
    /// The mouse wheel, one notch (true: down).
    Wheel(bool),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Binding {
    pub on: String,
    pub run: Action,
    #[serde(default = "yes")]
    pub typing: bool,
    pub desc: [String; 2],
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
struct File {
    key: Vec<Binding>,
}

#[derive(Debug, Clone)]
pub struct Keymap {
    pub bindings: Vec<Binding>,
}

const DEFAULT: &str = include_str!("../../assets/keys.toml");

impl Keymap {
    pub fn load() -> Result<Keymap, String> {
        Self::parse(DEFAULT)
    }

    pub fn parse(text: &str) -> Result<Keymap, String> {
        let file: File = toml::from_str(text).map_err(|e| format!("key bindings: {e}"))?;
        for (i, b) in file.key.iter().enumerate() {
            parse_key(&b.on).ok_or_else(|| format!("key bindings: {:?} is not a key", b.on))?;
            if let Some(other) = file.key[..i].iter().find(|o| o.on == b.on) {
                return Err(format!(
                    "key bindings: {:?} is bound twice ({:?} and {:?})",
                    b.on, other.run, b.run
                ));
            }
        }
        Ok(Keymap { bindings: file.key })
    }

    /// `typing`: a text field has the cursor, so plain characters are text.
    pub fn input(&self, key: KeyEvent, typing: bool) -> Option<Input> {
        let plain = !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        if typing && plain {
            match key.code {
                KeyCode::Char(c) => return Some(Input::Type(c)),
                KeyCode::Backspace => return Some(Input::Backspace),
                KeyCode::Delete => return Some(Input::Delete),
                KeyCode::Home => return Some(Input::Home),
                KeyCode::End => return Some(Input::End),
                _ => {}
            }
        }
        self.bindings
            .iter()
            .filter(|b| b.typing || !typing)
            .find(|b| parse_key(&b.on).is_some_and(|k| matches(k, key)))
            .map(|b| Input::Do(b.run))
    }

    /// The first key bound to an action, as shown in the footer.
    pub fn key_for(&self, action: Action) -> Option<&str> {
        self.bindings
            .iter()
            .find(|b| b.run == action)
            .map(|b| b.on.as_str())
    }

    /// The first key bound to an action, short enough for the footer (`PgDn`, `^D`).
    pub fn short(&self, action: Action) -> String {
        self.key_for(action).map_or_else(|| "?".into(), short)
    }

    /// (key, description) for the help overlay, in the user's language.
    pub fn help(&self, lang: Lang) -> Vec<(String, String)> {
        self.bindings
            .iter()
            .map(|b| (b.on.clone(), lang.pick(&b.desc[0], &b.desc[1]).to_string()))
            .collect()
    }
}

/// A key as the footer shows it: `ctrl-d` → `^D`, `pagedown` → `PgDn`.
pub fn short(key: &str) -> String {
    if let Some(rest) = key.strip_prefix("ctrl-") {
        return match rest {
            "left" => "^←".into(),
            "right" => "^→".into(),
            _ => format!("^{}", rest.to_uppercase()),
        };
    }
    match key {
        "pagedown" => "PgDn".into(),
        "pageup" => "PgUp".into(),
        "enter" => "Enter".into(),
        "esc" => "Esc".into(),
        "tab" => "Tab".into(),
        "space" => "Space".into(),
        other => other.to_string(),
    }
}

fn parse_key(text: &str) -> Option<(KeyCode, KeyModifiers)> {
    let (mods, name) = match text.strip_prefix("ctrl-") {
        Some(rest) => (KeyModifiers::CONTROL, rest),
        None => (KeyModifiers::NONE, text),
    };
    let code = match name {
        "tab" => KeyCode::Tab,
        "backtab" => KeyCode::BackTab,
        "enter" => KeyCode::Enter,
        "esc" => KeyCode::Esc,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "pageup" => KeyCode::PageUp,
        "pagedown" => KeyCode::PageDown,
        "space" => KeyCode::Char(' '),
        f if f.starts_with('f') && f.len() > 1 => KeyCode::F(f[1..].parse().ok()?),
        c if c.chars().count() == 1 => KeyCode::Char(c.chars().next()?),
        _ => return None,
    };
    Some((code, mods))
}

fn matches((code, mods): (KeyCode, KeyModifiers), key: KeyEvent) -> bool {
    // Shift is part of the character ('?' or 'L') and of BackTab, so it is not compared.
    let relevant = key.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT);
    key.code == code && relevant == mods
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn the_shipped_table_loads_without_duplicates() {
        let k = Keymap::load().unwrap();
        assert!(k.bindings.len() > 20);
        assert_eq!(k.key_for(Action::Language), Some("f2"));
        assert_eq!(k.short(Action::ScrollDown), "^D");
        assert_eq!(k.short(Action::NextStep), "PgDn");
        for a in [Action::ScrollUp, Action::Inspect, Action::Toggle] {
            assert!(k.key_for(a).is_some(), "{a:?} has a key");
        }
    }

    #[test]
    fn duplicate_bindings_are_refused() {
        let err = Keymap::parse(
            "[[key]]\non = \"q\"\nrun = \"quit\"\ndesc = [\"a\", \"b\"]\n[[key]]\non = \"q\"\nrun = \"help\"\ndesc = [\"a\", \"b\"]\n",
        )
        .unwrap_err();
        assert!(err.contains("\"q\" is bound twice"), "{err}");
    }

    #[test]
    fn letters_type_in_text_fields_and_act_elsewhere() {
        let k = Keymap::load().unwrap();
        let q = key(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(k.input(q, true), Some(Input::Type('q')));
        assert_eq!(k.input(q, false), Some(Input::Do(Action::Quit)));
        let ctrl_c = key(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(k.input(ctrl_c, true), Some(Input::Do(Action::Quit)));
        assert_eq!(
            k.input(key(KeyCode::Tab, KeyModifiers::NONE), true),
            Some(Input::Do(Action::NextField))
        );
        assert_eq!(
            k.input(key(KeyCode::BackTab, KeyModifiers::SHIFT), false),
            Some(Input::Do(Action::PrevField))
        );
        assert_eq!(
            k.input(key(KeyCode::Char('?'), KeyModifiers::SHIFT), false),
            Some(Input::Do(Action::Help))
        );
        assert_eq!(
            k.input(key(KeyCode::F(2), KeyModifiers::NONE), true),
            Some(Input::Do(Action::Language))
        );
    }
}
