//! The review screen: every resource that will be created or adopted, the monthly cost,
//! where the answers are saved, and the two-step confirmation before anything is built.

use super::super::app::App;
use crate::{blueprint, cost};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

pub fn draw(frame: &mut Frame, app: &App, area: Rect, confirm: bool) {
    let th = &app.theme;
    // The step list only when there is room: the resources and costs matter more here.
    let steps_width = if area.width >= 100 { 20 } else { 0 };
    let [steps, list, costs] = Layout::horizontal([
        Constraint::Length(steps_width),
        Constraint::Min(30),
        Constraint::Percentage(42),
    ])
    .areas(area);
    if steps_width > 0 {
        super::wizard::step_list(frame, app, steps);
    }
    let prefix = format!("{}-", app.plan.stack.name);

    let mut lines: Vec<Line> = Vec::new();
    match blueprint::build(&app.plan, std::path::Path::new(".")) {
        Ok(graph) => {
            let adopted = graph.nodes().filter(|n| n.res.adopted()).count();
            lines.push(Line::from(Span::styled(
                format!(
                    "{} {} · {} {}",
                    graph.len() - adopted,
                    app.t("to create", "개 생성"),
                    adopted,
                    app.t("adopted", "개 기존 사용")
                ),
                th.title(),
            )));
            // One line per kind: "+ 4 × subnet  wordpress-ha-public-a, ..." fits any screen.
            let mut kinds: Vec<(&str, bool, Vec<String>)> = Vec::new();
            for n in graph.nodes() {
                let (kind, adopted) = (n.res.kind(), n.res.adopted());
                match kinds
                    .iter_mut()
                    .find(|(k, a, _)| *k == kind && *a == adopted)
                {
                    Some((_, _, names)) => {
                        names.push(n.res.name().trim_start_matches(&prefix).to_string())
                    }
                    None => kinds.push((
                        kind,
                        adopted,
                        vec![n.res.name().trim_start_matches(&prefix).to_string()],
                    )),
                }
            }
            for (kind, adopted, names) in kinds {
                let (mark, style) = if adopted {
                    ("=", th.muted())
                } else {
                    ("+", th.text())
                };
                lines.push(Line::from(vec![
                    Span::styled(format!("{mark} {:>2} × {:<17}", names.len(), kind), style),
                    Span::styled(names.join(", "), th.accent()),
                ]));
            }
        }
        Err(e) => lines.push(Line::from(Span::styled(e.to_string(), th.error()))),
    }
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::bordered()
                .border_style(th.border(true))
                .title(Span::styled(app.t(" Resources ", " 리소스 "), th.title())),
        ),
        list,
    );

    let mut lines: Vec<Line> = Vec::new();
    match cost::estimate(&app.plan) {
        Ok(est) => {
            for l in &est.lines {
                let loud = matches!(l.key, "nat" | "rds");
                let style = if loud { th.warning() } else { th.text() };
                lines.push(Line::from(vec![
                    Span::styled(format!("{:>8.2}  ", l.monthly), style),
                    Span::styled(l.item.clone(), style),
                ]));
            }
            lines.push(Line::from(Span::styled(
                format!(
                    "{:>8.2}  {}",
                    est.total,
                    app.t("USD / month (estimate)", "USD / 월 (추정)")
                ),
                th.title(),
            )));
            let mut note = format!(
                "{} {} · {}",
                app.t("prices of", "가격 기준"),
                est.date,
                est.priced_as
            );
            if est.fallback() {
                note.push_str(app.t(
                    " (no prices for this region; us-east-1 shown)",
                    " (이 리전 가격이 없어 us-east-1 기준)",
                ));
            }
            lines.push(Line::from(Span::styled(note, th.muted())));
        }
        Err(e) => lines.push(Line::from(Span::styled(e.to_string(), th.error()))),
    }
    lines.push(Line::raw(""));
    if let Some(path) = &app.saved_plan {
        lines.push(Line::from(Span::styled(
            format!("{} {}", app.t("Plan saved:", "계획 저장:"), path.display()),
            th.muted(),
        )));
    }
    if let Some((en, ko)) = &app.notice {
        lines.push(Line::from(Span::styled(
            app.lang.pick(en, ko).to_string(),
            th.error(),
        )));
    }
    if confirm {
        lines.push(Line::from(Span::styled(
            app.t(
                "Build this in your AWS account now? Enter: yes · Esc: not yet",
                "지금 AWS 계정에 만들까요? Enter: 예 · Esc: 아직",
            ),
            th.focus(),
        )));
        if app.sandbox {
            lines.push(Line::from(Span::styled(
                app.t(
                    "(sandbox: nothing real, no cost)",
                    "(샌드박스: 실제 리소스·비용 없음)",
                ),
                th.muted(),
            )));
        }
    } else {
        lines.push(Line::from(Span::styled(
            app.t(
                "Nothing has been created yet. Enter to build.",
                "아직 아무것도 만들지 않았습니다. Enter로 구축합니다.",
            ),
            th.text(),
        )));
    }
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::bordered()
                .border_style(th.border(confirm))
                .title(Span::styled(
                    app.t(" Monthly cost ", " 월 비용 "),
                    th.title(),
                )),
        ),
        costs,
    );
}
