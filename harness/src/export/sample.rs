//! Small recordings for the exporters' unit tests.

use serde_json::Value;

use crate::exchange::{Body, Headers, Request, Response};
use crate::recording::{FORMAT, Provenance, RecordedExchange, Recording, Source, VERSION};

/// An exchange of `operation` with these bodies (`null` for no request body); the
/// response's request id is `rid-<operation>`.
pub(super) fn exchange(
    operation: &str,
    request: Value,
    status: u16,
    response: Value,
) -> RecordedExchange {
    let json = |value: Value| {
        if value.is_null() {
            Body::Empty
        } else {
            Body::Json(value)
        }
    };
    RecordedExchange {
        operation: operation.to_owned(),
        request: Request::aws_json(Some(&format!("SageMaker.{operation}")), json(request)),
        response: Response {
            status,
            headers: Headers::new()
                .with("content-type", "application/x-amz-json-1.1")
                .with("x-amzn-requestid", format!("rid-{operation}")),
            body: json(response),
        },
        reconstructed: false,
        sent_at: None,
    }
}

/// A recording of scenario `area/name` in eu-west-1.
pub(super) fn recording(exchanges: Vec<RecordedExchange>) -> Recording {
    Recording {
        format: FORMAT.to_owned(),
        version: VERSION,
        scenario: "area/name".to_owned(),
        provenance: Provenance {
            source: Source::Emulator,
            endpoint: "emulator".to_owned(),
            region: "eu-west-1".to_owned(),
            recorded_at: "2026-01-01T00:00:00Z".to_owned(),
            cjh_version: "0.1.0".to_owned(),
            model_version: "test".to_owned(),
            prefix: "cjhtest".to_owned(),
            scrubbing: Vec::new(),
            imported_from: None,
        },
        exchanges,
    }
}
