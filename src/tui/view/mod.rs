//! Drawing: a pure function of the app state.
//!
//! ```text
//! ┌ title bar: hawiz · stack · region · account · language ───────────────┐
//! │ steps        │ form (or review / build / final / resume) │ explanation │
//! └──────────────┴───────────────────────────────────────────┴─────────────┘
//!  footer: the keys that matter here (from assets/keys.toml)
//! ```

mod build;
mod help;
mod resume;
mod review;
mod wizard;

use super::app::{App, Loadable, Screen};
use super::keys::Action;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub const SPINNER: [&str; 4] = ["◐", "◓", "◑", "◒"];

pub fn draw(frame: &mut Frame, app: &App) {
    let [top, body, foot] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(5),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    title_bar(frame, app, top);
    match &app.screen {
        Screen::Resume {
            selected,
            confirm_destroy,
        } => resume::draw(frame, app, body, *selected, *confirm_destroy),
        Screen::Wizard => wizard::draw(frame, app, body),
        Screen::Review { confirm } => review::draw(frame, app, body, *confirm),
        Screen::Build => build::draw(frame, app, body),
        Screen::Final => build::draw_final(frame, app, body),
    }
    footer(frame, app, foot);
    if app.help {
        help::draw(frame, app);
    }
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
    let k = |a: Action| app.keys.key_for(a).unwrap_or("?").to_string();
    let items: Vec<(String, &str)> = match &app.screen {
        Screen::Resume {
            confirm_destroy: true,
            ..
        } => {
            vec![
                (k(Action::Yes), app.t("yes, destroy", "예, 삭제")),
                ("esc".into(), app.t("cancel", "취소")),
            ]
        }
        Screen::Resume { .. } => vec![
            ("↑↓".into(), app.t("choose", "선택")),
            (k(Action::Confirm), app.t("continue", "계속")),
            (k(Action::View), app.t("view", "보기")),
            (k(Action::Destroy), app.t("destroy", "삭제")),
            (k(Action::New), app.t("new", "새로")),
        ],
        Screen::Wizard => vec![
            ("tab".into(), app.t("next field", "다음 항목")),
            ("←→".into(), app.t("change", "변경")),
            (k(Action::Confirm), app.t("accept", "확인")),
            (k(Action::NextStep), app.t("next step", "다음 단계")),
        ],
        Screen::Review { confirm: false } => {
            vec![
                (k(Action::Confirm), app.t("build…", "구축…")),
                ("esc".into(), app.t("back", "뒤로")),
            ]
        }
        Screen::Review { confirm: true } => {
            vec![
                (k(Action::Confirm), app.t("yes, build now", "예, 지금 구축")),
                ("esc".into(), app.t("not yet", "아직")),
            ]
        }
        Screen::Build => match &app.build {
            Some(b) if b.finished && b.succeeded() && !b.destroying => {
                vec![(k(Action::Confirm), app.t("finish", "마침"))]
            }
            Some(b) if b.finished && !b.succeeded() && !b.destroying => vec![
                (k(Action::Retry), app.t("retry", "다시 시도")),
                (
                    k(Action::Quit),
                    app.t("leave; resume later", "나가기 (나중에 이어서)"),
                ),
            ],
            Some(b) if b.finished => vec![(k(Action::Confirm), app.t("close", "닫기"))],
            _ => vec![(
                k(Action::Quit),
                app.t("leave; resume later", "나가기 (나중에 이어서)"),
            )],
        },
        Screen::Final => vec![(k(Action::Confirm), app.t("quit", "종료"))],
    };
    let mut spans = Vec::new();
    for (key, what) in items.iter().chain(
        [
            (k(Action::Language), app.t("한국어", "English")),
            (k(Action::Help), app.t("help", "도움말")),
        ]
        .iter(),
    ) {
        spans.push(Span::styled(format!(" {key}"), th.key()));
        spans.push(Span::styled(format!(" {what} "), th.muted()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
