//! The resume screen: unfinished answers (if any), then the saved stacks with their
//! state, and continue / view / delete.

use super::super::app::App;
use super::super::app::resume::Saved;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

pub fn draw(frame: &mut Frame, app: &App, area: Rect, selected: usize, confirm: bool) {
    let th = &app.theme;
    let [list, text] =
        Layout::horizontal([Constraint::Min(40), Constraint::Percentage(40)]).areas(area);
    let mut lines = vec![Line::from(Span::styled(
        app.t(
            "Saved setups. Pick one to continue, or n for a new one.",
            "저장된 설정입니다. 이어서 할 것을 고르거나 n으로 새로 시작하세요.",
        ),
        th.text(),
    ))];
    lines.push(Line::raw(""));
    for (i, line) in app.saved().into_iter().enumerate() {
        let style = if i == selected {
            th.selected()
        } else {
            th.text()
        };
        match line {
            Saved::Draft => {
                let Some(d) = &app.draft else { continue };
                lines.push(Line::from(Span::styled(
                    app.lang
                        .pick(
                            &format!(
                                " Unfinished answers: {} · step {} · saved {} ",
                                d.plan.stack.name, d.step, d.saved
                            ),
                            &format!(
                                " 마치지 않은 답: {} · {}단계 · {} 저장 ",
                                d.plan.stack.name, d.step, d.saved
                            ),
                        )
                        .to_string(),
                    style,
                )));
            }
            Saved::Stack(j) => {
                let Some(s) = app.stacks.get(j) else { continue };
                // How far it got is known only where its state is.
                let made = if s.elsewhere {
                    "-".to_string()
                } else {
                    format!("{}/{}", s.made, s.total)
                };
                lines.push(Line::from(Span::styled(
                    format!(
                        " {:<24} {:<15} {} {made} ",
                        s.name,
                        s.region,
                        crate::i18n::text::pad(s.state(app.lang), 8),
                    ),
                    style,
                )));
                if let (true, Some(e)) = (i == selected, &s.last_error) {
                    lines.push(Line::from(Span::styled(format!("   {e}"), th.error())));
                }
                if i == selected && s.elsewhere {
                    lines.push(Line::from(Span::styled(
                        app.t(
                            "   In the account, no state on this machine: Enter or v rebuilds it from the account (its plan, its resources' tags).",
                            "   계정에 있고 이 컴퓨터에는 상태가 없습니다. Enter나 v를 누르면 계정에서(계획과 리소스 태그로) 다시 만듭니다.",
                        ),
                        th.muted(),
                    )));
                }
            }
        }
    }
    let chosen = app.saved().get(selected).copied();
    if confirm && chosen == Some(Saved::Draft) {
        lines.push(Line::raw(""));
        lines.push(Line::from(Span::styled(
            app.t(
                "Throw these unfinished answers away? y / esc",
                "마치지 않은 답을 버릴까요? y / esc",
            ),
            th.error(),
        )));
    }
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::bordered()
                .border_style(th.border(true))
                .title(Span::styled(app.t(" Resume ", " 이어서 하기 "), th.title())),
        ),
        list,
    );
    let help = app.lang.pick(
        &format!("hawiz remembers every resource it made (state file + tags). Continuing re-checks each one and creates only what is missing: nothing is made twice. Stacks marked \"account\" were built on another machine (or this one before its data was lost): the account keeps their plan, and any machine with the credentials can continue them. Built part of the lab by hand? {check} checks the region's VPCs for its HA mistakes and can adopt one.", check = app.keys.short(crate::tui::keys::Action::Check).to_uppercase()),
        &format!("hawiz는 만든 리소스를 모두 기억합니다(상태 파일 + 태그). 이어서 하면 하나하나 다시 확인하고 없는 것만 만듭니다. 같은 것을 두 번 만들지 않습니다. \"계정\"으로 표시된 스택은 다른 컴퓨터에서(또는 데이터를 잃기 전 이 컴퓨터에서) 만든 것입니다. 계정에 계획이 남아 있어 자격 증명이 있는 어느 컴퓨터에서나 이어서 할 수 있습니다. 실습 일부를 직접 만들었나요? {check} 리전의 VPC에서 고가용성 실수를 찾고 하나를 가져올 수 있습니다.", check = crate::i18n::korean::with(&app.keys.short(crate::tui::keys::Action::Check).to_uppercase(), crate::i18n::korean::Josa::IGa)),
    ).to_string();
    frame.render_widget(
        Paragraph::new(help)
            .wrap(Wrap { trim: true })
            .style(th.muted())
            .block(Block::bordered().border_style(th.border(false))),
        text,
    );
}
