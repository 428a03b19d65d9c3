//! Build while answering in the wizard: asked once after the network step (no by
//! default), each confirmed step sent on, what the run layer reports kept on rows, a
//! stop said, and leaving with part of a stack made asks to keep or delete it.

use super::*;
use crate::engine::events::{Event as ResourceEvent, What};
use crate::ops::early::{self, Report};

/// Leave the network step of a new setup: the question is up.
fn offered() -> App {
    let mut a = app();
    assert!(
        press(&mut a, Action::NextStep)
            .iter()
            .all(|e| !matches!(e, Effect::Early { .. }))
    );
    assert_eq!(a.step, 1);
    assert!(a.dialog.is_none(), "not asked before the network step");
    let fx = press(&mut a, Action::NextStep);
    assert!(
        fx.iter().all(|e| !matches!(e, Effect::Early { .. })),
        "{fx:?}"
    );
    match &a.dialog {
        Some(Dialog::Ask(q)) => {
            assert!(matches!(q.op, Op::Early { .. }));
            let Loadable::Ready(question) = &q.question else {
                panic!("asked with its question: {:?}", q.question)
            };
            assert!(question.facts.iter().any(|f| f.text.en.contains("/hour")));
        }
        d => panic!("the question is asked: {d:?}"),
    }
    a
}

fn early_of(fx: &[Effect]) -> (u64, usize) {
    fx.iter()
        .find_map(|e| match e {
            Effect::Early {
                ticket, through, ..
            } => Some((*ticket, *through)),
            _ => None,
        })
        .expect("the build while answering was sent the step")
}

fn started(a: &mut App, ticket: u64, through: usize) -> Vec<String> {
    let graph = crate::blueprint::build(&a.plan, std::path::Path::new("")).unwrap();
    let part = early::part(&a.plan, std::path::Path::new(""), through);
    a.update(Msg::Loaded(
        ticket,
        Loaded::Early(Report::Started {
            graph,
            part: part.clone(),
            through,
        }),
    ));
    part.into_iter().collect()
}

fn ready(a: &mut App, ticket: u64, key: &str) {
    let ev = crate::ops::Event::Resource(ResourceEvent {
        key: key.into(),
        kind: "vpc",
        name: key.into(),
        what: What::Ready {
            id: format!("id-{key}"),
            took: Duration::from_secs(1),
        },
    });
    a.update(Msg::Loaded(ticket, Loaded::Early(Report::Event(ev))));
}

fn ended(a: &mut App, ticket: u64, through: usize, result: Result<(), Failure>) -> Vec<Effect> {
    a.update(Msg::Loaded(
        ticket,
        Loaded::Early(Report::Ended {
            through,
            result: result.map(|()| Box::default()),
        }),
    ))
}

#[test]
fn the_offer_is_a_no_by_default_and_asked_once() {
    let mut a = offered();
    // Enter does not say yes; Esc is a no, and nothing is sent.
    assert!(press(&mut a, Action::Confirm).is_empty());
    assert!(a.dialog.is_some());
    assert!(press(&mut a, Action::Back).is_empty());
    assert_eq!(a.dialog, None);
    assert_eq!(a.step, 2);
    press(&mut a, Action::PrevStep);
    let fx = press(&mut a, Action::NextStep);
    assert_eq!(a.dialog, None, "asked once");
    assert!(fx.iter().all(|e| !matches!(e, Effect::Early { .. })));
    // Leaving builds nothing and asks nothing about it.
    assert_eq!(press(&mut a, Action::Quit), vec![Effect::Quit]);
}

#[test]
fn a_saved_stack_is_not_offered_it() {
    let mut a = app();
    a.continuing = Some("wordpress-ha".into());
    press(&mut a, Action::NextStep);
    press(&mut a, Action::NextStep);
    assert_eq!(a.step, 2);
    assert_eq!(a.dialog, None);
}

