//! The build screen (progress rows, architecture diagram, resources with console links,
//! log) and the final screen.

use super::super::app::{App, Loadable};
use super::super::build::{BuildState, RowState};
use super::super::theme::{Mood, Theme};
use super::SPINNER;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use std::time::Instant;

fn mood(state: RowState) -> Mood {
    match state {
        RowState::Waiting => Mood::Waiting,
        RowState::Working => Mood::Busy,
        RowState::Ready | RowState::Gone => Mood::Ok,
        RowState::Failed => Mood::Failed,
        RowState::Blocked | RowState::Kept => Mood::Muted,
    }
}

fn secs(d: u64) -> String {
    if d >= 60 {
        format!("{}m{:02}s", d / 60, d % 60)
    } else {
        format!("{d}s")
    }
}

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let th = &app.theme;
    let Some(b) = &app.build else {
        frame.render_widget(
            Paragraph::new(app.t("Preparing…", "준비 중…")).style(th.muted()),
            area,
        );
        return;
    };
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area);
    let [progress, log] = Layout::vertical([Constraint::Min(6), Constraint::Length(6)]).areas(left);
    let [diagram, resources] =
        Layout::vertical([Constraint::Length(13), Constraint::Min(3)]).areas(right);
    progress_panel(frame, app, b, progress);
    log_panel(frame, th, app, b, log);
    diagram_panel(frame, app, b, diagram);
    resources_panel(frame, app, b, resources);
}

fn progress_panel(frame: &mut Frame, app: &App, b: &BuildState, area: Rect) {
    let th = &app.theme;
    let now = Instant::now();
    // Failures and work in progress first, then what waits, then what is done.
    let order = |s: RowState| match s {
        RowState::Failed => 0,
        RowState::Working => 1,
        RowState::Waiting => 2,
        RowState::Blocked => 3,
        _ => 4,
    };
    let mut rows: Vec<_> = b.rows.iter().collect();
    rows.sort_by_key(|r| order(r.state));
    let mut lines: Vec<Line> = Vec::new();
    let width = area.width.saturating_sub(2) as usize;
    for r in rows.iter().take(area.height.saturating_sub(3) as usize) {
        let icon = match r.state {
            RowState::Waiting => "·".to_string(),
            RowState::Working => SPINNER[(app.tick % 4) as usize].to_string(),
            RowState::Ready | RowState::Gone => "✓".into(),
            RowState::Failed => "✗".into(),
            RowState::Blocked => "⊘".into(),
            RowState::Kept => "=".into(),
        };
        let elapsed = r
            .took
            .map(|d| d.as_secs())
            .or_else(|| r.started.map(|s| (now - s).as_secs()))
            .unwrap_or(0);
        let typical = r.typical();
        let bar_len = 8usize;
        let filled = match r.state {
            RowState::Ready | RowState::Gone => bar_len,
            RowState::Working => {
                ((elapsed as f64 / typical as f64).min(0.95) * bar_len as f64) as usize
            }
            _ => 0,
        };
        let time = match r.state {
            RowState::Waiting | RowState::Blocked | RowState::Kept => String::new(),
            _ => format!("{} / ~{}", secs(elapsed), secs(typical)),
        };
        // icon, name, bar, time; the kind too when there is room.
        let show_kind = width >= 40;
        let kind_width = if width >= 72 { 17 } else { 11 };
        let fixed = 2 + bar_len + 1 + 18 + if show_kind { kind_width } else { 0 };
        let name_width = width.saturating_sub(fixed).max(8);
        // Every name starts with the stack's; the rest is what tells rows apart.
        let short = r
            .name
            .strip_prefix(&format!("{}-", app.plan.stack.name))
            .unwrap_or(&r.name);
        let mut name: String = short.chars().take(name_width).collect();
        name.push_str(&" ".repeat(name_width.saturating_sub(name.chars().count())));
        let mut spans = vec![Span::styled(format!("{icon} "), th.mood(mood(r.state)))];
        if show_kind {
            let kind: String = r.kind.chars().take(kind_width - 1).collect();
            spans.push(Span::styled(format!("{kind:<kind_width$}"), th.muted()));
        }
        spans.push(Span::styled(name, th.mood(mood(r.state))));
        spans.push(Span::styled(
            format!(" {}{}", "█".repeat(filled), "░".repeat(bar_len - filled)),
            th.mood(mood(r.state)),
        ));
        spans.push(Span::styled(format!(" {time}"), th.muted()));
        lines.push(Line::from(spans));
    }
    let total = b.rows.len();
    let done = b.count(RowState::Ready) + b.count(RowState::Gone) + b.count(RowState::Kept);
    let verb = if b.viewing {
        app.t("Present", "있음")
    } else if b.destroying {
        app.t("Destroying", "삭제 중")
    } else {
        app.t("Building", "구축 중")
    };
    let title = format!(
        " {verb} {done}/{total} · {} ",
        secs(b.started.elapsed().as_secs())
    );
    let mut block = Block::bordered()
        .border_style(th.border(true))
        .title(Span::styled(title, th.title()));
    if b.finished {
        let (text, style) = if b.succeeded() {
            (app.t(" done ", " 완료 "), th.mood(Mood::Ok))
        } else {
            (
                app.t(
                    " stopped: see the failure below ",
                    " 중단됨: 아래 실패 내용을 보세요 ",
                ),
                th.error(),
            )
        };
        block = block.title_bottom(Span::styled(text, style));
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

fn log_panel(frame: &mut Frame, th: &Theme, app: &App, b: &BuildState, area: Rect) {
    let mut lines: Vec<Line> = Vec::new();
    if let Some(fatal) = &b.fatal {
        lines.push(Line::from(Span::styled(fatal.clone(), th.error())));
    }
    for r in b.failed_rows() {
        let error = r.error.clone().unwrap_or_default();
        lines.push(Line::from(Span::styled(
            format!("✗ {}: {error}", r.name),
            th.error(),
        )));
        if let Some(hint) = crate::ops::advice::hint(&error).map(|a| a.text(app.lang)) {
            lines.push(Line::from(Span::styled(
                format!("  → {hint}"),
                th.warning(),
            )));
        }
    }
    if b.finished && !b.succeeded() && !b.destroying {
        lines.push(Line::from(Span::styled(
            app.t(
                "Everything else is in place and recorded. r: retry now · q: leave it; `hawiz` resumes later.",
                "나머지는 모두 만들어져 기록되었습니다. r: 다시 시도 · q: 나가기 (나중에 `hawiz`로 이어서).",
            ),
            th.warning(),
        )));
    }
    let room = area.height.saturating_sub(2) as usize;
    let tail = room.saturating_sub(lines.len());
    let start = b.log.len().saturating_sub(tail);
    for l in &b.log[start..] {
        lines.push(Line::from(Span::styled(l.clone(), th.muted())));
    }
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::bordered()
                .border_style(th.border(false))
                .title(Span::styled(app.t(" Log ", " 로그 "), th.title())),
        ),
        area,
    );
}

