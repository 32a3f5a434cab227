//! Small recordings for the exporters' unit tests.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::recording::{
    FORMAT, Provenance, RecordedBody, RecordedExchange, RecordedRequest, RecordedResponse,
    Recording, Source, VERSION,
};

/// An exchange of `operation` with these bodies (`null` for no request body); the
/// response's request id is `rid-<operation>`.
pub(super) fn exchange(
    operation: &str,
    request: Value,
    status: u16,
    response: Value,
) -> RecordedExchange {
    let mut request_headers = BTreeMap::new();
    request_headers.insert(
        "content-type".to_owned(),
        "application/x-amz-json-1.1".to_owned(),
    );
    request_headers.insert("x-amz-target".to_owned(), format!("SageMaker.{operation}"));
    let mut response_headers = BTreeMap::new();
    response_headers.insert(
        "content-type".to_owned(),
        "application/x-amz-json-1.1".to_owned(),
    );
    response_headers.insert("x-amzn-requestid".to_owned(), format!("rid-{operation}"));
    RecordedExchange {
        operation: operation.to_owned(),
        request: RecordedRequest {
            headers: request_headers,
            body: RecordedBody {
                body: (!request.is_null()).then_some(request),
                body_text: None,
            },
        },
        response: RecordedResponse {
            status,
            headers: response_headers,
            body: RecordedBody {
                body: (!response.is_null()).then_some(response),
                body_text: None,
            },
        },
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
        },
        exchanges,
    }
}
