//! Unit tests of `App::update`: the transitions of the loop, with no terminal and no AWS.

mod ask;
mod early;

use super::*;
use crate::ops::Failure;
use crate::progress::RunEnd;
use crate::progress::{BuildState, RunKind};
use crate::tui::msg::{Loaded, Preview};
use crate::wizard::REVIEW;
use std::time::{Duration, Instant};

pub(super) fn app() -> App {
    let mut plan = Plan::default();
    plan.resolve(None);
    plan.bastion.ssh_cidr = "203.0.113.10/32".into();
    let mut a = App::new(
        plan,
        Lang::En,
        Theme::load("dark", false).unwrap(),
        Keymap::load().unwrap(),
        vec![],
        false,
    );
    a.update(Msg::Resize(80, 24));
    a
}

/// As the loop does it: the frame is drawn, and what it showed handed back, before a key.
pub(super) fn drawn(a: &mut App) {
    let full = ratatui::layout::Rect::new(0, 0, a.size.0, a.size.1);
    let extents = crate::tui::view::extents(a, full);
    a.update(Msg::Drawn(extents));
}

pub(super) fn press(a: &mut App, action: Action) -> Vec<Effect> {
    drawn(a);
    a.update(Input::Do(action))
}

pub(super) fn ticket_of(fx: &[Effect], pick: impl Fn(&Effect) -> Option<u64>) -> u64 {
    fx.iter().find_map(pick).expect("the effect was asked for")
}

pub(super) fn saved(stack: &str) -> SavedStack {
    SavedStack {
        name: stack.into(),
        region: "ap-northeast-2".into(),
        made: 36,
        total: 50,
        last_error: None,
        elsewhere: false,
    }
}

/// Walk to the review (every step's defaults hold).
fn to_review(a: &mut App) -> Vec<Effect> {
    let mut fx = Vec::new();
    for _ in 0..REVIEW {
        fx = next(a);
    }
    assert_eq!(a.screen, Screen::Review, "{:?}", a.notice);
    fx
}

/// The next step, saying no to building while answering when it is offered.
pub(super) fn next(a: &mut App) -> Vec<Effect> {
    let fx = press(a, Action::NextStep);
    if let Some(Dialog::Ask(q)) = &a.dialog
        && matches!(q.op, Op::Early { .. })
    {
        assert!(press(a, Action::Back).is_empty(), "a no starts nothing");
    }
    fx
}

#[test]
fn a_stale_answer_is_dropped() {
    let mut a = app();
    let first = ticket_of(&a.load(Loader::List(Source::Vpcs)), |e| match e {
        Effect::Load { ticket, .. } => Some(*ticket),
        _ => None,
    });
    let second = ticket_of(&a.load(Loader::List(Source::Vpcs)), |e| match e {
        Effect::Load { ticket, .. } => Some(*ticket),
        _ => None,
    });
    a.update(Msg::Loaded(
        first,
        Loaded::List(Source::Vpcs, Ok(vec![("vpc-old".into(), "old".into())])),
    ));
    assert_eq!(a.lists.get(&Source::Vpcs), Some(&Loadable::Loading));
    a.update(Msg::Loaded(
        second,
        Loaded::List(Source::Vpcs, Ok(vec![("vpc-new".into(), "new".into())])),
    ));
    assert_eq!(
        a.lists.get(&Source::Vpcs),
        Some(&Loadable::Ready(vec![("vpc-new".into(), "new".into())]))
    );
}

#[test]
fn esc_never_leaves_without_asking() {
    let mut a = app();
    assert!(press(&mut a, Action::Back).is_empty());
    assert_eq!(a.dialog, Some(Dialog::Quit));
    press(&mut a, Action::Back);
    assert_eq!(a.dialog, None, "Esc in the question stays");
    press(&mut a, Action::Back);
    assert_eq!(press(&mut a, Action::Yes), vec![Effect::Quit]);
}

#[test]
fn every_change_saves_the_draft() {
    let mut a = app();
    let fx = a.update(Input::Type('x'));
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::SaveDraft(d) if d.profile.ends_with('x'))),
        "{fx:?}"
    );
}

