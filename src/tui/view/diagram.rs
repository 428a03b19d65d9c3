//! The architecture diagram on the build screen, drawn from the plan being built (its AZ
//! letters, its NAT gateways, what is the user's own, the group's sizes), each box lit as
//! its parts become ready.

use super::super::app::App;
use super::super::theme::Mood;
use crate::plan::NatMode;
use crate::progress::{BuildState, RowState};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

/// The architecture as the plan has it (its AZ letters, its NAT gateways, what is the
/// user's own, the group's sizes), each box lit as its parts become ready.
pub(super) fn draw(frame: &mut Frame, app: &App, b: &BuildState, area: Rect) {
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
    // Seed 003: visitors come through CloudFront. One space apart then, so the line
    // still fits the panel at 80 columns.
    let cloudfront = b.rows_of("cloudfront").next().is_some();
    let gap = if cloudfront { " " } else { "  " };
    if b.rows_of("zone").next().is_some() || b.rows_of("dns").next().is_some() {
        top.push(s("Route 53".into(), &["zone", "dns"]));
        top.push(Span::raw(gap));
    }
    if b.rows_of("cert").next().is_some() {
        top.push(s("ACM".into(), &["cert", "cert-validation"]));
        top.push(Span::raw(gap));
    }
    if cloudfront {
        top.push(s("CloudFront".into(), &["cloudfront", "origin-lock"]));
        top.push(Span::raw(gap));
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
    // Seed 003: the standby copy in its own region (its pieces light up as they come).
    if let Some(f) = plan.and_then(|p| p.failover.as_ref())
        && b.rows_of("standby").next().is_some()
    {
        let mode = match f.mode {
            crate::plan::StandbyMode::Warm => app.t("warm", "웜"),
            crate::plan::StandbyMode::PilotLight => app.t("pilot light", "파일럿 라이트"),
        };
        lines.push(Line::from(s(
            format!(
                "+ {} {} ({mode})",
                app.t("standby", "대기"),
                f.region.trim()
            ),
            &["standby", "efs-replication"],
        )));
    }
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
