//! Who sent a request. Behind an HTTPS proxy every request comes from the proxy, so the address
//! that sign-in throttling counts must be the client's, which the proxy adds to
//! `X-Forwarded-For`. Anyone can write that header, so it is believed only as far back as the
//! chain runs through proxies the operator named (`--trusted-proxy`); without any, the peer's
//! own address is the client's and the header is ignored.

use axum::extract::{ConnectInfo, Request};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// The address a request is counted against, put on every request by [`identify`]. `None` only
/// where no peer is known (a router driven in-process by a test).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddress(pub Option<IpAddr>);

/// The proxies whose `X-Forwarded-For` is believed: single addresses or networks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Reads a comma-separated list of addresses and networks (`10.0.0.5, 192.168.0.0/24, ::1`).
    pub fn parse(list: &str) -> Result<Self, String> {
        let mut networks = Vec::new();
        for entry in list.split(',').map(str::trim).filter(|entry| !entry.is_empty()) {
            let network = match entry.parse::<IpNet>() {
                Ok(network) => network,
                Err(_) => entry.parse::<IpAddr>().map(IpNet::from).map_err(|_| {
                    format!("`{entry}` is not an IP address or network (write it like 10.0.0.5 or 10.0.0.0/8)")
                })?,
            };
            networks.push(network);
        }
        Ok(Self(networks))
    }

    fn trusts(&self, address: IpAddr) -> bool {
        let address = address.to_canonical();
        self.0.iter().any(|network| network.contains(&address))
    }

    /// The client behind `peer`: walking `X-Forwarded-For` from the nearest hop back, the first
    /// address that is not a trusted proxy. A malformed entry ends the walk at the last address
    /// known to be true, so a forged header cannot pick the address that is counted.
    pub fn client_of(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let mut client = peer.to_canonical();
        if !self.trusts(client) {
            return client;
        }
        let hops = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .collect::<Vec<_>>();
        for hop in hops.into_iter().rev() {
            let Ok(address) = hop.parse::<IpAddr>() else { break };
            client = address.to_canonical();
            if !self.trusts(client) {
                break;
            }
        }
        client
    }
}

/// Middleware: works out the client's address once, for every handler that counts by it.
pub async fn identify(proxies: Arc<TrustedProxies>, mut request: Request, next: Next) -> Response {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(peer)| peer.ip());
    let client = peer.map(|peer| proxies.client_of(peer, request.headers()));
    request.extensions_mut().insert(ClientAddress(client));
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append("x-forwarded-for", value.parse().unwrap());
        }
        headers
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_header_is_ignored() {
        let proxies = TrustedProxies::default();
        assert_eq!(proxies.client_of(ip("203.0.113.9"), &forwarded(&["198.51.100.1"])), ip("203.0.113.9"));
    }

    #[test]
    fn a_trusted_proxy_names_the_client() {
        let proxies = TrustedProxies::parse("10.0.0.5").unwrap();
        assert_eq!(proxies.client_of(ip("10.0.0.5"), &forwarded(&["198.51.100.1"])), ip("198.51.100.1"));
        assert_eq!(proxies.client_of(ip("10.0.0.5"), &HeaderMap::new()), ip("10.0.0.5"), "no header: the proxy");
    }

    #[test]
    fn a_forged_entry_before_the_proxys_own_is_not_believed() {
        let proxies = TrustedProxies::parse("10.0.0.0/8").unwrap();
        // The client wrote 192.0.2.1 itself; the proxy appended the address it really saw.
        let headers = forwarded(&["192.0.2.1, 198.51.100.1"]);
        assert_eq!(proxies.client_of(ip("10.0.0.5"), &headers), ip("198.51.100.1"));
    }

    #[test]
    fn a_chain_of_trusted_proxies_is_walked_back_to_the_client() {
        let proxies = TrustedProxies::parse("10.0.0.0/8, 192.168.1.1").unwrap();
        let headers = forwarded(&["198.51.100.1", "192.168.1.1"]);
        assert_eq!(proxies.client_of(ip("10.0.0.5"), &headers), ip("198.51.100.1"));
    }

    #[test]
    fn a_malformed_entry_stops_the_walk_at_the_last_true_address() {
        let proxies = TrustedProxies::parse("10.0.0.5").unwrap();
        assert_eq!(proxies.client_of(ip("10.0.0.5"), &forwarded(&["junk"])), ip("10.0.0.5"));
    }

    #[test]
    fn mapped_ipv4_addresses_are_the_same_address() {
        let proxies = TrustedProxies::parse("127.0.0.1").unwrap();
        assert_eq!(proxies.client_of(ip("::ffff:127.0.0.1"), &forwarded(&["198.51.100.1"])), ip("198.51.100.1"));
    }

    #[test]
    fn bad_entries_are_named() {
        assert_eq!(TrustedProxies::parse(" ").unwrap(), TrustedProxies::default());
        assert!(TrustedProxies::parse("10.0.0.5, proxy.local").unwrap_err().contains("`proxy.local`"));
    }
}