#[test]
fn review_runs_the_preflight_and_refuses_to_build_while_it_refuses() {
    let mut a = app();
    let fx = to_review(&mut a);
    let t = ticket_of(&fx, |e| match e {
        Effect::Preflight { ticket, .. } => Some(*ticket),
        _ => None,
    });
    assert!(fx.iter().any(|e| matches!(e, Effect::SavePlan { .. })));
    // Enter on the build while checking: nothing starts.
    press(&mut a, Action::PrevField);
    let r = a.review.as_ref().unwrap();
    let build_at = r.entries().iter().position(|e| *e == Entry::Build).unwrap();
    a.review.as_mut().unwrap().selected = build_at;
    assert!(press(&mut a, Action::Confirm).is_empty());
    assert!(a.notice.is_some());
    // Refused: the message is chosen, Enter goes to its field, nothing is built.
    let refusal = Failure::refused(
        "refused",
        vec![crate::plan::Finding {
            field: "network.azs[1]".into(),
            message: "ap-northeast-2z is not an availability zone".into(),
            ko: "가용 영역이 아닙니다".into(),
        }],
    );
    a.update(Msg::Loaded(t, Loaded::Preflight(Err(refusal))));
    assert_eq!(
        a.review.as_ref().unwrap().selected_entry(),
        Entry::Message(0)
    );
    let fx = press(&mut a, Action::Confirm);
    assert!(!fx.iter().any(|e| matches!(e, Effect::Build { .. })));
    assert_eq!(a.screen, Screen::Wizard);
    assert_eq!(a.step, 1);
    assert_eq!(a.focused().unwrap().id, FieldId::Az2);
    // Back at the review, it checks again; a pass lets the build start after a yes.
    let fx = to_review_from(&mut a);
    let t = ticket_of(&fx, |e| match e {
        Effect::Preflight { ticket, .. } => Some(*ticket),
        _ => None,
    });
    a.update(Msg::Loaded(t, Loaded::Preflight(Ok(Box::default()))));
    assert_eq!(a.review.as_ref().unwrap().selected_entry(), Entry::Build);
    assert!(
        press(&mut a, Action::Confirm).is_empty(),
        "first a question"
    );
    let fx = press(&mut a, Action::Confirm);
    assert!(
        fx.iter().any(|e| matches!(e, Effect::Build { .. })),
        "{fx:?}"
    );
    assert_eq!(a.screen, Screen::Build);
}

fn to_review_from(a: &mut App) -> Vec<Effect> {
    let mut fx = Vec::new();
    while a.screen == Screen::Wizard {
        fx = next(a);
    }
    fx
}

#[test]
fn a_failed_build_goes_back_to_the_answers_and_timers_stop() {
    let mut a = app();
    to_review(&mut a);
    a.plan.app.max = 6;
    if let Some(r) = &mut a.review {
        r.check = Check::Passed(Preview::default());
    }
    let fx = a.start_build(crate::ops::Answer::default());
    let t = ticket_of(&fx, |e| match e {
        Effect::Build { ticket, .. } => Some(*ticket),
        _ => None,
    });
    let t0 = Instant::now();
    let mut plan = a.plan.clone();
    plan.resolve(None);
    let graph = crate::blueprint::build(&plan, std::path::Path::new("/tmp")).unwrap();
    let b = BuildState::new(&graph, "wordpress-ha", "ap-northeast-2", RunKind::Build, t0);
    let fx = a.update(Msg::Loaded(t, Loaded::Started(Ok(Box::new(b)))));
    assert!(fx.contains(&Effect::ClearDraft));
    // Esc while it runs asks.
    press(&mut a, Action::Back);
    assert_eq!(a.dialog, Some(Dialog::Quit));
    press(&mut a, Action::Back);
    let end = t0 + Duration::from_secs(30);
    a.update(Msg::Loaded(
        t,
        Loaded::Done(Err(Failure::failed("boom")), end),
    ));
    let b = a.build.as_ref().unwrap();
    assert_eq!(
        b.elapsed(end + Duration::from_secs(100)),
        Duration::from_secs(30)
    );
    // A late answer of an earlier run is dropped.
    a.update(Msg::Loaded(
        t - 1,
        Loaded::Done(Ok(RunEnd::Built(Box::default())), end),
    ));
    assert!(a.build.as_ref().unwrap().failure.is_some());
    let fx = press(&mut a, Action::Back);
    assert_eq!(a.screen, Screen::Review);
    assert_eq!(a.plan.app.max, 6, "every answer kept");
    assert!(fx.iter().any(|e| matches!(e, Effect::Preflight { .. })));
}

