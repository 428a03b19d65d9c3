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
mod help;
mod inspector;
mod resume;
pub mod review;
mod wizard;

use super::app::{App, Dialog, Extents, Loadable, Screen, Scroller};
use super::keys::Action;
use crate::progress::RunKind;
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
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
        Screen::Review => review::draw(frame, app, body),
        Screen::Build => build::draw(frame, app, body, now.at),
        Screen::Final => build::draw_final(frame, app, body),
    }
    footer(frame, app, foot);
    if app.inspector.is_some() {
        inspector::draw(frame, app);
    }
    if let Some(d) = &app.dialog {
        dialog(frame, app, d);
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
        entries,
    }
}

/// How many lines a scrolled panel has and how many it shows in a frame of `full`.
pub fn scroll_room(app: &App, s: Scroller, full: Rect) -> (usize, usize) {
    if full.width == 0 || full.height == 0 {
        return (0, 0);
    }
    let [_, body, _] = frame_areas(full);
    let (area, lines) = match s {
        Scroller::Help => {
            let a = help::area(full);
            (a, help::lines(app, inner(a).width))
        }
        Scroller::Inspector => {
            let a = inspector::area(full);
            (a, inspector::lines(app, inner(a).width))
        }
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
            None => return (0, 0),
        },
        Scroller::Final => {
            let a = build::final_areas(body)[0];
            (a, build::final_lines(app, inner(a).width))
        }
    };
    (lines.len(), usize::from(inner(area).height))
}

/// Inside a bordered block.
pub fn inner(a: Rect) -> Rect {
    Block::bordered().inner(a)
}

