//! The dialogs over a screen: leaving, a saved stack's name, and an operation's question
//! as the run layer asked it (its facts in their tones, its choices, the question, the
//! keys that answer it), scrolled when it is longer than the screen.

use super::{App, SPINNER, centered, inner, para, scrolled};
use crate::ops::{Fact, Tone};
use crate::tui::app::Scroller;
use crate::tui::app::{Asking, Dialog, Loadable, Op};
use crate::tui::keys::Action;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear};

/// A fact of the run layer's question, wrapped, in its tone's style.
pub fn fact(app: &App, f: &Fact, width: u16) -> Vec<Line<'static>> {
    let th = &app.theme;
    let (mark, style) = match f.tone {
        Tone::Info => ("", th.text()),
        Tone::Warning => ("⚠ ", th.warning()),
        Tone::Danger => ("✗ ", th.error()),
    };
    para(&format!("{mark}{}", f.text.pick(app.lang)), style, width)
}

/// The title and the lines of a dialog at `width`.
fn content(app: &App, d: &Dialog, width: u16) -> (String, Vec<Line<'static>>) {
    let th = &app.theme;
    let k = |a| app.keys.short(a);
    let keys = |items: &[(String, &str)]| {
        let text: Vec<String> = items.iter().map(|(k, w)| format!("{k}: {w}")).collect();
        Line::from(Span::styled(text.join(" · "), th.key()))
    };
    match d {
        Dialog::Quit => {
            let mut lines = para(
                app.t(
                    "Your answers are saved and offered at the next start; anything already built stays and is resumed from where it stopped.",
                    "답은 저장되어 다음 시작 때 다시 제안됩니다. 이미 만든 것은 남아 있고, 멈춘 곳부터 이어서 진행합니다.",
                ),
                th.text(),
                width,
            );
            lines.push(Line::raw(""));
            lines.push(keys(&[
                (k(Action::Yes), app.t("leave", "나가기")),
                ("Esc".into(), app.t("stay", "머무르기")),
            ]));
            (app.t(" Leave hawiz? ", " hawiz를 나갈까요? ").into(), lines)
        }
        Dialog::SameName { stack } => (
            app.t(" This name is taken ", " 이미 있는 이름 ").into(),
            para(
                app.lang.pick(
                    &format!("A saved stack is already named {stack}. Building these answers under that name would change that stack. Enter: continue {stack} (its answers, what exists and what is left) · {}: keep these answers for {stack} (the review shows what they change) · Esc: choose another name.", k(Action::Yes)),
                    &format!("{stack} 이름의 스택이 이미 저장되어 있습니다. 이 이름으로 구축하면 그 스택이 바뀝니다. Enter: {stack} 이어서 하기 (저장된 답, 있는 것과 남은 것) · {}: 이 답을 {stack}에 적용 (검토 화면에 바뀌는 점이 나옵니다) · Esc: 다른 이름 고르기.", k(Action::Yes)),
                ),
                th.text(),
                width,
            ),
        ),
        Dialog::NewOverDraft => {
            let (stack, step, saved) = app
                .draft
                .as_ref()
                .map(|d| (d.plan.stack.name.as_str(), d.step, d.saved.as_str()))
                .unwrap_or_default();
            (
                app.t(" Unfinished answers ", " 마치지 않은 답 ").into(),
                para(
                    app.lang.pick(
                        &format!("The answers for {stack} (step {step}, saved {saved}) are not finished. hawiz keeps one set of unfinished answers: the new setup's first answer replaces them. Enter: continue them · {}: start new (they are replaced) · Esc: back.", k(Action::Yes)),
                        &format!("{stack}의 답(단계 {step}, {saved} 저장)을 아직 마치지 않았습니다. hawiz는 마치지 않은 답을 한 벌만 보관하므로, 새 설정에서 처음 답하는 순간 이 답은 바뀝니다. Enter: 이어서 하기 · {}: 새로 시작 (이 답은 바뀜) · Esc: 뒤로.", k(Action::Yes)),
                    ),
                    th.text(),
                    width,
                ),
            )
        }
        Dialog::Ask(a) => asking(app, a, width),
        Dialog::Leave { stack } => {
            let made = app.early.progress.tally().map_or(0, |t| t.ready + t.building);
            let mut lines = para(
                app.lang.pick(
                    &format!("{made} resources of {stack} were made while you answered, and they cost while they exist. Keep them: your answers are saved, and the next start (or `hawiz apply`) builds the rest. Delete them: hawiz deletes what it made, as `hawiz destroy {stack}` does, and asks first."),
                    &format!("답하는 동안 {stack}의 리소스 {made}개를 만들었고, 있는 동안 비용이 듭니다. 남기면 답이 저장되어 다음 시작(또는 `hawiz apply`) 때 나머지를 만듭니다. 지우면 `hawiz destroy {stack}`처럼 hawiz가 만든 것을 지우며, 먼저 묻습니다."),
                ),
                th.text(),
                width,
            );
            lines.push(Line::raw(""));
            lines.push(keys(&[
                ("Enter".into(), app.t("keep it and leave", "남기고 나가기")),
                (k(Action::Destroy), app.t("delete it", "삭제")),
                ("Esc".into(), app.t("stay", "머무르기")),
            ]));
            (
                app.t(" Leave with part of a stack built? ", " 스택을 일부 만든 채 나갈까요? ")
                    .into(),
                lines,
            )
        }
    }
}

