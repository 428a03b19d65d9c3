//! The build screen: progress rows with a selection for the inspector, the log, the
//! architecture diagram (`diagram`) and the resources with console links; the same screen
//! shows a destroy, a drill, and a look at a saved stack. Times come from `now` and stop
//! when the run ended.

use super::super::app::App;
use super::super::theme::{Mood, Theme};
use super::{SPINNER, para, scrolled};
use crate::progress::{BuildState, RowState, RunKind};
use crate::tui::app::Scroller;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use std::time::Instant;

pub(super) fn mood(state: RowState) -> Mood {
    match state {
        RowState::Waiting => Mood::Waiting,
        RowState::Working => Mood::Busy,
        RowState::Ready | RowState::Gone => Mood::Ok,
        RowState::Failed => Mood::Failed,
        RowState::Blocked | RowState::Kept => Mood::Muted,
        RowState::Unknown => Mood::Waiting,
    }
}

use crate::time::span as secs;

/// Progress, log, diagram, resources. A run that stopped gives the log (with the
/// failure in full) half of the left side.
pub fn areas(b: &BuildState, area: Rect) -> [Rect; 4] {
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area);
    let log = if b.finished() && !b.succeeded() {
        Constraint::Percentage(50)
    } else {
        Constraint::Length(7)
    };
    let [progress, log] = Layout::vertical([Constraint::Min(5), log]).areas(left);
    let [diagram, resources] =
        Layout::vertical([Constraint::Length(12), Constraint::Min(3)]).areas(right);
    [progress, log, diagram, resources]
}

pub fn draw(frame: &mut Frame, app: &App, area: Rect, now: Instant) {
    let th = &app.theme;
    let Some(b) = &app.build else {
        frame.render_widget(
            Paragraph::new(app.t("Preparing…", "준비 중…")).style(th.muted()),
            area,
        );
        return;
    };
    let [progress, log, diagram, resources] = areas(b, area);
    progress_panel(frame, app, b, progress, now);
    log_panel(frame, th, app, b, log);
    super::diagram::draw(frame, app, b, diagram);
    resources_panel(frame, app, b, resources);
}

/// A drill's panel: what it does while it runs, its table and meaning when it is done.
fn drill_lines(app: &App, b: &BuildState, width: u16) -> Vec<Line<'static>> {
    let th = &app.theme;
    let mut lines = Vec::new();
    let Some(r) = &b.drill else {
        let text = if b.finished() {
            app.t(
                "The drill did not run to the end (see the log).",
                "훈련이 끝까지 진행되지 않았습니다 (로그 참고).",
            )
        } else {
            app.t(
                "Watching once a second: target health, the group's activities (or the database's status and events) and the site. Leaving now only stops watching: the stack heals on its own.",
                "1초마다 지켜봅니다: 대상 상태, 그룹의 활동(또는 데이터베이스의 상태와 이벤트)과 사이트. 지금 나가도 지켜보기만 멈출 뿐, 스택은 스스로 복구합니다.",
            )
        };
        lines.extend(para(text, th.muted(), width));
        return lines;
    };
    let rows = crate::ops::drill::table(r, app.lang);
    let w = rows
        .iter()
        .map(|(l, _)| Span::raw(l.as_str()).width())
        .max()
        .unwrap_or(0);
    for (label, value) in rows {
        let pad = " ".repeat(w.saturating_sub(Span::raw(label.as_str()).width()));
        lines.extend(para(&format!("{label}{pad}  {value}"), th.text(), width));
    }
    lines.push(Line::raw(""));
    lines.extend(para(
        &crate::ops::drill::meaning(r, app.lang),
        th.accent(),
        width,
    ));
    lines.extend(para(
        app.t(
            "Enter: back to the saved setups.",
            "Enter: 저장된 설정으로 돌아가기.",
        ),
        th.muted(),
        width,
    ));
    lines
}

