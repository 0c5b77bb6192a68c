//! Who the client is: the TCP peer, or — only when the peer is a configured trusted
//! proxy — the right-most address in `Forwarded` / `X-Forwarded-For` that is not
//! itself a trusted proxy. Login throttles, the receipt-lookup throttle and the
//! public submission limit key on this address (hashed, never stored).

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use ipnet::IpNet;

use crate::AppState;

/// The client address of a request, as decided by [`resolve`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

/// Parses `--trusted-proxy` values: addresses or CIDR ranges, comma-separated or repeated.
pub fn parse_trusted(values: &[String]) -> Result<Vec<IpNet>, String> {
    let mut out = Vec::new();
    for v in values.iter().flat_map(|v| v.split(',')).map(str::trim).filter(|v| !v.is_empty()) {
        let net = match v.parse::<IpNet>() {
            Ok(n) => n,
            Err(_) => v.parse::<IpAddr>().map(IpNet::from).map_err(|_| format!("not an address or CIDR range: {v}"))?,
        };
        out.push(net);
    }
    Ok(out)
}

fn trusted(ip: IpAddr, proxies: &[IpNet]) -> bool {
    let ip = canonical(ip);
    proxies.iter().any(|n| n.contains(&ip))
}

/// IPv4-mapped IPv6 addresses read as IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

/// One hop of `X-Forwarded-For` (`1.2.3.4`, `[::1]:80`) or of `Forwarded`'s `for=`
/// (`"[2001:db8::1]:4711"`, `192.0.2.60:80`); `None` for `unknown` or obfuscated ids.
fn hop(raw: &str) -> Option<IpAddr> {
    let v = raw.trim().trim_matches('"');
    if let Ok(ip) = v.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    if let Ok(sa) = v.parse::<SocketAddr>() {
        return Some(canonical(sa.ip()));
    }
    let inner = v.strip_prefix('[').and_then(|r| r.split(']').next())?;
    inner.parse::<IpAddr>().ok().map(canonical)
}

/// The forwarded chain, left (original client) to right (nearest proxy): from
/// `Forwarded` when present, else from `X-Forwarded-For`. Every header line counts,
/// in order. `None` marks a hop that is not an address.
fn chain(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let forwarded: Vec<&str> = headers.get_all("forwarded").iter().filter_map(|v| v.to_str().ok()).collect();
    if !forwarded.is_empty() {
        return forwarded
            .iter()
            .flat_map(|line| line.split(','))
            .map(|element| {
                element.split(';').find_map(|pair| {
                    let (k, v) = pair.split_once('=')?;
                    k.trim().eq_ignore_ascii_case("for").then(|| hop(v))
                })
            })
            .map(Option::flatten)
            .collect();
    }
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|line| line.split(','))
        .map(hop)
        .collect()
}

/// The client address: the peer unless it is a trusted proxy; then, walking the
/// forwarded chain from the right, the first hop that is not a trusted proxy. A hop
/// that is not an address ends the walk at the last trusted hop (never further left,
/// where anyone could have written anything).
pub fn resolve(peer: IpAddr, headers: &HeaderMap, proxies: &[IpNet]) -> IpAddr {
    let mut client = canonical(peer);
    if proxies.is_empty() || !trusted(client, proxies) {
        return client;
    }
    for h in chain(headers).into_iter().rev() {
        match h {
            Some(ip) if trusted(ip, proxies) => client = ip,
            Some(ip) => return ip,
            None => return client,
        }
    }
    client
}

/// Middleware: puts the request's [`ClientAddr`] into its extensions.
pub async fn resolve_client(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    if let Some(ConnectInfo(peer)) = req.extensions().get::<ConnectInfo<SocketAddr>>().copied() {
        let ip = resolve(peer.ip(), req.headers(), &state.config.trusted_proxies);
        req.extensions_mut().insert(ClientAddr(ip));
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, v.parse().unwrap_or_else(|_| panic!("header {v}")));
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or_else(|_| panic!("ip {s}"))
    }

    #[test]
    fn forwarded_addresses_count_only_from_trusted_peers() {
        let proxies = parse_trusted(&["10.0.0.0/8".into(), "127.0.0.1, ::1".into()]).unwrap_or_default();
        assert_eq!(proxies.len(), 3);
        let xff = headers(&[("x-forwarded-for", "203.0.113.9")]);
        // Untrusted peer: its headers are ignored.
        assert_eq!(resolve(ip("198.51.100.7"), &xff, &proxies), ip("198.51.100.7"));
        // No proxies configured: never believed.
        assert_eq!(resolve(ip("127.0.0.1"), &xff, &[]), ip("127.0.0.1"));
        // Trusted peer: the forwarded client.
        assert_eq!(resolve(ip("127.0.0.1"), &xff, &proxies), ip("203.0.113.9"));
        // A client forging the left end is not believed past the right-most untrusted hop.
        let forged = headers(&[("x-forwarded-for", "1.1.1.1, 203.0.113.9, 10.1.2.3")]);
        assert_eq!(resolve(ip("127.0.0.1"), &forged, &proxies), ip("203.0.113.9"));
        // Forwarded takes precedence, with ports and IPv6.
        let fwd = headers(&[("forwarded", r#"for="[2001:db8::1]:4711";proto=https, for=10.0.0.5"#)]);
        assert_eq!(resolve(ip("::1"), &fwd, &proxies), ip("2001:db8::1"));
        // An unknown hop stops the walk at the last trusted one.
        let unknown = headers(&[("forwarded", "for=unknown, for=10.0.0.5")]);
        assert_eq!(resolve(ip("127.0.0.1"), &unknown, &proxies), ip("10.0.0.5"));
        assert!(parse_trusted(&["not-an-ip".into()]).is_err());
        // IPv4-mapped peers match IPv4 ranges.
        assert_eq!(resolve(ip("::ffff:127.0.0.1"), &xff, &proxies), ip("203.0.113.9"));
    }
}
