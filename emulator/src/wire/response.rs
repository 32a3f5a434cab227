//! Responses in the AWS JSON 1.1 form that botocore and the Rust SDK both read fully
//! (fidelity row F19): `Content-Type: application/x-amz-json-1.1`, an `x-amzn-RequestId`
//! UUID on every response, and errors as `{"__type": code, "Message": text}`.
//!
//! One answer is not JSON: the live view (`GET /_cjh/`) is a page for a browser, so a
//! response carries its content type rather than the server assuming JSON for all.

use serde_json::{Value, json};

use crate::api::ApiError;

/// The content type of every API answer (and of every error).
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// The content type of an HTML page, such as the live view.
pub const HTML_CONTENT_TYPE: &str = "text/html; charset=utf-8";

/// An answer, before it becomes HTTP.
#[derive(Debug, Clone, PartialEq)]
pub struct WireResponse {
    /// HTTP status.
    pub status: u16,
    /// The request id sent in `x-amzn-RequestId`.
    pub request_id: String,
    /// The error code also sent in `X-Amzn-Errortype`, for errors.
    pub error_type: Option<&'static str>,
    /// The `Content-Type` the body is sent with: [`CONTENT_TYPE`] but for HTML pages.
    pub content_type: &'static str,
    /// The body bytes (empty for operations with no output).
    pub body: Vec<u8>,
}

impl WireResponse {
    /// A success: the output shape, or an empty body for operations without one.
    pub fn success(output: Option<&Value>) -> WireResponse {
        WireResponse {
            status: 200,
            request_id: new_request_id(),
            error_type: None,
            content_type: CONTENT_TYPE,
            body: output
                .map(Value::to_string)
                .unwrap_or_default()
                .into_bytes(),
        }
    }

    /// An error answer.
    pub fn error(error: &ApiError) -> WireResponse {
        let body = json!({ "__type": error.code.as_str(), "Message": error.message });
        WireResponse {
            status: error.code.status(),
            request_id: new_request_id(),
            error_type: Some(error.code.as_str()),
            content_type: CONTENT_TYPE,
            body: body.to_string().into_bytes(),
        }
    }

    /// A successful HTML page (`text/html; charset=utf-8`).
    pub fn html(page: String) -> WireResponse {
        WireResponse {
            status: 200,
            request_id: new_request_id(),
            error_type: None,
            content_type: HTML_CONTENT_TYPE,
            body: page.into_bytes(),
        }
    }

    /// The response as a result of a handled call.
    pub fn from_result(result: &Result<Option<Value>, ApiError>) -> WireResponse {
        match result {
            Ok(output) => WireResponse::success(output.as_ref()),
            Err(error) => WireResponse::error(error),
        }
    }
}

fn new_request_id() -> String {
    uuid::Uuid::new_v4().to_string()
}