#[test]
fn a_new_setup_with_a_saved_name_says_so() {
    let mut a = app();
    a.stacks = vec![saved("wordpress-ha")];
    a.screen = Screen::Wizard;
    press(&mut a, Action::NextStep);
    assert_eq!(
        a.dialog,
        Some(Dialog::SameName {
            stack: "wordpress-ha".into()
        })
    );
    let fx = press(&mut a, Action::Confirm);
    assert!(
        fx.iter().any(
            |e| matches!(e, Effect::Open { stack, view: false, .. } if stack == "wordpress-ha")
        )
    );
}

#[test]
fn new_after_view_starts_from_the_defaults() {
    let mut a = app();
    a.stacks = vec![saved("other")];
    a.start();
    a.plan.stack.name = "other".into();
    a.plan.app.max = 9;
    a.screen = Screen::Resume {
        selected: 0,
        confirm_destroy: false,
    };
    press(&mut a, Action::New);
    assert_eq!(a.screen, Screen::Wizard);
    assert_eq!(a.plan.stack.name, "wordpress-ha");
    assert_eq!(a.plan.app.max, 4);
}

#[test]
fn the_draft_is_offered_and_restored() {
    let mut a = app();
    let mut p = a.plan.clone();
    p.stack.name = "half-done".into();
    a.draft = Some(Draft::new(p, 3, "work", None));
    a.start();
    assert!(matches!(a.screen, Screen::Resume { .. }));
    press(&mut a, Action::Confirm);
    assert_eq!(a.screen, Screen::Wizard);
    assert_eq!(a.step, 3);
    assert_eq!(a.plan.stack.name, "half-done");
    assert_eq!(a.profile, "work");
}

/// A new setup never replaces unfinished answers without asking: Enter continues them,
/// Esc goes back, and only `y` starts from the defaults.
#[test]
fn a_new_setup_over_unfinished_answers_asks_first() {
    let mut a = app();
    let mut p = a.plan.clone();
    p.stack.name = "half-done".into();
    a.draft = Some(Draft::new(p, 3, "work", None));
    a.start();
    press(&mut a, Action::New);
    assert_eq!(a.dialog, Some(Dialog::NewOverDraft));
    assert!(
        matches!(a.screen, Screen::Resume { .. }),
        "nothing started yet"
    );
    press(&mut a, Action::Back);
    assert_eq!(a.dialog, None);
    assert!(matches!(a.screen, Screen::Resume { .. }));
    press(&mut a, Action::New);
    press(&mut a, Action::Confirm);
    assert_eq!((a.screen.clone(), a.step), (Screen::Wizard, 3));
    assert_eq!(a.plan.stack.name, "half-done");
    let mut b = app();
    b.draft = a.draft.clone();
    b.start();
    press(&mut b, Action::New);
    press(&mut b, Action::Yes);
    assert_eq!((b.screen.clone(), b.step), (Screen::Wizard, 0));
    assert_eq!(b.plan.stack.name, "wordpress-ha");
}

#[test]
fn scroll_keys_and_the_wheel_move_the_explanation_within_its_text() {
    let mut a = app();
    a.step = 2;
    press(&mut a, Action::ScrollDown);
    let after_key = a.text_scroll;
    assert!(after_key > 0);
    drawn(&mut a);
    a.update(Input::Wheel(true));
    assert!(a.text_scroll > after_key);
    for _ in 0..100 {
        press(&mut a, Action::ScrollDown);
    }
    let full = ratatui::layout::Rect::new(0, 0, 80, 24);
    let (total, height) = crate::tui::view::scroll_room(&a, Scroller::Explanation, full);
    assert_eq!(
        usize::from(a.text_scroll),
        total - height,
        "stops at the last line"
    );
    press(&mut a, Action::NextStep);
    assert_eq!(a.text_scroll, 0, "a new step starts at the top");
}

