//! `${...}` references in request strings and expected messages.
//!
//! A reference names a fixture (`${alpha}`, `${alpha.upper}`, `${alpha.CreationTime+0.001}`),
//! an earlier step's answer (`${first.NextToken}`), the run prefix (`${prefix}`) or a
//! target-profile value (`${profile.model}`). They are checked when a file is loaded, so a
//! reference to a missing step or fixture is an error with its line, before anything runs.

use std::fmt;

/// One parsed reference.
#[derive(Debug, Clone, PartialEq)]
pub enum Reference {
    /// The run's name prefix.
    Prefix,
    /// A fixture's real name, optionally upper-cased.
    Name {
        /// The fixture alias.
        fixture: String,
        /// Whether to upper-case it.
        upper: bool,
    },
    /// A fixture's timestamp in epoch seconds, plus an offset.
    Time {
        /// The fixture alias.
        fixture: String,
        /// `CreationTime` or `LastModifiedTime`.
        member: TimeMember,
        /// Seconds added.
        offset: f64,
    },
    /// A member of an earlier step's last answer (`NextToken`).
    StepValue {
        /// The step id.
        step: String,
        /// The member name.
        member: String,
    },
    /// A value from the target profile.
    Profile(ProfileValue),
}

/// Fixture timestamps a reference can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeMember {
    /// CreationTime.
    CreationTime,
    /// LastModifiedTime.
    LastModifiedTime,
}

/// Target-profile values a reference can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileValue {
    /// An IAM role ARN the target accepts.
    Role,
    /// A model that compiles.
    Model,
    /// A model that fails to compile.
    FailingModel,
    /// An output location.
    Output,
}

/// A piece of a template: literal text or a reference.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    /// Text as written.
    Text(String),
    /// A reference, with its source text for messages.
    Ref(Reference, String),
}

/// A reference that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadReference {
    /// The text inside `${...}` (or the unterminated remainder).
    pub text: String,
    /// What is wrong.
    pub problem: String,
}

impl fmt::Display for BadReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "reference '${{{}}}': {}", self.text, self.problem)
    }
}

/// Splits a template into text and references. `fixtures` and `steps` are the names a
/// reference may use (steps: only those before the one being read).
pub fn parse_template(
    template: &str,
    fixtures: &[&str],
    steps: &[&str],
) -> Result<Vec<Piece>, BadReference> {
    let mut pieces = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        if start > 0 {
            pieces.push(Piece::Text(rest[..start].to_owned()));
        }
        let after = &rest[start + 2..];
        let end = after.find('}').ok_or_else(|| BadReference {
            text: after.to_owned(),
            problem: "no closing '}'".to_owned(),
        })?;
        let inner = &after[..end];
        pieces.push(Piece::Ref(
            parse_one(inner, fixtures, steps)?,
            inner.to_owned(),
        ));
        rest = &after[end + 1..];
    }
    if !rest.is_empty() {
        pieces.push(Piece::Text(rest.to_owned()));
    }
    Ok(pieces)
}

fn parse_one(inner: &str, fixtures: &[&str], steps: &[&str]) -> Result<Reference, BadReference> {
    let bad = |problem: String| BadReference {
        text: inner.to_owned(),
        problem,
    };
    if inner == "prefix" {
        return Ok(Reference::Prefix);
    }
    let (head, member) = match inner.split_once('.') {
        Some((head, member)) => (head, Some(member)),
        None => (inner, None),
    };
    if head == "profile" {
        let value = match member {
            Some("role") => ProfileValue::Role,
            Some("model") => ProfileValue::Model,
            Some("failing_model") => ProfileValue::FailingModel,
            Some("output") => ProfileValue::Output,
            _ => {
                return Err(bad(
                    "profile values are role, model, failing_model and output".to_owned(),
                ));
            }
        };
        return Ok(Reference::Profile(value));
    }
    if fixtures.contains(&head) {
        let fixture = head.to_owned();
        return match member {
            None => Ok(Reference::Name {
                fixture,
                upper: false,
            }),
            Some("upper") => Ok(Reference::Name {
                fixture,
                upper: true,
            }),
            Some(member) => {
                let (name, offset) = split_offset(member).map_err(bad)?;
                let member = match name {
                    "CreationTime" => TimeMember::CreationTime,
                    "LastModifiedTime" => TimeMember::LastModifiedTime,
                    _ => {
                        return Err(bad(format!(
                            "a fixture has upper, CreationTime and LastModifiedTime, not {name}"
                        )));
                    }
                };
                Ok(Reference::Time {
                    fixture,
                    member,
                    offset,
                })
            }
        };
    }
    if steps.contains(&head) {
        let member =
            member.ok_or_else(|| bad("name the member, as in step.NextToken".to_owned()))?;
        return Ok(Reference::StepValue {
            step: head.to_owned(),
            member: member.to_owned(),
        });
    }
    Err(bad(format!(
        "'{head}' is neither a fixture nor an earlier step with an id"
    )))
}

/// `CreationTime+0.001` -> ("CreationTime", 0.001).
fn split_offset(member: &str) -> Result<(&str, f64), String> {
    match member.find(['+', '-']) {
        None => Ok((member, 0.0)),
        Some(at) => {
            let offset: f64 = member[at..]
                .parse()
                .map_err(|_| format!("bad offset '{}'", &member[at..]))?;
            Ok((&member[..at], offset))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_split_into_text_and_references() {
        let pieces = parse_template(
            "job '${alpha}' at ${alpha.CreationTime+0.5}",
            &["alpha"],
            &[],
        );
        assert_eq!(
            pieces,
            Ok(vec![
                Piece::Text("job '".into()),
                Piece::Ref(
                    Reference::Name {
                        fixture: "alpha".into(),
                        upper: false
                    },
                    "alpha".into()
                ),
                Piece::Text("' at ".into()),
                Piece::Ref(
                    Reference::Time {
                        fixture: "alpha".into(),
                        member: TimeMember::CreationTime,
                        offset: 0.5
                    },
                    "alpha.CreationTime+0.5".into()
                ),
            ])
        );
    }

    #[test]
    fn unknown_names_and_members_are_refused() {
        assert!(parse_template("${ghost}", &["alpha"], &[]).is_err());
        assert!(parse_template("${alpha.Status}", &["alpha"], &[]).is_err());
        assert!(parse_template("${first}", &[], &["first"]).is_err());
        assert!(parse_template("${alpha", &["alpha"], &[]).is_err());
    }
}