/// The architecture, its boxes lit as their parts become ready.
fn diagram_panel(frame: &mut Frame, app: &App, b: &BuildState, area: Rect) {
    let th = &app.theme;
    let lit = |prefixes: &[&str]| -> Mood {
        let states: Vec<bool> = prefixes.iter().filter_map(|p| b.ready(p)).collect();
        if states.is_empty() {
            Mood::Muted
        } else if states.iter().all(|s| *s) {
            Mood::Ok
        } else if b.rows.iter().any(|r| {
            r.state == RowState::Failed
                && prefixes
                    .iter()
                    .any(|p| r.key == *p || r.key.starts_with(&format!("{p}/")))
        }) {
            Mood::Failed
        } else {
            Mood::Waiting
        }
    };
    let s = |text: &str, prefixes: &[&str]| Span::styled(text.to_string(), th.mood(lit(prefixes)));
    // Inside the VPC box: fixed width, so the right border lines up.
    const INNER: usize = 30;
    let boxed = |parts: Vec<Span<'static>>| {
        let used: usize = parts.iter().map(|p| p.width()).sum();
        let mut spans = vec![s("│ ", &["vpc"])];
        spans.extend(parts);
        spans.push(Span::raw(" ".repeat(INNER.saturating_sub(used))));
        spans.push(s(" │", &["vpc"]));
        Line::from(spans)
    };
    let public = [
        "subnet/public-a",
        "subnet/public-c",
        "subnet/public-1",
        "subnet/public-2",
    ];
    let private = [
        "subnet/private-a",
        "subnet/private-c",
        "subnet/private-1",
        "subnet/private-2",
    ];
    let lines = vec![
        Line::from(vec![
            s("Route 53", &["zone", "dns"]),
            Span::raw("  "),
            s("ACM", &["cert", "cert-validation"]),
            Span::raw("  "),
            s("Internet", &["igw", "igw-attachment"]),
        ]),
        Line::from(s(&format!("┌ VPC {}┐", "─".repeat(INNER - 3)), &["vpc"])),
        boxed(vec![
            s("[ALB]", &["alb", "listener", "tg"]),
            Span::raw(" "),
            s("public a·c", &public),
        ]),
        boxed(vec![
            s("[NAT a]", &["nat/a", "nat"]),
            Span::raw(" "),
            s("[NAT c]", &["nat/c", "nat"]),
            Span::raw(" "),
            s("[bastion]", &["instance/bastion"]),
        ]),
        boxed(vec![
            s("[ASG app 2..4]", &["asg", "launch-template"]),
            Span::raw(" "),
            s("private a·c", &private),
        ]),
        boxed(vec![s(
            "[RDS primary ⇄ standby]",
            &["db", "db-subnet-group"],
        )]),
        boxed(vec![
            s("[EFS a]", &["efs", "efs-mt/a"]),
            Span::raw(" "),
            s("[EFS c]", &["efs", "efs-mt/c"]),
        ]),
        Line::from(s(&format!("└{}┘", "─".repeat(INNER + 2)), &["vpc"])),
    ];
    let mut all = lines;
    all.push(Line::from(vec![
        Span::styled("■ ", th.mood(Mood::Ok)),
        Span::styled(app.t("ready  ", "준비됨  "), th.muted()),
        Span::styled("■ ", th.mood(Mood::Waiting)),
        Span::styled(app.t("coming", "진행 중"), th.muted()),
    ]));
    frame.render_widget(
        Paragraph::new(all).block(Block::bordered().border_style(th.border(false)).title(
            Span::styled(app.t(" Architecture ", " 아키텍처 "), th.title()),
        )),
        area,
    );
}

