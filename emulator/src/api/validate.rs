//! Checks a request body against the model's shapes before anything reads it.
//!
//! Two kinds of failure come out, as AWS's JSON services report them: a value of the wrong
//! JSON type stops deserialization (`SerializationException`, first one wins), while
//! constraint failures (required, length, pattern, range, enum) are all collected so the
//! `ValidationException` can count and list them. Members are visited in model order,
//! depth first; within a member the order is null, length, pattern, value range, enum
//! (a real message shows length before pattern).

use serde_json::Value;

use super::model::{Model, Shape, StringShape};
use super::violation::{Violation, lower_camel, phrase};

/// Why a request body failed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputError {
    /// A value had the wrong JSON type (or was not representable, such as 2^40 for an integer).
    WrongType {
        /// The lowerCamel path of the value, empty for the body itself.
        path: String,
        /// What the model expects there (`an integer`, `a string`, ...).
        expected: &'static str,
        /// What arrived instead.
        found: String,
    },
    /// One or more constraints failed.
    Violations(Vec<Violation>),
}

/// Validates `body` against the structure shape named `shape`.
pub fn validate(model: &Model, shape: &str, body: &Value) -> Result<(), InputError> {
    let mut walk = Walk {
        model,
        violations: Vec::new(),
    };
    walk.value("", shape, body)?;
    if walk.violations.is_empty() {
        Ok(())
    } else {
        Err(InputError::Violations(walk.violations))
    }
}

struct Walk<'m> {
    model: &'m Model,
    violations: Vec<Violation>,
}

impl Walk<'_> {
    fn value(&mut self, path: &str, shape_name: &str, value: &Value) -> Result<(), InputError> {
        let Some(shape) = self.model.shape(shape_name) else {
            // Every shape reachable from an input is in the slice (a test walks them);
            // an unknown one can only be skipped.
            return Ok(());
        };
        match shape {
            Shape::Structure { members } => {
                let object = value
                    .as_object()
                    .ok_or_else(|| wrong_type(path, "an object", value))?;
                for member in members {
                    let child = join(path, &lower_camel(&member.name));
                    match object.get(&member.name).filter(|v| !v.is_null()) {
                        Some(v) => self.value(&child, &member.shape, v)?,
                        None if member.required => self.violations.push(Violation {
                            path: child,
                            value: None,
                            constraint: phrase::NOT_NULL.to_owned(),
                        }),
                        None => {}
                    }
                }
            }
            Shape::List { member, min, max } => {
                let items = value
                    .as_array()
                    .ok_or_else(|| wrong_type(path, "a list", value))?;
                let count = items.len() as i64;
                let shown = || Some(list_text(items));
                if let Some(max) = max.filter(|&max| count > max) {
                    self.push(path, shown(), phrase::max_length(max));
                }
                if let Some(min) = min.filter(|&min| count < min) {
                    self.push(path, shown(), phrase::min_length(min));
                }
                self.list_items(path, member, items)?;
            }
            Shape::String(string) => {
                let text = value
                    .as_str()
                    .ok_or_else(|| wrong_type(path, "a string", value))?;
                for constraint in string_failures(string, text) {
                    self.push(path, Some(text.to_owned()), constraint);
                }
            }
            Shape::Integer { min, max } => {
                let number = integer(value).ok_or_else(|| wrong_type(path, "an integer", value))?;
                if let Some(max) = max.filter(|&max| number > max) {
                    self.push(path, Some(number.to_string()), phrase::max_value(max));
                }
                if let Some(min) = min.filter(|&min| number < min) {
                    self.push(path, Some(number.to_string()), phrase::min_value(min));
                }
            }
            Shape::Timestamp => {
                if !value.as_f64().is_some_and(f64::is_finite) {
                    return Err(wrong_type(path, "a timestamp in epoch seconds", value));
                }
            }
        }
        Ok(())
    }

    /// Items of a list: structures are checked member by member under `path.N.member`;
    /// scalar items are reported once for the whole list with the member's constraints
    /// nested, as AWS's validator does for lists of strings.
    fn list_items(&mut self, path: &str, member: &str, items: &[Value]) -> Result<(), InputError> {
        match self.model.shape(member) {
            Some(Shape::String(string)) => {
                let mut any_failed = false;
                for (index, item) in items.iter().enumerate() {
                    let item_path = join(path, &format!("{}.member", index + 1));
                    let text = item
                        .as_str()
                        .ok_or_else(|| wrong_type(&item_path, "a string", item))?;
                    any_failed |= !string_failures(string, text).is_empty();
                }
                if any_failed {
                    let constraint = phrase::nested(&string_phrases(string));
                    self.push(path, Some(list_text(items)), constraint);
                }
            }
            _ => {
                for (index, item) in items.iter().enumerate() {
                    let item_path = join(path, &format!("{}.member", index + 1));
                    self.value(&item_path, member, item)?;
                }
            }
        }
        Ok(())
    }

    fn push(&mut self, path: &str, value: Option<String>, constraint: String) {
        self.violations.push(Violation {
            path: path.to_owned(),
            value,
            constraint,
        });
    }
}

/// The constraint phrases a string value fails, in the order AWS lists them.
fn string_failures(shape: &StringShape, text: &str) -> Vec<String> {
    let mut failures = Vec::new();
    let length = text.chars().count() as i64;
    if let Some(max) = shape.max.filter(|&max| length > max) {
        failures.push(phrase::max_length(max));
    }
    if let Some(min) = shape.min.filter(|&min| length < min) {
        failures.push(phrase::min_length(min));
    }
    if let Some((printed, regex)) = &shape.pattern
        && !regex.is_match(text)
    {
        failures.push(phrase::pattern(printed));
    }
    if let Some(values) = &shape.enum_values
        && !values.iter().any(|v| v == text)
    {
        failures.push(phrase::enum_set(values));
    }
    failures
}

/// Every constraint phrase of a string shape, for the nested list form.
fn string_phrases(shape: &StringShape) -> Vec<String> {
    let mut phrases = Vec::new();
    if let Some(max) = shape.max {
        phrases.push(phrase::max_length(max));
    }
    if let Some(min) = shape.min {
        phrases.push(phrase::min_length(min));
    }
    if let Some((printed, _)) = &shape.pattern {
        phrases.push(phrase::pattern(printed));
    }
    if let Some(values) = &shape.enum_values {
        phrases.push(phrase::enum_set(values));
    }
    phrases
}

/// A JSON number that is a whole number within the 32-bit range of the model's integers.
fn integer(value: &Value) -> Option<i64> {
    let number = value.as_i64().or_else(|| {
        value
            .as_f64()
            .filter(|f| f.fract() == 0.0 && f.abs() < 1e15)
            .map(|f| f as i64)
    })?;
    i32::try_from(number).ok().map(i64::from)
}

/// A list as the service prints it in a message: `[a, b]`.
fn list_text(items: &[Value]) -> String {
    let parts: Vec<String> = items
        .iter()
        .map(|item| match item {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect();
    format!("[{}]", parts.join(", "))
}

fn join(path: &str, segment: &str) -> String {
    if path.is_empty() {
        segment.to_owned()
    } else {
        format!("{path}.{segment}")
    }
}

pub(super) fn wrong_type(path: &str, expected: &'static str, value: &Value) -> InputError {
    let found = match value {
        Value::Null => "null".to_owned(),
        Value::Bool(_) => "a boolean".to_owned(),
        Value::Number(n) => format!("the number {n}"),
        Value::String(_) => "a string".to_owned(),
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    };
    InputError::WrongType {
        path: path.to_owned(),
        expected,
        found,
    }
}
