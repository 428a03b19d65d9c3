//! The build screen (progress rows with a selection for the inspector, the log, the
//! architecture diagram drawn from the plan, resources with console links) and the final
//! screen. Times come from `now` and stop when the run ended.

use super::super::app::{App, Loadable};
use super::super::theme::{Mood, Theme};
use super::{SPINNER, para, scrolled};
use crate::plan::NatMode;
use crate::progress::{BuildState, RowState, RunKind};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
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
    diagram_panel(frame, app, b, diagram);
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
        };
        let elapsed = r.elapsed(now, b.ended);
        let typical = r.typical().max(1);
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
            .strip_prefix(&format!("{}-", b.stack))
            .unwrap_or(&r.name);
        let mut name: String = short.chars().take(name_width).collect();
        name.push_str(&" ".repeat(name_width.saturating_sub(name.chars().count())));
        let here = pos == chosen && b.selected.is_some();
        let style = |m| if here { th.selected() } else { th.mood(m) };
        let mut spans = vec![Span::styled(format!("{icon} "), style(mood(r.state)))];
        if show_kind {
            let kind: String = r.kind.chars().take(kind_width - 1).collect();
            spans.push(Span::styled(
                format!("{kind:<kind_width$}"),
                if here { th.selected() } else { th.muted() },
            ));
        }
        spans.push(Span::styled(name, style(mood(r.state))));
        spans.push(Span::styled(
            format!(" {}{}", "█".repeat(filled), "░".repeat(bar_len - filled)),
            style(mood(r.state)),
        ));
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
    let title = format!(
        " {verb} {done}/{total} · {} ",
        secs(b.elapsed(now).as_secs())
    );
    let mut block = Block::bordered()
        .border_style(th.border(true))
        .title(Span::styled(title, th.title()));
    if b.finished() {
        let (text, style) = if b.succeeded() {
            (app.t(" done ", " 완료 "), th.mood(Mood::Ok))
        } else {
            (
                app.t(" stopped: see the log ", " 중단됨: 로그를 보세요 "),
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
        if let Some(hint) = crate::ops::advice::hint(&error).map(|a| a.text(app.lang)) {
            lines.extend(para(&format!("  → {hint}"), th.warning(), width));
        }
    }
    for (k, why) in &b.left {
        lines.extend(para(&format!("✗ {k}: {why}"), th.error(), width));
    }
    if b.finished() && !b.succeeded() {
        let next = match b.kind {
            RunKind::Build => app.t(
                "What was made is in place and recorded. Esc: back to the answers (all kept; fix and build again) · r: retry as is · q: leave; `hawiz` resumes later.",
                "만든 것은 그대로 있고 기록되었습니다. Esc: 답으로 돌아가기 (모두 유지, 고쳐서 다시 구축) · r: 그대로 다시 시도 · q: 나가기 (나중에 `hawiz`로 이어서).",
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
    scrolled(frame, app, area, block, lines, offset);
}

/// The architecture as the plan has it (its AZ letters, its NAT gateways, what is the
/// user's own, the group's sizes), each box lit as its parts become ready.
fn diagram_panel(frame: &mut Frame, app: &App, b: &BuildState, area: Rect) {
    let th = &app.theme;
    let lit = |prefixes: &[String]| -> Mood {
        let rows: Vec<&crate::progress::Row> = prefixes
            .iter()
            .flat_map(|p| b.rows_of(p).collect::<Vec<_>>())
            .collect();
        if rows.is_empty() {
            Mood::Muted
        } else if rows.iter().any(|r| r.state == RowState::Failed) {
            Mood::Failed
        } else if rows
            .iter()
            .all(|r| matches!(r.state, RowState::Ready | RowState::Kept))
        {
            Mood::Ok
        } else {
            Mood::Waiting
        }
    };
    let s = |text: String, prefixes: &[&str]| {
        let p: Vec<String> = prefixes.iter().map(|x| (*x).to_string()).collect();
        Span::styled(text, th.mood(lit(&p)))
    };
    let suffixes = |tier: &str| -> Vec<String> {
        b.rows
            .iter()
            .filter_map(|r| r.key.strip_prefix(&format!("subnet/{tier}-")))
            .map(str::to_string)
            .collect()
    };
    let yours = |key: &str| b.rows_of(key).any(|r| r.res.adopted());
    // Adopted subnets are numbered in the plan (`subnet/public-1`); their AZ letter comes
    // from the VPC's subnet list the wizard read, when it did.
    let az = |tier: &str, x: &str| -> String {
        b.rows_of(&format!("subnet/{tier}-{x}"))
            .find_map(|r| r.id.clone())
            .and_then(|id| {
                app.subnets
                    .ready()?
                    .iter()
                    .find(|s| s.id == id)
                    .and_then(|s| s.az.chars().last())
            })
            .map_or_else(|| x.to_string(), |c| c.to_string())
    };
    let (public, private) = (suffixes("public"), suffixes("private"));
    let tier_text = |tier: &str, sx: &[String]| {
        let mine = sx
            .first()
            .is_some_and(|x| yours(&format!("subnet/{tier}-{x}")));
        format!(
            "{tier} {}{}",
            sx.iter().map(|x| az(tier, x)).collect::<Vec<_>>().join("·"),
            if mine {
                app.t(" (yours)", " (기존)")
            } else {
                ""
            }
        )
    };
    let plan = b.plan.as_deref();
    let nats: Vec<String> = b
        .rows
        .iter()
        .filter_map(|r| r.key.strip_prefix("nat/"))
        .map(str::to_string)
        .collect();
    let mut rows: Vec<Vec<Span<'static>>> = Vec::new();
    let public_keys: Vec<String> = public
        .iter()
        .map(|x| format!("subnet/public-{x}"))
        .collect();
    let private_keys: Vec<String> = private
        .iter()
        .map(|x| format!("subnet/private-{x}"))
        .collect();
    rows.push(vec![
        s("[ALB]".into(), &["alb", "listener", "tg"]),
        Span::raw(" "),
        Span::styled(tier_text("public", &public), th.mood(lit(&public_keys))),
    ]);
    let mut nat_row: Vec<Span<'static>> = Vec::new();
    for x in &nats {
        nat_row.push(s(format!("[NAT {x}]"), &[&format!("nat/{x}")]));
        nat_row.push(Span::raw(" "));
    }
    let adopting = plan.is_some_and(|p| p.network.adopts_vpc());
    if nats.is_empty() {
        let (text, style) = match plan.map(|p| p.network.nat) {
            Some(NatMode::None) => (app.t("(no NAT)", "(NAT 없음)"), th.warning()),
            _ if adopting => (app.t("(your NAT)", "(기존 NAT)"), th.muted()),
            _ => ("", th.muted()),
        };
        if !text.is_empty() {
            nat_row.push(Span::styled(format!("{text} "), style));
        }
    }
    if b.rows_of("instance/bastion").next().is_some() {
        nat_row.push(s("[bastion]".into(), &["instance/bastion"]));
    }
    if !nat_row.is_empty() {
        rows.push(nat_row);
    }
    let sizes = plan.map_or(String::new(), |p| format!(" {}..{}", p.app.min, p.app.max));
    rows.push(vec![
        s(format!("[ASG app{sizes}]"), &["asg", "launch-template"]),
        Span::raw(" "),
        Span::styled(tier_text("private", &private), th.mood(lit(&private_keys))),
    ]);
    let db = if plan.is_none_or(|p| p.database.multi_az) {
        app.t("[RDS primary ⇄ standby]", "[RDS 기본 ⇄ 대기]")
    } else {
        app.t("[RDS single AZ]", "[RDS 단일 AZ]")
    };
    rows.push(vec![s(db.into(), &["db", "db-subnet-group"])]);
    let mts: Vec<String> = b
        .rows
        .iter()
        .filter_map(|r| r.key.strip_prefix("efs-mt/"))
        .map(str::to_string)
        .collect();
    if !mts.is_empty() {
        let mut efs = Vec::new();
        for x in &mts {
            efs.push(s(
                format!("[EFS {}]", az("private", x)),
                &["efs", &format!("efs-mt/{x}")],
            ));
            efs.push(Span::raw(" "));
        }
        rows.push(efs);
    }
    let inner = rows
        .iter()
        .map(|r| r.iter().map(Span::width).sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(24);
    let vpc_mood = if yours("vpc") {
        Mood::Muted
    } else {
        lit(&["vpc".to_string()])
    };
    let edge = |t: String| Span::styled(t, th.mood(vpc_mood));
    let vpc_label = if yours("vpc") {
        app.t(" VPC (yours) ", " VPC (기존) ")
    } else {
        " VPC "
    };
    let mut lines = vec![];
    let mut top: Vec<Span<'static>> = Vec::new();
    if b.rows_of("zone").next().is_some() || b.rows_of("dns").next().is_some() {
        top.push(s("Route 53".into(), &["zone", "dns"]));
        top.push(Span::raw("  "));
    }
    if b.rows_of("cert").next().is_some() {
        top.push(s("ACM".into(), &["cert", "cert-validation"]));
        top.push(Span::raw("  "));
    }
    top.push(s("Internet".into(), &["igw", "igw-attachment"]));
    lines.push(Line::from(top));
    let label_w = Span::raw(vpc_label).width();
    lines.push(Line::from(edge(format!(
        "┌{vpc_label}{}┐",
        "─".repeat((inner + 2).saturating_sub(label_w))
    ))));
    for r in rows {
        let used: usize = r.iter().map(Span::width).sum();
        let mut spans = vec![edge("│ ".into())];
        spans.extend(r);
        spans.push(Span::raw(" ".repeat(inner.saturating_sub(used))));
        spans.push(edge(" │".into()));
        lines.push(Line::from(spans));
    }
    lines.push(Line::from(edge(format!("└{}┘", "─".repeat(inner + 2)))));
    lines.push(Line::from(vec![
        Span::styled("■ ", th.mood(Mood::Ok)),
        Span::styled(app.t("ready  ", "준비됨  "), th.muted()),
        Span::styled("■ ", th.mood(Mood::Waiting)),
        Span::styled(app.t("coming", "진행 중"), th.muted()),
    ]));
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().border_style(th.border(false)).title(
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

/// The final text and the list of what was built (for the inspector).
pub fn final_areas(area: Rect) -> [Rect; 2] {
    Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(area)
}

/// After a build: what it means (never "up" when the checks said it cannot serve, or
/// when nothing can boot), the site, the way in, what was saved, what to do next.
pub fn final_lines(app: &App, width: u16) -> Vec<Line<'static>> {
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
        lines.push(Line::from(Span::styled(
            app.t("Your HA site is up.", "HA 사이트가 준비되었습니다."),
            th.title(),
        )));
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
            for l in &s.ssh {
                lines.extend(para(&format!("  {l}"), th.text(), width));
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
                lines.extend(para(&format!("  {cmd}"), th.text(), width));
            }
            if let Some((user, cmd)) = &s.admin {
                lines.extend(para(
                    &format!(
                        "{} {user} · {cmd}",
                        app.t("WordPress admin:", "WordPress 관리자:")
                    ),
                    th.text(),
                    width,
                ));
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
    let manage = app.lang.pick(
        &format!("• `hawiz status {stack}` shows everything again; `hawiz destroy {stack}` removes it all (NAT gateways cost by the hour)."),
        &format!("• `hawiz status {stack}`로 다시 확인하고, `hawiz destroy {stack}`로 모두 지웁니다 (NAT 게이트웨이는 시간당 과금)."),
    )
    .to_string();
    let drill = app.lang.pick(
        &format!("• HA drill: {} here (or `hawiz drill {stack} instance`) terminates one app instance on purpose and times the Auto Scaling group replacing it while the site is probed; {} does the database failover.", app.keys.short(crate::tui::keys::Action::Drill), app.keys.short(crate::tui::keys::Action::DrillDatabase)),
        &format!("• HA 훈련: 여기서 {}(또는 `hawiz drill {stack} instance`)를 누르면 앱 인스턴스 하나를 일부러 종료하고, 사이트를 확인하면서 Auto Scaling 그룹이 대체하는 시간을 잽니다. {}는 데이터베이스 장애 조치입니다.", app.keys.short(crate::tui::keys::Action::Drill), app.keys.short(crate::tui::keys::Action::DrillDatabase)),
    )
    .to_string();
    let inspect = app.lang.pick(
        &format!("• {}: see how a part is wired (routes, security-group rules, health check, user data).", app.keys.short(crate::tui::keys::Action::Inspect)),
        &format!("• {}: 각 부분의 연결 보기 (라우팅, 보안 그룹 규칙, 상태 검사, 사용자 데이터).", app.keys.short(crate::tui::keys::Action::Inspect)),
    )
    .to_string();
    for step in [drill, manage, inspect] {
        lines.extend(para(&step, th.text(), width));
    }
    lines
}

pub fn draw_final(frame: &mut Frame, app: &App, area: Rect) {
    let th = &app.theme;
    let [text, list] = final_areas(area);
    let lines = final_lines(app, super::inner(text).width);
    let block = Block::bordered()
        .border_style(th.border(true))
        .title(Span::styled(app.t(" Done ", " 완료 "), th.title()));
    scrolled(
        frame,
        app,
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
                    format!("{:<15} ", r.kind),
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
