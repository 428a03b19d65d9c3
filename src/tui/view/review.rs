//! The review screen, one scrolled column: what the preflight found (every message in
//! full; choosing one goes to its answer), the confirmations a replacement needs, the
//! build line, then every resource (present / to create when the stack exists) and the
//! monthly cost. The graph and cost were worked out once, when the review opened.

use super::super::app::review::counts;
use super::super::app::{App, Check, Entry, Review};
use super::{SPINNER, para, scrolled};
use crate::ops::Action as Op;
use crate::tui::app::Scroller;
use crate::wizard::fields;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Block;

/// The step list (only when there is room) and the review.
pub fn areas(area: Rect) -> [Rect; 2] {
    let steps = if area.width >= 100 { 20 } else { 0 };
    Layout::horizontal([Constraint::Length(steps), Constraint::Min(30)]).areas(area)
}

/// The label of the wizard's question for a plan field, for messages.
fn label_of(app: &App, field: &str) -> Option<&'static str> {
    fields::all()
        .into_iter()
        .find(|s| fields::owns(s.paths, field))
        .map(|s| s.label(app.lang))
}

/// The review's lines, wrapped to `width`, and the line each choosable entry starts at.
pub fn lines(app: &App, width: u16) -> (Vec<Line<'static>>, Vec<(Entry, usize)>) {
    let th = &app.theme;
    let Some(r) = &app.review else {
        return (vec![], vec![]);
    };
    let mut out: Vec<Line<'static>> = Vec::new();
    let mut at: Vec<(Entry, usize)> = Vec::new();
    let selected = r.selected_entry();
    let mark = |e: Entry| if e == selected { "›" } else { " " };
    early(app, width, &mut out);
    // What the preflight says, first: it decides whether anything can be built.
    match &r.check {
        Check::Running => out.push(Line::from(Span::styled(
            format!(
                "{} {}",
                SPINNER[(app.tick % 4) as usize],
                app.t(
                    "Checking the answers against AWS (the same checks as `hawiz plan`)…",
                    "AWS에 대해 답을 확인하는 중 (`hawiz plan`과 같은 확인)…"
                )
            ),
            th.muted(),
        ))),
        Check::Refused(f) => {
            let n = r.messages().len();
            let text = if f.code == 2 {
                app.lang
                    .pick(
                        &format!("✗ The build cannot start: {} below. Choose one and press Enter to go to its answer; nothing has been created.", crate::i18n::count(n, "problem")),
                        &format!("✗ 아래 문제 {n}개 때문에 구축을 시작할 수 없습니다. 하나를 골라 Enter를 누르면 해당 답으로 갑니다. 아무것도 만들지 않았습니다."),
                    )
                    .to_string()
            } else {
                app.t(
                    "✗ The answers could not be checked against AWS, so the build cannot start yet (r checks again):",
                    "✗ AWS에 대해 답을 확인할 수 없어 아직 구축할 수 없습니다 (r로 다시 확인):",
                )
                .to_string()
            };
            out.extend(para(&text, th.error(), width));
        }
        Check::Passed(p) => {
            let mut parts: Vec<String> = Vec::new();
            for (action, n) in counts(p) {
                if n == 0 {
                    continue;
                }
                let word = match action {
                    Op::Keep => app.t("present", "있음"),
                    Op::Yours => app.t("yours, used as is", "기존 리소스 사용"),
                    Op::Create => app.t("to create", "생성 예정"),
                    Op::Update => app.t("to change", "변경 예정"),
                    Op::Replace => app.t("to replace", "교체 예정"),
                    Op::Delete => app.t("to delete", "삭제 예정"),
                };
                parts.push(format!("{} {n} {word}", action.symbol()));
            }
            out.extend(para(&parts.join(" · "), th.title(), width));
            let created = p.count(Op::Keep) > 0 || p.count(Op::Update) > 0;
            let to_do = [Op::Create, Op::Update, Op::Replace, Op::Delete]
                .into_iter()
                .any(|op| p.count(op) > 0);
            let note = if p.existed && created && !to_do {
                app.t(
                    "✓ Checked against AWS. All of this stack is there as planned: building changes nothing.",
                    "✓ AWS에 대해 확인했습니다. 이 스택은 계획대로 모두 있습니다. 구축해도 바뀌는 것이 없습니다.",
                )
            } else if p.existed && created {
                app.t(
                    "✓ Checked against AWS. This stack exists in part: what is present stays, only the rest is made.",
                    "✓ AWS에 대해 확인했습니다. 이 스택은 일부가 있습니다. 있는 것은 그대로 두고 나머지만 만듭니다.",
                )
            } else {
                app.t(
                    "✓ Checked against AWS. Nothing has been created yet.",
                    "✓ AWS에 대해 확인했습니다. 아직 아무것도 만들지 않았습니다.",
                )
            };
            out.extend(para(note, th.mood(super::super::theme::Mood::Ok), width));
            if let Some((Some(was), now)) = p.cost
                && (was - now).abs() > 0.005
            {
                out.push(Line::from(Span::styled(
                    format!(
                        "{} {was:.2} → {now:.2} USD",
                        app.t("Monthly estimate:", "월 추정 비용:")
                    ),
                    th.warning(),
                )));
            }
        }
    }
    // Every message, in full, at its answer.
    for (i, n) in r.messages().iter().enumerate() {
        let e = Entry::Message(i);
        at.push((e, out.len()));
        let (sym, style) = if n.error {
            ("✗", th.error())
        } else {
            ("⚠", th.warning())
        };
        let label = n
            .field
            .as_deref()
            .and_then(|f| label_of(app, f))
            .map(|l| format!("{l}: "))
            .unwrap_or_default();
        let text = format!("{} {sym} {label}{}", mark(e), app.lang.pick(&n.en, &n.ko));
        let mut l = para(&text, style, width);
        if e == selected
            && let Some(first) = l.first_mut()
        {
            *first = first.clone().patch_style(th.focus());
        }
        out.extend(l);
    }
    if let Check::Passed(p) = &r.check {
        for note in &p.notes {
            out.extend(para(
                &format!("  {}", note.pick(app.lang)),
                th.muted(),
                width,
            ));
        }
    }
    // The question's choices (what a replacement needs, database changes now).
    let boxed = |on: bool| if on { "[x]" } else { "[ ]" };
    if let Check::Passed(p) = &r.check {
        for o in &p.question.options {
            let e = Entry::Choice(o.choice);
            at.push((e, out.len()));
            let style = if e == selected { th.focus() } else { th.text() };
            out.extend(para(
                &format!(
                    "{} {} {}",
                    mark(e),
                    boxed(r.answer.has(o.choice)),
                    o.label.pick(app.lang)
                ),
                style,
                width,
            ));
        }
    }
    // The build line.
    out.push(Line::raw(""));
    at.push((Entry::Build, out.len()));
    let build_style = match (&r.check, selected == Entry::Build) {
        (Check::Passed(_), true) => th.selected(),
        (Check::Passed(_), false) => th.text(),
        _ => th.muted(),
    };
    let build = match &r.check {
        Check::Passed(_) => app.t("Build it (Enter)", "구축하기 (Enter)"),
        Check::Running => app.t(
            "Build it (once the checks pass)",
            "구축하기 (확인을 통과하면)",
        ),
        Check::Refused(_) => app.t(
            "Build it (not while the checks refuse)",
            "구축하기 (확인에서 거부되는 동안은 안 됨)",
        ),
    };
    out.push(Line::from(Span::styled(
        format!("{} ▶ {build}", mark(Entry::Build)),
        build_style,
    )));
    if r.confirm
        && let Check::Passed(p) = &r.check
    {
        // The run layer's question, in sight of what it says a yes means.
        let q = &p.question;
        out.extend(para(
            &format!(
                "{} {}",
                q.ask(app.lang),
                app.t("Enter: yes · Esc: not yet", "Enter: 예 · Esc: 아직")
            ),
            th.focus(),
            width,
        ));
        for f in q.facts_for(&r.answer) {
            out.extend(super::fact(app, &f, width));
        }
    }
    if let Some((en, ko)) = &app.notice {
        out.extend(para(app.lang.pick(en, ko), th.error(), width));
    }
    if let Some(path) = &app.saved_plan {
        out.extend(para(
            &format!("{} {}", app.t("Plan saved:", "계획 저장:"), path.display()),
            th.muted(),
            width,
        ));
    }
    out.push(Line::raw(""));
    resources(app, r, width, &mut out);
    out.push(Line::raw(""));
    cost(app, r, width, &mut out);
    // The step's lesson (the surprise bill: what the biggest lines are and how it ends),
    // as plain mode prints it, beside the numbers it explains.
    let (title, lesson) = super::wizard::explanation_lines(app, crate::wizard::REVIEW, width);
    out.push(Line::raw(""));
    out.push(Line::from(Span::styled(
        title.trim().to_string(),
        th.title(),
    )));
    out.extend(lesson);
    (out, at)
}