/// A bordered panel of pre-wrapped lines scrolled to `offset`, with "more above/below"
/// marks on its bottom border naming the scroll keys.
pub fn scrolled<'a>(
    frame: &mut Frame,
    app: &App,
    area: Rect,
    block: Block<'a>,
    lines: Vec<Line<'a>>,
    offset: usize,
) {
    let height = usize::from(inner(area).height);
    let max = lines.len().saturating_sub(height);
    let offset = offset.min(max);
    let mut block = block;
    let (above, below) = (offset > 0, offset < max);
    if above || below {
        let k = |a| app.keys.short(a);
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
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((u16::try_from(offset).unwrap_or(u16::MAX), 0))
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
                    // Longer than a line: cut by characters.
                    let mut piece = String::new();
                    for c in token.chars() {
                        let cw = width_of(c.encode_utf8(&mut [0; 4]));
                        if used + cw > width {
                            current.push(Span::styled(std::mem::take(&mut piece), style));
                            out.push(trimmed(std::mem::take(&mut current)));
                            current.push(Span::raw(indent.clone()));
                            used = width_of(&indent);
                        }
                        piece.push(c);
                        used += cw;
                    }
                    if !piece.is_empty() {
                        current.push(Span::styled(piece, style));
                    }
                    continue;
                }
                current.push(Span::styled(token.to_string(), style));
                used += w;
            }
        }
        if !current.is_empty() {
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
    let mut spans = vec![
        Span::styled(" hawiz ", th.selected()),
        Span::styled(
            format!(
                " {} · {} · {account}",
                app.plan.stack.name,
                app.plan.region()
            ),
            th.text(),
        ),
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

fn footer(frame: &mut Frame, app: &App, area: Rect) {
    let th = &app.theme;
    let k = |a: Action| app.keys.short(a);
    let scroll = || {
        (
            format!("{}/{}", k(Action::ScrollDown), k(Action::ScrollUp)),
            app.t("scroll", "스크롤"),
        )
    };
    let items: Vec<(String, &str)> = if app.help {
        vec![scroll(), ("Esc".into(), app.t("close", "닫기"))]
    } else if let Some(d) = &app.dialog {
        match d {
            Dialog::Quit => vec![
                (k(Action::Yes), app.t("leave", "나가기")),
                ("Esc".into(), app.t("stay", "머무르기")),
            ],
            Dialog::Drill { .. } => vec![
                (k(Action::Yes), app.t("break it", "고장 내기")),
                ("Esc".into(), app.t("not now", "나중에")),
            ],
            Dialog::SameName { .. } => vec![
                ("Enter".into(), app.t("continue it", "이어서 하기")),
                (k(Action::Yes), app.t("keep answers", "답 유지")),
                ("Esc".into(), app.t("rename", "이름 바꾸기")),
            ],
        }
    } else if app.inspector.is_some() {
        vec![scroll(), ("Esc".into(), app.t("close", "닫기"))]
    } else {
        match &app.screen {
            Screen::Resume {
                confirm_destroy: true,
                ..
            } => vec![
                (k(Action::Yes), app.t("yes, delete", "예, 삭제")),
                ("Esc".into(), app.t("cancel", "취소")),
            ],
            Screen::Resume { .. } => vec![
                ("↑↓".into(), app.t("choose", "선택")),
                (k(Action::Confirm), app.t("continue", "계속")),
                (k(Action::View), app.t("view", "보기")),
                (k(Action::Destroy), app.t("delete", "삭제")),
                (k(Action::Drill), app.t("drill", "훈련")),
                (k(Action::New), app.t("new", "새로")),
            ],
            Screen::Wizard => vec![
                ("Tab".into(), app.t("next field", "다음 항목")),
                (k(Action::NextStep), app.t("next step", "다음 단계")),
                scroll(),
                ("Esc".into(), app.t("back", "뒤로")),
            ],
            Screen::Review => match &app.review {
                Some(r) if r.confirm => vec![
                    (k(Action::Confirm), app.t("yes, build now", "예, 지금 구축")),
                    ("Esc".into(), app.t("not yet", "아직")),
                ],
                _ => vec![
                    ("↑↓".into(), app.t("choose", "선택")),
                    (k(Action::Confirm), app.t("open / build", "열기 / 구축")),
                    (k(Action::Retry), app.t("check again", "다시 확인")),
                    scroll(),
                    ("Esc".into(), app.t("answers", "답으로")),
                ],
            },
            Screen::Build => match &app.build {
                Some(b) if b.finished() && b.kind == RunKind::Build && b.succeeded() => vec![
                    (k(Action::Confirm), app.t("finish", "마침")),
                    (k(Action::Inspect), app.t("inspect", "살펴보기")),
                    scroll(),
                ],
                Some(b) if b.finished() && b.kind == RunKind::Build => vec![
                    (
                        "Esc".into(),
                        app.t("back to the answers", "답으로 돌아가기"),
                    ),
                    (k(Action::Retry), app.t("retry", "다시 시도")),
                    (k(Action::Inspect), app.t("inspect", "살펴보기")),
                    scroll(),
                ],
                Some(b) if b.finished() => vec![
                    (k(Action::Confirm), app.t("close", "닫기")),
                    (k(Action::Inspect), app.t("inspect", "살펴보기")),
                    scroll(),
                ],
                _ => vec![
                    ("↑↓".into(), app.t("choose", "선택")),
                    (k(Action::Inspect), app.t("inspect", "살펴보기")),
                    scroll(),
                    (
                        k(Action::Quit),
                        app.t("stop; resume later", "중단 (나중에 이어서)"),
                    ),
                ],
            },
            Screen::Final => vec![
                (k(Action::Confirm), app.t("quit", "종료")),
                (k(Action::Drill), app.t("HA drill", "HA 훈련")),
                ("↑↓".into(), app.t("choose", "선택")),
                (k(Action::Inspect), app.t("inspect", "살펴보기")),
                scroll(),
            ],
        }
    };
    // Whole items only, as many as fit: the screen's own keys first, then help, then
    // the language switch.
    let mut spans = Vec::new();
    let mut used = 0usize;
    for (key, what) in items.iter().chain(
        [
            (k(Action::Help), app.t("help", "도움말")),
            (k(Action::Language), app.t("한국어", "English")),
        ]
        .iter(),
    ) {
        let key = Span::styled(format!(" {key}"), th.key());
        let what = Span::styled(format!(" {what} "), th.muted());
        let w = key.width() + what.width();
        if used + w > usize::from(area.width) {
            break;
        }
        used += w;
        spans.push(key);
        spans.push(what);
    }
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

fn dialog(frame: &mut Frame, app: &App, d: &Dialog) {
    let th = &app.theme;
    let k = |a| app.keys.short(a);
    let (title, text, keys): (&str, String, String) = match d {
        Dialog::Quit => (
            app.t(" Leave hawiz? ", " hawiz를 나갈까요? "),
            app.t(
                "Your answers are saved and offered at the next start; anything already built stays and is resumed from where it stopped.",
                "답은 저장되어 다음 시작 때 다시 제안됩니다. 이미 만든 것은 남아 있고, 멈춘 곳부터 이어서 진행합니다.",
            )
            .to_string(),
            format!(
                "{}: {} · Esc: {}",
                k(Action::Yes),
                app.t("leave", "나가기"),
                app.t("stay", "머무르기")
            ),
        ),
        Dialog::Drill { stack, part } => (
            app.t(" HA drill ", " HA 훈련 "),
            match part {
                crate::ops::drill::Part::Instance => app.lang.pick(
                    &format!("Terminate one app instance of {stack} through Auto Scaling on purpose, then watch the load balancer stop sending it traffic, the group launch a replacement, and the site keep answering (probed once a second). The lab's last step: it proves the stack heals itself."),
                    &format!("{stack}의 앱 인스턴스 하나를 Auto Scaling으로 일부러 종료하고, 로드 밸런서가 그 인스턴스로 트래픽을 보내지 않고 그룹이 대체 인스턴스를 시작하며 사이트가 계속 응답하는지(1초마다 확인) 지켜봅니다. 실습의 마지막 단계로, 스택이 스스로 복구함을 증명합니다."),
                ).to_string(),
                crate::ops::drill::Part::Database => app.lang.pick(
                    &format!("Reboot the database of {stack} with failover on purpose: the standby in the other AZ takes over (typically one to two minutes on AWS) while the site is probed once a second."),
                    &format!("{stack}의 데이터베이스를 장애 조치로 일부러 재부팅합니다. 다른 AZ의 대기 인스턴스가 넘겨받으며(AWS에서 보통 1-2분), 그동안 사이트를 1초마다 확인합니다."),
                ).to_string(),
            },
            format!(
                "{}: {} · Esc: {}",
                k(Action::Yes),
                app.t("break it on purpose", "일부러 고장 내기"),
                app.t("not now", "나중에")
            ),
        ),
        Dialog::SameName { stack } => (
            app.t(" This name is taken ", " 이미 있는 이름 "),
            app.lang
                .pick(
                    &format!("A saved stack is already named {stack}. Building these answers under that name would change that stack. Enter: continue {stack} (its answers, what exists and what is left) · {}: keep these answers for {stack} (the review shows what they change) · Esc: choose another name.", k(Action::Yes)),
                    &format!("{stack} 이름의 스택이 이미 저장되어 있습니다. 이 이름으로 구축하면 그 스택이 바뀝니다. Enter: {stack} 이어서 하기 (저장된 답, 있는 것과 남은 것) · {}: 이 답을 {stack}에 적용 (검토 화면에 바뀌는 점이 나옵니다) · Esc: 다른 이름 고르기.", k(Action::Yes)),
                )
                .to_string(),
            String::new(),
        ),
    };
    let area = centered(frame.area(), 70, 10);
    let width = inner(area).width;
    let mut lines = para(&text, th.text(), width);
    if !keys.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::from(Span::styled(keys, th.key())));
    }
    let height = u16::try_from(lines.len() + 2).unwrap_or(10);
    let area = centered(frame.area(), 70, height);
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::bordered()
                .border_style(th.border(true))
                .title(Span::styled(title, th.title())),
        ),
        area,
    );
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
}
