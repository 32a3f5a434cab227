//! A connection over `max_connections`: accepted, its one request read and answered with
//! 503 `ServiceUnavailable` and `Connection: close`, then closed. The client gets an
//! AWS-shaped answer its retry logic knows (both SDKs retry a 503) instead of a connection
//! left waiting in the accept queue or reset.

use std::convert::Infallible;
use std::time::Duration;

use http::Request;
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use crate::api::{ApiError, ErrorCode};
use crate::wire::WireResponse;

use super::http::into_http;

/// How long a refused connection may take to send its request before it is dropped, so
/// clients over the limit cannot hold the server's attention either.
const REFUSAL_TIMEOUT: Duration = Duration::from_secs(5);

/// Answers the connection's request with 503 and closes it.
pub(super) async fn refuse(stream: TcpStream, max_connections: usize, max_body_bytes: usize) {
    let handler = service_fn(move |request: Request<Incoming>| async move {
        // Read the body first: closing a socket with unread data resets it, and the
        // reset can destroy the answer before the client reads it.
        let _ = Limited::new(request.into_body(), max_body_bytes)
            .collect()
            .await;
        let error = ApiError::new(
            ErrorCode::ServiceUnavailable,
            format!(
                "The server is serving its limit of {max_connections} connections; retry on a new connection."
            ),
        );
        Ok::<_, Infallible>(into_http(WireResponse::error(&error)))
    });
    let mut builder = http1::Builder::new();
    builder.keep_alive(false);
    let connection = builder.serve_connection(TokioIo::new(stream), handler);
    let _ = tokio::time::timeout(REFUSAL_TIMEOUT, connection).await;
}
