//! The wizard screen: step list, the step's form (scrolled to keep the focused field in
//! view), and its explanation (scrolled with the scroll keys or the mouse wheel).

use super::super::app::{App, Loadable};
use super::{Now, SPINNER, scrolled};
use crate::i18n::text::wrap;
use crate::ops::lists::Tier;
use crate::wizard::fields::FieldId;
use crate::wizard::fields::{Kind, Source};
use crate::wizard::{self, REVIEW, STEPS};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Paragraph};

/// The step list, the form, the explanation.
pub fn areas(area: Rect) -> [Rect; 3] {
    // Narrow terminals give the form the room: a slimmer step list and explanation.
    let (steps_w, text_pct) = if area.width < 100 { (18, 30) } else { (20, 35) };
    Layout::horizontal([
        Constraint::Length(steps_w),
        Constraint::Min(30),
        Constraint::Percentage(text_pct),
    ])
    .areas(area)
}

pub fn draw(frame: &mut Frame, app: &App, area: Rect, now: &Now) {
    let [steps, form, text] = areas(area);
    step_list(frame, app, steps);
    form_panel(frame, app, form, now);
    explanation(frame, app, text, app.step);
}

pub fn step_list(frame: &mut Frame, app: &App, area: Rect) {
    let th = &app.theme;
    let marks = app.step_marks();
    // A name longer than the list is wide goes on under itself, never cut ("5 Launch
    // tem"): the list, the form's title and the help name each step the same way.
    let room = usize::from(super::inner(area).width)
        .saturating_sub(4)
        .max(4);
    let mut lines: Vec<Line> = Vec::new();
    for i in 0..STEPS.len() {
        let (mark, style) = if i == app.step {
            ("▸", th.focus())
        } else if i < app.step && !marks.get(&i).copied().unwrap_or(false) {
            ("✓", th.mood(super::super::theme::Mood::Ok))
        } else if marks.get(&i).copied().unwrap_or(false) && i < app.step {
            ("!", th.error())
        } else {
            ("·", th.muted())
        };
        for (n, part) in crate::i18n::text::wrap(wizard::title(i, app.lang), room)
            .into_iter()
            .enumerate()
        {
            let lead = if n == 0 {
                format!("{mark} {i} ")
            } else {
                "    ".into()
            };
            lines.push(Line::from(vec![
                Span::styled(lead, style),
                Span::styled(part, style),
            ]));
        }
    }
    if let Some(line) = early_line(app) {
        lines.push(Line::raw(""));
        for part in crate::i18n::text::wrap(&line.0, room + 2) {
            lines.push(Line::from(Span::styled(part, line.1)));
        }
    }
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .border_style(th.border(false))
                .title(Span::styled(app.t(" Steps ", " 단계 "), th.title())),
        ),
        area,
    );
}

/// Build while answering, in a few words under the steps: how much is built, and whether
/// it goes on.
fn early_line(app: &App) -> Option<(String, ratatui::style::Style)> {
    let th = &app.theme;
    let t = app.early.progress.tally()?;
    let total = t.ready + t.building + t.to_come;
    Some(if app.early.progress.stopped.is_some() {
        (
            app.t(
                "! building stopped: see the review",
                "! 구축 멈춤: 검토 화면 참고",
            )
            .to_string(),
            th.warning(),
        )
    } else if app.early.progress.running {
        (
            format!(
                "{} {} {}/{total}",
                SPINNER[(app.tick % 4) as usize],
                app.t("building", "구축 중"),
                t.ready
            ),
            th.muted(),
        )
    } else {
        (
            format!("✓ {} {}/{total}", app.t("built", "만듦"), t.ready),
            th.mood(super::super::theme::Mood::Ok),
        )
    })
}

