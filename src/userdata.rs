//! The app instances' cloud-init user data, rendered from `assets/user-data.yaml`.
//! It carries IDs and names only; secrets are fetched from SSM at boot.

use aws_smithy_types::base64;

const TEMPLATE: &str = include_str!("../assets/user-data.yaml");

/// The file system ID when the plan has no shared files (the script then skips the mount).
pub const NO_FILE_SYSTEM: &str = "none";

#[derive(Debug, Clone)]
pub struct Values {
    pub region: String,
    /// The stack's parameter path, `/hawiz/<stack>`: every secret and address the script
    /// reads is under it (db-password, wp-db-password, admin-password, db-endpoint,
    /// site-url).
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
    let mut out = TEMPLATE.to_string();
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

/// What EC2 wants in a launch template.
pub fn encode(text: &str) -> String {
    base64::encode(text.as_bytes())
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
        assert!(text.contains("flock 9"), "one installer at a time");
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
        assert!(text.contains("param admin-password |"), "from SSM");
        assert!(text.contains("sha512sum -c"), "WP-CLI checked");
        assert!(
            text.contains("wp core verify-checksums"),
            "WordPress checked"
        );
        assert!(text.contains("define('DISALLOW_FILE_EDIT', true);"));
        assert!(text.contains("REQUIRE SSL"), "its own DB user, TLS only");
        assert!(text.contains("GRANT ALL PRIVILEGES ON \\`$DB_NAME\\`.*"));
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
    fn base64_round_trips() {
        assert_eq!(encode("#cloud-config\n"), "I2Nsb3VkLWNvbmZpZwo=");
    }
}
