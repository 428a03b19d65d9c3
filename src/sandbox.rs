//! `--sandbox`: a local AWS emulator (moto server) that hawiz prepares on first use (a
//! Python venv under the data dir) and keeps running in the background, so practice
//! stacks survive between runs: a later `--sandbox` run finds it again through
//! `sandbox/emulator.toml` (its pid and port, checked alive). `hawiz sandbox stop` stops
//! it, and its practice stacks go with it. If it was lost (a reboot), the next start says
//! so and which stacks went with it, instead of silently forgetting them.

use crate::engine::wait::Backoff;
use crate::i18n::Lang;
use crate::ops::Failure;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;
use tokio::process::Command;

/// The emulator version hawiz is tested against, and what its launcher needs besides
/// (cbor2: CloudWatch's wire format, see the launcher).
pub const PACKAGES: [&str; 2] = ["moto[server]==5.2.5", "cbor2==6.3.0"];

/// Starts moto's server with a fix for an emulator bug (see the file).
pub const LAUNCHER: &str = include_str!("../assets/moto-server.py");

/// Where the running emulator is recorded.
const RECORD: &str = "emulator.toml";

/// The running emulator, as recorded in the sandbox data dir.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub pid: u32,
    pub port: u16,
}

impl Record {
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

pub struct Sandbox {
    pub endpoint: String,
    pub pid: u32,
    /// Found running from an earlier run (not started now).
    pub reused: bool,
}

/// The sandbox's data dir: its stacks, plans, draft and emulator record.
pub fn dir(home: &Path) -> PathBuf {
    home.join("sandbox")
}

/// Where the wizard and plain mode save plan files: practice plans stay with the sandbox
/// (its messages point there), real ones in the data directory.
pub fn plans_home(sandbox: bool, home: &Path) -> PathBuf {
    if sandbox {
        dir(home)
    } else {
        home.to_path_buf()
    }
}

fn record_path(home: &Path) -> PathBuf {
    dir(home).join(RECORD)
}

/// The recorded emulator, if any (running or not).
pub fn record(home: &Path) -> Option<Record> {
    let text = std::fs::read_to_string(record_path(home)).ok()?;
    toml::from_str(&text).ok()
}

/// Whether the process lives and is a moto server (a reused pid after a reboot is not).
/// Whether a process has exited: gone, or a zombie its parent has not reaped yet.
fn exited(pid: u32) -> bool {
    if !Path::new("/proc/self").exists() {
        return !process_alive(pid);
    }
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state follows the command name, which is in parentheses.
        Ok(stat) => stat
            .rsplit(')')
            .next()
            .and_then(|rest| rest.split_whitespace().next())
            .is_some_and(|state| state == "Z" || state == "X"),
        Err(_) => true,
    }
}

