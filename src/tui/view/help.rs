//! The `?` overlay: every key binding, generated from the keymap.

use super::super::app::App;
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

pub fn draw(frame: &mut Frame, app: &App) {
    let th = &app.theme;
    let area = frame.area();
    let [row] = Layout::vertical([Constraint::Percentage(90)])
        .flex(Flex::Center)
        .areas(area);
    let [area] = Layout::horizontal([Constraint::Percentage(90)])
        .flex(Flex::Center)
        .areas(row);
    let lines: Vec<Line> = app
        .keys
        .help(app.lang)
        .into_iter()
        .map(|(key, desc)| {
            Line::from(vec![
                Span::styled(format!("{key:>10}  "), th.key()),
                Span::styled(desc, th.text()),
            ])
        })
        .collect();
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::bordered()
                .border_style(th.border(true))
                .title(Span::styled(
                    format!(" {} ", app.t("Keys (esc to close)", "키 (esc로 닫기)")),
                    th.title(),
                )),
        ),
        area,
    );
}