/// A field fed by a list read from AWS refuses what the list lacks, at the field and in
/// `hawiz plan`'s words, whether the list came first or the answer did.
#[test]
fn values_the_loaded_list_lacks_are_refused_at_the_field() {
    let azs = |names: &[&str]| -> Vec<(String, String)> {
        names
            .iter()
            .map(|n| (n.to_string(), String::new()))
            .collect()
    };
    // The answer first, then the list.
    let mut a = app();
    a.answer(FieldId::Az2, "ap-northeast-2z");
    assert!(
        !a.invalid.contains_key(&FieldId::Az2),
        "nothing is refused before the list"
    );
    let t = ticket_of(&a.load(Loader::List(Source::Azs)), |e| match e {
        Effect::Load { ticket, .. } => Some(*ticket),
        _ => None,
    });
    let four = azs(&[
        "ap-northeast-2a",
        "ap-northeast-2b",
        "ap-northeast-2c",
        "ap-northeast-2d",
    ]);
    a.update(Msg::Loaded(t, Loaded::List(Source::Azs, Ok(four))));
    let e = a
        .invalid
        .get(&FieldId::Az2)
        .expect("refused once the list is there");
    assert!(
        e.en.contains("ap-northeast-2z is not an availability zone"),
        "{}",
        e.en
    );
    assert!(
        e.en.contains("ap-northeast-2a"),
        "names what there is: {}",
        e.en
    );
    // Fixed at the field: the message goes.
    a.answer(FieldId::Az2, "ap-northeast-2c");
    assert!(!a.invalid.contains_key(&FieldId::Az2));

    // A key pair that does not exist; empty means "create one" and passes.
    let t = ticket_of(&a.load(Loader::List(Source::KeyPairs)), |e| match e {
        Effect::Load { ticket, .. } => Some(*ticket),
        _ => None,
    });
    a.update(Msg::Loaded(
        t,
        Loaded::List(Source::KeyPairs, Ok(azs(&["mine"]))),
    ));
    a.answer(FieldId::KeyName, "nope");
    let e = a
        .invalid
        .get(&FieldId::KeyName)
        .expect("unknown key pair refused");
    assert!(e.en.contains("does not exist"), "{}", e.en);
    a.answer(FieldId::KeyName, "");
    assert!(!a.invalid.contains_key(&FieldId::KeyName));
    a.answer(FieldId::KeyName, "mine");
    assert!(!a.invalid.contains_key(&FieldId::KeyName));

    // An instance type of the right shape that the region does not offer.
    let t = ticket_of(&a.load(Loader::List(Source::InstanceTypes)), |e| match e {
        Effect::Load { ticket, .. } => Some(*ticket),
        _ => None,
    });
    let offered = azs(&["t3.micro", "t3.small"]);
    a.update(Msg::Loaded(
        t,
        Loaded::List(Source::InstanceTypes, Ok(offered)),
    ));
    a.answer(FieldId::AppType, "x9.large");
    let e = a.invalid.get(&FieldId::AppType).expect("not offered here");
    assert!(e.en.contains("x9.large"), "{}", e.en);
    a.answer(FieldId::AppType, "t3.small");
    assert!(!a.invalid.contains_key(&FieldId::AppType));
}

/// An answer that makes another one wrong shows the message there at once, before any
/// PgDn: a minimum above the maximum, the same AZ twice.
#[test]
fn an_answer_that_makes_another_wrong_is_marked_at_once() {
    let spec = |id| {
        crate::wizard::fields::all()
            .into_iter()
            .find(|s| s.id == id)
            .unwrap()
    };
    let shown = |a: &App, id: FieldId| !a.messages(&spec(id)).0.is_empty();
    // The minimum raised above the maximum: the message is the maximum's.
    let mut a = app();
    a.plan.app.max = 4;
    a.answer(FieldId::Min, "5");
    assert!(shown(&a, FieldId::Max), "min 5 / max 4 is marked");
    // The first AZ made the same as the second: the message is the second's.
    let mut a = app();
    let second = crate::wizard::fields::get(&a.plan, &a.profile, FieldId::Az2);
    a.answer(FieldId::Az1, &second);
    assert!(shown(&a, FieldId::Az2), "the same AZ twice is marked");
}

