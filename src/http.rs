//! HTTP(S) GET for the few answers hawiz needs from the web: the caller's own address
//! (over HTTPS only) and whether the built site answers (the serving wait and the drill's
//! probe). A hard timeout per request.
//!
//! The AWS SDK's own HTTP client does the work (hyper and rustls, already built for the
//! SDK): it goes through `HTTPS_PROXY`/`HTTP_PROXY` (`ALL_PROXY`) unless `NO_PROXY` says
//! otherwise, exactly as hawiz's AWS calls do, so a user behind a corporate proxy gets the
//! address check too. The connector, with its TLS configuration and the machine's trusted
//! certificates, is built once per process.

use aws_smithy_http_client::proxy::ProxyConfig;
use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
use aws_smithy_http_client::{Connector, tls};
use aws_smithy_runtime_api::client::http::HttpConnector;
use aws_smithy_runtime_api::http::Request;
use aws_smithy_types::byte_stream::ByteStream;
use std::sync::OnceLock;
use std::time::Duration;

/// A reply: status code and body, and the region the site's instances say they are in
/// (their `X-Hawiz-Region` header: a failover drill tells which region answered by it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub body: String,
    pub region: Option<String>,
}

/// The header the app instances' Apache sets to their region.
pub const REGION_HEADER: &str = "x-hawiz-region";

/// The connector every GET shares, built on first use.
fn connector() -> &'static Connector {
    static CONNECTOR: OnceLock<Connector> = OnceLock::new();
    CONNECTOR.get_or_init(|| build(ProxyConfig::from_env()))
}

fn build(proxy: ProxyConfig) -> Connector {
    Connector::builder()
        .tls_provider(Provider::Rustls(CryptoMode::AwsLc))
        .tls_context(tls::TlsContext::default())
        .proxy_config(proxy)
        // A fresh connection per request, as a probe of "does the site answer" wants
        // (and a pooled connection would outlive the runtime of a test that made it).
        .pool_max_idle_per_host(0)
        .build()
}

/// GET `url`, within `timeout`.
pub async fn get(url: &str, timeout: Duration) -> Result<Reply, String> {
    get_with(connector(), url, timeout).await
}

async fn get_with(connector: &Connector, url: &str, timeout: Duration) -> Result<Reply, String> {
    let host = host_of(url)?;
    let mut request = Request::get(url).map_err(|e| format!("{url:?}: {e}"))?;
    request.headers_mut().insert("user-agent", "hawiz");
    let ask = async {
        let response = connector.call(request).await.map_err(|e| describe(&e))?;
        let status = response.status().as_u16();
        let region = response.headers().get(REGION_HEADER).map(str::to_string);
        let body = ByteStream::new(response.into_body())
            .collect()
            .await
            .map_err(|e| format!("the reply from {host} broke off: {e}"))?
            .into_bytes();
        Ok(Reply {
            status,
            body: String::from_utf8_lossy(&body).into_owned(),
            region,
        })
    };
    tokio::time::timeout(timeout, ask)
        .await
        .map_err(|_| format!("{host} did not answer within {} s", timeout.as_secs()))?
}

/// The host of an `http://` or `https://` address (for messages; the client parses the
/// address itself).
fn host_of(url: &str) -> Result<&str, String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("{url:?} is not an http:// or https:// address"))?;
    let authority = rest.split('/').next().unwrap_or_default();
    let host = authority.rsplit_once(':').map_or(authority, |(h, _)| h);
    if host.is_empty() {
        return Err(format!("{url:?} has no host"));
    }
    Ok(host)
}

/// A connector error with its causes: the top line alone ("io error") says little.
fn describe(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let more = c.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        cause = c.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[test]
    fn hosts() {
        assert_eq!(
            host_of("https://www.example.com/wp-login.php"),
            Ok("www.example.com")
        );
        assert_eq!(
            host_of("http://lb-1.elb.amazonaws.com"),
            Ok("lb-1.elb.amazonaws.com")
        );
        assert_eq!(host_of("http://127.0.0.1:8080/x"), Ok("127.0.0.1"));
        assert!(host_of("ftp://x").is_err());
        assert!(host_of("http:///x").is_err());
    }

    /// A one-shot server on loopback that answers `reply` and hands back what it was asked.
    async fn server(reply: &'static str) -> (u16, tokio::task::JoinHandle<String>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let asked = tokio::spawn(async move {
            let (mut s, _) = listener.accept().await.unwrap();
            let mut buf = vec![0u8; 4096];
            let mut got = Vec::new();
            while !got.windows(4).any(|w| w == b"\r\n\r\n") {
                let n = s.read(&mut buf).await.unwrap();
                if n == 0 {
                    break;
                }
                got.extend_from_slice(&buf[..n]);
            }
            s.write_all(reply.as_bytes()).await.unwrap();
            String::from_utf8_lossy(&got).into_owned()
        });
        (port, asked)
    }

    #[tokio::test]
    async fn a_local_server_answers() {
        let (port, asked) =
            server("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello").await;
        let r = get(&format!("http://127.0.0.1:{port}/"), Duration::from_secs(5))
            .await
            .unwrap();
        assert_eq!((r.status, r.body.as_str()), (200, "hello"));
        assert!(asked.await.unwrap().starts_with("GET / HTTP/1.1"));
    }

    /// A configured proxy gets the request in absolute form (what HTTP_PROXY means for
    /// an http:// address); `https://` goes through it with CONNECT (the pty test of the
    /// address check shows that with the real variables).
    #[tokio::test]
    async fn requests_go_through_the_proxy() {
        let (port, asked) =
            server("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok").await;
        let via = build(ProxyConfig::http(format!("http://127.0.0.1:{port}")).unwrap());
        let r = get_with(
            &via,
            "http://site.invalid/wp-login.php",
            Duration::from_secs(5),
        )
        .await
        .unwrap();
        assert_eq!((r.status, r.body.as_str()), (200, "ok"));
        let asked = asked.await.unwrap();
        assert!(
            asked.starts_with("GET http://site.invalid/wp-login.php HTTP/1.1"),
            "{asked}"
        );
    }

    #[tokio::test]
    async fn silence_is_a_timeout() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let _held = tokio::spawn(async move {
            let (s, _) = listener.accept().await.unwrap();
            std::future::pending::<()>().await;
            drop(s);
        });
        let e = get(
            &format!("http://127.0.0.1:{port}/"),
            Duration::from_millis(300),
        )
        .await
        .unwrap_err();
        assert!(e.contains("did not answer"), "{e}");
    }
}
