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
}
