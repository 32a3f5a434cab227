//! The request path short of HTTP: decode with [`crate::wire`], answer with the
//! [`Service`], encode the reply. The server, the in-process calls and the tests all go
//! through this code, so it sits above both the wire and the service.

use crate::service::{CallContext, Service};
use crate::wire::{RequestHeaders, WireResponse, operation_of, parse_body, region_of};

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