fn progress_panel(frame: &mut Frame, app: &App, b: &BuildState, area: Rect, now: Instant) {
    let th = &app.theme;
    if b.kind == RunKind::Drill {
        let lines = drill_lines(app, b, area.width.saturating_sub(2));
        frame.render_widget(
            Paragraph::new(lines).block(Block::bordered().border_style(th.border(true)).title(
                Span::styled(
                    format!(
                        " {} · {} ",
                        if b.finished() {
                            app.t("Drill done", "훈련 끝")
                        } else {
                            app.t("Drill running", "훈련 중")
                        },
                        secs(b.elapsed(now).as_secs())
                    ),
                    th.title(),
                ),
            )),
            area,
        );
        return;
    }
    let order = b.order();
    let chosen = b.selected_index();
    let mut lines: Vec<Line> = Vec::new();
    let width = area.width.saturating_sub(2) as usize;
    // Every name starts with the stack's; the rest is what tells rows apart (`private-rt-a`
    // and `-c`), so a name too long for its column keeps its start and end. A narrow list gives up
    // the bar first (the time says as much), then the kind's length; the inspector shows
    // both whole.
    let prefix = format!("{}-", b.stack);
    let path = format!("{}/", crate::names::parameters(&b.stack));
    let short_of = |name: &str| -> String {
        name.strip_prefix(&prefix)
            .or_else(|| name.strip_prefix(&path))
            .unwrap_or(name)
            .to_string()
    };
    let bar_len = if width >= 60 { 8usize } else { 0 };
    // The kind as wide as the room left beside a typical name (14), from 11 to 17.
    let bar = if bar_len > 0 { bar_len + 1 } else { 0 };
    let kind_width = width.saturating_sub(2 + bar + 17 + 14).clamp(11, 17);
    let show_kind = width >= 36;
    for (pos, i) in order.iter().enumerate() {
        let r = &b.rows[*i];
        let icon = match r.state {
            RowState::Waiting => "·".to_string(),
            RowState::Working if b.finished() => "◌".to_string(),
            RowState::Working => SPINNER[(app.tick % 4) as usize].to_string(),
            RowState::Ready | RowState::Gone => "✓".into(),
            RowState::Failed => "✗".into(),
            RowState::Blocked => "⊘".into(),
            RowState::Kept => "=".into(),
            RowState::Unknown => "?".into(),
        };
        let elapsed = r.elapsed(now, b.ended);
        let typical = r.typical().max(1);
        let filled = match r.state {
            RowState::Ready | RowState::Gone => bar_len,
            RowState::Working => {
                ((elapsed as f64 / typical as f64).min(0.95) * bar_len as f64) as usize
            }
            _ => 0,
        };
        let time = match r.state {
            RowState::Waiting | RowState::Blocked | RowState::Kept | RowState::Unknown => {
                String::new()
            }
            _ => format!("{} / ~{}", secs(elapsed), secs(typical)),
        };
        // icon, name, bar, time; the kind too when there is room.
        let fixed = 2 + bar + 17 + if show_kind { kind_width } else { 0 };
        let name_width = width.saturating_sub(fixed).max(8);
        let name = crate::i18n::text::fit_middle(&short_of(&r.name), name_width);
        let here = pos == chosen && b.selected.is_some();
        let style = |m| if here { th.selected() } else { th.mood(m) };
        let mut spans = vec![Span::styled(format!("{icon} "), style(mood(r.state)))];
        if show_kind {
            let kind = crate::i18n::text::fit(app.lang.kind(r.kind), kind_width - 1);
            spans.push(Span::styled(
                format!("{kind} "),
                if here { th.selected() } else { th.muted() },
            ));
        }
        spans.push(Span::styled(name, style(mood(r.state))));
        if bar_len > 0 {
            spans.push(Span::styled(
                format!(" {}{}", "█".repeat(filled), "░".repeat(bar_len - filled)),
                style(mood(r.state)),
            ));
        }
        spans.push(Span::styled(format!(" {time}"), th.muted()));
        lines.push(Line::from(spans));
    }
    let total = b.rows.len();
    let done = b.count(RowState::Ready) + b.count(RowState::Gone) + b.count(RowState::Kept);
    let verb = match (b.kind, b.finished(), b.succeeded()) {
        (RunKind::View, _, _) => app.t("Present", "있음"),
        (RunKind::Destroy, true, true) => app.t("Deleted", "삭제됨"),
        (RunKind::Destroy, true, false) => app.t("Delete stopped", "삭제 중단"),
        (RunKind::Destroy, false, _) => app.t("Deleting", "삭제 중"),
        (RunKind::Build, true, true) => app.t("Built", "구축됨"),
        (RunKind::Build, true, false) => app.t("Stopped", "중단됨"),
        (RunKind::Build, false, _) => app.t("Building", "구축 중"),
        (RunKind::Drill, true, _) => app.t("Drill done", "훈련 끝"),
        (RunKind::Drill, false, _) => app.t("Drill running", "훈련 중"),
    };
    // What stays on purpose is neither deleted nor to delete: counted apart.
    let kept = b.count(RowState::Kept);
    let title = if kept > 0 && b.kind == RunKind::Destroy {
        format!(
            " {verb} {}/{} · {} {kept} · {} ",
            done - kept,
            total - kept,
            app.t("kept", "남김"),
            secs(b.elapsed(now).as_secs())
        )
    } else {
        format!(
            " {verb} {done}/{total} · {} ",
            secs(b.elapsed(now).as_secs())
        )
    };
    let mut block = Block::bordered()
        .border_style(th.border(true))
        .title(Span::styled(title, th.title()));
    if b.finished() {
        let (text, style) = if b.succeeded() {
            (app.t(" done ", " 완료 "), th.mood(Mood::Ok))
        } else if b.kind == RunKind::View {
            (
                app.t(
                    " not everything is as planned: see the log ",
                    " 계획과 다른 것이 있습니다: 로그를 보세요 ",
                ),
                th.warning(),
            )
        } else {
            (
                app.t(
                    " stopped: why is at the top of the log ",
                    " 중단됨: 이유는 로그 맨 위에 ",
                ),
                th.error(),
            )
        };
        block = block.title_bottom(Span::styled(text, style));
    }
    // The chosen row stays in view.
    let height = usize::from(area.height.saturating_sub(2));
    let offset = if b.selected.is_some() && chosen >= height {
        chosen + 1 - height
    } else {
        0
    };
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((u16::try_from(offset).unwrap_or(0), 0))
            .block(block),
        area,
    );
}

