//! What the inspector shows of one built resource: its wiring read back from AWS, as a
//! console user would have set it by hand in the lab. Each kind writes its own sections
//! (`Resource::inspect`); read-only.

/// A line of the inspector.
#[derive(Debug, Clone, PartialEq)]
pub enum Line {
    /// A section's title, in both languages.
    Heading { en: String, ko: String },
    /// A fact as AWS gives it (IDs, CIDRs, ports: the same in both languages).
    Item(String),
    /// An explanation, in both languages.
    Note { en: String, ko: String },
}

/// A kind's inspector: its wiring read back from AWS (`Resource::inspector`).
pub type Inspector = for<'a> fn(
    &'a crate::aws::Clients,
    &'a str,
) -> std::pin::Pin<
    Box<dyn std::future::Future<Output = Result<Inspection, String>> + Send + 'a>,
>;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inspection {
    pub lines: Vec<Line>,
}

impl Inspection {
    pub fn head(&mut self, en: &str, ko: &str) {
        self.lines.push(Line::Heading {
            en: en.into(),
            ko: ko.into(),
        });
    }
    pub fn item(&mut self, text: impl Into<String>) {
        self.lines.push(Line::Item(text.into()));
    }
    pub fn note(&mut self, en: impl Into<String>, ko: impl Into<String>) {
        self.lines.push(Line::Note {
            en: en.into(),
            ko: ko.into(),
        });
    }
}

/// A line of user data with a secret's value masked: a literal value after a name like
/// "password" or "secret". Names of secrets, commands that read one from SSM (`$(…)`),
/// shell variables, numbers and comments are shown: they carry no secret.
pub fn mask(line: &str) -> String {
    let trimmed = line.trim_start();
    if trimmed.starts_with('#') || trimmed.starts_with("//") {
        return line.to_string();
    }
    let Some(i) = line.find(['=', ':']) else {
        return line.to_string();
    };
    // A secret's name, then its value: the name comes before the separator.
    let name = line[..i].to_ascii_lowercase();
    let secret = [
        "password",
        "passwd",
        "secret",
        "token",
        "private_key",
        "aws_secret",
    ]
    .iter()
    .any(|w| name.contains(w));
    let value = line[i + 1..].trim();
    let lower = line.to_ascii_lowercase();
    // Not a literal: a shell expansion or command, a number (a lifetime), nothing at all.
    let literal = !value.is_empty()
        && !value.contains('$')
        && !value.starts_with(|c: char| c.is_ascii_digit())
        && !lower.contains("ssm")
        && !lower.contains("get-parameter");
    if secret && literal {
        format!("{}{} ••••••", &line[..i], &line[i..=i])
    } else {
        line.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::mask;

    #[test]
    fn only_secret_values_are_masked() {
        assert_eq!(mask("echo hello"), "echo hello");
        assert_eq!(mask("DB_PASSWORD=hunter2"), "DB_PASSWORD= ••••••");
        assert!(!mask("password: hunter2").contains("hunter2"));
        for shown in [
            "PW=$(aws ssm get-parameter --name /hawiz/x/db-password --with-decryption)",
            "admin_pw=$(wait_param admin-password \"$PASSWORD_RE\")",
            "PASSWORD_RE='^[A-Za-z0-9]{8,128}$'",
            "# the master password, from SSM: in memory only",
            "local password",
            "MYSQL_PWD=\"$master\" mysql --ssl-ca \"$RDS_CA\"",
            "  --prompt=admin_password >&8 || fail \"wp core install failed\"",
            "  -H \"X-aws-ec2-metadata-token-ttl-seconds: 300\") &&",
        ] {
            assert_eq!(mask(shown), shown, "no secret in it");
        }
    }
}
