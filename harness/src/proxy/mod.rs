//! `cjh proxy`: a recording reverse proxy that keeps SigV4 valid.
//!
//! A client pointed at an ordinary recording proxy signs the proxy's Host, so the
//! upstream refuses the signature; a CONNECT tunnel keeps the signature but sees only
//! TLS. This proxy takes the client's request with whatever credentials it was signed
//! with, drops that signature, signs the request again for the upstream with real
//! credentials, forwards it, hands the upstream's answer back unchanged, and appends the
//! exchange, scrubbed, to a recording, one flushed line per exchange.
//!
//! - `upstream`: where requests go (`aws`: the regional SageMaker endpoint, or a URL).
//! - `forward`: one request, re-signed and sent, and the AWS-shaped answers the proxy
//!   gives itself when the upstream cannot be reached or is too slow.
//! - `server`: the accept loop, the recorder, and the graceful stop on a signal.

mod forward;
mod server;
mod upstream;

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

pub use forward::{DROPPED_HEADERS, signing_name_of};
pub use server::Proxy;
pub use upstream::Upstream;

/// Everything the proxy needs to start.
#[derive(Debug, Clone)]
pub struct ProxyConfig {
    /// Where requests are forwarded.
    pub upstream: Upstream,
    /// The region requests are signed for (and, for `aws`, the endpoint's region).
    pub region: String,
    /// The recording written, one exchange per line.
    pub record: PathBuf,
    /// The name the recording's header gives it.
    pub name: String,
    /// The address to listen on.
    pub host: IpAddr,
    /// The port; 0 picks a free one.
    pub port: u16,
    /// How long the upstream may take to answer before the client gets a 504.
    pub upstream_timeout: Duration,
}

/// Why the proxy could not start or keep its recording.
#[derive(Debug, thiserror::Error)]
pub enum ProxyError {
    /// Listening on a non-loopback address signs requests for anyone who can reach it.
    #[error(
        "refusing to listen on {host}: the proxy signs every request it receives with your credentials, so anyone who can reach a non-loopback address could act as you; pass --share-my-credentials-with-the-network to do it anyway"
    )]
    NotLoopback {
        /// The address asked for.
        host: IpAddr,
    },
    /// The upstream is not `aws` or an http(s) URL.
    #[error("upstream '{upstream}': {problem}")]
    BadUpstream {
        /// What was given.
        upstream: String,
        /// What is wrong.
        problem: String,
    },
    /// The address could not be bound.
    #[error("cannot listen on {address}: {source}")]
    Bind {
        /// `host:port`.
        address: String,
        /// Why.
        source: std::io::Error,
    },
    /// The HTTP client could not be built.
    #[error("cannot build the upstream client: {0}")]
    Client(String),
    /// The recording could not be created or appended to.
    #[error(transparent)]
    Recording(#[from] crate::recording::RecordingError),
}
