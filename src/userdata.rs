//! The app instances' cloud-init user data, rendered from `assets/user-data.yaml` with
//! the setup script `assets/hawiz-setup.sh` in it (a file of its own, so that its tests in
//! tests/boot can source it). It carries IDs and names only; secrets are fetched from SSM
//! at boot. Sent gzipped: the script makes it larger than EC2's 16 KB user-data limit.

use aws_smithy_types::base64;
use std::io::{Read, Write};

const TEMPLATE: &str = include_str!("../assets/user-data.yaml");
const SETUP_SCRIPT: &str = include_str!("../assets/hawiz-setup.sh");
/// The setup script's place in the template: the content of a `write_files` block.
const SETUP_SLOT: &str = "      {{setup_script}}";
/// How deep the script's lines sit in that YAML block.
const SETUP_INDENT: &str = "      ";

/// EC2's limit for user data, before base64.
pub const USER_DATA_LIMIT: usize = 16 * 1024;

/// The file system ID when the plan has no shared files (the script then skips the mount).
pub const NO_FILE_SYSTEM: &str = "none";

#[derive(Debug, Clone)]
pub struct Values {
    pub region: String,
    /// The stack's parameter path, `/hawiz/<stack>`: every secret and address the script
    /// reads is under it (db-password, wp-db-password, admin-password, wp-salts,
    /// db-endpoint, site-url).
    pub parameters: String,
    pub file_system_id: String,
    pub db_name: String,
    /// The database's master user (used once, to make WordPress's own user).
    pub db_user: String,
    /// WordPress's own database user.
    pub wp_db_user: String,
    pub admin_user: String,
    pub admin_email: String,
    pub site_title: String,
    /// The Auto Scaling group and its launch hook, which the script tells when the
    /// instance is ready (or gave up).
    pub group: String,
    pub lifecycle_hook: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RenderError {
    #[error("user data value {name} = {value:?} has characters that are not allowed there")]
    Unsafe { name: &'static str, value: String },
    #[error("user data template still has a placeholder: {0}")]
    Unfilled(String),
}

/// Values go into YAML and shell unquoted, so only ID-like characters are accepted (and
/// `@`/`+` in an email address).
fn safe(v: &str, extra: &str) -> bool {
    !v.is_empty()
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c) || extra.contains(c))
}