/// Adopted private subnets that all go out through one NAT gateway are warned at the
/// field, in `hawiz plan`'s words, as soon as they are picked.
#[test]
fn one_nat_for_both_adopted_azs_is_warned_at_the_field() {
    use crate::ops::lists::{SubnetChoice, Tier};
    let choice = |id: &str, az: &str, tier: Tier, via: &str| SubnetChoice {
        id: id.into(),
        name: String::new(),
        cidr: "10.1.0.0/24".into(),
        az: az.into(),
        tier,
        table: format!("rtb-{id}"),
        via: via.into(),
    };
    let mut a = app();
    a.plan.network.vpc_id = "vpc-0lab".into();
    a.subnets = Loadable::Ready(vec![
        choice("subnet-q1", "ap-northeast-2a", Tier::PrivateNat, "nat-0one"),
        choice("subnet-q2", "ap-northeast-2c", Tier::PrivateNat, "nat-0one"),
    ]);
    a.answer(FieldId::PrivateSubnetIds, "subnet-q1,subnet-q2");
    let spec = crate::wizard::fields::for_step(1)
        .into_iter()
        .find(|s| s.id == FieldId::PrivateSubnetIds)
        .unwrap();
    let (errors, warnings) = a.messages(&spec);
    assert!(errors.is_empty(), "{errors:?}");
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("one NAT gateway, nat-0one, serves the private subnets")),
        "{warnings:?}"
    );
}

/// Fast start: once the stack is up, Enter shows the final screen while the database's
/// standby is still being added; the run's end then says it is in place. A run that fails
/// after that goes back to the run screen, where the failure is.
#[test]
fn the_final_screen_comes_once_up_and_the_run_end_updates_it() {
    use crate::ops::db_standby::DbStandby;
    let mut a = app();
    to_review(&mut a);
    if let Some(r) = &mut a.review {
        r.check = Check::Passed(Preview::default());
    }
    let start = |a: &mut App| {
        let fx = a.start_build(crate::ops::Answer::default());
        let t = ticket_of(&fx, |e| match e {
            Effect::Build { ticket, .. } => Some(*ticket),
            _ => None,
        });
        let mut plan = a.plan.clone();
        plan.resolve(None);
        let graph = crate::blueprint::build(&plan, std::path::Path::new("/tmp")).unwrap();
        let b = BuildState::new(
            &graph,
            "wordpress-ha",
            "ap-northeast-2",
            RunKind::Build,
            Instant::now(),
        );
        a.update(Msg::Loaded(t, Loaded::Started(Ok(Box::new(b)))));
        t
    };
    let t = start(&mut a);
    // Before it is up, Enter does nothing.
    press(&mut a, Action::Confirm);
    assert_eq!(a.screen, Screen::Build);
    let up = Summary {
        site: Some("https://www.wplab.click/".into()),
        db_standby: Some(DbStandby::BeingAdded),
        ..Summary::default()
    };
    a.update(Msg::Loaded(
        t,
        Loaded::Event(crate::ops::Event::Up(Box::new(up)), Instant::now()),
    ));
    press(&mut a, Action::Confirm);
    assert_eq!(a.screen, Screen::Final);
    assert!(
        matches!(&a.summary, Loadable::Ready(s) if s.db_standby == Some(DbStandby::BeingAdded))
    );
    let done = Summary {
        db_standby: Some(DbStandby::InPlace),
        ..Summary::default()
    };
    a.update(Msg::Loaded(
        t,
        Loaded::Done(Ok(RunEnd::Built(Box::new(done))), Instant::now()),
    ));
    assert_eq!(a.screen, Screen::Final);
    assert!(matches!(&a.summary, Loadable::Ready(s) if s.db_standby == Some(DbStandby::InPlace)));

    // Failing after the early final screen: back to the run.
    a.screen = Screen::Review;
    let t = start(&mut a);
    a.update(Msg::Loaded(
        t,
        Loaded::Event(crate::ops::Event::Up(Box::default()), Instant::now()),
    ));
    press(&mut a, Action::Confirm);
    assert_eq!(a.screen, Screen::Final);
    a.update(Msg::Loaded(
        t,
        Loaded::Done(
            Err(Failure::failed("the standby could not be added")),
            Instant::now(),
        ),
    ));
    assert_eq!(a.screen, Screen::Build);
}
