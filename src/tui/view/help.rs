//! The help overlay: every key binding, generated from the keymap; it scrolls.

use super::super::app::App;
use super::{scrolled, wrap_lines};
use crate::tui::app::Scroller;
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear};

pub fn area(full: Rect) -> Rect {
    let [row] = Layout::vertical([Constraint::Percentage(90)])
        .flex(Flex::Center)
        .areas(full);
    let [area] = Layout::horizontal([Constraint::Percentage(90)])
        .flex(Flex::Center)
        .areas(row);
    area
}

pub fn lines(app: &App, width: u16) -> Vec<Line<'static>> {
    let th = &app.theme;
    let lines = app
        .keys
        .help(app.lang)
        .into_iter()
        .map(|(key, desc)| {
            Line::from(vec![
                Span::styled(
                    format!("{:>10}  ", super::super::keys::short(&key)),
                    th.key(),
                ),
                Span::styled(desc, th.text()),
            ])
        })
        .collect();
    // Descriptions wrap under themselves, not under the key.
    wrap_lines(lines, width)
}

pub fn draw(frame: &mut Frame, app: &App) {
    let th = &app.theme;
    let area = area(frame.area());
    let lines = lines(app, super::inner(area).width);
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .border_style(th.border(true))
        .title(Span::styled(
            format!(" {} ", app.t("Keys (Esc to close)", "키 (Esc로 닫기)")),
            th.title(),
        ));
    scrolled(
        frame,
        app,
        Some(Scroller::Help),
        area,
        block,
        lines,
        usize::from(app.help_scroll),
    );
}