pub fn render(v: &Values) -> Result<String, RenderError> {
    let pairs: [(&'static str, &str, &str); 11] = [
        ("region", &v.region, ""),
        ("parameters", &v.parameters, ""),
        ("file_system_id", &v.file_system_id, ""),
        ("db_name", &v.db_name, ""),
        ("db_user", &v.db_user, ""),
        ("wp_db_user", &v.wp_db_user, ""),
        ("admin_user", &v.admin_user, ""),
        ("admin_email", &v.admin_email, "@+"),
        ("site_title", &v.site_title, ""),
        ("group", &v.group, ""),
        ("lifecycle_hook", &v.lifecycle_hook, ""),
    ];
    let script: String = SETUP_SCRIPT
        .lines()
        .map(|l| {
            if l.is_empty() {
                "\n".to_string()
            } else {
                format!("{SETUP_INDENT}{l}\n")
            }
        })
        .collect();
    let mut out = TEMPLATE.replace(&format!("{SETUP_SLOT}\n"), &script);
    for (name, value, extra) in pairs {
        if !safe(value, extra) {
            return Err(RenderError::Unsafe {
                name,
                value: value.to_string(),
            });
        }
        out = out.replace(&format!("{{{{{name}}}}}"), value);
    }
    if let Some(start) = out.find("{{") {
        let end = out[start..].find("}}").map_or(out.len(), |e| start + e + 2);
        return Err(RenderError::Unfilled(out[start..end].to_string()));
    }
    Ok(out)
}

/// What EC2 wants in a launch template: gzipped (cloud-init unpacks it), then base64.
pub fn encode(text: &str) -> String {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing to memory cannot fail; if it ever did, plain text is still valid user data.
    match gz.write_all(text.as_bytes()).and_then(|()| gz.finish()) {
        Ok(bytes) => base64::encode(&bytes),
        Err(_) => base64::encode(text.as_bytes()),
    }
}

/// User data as EC2 hands it back (base64, maybe gzipped), as text.
pub fn decode(encoded: &str) -> Result<String, String> {
    let bytes = base64::decode(encoded).map_err(|e| format!("not base64: {e}"))?;
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut text = String::new();
        flate2::read::GzDecoder::new(bytes.as_slice())
            .read_to_string(&mut text)
            .map_err(|e| format!("not gzip text: {e}"))?;
        Ok(text)
    } else {
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn values() -> Values {
        Values {
            region: "ap-northeast-2".into(),
            parameters: "/hawiz/wordpress-ha".into(),
            file_system_id: "fs-0123456789abcdef0".into(),
            db_name: "wordpress".into(),
            db_user: "admin".into(),
            wp_db_user: "wordpress".into(),
            admin_user: "wordpress-ha-admin".into(),
            admin_email: "webmaster@example.com".into(),
            site_title: "wordpress-ha".into(),
            group: "wordpress-ha-app".into(),
            lifecycle_hook: "hawiz-setup".into(),
        }
    }

    #[test]
    fn renders_every_placeholder() {
        let text = render(&values()).unwrap();
        assert!(text.starts_with("#cloud-config\n"));
        assert!(text.contains("FILE_SYSTEM=fs-0123456789abcdef0"));
        assert!(text.contains("PARAMETERS=/hawiz/wordpress-ha"));
        assert!(text.contains("ADMIN_EMAIL=webmaster@example.com"));
        assert!(!text.contains("{{"));
    }

    #[test]
    fn mounts_efs_installs_once_and_fixes_mixed_content() {
        let text = render(&values()).unwrap();
        assert!(text.contains("efs _netdev,tls"), "EFS in fstab");
        assert!(
            text.contains("flock -w \"$HAWIZ_LOCK_WAIT\" 9"),
            "one installer at a time"
        );
        assert!(
            text.contains("HTTP_X_FORWARDED_PROTO"),
            "HTTPS-behind-ALB fix"
        );
        assert!(text.contains("--with-decryption"), "password read at boot");
    }

    #[test]
    fn the_install_is_finished_at_boot_and_nothing_is_left_open() {
        let text = render(&values()).unwrap();
        assert!(
            text.contains("wp core install"),
            "no web installer left open"
        );
        assert!(
            text.contains("--prompt=admin_password"),
            "password on stdin"
        );
        assert!(
            text.contains("admin_pw=$(wait_param admin-password \"$PASSWORD_RE\")"),
            "from SSM"
        );
        assert!(text.contains("printf '%s\\n' \"$admin_pw\" | wp core install"));
        assert!(text.contains("sha512sum -c"), "WP-CLI checked");
        assert!(
            text.contains("wp core verify-checksums"),
            "WordPress checked"
        );
        assert!(text.contains("define('DISALLOW_FILE_EDIT', true);"));
        assert!(text.contains("REQUIRE SSL"), "its own DB user, TLS only");
        assert!(text.contains("GRANT ALL PRIVILEGES ON \\`$grant_db\\`.*"));
        assert!(text.contains("MYSQLI_CLIENT_SSL"));
        assert!(text.contains("--ssl-verify-server-cert"));
    }

    #[test]
    fn no_secret_can_be_passed_in() {
        // The template has no password placeholder at all, only the parameter's name.
        assert!(!TEMPLATE.contains("{{password}}"));
        assert!(!TEMPLATE.contains("{{db_password}}"));
    }

    #[test]
    fn unsafe_values_are_refused() {
        let mut v = values();
        v.db_user = "admin; rm -rf /".into();
        assert_eq!(
            render(&v).unwrap_err(),
            RenderError::Unsafe {
                name: "db_user",
                value: "admin; rm -rf /".into()
            }
        );
    }

    #[test]
    fn user_data_is_gzipped_under_ec2s_limit_and_reads_back() {
        let text = render(&values()).unwrap();
        assert!(
            text.len() > USER_DATA_LIMIT,
            "the script alone is over the limit (so gzip matters)"
        );
        let encoded = encode(&text);
        let gz = base64::decode(&encoded).unwrap();
        assert!(gz.starts_with(&[0x1f, 0x8b]));
        assert!(gz.len() < USER_DATA_LIMIT, "{} bytes gzipped", gz.len());
        assert_eq!(decode(&encoded).unwrap(), text);
        assert_eq!(decode("I2Nsb3VkLWNvbmZpZwo=").unwrap(), "#cloud-config\n");
    }

    #[test]
    fn the_setup_script_sits_whole_in_its_block() {
        let text = render(&values()).unwrap();
        assert!(!text.contains("{{setup_script}}"));
        for line in SETUP_SCRIPT.lines().filter(|l| !l.is_empty()).take(40) {
            assert!(text.contains(&format!("{SETUP_INDENT}{line}\n")), "{line}");
        }
    }
}
