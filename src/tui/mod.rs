//! The full-screen wizard: one loop over terminal input, a tick, AWS look-ups and engine
//! events; keys become `Input`s, `App::update` changes state and asks for effects, and
//! `view::draw` renders. The terminal is restored on exit, Ctrl-C and panic.

pub mod app;
pub mod build;
pub mod keys;
mod loaders;
pub mod settings;
pub mod theme;
pub mod view;

use crate::aws::{Clients, Identity, Target};
use crate::ops::summary::Summary;
use crate::ops::{self, Env, Failure};
use crate::plan::Plan;
use crate::state::Store;
use crate::wizard::fields::Source;
use app::{App, Effect, Loader, SavedStack, Screen};
use build::{BuildState, RowState};
use crossterm::event::{self as term, KeyEventKind};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

pub struct Options {
    pub env: Env,
    pub home: PathBuf,
    pub theme: Option<String>,
}

/// Everything that can wake the loop.
enum Msg {
    Key(term::KeyEvent),
    Redraw,
    Identity(Result<Identity, String>),
    List(Source, Result<Vec<(String, String)>, String>),
    Address(Result<String, String>),
    Run(ops::Event, String),
    Started(Result<Box<BuildState>, String>),
    Done(Result<(), String>),
    Opened(Result<Box<Plan>, String>, bool),
    Viewed(Result<Box<BuildState>, String>),
    Summary(Result<Box<Summary>, String>),
}

/// The saved stacks for the resume screen.
pub fn saved_stacks(stacks_dir: &Path) -> Vec<SavedStack> {
    Store::list(stacks_dir)
        .into_iter()
        .filter_map(|name| {
            let s = Store::open(stacks_dir, &name).ok()?.snapshot();
            let total = crate::blueprint::build(&s.plan, stacks_dir)
                .map(|g| g.len())
                .unwrap_or(0);
            let ready = s
                .resources
                .values()
                .filter(|r| {
                    matches!(
                        r.status,
                        crate::state::Status::Ready | crate::state::Status::Adopted
                    )
                })
                .count();
            Some(SavedStack {
                name,
                region: s.region,
                ready,
                total,
                last_error: s.last_error,
            })
        })
        .collect()
}