/// The log's lines: the failure in full, what failed with the advice, what to do next,
/// then every event, in the user's language.
pub fn log_lines(app: &App, b: &BuildState, width: u16) -> Vec<Line<'static>> {
    let th = &app.theme;
    let mut lines: Vec<Line<'static>> = Vec::new();
    if let Some(f) = &b.failure {
        if f.findings.is_empty() {
            for l in f.message.lines() {
                lines.extend(para(l, th.error(), width));
            }
        } else {
            lines.extend(para(
                app.t(
                    "The build was refused; nothing was created:",
                    "구축이 거부되었습니다. 아무것도 만들지 않았습니다:",
                ),
                th.error(),
                width,
            ));
            for x in &f.findings {
                lines.extend(para(
                    &format!("  ✗ {}", x.text(app.lang)),
                    th.error(),
                    width,
                ));
            }
        }
    }
    for r in b.failed_rows() {
        let error = r.error.clone().unwrap_or_default();
        lines.extend(para(&format!("✗ {}: {error}", r.name), th.error(), width));
        if let Some(hint) = crate::ops::advice::of(&error).map(|a| a.text(app.lang)) {
            lines.extend(para(&format!("  → {hint}"), th.warning(), width));
        }
    }
    // What could not be checked, each with why; the advice once.
    let mut advised = Vec::new();
    for r in b.unknown_rows() {
        let error = r.error.clone().unwrap_or_default();
        lines.extend(para(
            &format!(
                "? {}: {} {error}",
                r.name,
                app.t("could not check:", "확인하지 못함:")
            ),
            th.warning(),
            width,
        ));
        if let Some(hint) = crate::ops::advice::of(&error).map(|a| a.text(app.lang))
            && !advised.contains(&hint)
        {
            lines.extend(para(&format!("  → {hint}"), th.warning(), width));
            advised.push(hint);
        }
    }
    for r in b
        .rows
        .iter()
        .filter(|r| b.kind == RunKind::View && r.state == RowState::Blocked && r.error.is_some())
    {
        lines.extend(para(
            &format!(
                "⊘ {}: {}",
                r.name,
                r.error
                    .as_ref()
                    .map(|e| e.text.as_str())
                    .unwrap_or_default()
            ),
            th.muted(),
            width,
        ));
    }
    for (k, why) in &b.left {
        lines.extend(para(&format!("✗ {k}: {why}"), th.error(), width));
    }
    if b.finished() && !b.succeeded() {
        let next = match b.kind {
            RunKind::Build if b.rows.iter().any(|r| r.id.is_some()) => app.t(
                "What was made is in place and recorded. Esc: back to the answers (all kept; fix and build again) · r: retry as is · q: leave; `hawiz` resumes later.",
                "만든 것은 그대로 있고 기록되었습니다. Esc: 답으로 돌아가기 (모두 유지, 고쳐서 다시 구축) · r: 그대로 다시 시도 · q: 나가기 (나중에 `hawiz`로 이어서).",
            ),
            // Saying "what was made is in place" when nothing was would mislead.
            RunKind::Build => app.t(
                "Nothing was made. Esc: back to the answers (all kept; fix and build again) · r: retry as is · q: leave.",
                "아무것도 만들지 않았습니다. Esc: 답으로 돌아가기 (모두 유지, 고쳐서 다시 구축) · r: 그대로 다시 시도 · q: 나가기.",
            ),
            RunKind::View => app.t(
                "Enter: back to the saved setups. Continuing the stack makes what is missing and removes what left the plan; deleting it removes what is tagged with it.",
                "Enter: 저장된 설정으로 돌아가기. 스택을 이어서 하면 없는 것을 만들고 계획에서 빠진 것을 지우며, 삭제하면 스택 태그가 붙은 것을 지웁니다.",
            ),
            _ => app.t(
                "Enter: back to the saved setups; deleting again picks up what is left.",
                "Enter: 저장된 설정으로 돌아가기. 다시 삭제하면 남은 것부터 이어서 합니다.",
            ),
        };
        lines.extend(para(next, th.warning(), width));
    }
    let lang = app.lang;
    for (at, ev) in &b.log {
        let stamp = at.saturating_duration_since(b.started).as_secs_f64();
        let text = match ev {
            crate::ops::Event::Resource(e) => {
                let line = crate::progress::Lines::new(lang).line(e);
                // The line's own stamp is from its own clock: use the event's.
                line.split_once("] ")
                    .map_or(line.clone(), |(_, rest)| rest.to_string())
            }
            crate::ops::Event::Phase(p) => format!("== {} ==", p.text(lang)),
            crate::ops::Event::Note { en, ko } => lang.pick(en, ko).to_string(),
            crate::ops::Event::Up(_) => lang
                .pick(
                    "The stack is built; its database's standby is being added. Enter shows the site's details meanwhile.",
                    "스택이 만들어졌습니다. 데이터베이스 대기 인스턴스를 추가하는 중입니다. 그동안 Enter로 사이트 정보를 봅니다.",
                )
                .to_string(),
        };
        lines.extend(para(&format!("[{stamp:>6.1}s] {text}"), th.muted(), width));
    }
    lines
}

