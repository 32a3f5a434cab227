//! WireMock stub mappings from recordings (`cjh export wiremock`).
//!
//! Every AWS JSON 1.1 operation is `POST /`, so a stub keys on what tells them apart: the
//! `X-Amz-Target` header (required equal, or required absent when the recorded request
//! had none) and the whole body, matched strictly (`equalToJson` with
//! `ignoreArrayOrder` and `ignoreExtraElements` off). WireMock's own recorder turns both
//! leniencies on, under which a List stub for `{}` would answer every request.
//!
//! **Repeated requests.** A poll sends the same request again and again and gets other
//! answers (STARTING, INPROGRESS, then COMPLETED). Exchanges with the same target and the
//! same body (as JSON meaning, so key order does not matter) form one WireMock scenario:
//! the first occurrence requires state `Started` and moves it to `2`, the second
//! requires `2` and moves it to `3`, and so on, so they are answered in recorded order.
//! The last occurrence moves the state nowhere: **after the last recorded answer, that
//! answer keeps repeating**, as a finished job keeps reading its final status. Each
//! group has its own scenario, so interleaved groups do not disturb each other; reset
//! them all with `POST /__admin/scenarios/reset`.
//!
//! **Stable output.** Stub ids are UUIDs derived from the scenario id and the exchange's
//! index (0-based, as in the recording's `exchanges` array), names say the same in words,
//! and the file for `<area>/<name>` is `mappings/<area>.<name>.json`, so exporting the
//! same recording twice writes the same bytes and a diff shows only what changed.
//!
//! **Several recordings in one server.** WireMock answers a request from one stub, so
//! recordings that send an identical request (the same fixture created under the same
//! run prefix, say) cannot be served together; [`export`] names them, and each file can
//! be loaded on its own instead (`POST /__admin/mappings/import` takes its content).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::exchange::Body;
use crate::recording::{RecordedExchange, Recording};

use super::ExportError;

/// The state every WireMock scenario starts in.
pub const STARTED: &str = "Started";

/// The folder under WireMock's `--root-dir` that it loads stub files from.
pub const MAPPINGS_DIR: &str = "mappings";

/// Where one exchange sits among the requests identical to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Place {
    /// The index of the group's first exchange (names the group).
    first: usize,
    /// 0 for the first occurrence.
    position: usize,
    /// How many occurrences the group has.
    count: usize,
}

/// The stub file of one recording: `{"mappings": [...]}`, one stub per exchange.
pub fn mappings(recording: &Recording) -> Value {
    let places = places(&recording.exchanges);
    let stubs: Vec<Value> = recording
        .exchanges
        .iter()
        .zip(places)
        .enumerate()
        .map(|(index, (exchange, place))| stub(recording, index, exchange, place))
        .collect();
    json!({ "mappings": stubs })
}

/// The stub file's name for a recording: `<area>.<name>.json`.
pub fn file_name(recording: &Recording) -> String {
    format!("{}.json", recording.scenario.replace(['/', '\\'], "."))
}

/// Writes `out/mappings/<area>.<name>.json` for every recording and returns the files
/// written, in the order given.
pub fn write(recordings: &[Recording], out: &Path) -> Result<Vec<PathBuf>, ExportError> {
    let mut seen: Vec<&str> = Vec::new();
    for recording in recordings {
        if seen.contains(&recording.scenario.as_str()) {
            return Err(ExportError::DuplicateScenario {
                scenario: recording.scenario.clone(),
            });
        }
        seen.push(&recording.scenario);
    }
    let dir = out.join(MAPPINGS_DIR);
    fs_err::create_dir_all(&dir)?;
    let mut written = Vec::new();
    for recording in recordings {
        let path = dir.join(file_name(recording));
        let mut text = serde_json::to_string_pretty(&mappings(recording)).unwrap_or_default();
        text.push('\n');
        fs_err::write(&path, text)?;
        written.push(path);
    }
    Ok(written)
}

