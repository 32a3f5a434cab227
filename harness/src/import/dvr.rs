//! smithy-rs dvr traffic: the `NetworkTraffic` JSON that
//! `aws_smithy_http_client::test_util::dvr::RecordingClient` writes for the Rust SDK,
//! and that `cjh export dvr` writes from a recording.
//!
//! The events are read through the serde types `crate::export::dvr` mirrors, so one
//! definition of the format serves both directions. A recording client logs events
//! as they happen, and bodies are streamed, so events of different connections
//! interleave and a body may come in several `Data` pieces: events are grouped by
//! `connection_id`, pieces joined in order, and connections taken in the order of
//! their requests (the client numbers them as it sends). A connection that failed
//! (`"Err"`) or never got an answer has nothing to replay and is skipped, with a note.
//!
//! The `docs` of a `cjh export` name the source of the recording exported, and are
//! believed: an emulator recording exported for the SDK's default endpoint has AWS
//! URIs but was never AWS.

use std::collections::BTreeMap;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::ImportError;
use super::assemble::{Draft, shown_name};
use super::wire::{WireExchange, exchanges};
use crate::export::dvr::{Action, BodyData, Direction, NetworkTraffic, Request, Response};
use crate::recording::Source;

const FORMAT: &str = "dvr NetworkTraffic";

/// One connection's events, gathered.
#[derive(Debug, Default)]
struct Connection {
    /// Index of its request event, for ordering.
    first: usize,
    request: Option<Request>,
    request_body: Vec<u8>,
    response: Option<Result<Response, String>>,
    response_body: Vec<u8>,
}

/// Reads a dvr traffic file.
pub(crate) fn read(path: &Path) -> Result<Draft, ImportError> {
    let text = fs_err::read_to_string(path)?;
    let traffic: NetworkTraffic =
        serde_json::from_str(&text).map_err(|e| ImportError::Malformed {
            path: path.to_owned(),
            format: FORMAT,
            problem: e.to_string(),
        })?;
    let mut connections: BTreeMap<usize, Connection> = BTreeMap::new();
    for (index, event) in traffic.events.iter().enumerate() {
        let bad = |problem: String| {
            ImportError::entry(
                path,
                format!("events[{index}] (connection {})", event.connection_id),
                problem,
            )
        };
        let known = connections.contains_key(&event.connection_id);
        match &event.action {
            Action::Request { request } => {
                if known {
                    return Err(bad("a second request on one connection".to_owned()));
                }
                connections.insert(
                    event.connection_id,
                    Connection {
                        first: index,
                        request: Some(request.clone()),
                        ..Connection::default()
                    },
                );
            }
            _ if !known => return Err(bad("an event before the connection's request".to_owned())),
            Action::Response { response } => {
                if let Some(connection) = connections.get_mut(&event.connection_id) {
                    if connection.response.is_some() {
                        return Err(bad("a second response on one connection".to_owned()));
                    }
                    connection.response = Some(response.clone());
                }
            }
            Action::Data { data, direction } => {
                let bytes = match data {
                    BodyData::Utf8(text) => text.clone().into_bytes(),
                    BodyData::Base64(text) => STANDARD
                        .decode(text)
                        .map_err(|e| bad(format!("Base64 body data that is not base64: {e}")))?,
                };
                if let Some(connection) = connections.get_mut(&event.connection_id) {
                    match direction {
                        Direction::Request => connection.request_body.extend(bytes),
                        Direction::Response => connection.response_body.extend(bytes),
                    }
                }
            }
            Action::Eof { .. } => {}
        }
    }
    let mut ordered: Vec<(usize, Connection)> = connections.into_iter().collect();
    ordered.sort_by_key(|(_, c)| c.first);
    let mut wires = Vec::with_capacity(ordered.len());
    let mut skipped = Vec::new();
    for (id, connection) in ordered {
        let Some(request) = connection.request else {
            continue;
        };
        let response = match connection.response {
            Some(Ok(response)) => response,
            Some(Err(error)) => {
                skipped.push(format!("connection {id} (failed: {error})"));
                continue;
            }
            None => {
                skipped.push(format!("connection {id} (no response)"));
                continue;
            }
        };
        wires.push(WireExchange {
            method: request.method,
            url: request.uri,
            request_headers: pairs(request.headers),
            request_body: connection.request_body,
            status: response.status,
            response_headers: pairs(response.headers),
            response_body: connection.response_body,
        });
    }
    let (exchanges, facts) = exchanges(&wires);
    let exported = traffic.docs.as_deref().and_then(exported_source);
    let mut note = format!(
        "dvr traffic {} ({} connections, as the recording client kept them)",
        shown_name(path),
        exchanges.len()
    );
    if exported.is_some() {
        note.push_str("; a cjh export, whose docs name the recording's source");
    }
    if !skipped.is_empty() {
        note.push_str(&format!("; skipped: {}", skipped.join(", ")));
    }
    Ok(Draft {
        imported_from: note,
        source: exported.or_else(|| facts.source()),
        endpoint: facts.endpoint.clone(),
        region: facts.region(),
        recorded_at: facts.recorded_at.clone(),
        exchanges,
    })
}

