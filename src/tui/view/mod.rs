//! Drawing: a pure function of the app state and the time (passed in, never read here).
//!
//! ```text
//! ┌ title bar: hawiz · stack · region · account · language ───────────────┐
//! │ steps        │ form (or review / build / final / resume) │ explanation │
//! └──────────────┴───────────────────────────────────────────┴─────────────┘
//!  footer: the keys that matter here (from assets/keys.toml), scrolling included
//! ```
//!
//! Every panel whose text can be longer than it is drawn from lines wrapped here (by
//! display width) and scrolled; `draw` returns how long the scrolled panel's text was and
//! how much of it fit (`Extents`), which the loop hands back to `update`, so the scroll
//! keys stop at the last line.

mod build;
mod diagram;
mod dialog;
mod doctor;
mod finish;
mod footer;
mod help;
mod inspector;
mod resume;
pub mod review;
mod text;
mod wizard;

pub use dialog::fact;
pub use text::{inner, para, scrolled, wrap_lines};

use super::app::{App, Extents, Loadable, Screen, Scroller};
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use std::time::Instant;

pub const SPINNER: [&str; 4] = ["◐", "◓", "◑", "◒"];

/// The time a frame is drawn at, passed in so drawing never reads a clock (and tests
/// draw exact frames).
#[derive(Debug, Clone, Copy)]
pub struct Now {
    /// For timers (elapsed since a row started).
    pub at: Instant,
    /// For wall-clock facts (a schedule's next run).
    pub utc: chrono::DateTime<chrono::Utc>,
}

impl Now {
    /// The clocks now: only the loop calls this.
    pub fn read() -> Now {
        Now {
            at: Instant::now(),
            utc: chrono::Utc::now(),
        }
    }
}

/// The title bar, the screen, the footer.
fn frame_areas(area: Rect) -> [Rect; 3] {
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(5),
        Constraint::Length(1),
    ])
    .areas(area)
}

/// Draw a frame; returns what it showed of the panel the scroll keys move.
pub fn draw(frame: &mut Frame, app: &App, now: &Now) -> Extents {
    let [top, body, foot] = frame_areas(frame.area());
    title_bar(frame, app, top);
    match &app.screen {
        Screen::Resume {
            selected,
            confirm_destroy,
        } => resume::draw(frame, app, body, *selected, *confirm_destroy),
        Screen::Wizard => wizard::draw(frame, app, body, now),
        Screen::Doctor { selected, open, .. } => doctor::draw(frame, app, body, *selected, *open),
        Screen::Review => review::draw(frame, app, body),
        Screen::Build => build::draw(frame, app, body, now.at),
        Screen::Final => finish::draw(frame, app, body),
    }
    footer::footer(frame, app, foot);
    if app.inspector.is_some() {
        inspector::draw(frame, app);
    }
    if let Some(d) = &app.dialog {
        dialog::draw(frame, app, d);
    }
    if app.help {
        help::draw(frame, app);
    }
    extents(app, frame.area())
}

/// The scrolled panel of this screen as drawn in `full`: its text's length, its height,
/// and (on the review) where each entry starts.
pub fn extents(app: &App, full: Rect) -> Extents {
    let Some(s) = app.scroller() else {
        return Extents::default();
    };
    let (lines, height) = scroll_room(app, s, full);
    let (widest, width) = pan_room(app, s, full);
    let entries = match (&app.review, s) {
        (Some(r), Scroller::Review) => {
            let width = inner(review::areas(frame_areas(full)[1])[1]).width;
            let at = review::lines(app, width).1;
            r.entries()
                .iter()
                .map(|e| at.iter().find(|(x, _)| x == e).map_or(0, |(_, l)| *l))
                .collect()
        }
        _ => Vec::new(),
    };
    Extents {
        scroller: Some(s),
        lines,
        height,
        widest,
        width,
        entries,
    }
}

/// How many lines a scrolled panel has and how many it shows in a frame of `full`.
pub fn scroll_room(app: &App, s: Scroller, full: Rect) -> (usize, usize) {
    panel(app, s, full).map_or((0, 0), |(area, lines)| {
        (lines.len(), usize::from(inner(area).height))
    })
}

