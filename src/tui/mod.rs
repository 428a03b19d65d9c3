//! The full-screen wizard: one loop over one kind of message (`msg::Msg`: keys, the
//! mouse wheel, the clock, the terminal's size, answers of the work it asked for);
//! `App::update` is the only place state changes and returns `Effect`s, which `Ctx`
//! starts; `view::draw` renders the state with the time passed in. A terminal guard
//! restores the screen on every way out (quit, SIGTERM/SIGHUP, an external SIGINT that
//! drops the loop, a panic).

pub mod app;
pub mod keys;
pub mod msg;
pub mod theme;
pub mod view;

use crate::aws::{Clients, Target};
use crate::ops::{self, Env, Failure};
use crate::plan::Plan;
use crate::progress::{BuildState, RowState, RunEnd, RunKind};
use crate::state::Store;
use app::{App, Effect, Loader};
use crossterm::event::{self as term, KeyEventKind};
use msg::{Loaded, Msg, Preview};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

pub struct Options {
    pub env: Env,
    pub home: PathBuf,
    pub theme: Option<String>,
    /// `hawiz edit PLAN.toml`: open the wizard on this plan file and save back to it.
    pub edit: Option<PathBuf>,
}

/// The terminal in raw mode on the alternate screen, with the mouse wheel; restored when
/// dropped, which covers every way out of `run`: a return, an error, the future being
/// dropped by an external SIGINT (main's select), and a panic (ratatui's hook restores
/// too).
struct TerminalGuard;

impl TerminalGuard {
    fn enter() -> Result<(TerminalGuard, ratatui::DefaultTerminal), Failure> {
        let terminal = ratatui::try_init().map_err(|e| Failure::invalid(format!("the wizard needs an interactive terminal ({e}); `hawiz --plain` asks line by line, and `hawiz apply PLAN.toml` needs no questions at all")))?;
        let _ = crossterm::execute!(std::io::stdout(), crossterm::event::EnableMouseCapture);
        Ok((TerminalGuard, terminal))
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        let _ = crossterm::execute!(std::io::stdout(), crossterm::event::DisableMouseCapture);
        ratatui::restore();
    }
}

pub async fn run(opts: Options) -> Result<(), Failure> {
    let settings = crate::settings::Settings::load(&opts.home);
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let theme_name = opts
        .theme
        .clone()
        .or(settings.theme.clone())
        .unwrap_or_else(|| "dark".into());
    let theme = theme::Theme::load(&theme_name, no_color).map_err(Failure::invalid)?;
    let keys = keys::Keymap::load().map_err(Failure::failed)?;
    let sandbox = opts.env.target.sandbox;
    let mut plan = Plan::default();
    plan.resolve(crate::aws::configured_region().await.as_deref());
    let stacks = ops::stacks::saved(&opts.env.stacks_dir);
    let mut app = App::new(plan, settings.lang, theme, keys, stacks, sandbox);
    app.emulator = opts.env.target.emulated();
    app.draft = crate::wizard::draft::load(&opts.home, sandbox);
    if let Some(path) = &opts.edit {
        // Read as written (not resolved), so saving back keeps the file's own defaults.
        let plan = Plan::load(path).map_err(|e| Failure::invalid(e.to_string()))?;
        app.open_file(plan, path.clone());
    }

    let started = Instant::now();
    let (guard, mut terminal) = TerminalGuard::enter()?;
    let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    let input = spawn_input(tx.clone());
    let mut ctx = Ctx {
        opts: &opts,
        tx: tx.clone(),
        clients: None,
    };
    if let Ok(size) = terminal.size() {
        app.update(Msg::Resize(size.width, size.height));
    }
    let mut pending: Vec<Effect> = app.start();
    let mut ticker = tokio::time::interval(Duration::from_millis(200));
    let mut signals = Signals::new();
    let mut stats = FrameStats::default();
    let result = loop {
        let mut quit = false;
        for fx in pending.drain(..) {
            if fx == Effect::Quit {
                quit = true;
            } else {
                ctx.effect(fx).await;
            }
        }
        if quit {
            break Ok(());
        }
        let now = view::Now::read();
        let t = now.at;
        let mut extents = app::Extents::default();
        if let Err(e) = terminal.draw(|f| extents = view::draw(f, &app, &now)) {
            break Err(Failure::failed(format!("cannot draw: {e}")));
        }
        // Scrolling stops where this frame's text ends.
        app.update(Msg::Drawn(extents));
        stats.frame(started, t.elapsed());
        let msg = tokio::select! {
            m = rx.recv() => m,
            _ = ticker.tick() => Some(Msg::Tick),
            _ = signals.next() => Some(Msg::Terminate),
        };
        let Some(msg) = msg else { break Ok(()) };
        pending = app.update(msg);
    };
    drop(input);
    drop(guard);
    stats.report();
    result
}