fn form_panel(frame: &mut Frame, app: &App, area: Rect, now: &Now) {
    let th = &app.theme;
    let mut lines: Vec<Line> = Vec::new();
    let label_width = app
        .fields()
        .iter()
        .map(|s| unicode_width(s.label(app.lang)))
        .max()
        .unwrap_or(10)
        .min(24);
    let mut cursor: Option<(u16, u16)> = None;
    // Where the focused field starts and ends, to keep it in view.
    let mut focus_lines = (0usize, 0usize);
    for (i, spec) in app.fields().iter().enumerate() {
        let focused = i == app.focus;
        if focused {
            focus_lines.0 = lines.len();
        }
        let label = spec.label(app.lang);
        let pad = label_width.saturating_sub(unicode_width(label));
        let mut spans = vec![
            Span::styled(if focused { "› " } else { "  " }, th.focus()),
            Span::styled(
                format!("{label}{} ", " ".repeat(pad)),
                if focused { th.focus() } else { th.text() },
            ),
        ];
        let value = app.value(spec.id);
        match &spec.kind {
            Kind::Text(source) => {
                let shown = if value.is_empty() {
                    app.t("(empty)", "(비어 있음)").to_string()
                } else {
                    value.clone()
                };
                let style = if value.is_empty() {
                    th.muted()
                } else if focused {
                    th.selected()
                } else {
                    th.accent()
                };
                if focused {
                    let col = app
                        .inputs
                        .get(&spec.id)
                        .map_or(value.chars().count(), |e| e.cursor);
                    let before: usize = spans.iter().map(|s| s.width()).sum();
                    let typed: String = value.chars().take(col).collect();
                    cursor = Some((
                        area.x + 1 + (before + unicode_width(&typed)) as u16,
                        area.y + 1 + lines.len() as u16,
                    ));
                }
                spans.push(Span::styled(shown, style));
                if let Some(source) = source {
                    spans.push(suggestion_hint(app, *source, focused));
                }
            }
            Kind::Choice(options) => {
                let label = options
                    .iter()
                    .find(|(v, _, _)| *v == value)
                    .map(|(_, en, ko)| app.lang.pick(en, ko))
                    .unwrap_or(&value);
                spans.push(Span::styled(
                    format!("◂ {label} ▸"),
                    if focused { th.selected() } else { th.accent() },
                ));
            }
            Kind::Toggle => {
                let on = value == "true";
                let text = if on {
                    app.t("[x] yes", "[x] 예")
                } else {
                    app.t("[ ] no", "[ ] 아니요")
                };
                spans.push(Span::styled(
                    text,
                    if focused { th.selected() } else { th.accent() },
                ));
            }
        }
        lines.push(Line::from(spans));
        let (errors, warnings) = app.messages(spec);
        // Messages sit under their field, indented, wrapped to the panel.
        let room = (area.width as usize).saturating_sub(2 + 6);
        for (mark, text, style) in errors
            .iter()
            .map(|e| ("✗", e, th.error()))
            .chain(warnings.iter().map(|w| ("⚠", w, th.warning())))
        {
            for (i, part) in wrap(text, room).into_iter().enumerate() {
                let lead = if i == 0 {
                    format!("    {mark} ")
                } else {
                    "      ".to_string()
                };
                lines.push(Line::from(Span::styled(format!("{lead}{part}"), style)));
            }
        }
        if focused {
            focus_lines.1 = lines.len();
        }
    }
    if let Some(extra) = step_extra(app, now) {
        lines.push(Line::raw(""));
        // Picking a subnet: the highlighted one is what must stay in view.
        if app.focused().is_some_and(|s| app.picking(&s)) {
            focus_lines.1 = lines.len() + 2 + app.pick;
            // (+1 for the list's heading, +1 to include the line itself)
        }
        lines.extend(extra);
    }
    if let Some((en, ko)) = &app.notice {
        lines.push(Line::raw(""));
        lines.push(Line::from(Span::styled(
            app.lang.pick(en, ko).to_string(),
            th.warning(),
        )));
    }
    let title = format!(" {} {} ", app.step, wizard::title(app.step, app.lang));
    let inner_width = area.width.saturating_sub(2);
    // Where the focus is once wrapped.
    let wrapped =
        |n: usize| super::wrap_lines(lines[..n.min(lines.len())].to_vec(), inner_width).len();
    let (start, end) = (wrapped(focus_lines.0), wrapped(focus_lines.1));
    let picking = app.focused().is_some_and(|s| app.picking(&s));
    let lines = super::wrap_lines(lines, inner_width);
    // The focused field (with its messages, or the highlighted subnet when picking)
    // stays in view; the rest scrolls with it.
    let height = usize::from(area.height.saturating_sub(2));
    let offset = match end.checked_sub(height) {
        Some(o) if picking => o,
        Some(o) => o.min(start),
        None => 0,
    };
    let block = Block::bordered()
        .border_style(th.border(true))
        .title(Span::styled(title, th.title()));
    scrolled(frame, app, None, area, block, lines, offset);
    // The terminal cursor sits in the focused text field (when it fits on its line).
    let shift = u16::try_from(offset).unwrap_or(u16::MAX);
    if let Some((x, y)) = cursor
        && y >= area.y + 1 + shift
        && x < area.x + 1 + inner_width
        && y - shift < area.y + area.height.saturating_sub(1)
        && !app.help
        && app.dialog.is_none()
    {
        frame.set_cursor_position((x, y - shift));
    }
}

