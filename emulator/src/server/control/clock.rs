//! `POST /_cjh/clock/advance`: moves a manual clock forward.

use std::time::Duration;

use serde_json::{Value, json};

use crate::api::ApiError;
use crate::service::Service;
use crate::wire::parse_body;

/// The largest single advance: one year, far past any lifecycle.
const MAX_ADVANCE_SECS: f64 = 31_536_000.0;

/// Moves the clock by the body's `{"seconds": N}` and answers the new time.
pub(super) fn advance(service: &Service, body: &[u8]) -> Result<Option<Value>, ApiError> {
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
