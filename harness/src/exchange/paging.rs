//! Where a List walk goes next.

use serde_json::Value;

/// The token an answer continues with: a non-empty string. A missing member, `null` and
/// `""` all mean the last page. SageMaker leaves the member out, but a sibling API
/// (HyperPod's list, in the real evidence) answers `"NextToken": ""` on its last page,
/// and a walk that sent `""` back would start over and never end.
pub fn next_token(body: &Value) -> Option<&str> {
    body.get("NextToken")
        .and_then(Value::as_str)
        .filter(|token| !token.is_empty())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn only_a_non_empty_string_continues_a_walk() {
        assert_eq!(next_token(&json!({ "NextToken": "abc" })), Some("abc"));
        for last in [
            json!({}),
            json!({ "NextToken": null }),
            json!({ "NextToken": "" }),
            json!({ "NextToken": 7 }),
        ] {
            assert_eq!(next_token(&last), None, "{last}");
        }
    }
}
