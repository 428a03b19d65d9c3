//! The full-screen wizard: one loop over one kind of message (`msg::Msg`: keys, the
//! mouse wheel, the clock, the terminal's size, answers of the work it asked for);
//! `App::update` is the only place state changes and returns `Effect`s, which `Ctx`
//! (`effects`) starts, the runs among them in `runs`; `view::draw` renders the state with
//! the time passed in and says what it drew of the scrolled panel, which goes back to
//! `update` as `Msg::Drawn`.
//!
//! ```text
//! keys, msg ◄── app (model + update) ◄── view (draw)
//!    ▲              ▲                       ▲
//!    └──────────── mod (loop) ── effects ── runs ──► ops, progress
//! ``` A terminal guard
//! restores the screen on every way out (quit, SIGTERM/SIGHUP, an external SIGINT that
//! drops the loop, a panic).

pub mod app;
mod effects;
pub mod keys;
pub mod msg;
mod runs;
pub mod theme;
pub mod view;

use crate::ops::{self, Env, Failure};
use crate::plan::Plan;
use app::{App, Effect, Loadable, Screen};
use crossterm::event::{self as term, KeyEventKind};
use effects::Ctx;
use msg::Msg;
use std::path::PathBuf;
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
    let mut app = App::new(plan, opts.env.lang, theme, keys, stacks, sandbox);
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
        waiting: Default::default(),
        early: None,
    };
    if let Ok(size) = terminal.size() {
        app.update(Msg::Resize(size.width, size.height));
    }
    let mut pending: Vec<Effect> = app.start();
    // The stacks the account keeps that this machine has no state of join the resume
    // screen when the lookup answers.
    pending.push(Effect::RefreshStacks);
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
    parting(&app);
    result
}

/// After the screen is restored: what a user copies from the final screen (and what they
/// copied), printed whole in the terminal, where a line is never cut or wrapped mid-word
/// for copying.
fn parting(app: &App) {
    if app.screen == Screen::Final
        && let Loadable::Ready(s) = &app.summary
    {
        let stack = app.build.as_ref().map_or("", |b| b.stack.as_str());
        println!(
            "{}",
            app.lang.pick(
                &format!("hawiz: stack {stack} is built. To copy:"),
                &format!("hawiz: 스택 {stack} 구축 완료. 복사할 것:"),
            )
        );
        crate::ops::summary::print(s, app.lang);
    }
    for text in &app.copied {
        println!("{} {text}", app.t("Copied:", "복사함:"));
    }
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
