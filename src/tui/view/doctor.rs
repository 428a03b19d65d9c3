//! "Check an existing setup": the region's VPCs with a verdict each, then one VPC's
//! findings — what is wrong, why (the lab's step and its classic mistake), the fix — with
//! every command on one line (the panel pans), and what could not be checked.

use super::App;
use super::text::{para, scrolled, wrap_lines};
use crate::ops::doctor::{Report, Severity};
use crate::tui::app::{Loadable, Scroller};
use crate::tui::keys::Action;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Block;

fn severity_style(app: &App, s: Severity) -> Style {
    match s {
        Severity::High => app.theme.error(),
        Severity::Medium => app.theme.warning(),
        Severity::Info => app.theme.muted(),
    }
}

/// A fix: its words wrapped, each AWS CLI command whole on a line of its own (a command
/// wrapped at its spaces would be copied broken).
fn fix_lines(app: &App, fix: &str, width: u16) -> Vec<Line<'static>> {
    let mut pieces: Vec<&str> = Vec::new();
    let mut rest = fix;
    while let Some(at) = rest
        .find("aws ")
        .filter(|&at| at == 0 || rest[..at].ends_with(' '))
    {
        let next = rest[at + 4..]
            .find(" aws ")
            .map(|n| at + 4 + n + 1)
            .unwrap_or(rest.len());
        if at > 0 {
            pieces.push(&rest[..at]);
        }
        pieces.push(&rest[at..next]);
        rest = &rest[next..];
    }
    if !rest.is_empty() {
        pieces.push(rest);
    }
    let mut out = vec![Line::from(Span::styled(
        format!("  {}", app.t("fix:", "해결:")),
        app.theme.accent(),
    ))];
    for piece in pieces {
        let piece = piece.trim();
        if piece.starts_with("aws ") {
            out.push(Line::from(Span::styled(
                format!("    {piece}"),
                app.theme.text(),
            )));
        } else {
            out.extend(wrap_lines(
                vec![Line::from(Span::styled(
                    format!("    {piece}"),
                    app.theme.muted(),
                ))],
                width,
            ));
        }
    }
    out
}

/// One VPC's findings as the panel shows them.
pub fn findings(app: &App, r: &Report, width: u16) -> Vec<Line<'static>> {
    let th = &app.theme;
    let pick = |t: &crate::i18n::Text| app.lang.pick(&t.en, &t.ko).to_string();
    let s = &r.survey;
    let mut lines = para(
        &format!(
            "{} · {} · {}",
            if s.name.is_empty() { "-" } else { &s.name },
            r.region,
            pick(&r.verdict())
        ),
        th.title(),
        width,
    );
    lines.extend(para(
        app.t(
            "Read with describe calls only: nothing was changed. Highest first.",
            "describe 호출로 읽기만 했습니다: 바꾼 것은 없습니다. 높은 것부터.",
        ),
        th.muted(),
        width,
    ));
    for f in &r.findings {
        lines.push(Line::raw(""));
        lines.extend(wrap_lines(
            vec![Line::from(vec![
                Span::styled(
                    format!("[{}] ", f.severity.word(app.lang)),
                    severity_style(app, f.severity),
                ),
                Span::styled(pick(&f.what), th.text()),
            ])],
            width,
        ));
        lines.push(Line::from(Span::styled(
            format!("  {}", f.resource),
            th.muted(),
        )));
        lines.extend(wrap_lines(
            vec![Line::from(Span::styled(
                format!("  {} {}", app.t("why:", "이유:"), pick(&f.why)),
                th.text(),
            ))],
            width,
        ));
        lines.extend(fix_lines(app, &pick(&f.fix), width));
    }
    for u in &s.unchecked {
        lines.push(Line::raw(""));
        lines.extend(para(
            &format!("⚠ {} {}", app.t("not checked:", "검사 못 함:"), pick(u)),
            th.warning(),
            width,
        ));
    }
    lines.push(Line::raw(""));
    lines.extend(para(
        app.lang
            .pick(
                &format!(
                    "{} continues as a new setup that adopts {}: hawiz keeps its network as it is and builds what is missing (database, shared files, app tier, load balancer).",
                    app.keys.short(Action::New),
                    s.vpc
                ),
                &format!(
                    "{}를 누르면 {}를 가져오는 새 설정으로 이어집니다: hawiz는 네트워크를 그대로 두고 빠진 것(데이터베이스, 공유 파일, 앱 계층, 로드 밸런서)을 만듭니다.",
                    app.keys.short(Action::New),
                    s.vpc
                ),
            )
            ,
        th.accent(),
        width,
    ));
    lines
}

