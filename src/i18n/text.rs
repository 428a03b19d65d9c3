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

/// A text padded with spaces to `cols` display columns (Hangul takes two).
pub fn pad(text: &str, cols: usize) -> String {
    format!("{text}{}", " ".repeat(cols.saturating_sub(columns(text))))
}

/// A text cut to at most `cols` display columns, then padded to them: for a column whose
/// full text is shown elsewhere (the inspector shows a row's whole kind).
pub fn fit(text: &str, cols: usize) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if columns(&out) + columns(c.encode_utf8(&mut [0; 4])) > cols {
            break;
        }
        out.push(c);
    }
    pad(&out, cols)
}

/// A text in at most `cols` display columns, padded: one that is longer keeps its start
/// and its end around a `…`, where names differ (`priv…rt-a` and `priv…rt-c`, `wp-d…ssword`
/// beside `db-password`).
pub fn fit_middle(text: &str, cols: usize) -> String {
    if columns(text) <= cols {
        return pad(text, cols);
    }
    let room = cols.saturating_sub(1);
    let (head_room, tail_room) = (room / 2, room - room / 2);
    let mut head = String::new();
    for c in text.chars() {
        if columns(&head) + columns(c.encode_utf8(&mut [0; 4])) > head_room {
            break;
        }
        head.push(c);
    }
    let mut tail: Vec<char> = Vec::new();
    for c in text.chars().rev() {
        let width: usize = tail
            .iter()
            .map(|t| columns(t.encode_utf8(&mut [0; 4])))
            .sum();
        if width + columns(c.encode_utf8(&mut [0; 4])) > tail_room {
            break;
        }
        tail.push(c);
    }
    let tail: String = tail.into_iter().rev().collect();
    pad(&format!("{head}…{tail}"), cols)
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
    use super::{columns, fit_middle, wrap};

    #[test]
    fn a_name_too_long_keeps_its_start_and_end() {
        assert_eq!(fit_middle("private-rt-a", 9), "priv…rt-a");
        assert_eq!(fit_middle("wp-db-password", 12), "wp-db…ssword");
        assert_eq!(fit_middle("vpc", 5), "vpc  ");
        assert_eq!(columns(&fit_middle("데이터베이스-서브넷", 7)), 7);
    }

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
