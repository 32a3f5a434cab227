//! The headers a recording keeps: the few that matter for replay and timing, never a
//! credential. Everything else a target sent or answered (the signature, the security
//! token, the SDK's user agent, cookies, framing) is dropped before anything is written,
//! whatever the caller did first, so no path to a file can leak one.

use super::format::RecordedExchange;
use crate::exchange::{Body, Exchange};

/// Request headers kept: the content type, the operation and the signing time.
pub const REQUEST_HEADERS: &[&str] = &["content-type", "x-amz-target", "x-amz-date"];

/// Response headers kept: the content type, the request id and the server's time.
pub const RESPONSE_HEADERS: &[&str] = &["content-type", "x-amzn-requestid", "date"];

/// Drops every header a recording does not keep, on both sides of `exchange`: the one
/// filter the recording target, the scrubber and the writer all apply.
pub(crate) fn keep_headers(exchange: &mut RecordedExchange) {
    let request = &mut exchange.request.headers;
    request.retain(|name, _| REQUEST_HEADERS.contains(&name));
    let response = &mut exchange.response.headers;
    response.retain(|name, _| RESPONSE_HEADERS.contains(&name));
}

impl From<Exchange> for RecordedExchange {
    /// The exchange as a recording keeps it: named by operation, only the kept
    /// headers, and the request body classified from the bytes sent (a raw text body
    /// that happens to be JSON is recorded, and matched, as JSON).
    fn from(exchange: Exchange) -> RecordedExchange {
        let Exchange {
            mut request,
            response,
        } = exchange;
        request.body = Body::from_bytes(&request.body.to_bytes());
        let mut recorded = RecordedExchange {
            operation: request.operation(),
            request,
            response,
            reconstructed: false,
            sent_at: None,
        };
        keep_headers(&mut recorded);
        recorded
    }
}
