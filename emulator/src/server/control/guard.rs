//! Who may call the control endpoints.
//!
//! A control endpoint can forget every job, move the clock, change the faults or read
//! every request body the server was sent, so reaching the port must not be enough
//! wherever the port is reachable by others or requests are otherwise authenticated. On
//! a loopback address without SigV4 they stay open, as a test double's should. Off
//! loopback, with `auth = sigv4`, or whenever `control_token` is set, each endpoint that
//! reads or changes state needs `Authorization: Bearer TOKEN`, compared in constant time;
//! the health checks stay open. Off loopback with no token, the server refuses to start
//! unless `open_control_endpoints` says to leave them open; on loopback with SigV4 and no
//! token it starts, and those endpoints answer 403 naming the flag.

use std::net::IpAddr;

use http::HeaderMap;
use subtle::ConstantTimeEq;

use crate::api::{ApiError, ErrorCode};
use crate::service::{AuthMode, Settings};

/// The paths anyone may call: they read nothing but readiness.
const HEALTH: [&str; 2] = ["/_cjh/health", "/_localstack/health"];

/// How the control endpoints of one server are guarded.
#[derive(Clone, PartialEq, Eq)]
pub enum ControlAccess {
    /// Anyone who reaches the port.
    Open,
    /// Only requests with this bearer token.
    Token(String),
    /// Nobody: guarded, and no token was given.
    Closed,
}

impl std::fmt::Debug for ControlAccess {
    /// Never shows the token.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ControlAccess::Open => "Open",
            ControlAccess::Token(_) => "Token(..)",
            ControlAccess::Closed => "Closed",
        })
    }
}

/// A server off loopback whose control endpoints nobody chose to leave open.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the server would listen on {host}, which is not loopback, where anyone who reaches it could reset every job, move the clock and read the request journal: give --control-token TOKEN (or CJH_CONTROL_TOKEN, settings key control_token), or --open-control-endpoints to leave them open"
)]
pub struct UnguardedControl {
    /// The address.
    pub host: IpAddr,
}

impl ControlAccess {
    /// The access of a server on `host` with `settings`.
    pub fn for_server(
        host: IpAddr,
        settings: &Settings,
    ) -> Result<ControlAccess, UnguardedControl> {
        if let Some(token) = &settings.control_token {
            return Ok(ControlAccess::Token(token.clone()));
        }
        match (host.is_loopback(), settings.auth) {
            (true, AuthMode::None) => Ok(ControlAccess::Open),
            (true, AuthMode::Sigv4) => Ok(ControlAccess::Closed),
            (false, _) if settings.open_control_endpoints => Ok(ControlAccess::Open),
            (false, _) => Err(UnguardedControl { host }),
        }
    }

    /// Whether a request for the control endpoint at `path` may be answered.
    pub(crate) fn admit(&self, path: &str, headers: &HeaderMap) -> Result<(), ApiError> {
        if HEALTH.contains(&path) {
            return Ok(());
        }
        match self {
            ControlAccess::Open => Ok(()),
            ControlAccess::Closed => Err(ApiError::new(
                ErrorCode::AccessDeniedException,
                "The control endpoints need a token on this server (SigV4 is on): start cjh serve with --control-token TOKEN (or CJH_CONTROL_TOKEN) and send 'Authorization: Bearer TOKEN'.",
            )),
            ControlAccess::Token(token) => {
                let sent = headers
                    .get(http::header::AUTHORIZATION)
                    .and_then(|value| value.as_bytes().strip_prefix(b"Bearer "));
                match sent {
                    Some(sent) if bool::from(sent.ct_eq(token.as_bytes())) => Ok(()),
                    _ => Err(ApiError::new(
                        ErrorCode::AccessDeniedException,
                        "This control endpoint needs the server's control token (--control-token), sent as 'Authorization: Bearer TOKEN'.",
                    )),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::net::{Ipv4Addr, Ipv6Addr};

    use http::HeaderValue;

    use super::*;

    const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
    const ANY: IpAddr = IpAddr::V4(Ipv4Addr::UNSPECIFIED);

    fn settings(auth: AuthMode, token: Option<&str>, open: bool) -> Settings {
        Settings {
            auth,
            control_token: token.map(str::to_owned),
            open_control_endpoints: open,
            ..Settings::default()
        }
    }

    fn bearer(token: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::AUTHORIZATION,
            HeaderValue::from_str(&format!("Bearer {token}")).unwrap(),
        );
        headers
    }

    #[test]
    fn loopback_without_sigv4_is_open_and_loopback_with_it_is_closed_without_a_token() {
        let open = ControlAccess::for_server(LOOPBACK, &settings(AuthMode::None, None, false));
        assert_eq!(open, Ok(ControlAccess::Open));
        let v6 = IpAddr::V6(Ipv6Addr::LOCALHOST);
        let closed = ControlAccess::for_server(v6, &settings(AuthMode::Sigv4, None, false));
        assert_eq!(closed, Ok(ControlAccess::Closed));
    }

    #[test]
    fn off_loopback_needs_a_token_or_the_explicit_choice_to_leave_them_open() {
        let refused = ControlAccess::for_server(ANY, &settings(AuthMode::None, None, false));
        assert_eq!(refused, Err(UnguardedControl { host: ANY }));
        assert!(refused.unwrap_err().to_string().contains("--control-token"));
        let open = ControlAccess::for_server(ANY, &settings(AuthMode::None, None, true));
        assert_eq!(open, Ok(ControlAccess::Open));
        let token = ControlAccess::for_server(ANY, &settings(AuthMode::None, Some("t"), false));
        assert_eq!(token, Ok(ControlAccess::Token("t".into())));
    }

    #[test]
    fn a_token_admits_only_its_bearer_and_health_admits_anyone() {
        let access = ControlAccess::Token("s3cret".into());
        assert!(access.admit("/_cjh/reset", &bearer("s3cret")).is_ok());
        for headers in [bearer("s3cre"), bearer("s3cret2"), HeaderMap::new()] {
            let refused = access.admit("/_cjh/reset", &headers).unwrap_err();
            assert_eq!(refused.code, ErrorCode::AccessDeniedException);
        }
        for path in HEALTH {
            assert!(access.admit(path, &HeaderMap::new()).is_ok());
            assert!(ControlAccess::Closed.admit(path, &HeaderMap::new()).is_ok());
        }
        let closed = ControlAccess::Closed
            .admit("/moto-api/reset", &bearer("anything"))
            .unwrap_err();
        assert!(
            closed.message.contains("--control-token"),
            "{}",
            closed.message
        );
    }

    #[test]
    fn the_live_view_is_guarded_like_the_journal_it_shows() {
        let access = ControlAccess::Token("s3cret".into());
        for path in ["/_cjh/", "/_cjh/requests"] {
            assert!(access.admit(path, &bearer("s3cret")).is_ok(), "{path}");
            assert!(access.admit(path, &HeaderMap::new()).is_err(), "{path}");
            assert!(
                ControlAccess::Closed
                    .admit(path, &HeaderMap::new())
                    .is_err()
            );
            assert!(ControlAccess::Open.admit(path, &HeaderMap::new()).is_ok());
        }
    }

    #[test]
    fn the_token_never_shows_in_debug_output() {
        let shown = format!("{:?}", ControlAccess::Token("s3cret".into()));
        assert!(!shown.contains("s3cret"), "{shown}");
    }
}
