//! A minimal HTTP(S) GET for the few answers hawiz needs from the web: the caller's own
//! address (over HTTPS only) and whether the built site answers (the serving wait and the
//! drill's probe). One request per connection, HTTP/1.0, a hard timeout.

use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// A URL split into what a GET needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    pub https: bool,
    pub host: String,
    pub port: u16,
    pub path: String,
}

impl Url {
    pub fn parse(url: &str) -> Result<Url, String> {
        let (https, rest) = if let Some(r) = url.strip_prefix("https://") {
            (true, r)
        } else if let Some(r) = url.strip_prefix("http://") {
            (false, r)
        } else {
            return Err(format!("{url:?} is not an http:// or https:// address"));
        };
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) => (h, p.parse().map_err(|_| format!("bad port in {url:?}"))?),
            None => (authority, if https { 443 } else { 80 }),
        };
        if host.is_empty() {
            return Err(format!("{url:?} has no host"));
        }
        Ok(Url {
            https,
            host: host.to_string(),
            port,
            path: path.to_string(),
        })
    }
}

/// A reply: status code and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub body: String,
}

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

async fn exchange<S: AsyncRead + AsyncWrite + Unpin>(
    mut conn: S,
    url: &Url,
) -> Result<Reply, String> {
    conn.write_all(
        format!(
            "GET {} HTTP/1.0\r\nHost: {}\r\nUser-Agent: hawiz\r\nConnection: close\r\n\r\n",
            url.path, url.host
        )
        .as_bytes(),
    )
    .await
    .map_err(|e| e.to_string())?;
    let mut reply = Vec::new();
    // Servers may close without TLS close_notify after an HTTP/1.0 reply: what was read
    // is still the whole reply.
    let _ = conn.read_to_end(&mut reply).await;
    parse(&String::from_utf8_lossy(&reply))
}

/// Status and body of an HTTP/1.x reply.
pub fn parse(reply: &str) -> Result<Reply, String> {
    let (head, body) = reply.split_once("\r\n\r\n").ok_or("no complete reply")?;
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .filter(|_| head.starts_with("HTTP/1."))
        .ok_or_else(|| format!("not an HTTP reply: {}", head.lines().next().unwrap_or("")))?;
    Ok(Reply {
        status,
        body: body.to_string(),
    })
}

/// GET `url`, within `timeout`.
pub async fn get(url: &str, timeout: Duration) -> Result<Reply, String> {
    let url = Url::parse(url)?;
    let ask = async {
        let tcp = tokio::net::TcpStream::connect((url.host.as_str(), url.port))
            .await
            .map_err(|e| e.to_string())?;
        if url.https {
            let name = rustls::pki_types::ServerName::try_from(url.host.clone())
                .map_err(|e| e.to_string())?;
            let conn = tls()?
                .connect(name, tcp)
                .await
                .map_err(|e| format!("TLS with {} failed: {e}", url.host))?;
            exchange(conn, &url).await
        } else {
            exchange(tcp, &url).await
        }
    };
    tokio::time::timeout(timeout, ask)
        .await
        .map_err(|_| format!("{} did not answer within {} s", url.host, timeout.as_secs()))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_replies() {
        let u = Url::parse("https://www.example.com/wp-login.php").unwrap();
        assert_eq!(
            (u.https, u.port, u.path.as_str()),
            (true, 443, "/wp-login.php")
        );
        let u = Url::parse("http://lb-1.elb.amazonaws.com").unwrap();
        assert_eq!((u.https, u.port, u.path.as_str()), (false, 80, "/"));
        assert!(Url::parse("ftp://x").is_err());
        let r = parse("HTTP/1.1 302 Found\r\nLocation: /\r\n\r\n").unwrap();
        assert_eq!(r.status, 302);
        assert!(parse("garbage").is_err());
    }

    #[tokio::test]
    async fn a_local_server_answers() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            let (mut s, _) = listener.accept().await.unwrap();
            let mut buf = [0u8; 512];
            let _ = s.read(&mut buf).await;
            s.write_all(b"HTTP/1.1 200 OK\r\n\r\nhello").await.unwrap();
        });
        let r = get(&format!("http://127.0.0.1:{port}/"), Duration::from_secs(5))
            .await
            .unwrap();
        assert_eq!((r.status, r.body.as_str()), (200, "hello"));
    }
}
