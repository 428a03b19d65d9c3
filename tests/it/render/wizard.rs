//! The wizard's steps, fields, help, dialogs and subnet picking, drawn.

use super::runs::build_state;
use super::*;

#[test]
fn wizard_steps() {
    for step in 0..hawiz::wizard::REVIEW {
        both(&format!("step{step}"), |a| {
            a.step = step;
            if step == 7 || step == 8 {
                // Turn the domain (the standby region) on: its fields appear. A standby
                // without the domain is refused at the toggle, saying why.
                a.update(Input::Do(Action::Right));
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
    for step in 0..hawiz::wizard::REVIEW {
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
            made: 36,
            total: 50,
            last_error: None,
            elsewhere: false,
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
        for step in 0..hawiz::wizard::REVIEW {
            a.step = step;
            render_at(&a, w, h);
        }
        a.screen = Screen::Build;
        a.build = Some(build_state(true));
        render_at(&a, w, h);
        a.screen = Screen::Wizard;
    }
}

/// Build while answering: the question after the network step, the step list while it
/// builds and once built, and leaving with part of a stack made.
#[test]
fn build_while_answering() {
    use hawiz::ops::early::Report;
    // The network run under way, half of it ready (the same rows in every language).
    fn building(a: &mut App, done: bool) {
        a.update(Input::Do(Action::NextStep));
        a.update(Input::Do(Action::NextStep));
        a.update(Input::Do(Action::Yes));
        let ticket = a.early.ticket;
        let graph = hawiz::blueprint::build(&a.plan, std::path::Path::new("")).unwrap();
        let part = hawiz::ops::early::part(&a.plan, std::path::Path::new(""), 1);
        let half: Vec<String> = part.iter().take(part.len() / 2).cloned().collect();
        let send = |a: &mut App, r: Report| {
            a.update(Msg::Loaded(ticket, hawiz::tui::msg::Loaded::Early(r)))
        };
        send(
            a,
            Report::Started {
                graph,
                part,
                through: 1,
            },
        );
        for key in half {
            send(
                a,
                Report::Event(hawiz::ops::Event::Resource(hawiz::engine::events::Event {
                    key: key.clone(),
                    kind: "vpc",
                    name: key,
                    what: hawiz::engine::events::What::Ready {
                        id: "vpc-0abc".into(),
                        took: std::time::Duration::from_secs(2),
                    },
                })),
            );
        }
        if done {
            send(
                a,
                Report::Ended {
                    through: 1,
                    result: Ok(Box::default()),
                },
            );
        }
    }
    both("early_offer", |a| {
        a.update(Input::Do(Action::NextStep));
        a.update(Input::Do(Action::NextStep));
        assert!(matches!(a.dialog, Some(Dialog::Ask(_))));
    });
    both("early_building", |a| building(a, false));
    both("early_built", |a| building(a, true));
    both("early_leave", |a| {
        building(a, true);
        a.update(Input::Do(Action::Quit));
        assert!(matches!(a.dialog, Some(Dialog::Leave { .. })));
    });
    both("early_review", |a| {
        building(a, false);
        while a.screen == hawiz::tui::app::Screen::Wizard {
            a.update(Input::Do(Action::NextStep));
        }
    });
}
