//! smithy-rs dvr traffic from a recording (`cjh export dvr`).
//!
//! `aws_smithy_http_client::test_util::dvr::ReplayingClient` (feature `test-util`) is an
//! HTTP client for the AWS Rust SDK that answers the Nth request with the Nth recorded
//! connection, whatever was asked, and afterwards checks the requests the SDK made
//! against the recorded ones (`validate_body_and_headers`, `full_validate`, ...). It
//! reads the `NetworkTraffic` JSON that its `RecordingClient` writes; the types below
//! mirror those serde types (`NetworkTraffic`, `Event`, `Action`, `BodyData`,
//! `Direction`, `Version` in aws-smithy-http-client 1.5), whose fields are private and
//! so cannot be built from outside that crate.
//!
//! One connection per exchange, in recorded order: the request (`POST`, the endpoint's
//! `/`, its `content-type` and `x-amz-target`), its body and end, the response (status,
//! `content-type`, `x-amzn-requestid`, `content-length`), its body and end. The request
//! keeps only the headers the recording kept (less a recorded `x-amz-date`), so validation
//! checks exactly those; the SDK's own `authorization`, `x-amz-date` and `user-agent` are
//! not compared. A binary body is written as dvr's base64 body data.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::exchange::{Body, Headers};
use crate::recording::Recording;

use super::ExportError;

/// A whole traffic log, as `ReplayingClient::from_file` reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkTraffic {
    /// Every event of every connection, in order.
    pub events: Vec<Event>,
    /// Free text about where the traffic came from.
    pub docs: Option<String>,
    /// The format version.
    pub version: Version,
}

/// The dvr format version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Version {
    /// The only version dvr has.
    V0,
}

/// One thing that happened on a connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// The connection; the replayer answers its Nth request with connection N.
    pub connection_id: usize,
    /// What happened.
    pub action: Action,
}

/// What happened on a connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    /// The request line and headers.
    Request {
        /// The request.
        request: Request,
    },
    /// The status line and headers, or the error the connection failed with.
    Response {
        /// The response.
        response: Result<Response, String>,
    },
    /// A piece of a body.
    Data {
        /// The bytes.
        data: BodyData,
        /// Whose body.
        direction: Direction,
    },
    /// The end of a body.
    Eof {
        /// Whether it ended cleanly.
        ok: bool,
        /// Whose body.
        direction: Direction,
    },
}

/// A request without its body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// The full URI.
    pub uri: String,
    /// Header values by lower-case name.
    pub headers: BTreeMap<String, Vec<String>>,
    /// The method.
    pub method: String,
}

/// A response without its body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    /// The HTTP status.
    pub status: u16,
    /// Header values by lower-case name.
    pub headers: BTreeMap<String, Vec<String>>,
}

/// Body bytes. Recorded bodies are JSON or text, so only the UTF-8 form is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum BodyData {
    /// Bytes that are not UTF-8, in standard base64.
    Base64(String),
    /// UTF-8 text.
    Utf8(String),
}

/// Which side a body belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Direction {
    /// The request's body.
    Request,
    /// The response's body.
    Response,
}

/// The SageMaker endpoint the SDK resolves for `region` by default: the URI the replayer
/// expects when the SDK client is built without an endpoint URL.
pub fn default_endpoint(region: &str) -> String {
    format!("https://api.sagemaker.{region}.amazonaws.com")
}

/// The traffic of a recording, with requests addressed to `endpoint` (scheme and host,
/// as given to the SDK's `endpoint_url`).
pub fn traffic(recording: &Recording, endpoint: &str) -> NetworkTraffic {
    let uri = format!("{}/", endpoint.trim_end_matches('/'));
    let mut events = Vec::new();
    for (connection_id, exchange) in recording.exchanges.iter().enumerate() {
        let mut push = |action| {
            events.push(Event {
                connection_id,
                action,
            });
        };
        push(Action::Request {
            request: Request {
                uri: uri.clone(),
                headers: one_value_each(&request_headers(&exchange.request.headers)),
                method: exchange.request.method.clone(),
            },
        });
        body_events(&exchange.request.body, Direction::Request, &mut push);
        let body = exchange.response.body.to_bytes();
        let mut headers = one_value_each(&exchange.response.headers);
        headers.insert("content-length".to_owned(), vec![body.len().to_string()]);
        push(Action::Response {
            response: Ok(Response {
                status: exchange.response.status,
                headers,
            }),
        });
        body_events(&exchange.response.body, Direction::Response, &mut push);
    }
    NetworkTraffic {
        events,
        docs: Some(format!(
            "cjh export of recording {} ({} at {}, recorded {}): one connection per exchange, in recorded order",
            recording.scenario,
            recording.provenance.source.as_str(),
            recording.provenance.endpoint,
            recording.provenance.recorded_at,
        )),
        version: Version::V0,
    }
}

