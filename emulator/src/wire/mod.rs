//! AWS JSON 1.1: routing by `X-Amz-Target`, body parsing, the region from the credential
//! scope, and the response form with request ids and error bodies.
//!
//! It decodes and encodes only: the composition of decode, service and encode is
//! `server::dispatch`, one layer up.

mod body;
mod media;
mod response;
mod scope;
mod target;

pub(crate) use body::parse_body;
pub(crate) use media::check_content_type;
pub use response::{CONTENT_TYPE, HTML_CONTENT_TYPE, WireResponse};
pub(crate) use scope::region_of;
pub use target::TARGET_PREFIX;
pub(crate) use target::{api_of, operation_of};

/// The request headers the API path reads.
#[derive(Debug, Clone, Copy, Default)]
pub struct RequestHeaders<'a> {
    /// `X-Amz-Target`.
    pub target: Option<&'a str>,
    /// `Authorization`.
    pub authorization: Option<&'a str>,
}