fn asking(app: &App, a: &Asking, width: u16) -> (String, Vec<Line<'static>>) {
    let th = &app.theme;
    let k = |a| app.keys.short(a);
    let title = match &a.op {
        Op::Destroy { stack } => app
            .lang
            .pick(&format!(" Delete {stack} "), &format!(" {stack} 삭제 "))
            .to_string(),
        Op::Drill { .. } => app.t(" HA drill ", " HA 훈련 ").to_string(),
        Op::Early { .. } => app
            .t(" Build while answering ", " 답하는 동안 구축 ")
            .to_string(),
    };
    let mut lines = Vec::new();
    if let Op::Drill { .. } = a.op {
        lines.extend(para(
            app.t(
                "The lab's last step: break one part on purpose and watch the stack heal itself.",
                "실습의 마지막 단계입니다. 한 부분을 일부러 고장 내고 스택이 스스로 복구하는 것을 지켜봅니다.",
            ),
            th.text(),
            width,
        ));
        lines.push(Line::raw(""));
    }
    let mut keys = Vec::new();
    match &a.question {
        Loadable::Ready(q) => {
            for f in q.facts_for(&a.answer) {
                lines.extend(fact(app, &f, width));
            }
            if !q.options.is_empty() {
                lines.push(Line::raw(""));
            }
            for (i, o) in q.options.iter().enumerate() {
                let here = i == a.selected;
                lines.extend(para(
                    &format!(
                        "{} {} {} ({})",
                        if here { "›" } else { " " },
                        if a.answer.has(o.choice) { "[x]" } else { "[ ]" },
                        o.label.pick(app.lang),
                        o.choice.flag()
                    ),
                    if here { th.focus() } else { th.text() },
                    width,
                ));
            }
            lines.push(Line::raw(""));
            lines.extend(para(q.ask(app.lang), th.title(), width));
            keys.push(format!("{}: {}", k(Action::Yes), app.t("yes", "예")));
            if !q.options.is_empty() {
                keys.push(format!("Space: {}", app.t("choose", "선택")));
            }
            keys.push(format!("Esc: {}", app.t("no", "아니요")));
        }
        Loadable::Failed(why) => {
            for l in why.lines() {
                lines.extend(para(l, th.error(), width));
            }
            keys.push(format!("Esc: {}", app.t("close", "닫기")));
        }
        Loadable::Loading | Loadable::Idle => {
            lines.extend(para(
                &format!(
                    "{} {}",
                    SPINNER[(app.tick % 4) as usize],
                    app.t(
                        "Looking at the stack in AWS: what this would do, and what it needs your yes for…",
                        "AWS에서 스택을 살펴보는 중: 무엇을 하는지, 무엇에 동의가 필요한지…",
                    )
                ),
                th.muted(),
                width,
            ));
            keys.push(format!("Esc: {}", app.t("cancel", "취소")));
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::from(Span::styled(keys.join(" · "), th.key())));
    (title, lines)
}

/// Where a dialog of `lines` lines is drawn in `full`: 70 % wide, as tall as it needs
/// within the screen.
fn area_for(full: Rect, lines: usize) -> Rect {
    let height = u16::try_from(lines + 2)
        .unwrap_or(u16::MAX)
        .min(full.height.saturating_sub(2).max(3));
    centered(full, 70, height)
}

/// The dialog's lines and its area in `full` (for the scroll keys).
pub fn layout(app: &App, d: &Dialog, full: Rect) -> (Rect, Vec<Line<'static>>) {
    let width = inner(centered(full, 70, 10)).width;
    let (_, lines) = content(app, d, width);
    (area_for(full, lines.len()), lines)
}

pub fn draw(frame: &mut Frame, app: &App, d: &Dialog) {
    let th = &app.theme;
    let full = frame.area();
    let width = inner(centered(full, 70, 10)).width;
    let (title, lines) = content(app, d, width);
    let area = area_for(full, lines.len());
    let offset = match d {
        Dialog::Ask(a) => usize::from(a.scroll),
        _ => 0,
    };
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .border_style(th.border(true))
        .title(Span::styled(title, th.title()));
    scrolled(
        frame,
        app,
        Some(Scroller::Dialog),
        area,
        block,
        lines,
        offset,
    );
}
