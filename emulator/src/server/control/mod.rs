//! Control endpoints outside the AWS namespace, for tests and tools:
//! `POST /_cjh/reset` forgets all state, `POST /_cjh/clock/advance` with
//! `{"seconds": N}` moves a manual clock, `GET /_cjh/health` answers when ready,
//! `GET /_cjh/faults` shows the injected faults and their counts and `POST /_cjh/faults`
//! replaces them (numbering requests from 1 again), `GET /_cjh/requests` reads the
//! request journal and `DELETE /_cjh/requests` clears it. `GET /_cjh/` is the live view,
//! an HTML page of every account's and region's jobs and the latest requests that
//! reloads itself (`live`).
//!
//! Drop-in paths for suites written against moto or LocalStack, so they run unchanged:
//! `POST /moto-api/reset` and `POST /_localstack/state/reset` are `POST /_cjh/reset`, and
//! `GET /_localstack/health` answers in LocalStack's shape with `sagemaker` running.
//!
//! Who may call them is `guard`'s: open on loopback, a bearer token elsewhere and with
//! SigV4.
//!
//! Each endpoint answers only its own method: any other method, or a path under a
//! control prefix that names no endpoint, is an `UnknownOperationException` that changes
//! nothing.

mod clock;
mod faults;
mod guard;
mod health;
mod live;
mod requests;

pub use guard::{ControlAccess, UnguardedControl};

use http::Method;
use serde_json::json;

use crate::api::{ApiError, ErrorCode};
use crate::service::Service;
use crate::wire::WireResponse;

/// The path prefix of cjh's own control endpoints.
pub(crate) const PREFIX: &str = "/_cjh/";

/// The prefixes of the control namespace: cjh's, then moto's and LocalStack's, whose
/// whole namespaces are claimed so that one of their other endpoints is refused as an
/// unknown control endpoint rather than taken for an AWS path.
const PREFIXES: [&str; 3] = [PREFIX, "/moto-api/", "/_localstack/"];

/// Every control endpoint, as the refusal of an unknown one lists them.
const ENDPOINTS: &[(&str, &str)] = &[
    ("GET", live::PATH),
    ("POST", "/_cjh/reset"),
    ("POST", "/_cjh/clock/advance"),
    ("GET", "/_cjh/health"),
    ("GET", "/_cjh/faults"),
    ("POST", "/_cjh/faults"),
    ("GET", "/_cjh/requests"),
    ("DELETE", "/_cjh/requests"),
    ("POST", "/moto-api/reset"),
    ("GET", "/_localstack/health"),
    ("POST", "/_localstack/state/reset"),
];

/// Whether a path is in the control namespace rather than the AWS one: such a request
/// is answered here, never throttled, faulted, signature-checked or journaled.
pub(crate) fn is_control(path: &str) -> bool {
    PREFIXES.iter().any(|prefix| path.starts_with(prefix))
}

/// Answers a control request; `path` must be one [`is_control`] accepts.
pub(crate) fn handle(
    service: &Service,
    method: &Method,
    path: &str,
    query: Option<&str>,
    body: &[u8],
) -> WireResponse {
    // The one answer that is a page rather than JSON.
    if method == Method::GET && path == live::PATH {
        return live::page(service, query);
    }
    let result = match (method, path) {
        (&Method::POST, "/_cjh/reset" | "/moto-api/reset" | "/_localstack/state/reset") => {
            service.try_reset().map(|()| Some(json!({ "reset": true })))
        }
        (&Method::POST, "/_cjh/clock/advance") => clock::advance(service, body),
        (&Method::GET, "/_cjh/health") => Ok(Some(json!({ "status": "ok" }))),
        (&Method::GET, "/_localstack/health") => Ok(Some(health::localstack())),
        (&Method::GET, "/_cjh/faults") => Ok(Some(service.faults().to_json())),
        (&Method::POST, "/_cjh/faults") => faults::set(service, body),
        (&Method::GET, "/_cjh/requests") => requests::list(service, query),
        (&Method::DELETE, "/_cjh/requests") => Ok(Some(requests::clear(service))),
        _ => Err(unknown(method, path)),
    };
    WireResponse::from_result(&result)
}

fn unknown(method: &Method, path: &str) -> ApiError {
    let endpoints: Vec<String> = ENDPOINTS
        .iter()
        .map(|(method, path)| format!("{method} {path}"))
        .collect();
    ApiError::new(
        ErrorCode::UnknownOperationException,
        format!(
            "No control endpoint {method} {path}; there are {}.",
            endpoints.join(", ")
        ),
    )
}
