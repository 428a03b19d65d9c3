//! The user's language: English or Korean (the labs are Korean). Chosen at run time with
//! a key, remembered between runs.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
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
}
