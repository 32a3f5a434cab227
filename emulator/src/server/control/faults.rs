//! `POST /_cjh/faults`: replaces the injected faults.

use serde_json::Value;

use crate::api::ApiError;
use crate::service::{FaultSettings, Service};
use crate::wire::parse_body;

/// Replaces the injected faults with the body's `fault_*` keys (those left out are off)
/// and numbers requests from 1 again.
pub(super) fn set(service: &Service, body: &[u8]) -> Result<Option<Value>, ApiError> {
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
