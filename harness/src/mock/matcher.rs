//! What makes an incoming request "the recorded one": `POST /`, the same `X-Amz-Target`
//! (or none when none was recorded) and the same body.
//!
//! The incoming body is scrubbed first, as the recording was (see `incoming`). Every
//! other header is ignored. The ones that change from call to call for the same
//! request (authorization, x-amz-date, x-amz-security-token, x-amz-content-sha256,
//! user-agent, amz-sdk-*, host, content-length) would otherwise make a recording useless
//! the moment a client signs again, and the rest (content-type) say nothing the target
//! and body do not.

use http::Method;
use wiremock::{Match, Request};

use serde_json::Value;

use super::correlate::Correlation;
use super::incoming::IncomingScrub;
use crate::exchange::{self, Body};

pub(crate) use crate::exchange::TARGET_HEADER;

/// A recorded request as a wiremock-rs matcher.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RecordedRequestMatcher {
    /// The `X-Amz-Target` value, or `None` when the request had none.
    pub(crate) target: Option<String>,
    /// The body: equal JSON, or the same text or bytes (see [`Body::accepts`]).
    pub(crate) body: Body,
    /// Scrubs the incoming body first, as the recording was; `None` for a recording
    /// that was not scrubbed (made by hand), whose requests are matched as they come.
    pub(crate) incoming: Option<IncomingScrub>,
    /// The rules file's matching (correlated, ignored, pattern members); `None` when
    /// every member is matched exactly.
    pub(crate) correlation: Option<Correlation>,
}

impl RecordedRequestMatcher {
    /// The matcher for a recorded request.
    pub(crate) fn of(
        request: &exchange::Request,
        incoming: Option<&IncomingScrub>,
    ) -> RecordedRequestMatcher {
        RecordedRequestMatcher {
            target: request.target().map(str::to_owned),
            body: request.body.clone(),
            incoming: incoming.cloned(),
            correlation: None,
        }
    }

    /// The same matcher under a rules file's matching.
    pub(crate) fn under(mut self, correlation: Option<&Correlation>) -> RecordedRequestMatcher {
        self.correlation = correlation.cloned();
        self
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

impl RecordedRequestMatcher {
    /// Whether an incoming body is the recorded one, scrubbed first when the recording was.
    pub(crate) fn accepts_body(&self, body: &[u8]) -> bool {
        let seen = self.seen(body);
        match (&self.correlation, &self.body) {
            (Some(rules), Body::Json(recorded)) => serde_json::from_slice::<Value>(&seen)
                .is_ok_and(|incoming| rules.accepts(self.target.as_deref(), recorded, &incoming)),
            _ => self.body.accepts(&seen),
        }
    }

    /// The incoming body as this matcher compares it.
    pub(crate) fn seen(&self, body: &[u8]) -> Vec<u8> {
        match &self.incoming {
            Some(incoming) => incoming.body(body),
            None => body.to_vec(),
        }
    }
}

impl Match for RecordedRequestMatcher {
    fn matches(&self, request: &Request) -> bool {
        // Cheapest first: the body is parsed only for requests of the same operation.
        is_aws_json_call(request)
            && target_of(request) == self.target
            && self.accepts_body(&request.body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_differ_for_a_request_with_a_target_and_one_without() {
        let incoming = IncomingScrub::new();
        let with = RecordedRequestMatcher {
            target: Some("SageMaker.X".to_owned()),
            body: Body::Empty,
            incoming: Some(incoming.clone()),
            correlation: None,
        };
        let without = RecordedRequestMatcher {
            target: None,
            body: Body::Empty,
            incoming: Some(incoming),
            correlation: None,
        };
        assert_ne!(with.key(), without.key());
    }
}
