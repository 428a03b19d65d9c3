//! Every screen drawn on ratatui's TestBackend at 80×24, in English and Korean, compared
//! with insta snapshots. State is set directly (no timers, no AWS), so frames are exact.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use hawiz::aws::Identity;
use hawiz::blueprint;
use hawiz::i18n::Lang;
use hawiz::plan::Plan;
use hawiz::tui::app::{App, Editor, Loadable, SavedStack, Screen, Summary};
use hawiz::tui::build::{BuildState, RowState};
use hawiz::tui::keys::{Action, Input, Keymap};
use hawiz::tui::theme::Theme;
use hawiz::tui::view;
use hawiz::wizard::fields::FieldId;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::Path;
use std::time::{Duration, Instant};

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
    terminal.draw(|f| view::draw(f, app)).unwrap();
    terminal.backend().to_string()
}

fn both(name: &str, setup: impl Fn(&mut App)) {
    for lang in [Lang::En, Lang::Ko] {
        let mut a = app(lang);
        setup(&mut a);
        insta::assert_snapshot!(format!("{name}_{}", lang.code()), render(&a));
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

#[test]
fn review_and_confirm() {
    both("review", |a| {
        a.step = 8;
        a.screen = Screen::Review { confirm: false };
        a.saved_plan = Some("/home/student/.local/share/hawiz/plans/wordpress-ha.toml".into());
    });
    both("review_confirm", |a| {
        a.step = 8;
        a.screen = Screen::Review { confirm: true };
    });
}

fn build_state(failed: bool) -> BuildState {
    let graph = blueprint::build(&plan(), Path::new("/tmp")).unwrap();
    let mut b = BuildState::new(&graph, "ap-northeast-2", false);
    let now = Instant::now();
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
    b.finished = failed;
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
}

#[test]
fn final_screen() {
    both("final", |a| {
        a.screen = Screen::Final;
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
    both("resume_destroy", |a| {
        a.stacks = stacks.clone();
        a.screen = Screen::Resume {
            selected: 0,
            confirm_destroy: true,
        };
    });
}

#[test]
fn help_overlay() {
    both("help", |a| {
        a.update(Input::Do(Action::Help));
    });
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