pub async fn run(opts: Options) -> Result<(), Failure> {
    let settings = settings::Settings::load(&opts.home);
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let theme_name = opts
        .theme
        .clone()
        .or(settings.theme.clone())
        .unwrap_or_else(|| "dark".into());
    let theme = theme::Theme::load(&theme_name, no_color).map_err(Failure::invalid)?;
    let keys = keys::Keymap::load().map_err(Failure::failed)?;
    let mut plan = Plan::default();
    plan.resolve(crate::aws::configured_region().await.as_deref());
    let stacks = saved_stacks(&opts.env.stacks_dir);
    let mut app = App::new(
        plan,
        settings.lang,
        theme,
        keys,
        stacks,
        opts.env.target.sandbox,
    );

    let started = Instant::now();
    let mut terminal = ratatui::try_init().map_err(|e| Failure::invalid(format!("the wizard needs an interactive terminal ({e}); `hawiz --plain` asks line by line, and `hawiz apply PLAN.toml` needs no questions at all")))?;
    let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    let input = spawn_input(tx.clone());
    let mut ctx = Ctx {
        opts: &opts,
        tx: tx.clone(),
        clients: None,
    };
    for fx in app.start() {
        ctx.effect(fx, &mut app).await;
    }
    let mut ticker = tokio::time::interval(Duration::from_millis(200));
    let mut stats = FrameStats::default();
    let result = loop {
        let t = Instant::now();
        if let Err(e) = terminal.draw(|f| view::draw(f, &app)) {
            break Err(Failure::failed(format!("cannot draw: {e}")));
        }
        stats.frame(started, t.elapsed());
        let msg = tokio::select! {
            m = rx.recv() => m,
            _ = ticker.tick() => { app.on_tick(); continue; }
        };
        let Some(msg) = msg else { break Ok(()) };
        let mut effects = Vec::new();
        match msg {
            Msg::Key(k) => {
                if let Some(i) = app.keys.input(k, app.typing()) {
                    effects = app.update(i);
                }
            }
            Msg::Redraw => {}
            Msg::Identity(r) => app.loaded_identity(r),
            Msg::List(s, r) => app.loaded_list(s, r),
            Msg::Address(r) => app.loaded_address(r),
            Msg::Run(ev, line) => {
                if let Some(b) = &mut app.build {
                    b.on_event(&ev, line);
                }
            }
            Msg::Started(Ok(b)) => app.build = Some(*b),
            Msg::Started(Err(e)) | Msg::Viewed(Err(e)) => {
                let mut b = app.build.take().unwrap_or_else(|| {
                    BuildState::new(&crate::engine::Graph::default(), "", false)
                });
                b.fatal = Some(e);
                b.finished = true;
                app.build = Some(b);
            }
            Msg::Done(r) => {
                if let Some(b) = &mut app.build {
                    b.finished = true;
                    if let Err(e) = r {
                        b.fatal = Some(e);
                    }
                }
                app.stacks = saved_stacks(&opts.env.stacks_dir);
            }
            Msg::Opened(Ok(plan), false) => {
                app.opened(*plan);
                effects.push(Effect::SavePlan);
            }
            Msg::Opened(Ok(plan), true) => {
                app.plan = *plan;
                app.screen = Screen::Build;
                effects.push(Effect::Load(Loader::Identity));
                ctx.view(&app);
            }
            Msg::Opened(Err(e), _) => app.notice = Some((e.clone(), e)),
            Msg::Viewed(Ok(b)) => app.build = Some(*b),
            Msg::Summary(r) => {
                if let (Ok(s), Some(b)) = (&r, &mut app.build) {
                    b.summary = Some((**s).clone());
                }
                app.summary = match r {
                    Ok(s) => app::Loadable::Ready(*s),
                    Err(e) => app::Loadable::Failed(e),
                }
            }
        }
        let mut quit = false;
        for fx in effects {
            if fx == Effect::Quit {
                quit = true;
            } else {
                ctx.effect(fx, &mut app).await;
            }
        }
        if quit {
            break Ok(());
        }
    };
    drop(input);
    ratatui::restore();
    stats.report();
    result
}

/// Crossterm's blocking reads on their own thread, forwarded to the loop.
fn spawn_input(tx: mpsc::UnboundedSender<Msg>) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        while !tx.is_closed() {
            match term::poll(Duration::from_millis(100)) {
                Ok(true) => match term::read() {
                    Ok(term::Event::Key(k)) if k.kind != KeyEventKind::Release => {
                        let _ = tx.send(Msg::Key(k));
                    }
                    Ok(term::Event::Resize(..)) => {
                        let _ = tx.send(Msg::Redraw);
                    }
                    Ok(_) => {}
                    Err(_) => break,
                },
                Ok(false) => {}
                Err(_) => break,
            }
        }
    })
}

/// Time to first frame and the slowest frame, written where `HAWIZ_FRAME_STATS` points.
#[derive(Default)]
struct FrameStats {
    first: Option<Duration>,
    slowest: Duration,
    frames: u64,
}

impl FrameStats {
    fn frame(&mut self, started: Instant, took: Duration) {
        self.first.get_or_insert_with(|| started.elapsed());
        self.slowest = self.slowest.max(took);
        self.frames += 1;
    }

    fn report(&self) {
        if let Some(path) = std::env::var_os("HAWIZ_FRAME_STATS") {
            let text = format!(
                "first_frame_ms={:.1}\nslowest_frame_ms={:.2}\nframes={}\n",
                self.first.unwrap_or_default().as_secs_f64() * 1000.0,
                self.slowest.as_secs_f64() * 1000.0,
                self.frames
            );
            let _ = std::fs::write(path, text);
        }
    }
}

struct Ctx<'a> {
    opts: &'a Options,
    tx: mpsc::UnboundedSender<Msg>,
    /// Clients for (region, profile), rebuilt when either changes.
    clients: Option<(String, String, Arc<Clients>)>,
}