fn resources_panel(frame: &mut Frame, app: &App, b: &BuildState, area: Rect) {
    let th = &app.theme;
    let mut lines: Vec<Line> = Vec::new();
    for r in b
        .rows
        .iter()
        .filter(|r| r.id.is_some() && matches!(r.state, RowState::Ready | RowState::Working))
    {
        let id = r.id.clone().unwrap_or_default();
        lines.push(Line::from(vec![
            Span::styled(format!("{:<16} ", r.kind), th.muted()),
            Span::styled(id.clone(), th.accent()),
        ]));
        if let Some(link) = r.console(&b.region) {
            lines.push(Line::from(Span::styled(format!("  {link}"), th.muted())));
        }
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

/// After a successful build: the site, the way in, what was saved, what to do next.
pub fn draw_final(frame: &mut Frame, app: &App, area: Rect) {
    let th = &app.theme;
    let mut lines: Vec<Line> = vec![
        Line::from(Span::styled(
            app.t("Your HA site is up.", "HA 사이트가 준비되었습니다."),
            th.title(),
        )),
        Line::raw(""),
    ];
    match &app.summary {
        Loadable::Ready(s) => {
            if let Some(site) = &s.site {
                lines.push(Line::from(vec![
                    Span::styled(app.t("Site:  ", "사이트: "), th.muted()),
                    Span::styled(site.clone(), th.accent()),
                ]));
            }
            if let Some(lb) = &s.load_balancer {
                lines.push(Line::from(vec![
                    Span::styled(app.t("ALB:   ", "ALB:    "), th.muted()),
                    Span::styled(lb.clone(), th.accent()),
                ]));
            }
            for l in &s.ssh {
                lines.push(Line::from(Span::styled(format!("  {l}"), th.text())));
            }
            if !s.name_servers.is_empty() {
                lines.push(Line::from(Span::styled(
                    app.t(
                        "Set these name servers at your registrar:",
                        "도메인 등록 기관에 다음 네임서버를 설정하세요:",
                    ),
                    th.warning(),
                )));
                for ns in &s.name_servers {
                    lines.push(Line::from(Span::styled(format!("  {ns}"), th.text())));
                }
            }
        }
        Loadable::Failed(e) => lines.push(Line::from(Span::styled(e.clone(), th.error()))),
        _ => lines.push(Line::from(Span::styled(
            SPINNER[(app.tick % 4) as usize],
            th.muted(),
        ))),
    }
    lines.push(Line::raw(""));
    if let Some(p) = &app.saved_plan {
        lines.push(Line::from(Span::styled(
            format!("{} {}", app.t("Plan saved:", "계획 저장:"), p.display()),
            th.muted(),
        )));
    }
    lines.push(Line::from(Span::styled(
        app.t("Next steps:", "다음 단계:"),
        th.title(),
    )));
    let stack = &app.plan.stack.name;
    let manage = app.lang.pick(
        &format!("• `hawiz status {stack}` shows everything again; `hawiz destroy {stack}` removes it all (NAT gateways cost by the hour)."),
        &format!("• `hawiz status {stack}`으로 다시 확인하고, `hawiz destroy {stack}`으로 모두 지웁니다 (NAT 게이트웨이는 시간당 과금)."),
    )
    .to_string();
    for step in [
        app.t("• Open the site and finish the WordPress installer.", "• 사이트를 열고 WordPress 설치를 마치세요.").to_string(),
        app.t(
            "• HA test: terminate one app instance in the EC2 console and watch the Auto Scaling group replace it.",
            "• HA 테스트: EC2 콘솔에서 앱 인스턴스 하나를 종료하고 오토 스케일링 그룹이 대체하는 것을 보세요.",
        )
        .to_string(),
        manage,
    ] {
        lines.push(Line::from(Span::styled(step, th.text())));
    }
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::bordered()
                .border_style(th.border(true))
                .title(Span::styled(app.t(" Done ", " 완료 "), th.title())),
        ),
        area,
    );
}