fn unicode_width(s: &str) -> usize {
    Span::raw(s).width()
}

/// "◐ loading" or "ctrl-n: 3 from AWS" next to a field that AWS fills.
fn suggestion_hint(app: &App, source: Source, focused: bool) -> Span<'static> {
    let th = &app.theme;
    match app.lists.get(&source) {
        Some(Loadable::Loading) => Span::styled(
            format!(" {}", SPINNER[(app.tick % 4) as usize]),
            th.mood(super::super::theme::Mood::Busy),
        ),
        Some(Loadable::Ready(list)) if focused && !list.is_empty() => Span::styled(
            format!(
                "  ctrl-n/p: {}",
                app.t(
                    &format!("{} from AWS", list.len()),
                    &format!("{}개 (AWS)", list.len())
                )
            ),
            th.muted(),
        ),
        Some(Loadable::Failed(_)) if focused => Span::styled(
            format!("  {}", app.t("(could not list)", "(목록을 못 읽음)")),
            th.warning(),
        ),
        _ => Span::raw(""),
    }
}

/// Step-specific facts under the form: who you are, the chosen VPC's subnets to pick.
fn step_extra(app: &App, now: &Now) -> Option<Vec<Line<'static>>> {
    let th = &app.theme;
    match app.step {
        0 => Some(match &app.identity {
            Loadable::Ready(i) => vec![
                Line::from(Span::styled(format!("{} {}", app.t("Account:", "계정:"), i.account), th.text())),
                Line::from(Span::styled(i.arn.clone(), th.muted())),
            ],
            Loadable::Failed(e) => vec![
                Line::from(Span::styled(app.t("Not signed in to AWS:", "AWS에 로그인되어 있지 않습니다:").to_string(), th.error())),
                Line::from(Span::styled(e.clone(), th.muted())),
                Line::from(Span::styled(
                    app.t("Set AWS_PROFILE or run `aws sso login`; or try `hawiz --sandbox`.", "AWS_PROFILE을 설정하거나 `aws sso login`을 실행하세요. 또는 `hawiz --sandbox`로 연습하세요.").to_string(),
                    th.muted(),
                )),
            ],
            _ => vec![Line::from(Span::styled(format!("{} {}", SPINNER[(app.tick % 4) as usize], app.t("asking AWS who you are…", "AWS 계정 확인 중…")), th.muted()))],
        }),
        1 if app.plan.network.adopts_vpc() && app.subnets.ready().is_some() => Some(subnet_picker(app)),
        1 if app.plan.network.adopts_vpc() => match app.lists.get(&Source::Vpcs) {
            Some(Loadable::Ready(vpcs)) if !vpcs.is_empty() => Some(
                std::iter::once(Line::from(Span::styled(app.t("VPCs in this region:", "이 리전의 VPC:").to_string(), th.muted())))
                    .chain(vpcs.iter().take(6).map(|(_, label)| Line::from(Span::styled(format!("  {label}"), th.muted()))))
                    .collect(),
            ),
            _ => None,
        },
        6 => {
            let s = app.plan.scaling.schedule.first()?;
            let next = crate::plan::schedule::next_run(&s.cron, &s.timezone, now.utc)?;
            Some(vec![Line::from(Span::styled(
                format!("{} {next}", app.t("Next scheduled run:", "다음 예약 실행:")),
                th.muted(),
            ))])
        }
        REVIEW => None,
        _ => None,
    }
}