/// The widest line of a scrolled panel and its inner width in a frame of `full`.
pub fn pan_room(app: &App, s: Scroller, full: Rect) -> (usize, usize) {
    panel(app, s, full).map_or((0, 0), |(area, lines)| {
        (
            lines.iter().map(Line::width).max().unwrap_or(0),
            usize::from(inner(area).width),
        )
    })
}

/// A scrolled panel's area and lines as the frame draws them.
fn panel(app: &App, s: Scroller, full: Rect) -> Option<(Rect, Vec<Line<'static>>)> {
    if full.width == 0 || full.height == 0 {
        return None;
    }
    let [_, body, _] = frame_areas(full);
    Some(match s {
        Scroller::Help => {
            let a = help::area(full);
            (a, help::lines(app, inner(a).width))
        }
        Scroller::Inspector => {
            let a = inspector::area(full);
            (a, inspector::lines(app, inner(a).width))
        }
        Scroller::Dialog => match &app.dialog {
            Some(d) => dialog::layout(app, d, full),
            None => return None,
        },
        Scroller::Explanation => {
            let a = wizard::areas(body)[2];
            (
                a,
                wizard::explanation_lines(app, app.step, inner(a).width).1,
            )
        }
        Scroller::Review => {
            let a = review::areas(body)[1];
            (a, review::lines(app, inner(a).width).0)
        }
        Scroller::Log => match &app.build {
            Some(b) => {
                let a = build::areas(b, body)[1];
                (a, build::log_lines(app, b, inner(a).width))
            }
            None => return None,
        },
        Scroller::Final => {
            let a = finish::areas(body)[0];
            (a, finish::lines(app, inner(a).width))
        }
        Scroller::Doctor => (body, doctor::lines(app, inner(body).width)),
    })
}

fn title_bar(frame: &mut Frame, app: &App, area: Rect) {
    let th = &app.theme;
    let account = match &app.identity {
        Loadable::Ready(i) => format!("{} {}", app.t("account", "계정"), i.account),
        Loadable::Loading => format!(
            "{} {}",
            app.t("account", "계정"),
            SPINNER[(app.tick % 4) as usize]
        ),
        Loadable::Failed(_) => app.t("not signed in", "로그인 안 됨").to_string(),
        Loadable::Idle => String::new(),
    };
    // A run names its own stack (a stack looked at or destroyed from the resume screen
    // is not the answers' stack).
    let run = app
        .build
        .as_ref()
        .filter(|_| matches!(app.screen, Screen::Build | Screen::Final));
    let stack = run
        .map(|b| b.stack.as_str())
        .filter(|s| !s.is_empty())
        .unwrap_or(&app.plan.stack.name);
    let region = run
        .map(|b| b.region.as_str())
        .filter(|r| !r.is_empty())
        .unwrap_or(app.plan.region());
    let mut spans = vec![
        Span::styled(" hawiz ", th.selected()),
        Span::styled(format!(" {stack} · {region} · {account}"), th.text()),
    ];
    if app.sandbox {
        spans.push(Span::styled(
            format!(" · {}", app.t("SANDBOX", "샌드박스")),
            th.warning(),
        ));
    }
    if let Some(p) = &app.origin {
        let name = p.file_name().map_or_else(
            || p.display().to_string(),
            |n| n.to_string_lossy().to_string(),
        );
        spans.push(Span::styled(
            format!(" · {} {name}", app.t("editing", "편집 중")),
            th.accent(),
        ));
    }
    let lang = app.t("EN", "한국어");
    let used: usize = spans.iter().map(|s| s.width()).sum::<usize>() + Span::raw(lang).width() + 2;
    spans.push(Span::raw(
        " ".repeat((area.width as usize).saturating_sub(used)),
    ));
    spans.push(Span::styled(format!("[{lang}]"), th.accent()));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// A centred box of `w`% × `h` rows.
pub fn centered(area: Rect, percent_w: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [area] = Layout::horizontal([Constraint::Percentage(percent_w)])
        .flex(Flex::Center)
        .areas(row);
    area
}
