//! Runs on the build screen (a build, a destroy, a drill, a look at a saved stack), the
//! final screen, the resume screen, and the run layer's questions for a destroy and a
//! drill.

use super::review::{preview, refused, review};
use super::*;

/// A build of plan `p` begun at `t0()`: every row still waiting.
pub(super) fn begun(p: &Plan) -> BuildState {
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

pub(super) fn build_state(failed: bool) -> BuildState {
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
                row.error = Some(hawiz::aws::Problem::new(
                    "CreateNatGateway failed: NatGatewayLimitExceeded: too many NAT gateways",
                    hawiz::aws::Class::of_code("NatGatewayLimitExceeded"),
                ));
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
    // Fast start: the stack is up, its database's standby being added; Enter shows the
    // final screen meanwhile (the footer says so, the log too).
    both("build_up", |a| {
        a.screen = Screen::Build;
        let mut b = build_state(false);
        for row in &mut b.rows {
            row.state = RowState::Ready;
        }
        b.on_event(
            &hawiz::ops::Event::Up(Box::default()),
            t0() + Duration::from_secs(40),
        );
        a.build = Some(b);
    });
    both("inspector_failed", |a| {
        a.screen = Screen::Build;
        a.build = Some(build_state(true));
        // The failed row comes first; inspecting it shows its error and the advice.
        a.update(Input::Do(Action::Inspect));
        assert!(a.inspector.as_ref().is_some_and(|i| i.error.is_some()));
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
        // The boundary an administrator made stays: counted apart, not as deleted.
        if let Some(row) = b.rows.iter_mut().find(|r| r.key == "iam-boundary") {
            row.state = RowState::Kept;
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
                promoted: false,
                dns_secs: None,
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
    let inspecting = |a: &mut App| {
        a.screen = Screen::Build;
        a.build = Some(build_state(false));
        a.inspector = Some(Inspector {
            key: "rtb/private-a".into(),
            kind: "route-table",
            name: "wordpress-ha-private-a".into(),
            id: "rtb-0123456789abcdef0".into(),
            link: Some("https://ap-northeast-2.console.aws.amazon.com/vpcconsole/home?region=ap-northeast-2#RouteTableDetails:RouteTableId=rtb-0123456789abcdef0".into()),
            error: None,
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
    };
    both("inspector", inspecting);
    // The console link is whole on its line: → pans the panel to read its end.
    both("inspector_panned", |a| {
        inspecting(a);
        drawn(a);
        a.update(Input::Do(Action::Right));
        assert!(a.pan.1 > 0, "panned");
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
            site: Some("https://www.wplab.click/".into()),
            load_balancer: Some(
                "http://wordpress-ha-alb-1.ap-northeast-2.elb.amazonaws.com/".into(),
            ),
            ssh: vec![
                "ssh-add ~/.local/share/hawiz/stacks/wordpress-ha/wordpress-ha-key.pem".into(),
                "ssh -J ec2-user@203.0.113.20 ec2-user@10.0.10.5".into(),
            ],
            domain: Some("wplab.click".into()),
            name_servers: vec!["ns-1.awsdns-01.org".into(), "ns-2.awsdns-02.com".into()],
            // A fast start's apply ended with --no-wait (or was looked at mid-way).
            db_standby: Some(hawiz::ops::db_standby::DbStandby::BeingAdded),
            serving_since: Some("2026-12-03 06:12:40 UTC".into()),
            // Copied whole: on one line, panned, never wrapped.
            admin: Some((
                "wordpress-ha-admin".into(),
                "aws ssm get-parameter --region ap-northeast-2 --name /hawiz/wordpress-ha/admin-password --with-decryption --query Parameter.Value --output text".into(),
            )),
            ..Summary::default()
        });
    });
    // With a standby region: where it is, which region serves, whether it keeps up; what
    // the emulator cannot tell is said so. CloudFront's address, and the static bucket's
    // upload command.
    both("final_standby", |a| {
        use hawiz::i18n::Text;
        a.screen = Screen::Final;
        a.build = Some(build_state(false));
        a.summary = Loadable::Ready(Summary {
            site: Some("https://www.wplab.click/".into()),
            cloudfront: Some("https://d111111abcdef8.cloudfront.net/".into()),
            static_sync: Some(
                "aws s3 sync ./static s3://wordpress-ha-static-123456789012-apne2/static/".into(),
            ),
            ssh: vec![
                "ssh-add ~/.local/share/hawiz/stacks/wordpress-ha/wordpress-ha-key.pem".into(),
                "ssh -J ec2-user@203.0.113.20 ec2-user@10.0.10.5".into(),
            ],
            standby: Some(hawiz::ops::standby::Standby {
                region: "us-east-1".into(),
                load_balancer: Some(
                    "https://wordpress-ha-alb-1.us-east-1.elb.amazonaws.com/".into(),
                ),
                serving: Text::new(
                    "ap-northeast-2 (the emulator never evaluates the health check: which region would answer is not known here)",
                    "ap-northeast-2 (에뮬레이터는 상태 확인을 평가하지 않아 어느 리전이 응답할지 여기서는 알 수 없습니다)",
                ),
                database: Text::new(
                    "wordpress-ha-db, a replica of the primary's: replicating (available)",
                    "wordpress-ha-db, 기본 리전 데이터베이스의 복제본: replicating (available)",
                ),
                files: Some(Text::new(
                    "fs-0abc1234: replication ENABLED, last synced 2026-12-03T01:00:00Z",
                    "fs-0abc1234: 복제 ENABLED, 마지막 동기화 2026-12-03T01:00:00Z",
                )),
                static_files: Some(Text::new(
                    "wordpress-ha-static-123456789012-apne2 → wordpress-ha-static-123456789012-use1: replication Enabled",
                    "wordpress-ha-static-123456789012-apne2 → wordpress-ha-static-123456789012-use1: 복제 Enabled",
                )),
            }),
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
            made: 43,
            total: 43,
            last_error: None,
            elsewhere: false,
        },
        SavedStack {
            name: "lab-2".into(),
            region: "us-east-1".into(),
            made: 17,
            total: 43,
            last_error: Some("nat/a: CreateNatGateway failed: NatGatewayLimitExceeded".into()),
            elsewhere: false,
        },
        SavedStack {
            name: "half-done".into(),
            region: "ap-northeast-2".into(),
            made: 12,
            total: 43,
            last_error: None,
            elsewhere: false,
        },
        SavedStack::in_account("team-site", "ap-northeast-2"),
    ];
    both("resume", |a| {
        a.stacks = stacks.clone();
        a.screen = Screen::Resume {
            selected: 1,
            confirm_destroy: false,
        };
    });
    // A stack the account keeps that this machine has no state of, selected.
    both("resume_account", |a| {
        a.stacks = stacks.clone();
        a.screen = Screen::Resume {
            selected: 3,
            confirm_destroy: false,
        };
    });
    // Unfinished answers for stack "half-typed", on the resume screen.
    let with_draft = |a: &mut App| {
        let mut p = plan();
        p.stack.name = "half-typed".into();
        let mut d = Draft::new(p, 3, "default", None);
        d.saved = "2026-11-23T10:02:00Z".into();
        a.draft = Some(d);
        a.screen = Screen::Resume {
            selected: 0,
            confirm_destroy: false,
        };
    };
    both("resume_draft", |a| {
        a.stacks = stacks.clone();
        with_draft(a);
    });
    both("resume_new_over_draft", |a| {
        with_draft(a);
        a.update(Input::Do(Action::New));
        assert_eq!(a.dialog, Some(Dialog::NewOverDraft));
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
pub(super) fn destroy_question() -> ops::Question {
    ops::destroy::DestroyFacts {
        stack: "wordpress-ha".into(),
        region: "ap-northeast-2".into(),
        count: 51,
        kept: vec![],
        deleting: vec![hawiz::engine::Deleting {
            what: ("database", "데이터베이스"),
            name: "wordpress-ha-db".into(),
            protected: true,
            gib: Some(20),
            snapshot: Some("wordpress-ha-db-final-".into()),
        }],
        skip_final_snapshot: false,
        notes: vec![],
        scope: ops::DestroyScope::Stack,
    }
    .question()
}

pub(super) fn drill_question() -> ops::Question {
    ops::drill::question(
        "wordpress-ha",
        (
            "terminate app instance i-0a1b2c3d in ap-northeast-2a through Auto Scaling (the group keeps its size 2, so it must launch a replacement)",
            "ap-northeast-2a의 앱 인스턴스 i-0a1b2c3d를 Auto Scaling으로 종료합니다 (그룹은 원하는 용량 2를 유지하므로 대체 인스턴스를 시작해야 합니다)",
        ),
        None,
        Some("https://www.wplab.click/"),
    )
}

/// The run layer's answer to the question the app asked with these effects.
pub(super) fn asked(a: &mut App, fx: &[hawiz::tui::app::Effect], q: ops::Question) {
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
                        hawiz::aws::Problem::new("DescribeNatGateways failed: UnauthorizedOperation: You are not authorized to perform this operation.", hawiz::aws::Class::Denied),
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
            extras: vec![ops::Extra {
                kind: "security-group",
                id: "sg-0feedc0ffee000001".into(),
                key: None,
                why: ops::Why::Unkeyed,
                node: Some("sg/app".into()),
            }],
            remover: "hawiz destroy wordpress-ha --leftovers".into(),
            sweep: None,
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

/// Seed 003 on the diagram: CloudFront on the top line (it still fits at 80 columns,
/// with the legend), the standby's region and mode under the VPC; both languages.
#[test]
fn the_diagram_shows_cloudfront_and_the_standby() {
    let mut p = Plan::from_toml(
        "[domain]\nname = \"wplab.click\"\n[failover]\nregion = \"us-east-1\"\nmode = \"pilot-light\"\n",
    )
    .unwrap();
    p.resolve(None);
    p.bastion.ssh_cidr = "203.0.113.7/32".into();
    for (lang, standby, legend) in [
        (Lang::En, "+ standby us-east-1 (pilot light)", "■ ready"),
        (Lang::Ko, "+ 대기 us-east-1 (파일럿 라이트)", "■ 준비됨"),
    ] {
        let mut a = app(lang);
        a.update(Msg::Resize(80, 24));
        a.plan = p.clone();
        a.screen = Screen::Build;
        a.build = Some(begun(&p));
        let screen = render_at(&a, 80, 24);
        assert!(
            screen.contains("Route 53 ACM CloudFront Internet"),
            "{screen}"
        );
        assert!(screen.contains(standby), "{screen}");
        assert!(screen.contains(legend), "{screen}");
    }
}

/// `c` copies the selected resource's console link through the terminal (OSC 52) and
/// keeps it to print whole at the end; a resource without a page gives its ID.
#[test]
fn copy_gives_the_console_link_and_keeps_it_for_the_end() {
    use hawiz::tui::app::Effect;
    let mut a = app(Lang::En);
    a.update(Msg::Resize(80, 24));
    a.screen = Screen::Final;
    a.build = Some(build_state(true));
    let b = a.build.as_mut().unwrap();
    let vpc = b.rows.iter().position(|r| r.key == "vpc").unwrap();
    b.rows[vpc].id = Some("vpc-0d975e94b1e33d2beb".into());
    b.selected = Some("vpc".into());
    let fx = a.update(Input::Do(Action::Copy));
    let link = "https://ap-northeast-2.console.aws.amazon.com/vpcconsole/home?region=ap-northeast-2#VpcDetails:VpcId=vpc-0d975e94b1e33d2beb";
    assert_eq!(fx, vec![Effect::Copy(link.into())]);
    assert_eq!(a.copied, vec![link.to_string()]);
    assert!(
        a.notice
            .as_ref()
            .unwrap()
            .0
            .contains("console link of wordpress-ha-vpc")
    );
}
