//! Templates parsed once when a file is loaded: a string with its references split out,
//! and a JSON value (a request body, an expected member) whose strings are templates.
//! A run only fills in values; nothing is parsed again step by step.

use serde_json::Value;

use super::reference::{BadReference, Piece, Reference, parse_template};

/// A string with `${...}` references, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    /// The text as written.
    pub text: String,
    /// Its literal text and references, in order.
    pub pieces: Vec<Piece>,
}

impl Template {
    /// Parses `text`; `fixtures` and `steps` are the names its references may use.
    pub fn parse(text: &str, fixtures: &[&str], steps: &[&str]) -> Result<Self, BadReference> {
        Ok(Template {
            text: text.to_owned(),
            pieces: parse_template(text, fixtures, steps)?,
        })
    }

    /// The reference and its text when the template is exactly one reference, which
    /// resolves to the referenced value itself (a number stays a number).
    pub fn lone_reference(&self) -> Option<(&Reference, &str)> {
        match self.pieces.as_slice() {
            [Piece::Ref(reference, text)] => Some((reference, text)),
            _ => None,
        }
    }
}

/// A JSON value whose strings are templates.
#[derive(Debug, Clone, PartialEq)]
pub enum JsonTemplate {
    /// A string, parsed.
    Text(Template),
    /// A list.
    Array(Vec<JsonTemplate>),
    /// An object, members in the file's order.
    Object(Vec<(String, JsonTemplate)>),
    /// A number, boolean or null: taken as written.
    Literal(Value),
}

impl JsonTemplate {
    /// Parses every string inside `value`.
    pub fn parse(value: &Value, fixtures: &[&str], steps: &[&str]) -> Result<Self, BadReference> {
        Ok(match value {
            Value::String(text) => JsonTemplate::Text(Template::parse(text, fixtures, steps)?),
            Value::Array(items) => JsonTemplate::Array(
                items
                    .iter()
                    .map(|v| JsonTemplate::parse(v, fixtures, steps))
                    .collect::<Result<_, _>>()?,
            ),
            Value::Object(map) => JsonTemplate::Object(
                map.iter()
                    .map(|(k, v)| Ok((k.clone(), JsonTemplate::parse(v, fixtures, steps)?)))
                    .collect::<Result<_, _>>()?,
            ),
            other => JsonTemplate::Literal(other.clone()),
        })
    }

    /// The members of an object template (none for anything else).
    pub fn members(&self) -> &[(String, JsonTemplate)] {
        match self {
            JsonTemplate::Object(members) => members,
            _ => &[],
        }
    }

    /// The member `name` of an object template.
    pub fn member(&self, name: &str) -> Option<&JsonTemplate> {
        self.members()
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value)
    }

    /// The text as written, for a string.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            JsonTemplate::Text(template) => Some(&template.text),
            _ => None,
        }
    }
}
