//! The request's `Content-Type`: AWS JSON 1.1 requests carry
//! `application/x-amz-json-1.1`, and AWS refuses others.
//!
//! Real services answer a request with another media type as an unknown operation (a
//! Kinesis request sent as `application/octet-stream` gets `UnknownOperationException`),
//! since the protocol, and so the operation, is chosen by the media type. Parameters such
//! as `; charset=utf-8` are ignored, as Smithy's protocol tests require of servers, and
//! media types compare without regard to case (RFC 9110). A header sent more than once
//! arrives joined with commas and so matches nothing.

use crate::api::{ApiError, ErrorCode};

use super::CONTENT_TYPE;

/// Checks the `Content-Type` header of an AWS API request (`None` when it is missing).
pub(crate) fn check_content_type(value: Option<&str>) -> Result<(), ApiError> {
    let refuse = |message: String| ApiError::new(ErrorCode::UnknownOperationException, message);
    let Some(value) = value else {
        return Err(refuse(format!(
            "Missing Content-Type header; AWS JSON 1.1 requests carry {CONTENT_TYPE}."
        )));
    };
    let media_type = value.split(';').next().unwrap_or_default().trim();
    if media_type.eq_ignore_ascii_case(CONTENT_TYPE) {
        return Ok(());
    }
    // The header is echoed in the message; a hostile one may be long.
    let shown: String = value.chars().take(MAX_SHOWN_CHARS).collect();
    let cut = if shown.len() < value.len() { "..." } else { "" };
    Err(refuse(format!(
        "Unsupported Content-Type '{shown}{cut}'; AWS JSON 1.1 requests carry {CONTENT_TYPE}."
    )))
}

/// How much of a refused header value a message repeats.
const MAX_SHOWN_CHARS: usize = 128;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_json_1_1_media_type_passes_with_parameters_and_in_any_case() {
        for value in [
            "application/x-amz-json-1.1",
            "application/x-amz-json-1.1; charset=utf-8",
            "Application/X-Amz-Json-1.1",
            " application/x-amz-json-1.1 ;",
        ] {
            assert_eq!(check_content_type(Some(value)), Ok(()), "{value}");
        }
    }

    #[test]
    fn other_missing_or_repeated_media_types_are_unknown_operations() {
        for value in [
            None,
            Some(""),
            Some("application/json"),
            Some("application/x-amz-json-1.0"),
            Some("text/plain"),
            Some("application/x-amz-json-1.1, application/json"),
        ] {
            let code = check_content_type(value).err().map(|e| e.code);
            assert_eq!(
                code,
                Some(ErrorCode::UnknownOperationException),
                "{value:?}"
            );
        }
    }

    #[test]
    fn a_long_header_is_cut_in_the_message() {
        let long = "x".repeat(10_000);
        let message = check_content_type(Some(&long))
            .err()
            .map(|e| e.message)
            .unwrap_or_default();
        assert!(message.len() < 300, "{}", message.len());
        assert!(message.contains("...'"), "{message}");
    }
}
