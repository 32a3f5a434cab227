//! One failed constraint, and the joined message AWS's validator writes for several.
//!
//! The wording follows real service messages (see `design/fidelity.md` row F18):
//! `2 validation errors detected: Value 'x' at 'path' failed to satisfy constraint: ...; ...`.

use std::fmt;

/// A value that failed one constraint of one member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The lowerCamel member path, dot-joined (`outputConfig.targetPlatform.os`).
    pub path: String,
    /// The offending value as the service prints it, or `None` for a missing value.
    pub value: Option<String>,
    /// The constraint phrase (`Member must not be null`, ...).
    pub constraint: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.value {
            Some(value) => write!(f, "Value '{value}' at '{}'", self.path)?,
            None => write!(f, "Value null at '{}'", self.path)?,
        }
        write!(f, " failed to satisfy constraint: {}", self.constraint)
    }
}

/// The whole `ValidationException` message for a non-empty list of violations.
pub fn validation_message(violations: &[Violation]) -> String {
    let count = violations.len();
    let noun = if count == 1 { "error" } else { "errors" };
    let items: Vec<String> = violations.iter().map(ToString::to_string).collect();
    format!("{count} validation {noun} detected: {}", items.join("; "))
}

/// Constraint phrases, kept together so their wording is defined once.
pub(crate) mod phrase {
    pub(crate) const NOT_NULL: &str = "Member must not be null";

    pub(crate) fn max_length(max: i64) -> String {
        format!("Member must have length less than or equal to {max}")
    }

    pub(crate) fn min_length(min: i64) -> String {
        format!("Member must have length greater than or equal to {min}")
    }

    pub(crate) fn pattern(pattern: &str) -> String {
        format!("Member must satisfy regular expression pattern: {pattern}")
    }

    pub(crate) fn max_value(max: i64) -> String {
        format!("Member must have value less than or equal to {max}")
    }

    pub(crate) fn min_value(min: i64) -> String {
        format!("Member must have value greater than or equal to {min}")
    }

    pub(crate) fn enum_set(values: &[String]) -> String {
        format!(
            "Member must satisfy enum value set: [{}]",
            values.join(", ")
        )
    }

    pub(crate) fn nested(phrases: &[String]) -> String {
        format!("Member must satisfy constraint: [{}]", phrases.join(", "))
    }
}

/// The member path segment for a wire member name: its first letter in lower case.
pub fn lower_camel(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_violation_uses_the_singular_noun() {
        let v = Violation {
            path: "maxResults".into(),
            value: Some("0".into()),
            constraint: phrase::min_value(1),
        };
        assert_eq!(
            validation_message(&[v]),
            "1 validation error detected: Value '0' at 'maxResults' failed to satisfy \
             constraint: Member must have value greater than or equal to 1"
        );
    }

    #[test]
    fn missing_values_print_as_null_and_items_join_with_semicolons() {
        let a = Violation {
            path: "roleArn".into(),
            value: None,
            constraint: phrase::NOT_NULL.into(),
        };
        let b = Violation {
            path: "outputConfig".into(),
            value: None,
            constraint: phrase::NOT_NULL.into(),
        };
        assert_eq!(
            validation_message(&[a, b]),
            "2 validation errors detected: Value null at 'roleArn' failed to satisfy \
             constraint: Member must not be null; Value null at 'outputConfig' failed to \
             satisfy constraint: Member must not be null"
        );
    }

    #[test]
    fn lower_camel_lowers_only_the_first_letter() {
        assert_eq!(lower_camel("S3Uri"), "s3Uri");
        assert_eq!(lower_camel("KmsKeyId"), "kmsKeyId");
        assert_eq!(lower_camel("Os"), "os");
    }
}