/// One line per kind and action: "+  4 × subnet  public-a, public-c, …".
/// What was built while the user answered, and what the build does about it.
fn early(app: &App, width: u16, out: &mut Vec<Line<'static>>) {
    let th = &app.theme;
    let Some(summary) = app.early.progress.summary(app.lang) else {
        return;
    };
    let then = app.t(
        "The build waits for the part under way, then makes the rest and changes what your later answers change.",
        "구축은 진행 중인 부분을 기다린 뒤 나머지를 만들고, 나중에 바꾼 답대로 고칩니다.",
    );
    out.extend(para(&format!("{summary} {then}"), th.text(), width));
    if let Some(stop) = app.early.progress.stop_line(app.lang) {
        out.extend(para(&stop, th.warning(), width));
    }
    out.push(Line::raw(""));
}

fn resources(app: &App, r: &Review, width: u16, out: &mut Vec<Line<'static>>) {
    let th = &app.theme;
    out.push(Line::from(Span::styled(
        app.t("Resources", "리소스"),
        th.title(),
    )));
    let prefix = format!("{}-", r.plan.stack.name);
    let short = |n: &str| n.trim_start_matches(&prefix).to_string();
    let mut rows: Vec<(String, &'static str, Vec<String>, bool)> = Vec::new();
    match &r.check {
        Check::Passed(p) => {
            for i in &p.items {
                let sym = i.action.symbol().to_string();
                match rows
                    .iter_mut()
                    .find(|(s, k, _, _)| *s == sym && *k == i.kind)
                {
                    Some(row) => row.2.push(short(&i.name)),
                    None => rows.push((sym, i.kind, vec![short(&i.name)], i.action == Op::Keep)),
                }
            }
        }
        _ => {
            for g in &r.groups {
                let sym = if g.adopted { "=" } else { "+" };
                rows.push((sym.into(), g.kind, g.names.clone(), g.adopted));
            }
        }
    }
    for (sym, kind, names, quiet) in rows {
        let style = if quiet { th.muted() } else { th.text() };
        let line = Line::from(vec![
            Span::styled(
                format!(
                    "{sym:<3} {:>2} × {} ",
                    names.len(),
                    crate::i18n::text::pad(app.lang.kind(kind), 17)
                ),
                style,
            ),
            Span::styled(names.join(", "), th.accent()),
        ]);
        out.extend(super::wrap_lines(vec![line], width));
    }
    if let Check::Passed(p) = &r.check {
        for i in p.items.iter().filter(|i| !i.detail.is_empty()) {
            out.extend(para(
                &format!("    {} {}: {}", i.action.symbol(), short(&i.name), i.detail),
                th.warning(),
                width,
            ));
        }
    }
}

fn cost(app: &App, r: &Review, width: u16, out: &mut Vec<Line<'static>>) {
    let th = &app.theme;
    out.push(Line::from(Span::styled(
        app.t("Monthly cost", "월 비용"),
        th.title(),
    )));
    match &r.cost {
        Ok(est) => {
            for l in &est.lines {
                let loud = matches!(l.key, "nat" | "rds");
                let style = if loud { th.warning() } else { th.text() };
                out.extend(super::wrap_lines(
                    vec![Line::from(vec![
                        Span::styled(format!("{:>8.2}  ", l.monthly), style),
                        Span::styled(l.item(app.lang).to_string(), style),
                    ])],
                    width,
                ));
            }
            out.push(Line::from(Span::styled(
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
            out.extend(para(&note, th.muted(), width));
        }
        Err(e) => out.extend(para(e, th.error(), width)),
    }
}

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let th = &app.theme;
    let [steps, list] = areas(area);
    if steps.width > 0 {
        super::wizard::step_list(frame, app, steps);
    }
    let (lines, _) = lines(app, super::inner(list).width);
    let scroll = app.review.as_ref().map_or(0, |r| usize::from(r.scroll));
    let confirm = app.review.as_ref().is_some_and(|r| r.confirm);
    let title = match &app.origin {
        Some(p) => format!(
            " {} · {} {} ",
            app.t("Review", "검토"),
            app.t("saves to", "저장 위치"),
            p.display()
        ),
        None => app.t(" Review ", " 검토 ").to_string(),
    };
    let block = Block::bordered()
        .border_style(th.border(confirm))
        .title(Span::styled(title, th.title()));
    scrolled(
        frame,
        app,
        Some(Scroller::Review),
        area_or(list, area),
        block,
        lines,
        scroll,
    );
}

fn area_or(list: Rect, area: Rect) -> Rect {
    if list.width == 0 { area } else { list }
}
