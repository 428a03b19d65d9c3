//! The user's proxy variables: behind a corporate proxy (`HTTPS_PROXY`), hawiz's own
//! address check goes through the proxy as its AWS calls do, and `NO_PROXY` exempts a host.

use crate::support::Moto;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

/// A proxy on loopback that notes the first line of every request and refuses it.
fn refusing_proxy() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let noted = seen.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { return };
            let mut first = String::new();
            if BufReader::new(&conn).read_line(&mut first).is_ok() {
                noted.lock().unwrap().push(first.trim_end().to_string());
            }
            let _ = conn.write_all(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
        }
    });
    (address, seen)
}

/// A plan with the bastion's SSH source left empty: "my address", looked up over HTTPS.
fn plan_asking_for_my_address(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("behind.toml");
    std::fs::write(
        &path,
        "[stack]\nname = \"behind\"\nregion = \"ap-northeast-2\"\n\n[bastion]\nssh_cidr = \"\"\n",
    )
    .unwrap();
    path
}

#[tokio::test(flavor = "multi_thread")]
async fn the_address_check_goes_through_the_users_proxy() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    let plan = plan_asking_for_my_address(home.path());
    let (proxy, seen) = refusing_proxy();

    // moto is plain HTTP on loopback, so only the HTTPS address check uses HTTPS_PROXY.
    let out = moto
        .hawiz(home.path())
        .args(["plan", plan.to_str().unwrap()])
        .env("HTTPS_PROXY", &proxy)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        *seen.lock().unwrap(),
        ["CONNECT checkip.amazonaws.com:443 HTTP/1.1"],
        "{stderr}"
    );
    // The proxy said no: the plan is refused with the reason, nothing created.
    assert!(!out.status.success());
    assert!(stderr.contains("bastion.ssh_cidr"), "{stderr}");

    // NO_PROXY names the service: the check does not go through the proxy.
    seen.lock().unwrap().clear();
    let _ = moto
        .hawiz(home.path())
        .args(["plan", plan.to_str().unwrap()])
        .env("HTTPS_PROXY", &proxy)
        .env("NO_PROXY", "checkip.amazonaws.com")
        .output()
        .unwrap();
    assert!(
        seen.lock().unwrap().is_empty(),
        "{:?}",
        seen.lock().unwrap()
    );
}
