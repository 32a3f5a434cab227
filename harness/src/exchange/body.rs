//! A body, classified once from its bytes.
//!
//! JSON is kept parsed, so matching and diffs work on meaning rather than spelling;
//! text that is not JSON is kept as it was; anything that is not UTF-8 is kept as its
//! bytes (base64 in files), so a binary body survives a recording unchanged instead of
//! being mangled by a lossy decode.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A body as sent or received.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Body {
    /// No bytes at all.
    #[default]
    Empty,
    /// Bytes that parse as JSON.
    Json(Value),
    /// UTF-8 text that is not JSON.
    Text(String),
    /// Bytes that are not UTF-8, written as standard base64.
    Base64(#[serde(with = "base64_text")] Vec<u8>),
}

impl Body {
    /// Classifies bytes: none are [`Body::Empty`], JSON is [`Body::Json`], other UTF-8
    /// is [`Body::Text`], and the rest is [`Body::Base64`].
    pub fn from_bytes(bytes: &[u8]) -> Body {
        if bytes.is_empty() {
            return Body::Empty;
        }
        if let Ok(value) = serde_json::from_slice(bytes) {
            return Body::Json(value);
        }
        match std::str::from_utf8(bytes) {
            Ok(text) => Body::Text(text.to_owned()),
            Err(_) => Body::Base64(bytes.to_vec()),
        }
    }

    /// The bytes to send or answer with (JSON in its compact form).
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            Body::Empty => Vec::new(),
            Body::Json(value) => value.to_string().into_bytes(),
            Body::Text(text) => text.clone().into_bytes(),
            Body::Base64(bytes) => bytes.clone(),
        }
    }

    /// Whether there are no bytes.
    pub fn is_empty(&self) -> bool {
        matches!(self, Body::Empty)
    }

    /// The JSON value, if the body is JSON.
    pub fn json(&self) -> Option<&Value> {
        match self {
            Body::Json(value) => Some(value),
            _ => None,
        }
    }

    /// A key equal exactly for bodies a strict JSON comparison calls equal (object
    /// members in any order, array order kept), and for the same text or bytes: what
    /// groups identical requests without comparing every pair.
    pub fn key(&self) -> String {
        match self {
            Body::Empty => "empty".to_owned(),
            Body::Json(value) => format!("json:{}", canonical_json(value)),
            Body::Text(text) => format!("text:{text}"),
            Body::Base64(bytes) => format!("base64:{}", STANDARD.encode(bytes)),
        }
    }

    /// Whether `bytes` are this body: equal JSON for JSON (spelling and member order
    /// are free, as they are to a JSON reader), the same bytes otherwise.
    pub fn accepts(&self, bytes: &[u8]) -> bool {
        match self {
            Body::Json(value) => {
                serde_json::from_slice::<Value>(bytes).is_ok_and(|got| got == *value)
            }
            Body::Text(text) => text.as_bytes() == bytes,
            Body::Base64(expected) => expected.as_slice() == bytes,
            Body::Empty => bytes.is_empty(),
        }
    }
}

/// JSON text with object members sorted by name, at every depth.
fn canonical_json(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let mut members: Vec<(&String, &Value)> = map.iter().collect();
            members.sort_by(|a, b| a.0.cmp(b.0));
            let inner: Vec<String> = members
                .into_iter()
                .map(|(name, value)| {
                    format!("{}:{}", Value::from(name.as_str()), canonical_json(value))
                })
                .collect();
            format!("{{{}}}", inner.join(","))
        }
        Value::Array(items) => {
            let inner: Vec<String> = items.iter().map(canonical_json).collect();
            format!("[{}]", inner.join(","))
        }
        other => other.to_string(),
    }
}

/// Bytes as a base64 string, for serde.
mod base64_text {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&STANDARD.encode(bytes))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(deserializer)?;
        STANDARD.decode(text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// Classifies, checks the class, then checks bytes and serde form survive.
    fn round_trip(bytes: &[u8]) -> Body {
        let body = Body::from_bytes(bytes);
        assert_eq!(Body::from_bytes(&body.to_bytes()), body);
        let text = serde_json::to_string(&body).unwrap_or_default();
        assert_eq!(serde_json::from_str::<Body>(&text).ok(), Some(body.clone()));
        body
    }

    #[test]
    fn a_json_body_is_kept_parsed_and_round_trips() {
        let body = round_trip(br#"{"A": 1, "B": [true, null]}"#);
        assert_eq!(body, Body::Json(json!({"A": 1, "B": [true, null]})));
        assert_eq!(body.to_bytes(), br#"{"A":1,"B":[true,null]}"#.to_vec());
    }

    #[test]
    fn a_text_body_that_is_not_json_is_kept_as_the_same_text() {
        let body = round_trip(b"MaxResults=5&{not json");
        assert_eq!(body, Body::Text("MaxResults=5&{not json".to_owned()));
        assert_eq!(body.to_bytes(), b"MaxResults=5&{not json".to_vec());
    }

    #[test]
    fn a_binary_body_is_kept_as_its_bytes_and_written_as_base64() {
        let bytes = [0xff_u8, 0x00, 0xfe, b'{', 0x80];
        let body = round_trip(&bytes);
        assert_eq!(body, Body::Base64(bytes.to_vec()));
        assert_eq!(body.to_bytes(), bytes.to_vec());
        assert_eq!(
            serde_json::to_value(&body).ok(),
            Some(json!({ "base64": "/wD+e4A=" }))
        );
    }

    #[test]
    fn an_empty_body_is_empty_and_round_trips() {
        let body = round_trip(b"");
        assert_eq!(body, Body::Empty);
        assert!(body.to_bytes().is_empty());
        assert_eq!(serde_json::to_value(&body).ok(), Some(json!("empty")));
    }

    #[test]
    fn a_json_body_accepts_any_spelling_of_the_same_value() {
        let body = Body::Json(json!({"A": 1, "B": [true, null]}));
        assert!(body.accepts(br#"{ "B": [true, null], "A": 1 }"#));
        assert!(!body.accepts(br#"{"A": 2, "B": [true, null]}"#));
        assert!(!body.accepts(b""));
        assert!(!body.accepts(b"not json"));
    }

    #[test]
    fn text_binary_and_empty_bodies_accept_only_the_same_bytes() {
        let text = Body::Text("{not json".to_owned());
        assert!(text.accepts(b"{not json"));
        assert!(!text.accepts(b"{not json "));
        assert!(Body::Base64(vec![0xff, 1]).accepts(&[0xff, 1]));
        assert!(!Body::Base64(vec![0xff, 1]).accepts(&[0xff]));
        assert!(Body::Empty.accepts(b""));
        assert!(!Body::Empty.accepts(b"{}"));
    }

    #[test]
    fn keys_are_equal_exactly_for_equal_bodies() {
        let a = Body::Json(json!({"A": 1, "B": {"C": 2, "D": 3}}));
        let b = Body::Json(json!({"B": {"D": 3, "C": 2}, "A": 1}));
        assert_eq!(a.key(), b.key());
        assert_ne!(a.key(), Body::Json(json!({"A": "1"})).key());
        assert_ne!(
            Body::Text("{}".to_owned()).key(),
            Body::Json(json!({})).key()
        );
        assert_ne!(Body::Base64(vec![0xff]).key(), Body::Empty.key());
    }
}