/// SIGTERM and SIGHUP end the wizard like a quit (the terminal is restored on the way).
struct Signals {
    #[cfg(unix)]
    term: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    hup: Option<tokio::signal::unix::Signal>,
}

impl Signals {
    fn new() -> Signals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Signals {
                term: signal(SignalKind::terminate()).ok(),
                hup: signal(SignalKind::hangup()).ok(),
            }
        }
        #[cfg(not(unix))]
        Signals {}
    }

    async fn next(&mut self) {
        #[cfg(unix)]
        {
            let term = async {
                match &mut self.term {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            let hup = async {
                match &mut self.hup {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                _ = term => {},
                _ = hup => {},
            }
        }
        #[cfg(not(unix))]
        std::future::pending::<()>().await
    }
}

/// Crossterm's blocking reads on their own thread, forwarded to the loop as `Msg`s.
fn spawn_input(tx: mpsc::UnboundedSender<Msg>) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        while !tx.is_closed() {
            match term::poll(Duration::from_millis(100)) {
                Ok(true) => match term::read() {
                    Ok(term::Event::Key(k)) if k.kind != KeyEventKind::Release => {
                        let _ = tx.send(Msg::Key(k));
                    }
                    Ok(term::Event::Mouse(m)) => {
                        let wheel = match m.kind {
                            term::MouseEventKind::ScrollDown => Some(true),
                            term::MouseEventKind::ScrollUp => Some(false),
                            _ => None,
                        };
                        if let Some(down) = wheel {
                            let _ = tx.send(Msg::Input(keys::Input::Wheel(down)));
                        }
                    }
                    Ok(term::Event::Resize(w, h)) => {
                        let _ = tx.send(Msg::Resize(w, h));
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

/// Carries out effects. It never reads the app: every effect carries what it needs, and
/// every answer goes back through the channel as a `Msg` with its ticket.
struct Ctx<'a> {
    opts: &'a Options,
    tx: mpsc::UnboundedSender<Msg>,
    /// Clients for (region, profile), rebuilt when either changes.
    clients: Option<(String, String, Arc<Clients>)>,
}

impl Ctx<'_> {
    fn env_for(&self, profile: &str) -> Env {
        let mut env = self.opts.env.clone();
        env.target = Target {
            profile: Some(profile.to_string()),
            ..self.opts.env.target.clone()
        };
        env
    }

    async fn clients(&mut self, region: &str, profile: &str) -> Arc<Clients> {
        if let Some((r, p, c)) = &self.clients
            && r == region
            && p == profile
        {
            return c.clone();
        }
        let c = Arc::new(Clients::new(region, &self.env_for(profile).target).await);
        self.clients = Some((region.to_string(), profile.to_string(), c.clone()));
        c
    }

    fn send(&self, ticket: u64, loaded: Loaded) {
        let _ = self.tx.send(Msg::Loaded(ticket, loaded));
    }

    async fn effect(&mut self, fx: Effect) {
        let tx = self.tx.clone();
        let home = self.opts.home.clone();
        let sandbox = self.opts.env.target.sandbox;
        match fx {
            Effect::Load {
                ticket,
                what,
                region,
                profile,
                vpc,
            } => {
                let c = self.clients(&region, &profile).await;
                tokio::spawn(async move {
                    let loaded = match what {
                        Loader::Identity => {
                            Loaded::Identity(c.identity().await.map_err(|e| e.to_string()))
                        }
                        Loader::MyAddress => Loaded::Address(match crate::myip::detect().await {
                            Ok(ip) => Ok(format!("{ip}/32")),
                            Err(_) if sandbox => Ok(ops::SANDBOX_SSH_CIDR.to_string()),
                            Err(e) => Err(e),
                        }),
                        Loader::List(source) => {
                            Loaded::List(source, ops::lists::list(&c, source, &vpc).await)
                        }
                        Loader::Subnets => {
                            Loaded::Subnets(ops::lists::subnet_choices(&c, &vpc).await)
                        }
                    };
                    let _ = tx.send(Msg::Loaded(ticket, loaded));
                });
            }
            Effect::Preflight {
                ticket,
                plan,
                profile,
            } => {
                let env = self.env_for(&profile);
                tokio::spawn(async move {
                    let r = preflight(&env, *plan).await;
                    let _ = tx.send(Msg::Loaded(ticket, Loaded::Preflight(r)));
                });
            }
            Effect::Build {
                ticket,
                plan,
                profile,
                options,
            } => {
                let env = self.env_for(&profile);
                tokio::spawn(build(env, *plan, options, ticket, tx));
            }
            Effect::Destroy {
                ticket,
                stack,
                profile,
            } => {
                let env = self.env_for(&profile);
                tokio::spawn(destroy(env, stack, ticket, tx));
            }
            Effect::Drill {
                ticket,
                stack,
                part,
                profile,
            } => {
                let env = self.env_for(&profile);
                tokio::spawn(drill(env, stack, part, ticket, tx));
            }
            Effect::View {
                ticket,
                plan,
                profile,
            } => {
                let env = self.env_for(&profile);
                tokio::spawn(view_stack(env, *plan, ticket, tx));
            }
            Effect::Open {
                ticket,
                stack,
                view,
            } => {
                let plan = Store::open(&self.opts.env.stacks_dir, &stack)
                    .map(|s| Box::new(s.snapshot().plan))
                    .map_err(|e| e.to_string());
                self.send(ticket, Loaded::Opened { stack, view, plan });
            }
            Effect::Inspect {
                ticket,
                key,
                kind,
                id,
                region,
                profile,
            } => {
                let c = self.clients(&region, &profile).await;
                tokio::spawn(async move {
                    let r = ops::inspect::inspect(&c, kind, &id).await;
                    let _ = tx.send(Msg::Loaded(ticket, Loaded::Inspected(key, r)));
                });
            }
            Effect::SavePlan { plan, origin } => {
                let r = match origin {
                    Some(path) => ops::stacks::save_plan_to(&path, &plan).map(|()| path),
                    None => {
                        ops::stacks::save_plan(&crate::sandbox::plans_home(sandbox, &home), &plan)
                    }
                };
                let _ = tx.send(Msg::PlanSaved(r.map_err(|e| e.to_string())));
            }
            Effect::SaveDraft(d) => {
                let _ = crate::wizard::draft::save(&home, sandbox, &d);
            }
            Effect::ClearDraft => crate::wizard::draft::clear(&home, sandbox),
            Effect::SaveSettings(s) => {
                let _ = s.save(&home);
            }
            Effect::RefreshStacks => {
                let _ = tx.send(Msg::Stacks(ops::stacks::saved(&self.opts.env.stacks_dir)));
            }
            Effect::Quit => {}
        }
    }
}

/// The review's preflight: the plan's own checks, then `ops::changes` without the lock
/// (what exists, what is in the way, the account's checks). Nothing is made or locked.
async fn preflight(env: &Env, plan: Plan) -> Result<Preview, Failure> {
    let report = crate::plan::validate::validate(&plan);
    if !report.is_ok() {
        return Err(Failure::refused(
            "the answers have problems; nothing was created:",
            report.errors,
        ));
    }
    let cs = ops::changes(env, plan, false).await?;
    Ok(Preview::from_changeset(&cs))
}

async fn build(
    env: Env,
    plan: Plan,
    options: ops::ApplyOptions,
    ticket: u64,
    tx: mpsc::UnboundedSender<Msg>,
) {
    let send = |l: Loaded| {
        let _ = tx.send(Msg::Loaded(ticket, l));
    };
    let cs = match ops::changes(&env, plan, true).await {
        Ok(cs) => cs,
        Err(f) => return send(Loaded::Started(Err(f))),
    };
    let mut state = BuildState::new(
        &cs.graph,
        &cs.plan.stack.name,
        cs.plan.region(),
        RunKind::Build,
        Instant::now(),
    );
    state.plan = Some(Box::new(cs.plan.clone()));
    send(Loaded::Started(Ok(Box::new(state))));
    for w in &cs.warnings {
        let ev = ops::Event::Note {
            en: format!("warning: {}", w.message),
            ko: format!("경고: {}", w.ko),
        };
        send(Loaded::Event(ev, Instant::now()));
    }
    if let Err(f) = cs.refuse_without(options.replace_vpc, options.replace_database) {
        return send(Loaded::Done(Err(f), Instant::now()));
    }
    let (mut events, work) = ops::apply(&env, cs, options);
    while let Some(ev) = events.recv().await {
        send(Loaded::Event(ev, Instant::now()));
    }
    let done = match work.await {
        Ok(Ok(report)) => Ok(RunEnd::Built(Box::new(report.summary))),
        Ok(Err(f)) => Err(f),
        Err(e) => Err(Failure::failed(format!("internal error: {e}"))),
    };
    send(Loaded::Done(done, Instant::now()));
}

async fn destroy(env: Env, stack: String, ticket: u64, tx: mpsc::UnboundedSender<Msg>) {
    let send = |l: Loaded| {
        let _ = tx.send(Msg::Loaded(ticket, l));
    };
    let plan = match ops::destroy_plan(&env, &stack).await {
        Ok(p) => p,
        Err(f) => return send(Loaded::Started(Err(f))),
    };
    let saved = Store::open(&env.stacks_dir, &stack)
        .ok()
        .map(|s| s.snapshot().plan);
    let graph = saved
        .as_ref()
        .and_then(|p| crate::blueprint::build(p, &env.stacks_dir).ok())
        .unwrap_or_default();
    let mut state = BuildState::new(
        &graph,
        &stack,
        &plan.region,
        RunKind::Destroy,
        Instant::now(),
    );
    state.plan = saved.map(Box::new);
    send(Loaded::Started(Ok(Box::new(state))));
    let (mut events, work) = ops::destroy(&env, plan);
    while let Some(ev) = events.recv().await {
        send(Loaded::Event(ev, Instant::now()));
    }
    let done = match work.await {
        Ok(Ok(r)) => Ok(RunEnd::Destroyed {
            snapshots: r.snapshots,
            left: r.left,
        }),
        Ok(Err(f)) => Err(f),
        Err(e) => Err(Failure::failed(format!("internal error: {e}"))),
    };
    send(Loaded::Done(done, Instant::now()));
}

/// The HA drill: its live lines go to the log, its measured result ends the run.
async fn drill(
    env: Env,
    stack: String,
    part: ops::drill::Part,
    ticket: u64,
    tx: mpsc::UnboundedSender<Msg>,
) {
    let send = |l: Loaded| {
        let _ = tx.send(Msg::Loaded(ticket, l));
    };
    let prepared = match ops::drill::prepare(&env, &stack, part).await {
        Ok(p) => p,
        Err(f) => return send(Loaded::Started(Err(f))),
    };
    let mut state = BuildState::new(
        &crate::engine::Graph::default(),
        &stack,
        "",
        RunKind::Drill,
        Instant::now(),
    );
    state.plan = Store::open(&env.stacks_dir, &stack)
        .ok()
        .map(|s| Box::new(s.snapshot().plan));
    send(Loaded::Started(Ok(Box::new(state))));
    send(Loaded::Event(
        ops::Event::Note {
            en: format!("Drill: {}.", prepared.en),
            ko: format!("훈련: {}.", prepared.ko),
        },
        Instant::now(),
    ));
    let (mut events, work) = ops::drill::run(prepared);
    while let Some(ev) = events.recv().await {
        send(Loaded::Event(ev, Instant::now()));
    }
    let done = match work.await {
        Ok(Ok(r)) => Ok(RunEnd::Drilled(Box::new(r))),
        Ok(Err(f)) => Err(f),
        Err(e) => Err(Failure::failed(format!("internal error: {e}"))),
    };
    send(Loaded::Done(done, Instant::now()));
}

/// A saved stack's resources as they are in AWS (read-only).
async fn view_stack(env: Env, plan: Plan, ticket: u64, tx: mpsc::UnboundedSender<Msg>) {
    let send = |l: Loaded| {
        let _ = tx.send(Msg::Loaded(ticket, l));
    };
    let graph = match crate::blueprint::build(&plan, &env.stacks_dir) {
        Ok(g) => g,
        Err(e) => return send(Loaded::Started(Err(Failure::failed(e.to_string())))),
    };
    let report = match ops::status(&env, &plan.stack.name).await {
        Ok(r) => r,
        Err(f) => return send(Loaded::Started(Err(f))),
    };
    let mut b = BuildState::new(
        &graph,
        &plan.stack.name,
        plan.region(),
        RunKind::View,
        Instant::now(),
    );
    b.plan = Some(Box::new(plan.clone()));
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
    send(Loaded::Started(Ok(Box::new(b))));
    send(Loaded::Done(
        Ok(RunEnd::Built(Box::new(report.summary))),
        Instant::now(),
    ));
}
