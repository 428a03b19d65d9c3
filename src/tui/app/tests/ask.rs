//! An operation's question in the wizard: asked of the run layer first, shown, answered.

use super::*;

fn drill_question() -> crate::ops::Question {
    use crate::ops::{Fact, Question, Tone};
    Question {
        title: crate::i18n::Text::new("Break it on purpose now?", "지금 일부러 고장 낼까요?"),
        facts: vec![Fact::new(
            Tone::Info,
            "Drill on stack \"shop\": terminate app instance i-1 in ap-northeast-2a.",
            "스택 shop 훈련: ap-northeast-2a의 앱 인스턴스 i-1을 종료합니다.",
        )],
        options: vec![],
        needed: true,
        declined: crate::i18n::Text::new("nothing was broken", "아무것도 고장 내지 않았습니다"),
    }
}

/// The drill is asked of the run layer first: the dialog waits for its question (which
/// names the instance and its AZ), nothing runs before a yes to that question, and Esc
/// lets the operation go.
#[test]
fn the_drill_is_asked_for_run_and_ends_back_at_the_saved_stacks() {
    let mut plan = Plan::default();
    plan.resolve(None);
    let mut a = App::new(
        plan,
        Lang::En,
        Theme::load("dark", false).unwrap(),
        Keymap::load().unwrap(),
        vec![saved("shop")],
        true,
    );
    a.update(Msg::Resize(80, 24));
    assert!(matches!(a.screen, Screen::Resume { .. }));
    let fx = press(&mut a, Action::DrillDatabase);
    let asked = ticket_of(&fx, |e| match e {
        Effect::Ask {
            ticket,
            op:
                Op::Drill {
                    stack,
                    part: crate::ops::drill::Part::Database,
                },
            ..
        } if stack == "shop" => Some(*ticket),
        _ => None,
    });
    // Nothing breaks before the question is there, let alone answered.
    assert!(press(&mut a, Action::Yes).is_empty());
    assert!(matches!(a.dialog, Some(Dialog::Ask(_))));
    let fx = press(&mut a, Action::Back);
    assert_eq!(a.dialog, None);
    assert!(matches!(
        fx.as_slice(),
        [Effect::Answer { ticket, answer, .. }] if *ticket == asked && !answer.yes
    ));
    // The region drill is asked the same way, for the run layer to refuse a stack
    // without a standby (saying why) or to name the health check it inverts.
    let fx = press(&mut a, Action::DrillRegion);
    let region = ticket_of(&fx, |e| match e {
        Effect::Ask {
            ticket,
            op:
                Op::Drill {
                    stack,
                    part: crate::ops::drill::Part::Region,
                },
            ..
        } if stack == "shop" => Some(*ticket),
        _ => None,
    });
    assert_ne!(region, asked);
    press(&mut a, Action::Back);
    let fx = press(&mut a, Action::Drill);
    let asked = ticket_of(&fx, |e| match e {
        Effect::Ask {
            ticket,
            op: Op::Drill { .. },
            ..
        } => Some(*ticket),
        _ => None,
    });
    a.update(Msg::Loaded(
        asked,
        Loaded::Asked(Ok(Box::new(drill_question()))),
    ));
    let fx = press(&mut a, Action::Yes);
    let ticket = ticket_of(&fx, |e| match e {
        Effect::Answer {
            ticket,
            answer,
            run,
        } if *ticket == asked && answer.yes => Some(*run),
        _ => None,
    });
    assert_eq!(a.screen, Screen::Build);
    let now = Instant::now();
    a.update(Msg::Loaded(
        ticket,
        Loaded::Started(Ok(Box::new(BuildState::empty(RunKind::Drill, now)))),
    ));
    let result = crate::ops::drill::DrillResult {
        stack: "shop".into(),
        part: crate::ops::drill::Part::Instance,
        started: "2026-11-23 10:00:00 UTC".into(),
        victim: "i-1".into(),
        zone_before: "ap-northeast-2a".into(),
        zone_after: Some("ap-northeast-2a".into()),
        detect_secs: Some(0),
        replace_secs: Some(0),
        healthy_secs: Some(1),
        requests_ok: 0,
        requests_failed: 0,
        probed: false,
        emulator: true,
        healed: true,
        promoted: false,
        dns_secs: None,
    };
    a.update(Msg::Loaded(
        ticket,
        Loaded::Done(Ok(RunEnd::Drilled(Box::new(result.clone()))), now),
    ));
    let b = a.build.as_ref().unwrap();
    assert!(b.finished());
    assert_eq!(b.drill.as_deref(), Some(&result));
    press(&mut a, Action::Confirm);
    assert!(matches!(a.screen, Screen::Resume { .. }));
}

/// The question is long and read before a yes: it can be read in the other language,
/// and the dialog stays.
#[test]
fn a_question_can_be_read_in_the_other_language() {
    let mut a = app();
    a.stacks = vec![saved("shop")];
    a.screen = Screen::Resume {
        selected: 0,
        confirm_destroy: false,
    };
    let fx = press(&mut a, Action::Destroy);
    let asked = ticket_of(&fx, |e| match e {
        Effect::Ask {
            ticket,
            op: Op::Destroy { stack },
            ..
        } if stack == "shop" => Some(*ticket),
        _ => None,
    });
    a.update(Msg::Loaded(
        asked,
        Loaded::Asked(Ok(Box::new(drill_question()))),
    ));
    let fx = press(&mut a, Action::Language);
    assert_eq!(a.lang, Lang::Ko);
    assert!(matches!(fx.as_slice(), [Effect::SaveSettings(_)]));
    assert!(matches!(a.dialog, Some(Dialog::Ask(_))), "still asking");
}
