//! Drive the real binary in a pseudo-terminal: keystrokes in, the screen (as a terminal
//! would show it, via vt100) out. Waits poll the screen; nothing sleeps blindly.

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct Pty {
    parser: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    /// Everything the program wrote, for failure messages of line-mode programs.
    pub raw: Arc<Mutex<Vec<u8>>>,
}

impl Pty {
    pub fn spawn(cmd: CommandBuilder, cols: u16, rows: u16) -> Pty {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let child = pair.slave.spawn_command(cmd).expect("spawn in pty");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZero::new(rows).unwrap(),
            std::num::NonZero::new(cols).unwrap(),
            0,
        )));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (p, r) = (parser.clone(), raw.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                p.lock().unwrap().process(&buf[..n]);
                r.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        // Keep the master alive as long as the child runs.
        std::mem::forget(pair.master);
        Pty {
            parser,
            writer,
            child,
            raw,
        }
    }

    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// The row the cursor is on.
    pub fn cursor_row(&self) -> String {
        let p = self.parser.lock().unwrap();
        let (row, _) = p.screen().cursor_position();
        p.screen()
            .rows(0, p.screen().size().1.get())
            .nth(row as usize)
            .unwrap_or_default()
    }

    pub fn send(&mut self, text: &str) {
        self.writer.write_all(text.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// The screen's rows, each as wide as the terminal (for reading one panel's columns).
    pub fn rows(&self) -> Vec<String> {
        let p = self.parser.lock().unwrap();
        let width = p.screen().size().1.get();
        p.screen().rows(0, width).collect()
    }

    /// Wait until the screen satisfies `ok` (polled, as `wait_for`); `what` names the
    /// condition in the failure message.
    #[track_caller]
    pub fn wait_until(&self, what: &str, secs: u64, ok: impl Fn(&str) -> bool) {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if ok(&screen) {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(secs),
                "waited {secs}s for {what}; the screen shows:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The program's process id.
    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("the child has a pid")
    }

    /// SIGKILL: no handler runs, nothing is cleaned up or restored (a crash, `kill -9`).
    /// `Drop`'s kill sends SIGHUP first, which hawiz handles as a quit.
    #[track_caller]
    pub fn sigkill(&mut self) {
        let status = std::process::Command::new("kill")
            .args(["-KILL", &self.pid().to_string()])
            .status()
            .unwrap();
        assert!(status.success(), "kill -KILL {}", self.pid());
        let start = Instant::now();
        while self.exited().is_none() {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "still running after SIGKILL"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    #[track_caller]
    pub fn wait_for(&self, text: &str, secs: u64) {
        let start = Instant::now();
        while !self.screen().contains(text) {
            assert!(
                start.elapsed() < Duration::from_secs(secs),
                "waited {secs}s for {text:?}; the screen shows:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Wait until `text` is off the screen (a dialog closed): keys sent before then could
    /// reach it, or run into the key before them (Esc then Tab reads as Alt-Tab).
    #[track_caller]
    pub fn wait_gone(&self, text: &str, secs: u64) {
        let start = Instant::now();
        while self.screen().contains(text) {
            assert!(
                start.elapsed() < Duration::from_secs(secs),
                "waited {secs}s for {text:?} to go; the screen shows:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Leaving the network step of a new stack: building while answering is offered; no.
    #[track_caller]
    pub fn decline_early(&mut self) {
        self.wait_for("Start building the network now", 10);
        self.send(ESC);
        self.wait_gone("Start building the network now", 10);
    }

    pub fn exited(&mut self) -> Option<u32> {
        self.child.try_wait().ok().flatten().map(|s| s.exit_code())
    }

    #[track_caller]
    pub fn wait_exit(&mut self, secs: u64) -> u32 {
        let start = Instant::now();
        loop {
            if let Some(code) = self.exited() {
                return code;
            }
            assert!(
                start.elapsed() < Duration::from_secs(secs),
                "still running after {secs}s:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

pub const ENTER: &str = "\r";
pub const TAB: &str = "\t";
pub const PAGE_DOWN: &str = "\x1b[6~";
pub const CTRL_C: &str = "\x03";
pub const CTRL_N: &str = "\x0e";
pub const F1: &str = "\x1bOP";
pub const ESC: &str = "\x1b";
pub const SPACE: &str = " ";
pub const RIGHT: &str = "\x1b[C";
pub const LEFT: &str = "\x1b[D";
pub const BACKSPACE: &str = "\x7f";