/// What [`export`] wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WiremockExport {
    /// The stub files, one per recording.
    pub files: Vec<PathBuf>,
    /// The scenarios whose recordings send a request that another recording sends too:
    /// WireMock would answer it from one of them only, so these are served one at a
    /// time.
    pub sharing: Vec<String>,
}

/// Reads a recording file, or every recording under a folder, and writes their stubs.
pub fn export(recording: &Path, out: &Path) -> Result<WiremockExport, ExportError> {
    let recordings = Recording::load_all(recording)?;
    if recordings.is_empty() {
        return Err(ExportError::NoRecordings {
            path: recording.to_owned(),
        });
    }
    Ok(WiremockExport {
        files: write(&recordings, out)?,
        sharing: sharing(&recordings),
    })
}

/// The scenarios of recordings that share an identical request with another one.
pub fn sharing(recordings: &[Recording]) -> Vec<String> {
    let mut owners: BTreeMap<(Option<&str>, String), Vec<&str>> = BTreeMap::new();
    for recording in recordings {
        for exchange in &recording.exchanges {
            let scenarios = owners
                .entry((target(exchange), body_key(&exchange.request.body)))
                .or_default();
            if !scenarios.contains(&recording.scenario.as_str()) {
                scenarios.push(&recording.scenario);
            }
        }
    }
    let mut shared: Vec<String> = owners
        .into_values()
        .filter(|scenarios| scenarios.len() > 1)
        .flatten()
        .map(str::to_owned)
        .collect();
    shared.sort();
    shared.dedup();
    shared
}

/// Each exchange's place among the exchanges with the same target and body.
fn places(exchanges: &[RecordedExchange]) -> Vec<Place> {
    let mut groups: BTreeMap<(Option<&str>, String), Vec<usize>> = BTreeMap::new();
    for (index, exchange) in exchanges.iter().enumerate() {
        groups
            .entry((target(exchange), body_key(&exchange.request.body)))
            .or_default()
            .push(index);
    }
    let mut places = vec![
        Place {
            first: 0,
            position: 0,
            count: 1,
        };
        exchanges.len()
    ];
    for members in groups.values() {
        let first = members.first().copied().unwrap_or_default();
        for (position, &index) in members.iter().enumerate() {
            if let Some(place) = places.get_mut(index) {
                *place = Place {
                    first,
                    position,
                    count: members.len(),
                };
            }
        }
    }
    places
}

fn target(exchange: &RecordedExchange) -> Option<&str> {
    exchange.request.target()
}

/// What makes two request bodies the same to a strict `equalToJson`: the JSON with its
/// keys sorted (array order kept), or the text or bytes.
fn body_key(body: &Body) -> String {
    body.key()
}

/// A UUID that depends only on the scenario and the exchange's index.
fn stub_id(scenario: &str, index: usize) -> String {
    let digest = Sha256::digest(format!("cjh wiremock stub\n{scenario}\n{index}").as_bytes());
    let mut bytes = [0_u8; 16];
    for (byte, from) in bytes.iter_mut().zip(digest.iter()) {
        *byte = *from;
    }
    uuid::Builder::from_custom_bytes(bytes)
        .into_uuid()
        .to_string()
}

/// The state occurrence `position` (0-based) of a group requires.
fn state(position: usize) -> String {
    if position == 0 {
        STARTED.to_owned()
    } else {
        (position + 1).to_string()
    }
}

