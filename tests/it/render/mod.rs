//! Every screen drawn on ratatui's TestBackend at 80×24 and 100×30, in English and
//! Korean, compared with insta snapshots. State is set directly or through `update` (no
//! timers, no AWS), and the time is passed in, so frames are exact.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod doctor;
mod review;
mod runs;
mod wizard;

use hawiz::aws::Identity;
use hawiz::blueprint;
use hawiz::i18n::Lang;
use hawiz::ops;
use hawiz::plan::Finding;
use hawiz::plan::Plan;
use hawiz::progress::{BuildState, RowState, RunEnd, RunKind};
use hawiz::tui::app::{
    App, Check, Dialog, Editor, Inspector, Loadable, SavedStack, Screen, Summary,
};
use hawiz::tui::keys::{Action, Input, Keymap};
use hawiz::tui::msg::Msg;
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
pub(super) fn t0() -> Instant {
    static T0: OnceLock<Instant> = OnceLock::new();
    *T0.get_or_init(Instant::now)
}

pub(super) fn now() -> Now {
    Now {
        at: t0() + Duration::from_secs(95),
        utc: chrono::DateTime::from_timestamp(1_790_000_000, 0).unwrap(),
    }
}

pub(super) const SIZES: [(u16, u16); 2] = [(80, 24), (100, 30)];

pub(super) fn plan() -> Plan {
    let mut p = Plan::default();
    p.resolve(None);
    p.bastion.ssh_cidr = "203.0.113.10/32".into();
    p
}

pub(super) fn app(lang: Lang) -> App {
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

pub(super) fn render(app: &App) -> String {
    render_at(app, 80, 24)
}

pub(super) fn render_at(app: &App, w: u16, h: u16) -> String {
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
pub(super) fn both(name: &str, setup: impl Fn(&mut App)) {
    for lang in [Lang::En, Lang::Ko] {
        for (w, h) in SIZES {
            let mut a = app(lang);
            a.update(Msg::Resize(w, h));
            setup(&mut a);
            // The snapshots stay where they were when this was one file.
            let mut settings = insta::Settings::clone_current();
            settings.set_snapshot_path("../snapshots");
            settings.bind(|| {
                insta::assert_snapshot!(
                    format!("{name}_{}_{w}x{h}", lang.code()),
                    render_at(&a, w, h)
                )
            });
        }
    }
}

/// As the loop does it: a frame is drawn, and what it showed handed back to the app.
pub(super) fn drawn(a: &mut App) {
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
pub(super) fn to_the_end(a: &mut App, action: Action) {
    for _ in 0..200 {
        drawn(a);
        a.update(Input::Do(action));
    }
}
