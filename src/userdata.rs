//! The app instances' cloud-init user data, rendered from `assets/user-data.yaml`.
//! It carries IDs and parameter names only; secrets are fetched at boot.

use aws_smithy_types::base64;

const TEMPLATE: &str = include_str!("../assets/user-data.yaml");

/// The file system ID when the plan has no shared files (the script then skips the mount).
pub const NO_FILE_SYSTEM: &str = "none";

#[derive(Debug, Clone)]
pub struct Values {
    pub region: String,
    pub file_system_id: String,
    pub password_parameter: String,
    pub endpoint_parameter: String,
    pub db_name: String,
    pub db_user: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RenderError {
    #[error("user data value {name} = {value:?} has characters that are not allowed there")]
    Unsafe { name: &'static str, value: String },
    #[error("user data template still has a placeholder: {0}")]
    Unfilled(String),
}

/// Values go into YAML and shell unquoted, so only ID-like characters are accepted.
fn safe(v: &str) -> bool {
    !v.is_empty()
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
}

pub fn render(v: &Values) -> Result<String, RenderError> {
    let pairs: [(&'static str, &str); 6] = [
        ("region", &v.region),
        ("file_system_id", &v.file_system_id),
        ("password_parameter", &v.password_parameter),
        ("endpoint_parameter", &v.endpoint_parameter),
        ("db_name", &v.db_name),
        ("db_user", &v.db_user),
    ];
    let mut out = TEMPLATE.to_string();
    for (name, value) in pairs {
        if !safe(value) {
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
            file_system_id: "fs-0123456789abcdef0".into(),
            password_parameter: "/hawiz/wordpress-ha/db-password".into(),
            endpoint_parameter: "/hawiz/wordpress-ha/db-endpoint".into(),
            db_name: "wordpress".into(),
            db_user: "admin".into(),
        }
    }

    #[test]
    fn renders_every_placeholder() {
        let text = render(&values()).unwrap();
        assert!(text.starts_with("#cloud-config\n"));
        assert!(text.contains("FILE_SYSTEM=fs-0123456789abcdef0"));
        assert!(text.contains("PASSWORD_PARAMETER=/hawiz/wordpress-ha/db-password"));
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
