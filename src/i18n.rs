//! The user's language: English or Korean (the labs are Korean). `--lang`, else the one
//! last chosen with F2 in the wizard (remembered between runs), else the locale's.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Ko,
}

impl Lang {
    pub fn toggle(self) -> Lang {
        match self {
            Lang::En => Lang::Ko,
            Lang::Ko => Lang::En,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ko => "ko",
        }
    }

    /// The language the locale asks for (`LC_ALL`, then `LC_MESSAGES`, then `LANG`, the
    /// first one set, as POSIX reads them): Korean for `ko…`, English for anything else.
    pub fn from_locale() -> Option<Lang> {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| std::env::var(k).ok())
            .find(|v| !v.trim().is_empty())
            .map(|v| Lang::of_locale(&v))
    }

    fn of_locale(value: &str) -> Lang {
        if value.to_ascii_lowercase().starts_with("ko") {
            Lang::Ko
        } else {
            Lang::En
        }
    }

    /// The language a run speaks: `--lang`, else the one the user chose last (F2, saved),
    /// else the locale's, else English.
    pub fn chosen(flag: Option<Lang>, saved: Option<Lang>) -> Lang {
        flag.or(saved)
            .or_else(Lang::from_locale)
            .unwrap_or_default()
    }

    /// A kind of resource as this language's screens name it: the code in English
    /// (`security-group`), the console's word in Korean (보안 그룹).
    pub fn kind(self, code: &str) -> &str {
        match self {
            Lang::En => code,
            Lang::Ko => korean::glossary::kind(code),
        }
    }

    /// Pick the text for this language.
    pub fn pick<'a>(self, en: &'a str, ko: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Ko => ko,
        }
    }
}

pub mod korean;
pub mod text;

/// `n` of a thing in English: "1 problem", "2 problems", "1 security group" (Korean
/// counts need no plural).
pub fn count(n: usize, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {one}s")
    }
}

/// A large number with thousands separators, as the console shows it: 16,777,216.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub use text::Text;

#[cfg(test)]
mod tests {
    #[test]
    fn counts_and_groups() {
        assert_eq!(super::count(1, "problem"), "1 problem");
        assert_eq!(super::count(2, "problem"), "2 problems");
        assert_eq!(super::grouped(16_777_216), "16,777,216");
        assert_eq!(super::grouped(65_536), "65,536");
        assert_eq!(super::grouped(256), "256");
    }

    #[test]
    fn the_flag_then_the_saved_choice_then_the_locale() {
        use super::Lang;
        assert_eq!(Lang::of_locale("ko_KR.UTF-8"), Lang::Ko);
        assert_eq!(Lang::of_locale("C.UTF-8"), Lang::En);
        assert_eq!(Lang::chosen(Some(Lang::En), Some(Lang::Ko)), Lang::En);
        assert_eq!(Lang::chosen(None, Some(Lang::Ko)), Lang::Ko);
    }
}
