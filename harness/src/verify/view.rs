//! What of an answer `cjh verify` compares: the status and the body, with what no two
//! targets share made neutral. A time becomes `<time>` (its presence is compared, its
//! value is the clock's); an issued page token becomes `<token:N>`, numbered by first
//! appearance on its side, so "page 2 was asked with the token of page 1" still shows;
//! ARNs lose their region and account; an artifact digest becomes `<digest>` (a hash of
//! compiled files no two targets share; the emulator's stand-in hashes the ARN, whose
//! account a recording scrubs); the run prefix of a shared target is removed; an error
//! type loses its namespace. Request ids and headers are not compared.

use std::sync::OnceLock;

use regex::Regex;
use serde_json::{Map, Value, json};

use crate::compare::is_time_key;
use crate::exchange::{Body, Response};

/// One side's view of the answers it gave, in order, keeping the token numbering.
#[derive(Debug, Default)]
pub(super) struct Viewer {
    /// Issued tokens, by first appearance.
    tokens: Vec<String>,
    /// The run prefix to remove ("" for none).
    prefix: String,
}

impl Viewer {
    pub(super) fn new(prefix: &str) -> Viewer {
        Viewer {
            tokens: Vec::new(),
            prefix: prefix.to_owned(),
        }
    }

    /// The tokens this side issued, by first appearance.
    pub(super) fn tokens(&self) -> &[String] {
        &self.tokens
    }

    /// The comparable view of one answer.
    pub(super) fn view(&mut self, response: &Response) -> Value {
        if let Some(token) = response.body.json().and_then(crate::exchange::next_token)
            && !self.tokens.iter().any(|t| t == token)
        {
            self.tokens.push(token.to_owned());
        }
        let mut body = match &response.body {
            Body::Empty => Value::Null,
            Body::Json(value) => value.clone(),
            Body::Text(text) => json!({ "<raw>": text }),
            Body::Base64(_) => json!("<binary>"),
        };
        self.rewrite(&mut body, None);
        json!({ "status": response.status, "body": body })
    }

    fn rewrite(&self, value: &mut Value, key: Option<&str>) {
        match value {
            Value::Object(members) => {
                for (member, inner) in members.iter_mut() {
                    self.rewrite(inner, Some(member));
                }
                neutral_type(members);
            }
            Value::Array(items) => {
                for item in items {
                    self.rewrite(item, key);
                }
            }
            Value::Number(_) if key.is_some_and(is_time_key) => *value = json!("<time>"),
            Value::String(_) if key == Some("ArtifactDigest") => *value = json!("<digest>"),
            Value::String(text) => {
                if key == Some("NextToken") {
                    let position = self.tokens.iter().position(|t| t == text);
                    *value = match position {
                        Some(n) => json!(format!("<token:{}>", n + 1)),
                        None => json!(text.clone()),
                    };
                } else {
                    *value = json!(self.neutral_text(text));
                }
            }
            _ => {}
        }
    }

    fn neutral_text(&self, text: &str) -> String {
        let text = if self.prefix.is_empty() {
            text.to_owned()
        } else {
            text.replace(&self.prefix, "")
        };
        arn()
            .replace_all(&text, "arn:${partition}:${service}:<region>:<account>:")
            .into_owned()
    }
}

/// `com.amazonaws.sagemaker#ResourceNotFound` and `ResourceNotFound` are the same type.
fn neutral_type(members: &mut Map<String, Value>) {
    if let Some(Value::String(kind)) = members.get_mut("__type")
        && let Some((_, bare)) = kind.rsplit_once('#')
    {
        *kind = bare.to_owned();
    }
}

fn arn() -> &'static Regex {
    static ARN: OnceLock<Regex> = OnceLock::new();
    ARN.get_or_init(|| {
        Regex::new(r"arn:(?P<partition>aws[a-z-]*):(?P<service>[a-z0-9-]+):[a-z0-9-]*:\d{12}:")
            .unwrap_or_else(|_| unreachable!("the pattern is valid"))
    })
}

/// The JSON pointers at which two views differ, for gap lists: a member present on one
/// side only, a different scalar, or arrays of different length (then the array).
pub fn differences(recorded: &Value, actual: &Value) -> Vec<String> {
    let mut found = Vec::new();
    walk(recorded, actual, String::new(), &mut found);
    found
}

fn walk(recorded: &Value, actual: &Value, at: String, found: &mut Vec<String>) {
    match (recorded, actual) {
        (Value::Object(a), Value::Object(b)) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                let next = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
                match (a.get(key), b.get(key)) {
                    (Some(x), Some(y)) => walk(x, y, next, found),
                    _ => found.push(next),
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                walk(x, y, format!("{at}/{i}"), found);
            }
        }
        (a, b) if a != b => found.push(at),
        _ => {}
    }
}

#[cfg(test)]
mod tests;
