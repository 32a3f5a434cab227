//! One journaled request and its answer.

use bytes::Bytes;
use serde_json::{Value, json};

use super::super::time::Millis;

/// An API request the emulator answered, as the journal keeps it: who sent it, what it
/// asked, and what it was answered. Bodies are kept as sent, byte for byte.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// Its number: 1 for the first request the emulator answered, then 2, 3, ... in
    /// the order they were journaled; clearing the journal does not restart it.
    pub sequence: u64,
    /// When it was answered, on the emulator's clock.
    pub time: Millis,
    /// The account whose jobs it saw (with `auth = sigv4`, that of the access key it
    /// names).
    pub account: String,
    /// The region whose jobs it saw: its credential scope's, or the default region.
    pub region: String,
    /// The operation its `X-Amz-Target` names, without the `SageMaker.` prefix (the
    /// whole header when it lacks the prefix); `None` without the header.
    pub operation: Option<String>,
    /// The request body.
    pub request_body: Bytes,
    /// The HTTP status of the answer.
    pub status: u16,
    /// The error code (`__type`) of an error answer.
    pub error_code: Option<&'static str>,
    /// The answer's body (empty for operations with no output).
    pub response_body: Bytes,
}

impl RecordedRequest {
    /// An entry not yet numbered; the journal gives it its sequence number.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        time: Millis,
        account: String,
        region: String,
        operation: Option<String>,
        request_body: Bytes,
        status: u16,
        error_code: Option<&'static str>,
        response_body: Bytes,
    ) -> RecordedRequest {
        RecordedRequest {
            sequence: 0,
            time,
            account,
            region,
            operation,
            request_body,
            status,
            error_code,
            response_body,
        }
    }

    /// The request body as JSON, when it is JSON.
    pub fn request_json(&self) -> Option<Value> {
        serde_json::from_slice(&self.request_body).ok()
    }

    /// The answer's body as JSON, when it is JSON (an empty body is not).
    pub fn response_json(&self) -> Option<Value> {
        serde_json::from_slice(&self.response_body).ok()
    }

    /// What the entry counts against `journal_bytes`: its two bodies.
    pub(super) fn body_bytes(&self) -> usize {
        self.request_body.len() + self.response_body.len()
    }

    /// The entry as `GET /_cjh/requests` shows it. Bodies are text (bytes that are not
    /// UTF-8 shown as U+FFFD), not parsed JSON, so a body that is not JSON is shown as it
    /// came and an answer is never mistaken for another.
    pub fn to_json(&self) -> Value {
        json!({
            "sequence": self.sequence,
            "time": self.time.to_json(),
            "account": self.account,
            "region": self.region,
            "operation": self.operation,
            "request_body": String::from_utf8_lossy(&self.request_body),
            "status": self.status,
            "error_code": self.error_code,
            "response_body": String::from_utf8_lossy(&self.response_body),
        })
    }
}