#[test]
fn a_yes_builds_the_network_and_each_confirmed_step_joins() {
    let mut a = offered();
    let fx = press(&mut a, Action::Yes);
    assert_eq!(a.dialog, None);
    let (ticket, through) = early_of(&fx);
    assert_eq!(through, 1, "the network first");
    let part = started(&mut a, ticket, 1);
    for key in &part {
        ready(&mut a, ticket, key);
    }
    let t = a.early.progress.tally().unwrap();
    assert_eq!(t.ready, part.len());
    assert!(t.to_come > 0);
    assert!(ended(&mut a, ticket, 1, Ok(())).contains(&Effect::RefreshStacks));

    // The bastion's step confirmed: it joins, under the same ticket, with the answers.
    a.plan.bastion.ssh_cidr = "198.51.100.7/32".into();
    let fx = press(&mut a, Action::NextStep);
    assert_eq!(early_of(&fx), (ticket, 2));
    assert!(fx.iter().any(|e| matches!(e,
        Effect::Early { plan, .. } if plan.bastion.ssh_cidr == "198.51.100.7/32")));
    // Back and forth again: what is sent never shrinks.
    press(&mut a, Action::PrevStep);
    let fx = press(&mut a, Action::NextStep);
    assert_eq!(early_of(&fx), (ticket, 2));
    // The next run keeps what the first built on its rows.
    started(&mut a, ticket, 2);
    assert_eq!(a.early.progress.tally().unwrap().ready, part.len());

    // Leaving now asks: keep (and leave) or delete (the usual destroy, asked first).
    assert!(press(&mut a, Action::Quit).is_empty());
    assert!(matches!(a.dialog, Some(Dialog::Leave { .. })));
    assert!(press(&mut a, Action::Back).is_empty());
    assert_eq!(a.dialog, None, "Esc stays");
    press(&mut a, Action::Quit);
    let fx = press(&mut a, Action::Destroy);
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::Ask { op: Op::Destroy { stack }, .. } if stack == "wordpress-ha")),
        "{fx:?}"
    );
    assert!(!a.early.on, "nothing more is sent once the delete is asked");
    press(&mut a, Action::Back);
    press(&mut a, Action::Quit);
    assert_eq!(
        press(&mut a, Action::Confirm),
        vec![Effect::Quit],
        "keep it and leave"
    );
}

#[test]
fn a_refused_run_stops_it_and_the_review_says_why() {
    let mut a = offered();
    let (ticket, _) = early_of(&press(&mut a, Action::Yes));
    started(&mut a, ticket, 1);
    ended(
        &mut a,
        ticket,
        1,
        Err(Failure::invalid("quota: no more VPCs in ap-northeast-2")),
    );
    assert!(!a.early.on);
    let fx = press(&mut a, Action::NextStep);
    assert!(
        fx.iter().all(|e| !matches!(e, Effect::Early { .. })),
        "stopped: {fx:?}"
    );
    while a.screen == Screen::Wizard {
        press(&mut a, Action::NextStep);
    }
    let (lines, _) = crate::tui::view::review::lines(&a, 200);
    let text: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    assert!(
        text.iter()
            .any(|l| l.contains("stopped: quota: no more VPCs in ap-northeast-2")),
        "{text:#?}"
    );
}

#[test]
fn the_build_takes_over_and_later_reports_are_dropped() {
    let mut a = offered();
    let (ticket, _) = early_of(&press(&mut a, Action::Yes));
    while a.screen == Screen::Wizard {
        let fx = press(&mut a, Action::NextStep);
        assert!(
            fx.iter()
                .all(|e| !matches!(e, Effect::Early { through, .. } if *through >= REVIEW - 1)),
            "the last steps are the review's build's: {fx:?}"
        );
    }
    a.early.progress.state = None;
    let fx = a.start_build(crate::ops::Answer {
        yes: true,
        ..Default::default()
    });
    assert!(fx.iter().any(|e| matches!(e, Effect::Build { .. })));
    started(&mut a, ticket, 3);
    assert!(
        a.early.progress.state.is_none(),
        "a report after the build took over is stale"
    );
}
