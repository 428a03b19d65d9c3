//! The rendered user data is valid cloud-config, and its setup script is valid bash.
//! YAML is checked with PyYAML from the test venv (moto depends on it).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io::Write;
use std::process::{Command, Stdio};

fn python() -> std::path::PathBuf {
    support::moto_server_path().with_file_name("python")
}

#[test]
fn user_data_is_valid_cloud_config_with_a_valid_script() {
    let text = hawiz::userdata::render(&hawiz::userdata::Values {
        region: "ap-northeast-2".into(),
        file_system_id: "fs-0123456789abcdef0".into(),
        password_parameter: "/hawiz/site/db-password".into(),
        endpoint_parameter: "/hawiz/site/db-endpoint".into(),
        db_name: "wordpress".into(),
        db_user: "admin".into(),
    })
    .unwrap();
    assert!(
        text.starts_with("#cloud-config\n"),
        "cloud-init needs the header on line 1"
    );
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("setup.sh");
    let check = format!(
        r#"
import sys, yaml
doc = yaml.safe_load(sys.stdin)
assert isinstance(doc, dict), "top level is a mapping"
for key in ("packages", "write_files", "runcmd"):
    assert key in doc, key
assert "amazon-efs-utils" in doc["packages"]
files = {{f["path"]: f for f in doc["write_files"]}}
setup = files["/usr/local/sbin/hawiz-setup"]
assert setup["permissions"] == "0700"
open({script:?}, "w").write(setup["content"])
assert ["/usr/local/sbin/hawiz-setup"] in doc["runcmd"]
print("ok")
"#,
        script = script.to_str().unwrap()
    );
    let mut child = Command::new(python())
        .args(["-c", &check])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let bash = Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .unwrap();
    assert!(
        bash.status.success(),
        "setup script: {}",
        String::from_utf8_lossy(&bash.stderr)
    );
    let body = std::fs::read_to_string(&script).unwrap();
    assert!(body.starts_with("#!/bin/bash\n"));
    assert!(
        body.contains("\nPHP\n"),
        "the here-document ends at column 0"
    );
}
