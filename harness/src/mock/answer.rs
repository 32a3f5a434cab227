//! A recorded answer as a wiremock-rs response: the recorded status, headers and body
//! bytes, nothing added.

use http::{HeaderName, HeaderValue, StatusCode};
use serde_json::Value;
use wiremock::{Request, Respond, ResponseTemplate};

use crate::exchange::{Body, Response};

use super::matcher::RecordedRequestMatcher;
use super::unmatched::error_response;

/// Headers never replayed: the server frames the body itself, so a recorded length or
/// transfer coding would contradict the bytes it actually sends.
const FRAMING_HEADERS: &[&str] = &["content-length", "transfer-encoding", "connection"];

/// The response for a recorded answer. `at` names the exchange, for the one case that
/// cannot be replayed: a status that is not an HTTP status (a hand-edited file), which
/// is answered with the mock's own error rather than a panic inside the server.
pub(crate) fn response(recorded: &Response, at: &str) -> ResponseTemplate {
    let Ok(status) = StatusCode::from_u16(recorded.status) else {
        return error_response(&format!(
            "{at} recorded status {}, which is not an HTTP status.",
            recorded.status
        ));
    };
    let mut template = ResponseTemplate::new(status);
    for (name, value) in recorded.headers.iter() {
        if FRAMING_HEADERS.iter().any(|h| name.eq_ignore_ascii_case(h)) {
            continue;
        }
        // A header that cannot be sent (a control character in a hand-edited file) is
        // left out rather than taking the server down.
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            template = template.append_header(name, value);
        }
    }
    template.set_body_bytes(recorded.body.to_bytes())
}

/// A recorded answer under correlation: answering binds the request's correlated names
/// to the recorded ones, and the answer says the application's names (see `rules`).
#[derive(Debug, Clone)]
pub(crate) struct CorrelatedAnswer {
    pub(crate) recorded: Response,
    pub(crate) at: String,
    pub(crate) request: RecordedRequestMatcher,
}

impl Respond for CorrelatedAnswer {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let (Some(rules), Body::Json(recorded)) = (&self.request.correlation, &self.request.body)
        else {
            return response(&self.recorded, &self.at);
        };
        if let Ok(incoming) = serde_json::from_slice::<Value>(&self.request.seen(&request.body)) {
            rules.bind(self.request.target.as_deref(), recorded, &incoming);
        }
        let mut answer = self.recorded.clone();
        if let Body::Json(value) = &mut answer.body {
            rules.rewrite(value);
        }
        response(&answer, &self.at)
    }
}
