//! A request, its answer, and the two together.

use serde::{Deserialize, Serialize};

use super::{Body, Headers};

/// The header that names an AWS JSON 1.1 operation.
pub const TARGET_HEADER: &str = "x-amz-target";

/// A request: method, path, headers and body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    /// `POST` for every AWS JSON 1.1 call.
    pub method: String,
    /// `/` for every AWS JSON 1.1 call.
    pub path: String,
    /// The headers.
    #[serde(default)]
    pub headers: Headers,
    /// The body (absent in files when empty).
    #[serde(default, skip_serializing_if = "Body::is_empty")]
    pub body: Body,
}

impl Request {
    /// An AWS JSON 1.1 call: `POST /` with the JSON 1.1 content type and `target` as
    /// `X-Amz-Target` (none when `None`, which a scenario may ask for on purpose).
    pub fn aws_json(target: Option<&str>, body: Body) -> Request {
        let mut headers = Headers::new().with("content-type", cjh_emulator::CONTENT_TYPE);
        if let Some(target) = target {
            headers.insert(TARGET_HEADER, target);
        }
        Request {
            method: "POST".to_owned(),
            path: "/".to_owned(),
            headers,
            body,
        }
    }

    /// The `X-Amz-Target` header, if any.
    pub fn target(&self) -> Option<&str> {
        self.headers.get(TARGET_HEADER).map(String::as_str)
    }

    /// The operation the `X-Amz-Target` names (`SageMaker.X` names `X`), empty for
    /// none.
    pub fn operation(&self) -> String {
        self.target()
            .map(|t| t.rsplit('.').next().unwrap_or(t).to_owned())
            .unwrap_or_default()
    }
}

/// An answer: status, headers and body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Response {
    /// The HTTP status.
    pub status: u16,
    /// The headers.
    #[serde(default)]
    pub headers: Headers,
    /// The body (absent in files when empty).
    #[serde(default, skip_serializing_if = "Body::is_empty")]
    pub body: Body,
}

impl Response {
    /// The `x-amzn-RequestId` header, if any.
    pub fn request_id(&self) -> Option<&str> {
        self.headers.get("x-amzn-requestid").map(String::as_str)
    }
}

/// A request as it was actually sent (every header the target put on the wire or
/// passed in) and the answer as received: what a recorder keeps, so nothing in a
/// recording is invented after the fact.
#[derive(Debug, Clone, PartialEq)]
pub struct Exchange {
    /// What was sent.
    pub request: Request,
    /// What came back.
    pub response: Response,
}
