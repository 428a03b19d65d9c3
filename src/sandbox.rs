//! `--sandbox`: a local AWS emulator (moto server) that hawiz prepares on first use (a
//! Python venv under the data dir), starts on a free loopback port, and stops on exit.
//! Nothing in it touches a real account, and everything in it is forgotten when it stops.

use crate::commands::Failure;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::process::{Child, Command};

/// The emulator version hawiz is tested against, and what its launcher needs besides
/// (cbor2: CloudWatch's wire format, see the launcher).
pub const PACKAGES: [&str; 2] = ["moto[server]==5.2.5", "cbor2==6.3.0"];

/// Starts moto's server with a fix for an emulator bug (see the file).
pub const LAUNCHER: &str = include_str!("../assets/moto-server.py");

pub struct Sandbox {
    child: Child,
    pub endpoint: String,
}

impl Sandbox {
    pub async fn start(home: &Path) -> Result<Sandbox, Failure> {
        let dir = home.join("sandbox");
        crate::state::create_private_dir(&dir)
            .map_err(|e| Failure::failed(format!("cannot create {}: {e}", dir.display())))?;
        let server = match std::env::var_os("HAWIZ_MOTO_SERVER") {
            Some(path) => PathBuf::from(path),
            None => prepare(&dir.join("venv")).await?,
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
        let child = Command::new(&python)
            .arg(&launcher)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            // The emulator issues certificates after this many seconds (no real DNS here).
            .env("MOTO_ACM_VALIDATION_WAIT", "2")
            // AWS's managed policies (Session Manager's among them) exist in every account.
            .env("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(err_log)
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| {
                Failure::failed(format!(
                    "cannot start the sandbox emulator {}: {e}",
                    python.display()
                ))
            })?;
        let mut sandbox = Sandbox {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
        };
        sandbox.wait_ready(port, &log_path).await?;
        eprintln!(
            "Sandbox: AWS emulator running at {} (log: {})",
            sandbox.endpoint,
            log_path.display()
        );
        Ok(sandbox)
    }

    async fn wait_ready(&mut self, port: u16, log: &Path) -> Result<(), Failure> {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(60) {
            if let Ok(Some(status)) = self.child.try_wait() {
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
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err(Failure::failed(format!(
            "the sandbox emulator did not answer within 60 s; see {}",
            log.display()
        )))
    }

    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
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
async fn prepare(venv: &Path) -> Result<PathBuf, Failure> {
    let server = venv.join("bin").join("moto_server");
    let marker = venv.join("hawiz-packages.txt");
    let wanted = PACKAGES.join("\n");
    if server.exists() && std::fs::read_to_string(&marker).is_ok_and(|m| m == wanted) {
        return Ok(server);
    }
    eprintln!(
        "Preparing the sandbox emulator in {} (first use only; this takes a minute or two)...",
        venv.display()
    );
    let python = std::env::var("HAWIZ_PYTHON").unwrap_or_else(|_| "python3".into());
    if !venv.join("bin").join("pip").exists() {
        run(Command::new(&python).args(["-m", "venv"]).arg(venv), &format!(
            "`{python} -m venv` failed; the sandbox needs Python 3 with venv (on Debian/Ubuntu: apt install python3-venv)"
        ))
        .await?;
    }
    eprintln!("  installing {} ...", PACKAGES.join(" "));
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
    eprintln!("  ready.");
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
