//! What makes an incoming request "the recorded one": `POST /`, the same `X-Amz-Target`
//! (or none when none was recorded) and the same body.
//!
//! Every other header is ignored. The ones that change from call to call for the same
//! request (authorization, x-amz-date, x-amz-security-token, x-amz-content-sha256,
//! user-agent, amz-sdk-*, host, content-length) would otherwise make a recording useless
//! the moment a client signs again, and the rest (content-type) say nothing the target
//! and body do not.

use http::Method;
use serde_json::Value;
use wiremock::{Match, Request};

use crate::recording::{RecordedBody, RecordedRequest};

/// The header that names the operation.
pub(crate) const TARGET_HEADER: &str = "x-amz-target";

/// The body a recorded request had, as it is compared.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ExpectedBody {
    /// JSON: any body that parses to an equal value matches (member order and spacing
    /// are free, as they are to a JSON reader).
    Json(Value),
    /// Not JSON: only the same text matches.
    Text(String),
    /// No body: only an empty one matches.
    Empty,
}

impl ExpectedBody {
    /// The comparison a recorded body calls for.
    pub(crate) fn of(body: &RecordedBody) -> ExpectedBody {
        match (&body.body, &body.body_text) {
            (Some(value), _) => ExpectedBody::Json(value.clone()),
            (None, Some(text)) => ExpectedBody::Text(text.clone()),
            (None, None) => ExpectedBody::Empty,
        }
    }

    /// Whether `bytes` is this body.
    pub(crate) fn accepts(&self, bytes: &[u8]) -> bool {
        match self {
            ExpectedBody::Json(value) => {
                serde_json::from_slice::<Value>(bytes).is_ok_and(|got| got == *value)
            }
            // Compared as the recorder kept it: lossy UTF-8.
            ExpectedBody::Text(text) => String::from_utf8_lossy(bytes) == text.as_str(),
            ExpectedBody::Empty => bytes.is_empty(),
        }
    }

    /// A key equal for equal bodies (JSON with members sorted), to group identical
    /// requests without comparing every pair.
    pub(crate) fn key(&self) -> String {
        match self {
            ExpectedBody::Json(value) => {
                format!("json:{}", crate::recording::canonical_json(value))
            }
            ExpectedBody::Text(text) => format!("text:{text}"),
            ExpectedBody::Empty => "empty".to_owned(),
        }
    }
}

/// A recorded request as a wiremock-rs matcher.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RecordedRequestMatcher {
    /// The `X-Amz-Target` value, or `None` when the request had none.
    pub(crate) target: Option<String>,
    /// The body.
    pub(crate) body: ExpectedBody,
}

impl RecordedRequestMatcher {
    /// The matcher for a recorded request.
    pub(crate) fn of(request: &RecordedRequest) -> RecordedRequestMatcher {
        let target = request
            .headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(TARGET_HEADER))
            .map(|(_, value)| value.clone());
        RecordedRequestMatcher {
            target,
            body: ExpectedBody::of(&request.body),
        }
    }

    /// A key equal exactly for matchers that accept the same requests.
    pub(crate) fn key(&self) -> String {
        match &self.target {
            Some(target) => format!("target:{target}\n{}", self.body.key()),
            None => format!("no target\n{}", self.body.key()),
        }
    }
}

/// The `X-Amz-Target` a request carries, if any.
pub(crate) fn target_of(request: &Request) -> Option<String> {
    request
        .headers
        .get(TARGET_HEADER)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
}

/// Whether the request is one a recording can hold: `POST /`.
pub(crate) fn is_aws_json_call(request: &Request) -> bool {
    request.method == Method::POST && request.url.path() == "/"
}

impl Match for RecordedRequestMatcher {
    fn matches(&self, request: &Request) -> bool {
        // Cheapest first: the body is parsed only for requests of the same operation.
        is_aws_json_call(request)
            && target_of(request) == self.target
            && self.body.accepts(&request.body)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_json_body_matches_any_spelling_of_the_same_value() {
        let body = ExpectedBody::Json(json!({"A": 1, "B": [true, null]}));
        assert!(body.accepts(br#"{ "B": [true, null], "A": 1 }"#));
        assert!(!body.accepts(br#"{"A": 2, "B": [true, null]}"#));
        assert!(!body.accepts(b""));
        assert!(!body.accepts(b"not json"));
    }

    #[test]
    fn a_text_body_matches_only_the_same_text_and_an_empty_one_only_nothing() {
        let text = ExpectedBody::Text("{not json".to_owned());
        assert!(text.accepts(b"{not json"));
        assert!(!text.accepts(b"{not json "));
        assert!(ExpectedBody::Empty.accepts(b""));
        assert!(!ExpectedBody::Empty.accepts(b"{}"));
    }

    #[test]
    fn keys_are_equal_exactly_for_equal_requests() {
        let a = ExpectedBody::Json(json!({"A": 1, "B": {"C": 2, "D": 3}}));
        let b = ExpectedBody::Json(json!({"B": {"D": 3, "C": 2}, "A": 1}));
        assert_eq!(a.key(), b.key());
        assert_ne!(a.key(), ExpectedBody::Json(json!({"A": "1"})).key());
        assert_ne!(
            ExpectedBody::Text("{}".to_owned()).key(),
            ExpectedBody::Json(json!({})).key()
        );
        let with = RecordedRequestMatcher {
            target: Some("SageMaker.X".to_owned()),
            body: ExpectedBody::Empty,
        };
        let without = RecordedRequestMatcher {
            target: None,
            body: ExpectedBody::Empty,
        };
        assert_ne!(with.key(), without.key());
    }
}
