//! Texts in both languages, and text measured as a terminal shows it (Hangul takes two
//! columns a character).

use super::Lang;

/// A text in English and Korean: every user-visible text exists in both.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text {
    pub en: String,
    pub ko: String,
}

impl Text {
    pub fn new(en: impl Into<String>, ko: impl Into<String>) -> Text {
        Text {
            en: en.into(),
            ko: ko.into(),
        }
    }

    pub fn pick(&self, lang: Lang) -> &str {
        lang.pick(&self.en, &self.ko)
    }
}

/// Columns a text takes on a terminal.
pub fn columns(s: &str) -> usize {
    ratatui::text::Span::raw(s).width()
}

/// Greedy word wrap by display width; words wider than the line are split.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut current = String::new();
    let mut used = 0;
    for word in text.split_whitespace() {
        let w = columns(word);
        let gap = usize::from(used > 0);
        if used + gap + w <= width {
            if gap == 1 {
                current.push(' ');
            }
            current.push_str(word);
            used += gap + w;
            continue;
        }
        if used > 0 {
            lines.push(std::mem::take(&mut current));
            used = 0;
        }
        // A word longer than a line: cut it by characters.
        for c in word.chars() {
            let cw = columns(c.encode_utf8(&mut [0; 4]));
            if used + cw > width {
                lines.push(std::mem::take(&mut current));
                used = 0;
            }
            current.push(c);
            used += cw;
        }
    }
    if used > 0 {
        lines.push(current);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wraps_by_display_width() {
        assert_eq!(wrap("one two three", 7), vec!["one two", "three"]);
        // Hangul takes two columns each.
        for line in wrap(
            "가용 영역 두 개에 퍼블릭 서브넷과 프라이빗 서브넷을 만듭니다",
            10,
        ) {
            assert!(super::columns(&line) <= 10, "{line}");
        }
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert!(wrap("", 5).is_empty());
    }
}