/// The region's VPCs (or where the reading stands).
fn list(app: &App, selected: usize, width: u16) -> Vec<Line<'static>> {
    let th = &app.theme;
    let region = app.plan.region();
    let mut lines = para(
        app.lang
            .pick(
                &format!(
                    "The VPCs of {region}, each checked for the lab's HA mistakes (the same checks as `hawiz doctor`). Enter shows one's findings, how each matters and how to fix it."
                ),
                &format!(
                    "{region}의 VPC마다 실습의 고가용성 실수를 검사했습니다 (`hawiz doctor`와 같은 검사). Enter를 누르면 발견 사항과 그 의미, 고치는 방법을 봅니다."
                ),
            )
            ,
        th.muted(),
        width,
    );
    lines.push(Line::raw(""));
    match &app.doctor {
        Loadable::Ready(reports) if reports.is_empty() => lines.extend(para(
            app.t(
                "No VPC in this region. Change the region on the Account step, or start a new setup.",
                "이 리전에는 VPC가 없습니다. 계정 단계에서 리전을 바꾸거나 새로 설정하세요.",
            ),
            th.text(),
            width,
        )),
        Loadable::Ready(reports) => {
            for (i, r) in reports.iter().enumerate() {
                let here = i == selected;
                let verdict_style = if r.high() > 0 {
                    th.error()
                } else {
                    th.text()
                };
                let s = &r.survey;
                lines.extend(wrap_lines(
                    vec![Line::from(vec![
                        Span::styled(
                            format!("{} {} ", if here { "›" } else { " " }, s.vpc),
                            if here { th.selected() } else { th.text() },
                        ),
                        Span::styled(
                            format!("{} ", if s.name.is_empty() { "-" } else { &s.name }),
                            th.muted(),
                        ),
                        Span::styled(
                            app.lang.pick(&r.verdict().en, &r.verdict().ko).to_string(),
                            verdict_style,
                        ),
                    ])],
                    width,
                ));
            }
        }
        Loadable::Failed(e) => {
            lines.extend(para(e, th.error(), width));
            lines.extend(para(
                app.lang
                    .pick(
                        &format!("{} tries again; Esc goes back.", app.keys.short(Action::Retry)),
                        &format!("{}로 다시 시도, Esc로 돌아갑니다.", app.keys.short(Action::Retry)),
                    )
                    ,
                th.muted(),
                width,
            ));
        }
        Loadable::Loading | Loadable::Idle => lines.extend(para(
            &format!(
                "{} {}",
                super::SPINNER[(app.tick % 4) as usize],
                app.t(
                    "Reading the region's VPCs, load balancers, groups, databases and records…",
                    "리전의 VPC, 로드 밸런서, 그룹, 데이터베이스, 레코드를 읽는 중…",
                )
            ),
            th.text(),
            width,
        )),
    }
    lines
}

pub fn lines(app: &App, width: u16) -> Vec<Line<'static>> {
    // Why the last key did nothing (an adoption refused), first.
    let mut lines = match &app.notice {
        Some((en, ko)) => para(
            &format!("⚠ {}", app.lang.pick(en, ko)),
            app.theme.error(),
            width,
        ),
        None => vec![],
    };
    lines.extend(body(app, width));
    lines
}

fn body(app: &App, width: u16) -> Vec<Line<'static>> {
    match (&app.screen, &app.doctor) {
        (
            crate::tui::app::Screen::Doctor {
                selected,
                open: true,
                ..
            },
            Loadable::Ready(r),
        ) => match r.get(*selected) {
            Some(report) => findings(app, report, width),
            None => vec![],
        },
        (crate::tui::app::Screen::Doctor { selected, .. }, _) => list(app, *selected, width),
        _ => vec![],
    }
}

pub fn draw(frame: &mut Frame, app: &App, body: Rect, selected: usize, open: bool) {
    let th = &app.theme;
    let width = super::inner(body).width;
    let title = match (open, app.doctor.ready().and_then(|r| r.get(selected))) {
        (true, Some(r)) => format!(" {} ", r.survey.vpc),
        _ => app
            .t(" Check an existing setup ", " 기존 설정 검사 ")
            .to_string(),
    };
    let block = Block::bordered()
        .border_style(th.border(true))
        .title(Span::styled(title, th.title()));
    let lines = lines(app, width);
    if open {
        scrolled(
            frame,
            app,
            Some(Scroller::Doctor),
            body,
            block,
            lines,
            usize::from(app.doctor_scroll),
        );
    } else {
        // The selected VPC stays in view.
        let height = usize::from(super::inner(body).height);
        let at = lines
            .iter()
            .position(|l| l.spans.first().is_some_and(|s| s.content.starts_with('›')))
            .unwrap_or(0);
        scrolled(
            frame,
            app,
            None,
            body,
            block,
            lines,
            (at + 1).saturating_sub(height),
        );
    }
}