fn pairs(headers: BTreeMap<String, Vec<String>>) -> Vec<(String, String)> {
    headers
        .into_iter()
        .flat_map(|(name, values)| values.into_iter().map(move |v| (name.clone(), v)))
        .collect()
}

/// The source named by the docs `cjh export dvr` writes: `cjh export of recording
/// <scenario> (<source> at <endpoint>, recorded <time>): ...`.
fn exported_source(docs: &str) -> Option<Source> {
    let rest = docs.strip_prefix("cjh export of recording ")?;
    let (_, inside) = rest.split_once(" (")?;
    let (word, _) = inside.split_once(" at ")?;
    match word {
        "aws" => Some(Source::Aws),
        "emulator" => Some(Source::Emulator),
        "url" => Some(Source::Url),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn draft(document: &serde_json::Value) -> Result<Draft, ImportError> {
        static FILES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = FILES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("cjh-dvr-{}-{n}.json", std::process::id()));
        fs_err::write(&path, document.to_string())?;
        let read = read(&path);
        let _ = std::fs::remove_file(&path);
        read
    }

    fn request(id: usize, target: &str) -> serde_json::Value {
        json!({ "connection_id": id, "action": { "Request": { "request": {
            "uri": "https://api.sagemaker.us-east-1.amazonaws.com/",
            "headers": { "x-amz-target": [target] }, "method": "POST" } } } })
    }

    fn data(id: usize, direction: &str, text: &str) -> serde_json::Value {
        json!({ "connection_id": id, "action": { "Data": { "data": { "Utf8": text }, "direction": direction } } })
    }

    fn response(id: usize, status: u16) -> serde_json::Value {
        json!({ "connection_id": id, "action": { "Response": { "response": { "Ok": { "status": status, "headers": {} } } } } })
    }

    #[test]
    fn interleaved_events_are_grouped_by_connection_and_bodies_joined() {
        let document = json!({ "docs": "todo docs", "version": "V0", "events": [
            request(0, "SageMaker.ListCompilationJobs"),
            request(1, "SageMaker.DescribeCompilationJob"),
            data(1, "Request", "{\"CompilationJobName\":"),
            data(0, "Request", "{}"),
            data(1, "Request", "\"a\"}"),
            response(1, 400),
            response(0, 200),
            data(0, "Response", "{\"CompilationJobSummaries\":[]}"),
            request(2, "SageMaker.StopCompilationJob"),
            { "connection_id": 2, "action": { "Response": { "response": { "Err": "timed out" } } } },
        ] });
        let draft = draft(&document).unwrap_or_else(|e| panic!("{e}"));
        let operations: Vec<&str> = draft
            .exchanges
            .iter()
            .map(|e| e.operation.as_str())
            .collect();
        assert_eq!(
            operations,
            ["ListCompilationJobs", "DescribeCompilationJob"]
        );
        assert_eq!(
            draft.exchanges[1].request.body.json(),
            Some(&json!({ "CompilationJobName": "a" }))
        );
        assert_eq!(draft.exchanges[1].response.status, 400);
        assert_eq!(draft.source, Some(Source::Aws));
        assert!(
            draft
                .imported_from
                .contains("connection 2 (failed: timed out)")
        );
    }

    #[test]
    fn a_cjh_export_is_believed_about_its_source_and_bad_events_are_named() {
        assert_eq!(
            exported_source(
                "cjh export of recording a/b (emulator at emulator, recorded 2026-01-01T00:00:00Z): one"
            ),
            Some(Source::Emulator)
        );
        let document =
            json!({ "docs": null, "version": "V0", "events": [data(4, "Request", "x")] });
        let message = match draft(&document) {
            Ok(_) => String::new(),
            Err(error) => error.to_string(),
        };
        assert!(
            message.contains("events[0] (connection 4): an event before the connection's request"),
            "{message}"
        );
        let message = match draft(&json!({ "events": 1 })) {
            Ok(_) => String::new(),
            Err(error) => error.to_string(),
        };
        assert!(
            message.contains("not a dvr NetworkTraffic file"),
            "{message}"
        );
    }
}
