//! The caller's public IPv4 address, for the bastion's SSH rule (`<ip>/32`). Asked of
//! AWS's own what-is-my-IP service over HTTPS (so nobody on the path can hand hawiz
//! another address to open SSH to), with a short timeout.

use std::net::Ipv4Addr;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const HOST: &str = "checkip.amazonaws.com";

fn tls() -> Result<tokio_rustls::TlsConnector, String> {
    let mut roots = rustls::RootCertStore::empty();
    let found = rustls_native_certs::load_native_certs();
    for cert in found.certs {
        let _ = roots.add(cert);
    }
    if roots.is_empty() {
        return Err("no trusted certificates found on this machine".into());
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| e.to_string())?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok(tokio_rustls::TlsConnector::from(Arc::new(config)))
}

pub async fn detect() -> Result<Ipv4Addr, String> {
    let ask = async {
        let connector = tls()?;
        let tcp = tokio::net::TcpStream::connect((HOST, 443))
            .await
            .map_err(|e| e.to_string())?;
        let name = rustls::pki_types::ServerName::try_from(HOST).map_err(|e| e.to_string())?;
        let mut conn = connector
            .connect(name, tcp)
            .await
            .map_err(|e| format!("TLS with {HOST} failed: {e}"))?;
        conn.write_all(
            format!("GET / HTTP/1.0\r\nHost: {HOST}\r\nUser-Agent: hawiz\r\n\r\n").as_bytes(),
        )
        .await
        .map_err(|e| e.to_string())?;
        let mut reply = Vec::new();
        // Servers may close without TLS close_notify after an HTTP/1.0 reply: what was
        // read is still the whole reply.
        let _ = conn.read_to_end(&mut reply).await;
        parse(&String::from_utf8_lossy(&reply))
    };
    tokio::time::timeout(Duration::from_secs(5), ask)
        .await
        .map_err(|_| format!("{HOST} did not answer within 5 s"))?
}

/// The address from an HTTP/1.x reply whose body is just the address.
fn parse(reply: &str) -> Result<Ipv4Addr, String> {
    let (head, body) = reply.split_once("\r\n\r\n").ok_or("malformed reply")?;
    let status = head.split_whitespace().nth(1);
    if !head.starts_with("HTTP/1.") || status != Some("200") {
        return Err(format!(
            "unexpected reply: {}",
            head.lines().next().unwrap_or_default()
        ));
    }
    body.trim()
        .parse()
        .map_err(|_| format!("not an IPv4 address: {:?}", body.trim()))
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn reads_the_address_from_the_body() {
        let ok = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n203.0.113.7\n";
        assert_eq!(parse(ok).unwrap().to_string(), "203.0.113.7");
        assert!(
            parse("HTTP/1.1 503 Busy\r\n\r\n")
                .unwrap_err()
                .contains("503")
        );
        assert!(parse("HTTP/1.1 200 OK\r\n\r\n<html>").is_err());
    }
}
