//! Reading version 1: one pretty JSON document with every exchange in an array, bodies
//! as `body` (parsed JSON) or `body_text` (anything else, decoded lossily), no method
//! or path (always `POST /`). Kept so recordings made before version 2 still replay;
//! nothing writes it any more.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use crate::exchange::{Body, Headers, Request, Response};

use super::format::{Provenance, RecordedExchange, Recording, RecordingError};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    format: String,
    version: u32,
    scenario: String,
    provenance: Provenance,
    exchanges: Vec<Exchange>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Exchange {
    operation: String,
    request: Message,
    response: Answer,
}

/// A request: headers and body.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Message {
    headers: BTreeMap<String, String>,
    #[serde(default)]
    body: Option<Value>,
    #[serde(default)]
    body_text: Option<String>,
}

/// A response: a status, then what a request has (serde cannot flatten a struct into
/// one that denies unknown fields, so the members are repeated).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Answer {
    status: u16,
    headers: BTreeMap<String, String>,
    #[serde(default)]
    body: Option<Value>,
    #[serde(default)]
    body_text: Option<String>,
}

fn headers(headers: BTreeMap<String, String>) -> Headers {
    headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect()
}

/// `body` when the body was JSON, `body_text` when it was not, neither when empty.
fn body(body: Option<Value>, body_text: Option<String>) -> Body {
    match (body, body_text) {
        (Some(value), _) => Body::Json(value),
        (None, Some(text)) => Body::Text(text),
        (None, None) => Body::Empty,
    }
}

/// A version-1 document (already checked for its format and version) as a recording.
pub(super) fn read(value: Value, path: &Path) -> Result<Recording, RecordingError> {
    let file: File = serde_json::from_value(value).map_err(|e| RecordingError::Malformed {
        path: path.to_owned(),
        problem: e.to_string(),
    })?;
    let exchanges = file
        .exchanges
        .into_iter()
        .map(|e| RecordedExchange {
            operation: e.operation,
            request: Request {
                method: "POST".to_owned(),
                path: "/".to_owned(),
                headers: headers(e.request.headers),
                body: body(e.request.body, e.request.body_text),
            },
            response: Response {
                status: e.response.status,
                headers: headers(e.response.headers),
                body: body(e.response.body, e.response.body_text),
            },
            reconstructed: false,
            sent_at: None,
        })
        .collect();
    Ok(Recording {
        format: file.format,
        version: file.version,
        scenario: file.scenario,
        provenance: file.provenance,
        exchanges,
    })
}
