//! Control endpoints outside the AWS namespace, for tests and tools:
//! `POST /_cjh/reset` forgets all state, `POST /_cjh/clock/advance` with
//! `{"seconds": N}` moves a manual clock, `GET /_cjh/health` answers when ready,
//! `GET /_cjh/faults` shows the injected faults and their counts and `POST /_cjh/faults`
//! replaces them (numbering requests from 1 again).

use std::time::Duration;

use http::Method;
use serde_json::{Value, json};

use crate::api::{ApiError, ErrorCode};
use crate::service::{FaultSettings, Service};
use crate::wire::{WireResponse, parse_body};

/// The path prefix of control endpoints.
pub(crate) const PREFIX: &str = "/_cjh/";

/// The largest single advance: one year, far past any lifecycle.
const MAX_ADVANCE_SECS: f64 = 31_536_000.0;

pub(crate) fn handle(
    service: &Service,
    method: &Method,
    action: &str,
    body: &[u8],
) -> WireResponse {
    let result = match (method, action) {
        (&Method::POST, "reset") => service.try_reset().map(|()| Some(json!({ "reset": true }))),
        (&Method::POST, "clock/advance") => advance(service, body),
        (&Method::GET, "health") => Ok(Some(json!({ "status": "ok" }))),
        (&Method::GET, "faults") => Ok(Some(service.faults().to_json())),
        (&Method::POST, "faults") => set_faults(service, body),
        _ => Err(ApiError::new(
            ErrorCode::UnknownOperationException,
            format!(
                "No control endpoint {method} {PREFIX}{action}; there are POST {PREFIX}reset, POST {PREFIX}clock/advance, GET {PREFIX}health, and GET and POST {PREFIX}faults."
            ),
        )),
    };
    WireResponse::from_result(&result)
}

fn advance(service: &Service, body: &[u8]) -> Result<Option<Value>, ApiError> {
    let value = parse_body(body)?;
    let seconds = value
        .get("seconds")
        .and_then(Value::as_f64)
        .filter(|s| s.is_finite() && (0.0..=MAX_ADVANCE_SECS).contains(s))
        .ok_or_else(|| {
            ApiError::validation(format!(
                "Body must be {{\"seconds\": N}} with N a number from 0 to {MAX_ADVANCE_SECS}."
            ))
        })?;
    let now = service
        .advance_clock(Duration::from_secs_f64(seconds))
        .map_err(|e| {
            ApiError::validation(format!("Cannot advance: {e}. Start with --clock manual."))
        })?;
    // With a state directory, the move is answered only once it is on disk.
    if let Some(error) = service.state_error() {
        return Err(error);
    }
    Ok(Some(json!({ "now": now.to_json() })))
}

/// Replaces the injected faults with the body's `fault_*` keys (those left out are off)
/// and numbers requests from 1 again.
fn set_faults(service: &Service, body: &[u8]) -> Result<Option<Value>, ApiError> {
    let settings: FaultSettings = serde_json::from_value(parse_body(body)?).map_err(|e| {
        ApiError::validation(format!(
            "Body must be an object of fault_throttling, fault_internal_failure, fault_latency, fault_latency_ms and fault_seed: {e}."
        ))
    })?;
    service
        .faults()
        .set(settings)
        .map_err(|e| ApiError::validation(e.to_string()))?;
    Ok(Some(service.faults().to_json()))
}