/// The body's bytes (none for an empty body) and its end.
fn body_events(body: &Body, direction: Direction, push: &mut impl FnMut(Action)) {
    let data = match body {
        Body::Empty => None,
        Body::Base64(bytes) => Some(BodyData::Base64(STANDARD.encode(bytes))),
        Body::Json(_) | Body::Text(_) => Some(BodyData::Utf8(
            String::from_utf8_lossy(&body.to_bytes()).into_owned(),
        )),
    };
    if let Some(data) = data {
        push(Action::Data { data, direction });
    }
    push(Action::Eof {
        ok: true,
        direction,
    });
}

/// The request headers the replayer may compare: a recorded `x-amz-date` is left out,
/// since the SDK signs at its own time and would never send the same one.
fn request_headers(headers: &Headers) -> Headers {
    let mut headers = headers.clone();
    headers.remove("x-amz-date");
    headers
}

fn one_value_each(headers: &Headers) -> BTreeMap<String, Vec<String>> {
    headers
        .iter()
        .map(|(name, value)| (name.to_owned(), vec![value.to_owned()]))
        .collect()
}

/// The file text: pretty JSON with a final newline.
pub fn to_text(traffic: &NetworkTraffic) -> String {
    let mut text = serde_json::to_string_pretty(traffic).unwrap_or_default();
    text.push('\n');
    text
}

/// Reads one recording and writes its traffic to `out`, addressed to `endpoint` (by
/// default the recording region's SageMaker endpoint).
pub fn export(recording: &Path, endpoint: Option<&str>, out: &Path) -> Result<(), ExportError> {
    let recording = Recording::load(recording)?;
    let endpoint = endpoint.map_or_else(
        || default_endpoint(&recording.provenance.region),
        str::to_owned,
    );
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs_err::create_dir_all(parent)?;
    }
    Ok(fs_err::write(
        out,
        to_text(&traffic(&recording, &endpoint)),
    )?)
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::super::sample::{exchange, recording};
    use super::*;

    #[test]
    fn an_exchange_is_one_connection_in_the_dvr_json_shape() {
        let recording = recording(vec![exchange(
            "DescribeCompilationJob",
            json!({ "CompilationJobName": "a" }),
            200,
            json!({ "CompilationJobStatus": "STARTING" }),
        )]);
        let traffic = traffic(&recording, &default_endpoint(&recording.provenance.region));
        let value: Value = serde_json::from_str(&to_text(&traffic)).unwrap_or_default();
        assert_eq!(value["version"], "V0");
        let events = value["events"].as_array().cloned().unwrap_or_default();
        let actions: Vec<Value> = events
            .iter()
            .inspect(|e| assert_eq!(e["connection_id"], 0))
            .map(|e| e["action"].clone())
            .collect();
        assert_eq!(
            actions,
            vec![
                json!({ "Request": { "request": {
                    "uri": "https://api.sagemaker.eu-west-1.amazonaws.com/",
                    "headers": {
                        "content-type": ["application/x-amz-json-1.1"],
                        "x-amz-target": ["SageMaker.DescribeCompilationJob"],
                    },
                    "method": "POST",
                } } }),
                json!({ "Data": { "data": { "Utf8": "{\"CompilationJobName\":\"a\"}" }, "direction": "Request" } }),
                json!({ "Eof": { "ok": true, "direction": "Request" } }),
                json!({ "Response": { "response": { "Ok": {
                    "status": 200,
                    "headers": {
                        "content-length": ["35"],
                        "content-type": ["application/x-amz-json-1.1"],
                        "x-amzn-requestid": ["rid-DescribeCompilationJob"],
                    },
                } } } }),
                json!({ "Data": { "data": { "Utf8": "{\"CompilationJobStatus\":\"STARTING\"}" }, "direction": "Response" } }),
                json!({ "Eof": { "ok": true, "direction": "Response" } }),
            ]
        );
    }

    #[test]
    fn an_empty_answer_has_no_data_and_connections_are_numbered_in_order() {
        let recording = recording(vec![
            exchange("StopCompilationJob", json!({}), 200, Value::Null),
            exchange("DeleteCompilationJob", json!({}), 200, Value::Null),
        ]);
        let traffic = traffic(&recording, "http://127.0.0.1:4566/");
        let ids: Vec<usize> = traffic.events.iter().map(|e| e.connection_id).collect();
        assert_eq!(ids, [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
        let Some(Event {
            action: Action::Response {
                response: Ok(response),
            },
            ..
        }) = traffic.events.get(3)
        else {
            panic!("the fourth event is not the response: {:?}", traffic.events);
        };
        assert_eq!(response.headers["content-length"], ["0"]);
        let Some(Event {
            action: Action::Request { request },
            ..
        }) = traffic.events.first()
        else {
            panic!("the first event is not the request");
        };
        assert_eq!(request.uri, "http://127.0.0.1:4566/");
    }
}