fn log_panel(frame: &mut Frame, th: &Theme, app: &App, b: &BuildState, area: Rect) {
    let lines = log_lines(app, b, super::inner(area).width);
    let height = usize::from(area.height.saturating_sub(2));
    // Following the newest lines until the user scrolls.
    let offset = b
        .log_scroll
        .map_or(lines.len().saturating_sub(height), usize::from);
    let block = Block::bordered()
        .border_style(th.border(false))
        .title(Span::styled(app.t(" Log ", " 로그 "), th.title()));
    scrolled(frame, app, Some(Scroller::Log), area, block, lines, offset);
}

fn resources_panel(frame: &mut Frame, app: &App, b: &BuildState, area: Rect) {
    let th = &app.theme;
    let width = usize::from(super::inner(area).width);
    let mut lines: Vec<Line> = Vec::new();
    // An ID that does not fit beside its kind goes under it; one wider than the panel
    // (an ARN) keeps its start and end around a `…`, and like a link that does not fit
    // is left whole to the inspector (which pans) and `c` (copies), said at the top.
    let mut links_left = false;
    for r in b
        .rows
        .iter()
        .filter(|r| r.id.is_some() && matches!(r.state, RowState::Ready | RowState::Working))
    {
        let id = r.id.clone().unwrap_or_default();
        let kind = format!("{} ", crate::i18n::text::pad(app.lang.kind(r.kind), 16));
        if crate::i18n::text::columns(&kind) + id.len() <= width {
            lines.push(Line::from(vec![
                Span::styled(kind, th.muted()),
                Span::styled(id, th.accent()),
            ]));
        } else {
            lines.push(Line::from(Span::styled(
                kind.trim_end().to_string(),
                th.muted(),
            )));
            let room = width.saturating_sub(2);
            let shown = if id.len() > room {
                links_left = true;
                crate::i18n::text::fit_middle(&id, room)
            } else {
                id
            };
            lines.push(Line::from(Span::styled(format!("  {shown}"), th.accent())));
        }
        match r.console(&b.region) {
            Some(link) if link.len() + 2 <= width => {
                lines.push(Line::from(Span::styled(format!("  {link}"), th.muted())));
            }
            Some(_) => links_left = true,
            None => {}
        }
    }
    if links_left {
        let k = |a| app.keys.short(a);
        lines.insert(
            0,
            Line::from(Span::styled(
                app.lang
                    .pick(
                        &format!(
                            "IDs, links: {} inspect · {} copy",
                            k(crate::tui::keys::Action::Inspect),
                            k(crate::tui::keys::Action::Copy)
                        ),
                        &format!(
                            "ID·링크: {} 살펴보기 · {} 복사",
                            k(crate::tui::keys::Action::Inspect),
                            k(crate::tui::keys::Action::Copy)
                        ),
                    )
                    .to_string(),
                th.key(),
            )),
        );
    }
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .border_style(th.border(false))
                .title(Span::styled(app.t(" Resources ", " 리소스 "), th.title())),
        ),
        area,
    );
}
