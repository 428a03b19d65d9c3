//! Every screen drawn on ratatui's TestBackend at 80×24 and 100×30, in English and
//! Korean, compared with insta snapshots. State is set directly or through `update` (no
//! timers, no AWS), and the time is passed in, so frames are exact.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use hawiz::aws::Identity;
use hawiz::blueprint;
use hawiz::i18n::Lang;
use hawiz::ops::{self, Failure};
use hawiz::plan::Finding;
use hawiz::plan::Plan;
use hawiz::progress::{BuildState, RowState, RunEnd, RunKind};
use hawiz::tui::app::{
    App, Check, Dialog, Editor, Inspector, Loadable, Review, SavedStack, Screen, Summary,
};
use hawiz::tui::keys::{Action, Input, Keymap};
use hawiz::tui::msg::{Msg, Preview, PreviewItem};
use hawiz::tui::theme::Theme;
use hawiz::tui::view::{self, Now};
use hawiz::wizard::draft::Draft;
use hawiz::wizard::fields::FieldId;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::Path;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// One instant for every frame and every row: frames do not depend on when tests run.
fn t0() -> Instant {
    static T0: OnceLock<Instant> = OnceLock::new();
    *T0.get_or_init(Instant::now)
}

fn now() -> Now {
    Now {
        at: t0() + Duration::from_secs(95),
        utc: chrono::DateTime::from_timestamp(1_790_000_000, 0).unwrap(),
    }
}

const SIZES: [(u16, u16); 2] = [(80, 24), (100, 30)];

fn plan() -> Plan {
    let mut p = Plan::default();
    p.resolve(None);
    p.bastion.ssh_cidr = "203.0.113.10/32".into();
    p
}

fn app(lang: Lang) -> App {
    let mut app = App::new(
        plan(),
        lang,
        Theme::load("dark", false).unwrap(),
        Keymap::load().unwrap(),
        vec![],
        false,
    );
    app.profile = "default".into();
    app.identity = Loadable::Ready(Identity {
        account: "123456789012".into(),
        arn: "arn:aws:iam::123456789012:user/student".into(),
    });
    app
}

fn render(app: &App) -> String {
    render_at(app, 80, 24)
}

fn render_at(app: &App, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal
        .draw(|f| {
            view::draw(f, app, &now());
        })
        .unwrap();
    terminal.backend().to_string()
}

/// Both languages at 80×24 and 100×30; the app knows the size before `setup` (scrolling
/// stops at the last line of the panel as drawn at that size).
fn both(name: &str, setup: impl Fn(&mut App)) {
    for lang in [Lang::En, Lang::Ko] {
        for (w, h) in SIZES {
            let mut a = app(lang);
            a.update(Msg::Resize(w, h));
            setup(&mut a);
            insta::assert_snapshot!(
                format!("{name}_{}_{w}x{h}", lang.code()),
                render_at(&a, w, h)
            );
        }
    }
}

/// As the loop does it: a frame is drawn, and what it showed handed back to the app.
fn drawn(a: &mut App) {
    let (w, h) = a.size;
    let mut terminal = Terminal::new(TestBackend::new(w.max(1), h.max(1))).unwrap();
    let mut extents = Default::default();
    terminal
        .draw(|f| extents = view::draw(f, a, &now()))
        .unwrap();
    a.update(Msg::Drawn(extents));
}

/// Press a key until the screen stops changing (the end of a scrolled text), a frame
/// drawn before each press as in the loop.
fn to_the_end(a: &mut App, action: Action) {
    for _ in 0..200 {
        drawn(a);
        a.update(Input::Do(action));
    }
}

#[test]
fn wizard_steps() {
    for step in 0..8 {
        both(&format!("step{step}"), |a| {
            a.step = step;
            if step == 7 {
                a.update(Input::Do(Action::Right)); // turn the domain on: its fields appear
            }
        });
    }
}

#[test]
fn field_error_as_you_type() {
    both("field_error", |a| {
        a.step = 1;
        a.focus = 1; // VPC CIDR
        a.inputs.insert(
            FieldId::Cidr,
            Editor {
                text: "10.0.0.0/16".into(),
                cursor: 11,
            },
        );
        for _ in 0..2 {
            a.update(Input::Backspace);
        }
        a.update(Input::Type('8'));
    });
}

