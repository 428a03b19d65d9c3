//! Secrets hawiz generates. They go straight to AWS (SSM SecureString, RDS) and never to
//! the state file, the plan or the output.

/// A password of `len` letters and digits from the OS's secure random source. Letters and
/// digits only: accepted by RDS for every engine and safe in any config file or shell.
pub fn password(len: usize) -> Result<String, getrandom::Error> {
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut out = String::with_capacity(len);
    let mut buf = [0u8; 64];
    while out.len() < len {
        getrandom::fill(&mut buf)?;
        // Rejection sampling keeps every character equally likely (256 is not a multiple of 62).
        for b in buf {
            if usize::from(b) < 248 && out.len() < len {
                out.push(char::from(CHARS[usize::from(b) % 62]));
            }
        }
    }
    Ok(out)
}

/// The 32-character password every generated credential uses.
pub fn password32() -> Result<String, getrandom::Error> {
    password(32)
}

/// The keys and salts WordPress signs its cookies with, as the eight `define` lines of a
/// wp-config.php. One set for the whole stack (in SSM), so that every instance behind the
/// load balancer accepts every other's logins.
pub fn wordpress_salts() -> Result<String, getrandom::Error> {
    const NAMES: [&str; 8] = [
        "AUTH_KEY",
        "SECURE_AUTH_KEY",
        "LOGGED_IN_KEY",
        "NONCE_KEY",
        "AUTH_SALT",
        "SECURE_AUTH_SALT",
        "LOGGED_IN_SALT",
        "NONCE_SALT",
    ];
    let mut lines = Vec::with_capacity(NAMES.len());
    for name in NAMES {
        lines.push(format!("define('{name}', '{}');", password(64)?));
    }
    Ok(lines.join("\n"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_are_long_alphanumeric_and_different() {
        let a = super::password(32).unwrap();
        let b = super::password(32).unwrap();
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, b);
        // Mixed classes in practice (the chance of a 32-char password missing one is tiny).
        assert!(a.chars().any(|c| c.is_ascii_digit()) || b.chars().any(|c| c.is_ascii_digit()));
    }

    #[test]
    fn salts_are_eight_php_defines_of_64_safe_characters() {
        let salts = super::wordpress_salts().unwrap();
        let lines: Vec<&str> = salts.lines().collect();
        assert_eq!(lines.len(), 8);
        assert!(lines[0].starts_with("define('AUTH_KEY', '"));
        assert!(lines[7].starts_with("define('NONCE_SALT', '"));
        for l in lines {
            let value = l.split('\'').nth(3).unwrap();
            assert_eq!(value.len(), 64, "{l}");
            assert!(value.chars().all(|c| c.is_ascii_alphanumeric()), "{l}");
            assert!(l.ends_with("');"));
        }
        assert_ne!(salts, super::wordpress_salts().unwrap());
    }
}
