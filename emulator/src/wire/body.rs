//! Request bodies: bytes to a JSON value, with AWS-shaped errors for what cannot be read.

use serde_json::{Map, Value};

use crate::api::ApiError;

/// Reads a request body. An empty body is `{}`, as Smithy requires servers to accept;
/// so is one of JSON whitespace only (space, tab, CR, LF: not the form feed that
/// `u8::is_ascii_whitespace` also counts, which JSON refuses).
pub(crate) fn parse_body(bytes: &[u8]) -> Result<Value, ApiError> {
    if bytes
        .iter()
        .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
    {
        return Ok(Value::Object(Map::new()));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        ApiError::serialization(format!(
            "Request body is not valid UTF-8 (invalid byte at offset {}).",
            e.valid_up_to()
        ))
    })?;
    serde_json::from_str(text)
        .map_err(|e| ApiError::serialization(format!("Request body is not valid JSON: {e}.")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ErrorCode;

    #[test]
    fn an_empty_body_reads_as_an_empty_object() {
        assert_eq!(parse_body(b""), Ok(Value::Object(Map::new())));
    }

    #[test]
    fn only_json_whitespace_reads_as_an_empty_object() {
        assert_eq!(parse_body(b" \t\r\n"), Ok(Value::Object(Map::new())));
        let code = parse_body(b"\x0c").err().map(|e| e.code);
        assert_eq!(code, Some(ErrorCode::SerializationException));
    }

    #[test]
    fn bad_utf8_and_bad_json_are_serialization_errors() {
        let utf8 = parse_body(b"{\"a\": \"\xff\"}").err().map(|e| e.code);
        assert_eq!(utf8, Some(ErrorCode::SerializationException));
        let json = parse_body(b"{\"a\": ").err().map(|e| e.code);
        assert_eq!(json, Some(ErrorCode::SerializationException));
    }

    #[test]
    fn nesting_deeper_than_the_parser_allows_is_refused_not_a_crash() {
        let deep = "[".repeat(100_000);
        let code = parse_body(deep.as_bytes()).err().map(|e| e.code);
        assert_eq!(code, Some(ErrorCode::SerializationException));
    }
}
