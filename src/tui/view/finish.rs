//! The final screen after a build: what it means (never "up" when the checks said it
//! cannot serve, or when nothing can boot), the site, the way in, what was saved, what to
//! do next; and the list of what was built, for the inspector.

use super::super::app::{App, Loadable};
use super::{SPINNER, para, scrolled};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

/// A command to copy, on one line whatever its length (a line wider than the panel pans
/// sideways): a command wrapped at its spaces would be copied broken.
fn command(text: &str, style: ratatui::style::Style) -> Line<'static> {
    Line::from(Span::styled(format!("  {text}"), style))
}

/// The final text and the list of what was built (for the inspector).
pub fn areas(area: Rect) -> [Rect; 2] {
    Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(area)
}

/// After a build: what it means (never "up" when the checks said it cannot serve, or
/// when nothing can boot), the site, the way in, what was saved, what to do next.
pub fn lines(app: &App, width: u16) -> Vec<Line<'static>> {
    let th = &app.theme;
    let stack = app
        .build
        .as_ref()
        .map_or_else(|| app.plan.stack.name.clone(), |b| b.stack.clone());
    let mut lines: Vec<Line<'static>> = Vec::new();
    let blockers = app.cannot_serve();
    if !blockers.is_empty() {
        lines.extend(para(
            app.t(
                "The stack is built, but the site cannot serve yet:",
                "스택은 만들어졌지만 사이트가 아직 서비스할 수 없습니다:",
            ),
            th.warning(),
            width,
        ));
        for f in blockers {
            lines.extend(para(
                &format!("  ⚠ {}", f.text(app.lang)),
                th.warning(),
                width,
            ));
        }
        lines.extend(para(
            app.t(
                "Give the private subnets a route to a NAT gateway (or choose NAT per AZ) and build again; the instances then install WordPress.",
                "프라이빗 서브넷에 NAT 게이트웨이로 가는 경로를 주거나(또는 가용 영역별 NAT 선택) 다시 구축하세요. 그러면 인스턴스가 WordPress를 설치합니다.",
            ),
            th.text(),
            width,
        ));
    } else if app.emulator {
        lines.extend(para(
            app.t(
                "The stack is built in the emulator. Nothing boots there, so the site does not answer here; on AWS the build ends when it serves.",
                "스택이 에뮬레이터에 만들어졌습니다. 에뮬레이터에서는 아무것도 부팅되지 않아 사이트가 응답하지 않습니다. AWS에서는 사이트가 응답할 때 구축이 끝납니다.",
            ),
            th.title(),
            width,
        ));
    } else {
        // Serving, but not HA until the database's standby is in place (fast start).
        let standby_pending = app.summary.ready().is_some_and(|s| {
            s.db_standby
                .is_some_and(|d| d != crate::ops::db_standby::DbStandby::InPlace)
        });
        lines.extend(para(
            if standby_pending {
                app.t(
                    "Your site is up; it is HA once the database's standby is in place.",
                    "사이트가 준비되었습니다. 데이터베이스 대기 인스턴스가 준비되면 HA입니다.",
                )
            } else {
                app.t("Your HA site is up.", "HA 사이트가 준비되었습니다.")
            },
            th.title(),
            width,
        ));
    }
    lines.push(Line::raw(""));
    match &app.summary {
        Loadable::Ready(s) => {
            if let Some(site) = &s.site {
                lines.extend(para(
                    &format!("{} {site}", app.t("Site:", "사이트:")),
                    th.accent(),
                    width,
                ));
            }
            if let Some(lb) = &s.load_balancer {
                lines.extend(para(&format!("ALB: {lb}"), th.accent(), width));
            }
            if let Some(cf) = &s.cloudfront {
                lines.extend(para(&format!("CloudFront: {cf}"), th.accent(), width));
            }
            if let Some(since) = &s.serving_since {
                lines.extend(para(
                    &format!("{} {since}", app.t("Serving since:", "서비스 시작:")),
                    th.text(),
                    width,
                ));
            }
            if let Some(standby) = s.db_standby {
                lines.extend(para(
                    &format!(
                        "{} {}",
                        app.t("Database standby:", "데이터베이스 대기:"),
                        standby.text().pick(app.lang)
                    ),
                    th.text(),
                    width,
                ));
            }
            if let Some(sync) = &s.static_sync {
                lines.extend(para(
                    app.t(
                        "Static files (served at /static/, copied to the standby):",
                        "정적 파일 (/static/ 아래로 서비스, 대기 리전으로 복제):",
                    ),
                    th.text(),
                    width,
                ));
                lines.push(command(sync, th.text()));
            }
            for l in &s.ssh {
                lines.push(command(l, th.text()));
            }
            if s.ssh.is_empty()
                && app
                    .build
                    .as_ref()
                    .and_then(|b| b.plan.as_ref())
                    .is_some_and(|p| p.bastion.enabled)
            {
                lines.extend(para(
                    app.t(
                        "No ssh command: AWS reports no public address for the bastion, so it cannot be reached from outside. Check that its subnet routes 0.0.0.0/0 to an Internet gateway, then run hawiz status again.",
                        "ssh 명령이 없습니다: AWS가 배스천 호스트의 퍼블릭 주소를 알려 주지 않아 밖에서 접속할 수 없습니다. 서브넷이 0.0.0.0/0을 인터넷 게이트웨이로 보내는지 확인한 뒤 hawiz status를 다시 실행하세요.",
                    ),
                    th.warning(),
                    width,
                ));
            }
            if let Some(cmd) = &s.session {
                lines.push(command(cmd, th.text()));
            }
            if let Some((user, cmd)) = &s.admin {
                // The command that shows the password is copied: one line, panned.
                lines.extend(para(
                    &format!(
                        "{} {user} · {}",
                        app.t("WordPress admin:", "WordPress 관리자:"),
                        app.t("its password:", "비밀번호:")
                    ),
                    th.text(),
                    width,
                ));
                lines.push(command(cmd, th.text()));
            }
            if !s.name_servers.is_empty() {
                lines.extend(para(
                    app.t(
                        "Set these name servers at your registrar:",
                        "도메인 등록 기관에 다음 네임서버를 설정하세요:",
                    ),
                    th.warning(),
                    width,
                ));
                for ns in &s.name_servers {
                    lines.push(Line::from(Span::styled(format!("  {ns}"), th.text())));
                }
            }
            if let Some(url) = &s.dashboard {
                lines.extend(para(
                    &format!("{} {url}", app.t("Dashboard:", "대시보드:")),
                    th.text(),
                    width,
                ));
            }
            if let Some((email, status)) = &s.alerts {
                let status = match status.as_str() {
                    "confirmed" => app.t("confirmed", "승인됨"),
                    _ => app.t(
                        "confirm the mail AWS sent first",
                        "먼저 AWS가 보낸 메일을 승인하세요",
                    ),
                };
                lines.extend(para(
                    &format!("{} {email} ({status})", app.t("Alerts:", "알림:")),
                    th.text(),
                    width,
                ));
            }
            for line in &s.schedules {
                lines.extend(para(
                    &format!("{} {line}", app.t("Schedule:", "일정:")),
                    th.text(),
                    width,
                ));
            }
            if let Some(sb) = &s.standby {
                let pick = |t: &crate::i18n::Text| app.lang.pick(&t.en, &t.ko).to_string();
                lines.extend(para(
                    &format!("{} {}", app.t("Standby region:", "대기 리전:"), sb.region),
                    th.accent(),
                    width,
                ));
                let mut rows = vec![
                    (app.t("serving", "서비스"), pick(&sb.serving)),
                    (app.t("database", "데이터베이스"), pick(&sb.database)),
                ];
                if let Some(files) = &sb.files {
                    rows.push((app.t("files", "파일"), pick(files)));
                }
                if let Some(st) = &sb.static_files {
                    rows.push((app.t("static", "정적 파일"), pick(st)));
                }
                for (label, value) in rows {
                    lines.extend(para(&format!("  {label}: {value}"), th.text(), width));
                }
            }
        }
        Loadable::Failed(e) => lines.extend(para(e, th.error(), width)),
        _ => lines.push(Line::from(Span::styled(
            SPINNER[(app.tick % 4) as usize],
            th.muted(),
        ))),
    }
    lines.push(Line::raw(""));
    if let Some(p) = &app.saved_plan {
        lines.extend(para(
            &format!("{} {}", app.t("Plan saved:", "계획 저장:"), p.display()),
            th.muted(),
            width,
        ));
    }
    lines.push(Line::from(Span::styled(
        app.t("Next steps:", "다음 단계:"),
        th.title(),
    )));
    // Copied from the sandbox, a command without --sandbox would go to the real account.
    let hawiz = if app.sandbox {
        "hawiz --sandbox"
    } else {
        "hawiz"
    };
    let manage = app.lang.pick(
        &format!("• `{hawiz} status {stack}` shows everything again; `{hawiz} destroy {stack}` removes it all (NAT gateways cost by the hour)."),
        &format!("• `{hawiz} status {stack}`로 다시 확인하고, `{hawiz} destroy {stack}`로 모두 지웁니다 (NAT 게이트웨이는 시간당 과금)."),
    )
    .to_string();
    let drill = app.lang.pick(
        &format!("• HA drill: {} here (or `{hawiz} drill {stack} instance`) terminates one app instance on purpose and times the Auto Scaling group replacing it while the site is probed; {} does the database failover.", app.keys.short(crate::tui::keys::Action::Drill), app.keys.short(crate::tui::keys::Action::DrillDatabase)),
        &format!("• HA 훈련: 여기서 {}(또는 `{hawiz} drill {stack} instance`)를 누르면 앱 인스턴스 하나를 일부러 종료하고, 사이트를 확인하면서 Auto Scaling 그룹이 대체하는 시간을 잽니다. {}는 데이터베이스 장애 조치입니다.", app.keys.short(crate::tui::keys::Action::Drill), app.keys.short(crate::tui::keys::Action::DrillDatabase)),
    )
    .to_string();
    let inspect = app.lang.pick(
        &format!("• {}: see how a part is wired (routes, security-group rules, health check, user data).", app.keys.short(crate::tui::keys::Action::Inspect)),
        &format!("• {}: 각 부분의 연결 보기 (라우팅, 보안 그룹 규칙, 상태 검사, 사용자 데이터).", app.keys.short(crate::tui::keys::Action::Inspect)),
    )
    .to_string();
    let mut steps = vec![drill, manage, inspect];
    // The region's own drill and the failover are commands (the standby's steps are
    // asked and shown there, one line each).
    if matches!(&app.summary, Loadable::Ready(s) if s.standby.is_some()) {
        steps.insert(1, app.lang.pick(
            &format!("• Region: {} here (or `{hawiz} drill {stack} region`) inverts the primary's health check and times Route 53 moving visitors to the standby (the data is not touched); `{hawiz} failover {stack}` makes the standby the site (promotes its database: asked first), `{hawiz} failback {stack}` brings it back.", app.keys.short(crate::tui::keys::Action::DrillRegion)),
            &format!("• 리전: 여기서 {}(또는 `{hawiz} drill {stack} region`)는 기본 리전의 상태 확인을 반전해 Route 53이 방문자를 대기 리전으로 옮기는 시간을 잽니다 (데이터는 그대로). `{hawiz} failover {stack}`은 대기 리전을 사이트로 만들고 (데이터베이스 승격: 먼저 묻습니다), `{hawiz} failback {stack}`은 되돌립니다.", app.keys.short(crate::tui::keys::Action::DrillRegion)),
        ).to_string());
    }
    for step in steps {
        lines.extend(para(&step, th.text(), width));
    }
    lines
}

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let th = &app.theme;
    let [text, list] = areas(area);
    let lines = lines(app, super::inner(text).width);
    let block = Block::bordered()
        .border_style(th.border(true))
        .title(Span::styled(app.t(" Done ", " 완료 "), th.title()));
    scrolled(
        frame,
        app,
        Some(crate::tui::app::Scroller::Final),
        text,
        block,
        lines,
        usize::from(app.final_scroll),
    );
    let mut rows: Vec<Line> = Vec::new();
    let mut chosen = 0usize;
    if let Some(b) = &app.build {
        for (i, r) in b.built().into_iter().enumerate() {
            let here = b.selected.as_deref() == Some(r.key.as_str());
            if here {
                chosen = i;
            }
            let style = if here { th.selected() } else { th.text() };
            let short = r
                .name
                .strip_prefix(&format!("{}-", b.stack))
                .unwrap_or(&r.name)
                .to_string();
            rows.push(Line::from(vec![
                Span::styled(format!("{} ", if here { "›" } else { " " }), style),
                Span::styled(
                    format!("{} ", crate::i18n::text::pad(app.lang.kind(r.kind), 15)),
                    if here { th.selected() } else { th.muted() },
                ),
                Span::styled(short, style),
            ]));
        }
    }
    let height = usize::from(list.height.saturating_sub(2));
    let offset = (chosen + 1).saturating_sub(height);
    frame.render_widget(
        Paragraph::new(rows)
            .scroll((u16::try_from(offset).unwrap_or(0), 0))
            .block(
                Block::bordered()
                    .border_style(th.border(false))
                    .title(Span::styled(app.t(" Built ", " 만든 것 "), th.title())),
            ),
        list,
    );
}
