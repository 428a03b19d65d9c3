//! The footer: the keys that matter on this screen (from assets/keys.toml), whole items
//! only, as many as fit, then help and the language switch.

use super::App;
use crate::progress::RunKind;
use crate::tui::app::{Dialog, Screen};
use crate::tui::keys::Action;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub(super) fn footer(frame: &mut Frame, app: &App, area: Rect) {
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
            Dialog::Ask(a) => match (&a.question, &a.op) {
                (crate::tui::app::Loadable::Ready(q), op) => {
                    let yes = match op {
                        crate::tui::app::Op::Destroy { .. } => app.t("yes, delete", "예, 삭제"),
                        crate::tui::app::Op::Drill { .. } => app.t("break it", "고장 내기"),
                        crate::tui::app::Op::Early { .. } => app.t("build now", "지금 만들기"),
                    };
                    let mut keys = vec![(k(Action::Yes), yes)];
                    if !q.options.is_empty() {
                        keys.push(("↑↓".into(), app.t("choose", "선택")));
                        keys.push(("Space".into(), app.t("toggle", "바꾸기")));
                    }
                    keys.push(("Esc".into(), app.t("not now", "나중에")));
                    keys
                }
                (crate::tui::app::Loadable::Failed(_), _) => {
                    vec![("Esc".into(), app.t("close", "닫기"))]
                }
                _ => vec![("Esc".into(), app.t("cancel", "취소"))],
            },
            Dialog::SameName { .. } => vec![
                ("Enter".into(), app.t("continue it", "이어서 하기")),
                (k(Action::Yes), app.t("keep answers", "답 유지")),
                ("Esc".into(), app.t("rename", "이름 바꾸기")),
            ],
            Dialog::NewOverDraft => vec![
                ("Enter".into(), app.t("continue them", "이어서 하기")),
                (k(Action::Yes), app.t("start new", "새로 시작")),
                ("Esc".into(), app.t("back", "뒤로")),
            ],
            Dialog::Leave { .. } => vec![
                ("Enter".into(), app.t("keep it, leave", "남기고 나가기")),
                (k(Action::Destroy), app.t("delete it", "삭제")),
                ("Esc".into(), app.t("stay", "머무르기")),
            ],
        }
    } else if app.inspector.is_some() {
        vec![
            scroll(),
            (k(Action::Copy), app.t("copy link", "링크 복사")),
            ("Esc".into(), app.t("close", "닫기")),
        ]
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
            Screen::Wizard if app.step == 0 => vec![
                ("Tab".into(), app.t("next field", "다음 항목")),
                (k(Action::NextStep), app.t("next step", "다음 단계")),
                // (The explanation's border names the scroll keys; help and the
                // language switch must still fit at 80 columns.)
                (k(Action::Check), app.t("check setup", "기존 검사")),
                ("Esc".into(), app.t("back", "뒤로")),
            ],
            Screen::Wizard => vec![
                ("Tab".into(), app.t("next field", "다음 항목")),
                (k(Action::NextStep), app.t("next step", "다음 단계")),
                scroll(),
                ("Esc".into(), app.t("back", "뒤로")),
            ],
            Screen::Doctor { open: true, .. } => vec![
                (k(Action::New), app.t("adopt this VPC", "이 VPC 가져오기")),
                ("↑↓".into(), app.t("scroll", "스크롤")),
                ("Esc".into(), app.t("back", "뒤로")),
            ],
            Screen::Doctor { .. } => vec![
                ("↑↓".into(), app.t("choose", "선택")),
                (k(Action::Confirm), app.t("findings", "발견 사항")),
                (k(Action::Retry), app.t("read again", "다시 읽기")),
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
                Some(b) if b.up => vec![
                    (k(Action::Confirm), app.t("your site", "사이트 정보")),
                    ("↑↓".into(), app.t("choose", "선택")),
                    (k(Action::Inspect), app.t("inspect", "살펴보기")),
                    scroll(),
                    (
                        k(Action::Quit),
                        app.t("stop; resume later", "중단 (나중에 이어서)"),
                    ),
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
                (k(Action::Copy), app.t("copy link", "링크 복사")),
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
