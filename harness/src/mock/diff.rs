//! Where two JSON bodies differ, as JSON Pointer paths with both values, so an unmatched
//! request can be explained as `/MaxResults: recorded 5, got 10` rather than as two
//! bodies to compare by eye.

use serde_json::Value;

/// The longest value shown before it is cut, so one huge member cannot drown the rest.
const SHOWN_CHARS: usize = 60;

/// One place where a recorded body and a received one disagree.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Difference {
    /// JSON Pointer (RFC 6901) to the member; empty for the whole body.
    pub(crate) path: String,
    /// The recorded value, `None` when the recorded body lacks the member.
    pub(crate) recorded: Option<Value>,
    /// The received value, `None` when the received body lacks the member.
    pub(crate) got: Option<Value>,
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let path = if self.path.is_empty() {
            "body"
        } else {
            &self.path
        };
        write!(
            f,
            "{path}: recorded {}, got {}",
            shown(self.recorded.as_ref()),
            shown(self.got.as_ref())
        )
    }
}

/// A value as compact JSON, cut to [`SHOWN_CHARS`]; `absent` for none.
pub(crate) fn shown(value: Option<&Value>) -> String {
    match value {
        None => "absent".to_owned(),
        Some(value) => cut(&value.to_string()),
    }
}

/// Text cut to [`SHOWN_CHARS`] characters, marked when cut.
pub(crate) fn cut(text: &str) -> String {
    if text.chars().count() <= SHOWN_CHARS {
        text.to_owned()
    } else {
        let kept: String = text.chars().take(SHOWN_CHARS).collect();
        format!("{kept}...")
    }
}

/// Every leaf-most place where the two values differ, in the recorded body's member
/// order (members only the received body has come last). Objects are compared member by
/// member and arrays element by element, so a changed member is named, not its parent;
/// values of different kinds are reported where they meet.
pub(crate) fn differences(recorded: &Value, got: &Value) -> Vec<Difference> {
    let mut found = Vec::new();
    walk(String::new(), Some(recorded), Some(got), &mut found);
    found
}

fn walk(path: String, recorded: Option<&Value>, got: Option<&Value>, found: &mut Vec<Difference>) {
    match (recorded, got) {
        (Some(Value::Object(r)), Some(Value::Object(g))) => {
            for (key, value) in r {
                walk(child(&path, key), Some(value), g.get(key), found);
            }
            for (key, value) in g.iter().filter(|(key, _)| !r.contains_key(*key)) {
                walk(child(&path, key), None, Some(value), found);
            }
        }
        (Some(Value::Array(r)), Some(Value::Array(g))) => {
            for index in 0..r.len().max(g.len()) {
                walk(
                    child(&path, &index.to_string()),
                    r.get(index),
                    g.get(index),
                    found,
                );
            }
        }
        (recorded, got) if recorded != got => found.push(Difference {
            path,
            recorded: recorded.cloned(),
            got: got.cloned(),
        }),
        _ => {}
    }
}

/// `path` extended by one reference token, escaped as RFC 6901 says (`~` then `/`).
fn child(path: &str, token: &str) -> String {
    format!("{path}/{}", token.replace('~', "~0").replace('/', "~1"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn lines(recorded: Value, got: Value) -> Vec<String> {
        differences(&recorded, &got)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn equal_bodies_have_no_differences_whatever_the_member_order() {
        let recorded = json!({"A": 1, "B": {"C": [1, 2]}});
        let got = json!({"B": {"C": [1, 2]}, "A": 1});
        assert!(differences(&recorded, &got).is_empty());
    }

    #[test]
    fn a_changed_member_is_named_by_its_path_with_both_values() {
        assert_eq!(
            lines(json!({"MaxResults": 5}), json!({"MaxResults": 10})),
            ["/MaxResults: recorded 5, got 10"]
        );
    }

    #[test]
    fn a_missing_or_extra_member_shows_as_absent() {
        assert_eq!(
            lines(
                json!({"NameContains": "a", "SortBy": "Name"}),
                json!({"SortBy": "Name", "MaxResults": 2})
            ),
            [
                "/NameContains: recorded \"a\", got absent",
                "/MaxResults: recorded absent, got 2"
            ]
        );
    }

    #[test]
    fn nested_members_and_array_elements_are_named_down_to_the_leaf() {
        assert_eq!(
            lines(
                json!({"InputConfig": {"S3Uri": "s3://a"}, "L": [1, 2]}),
                json!({"InputConfig": {"S3Uri": "s3://b"}, "L": [1]})
            ),
            [
                "/InputConfig/S3Uri: recorded \"s3://a\", got \"s3://b\"",
                "/L/1: recorded 2, got absent"
            ]
        );
    }

    #[test]
    fn keys_with_slashes_and_tildes_are_escaped_and_the_root_is_called_body() {
        assert_eq!(
            lines(json!({"a/b~c": 1}), json!({"a/b~c": 2})),
            ["/a~1b~0c: recorded 1, got 2"]
        );
        assert_eq!(lines(json!({}), json!([])), ["body: recorded {}, got []"]);
    }

    #[test]
    fn long_values_are_cut() {
        let long = "x".repeat(200);
        let line = lines(json!({"T": long}), json!({"T": 1})).remove(0);
        assert!(line.len() < 100, "{line}");
        assert!(line.contains("..."), "{line}");
    }
}
