//! AWS JSON 1.1: routing by `X-Amz-Target`, body parsing, the region from the credential
//! scope, and the response form with request ids and error bodies.
//!
//! `dispatch` is the whole request path short of HTTP itself, so the server, the
//! in-process calls and the tests all go through the same code.

mod body;
mod media;
mod response;
mod scope;
mod target;

pub use body::parse_body;
pub use media::check_content_type;
pub use response::{CONTENT_TYPE, WireResponse};
pub use scope::region_of;
pub use target::{TARGET_PREFIX, operation_of};

use crate::emulator::{CallContext, Service};

/// The request headers the API path reads.
#[derive(Debug, Clone, Copy, Default)]
pub struct RequestHeaders<'a> {
    /// `X-Amz-Target`.
    pub target: Option<&'a str>,
    /// `Authorization`.
    pub authorization: Option<&'a str>,
}

/// Answers one AWS JSON 1.1 request to `service`, taking the region from the credential
/// scope unchecked and the account from the settings (no authentication).
pub fn dispatch(service: &Service, headers: RequestHeaders<'_>, body: &[u8]) -> WireResponse {
    let context = CallContext {
        region: region_of(headers.authorization),
        account: None,
    };
    dispatch_as(service, &context, headers.target, body)
}

/// Answers one AWS JSON 1.1 request for a caller already identified, such as one whose
/// SigV4 signature was verified; `target` is the `X-Amz-Target` header.
pub fn dispatch_as(
    service: &Service,
    context: &CallContext,
    target: Option<&str>,
    body: &[u8],
) -> WireResponse {
    let result = operation_of(target).and_then(|operation| {
        let value = parse_body(body)?;
        service.handle(context, operation, &value)
    });
    WireResponse::from_result(&result)
}