fn stub(recording: &Recording, index: usize, exchange: &RecordedExchange, place: Place) -> Value {
    let operation = if exchange.operation.is_empty() {
        "(no X-Amz-Target)"
    } else {
        exchange.operation.as_str()
    };
    let mut stub = Map::new();
    stub.insert("id".to_owned(), json!(stub_id(&recording.scenario, index)));
    stub.insert(
        "name".to_owned(),
        json!(format!(
            "{} exchange {index} {operation}",
            recording.scenario
        )),
    );
    stub.insert("request".to_owned(), request_pattern(exchange));
    stub.insert("response".to_owned(), response(exchange));
    if place.count > 1 {
        stub.insert(
            "scenarioName".to_owned(),
            json!(format!(
                "{} exchange {} {operation} repeated",
                recording.scenario, place.first
            )),
        );
        stub.insert(
            "requiredScenarioState".to_owned(),
            json!(state(place.position)),
        );
        if place.position + 1 < place.count {
            stub.insert(
                "newScenarioState".to_owned(),
                json!(state(place.position + 1)),
            );
        }
    }
    Value::Object(stub)
}

fn request_pattern(exchange: &RecordedExchange) -> Value {
    let target = match target(exchange) {
        Some(target) => json!({ "equalTo": target }),
        None => json!({ "absent": true }),
    };
    let body = &exchange.request.body;
    let body_pattern = match body {
        Body::Json(value) => json!({
            "equalToJson": value,
            "ignoreArrayOrder": false,
            "ignoreExtraElements": false,
        }),
        Body::Text(text) => json!({ "equalTo": text }),
        Body::Base64(bytes) => json!({ "binaryEqualTo": STANDARD.encode(bytes) }),
        Body::Empty => json!({ "equalTo": "" }),
    };
    json!({
        "method": exchange.request.method,
        "url": exchange.request.path,
        "headers": { "X-Amz-Target": target },
        "bodyPatterns": [body_pattern],
    })
}

/// Recorded header names are lower case; answers carry AWS's spelling.
fn header_name(recorded: &str) -> &str {
    match recorded {
        "content-type" => "Content-Type",
        "x-amzn-requestid" => "x-amzn-RequestId",
        "x-amzn-errortype" => "X-Amzn-Errortype",
        "date" => "Date",
        other => other,
    }
}

