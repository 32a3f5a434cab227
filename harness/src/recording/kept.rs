//! The headers a recording keeps: the few that matter for replay and timing, never a
//! credential. Everything else a target sent or answered (the signature, the security
//! token, the SDK's user agent, cookies, framing) is dropped before anything is written,
//! whatever the caller did first, so no path to a file can leak one.

use super::format::RecordedExchange;

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
