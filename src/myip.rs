//! The caller's public IPv4 address, for the bastion's SSH rule (`<ip>/32`). Asked of
//! AWS's own what-is-my-IP service over HTTPS (so nobody on the path can hand hawiz
//! another address to open SSH to), with a short timeout.

use std::net::Ipv4Addr;
use std::time::Duration;

const URL: &str = "https://checkip.amazonaws.com/";

pub async fn detect() -> Result<Ipv4Addr, String> {
    let reply = crate::http::get(URL, Duration::from_secs(5)).await?;
    parse(&reply)
}

/// The address from a reply whose body is just the address.
fn parse(reply: &crate::http::Reply) -> Result<Ipv4Addr, String> {
    if reply.status != 200 {
        return Err(format!("unexpected reply: HTTP {}", reply.status));
    }
    reply
        .body
        .trim()
        .parse()
        .map_err(|_| format!("not an IPv4 address: {:?}", reply.body.trim()))
}

#[cfg(test)]
mod tests {
    use super::parse;
    use crate::http::Reply;

    #[test]
    fn reads_the_address_from_the_body() {
        let reply = |status: u16, body: &str| Reply {
            status,
            body: body.to_string(),
            region: None,
        };
        assert_eq!(
            parse(&reply(200, "203.0.113.7\n")).unwrap().to_string(),
            "203.0.113.7"
        );
        assert!(parse(&reply(503, "")).unwrap_err().contains("503"));
        assert!(parse(&reply(200, "<html>")).is_err());
    }
}