/// The explanation panel's title and lines: `# title`, then paragraphs, wrapped by
/// display width (Korean characters take two columns).
pub fn explanation_lines(app: &App, step: usize, width: u16) -> (String, Vec<Line<'static>>) {
    let th = &app.theme;
    let raw = wizard::explanation(step, app.lang);
    let width = usize::from(width);
    let mut title = String::new();
    let mut text = Text::default();
    for line in raw.lines() {
        if let Some(t) = line.strip_prefix("# ") {
            title = format!(" {t} ");
            continue;
        }
        let style: Style = if line.starts_with("Classic mistake") || line.starts_with("흔한 실수")
        {
            th.warning()
        } else {
            th.text()
        };
        if line.trim().is_empty() {
            if !text.lines.is_empty() {
                text.lines.push(Line::raw(""));
            }
            continue;
        }
        for wrapped in wrap(line, width) {
            text.lines.push(Line::from(Span::styled(wrapped, style)));
        }
    }
    (title, text.lines)
}

/// The explanation, scrolled: every word of it can be read at 80×24.
pub fn explanation(frame: &mut Frame, app: &App, area: Rect, step: usize) {
    let th = &app.theme;
    let (title, lines) = explanation_lines(app, step, super::inner(area).width);
    let block = Block::bordered()
        .border_style(th.border(false))
        .title(Span::styled(title, th.title()));
    scrolled(
        frame,
        app,
        Some(crate::tui::app::Scroller::Explanation),
        area,
        block,
        lines,
        usize::from(app.text_scroll),
    );
}

/// An adopted VPC's subnets, to pick for the focused tier: Name tag, ID, CIDR, AZ and
/// how it reaches the internet; `[x]` picked here, `[~]` picked for the other tier.
fn subnet_picker(app: &App) -> Vec<Line<'static>> {
    let th = &app.theme;
    let Some(subnets) = app.subnets.ready() else {
        return vec![];
    };
    let focused = app.focused().map(|s| s.id);
    let picking = matches!(
        focused,
        Some(FieldId::PublicSubnetIds | FieldId::PrivateSubnetIds)
    );
    let net = &app.plan.network;
    let (mine, other) = match focused {
        Some(FieldId::PrivateSubnetIds) => (&net.private_subnet_ids, &net.public_subnet_ids),
        _ => (&net.public_subnet_ids, &net.private_subnet_ids),
    };
    let mut out = vec![Line::from(Span::styled(
        if picking {
            format!(
                "{} ({} {}, {})",
                app.t("Subnets of this VPC", "이 VPC의 서브넷"),
                app.keys.short(crate::tui::keys::Action::Toggle),
                app.t("picks", "선택"),
                app.t("←→ moves", "←→ 이동")
            )
        } else {
            app.t("Subnets of this VPC:", "이 VPC의 서브넷:")
                .to_string()
        },
        th.muted(),
    ))];
    if subnets.is_empty() {
        out.push(Line::from(Span::styled(
            app.t(
                "  (this VPC has no subnets)",
                "  (이 VPC에 서브넷이 없습니다)",
            ),
            th.warning(),
        )));
    }
    for (i, s) in subnets.iter().enumerate() {
        let mark = if picking && mine.contains(&s.id) {
            "[x]"
        } else if picking && other.contains(&s.id) {
            "[~]"
        } else if picking {
            "[ ]"
        } else {
            " · "
        };
        let here = picking && i == app.pick;
        let style = if here {
            th.selected()
        } else if s.tier == Tier::Public {
            th.accent()
        } else {
            th.text()
        };
        let name = if s.name.is_empty() {
            String::new()
        } else {
            format!("{} ", s.name)
        };
        out.push(Line::from(vec![
            Span::styled(format!("{} {mark} ", if here { "›" } else { " " }), style),
            Span::styled(format!("{name}{} ", s.id), style),
            Span::styled(
                format!("{} {} {}", s.tier_text(app.lang), s.cidr, s.az),
                if here { th.selected() } else { th.muted() },
            ),
        ]));
    }
    out
}