fn process_alive(pid: u32) -> bool {
    let proc_dir = PathBuf::from(format!("/proc/{pid}"));
    if Path::new("/proc/self").exists() {
        return std::fs::read(proc_dir.join("cmdline"))
            .map(|c| String::from_utf8_lossy(&c).contains("moto-server"))
            .unwrap_or(false);
    }
    std::process::Command::new("kill")
        .args(["-0", &pid.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Whether the recorded emulator is running and answering.
pub async fn alive(r: &Record) -> bool {
    process_alive(r.pid)
        && tokio::net::TcpStream::connect(("127.0.0.1", r.port))
            .await
            .is_ok()
}

/// The practice stacks recorded in the sandbox (their state files).
pub fn stacks(home: &Path) -> Vec<String> {
    let dir = crate::paths::stacks_dir(home, true);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.path().join("state.json").exists())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Forget the practice stacks' records (their emulator is gone, and they with it).
fn forget_stacks(home: &Path) {
    let _ = std::fs::remove_dir_all(crate::paths::stacks_dir(home, true));
    let _ = std::fs::remove_dir_all(dir(home).join("locks"));
}

impl Sandbox {
    /// The running emulator, found again, or a new one started in the background.
    pub async fn ensure(home: &Path, lang: Lang) -> Result<Sandbox, Failure> {
        if let Some(r) = record(home)
            && alive(&r).await
        {
            eprintln!(
                "{} {} (pid {}; {})",
                lang.pick(
                    "Sandbox: AWS emulator running at",
                    "샌드박스: AWS 에뮬레이터 실행 중:"
                ),
                r.endpoint(),
                r.pid,
                lang.pick(
                    "`hawiz sandbox stop` stops it",
                    "`hawiz sandbox stop`으로 멈춥니다"
                )
            );
            return Ok(Sandbox {
                endpoint: r.endpoint(),
                pid: r.pid,
                reused: true,
            });
        }
        let lost = stacks(home);
        if record(home).is_some() || !lost.is_empty() {
            if lost.is_empty() {
                eprintln!(
                    "{}",
                    lang.pick(
                        "Sandbox: the emulator of the last run is no longer running (the computer \
                         restarted, or it was stopped outside hawiz); starting a new one.",
                        "샌드박스: 지난번 에뮬레이터가 더 이상 실행 중이 아닙니다(컴퓨터를 다시 시작했거나 \
                         hawiz 밖에서 멈췄습니다). 새로 시작합니다."
                    )
                );
            } else {
                let plans = dir(home).join("plans");
                eprintln!(
                    "{}",
                    lang.pick(
                        &format!(
                            "Sandbox: the emulator that held your practice stacks ({}) is no longer \
                             running (the computer restarted, or it was stopped outside hawiz), and \
                             the stacks went with it. Their records are cleared; their plans stay in \
                             {}, and `hawiz --sandbox apply PLAN.toml` builds one again.",
                            lost.join(", "),
                            plans.display()
                        ),
                        &format!(
                            "샌드박스: 연습 스택({})을 담고 있던 에뮬레이터가 더 이상 실행 중이 아닙니다\
                             (컴퓨터를 다시 시작했거나 hawiz 밖에서 멈췄습니다). 스택도 함께 사라졌습니다. \
                             스택 기록은 지웁니다. 계획 파일은 {}에 남아 있으니 \
                             `hawiz --sandbox apply PLAN.toml`로 다시 구축할 수 있습니다.",
                            lost.join(", "),
                            plans.display()
                        )
                    )
                );
            }
            forget_stacks(home);
            let _ = std::fs::remove_file(record_path(home));
        }
        let sb = Self::start(home, lang).await?;
        eprintln!(
            "{} {} (pid {}; {})",
            lang.pick(
                "Sandbox: AWS emulator started in the background at",
                "샌드박스: AWS 에뮬레이터를 백그라운드에서 시작했습니다:"
            ),
            sb.endpoint,
            sb.pid,
            lang.pick(
                "it keeps your practice stacks between runs; `hawiz sandbox stop` stops it",
                "실행 사이에도 연습 스택을 유지합니다. `hawiz sandbox stop`으로 멈춥니다"
            )
        );
        Ok(sb)
    }

    async fn start(home: &Path, lang: Lang) -> Result<Sandbox, Failure> {
        let dir = dir(home);
        crate::state::create_private_dir(&dir)
            .map_err(|e| Failure::failed(format!("cannot create {}: {e}", dir.display())))?;
        let server = match std::env::var_os("HAWIZ_MOTO_SERVER") {
            Some(path) => PathBuf::from(path),
            None => prepare(&dir.join("venv"), lang).await?,
        };
        let port = free_port()?;
        let log_path = dir.join("moto.log");
        let log = std::fs::File::create(&log_path)
            .map_err(|e| Failure::failed(format!("cannot write {}: {e}", log_path.display())))?;
        let err_log = log
            .try_clone()
            .map_err(|e| Failure::failed(e.to_string()))?;
        // moto's server through hawiz's launcher, which fixes an emulator bug first.
        let python = server.with_file_name("python");
        let launcher = dir.join("moto-server.py");
        std::fs::write(&launcher, LAUNCHER)
            .map_err(|e| Failure::failed(format!("cannot write {}: {e}", launcher.display())))?;
        let mut cmd = std::process::Command::new(&python);
        cmd.arg(&launcher)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            // The emulator issues certificates after this many seconds (no real DNS here).
            .env("MOTO_ACM_VALIDATION_WAIT", "2")
            // AWS's managed policies (Session Manager's among them) exist in every account.
            .env("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(err_log);
        // Its own process group: Ctrl-C in the terminal stops hawiz, not the emulator.
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let mut child = cmd.spawn().map_err(|e| {
            Failure::failed(format!(
                "cannot start the sandbox emulator {}: {e}",
                python.display()
            ))
        })?;
        let pid = child.id();
        wait_ready(&mut child, port, &log_path).await?;
        let record = Record { pid, port };
        let text = toml::to_string(&record).map_err(|e| Failure::failed(e.to_string()))?;
        std::fs::write(record_path(home), text).map_err(|e| {
            Failure::failed(format!("cannot write {}: {e}", record_path(home).display()))
        })?;
        // Not waited for: it outlives this run on purpose.
        drop(child);
        Ok(Sandbox {
            endpoint: record.endpoint(),
            pid,
            reused: false,
        })
    }
}

/// `hawiz sandbox stop`: stop the background emulator; its practice stacks go with it.
pub async fn stop(home: &Path, lang: Lang) -> Result<(), Failure> {
    let stacks = stacks(home);
    let gone = if stacks.is_empty() {
        lang.pick("It held no practice stacks.", "연습 스택은 없었습니다.")
            .to_string()
    } else {
        lang.pick(
            &format!(
                "Its practice stacks went with it: {}. Their plans are kept in {}.",
                stacks.join(", "),
                dir(home).join("plans").display()
            ),
            &format!(
                "연습 스택도 함께 사라졌습니다: {}. 계획 파일은 {}에 남아 있습니다.",
                stacks.join(", "),
                dir(home).join("plans").display()
            ),
        )
        .to_string()
    };
    let Some(r) = record(home) else {
        forget_stacks(home);
        println!(
            "{}",
            lang.pick(
                "The sandbox emulator is not running; nothing to stop.",
                "샌드박스 에뮬레이터가 실행 중이 아닙니다. 멈출 것이 없습니다."
            )
        );
        return Ok(());
    };
    if process_alive(r.pid) {
        // Said stopped only once it has exited: while it exits, its command line is
        // already gone but the process (and the port) is not.
        for sig in ["-TERM", "-KILL"] {
            signal(r.pid, sig);
            let mut wait = local_wait(Duration::from_secs(5));
            while !exited(r.pid)
                && let Some(delay) = wait.next_delay()
            {
                tokio::time::sleep(delay).await;
            }
            if exited(r.pid) {
                break;
            }
        }
    }
    let _ = std::fs::remove_file(record_path(home));
    forget_stacks(home);
    println!(
        "{} (pid {}). {gone}",
        lang.pick(
            "Stopped the sandbox emulator",
            "샌드박스 에뮬레이터를 멈췄습니다"
        ),
        r.pid
    );
    Ok(())
}

fn signal(pid: u32, sig: &str) {
    let _ = std::process::Command::new("kill")
        .args([sig, &pid.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// Waits for the local emulator: the first look soon, none more than half a second apart.
fn local_wait(limit: Duration) -> Backoff {
    Backoff::new(Duration::from_millis(25), Duration::from_millis(500)).within(limit)
}

async fn wait_ready(child: &mut std::process::Child, port: u16, log: &Path) -> Result<(), Failure> {
    let mut wait = local_wait(Duration::from_secs(60));
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            let tail = std::fs::read_to_string(log).unwrap_or_default();
            return Err(Failure::failed(format!(
                "the sandbox emulator exited ({status}) before it was ready:\n{}",
                tail.lines()
                    .rev()
                    .take(10)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect::<Vec<_>>()
                    .join("\n")
            )));
        }
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return Ok(());
        }
        let Some(delay) = wait.next_delay() else {
            break;
        };
        tokio::time::sleep(delay).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    Err(Failure::failed(format!(
        "the sandbox emulator did not answer within 60 s; see {}",
        log.display()
    )))
}

fn free_port() -> Result<u16, Failure> {
    // Bind port 0 to let the OS choose, then release it for the emulator.
    let listener = std::net::TcpListener::bind("127.0.0.1:0")
        .map_err(|e| Failure::failed(format!("cannot find a free local port: {e}")))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| Failure::failed(e.to_string()))
}

/// The venv's `moto_server`, installing the packages first if needed (a venv made by an
/// older hawiz gets what it lacks).
async fn prepare(venv: &Path, lang: Lang) -> Result<PathBuf, Failure> {
    let server = venv.join("bin").join("moto_server");
    let marker = venv.join("hawiz-packages.txt");
    let wanted = PACKAGES.join("\n");
    if server.exists() && std::fs::read_to_string(&marker).is_ok_and(|m| m == wanted) {
        return Ok(server);
    }
    eprintln!(
        "{}",
        lang.pick(
            &format!(
                "Preparing the sandbox emulator in {} (first use only; this takes a minute or \
                 two)...",
                venv.display()
            ),
            &format!(
                "샌드박스 에뮬레이터를 {}에 준비하는 중입니다(처음 한 번만, 1~2분 걸립니다)...",
                venv.display()
            ),
        )
    );
    let python = std::env::var("HAWIZ_PYTHON").unwrap_or_else(|_| "python3".into());
    if !venv.join("bin").join("pip").exists() {
        run(Command::new(&python).args(["-m", "venv"]).arg(venv), &format!(
            "`{python} -m venv` failed; the sandbox needs Python 3 with venv (on Debian/Ubuntu: apt install python3-venv)"
        ))
        .await?;
    }
    eprintln!(
        "  {} {} ...",
        lang.pick("installing", "설치 중:"),
        PACKAGES.join(" ")
    );
    run(
        Command::new(venv.join("bin").join("pip"))
            .args(["install", "--quiet", "--disable-pip-version-check"])
            .args(PACKAGES),
        "installing the emulator with pip failed (is the network to PyPI reachable?)",
    )
    .await?;
    if !server.exists() {
        return Err(Failure::failed(format!(
            "{} is missing after installing {}",
            server.display(),
            PACKAGES[0]
        )));
    }
    std::fs::write(&marker, wanted)
        .map_err(|e| Failure::failed(format!("cannot write {}: {e}", marker.display())))?;
    eprintln!("  {}", lang.pick("ready.", "준비되었습니다."));
    Ok(server)
}

async fn run(cmd: &mut Command, what: &str) -> Result<(), Failure> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .await
        .map_err(|e| Failure::failed(format!("{what}: {e}")))?;
    if out.status.success() {
        return Ok(());
    }
    let err = String::from_utf8_lossy(&out.stderr);
    Err(Failure::failed(format!("{what}:\n{}", err.trim())))
}
