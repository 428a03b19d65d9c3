//! The review: the preflight, its messages, and the run layer's question for the
//! answers (a replacement's choice, the two-step yes).

use super::*;
use hawiz::ops::Failure;
use hawiz::tui::app::Review;
use hawiz::tui::msg::{Preview, PreviewItem};

/// the rest are to create (or as `action` says for a key).
pub(super) fn items(keep: usize, action: impl Fn(&str) -> Option<ops::Action>) -> Vec<ops::Item> {
    let graph = blueprint::build(&plan(), Path::new("/tmp")).unwrap();
    graph
        .nodes()
        .enumerate()
        .map(|(i, n)| ops::Item {
            key: n.key.clone(),
            kind: n.res.kind(),
            name: n.res.name().to_string(),
            action: action(&n.key).unwrap_or(if i < keep {
                ops::Action::Keep
            } else {
                ops::Action::Create
            }),
            changes: Vec::new(),
            because: None,
            ids: Vec::new(),
            proof: None,
            replacing: n.res.replacing(),
            can_wait: n.res.updates_can_wait(),
            roll: false,
        })
        .collect()
}

/// What the review shows of a changeset of `items`, with the run layer's own question.
pub(super) fn preview_of(items: &[ops::Item]) -> Preview {
    Preview {
        items: items
            .iter()
            .map(|i| PreviewItem {
                key: i.key.clone(),
                kind: i.kind,
                name: i.name.clone(),
                action: i.action,
                detail: i.detail(),
            })
            .collect(),
        question: ops::changes::question(&plan(), items, false),
        ..Preview::default()
    }
}

pub(super) fn preview(keep: usize) -> Preview {
    Preview {
        warnings: vec![Finding {
            field: "network.nat".into(),
            message: "\"single\": one NAT gateway serves every AZ. It is cheaper, but if its AZ fails the instances in the other AZs lose outbound internet access (updates, plugins)".into(),
            ko: "\"single\": NAT 게이트웨이 하나가 모든 가용 영역을 맡습니다. 비용은 적지만 그 가용 영역에 장애가 나면 다른 가용 영역의 인스턴스가 아웃바운드 인터넷 연결(업데이트, 플러그인)을 잃습니다".into(),
        }],
        existed: keep > 0,
        ..preview_of(&items(keep, |_| None))
    }
}

pub(super) fn review(a: &mut App, check: Check) {
    a.step = hawiz::wizard::REVIEW;
    a.screen = Screen::Review;
    let mut r = Review::new(&a.plan);
    r.check = check;
    a.review = Some(r);
    a.saved_plan = Some("/home/student/.local/share/hawiz/plans/wordpress-ha.toml".into());
}

pub(super) fn refused() -> Failure {
    Failure::refused(
        "the plan does not fit what exists in ap-northeast-2; nothing was created:",
        vec![
            Finding {
                field: "network.azs[1]".into(),
                message: "ap-northeast-2z is not an availability zone of ap-northeast-2 (the region has: ap-northeast-2a, ap-northeast-2b, ap-northeast-2c, ap-northeast-2d)".into(),
                ko: "ap-northeast-2z은(는) ap-northeast-2의 가용 영역이 아닙니다 (이 리전의 가용 영역: ap-northeast-2a, ap-northeast-2b, ap-northeast-2c, ap-northeast-2d)".into(),
            },
            Finding {
                field: "bastion.key_name".into(),
                message: "key pair \"lab-key\" does not exist in ap-northeast-2; leave it empty to create one named after the stack".into(),
                ko: "키 페어 \"lab-key\"이(가) ap-northeast-2에 없습니다. 비워 두면 스택 이름으로 새로 만듭니다".into(),
            },
        ],
    )
}

#[test]
fn review_runs_the_preflight_and_shows_every_message() {
    both("review_checking", |a| review(a, Check::Running));
    both("review", |a| {
        review(a, Check::Running);
        a.update(Msg::Loaded(
            0,
            hawiz::tui::msg::Loaded::Preflight(Ok(Box::new(preview(0)))),
        ));
        // The answer above has no live ticket: dropped. Set it as the loop would.
        if let Some(r) = &mut a.review {
            r.check = Check::Passed(preview(0));
            r.selected = r.entries().len() - 1;
        }
    });
    both("review_partial", |a| {
        review(a, Check::Passed(preview(36)));
    });
    // Everything there as planned (a stack continued from another machine, say): the
    // review says building changes nothing, not that the stack exists in part.
    both("review_unchanged", |a| {
        review(a, Check::Passed(preview(usize::MAX)));
    });
    // A standby region: its lines priced at its own region's prices, with the rest.
    both("review_failover", |a| {
        a.plan.domain = Some(hawiz::plan::Domain {
            name: "wplab.click".into(),
            ..Default::default()
        });
        a.plan.failover = Some(hawiz::plan::Failover {
            region: "us-east-1".into(),
            ..Default::default()
        });
        review(a, Check::Passed(preview(0)));
        to_the_end(a, Action::ScrollDown);
    });
    both("review_refused", |a| review(a, Check::Refused(refused())));
    both("review_refused_build", |a| {
        review(a, Check::Refused(refused()));
        a.update(Input::Do(Action::PrevField)); // the build line
        a.update(Input::Do(Action::Confirm)); // refused, with why
    });
    both("review_scrolled", |a| {
        review(a, Check::Passed(preview(0)));
        to_the_end(a, Action::ScrollDown);
    });
    both("review_confirm", |a| {
        review(a, Check::Passed(preview(0)));
        if let Some(r) = &mut a.review {
            r.selected = r.entries().len() - 1;
        }
        a.update(Input::Do(Action::Confirm));
    });
}

/// A change that replaces the database: the run layer's question offers the choice a yes
/// needs (the build is refused until it is made), and asks "apply these changes" in sight
/// of what is lost and that a final snapshot is kept.
#[test]
fn a_replacement_is_asked_with_what_it_loses() {
    let changed = || {
        let mut p = preview_of(&items(51, |key| {
            (key == "db").then_some(ops::Action::Replace)
        }));
        p.existed = true;
        p
    };
    both("review_replace", |a| {
        review(a, Check::Passed(changed()));
        a.update(Msg::Loaded(
            0,
            hawiz::tui::msg::Loaded::Preflight(Ok(Box::new(changed()))),
        ));
        if let Some(r) = &mut a.review {
            r.selected = r.entries().len() - 1;
        }
        a.update(Input::Do(Action::Confirm)); // refused: the choice is not made
    });
    both("review_replace_confirm", |a| {
        review(a, Check::Passed(changed()));
        if let Some(r) = &mut a.review {
            r.answer.set(ops::Choice::ReplaceDatabase, true);
            r.selected = r.entries().len() - 1;
        }
        a.update(Input::Do(Action::Confirm));
    });
}

#[test]
fn a_message_jumps_to_its_field() {
    let mut a = app(Lang::En);
    a.update(Msg::Resize(80, 24));
    review(&mut a, Check::Refused(refused()));
    a.update(Input::Do(Action::Confirm));
    assert_eq!(a.screen, Screen::Wizard);
    assert_eq!(a.step, 1, "the AZ message goes to the network step");
    let focused = a.focused().unwrap();
    assert!(
        matches!(focused.id, FieldId::Az2),
        "focused {:?}",
        focused.id
    );
}