#[test]
fn one_az_database_is_refused_at_the_field() {
    both("multi_az_off", |a| {
        a.step = 3;
        a.focus = 4; // Multi-AZ
        a.update(Input::Do(Action::Right));
    });
}

/// The plan's resources as the run layer's changeset lists them: the first `keep` exist,
/// the rest are to create (or as `action` says for a key).
fn items(keep: usize, action: impl Fn(&str) -> Option<ops::Action>) -> Vec<ops::Item> {
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
        })
        .collect()
}

/// What the review shows of a changeset of `items`, with the run layer's own question.
fn preview_of(items: &[ops::Item]) -> Preview {
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

fn preview(keep: usize) -> Preview {
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

fn review(a: &mut App, check: Check) {
    a.step = 8;
    a.screen = Screen::Review;
    let mut r = Review::new(&a.plan);
    r.check = check;
    a.review = Some(r);
    a.saved_plan = Some("/home/student/.local/share/hawiz/plans/wordpress-ha.toml".into());
}

fn refused() -> Failure {
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

/// A build of plan `p` begun at `t0()`: every row still waiting.
fn begun(p: &Plan) -> BuildState {
    let graph = blueprint::build(p, Path::new("/tmp")).unwrap();
    let mut b = BuildState::new(
        &graph,
        "wordpress-ha",
        "ap-northeast-2",
        RunKind::Build,
        t0(),
    );
    b.plan = Some(Box::new(p.clone()));
    b
}

fn build_state(failed: bool) -> BuildState {
    let mut b = begun(&plan());
    let now = t0();
    for (i, row) in b.rows.iter_mut().enumerate() {
        match row.key.as_str() {
            "db" => {
                row.state = RowState::Working;
                row.started = Some(now);
            }
            "nat/a" if failed => {
                row.state = RowState::Failed;
                row.error = Some(
                    "CreateNatGateway failed: NatGatewayLimitExceeded: too many NAT gateways"
                        .into(),
                );
                row.took = Some(Duration::from_secs(3));
            }
            _ if i < 20 => {
                row.state = RowState::Ready;
                row.id = Some(format!("{}-{i:04}", row.kind));
                row.took = Some(Duration::from_secs(1));
            }
            _ => {}
        }
    }
    if failed {
        b.finish(
            Ok(RunEnd::Built(Box::default())),
            t0() + Duration::from_secs(60),
        );
    }
    b
}

#[test]
fn build_screen() {
    both("build", |a| {
        a.screen = Screen::Build;
        a.build = Some(build_state(false));
    });
    both("build_failed", |a| {
        a.screen = Screen::Build;
        a.build = Some(build_state(true));
    });
    both("build_refused", |a| {
        a.screen = Screen::Build;
        let mut b = BuildState::empty(RunKind::Build, t0());
        b.finish(Err(refused()), t0() + Duration::from_secs(2));
        a.build = Some(b);
    });
    both("destroy_done", |a| {
        a.screen = Screen::Build;
        let graph = blueprint::build(&plan(), Path::new("/tmp")).unwrap();
        let mut b = BuildState::new(
            &graph,
            "wordpress-ha",
            "ap-northeast-2",
            RunKind::Destroy,
            t0(),
        );
        for row in &mut b.rows {
            row.state = RowState::Gone;
            row.took = Some(Duration::from_secs(2));
        }
        b.finish(
            Ok(RunEnd::Destroyed {
                snapshots: vec![],
                left: vec![],
            }),
            t0() + Duration::from_secs(80),
        );
        a.build = Some(b);
    });
    both("drill_done", |a| {
        a.screen = Screen::Build;
        let mut b = BuildState::empty(RunKind::Drill, t0());
        b.stack = "wordpress-ha".into();
        for (i, (en, ko)) in [
            (
                "Drill: terminate app instance i-0a1b2c3d in ap-northeast-2a through Auto Scaling.",
                "훈련: ap-northeast-2a의 앱 인스턴스 i-0a1b2c3d을(를) Auto Scaling으로 종료합니다.",
            ),
            (
                "t+0s  terminated i-0a1b2c3d (ap-northeast-2a)",
                "t+0초  i-0a1b2c3d (ap-northeast-2a) 종료함",
            ),
            (
                "t+21s  in service 1/2 · targets: i-0a1b2c3d draining, i-9f8e7d6c healthy",
                "t+21초  in service 1/2 · targets: i-0a1b2c3d draining, i-9f8e7d6c healthy",
            ),
        ]
        .into_iter()
        .enumerate()
        {
            b.on_event(
                &hawiz::ops::Event::Note {
                    en: en.into(),
                    ko: ko.into(),
                },
                t0() + Duration::from_secs(i as u64 * 10),
            );
        }
        b.finish(
            Ok(RunEnd::Drilled(Box::new(hawiz::ops::drill::DrillResult {
                stack: "wordpress-ha".into(),
                part: hawiz::ops::drill::Part::Instance,
                started: "2026-11-23 10:00:00 UTC".into(),
                victim: "i-0a1b2c3d".into(),
                zone_before: "ap-northeast-2a".into(),
                zone_after: Some("ap-northeast-2a".into()),
                detect_secs: Some(2),
                replace_secs: Some(31),
                healthy_secs: Some(274),
                requests_ok: 271,
                requests_failed: 0,
                probed: true,
                emulator: false,
                healed: true,
            }))),
            t0() + Duration::from_secs(275),
        );
        a.build = Some(b);
    });
    both("drill_dialog", |a| {
        a.screen = Screen::Final;
        a.build = Some(build_state(true));
        let fx = a.update(Input::Do(Action::Drill));
        asked(a, &fx, drill_question());
    });
    both("drill_dialog_asking", |a| {
        a.screen = Screen::Final;
        a.build = Some(build_state(true));
        a.update(Input::Do(Action::Drill));
    });
    both("inspector", |a| {
        a.screen = Screen::Build;
        a.build = Some(build_state(false));
        a.inspector = Some(Inspector {
            key: "rtb/private-a".into(),
            kind: "route-table",
            name: "wordpress-ha-private-a".into(),
            id: "rtb-0123456789abcdef0".into(),
            body: Loadable::Ready(hawiz::ops::inspect::Inspection {
                lines: vec![
                    hawiz::ops::inspect::Line::Heading { en: "Routes (destination → target)".into(), ko: "라우팅 (대상 → 대상 유형)".into() },
                    hawiz::ops::inspect::Line::Item("10.0.0.0/16        → local  (active)".into()),
                    hawiz::ops::inspect::Line::Item("0.0.0.0/0          → nat-0abc1234def567890  (active)".into()),
                    hawiz::ops::inspect::Line::Heading { en: "Subnet associations".into(), ko: "서브넷 연결".into() },
                    hawiz::ops::inspect::Line::Item("subnet-0fedcba9876543210".into()),
                    hawiz::ops::inspect::Line::Note { en: "A public table sends 0.0.0.0/0 to the Internet gateway (igw-…); a private one to the NAT gateway (nat-…) of its own AZ.".into(), ko: "퍼블릭 라우팅 테이블은 0.0.0.0/0을 인터넷 게이트웨이(igw-…)로, 프라이빗 라우팅 테이블은 같은 가용 영역의 NAT 게이트웨이(nat-…)로 보냅니다.".into() },
                ],
            }),
            scroll: 0,
        });
    });
}

#[test]
fn failed_build_goes_back_to_the_answers_with_everything_kept() {
    let mut a = app(Lang::En);
    a.update(Msg::Resize(80, 24));
    a.plan.app.max = 6;
    review(&mut a, Check::Passed(preview(0)));
    a.screen = Screen::Build;
    a.build = Some(build_state(true));
    a.update(Input::Do(Action::Back));
    assert_eq!(
        a.screen,
        Screen::Review,
        "back to the answers, checked again"
    );
    assert_eq!(a.plan.app.max, 6, "answers kept");
    assert!(matches!(a.review.as_ref().unwrap().check, Check::Running));
}

#[test]
fn final_screen() {
    both("final_no_nat", |a| {
        a.screen = Screen::Final;
        let mut p = plan();
        p.network.nat = hawiz::plan::NatMode::None;
        let mut b = build_state(false);
        b.plan = Some(Box::new(p));
        a.build = Some(b);
        a.warned = vec![Finding {
            field: "network.nat".into(),
            message: "\"none\": private subnets get no route to the internet, so instances there cannot install packages or reach outside APIs".into(),
            ko: "\"none\": 프라이빗 서브넷에 인터넷으로 가는 경로가 없어, 그곳의 인스턴스는 패키지를 설치하거나 외부 API에 접근할 수 없습니다".into(),
        }];
        a.summary = Loadable::Ready(Summary {
            load_balancer: Some(
                "http://wordpress-ha-alb-1.ap-northeast-2.elb.amazonaws.com/".into(),
            ),
            ..Summary::default()
        });
    });
    both("final", |a| {
        a.screen = Screen::Final;
        a.build = Some(build_state(false));
        a.saved_plan = Some("/home/student/.local/share/hawiz/plans/wordpress-ha.toml".into());
        a.summary = Loadable::Ready(Summary {
            site: Some("https://www.example.com/".into()),
            load_balancer: Some(
                "http://wordpress-ha-alb-1.ap-northeast-2.elb.amazonaws.com/".into(),
            ),
            ssh: vec![
                "ssh-add ~/.local/share/hawiz/stacks/wordpress-ha/wordpress-ha-key.pem".into(),
                "ssh -J ec2-user@203.0.113.20 ec2-user@10.0.10.5".into(),
            ],
            domain: Some("example.com".into()),
            name_servers: vec!["ns-1.awsdns-01.org".into(), "ns-2.awsdns-02.com".into()],
            ..Summary::default()
        });
    });
}

#[test]
fn resume_screen() {
    let stacks = vec![
        SavedStack {
            name: "wordpress-ha".into(),
            region: "ap-northeast-2".into(),
            ready: 43,
            total: 43,
            last_error: None,
        },
        SavedStack {
            name: "lab-2".into(),
            region: "us-east-1".into(),
            ready: 17,
            total: 43,
            last_error: Some("nat/a: CreateNatGateway failed: NatGatewayLimitExceeded".into()),
        },
        SavedStack {
            name: "half-done".into(),
            region: "ap-northeast-2".into(),
            ready: 12,
            total: 43,
            last_error: None,
        },
    ];
    both("resume", |a| {
        a.stacks = stacks.clone();
        a.screen = Screen::Resume {
            selected: 1,
            confirm_destroy: false,
        };
    });
    both("resume_draft", |a| {
        a.stacks = stacks.clone();
        let mut p = plan();
        p.stack.name = "half-typed".into();
        let mut d = Draft::new(p, 3, "default", None);
        d.saved = "2026-11-23T10:02:00Z".into();
        a.draft = Some(d);
        a.screen = Screen::Resume {
            selected: 0,
            confirm_destroy: false,
        };
    });
    both("resume_destroy", |a| {
        a.stacks = stacks.clone();
        a.screen = Screen::Resume {
            selected: 0,
            confirm_destroy: false,
        };
        let fx = a.update(Input::Do(Action::Destroy));
        asked(a, &fx, destroy_question());
    });
}

/// The question the run layer asks before destroying a built stack: deletion protection
/// turned off, the final snapshot kept and what it costs, the way to skip it.
fn destroy_question() -> ops::Question {
    ops::destroy::DestroyFacts {
        stack: "wordpress-ha".into(),
        region: "ap-northeast-2".into(),
        count: 51,
        kept: vec![],
        protected: vec!["wordpress-ha-db".into()],
        has_db: true,
        final_snapshot: true,
        skip_final_snapshot: false,
        db_gib: Some(20),
    }
    .question()
}

fn drill_question() -> ops::Question {
    ops::drill::question(
        "wordpress-ha",
        (
            "terminate app instance i-0a1b2c3d in ap-northeast-2a through Auto Scaling (the group keeps its size 2, so it must launch a replacement)",
            "ap-northeast-2a의 앱 인스턴스 i-0a1b2c3d를 Auto Scaling으로 종료합니다 (그룹은 원하는 용량 2를 유지하므로 대체 인스턴스를 시작해야 합니다)",
        ),
        None,
        Some("https://www.example.com/"),
    )
}

/// The run layer's answer to the question the app asked with these effects.
fn asked(a: &mut App, fx: &[hawiz::tui::app::Effect], q: ops::Question) {
    let ticket = fx
        .iter()
        .find_map(|e| match e {
            hawiz::tui::app::Effect::Ask { ticket, .. } => Some(*ticket),
            _ => None,
        })
        .expect("the app asked the run layer first");
    a.update(Msg::Loaded(
        ticket,
        hawiz::tui::msg::Loaded::Asked(Ok(Box::new(q))),
    ));
}

/// A saved stack looked at from the resume screen shows what `hawiz status` shows: what
/// could not be checked (not "missing"), what drifted, what is missing, what is tagged
/// with the stack but no resource's, and the notes.
#[test]
fn a_viewed_stack_shows_what_could_not_be_checked_and_what_is_left() {
    both("view_status", |a| {
        let p = plan();
        let graph = blueprint::build(&p, Path::new("/tmp")).unwrap();
        let rows = graph
            .nodes()
            .map(|n| ops::status::Row {
                key: n.key.clone(),
                kind: n.res.kind(),
                name: n.res.name().to_string(),
                state: match n.key.as_str() {
                    "nat/a" | "nat/c" => ops::status::State::Unknown(
                        "DescribeNatGateways failed: UnauthorizedOperation: You are not authorized to perform this operation.".into(),
                    ),
                    "dashboard" => ops::status::State::Missing { was: None },
                    "asg" => ops::status::State::Drifted(vec!["max: 4 → 6 (changed outside hawiz)".into()]),
                    _ => ops::status::State::Present,
                },
                ids: if n.key == "dashboard" { vec![] } else { vec![format!("{}-0001", n.res.kind())] },
                proof: None,
            })
            .collect();
        let report = ops::StatusReport {
            stack: "wordpress-ha".into(),
            region: "ap-northeast-2".into(),
            state_file: "/home/student/.local/share/hawiz/stacks/wordpress-ha/state.json".into(),
            rows,
            leftovers: vec![ops::Leftover {
                kind: "security-group",
                id: "sg-0feedc0ffee000001".into(),
                key: None,
            }],
            notes: vec![hawiz::i18n::Text::new(
                "the private key of key pair wordpress-ha-key is not on this machine",
                "키 페어 wordpress-ha-key의 프라이빗 키가 이 컴퓨터에 없습니다",
            )],
            summary: Summary::default(),
        };
        a.screen = Screen::Build;
        let mut b = BuildState::viewing(&graph, &p, &report, t0());
        b.finish(
            Ok(RunEnd::Built(Box::default())),
            t0() + Duration::from_secs(3),
        );
        a.build = Some(b);
    });
}

#[test]
fn help_overlay() {
    both("help", |a| {
        a.update(Input::Do(Action::Help));
    });
    both("help_scrolled", |a| {
        a.update(Input::Do(Action::Help));
        to_the_end(a, Action::ScrollDown);
    });
}

#[test]
fn every_explanation_can_be_read_to_its_last_word() {
    for step in 0..8 {
        both(&format!("step{step}_end"), |a| {
            a.step = step;
            to_the_end(a, Action::ScrollDown);
        });
    }
}

#[test]
fn dialogs() {
    both("quit_dialog", |a| {
        a.update(Input::Do(Action::Back)); // Esc on the first step asks
        assert_eq!(a.dialog, Some(Dialog::Quit));
    });
    both("same_name_dialog", |a| {
        a.stacks = vec![SavedStack {
            name: "wordpress-ha".into(),
            region: "ap-northeast-2".into(),
            ready: 36,
            total: 50,
            last_error: None,
        }];
        a.update(Input::Do(Action::NextStep));
        assert!(matches!(a.dialog, Some(Dialog::SameName { .. })));
    });
}

#[test]
fn adoption_picks_subnets_from_a_list() {
    use hawiz::ops::lists::{SubnetChoice, Tier};
    let subnets = vec![
        SubnetChoice {
            id: "subnet-0aaa1111bbbb2222c".into(),
            name: "lab-public-a".into(),
            cidr: "10.1.0.0/24".into(),
            az: "ap-northeast-2a".into(),
            tier: Tier::Public,
            table: "rtb-0pub".into(),
            via: "igw-0123".into(),
        },
        SubnetChoice {
            id: "subnet-0ccc3333dddd4444e".into(),
            name: "lab-public-c".into(),
            cidr: "10.1.1.0/24".into(),
            az: "ap-northeast-2c".into(),
            tier: Tier::Public,
            table: "rtb-0pub".into(),
            via: "igw-0123".into(),
        },
        SubnetChoice {
            id: "subnet-0eee5555ffff6666a".into(),
            name: "lab-private-a".into(),
            cidr: "10.1.10.0/24".into(),
            az: "ap-northeast-2a".into(),
            tier: Tier::PrivateNat,
            table: "rtb-0pa".into(),
            via: "nat-0a".into(),
        },
        SubnetChoice {
            id: "subnet-0bbb7777cccc8888d".into(),
            name: "".into(),
            cidr: "10.1.11.0/24".into(),
            az: "ap-northeast-2c".into(),
            tier: Tier::Isolated,
            table: "rtb-0main (main)".into(),
            via: "".into(),
        },
    ];
    both("adopt_pick", |a| {
        a.step = 1;
        a.plan.network.vpc_id = "vpc-0123456789abcdef0".into();
        a.subnets = Loadable::Ready(subnets.clone());
        let at = a
            .fields()
            .iter()
            .position(|s| s.id == FieldId::PublicSubnetIds)
            .unwrap();
        a.focus = at;
        a.update(Input::Do(Action::Toggle)); // lab-public-a
        a.update(Input::Do(Action::Right));
        a.update(Input::Do(Action::Right));
        a.update(Input::Do(Action::Toggle)); // lab-private-a: refused here, with why
        assert_eq!(
            a.plan.network.public_subnet_ids,
            vec!["subnet-0aaa1111bbbb2222c".to_string()]
        );
        assert!(a.pick_refusal.is_some());
    });
}

/// The build screen's diagram of an adopted VPC names the AZ letters of the picked
/// subnets (read from the VPC's subnet list), not their numbers in the plan.
#[test]
fn the_diagram_of_an_adopted_vpc_shows_its_az_letters() {
    use hawiz::ops::lists::{SubnetChoice, Tier};
    let choice = |id: &str, az: &str, tier: Tier| SubnetChoice {
        id: id.into(),
        name: String::new(),
        cidr: "10.1.0.0/24".into(),
        az: format!("ap-northeast-2{az}"),
        tier,
        table: "rtb-0".into(),
        via: String::new(),
    };
    let subnets = vec![
        choice("subnet-0pub0000000000a", "a", Tier::Public),
        choice("subnet-0pub0000000000c", "c", Tier::Public),
        choice("subnet-0pri0000000000a", "a", Tier::PrivateNat),
        choice("subnet-0pri0000000000c", "c", Tier::PrivateNat),
    ];
    let mut p = plan();
    p.network.vpc_id = "vpc-0123456789abcdef0".into();
    p.network.public_subnet_ids = vec![
        "subnet-0pub0000000000a".into(),
        "subnet-0pub0000000000c".into(),
    ];
    p.network.private_subnet_ids = vec![
        "subnet-0pri0000000000a".into(),
        "subnet-0pri0000000000c".into(),
    ];
    p.resolve(None);
    let mut b = begun(&p);
    for row in b.rows.iter_mut() {
        let n = |key: &str| key.rsplit('-').next().and_then(|n| n.parse::<usize>().ok());
        let id = match (
            row.key.strip_prefix("subnet/public-"),
            row.key.strip_prefix("subnet/private-"),
        ) {
            (Some(x), _) => n(x).map(|i| p.network.public_subnet_ids[i - 1].clone()),
            (_, Some(x)) => n(x).map(|i| p.network.private_subnet_ids[i - 1].clone()),
            _ => None,
        };
        if id.is_some() {
            row.state = RowState::Ready;
            row.id = id;
        }
    }
    let mut a = app(Lang::En);
    a.update(Msg::Resize(100, 30));
    a.plan = p;
    a.subnets = Loadable::Ready(subnets);
    a.screen = Screen::Build;
    a.build = Some(b);
    let screen = render_at(&a, 100, 30);
    assert!(screen.contains("public a·c (yours)"), "{screen}");
    assert!(screen.contains("private a·c (yours)"), "{screen}");
    assert!(screen.contains("[EFS a] [EFS c]"), "{screen}");
}

#[test]
fn no_color_and_light_themes_draw_the_same_text() {
    let mut a = app(Lang::En);
    let text = render(&a);
    a.theme = Theme::load("light", false).unwrap();
    assert_eq!(render(&a), text);
    a.theme = Theme::load("high-contrast", true).unwrap();
    assert_eq!(render(&a), text);
}

#[test]
fn larger_terminals_and_tiny_ones_draw_without_panicking() {
    let mut a = app(Lang::Ko);
    for (w, h) in [(120, 40), (200, 60), (40, 10), (10, 4), (1, 1)] {
        for step in 0..8 {
            a.step = step;
            render_at(&a, w, h);
        }
        a.screen = Screen::Build;
        a.build = Some(build_state(true));
        render_at(&a, w, h);
        a.screen = Screen::Wizard;
    }
}
