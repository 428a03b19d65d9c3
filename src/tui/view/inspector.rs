//! The inspector over the build and final screens: the selected resource's wiring as
//! read from AWS (route table routes, security-group rules and their sources, the target
//! group's health check, the launch template's user data). It scrolls.

use super::super::app::{App, Loadable};
use super::{SPINNER, para, scrolled};
use crate::ops::inspect::Line as Fact;
use crate::tui::app::Scroller;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear};

pub fn area(full: Rect) -> Rect {
    // The whole body: a partly covered screen would show through its wide characters.
    let [_, body, _] = super::frame_areas(full);
    body
}

pub fn lines(app: &App, width: u16) -> Vec<Line<'static>> {
    let th = &app.theme;
    let Some(i) = &app.inspector else {
        return vec![];
    };
    let mut out = vec![Line::from(vec![
        Span::styled(format!("{} ", app.lang.kind(i.kind)), th.muted()),
        Span::styled(i.id.clone(), th.accent()),
    ])];
    if let Some(link) = &i.link {
        // Whole on its own line (the panel pans), and `c` copies it.
        out.push(Line::from(Span::styled(
            format!(
                "{} ({} {})",
                app.t("Console:", "콘솔:"),
                app.keys.short(crate::tui::keys::Action::Copy),
                app.t("copies it", "복사")
            ),
            th.muted(),
        )));
        out.push(Line::from(Span::styled(link.clone(), th.accent())));
    }
    if let Some(e) = &i.error {
        out.extend(para(
            &format!("✗ {} {}", app.t("Failed:", "실패:"), e.text),
            th.error(),
            width,
        ));
        if let Some(advice) = crate::ops::advice::of(e) {
            out.extend(para(
                &format!("  → {}", advice.text(app.lang)),
                th.warning(),
                width,
            ));
        }
    }
    match &i.body {
        Loadable::Ready(ins) => {
            for l in &ins.lines {
                match l {
                    Fact::Heading { en, ko } => {
                        out.push(Line::raw(""));
                        out.push(Line::from(Span::styled(
                            app.lang.pick(en, ko).to_string(),
                            th.title(),
                        )));
                    }
                    Fact::Item(text) => {
                        out.extend(para(&format!("  {text}"), th.text(), width));
                    }
                    Fact::Note { en, ko } => {
                        out.push(Line::raw(""));
                        out.extend(para(app.lang.pick(en, ko), th.muted(), width));
                    }
                }
            }
        }
        Loadable::Failed(e) => {
            out.extend(para(
                &format!("{} {e}", app.t("Could not read it:", "읽지 못했습니다:")),
                th.error(),
                width,
            ));
        }
        _ => out.push(Line::from(Span::styled(
            format!(
                "{} {}",
                SPINNER[(app.tick % 4) as usize],
                app.t("reading it from AWS…", "AWS에서 읽는 중…")
            ),
            th.muted(),
        ))),
    }
    out
}

pub fn draw(frame: &mut Frame, app: &App) {
    let th = &app.theme;
    let Some(i) = &app.inspector else { return };
    let area = area(frame.area());
    let lines = lines(app, super::inner(area).width);
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .border_style(th.border(true))
        .title(Span::styled(
            format!(" {} {} ", app.t("Inspect", "살펴보기"), i.name),
            th.title(),
        ));
    scrolled(
        frame,
        app,
        Some(Scroller::Inspector),
        area,
        block,
        lines,
        usize::from(i.scroll),
    );
}
