//! The answer to a request no recording holds: an AWS JSON 1.1 error that names the
//! closest recorded requests and how each differs, so a failing test says what to
//! re-record or fix instead of showing an empty 404 (wiremock-rs's default).
//!
//! The status is 404: SageMaker answers every client error of these operations with 400,
//! so a 404 can never be mistaken for a recorded answer, and it is what WireMock and
//! wiremock-rs answer for an unmatched request, so it reads as "no stub" to anyone who has
//! used them. It is a 4xx, so no SDK retries it, and the body is JSON 1.1, so every SDK
//! surfaces `__type` as the error code and `message` as its message.

use std::sync::Arc;

use serde_json::{Value, json};
use wiremock::{Request, Respond, ResponseTemplate};

use cjh_emulator::CONTENT_TYPE;

use super::diff::{cut, differences};
use crate::exchange::Body;

use super::matcher::{RecordedRequestMatcher, is_aws_json_call, target_of};

/// The `__type` of the answer to an unrecorded request.
pub const UNRECORDED_ERROR: &str = "UnrecordedRequestException";

/// Its HTTP status (why 404: see the module documentation).
pub const UNRECORDED_STATUS: u16 = 404;

/// How many recorded requests a message names.
const CLOSEST: usize = 3;
/// How many differences are listed for one of them.
const DIFFERENCES_SHOWN: usize = 5;

/// A distinct recorded request, as offered to explain a miss.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    /// The scenario of the recording it is first in.
    pub(crate) scenario: String,
    /// Its first position in that recording's `exchanges`.
    pub(crate) index: usize,
    /// The operation the recording names.
    pub(crate) operation: String,
    /// How many times it was recorded (across all recordings served).
    pub(crate) times: usize,
    /// What it matches.
    pub(crate) request: RecordedRequestMatcher,
}

impl Candidate {
    fn name(&self) -> String {
        let operation = if self.operation.is_empty() {
            "no X-Amz-Target"
        } else {
            &self.operation
        };
        let times = if self.times > 1 {
            format!(", recorded {} times", self.times)
        } else {
            String::new()
        };
        format!(
            "{} exchanges[{}] ({operation}{times})",
            self.scenario, self.index
        )
    }
}

/// The catch-all responder, mounted last at the lowest priority.
#[derive(Debug, Clone)]
pub(crate) struct Unmatched {
    candidates: Arc<[Candidate]>,
}

impl Unmatched {
    /// A responder that explains misses against these recorded requests.
    pub(crate) fn new(candidates: Vec<Candidate>) -> Unmatched {
        Unmatched {
            candidates: candidates.into(),
        }
    }

    /// The message for a request: what it was, then the closest recorded requests.
    pub(crate) fn message(&self, request: &Request) -> String {
        let target = target_of(request);
        let mut message = if !is_aws_json_call(request) {
            format!(
                "No recorded request matches {} {}: recordings hold only POST / requests.",
                request.method,
                request.url.path()
            )
        } else {
            match &target {
                Some(t) => format!("No recorded request matches this {} request.", cut(t)),
                None => "No recorded request matches this request without X-Amz-Target.".to_owned(),
            }
        };
        if self.candidates.is_empty() {
            message.push_str(" Nothing is recorded.");
            return message;
        }
        let mut ranked: Vec<(bool, usize, usize, Vec<String>)> = self
            .candidates
            .iter()
            .enumerate()
            .map(|(position, candidate)| {
                let same_operation = candidate.request.target == target;
                let seen = candidate.request.seen(&request.body);
                let body = body_differences(&candidate.request.body, &seen);
                let weight = body.len();
                let found = if same_operation {
                    body
                } else {
                    vec![format!(
                        "other operation: recorded {}, got {}",
                        shown_target(candidate.request.target.as_deref()),
                        shown_target(target.as_deref())
                    )]
                };
                (!same_operation, weight, position, found)
            })
            .collect();
        ranked.sort_by_key(|(other, weight, position, _)| (*other, *weight, *position));
        message.push_str(" Closest recorded requests:");
        for (_, _, position, found) in ranked.into_iter().take(CLOSEST) {
            let candidate = &self.candidates[position];
            let mut shown: Vec<String> = found.iter().take(DIFFERENCES_SHOWN).cloned().collect();
            if found.len() > DIFFERENCES_SHOWN {
                shown.push(format!("and {} more", found.len() - DIFFERENCES_SHOWN));
            }
            if shown.is_empty() {
                shown.push("same X-Amz-Target and body".to_owned());
            }
            message.push_str(&format!("\n- {}: {}", candidate.name(), shown.join("; ")));
        }
        message
    }
}

fn shown_target(target: Option<&str>) -> String {
    target.map_or_else(|| "no X-Amz-Target".to_owned(), cut)
}

/// How a received body differs from a recorded one, in words.
fn body_differences(recorded: &Body, got: &[u8]) -> Vec<String> {
    if recorded.accepts(got) {
        return Vec::new();
    }
    let got_text = String::from_utf8_lossy(got);
    let got_shown = if got.is_empty() {
        "an empty body".to_owned()
    } else {
        match serde_json::from_slice::<Value>(got) {
            Ok(value) => format!("JSON {}", cut(&value.to_string())),
            Err(_) => format!("text {}", Value::from(cut(&got_text))),
        }
    };
    match recorded {
        Body::Json(value) => match serde_json::from_slice::<Value>(got) {
            Ok(got) => differences(value, &got)
                .iter()
                .map(ToString::to_string)
                .collect(),
            Err(_) => vec![format!("body: recorded JSON, got {got_shown}")],
        },
        Body::Text(text) => vec![format!(
            "body: recorded text {}, got {got_shown}",
            Value::from(cut(text))
        )],
        Body::Base64(bytes) => vec![format!(
            "body: recorded {} bytes that are not UTF-8, got {got_shown}",
            bytes.len()
        )],
        Body::Empty => vec![format!("body: recorded an empty body, got {got_shown}")],
    }
}

impl Respond for Unmatched {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        error_response(&self.message(request))
    }
}

/// The mock's own error, shaped as AWS JSON 1.1 errors are: `__type` and `message` in a
/// JSON body, the JSON 1.1 content type, a fresh request id, and the code again in
/// `x-amzn-ErrorType`.
pub(crate) fn error_response(message: &str) -> ResponseTemplate {
    let body = json!({ "__type": UNRECORDED_ERROR, "message": message });
    ResponseTemplate::new(UNRECORDED_STATUS)
        .insert_header(http::header::CONTENT_TYPE, CONTENT_TYPE)
        .insert_header(
            "x-amzn-RequestId",
            uuid::Uuid::new_v4().hyphenated().to_string().as_str(),
        )
        .insert_header("x-amzn-ErrorType", UNRECORDED_ERROR)
        .set_body_bytes(body.to_string().into_bytes())
}
