//! The headers a recording keeps: the few that matter for replay and timing, never a
//! credential. Everything else a target sent or answered (the signature, the security
//! token, the SDK's user agent, cookies, framing) is dropped before anything is written,
//! whatever the caller did first, so no path to a file can leak one.

use crate::exchange::Headers;

/// Request headers kept: the content type, the operation and the signing time.
pub const REQUEST_HEADERS: &[&str] = &["content-type", "x-amz-target", "x-amz-date"];

/// Response headers kept: the content type, the request id and the server's time.
pub const RESPONSE_HEADERS: &[&str] = &["content-type", "x-amzn-requestid", "date"];

/// `headers` with only the names in `keep`.
pub(crate) fn kept(headers: &Headers, keep: &[&str]) -> Headers {
    let mut kept = headers.clone();
    kept.retain(|name, _| keep.contains(&name));
    kept
}