fn response(exchange: &RecordedExchange) -> Value {
    let headers: Map<String, Value> = exchange
        .response
        .headers
        .iter()
        .map(|(name, value)| (header_name(name).to_owned(), json!(value)))
        .collect();
    let mut response = Map::new();
    response.insert("status".to_owned(), json!(exchange.response.status));
    response.insert("headers".to_owned(), Value::Object(headers));
    match &exchange.response.body {
        Body::Empty => {}
        Body::Base64(bytes) => {
            response.insert("base64Body".to_owned(), json!(STANDARD.encode(bytes)));
        }
        body @ (Body::Json(_) | Body::Text(_)) => {
            let text = String::from_utf8_lossy(&body.to_bytes()).into_owned();
            response.insert("body".to_owned(), json!(text));
        }
    }
    Value::Object(response)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::sample::{exchange, recording};
    use super::*;

    fn stubs(recording: &Recording) -> Vec<Value> {
        mappings(recording)["mappings"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    #[test]
    fn a_stub_matches_the_target_and_the_whole_body_strictly() {
        let recording = recording(vec![exchange(
            "DescribeCompilationJob",
            json!({ "CompilationJobName": "a" }),
            200,
            json!({ "CompilationJobStatus": "STARTING" }),
        )]);
        let stub = &stubs(&recording)[0];
        assert_eq!(
            stub["request"],
            json!({
                "method": "POST",
                "url": "/",
                "headers": { "X-Amz-Target": { "equalTo": "SageMaker.DescribeCompilationJob" } },
                "bodyPatterns": [{
                    "equalToJson": { "CompilationJobName": "a" },
                    "ignoreArrayOrder": false,
                    "ignoreExtraElements": false,
                }],
            })
        );
        assert_eq!(stub["response"]["status"], 200);
        assert_eq!(
            stub["response"]["headers"],
            json!({ "Content-Type": "application/x-amz-json-1.1", "x-amzn-RequestId": "rid-DescribeCompilationJob" })
        );
        assert_eq!(
            stub["response"]["body"],
            "{\"CompilationJobStatus\":\"STARTING\"}"
        );
        assert!(stub.get("scenarioName").is_none());
    }

    #[test]
    fn repeated_requests_are_answered_in_order_and_the_last_answer_repeats() {
        let poll = |status: &str| {
            exchange(
                "DescribeCompilationJob",
                json!({ "CompilationJobName": "a", "x": [1, 2] }),
                200,
                json!({ "CompilationJobStatus": status }),
            )
        };
        let mut reordered = poll("COMPLETED");
        reordered.request.body = Body::Json(json!({ "x": [1, 2], "CompilationJobName": "a" }));
        let other = exchange(
            "DescribeCompilationJob",
            json!({ "CompilationJobName": "b" }),
            200,
            json!({}),
        );
        let recording = recording(vec![poll("STARTING"), other, poll("INPROGRESS"), reordered]);
        let stubs = stubs(&recording);
        let states: Vec<(Value, Value, Value)> = stubs
            .iter()
            .map(|s| {
                (
                    s["scenarioName"].clone(),
                    s["requiredScenarioState"].clone(),
                    s["newScenarioState"].clone(),
                )
            })
            .collect();
        let name = json!("area/name exchange 0 DescribeCompilationJob repeated");
        assert_eq!(
            states,
            vec![
                (name.clone(), json!("Started"), json!("2")),
                (Value::Null, Value::Null, Value::Null),
                (name.clone(), json!("2"), json!("3")),
                (name, json!("3"), Value::Null),
            ]
        );
    }

    #[test]
    fn text_bodies_match_exactly_and_a_missing_target_must_stay_missing() {
        let mut garbled = exchange(
            "",
            json!(null),
            400,
            json!({ "__type": "UnknownOperationException" }),
        );
        garbled.request.headers.remove("x-amz-target");
        garbled.request.body = Body::from_bytes(b"{not json");
        let stub = &stubs(&recording(vec![garbled]))[0];
        assert_eq!(
            stub["request"]["headers"]["X-Amz-Target"],
            json!({ "absent": true })
        );
        assert_eq!(
            stub["request"]["bodyPatterns"],
            json!([{ "equalTo": "{not json" }])
        );
        assert_eq!(stub["name"], "area/name exchange 0 (no X-Amz-Target)");
    }

    #[test]
    fn exports_are_deterministic_and_ids_are_distinct_uuids() {
        let one = exchange("ListCompilationJobs", json!({}), 200, json!({}));
        let recording = recording(vec![one.clone(), one]);
        assert_eq!(mappings(&recording), mappings(&recording));
        let ids: Vec<String> = stubs(&recording)
            .iter()
            .map(|s| s["id"].as_str().unwrap_or_default().to_owned())
            .collect();
        assert_ne!(ids[0], ids[1]);
        for id in &ids {
            assert!(uuid::Uuid::parse_str(id).is_ok(), "{id} is not a UUID");
        }
        assert_eq!(file_name(&recording), "area.name.json");
    }

    #[test]
    fn recordings_that_send_the_same_request_are_named() {
        let create =
            |name: &str| exchange("CreateCompilationJob", json!({ "N": name }), 200, json!({}));
        let mut first = recording(vec![create("a")]);
        first.scenario = "area/first".to_owned();
        let mut second = recording(vec![create("b"), create("a")]);
        second.scenario = "area/second".to_owned();
        let mut third = recording(vec![create("c")]);
        third.scenario = "area/third".to_owned();
        assert_eq!(
            sharing(&[first, second, third]),
            ["area/first", "area/second"]
        );
    }

    #[test]
    fn two_recordings_of_one_scenario_are_refused() {
        let recording = recording(Vec::new());
        let out = std::env::temp_dir().join(format!("cjh-wiremock-dup-{}", std::process::id()));
        let result = write(&[recording.clone(), recording], &out);
        assert!(matches!(result, Err(ExportError::DuplicateScenario { .. })));
    }
}