impl Ctx<'_> {
    fn env_for(&self, app: &App) -> Env {
        let mut env = self.opts.env.clone();
        env.target = Target {
            profile: Some(app.profile.clone()),
            ..self.opts.env.target.clone()
        };
        env
    }

    async fn clients(&mut self, app: &App) -> Arc<Clients> {
        let region = app.plan.region().to_string();
        if let Some((r, p, c)) = &self.clients
            && *r == region
            && *p == app.profile
        {
            return c.clone();
        }
        let c = Arc::new(Clients::new(&region, &self.env_for(app).target).await);
        self.clients = Some((region, app.profile.clone(), c.clone()));
        c
    }

    async fn effect(&mut self, fx: Effect, app: &mut App) {
        let tx = self.tx.clone();
        match fx {
            Effect::Load(Loader::Identity) => {
                let c = self.clients(app).await;
                tokio::spawn(async move {
                    let _ = tx.send(Msg::Identity(c.identity().await.map_err(|e| e.to_string())));
                });
            }
            Effect::Load(Loader::List(source)) => {
                let c = self.clients(app).await;
                let vpc = app.plan.network.vpc_id.trim().to_string();
                tokio::spawn(async move {
                    let _ = tx.send(Msg::List(source, loaders::list(&c, source, &vpc).await));
                });
            }
            Effect::Load(Loader::MyAddress) => {
                let sandbox = app.sandbox;
                tokio::spawn(async move {
                    let r = match crate::myip::detect().await {
                        Ok(ip) => Ok(format!("{ip}/32")),
                        Err(_) if sandbox => Ok(ops::SANDBOX_SSH_CIDR.to_string()),
                        Err(e) => Err(e),
                    };
                    let _ = tx.send(Msg::Address(r));
                });
            }
            Effect::Build => self.build(app).await,
            Effect::Destroy(stack) => self.destroy(app, stack),
            Effect::Open { stack, view } => {
                let r = Store::open(&self.opts.env.stacks_dir, &stack)
                    .map(|s| s.snapshot().plan)
                    .map_err(|e| e.to_string());
                let _ = tx.send(Msg::Opened(r.map(Box::new), view));
            }
            Effect::Summarise => {
                // The build's report carries the facts; nothing to look up again.
                let facts = app.build.as_ref().and_then(|b| b.summary.clone());
                let _ = tx.send(Msg::Summary(facts.map(Box::new).ok_or_else(|| {
                    "the build did not finish, so there is nothing to show".to_string()
                })));
            }
            Effect::SavePlan => {
                app.saved_plan = save_plan(&self.opts.home, &app.plan).ok();
            }
            Effect::SaveSettings => {
                let s = settings::Settings {
                    lang: app.lang,
                    theme: Some(app.theme.name.clone()),
                };
                let _ = s.save(&self.opts.home);
            }
            Effect::Quit => {}
        }
    }

    /// Save the answers as a plan file, check, and build, streaming events to the screen.
    async fn build(&mut self, app: &mut App) {
        let env = self.env_for(app);
        let mut plan = app.plan.clone();
        plan.resolve(None);
        app.saved_plan = save_plan(&self.opts.home, &plan).ok();
        app.build = None;
        let tx = self.tx.clone();
        let lang = app.lang;
        tokio::spawn(async move {
            let cs = match ops::changes(&env, plan, true).await {
                Ok(cs) => cs,
                Err(f) => {
                    let _ = tx.send(Msg::Started(Err(f.message)));
                    return;
                }
            };
            let state = BuildState::new(&cs.graph, cs.plan.region(), false);
            let _ = tx.send(Msg::Started(Ok(Box::new(state))));
            let lines = crate::progress::Lines::new(lang);
            for w in &cs.warnings {
                let ev = ops::Event::Note {
                    en: format!("warning: {}", w.message),
                    ko: format!("경고: {}", w.ko),
                };
                let line = lines.event(&ev);
                let _ = tx.send(Msg::Run(ev, line));
            }
            let (mut events, work) = ops::apply(&env, cs, ops::ApplyOptions::default());
            forward(&mut events, &tx, &lines).await;
            let done = match work.await {
                Ok(Ok(report)) => {
                    let _ = tx.send(Msg::Summary(Ok(Box::new(report.summary.clone()))));
                    Ok(())
                }
                Ok(Err(f)) => Err(f.message),
                Err(e) => Err(format!("internal error: {e}")),
            };
            let _ = tx.send(Msg::Done(done));
        });
    }

    fn destroy(&mut self, app: &mut App, stack: String) {
        let env = self.env_for(app);
        let tx = self.tx.clone();
        let lang = app.lang;
        tokio::spawn(async move {
            let plan = match ops::destroy_plan(&env, &stack).await {
                Ok(p) => p,
                Err(f) => {
                    let _ = tx.send(Msg::Started(Err(f.message)));
                    return;
                }
            };
            let graph = Store::open(&env.stacks_dir, &stack)
                .ok()
                .and_then(|s| crate::blueprint::build(&s.snapshot().plan, &env.stacks_dir).ok())
                .unwrap_or_default();
            let building = BuildState::new(&graph, &plan.region, true);
            let _ = tx.send(Msg::Started(Ok(Box::new(building))));
            let lines = crate::progress::Lines::new(lang);
            let (mut events, work) = ops::destroy(&env, plan);
            forward(&mut events, &tx, &lines).await;
            let done = match work.await {
                Ok(Ok(r)) if r.left.is_empty() => Ok(()),
                Ok(Ok(r)) => Err(r
                    .left
                    .into_iter()
                    .map(|(k, why)| format!("{k}: {why}"))
                    .collect::<Vec<_>>()
                    .join("; ")),
                Ok(Err(f)) => Err(f.message),
                Err(e) => Err(format!("internal error: {e}")),
            };
            let _ = tx.send(Msg::Done(done));
        });
    }

    /// Show a saved stack's resources as they are in AWS (read-only).
    fn view(&mut self, app: &App) {
        let env = self.env_for(app);
        let plan = app.plan.clone();
        let tx = self.tx.clone();
        tokio::spawn(async move {
            let r = async {
                let graph =
                    crate::blueprint::build(&plan, &env.stacks_dir).map_err(|e| e.to_string())?;
                let report = ops::status(&env, &plan.stack.name)
                    .await
                    .map_err(|f| f.message)?;
                let mut b = BuildState::new(&graph, plan.region(), true);
                for row in &mut b.rows {
                    match report.rows.iter().find(|r| r.key == row.key) {
                        Some(r) if !r.ids.is_empty() => {
                            row.state = RowState::Ready;
                            row.id = r.ids.first().cloned();
                            if let ops::status::State::Drifted(what) = &r.state {
                                row.error = Some(format!("drifted: {}", what.join("; ")));
                            }
                        }
                        _ => {
                            row.state = RowState::Blocked;
                            row.error = Some("missing".into());
                        }
                    }
                }
                b.finished = true;
                b.viewing = true;
                b.summary = Some(report.summary);
                Ok::<_, String>(Box::new(b))
            }
            .await;
            let _ = tx.send(Msg::Viewed(r));
        });
    }
}

/// The answers as a plan file `hawiz apply` can replay: `<data dir>/plans/<stack>.toml`.
pub fn save_plan(home: &Path, plan: &Plan) -> std::io::Result<PathBuf> {
    let mut plan = plan.clone();
    plan.resolve(None);
    let path = home.join("plans").join(format!("{}.toml", plan.stack.name));
    crate::state::create_private_dir(path.parent().unwrap_or(home))?;
    std::fs::write(&path, plan.to_toml())?;
    Ok(path)
}

async fn forward(
    events: &mut mpsc::UnboundedReceiver<ops::Event>,
    tx: &mpsc::UnboundedSender<Msg>,
    lines: &crate::progress::Lines,
) {
    while let Some(ev) = events.recv().await {
        let line = lines.event(&ev);
        let _ = tx.send(Msg::Run(ev, line));
    }
}
