//! Text for the panels: word-wrapped by display width (Hangul takes two columns), in
//! bordered panels scrolled with marks that name the scroll keys.

use super::App;
use crate::tui::app::Scroller;
use crate::tui::keys::Action;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

/// Inside a bordered block.
pub fn inner(a: Rect) -> Rect {
    Block::bordered().inner(a)
}

/// A bordered panel of pre-wrapped lines scrolled to `offset`, with "more above/below"
/// marks on its bottom border naming the scroll keys. A line wider than the panel (a
/// command, an ID or a link is never broken) pans sideways when the panel is the one
/// the keys move (`pan`), with marks naming the pan keys.
pub fn scrolled<'a>(
    frame: &mut Frame,
    app: &App,
    pan: Option<Scroller>,
    area: Rect,
    block: Block<'a>,
    lines: Vec<Line<'a>>,
    offset: usize,
) {
    let height = usize::from(inner(area).height);
    let width = usize::from(inner(area).width);
    let max = lines.len().saturating_sub(height);
    let offset = offset.min(max);
    let mut block = block;
    let k = |a| app.keys.short(a);
    let (above, below) = (offset > 0, offset < max);
    if above || below {
        let text = match (above, below) {
            (true, true) => format!(
                " ▲▼ {}/{} {}/{} ",
                offset + height,
                lines.len(),
                k(Action::ScrollUp),
                k(Action::ScrollDown)
            ),
            (false, true) => format!(" ▼ {} {} ", k(Action::ScrollDown), app.t("more", "더 보기")),
            _ => format!(" ▲ {} ", k(Action::ScrollUp)),
        };
        block = block.title_bottom(Line::from(Span::styled(text, app.theme.key())).right_aligned());
    }
    let widest = lines.iter().map(Line::width).max().unwrap_or(0);
    let sideways = widest.saturating_sub(width);
    let x = pan.map_or(0, |s| usize::from(app.pan_of(s)).min(sideways));
    if sideways > 0 && pan.is_some() {
        let text = match (x > 0, x < sideways) {
            (true, true) => format!(" ◀▶ {}/{} ", k(Action::PanLeft), k(Action::PanRight)),
            (false, _) => format!(" ▶ {} {} ", k(Action::PanRight), app.t("wider", "더 넓음")),
            (true, false) => format!(" ◀ {} ", k(Action::PanLeft)),
        };
        block = block.title_bottom(Line::from(Span::styled(text, app.theme.key())).left_aligned());
    }
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((
                u16::try_from(offset).unwrap_or(u16::MAX),
                u16::try_from(x).unwrap_or(u16::MAX),
            ))
            .block(block),
        area,
    );
}

fn width_of(s: &str) -> usize {
    Span::raw(s).width()
}

/// Word-wrap styled lines to `width` display columns (Hangul takes two). Continuation
/// lines keep the first line's indentation, so a message stays under its mark.
pub fn wrap_lines(lines: Vec<Line<'static>>, width: u16) -> Vec<Line<'static>> {
    let width = usize::from(width).max(4);
    let mut out = Vec::new();
    for line in lines {
        if line.width() <= width {
            out.push(line);
            continue;
        }
        // A hanging indent under the text after a leading mark (`› ✗ `, `⚠ `, `• `).
        let lead: String = line
            .spans
            .iter()
            .flat_map(|s| s.content.chars())
            .take_while(|c| matches!(c, ' ' | '›' | '✗' | '⚠' | '•' | '→' | '✓'))
            .collect();
        let indent = if width_of(&lead) * 2 < width {
            " ".repeat(width_of(&lead))
        } else {
            String::new()
        };
        let mut current: Vec<Span<'static>> = Vec::new();
        let mut used = 0usize;
        for span in &line.spans {
            let style = span.style;
            for token in span.content.split_inclusive(' ') {
                let w = width_of(token);
                let bare = token.trim_end();
                if used > 0 && used + width_of(bare) > width {
                    out.push(trimmed(std::mem::take(&mut current)));
                    current.push(Span::raw(indent.clone()));
                    used = width_of(&indent);
                }
                let token = if used == width_of(&indent) && !current.is_empty() {
                    token.trim_start()
                } else {
                    token
                };
                if used + width_of(token.trim_end()) > width {
                    // Longer than a line: a command, a path, an ID or a link, never cut (a
                    // copied half fails). It stands on its own line; the panel pans.
                    current.push(Span::styled(token.trim_end().to_string(), style));
                    out.push(trimmed(std::mem::take(&mut current)));
                    current.push(Span::raw(indent.clone()));
                    used = width_of(&indent);
                    continue;
                }
                current.push(Span::styled(token.to_string(), style));
                used += w;
            }
        }
        // Not a line of indentation alone (left after a long token ended the text).
        if current.iter().any(|s| !s.content.trim().is_empty()) {
            out.push(trimmed(current));
        }
    }
    out
}

/// A wrapped line without the space it broke at.
fn trimmed(mut spans: Vec<Span<'static>>) -> Line<'static> {
    if let Some(last) = spans.last_mut() {
        let t = last.content.trim_end().to_string();
        last.content = t.into();
    }
    Line::from(spans)
}

/// A plain text as wrapped lines of one style.
pub fn para(text: &str, style: Style, width: u16) -> Vec<Line<'static>> {
    wrap_lines(
        vec![Line::from(Span::styled(text.to_string(), style))],
        width,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_styles_indentation_and_every_word() {
        let line = Line::from(vec![
            Span::raw("    ✗ "),
            Span::styled("one two three four five six", Style::default()),
        ]);
        let out = wrap_lines(vec![line], 16);
        let text: Vec<String> = out.iter().map(|l| l.to_string()).collect();
        assert!(
            text.iter().all(|l| Span::raw(l.as_str()).width() <= 16),
            "{text:?}"
        );
        assert!(text[1].starts_with("    "), "{text:?}");
        let words: String = text.join(" ");
        for w in ["one", "two", "three", "four", "five", "six"] {
            assert!(words.contains(w), "{w} kept: {text:?}");
        }
        let ko = wrap_lines(
            vec![Line::raw(
                "가용 영역 두 개에 퍼블릭 서브넷과 프라이빗 서브넷을 만듭니다",
            )],
            10,
        );
        assert!(ko.iter().all(|l| l.width() <= 10));
    }

    #[test]
    fn a_token_wider_than_the_line_stands_whole_on_its_own_line() {
        let url = "https://ap-northeast-2.console.aws.amazon.com/vpcconsole/home#VpcDetails";
        let out = wrap_lines(vec![Line::raw(format!("  Console: {url} (open it)"))], 30);
        let text: Vec<String> = out.iter().map(|l| l.to_string()).collect();
        assert_eq!(
            text,
            vec![
                "  Console:".to_string(),
                format!("  {url}"),
                "  (open it)".into()
            ],
            "{text:?}"
        );
        let alone = wrap_lines(vec![Line::raw(url)], 30);
        assert_eq!(alone.len(), 1, "no empty line after it");
    }
}
