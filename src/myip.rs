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
    use crate::http;

    #[test]
    fn reads_the_address_from_the_body() {
        let reply = |s: &str| http::parse(s).unwrap();
        let ok = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n203.0.113.7\n";
        assert_eq!(parse(&reply(ok)).unwrap().to_string(), "203.0.113.7");
        assert!(
            parse(&reply("HTTP/1.1 503 Busy\r\n\r\n"))
                .unwrap_err()
                .contains("503")
        );
        assert!(parse(&reply("HTTP/1.1 200 OK\r\n\r\n<html>")).is_err());
    }
}
