//! Order and equality facts between times (`expect.times`): `LEFT OP RIGHT`, each side a
//! member of the answer or one reference.
//!
//! Snapshots name a time by its job and member, never by its value, so two equal times or
//! one moved by a stop look alike there; the relations a scenario depends on are written
//! here instead and hold on a real clock as on a virtual one.

use std::fmt;

use super::reference::{Piece, Reference, parse_template};

/// One parsed relation.
#[derive(Debug, Clone, PartialEq)]
pub struct Relation {
    /// The left side.
    pub left: Side,
    /// The comparison.
    pub op: Op,
    /// The right side.
    pub right: Side,
}

/// A side of a relation.
#[derive(Debug, Clone, PartialEq)]
pub enum Side {
    /// A member of the step's answer by dotted path.
    Member(String),
    /// A reference, with its text.
    Reference(Reference, String),
}

/// A comparison between two times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `<`
    Less,
    /// `<=`
    AtMost,
    /// `==`
    Equal,
    /// `!=`
    NotEqual,
    /// `>=`
    AtLeast,
    /// `>`
    Greater,
}

impl Op {
    fn parse(text: &str) -> Option<Op> {
        Some(match text {
            "<" => Op::Less,
            "<=" => Op::AtMost,
            "==" => Op::Equal,
            "!=" => Op::NotEqual,
            ">=" => Op::AtLeast,
            ">" => Op::Greater,
            _ => return None,
        })
    }

    /// Whether `left OP right` holds.
    pub fn holds(self, left: f64, right: f64) -> bool {
        match self {
            Op::Less => left < right,
            Op::AtMost => left <= right,
            Op::Equal => left == right,
            Op::NotEqual => left != right,
            Op::AtLeast => left >= right,
            Op::Greater => left > right,
        }
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Op::Less => "<",
            Op::AtMost => "<=",
            Op::Equal => "==",
            Op::NotEqual => "!=",
            Op::AtLeast => ">=",
            Op::Greater => ">",
        })
    }
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Side::Member(path) => f.write_str(path),
            Side::Reference(_, text) => write!(f, "${{{text}}}"),
        }
    }
}

/// Reads `LEFT OP RIGHT`; `fixtures` and `steps` are the names a reference may use.
pub fn parse_relation(text: &str, fixtures: &[&str], steps: &[&str]) -> Result<Relation, String> {
    let parts: Vec<&str> = text.split_whitespace().collect();
    let [left, op, right] = parts.as_slice() else {
        return Err(format!(
            "time fact '{text}' must read LEFT OP RIGHT, separated by spaces"
        ));
    };
    let op = Op::parse(op)
        .ok_or_else(|| format!("time fact '{text}': '{op}' is not one of < <= == != >= >"))?;
    let side = |part: &str| -> Result<Side, String> {
        if !part.contains("${") {
            return Ok(Side::Member((*part).to_owned()));
        }
        let pieces = parse_template(part, fixtures, steps).map_err(|e| e.to_string())?;
        match pieces.as_slice() {
            [Piece::Ref(reference, text)] => Ok(Side::Reference(reference.clone(), text.clone())),
            _ => Err(format!(
                "time fact '{text}': '{part}' must be a member path or exactly one reference"
            )),
        }
    };
    Ok(Relation {
        left: side(left)?,
        op,
        right: side(right)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::TimeMember;

    #[test]
    fn a_relation_reads_a_member_an_operator_and_a_reference() {
        let relation = parse_relation(
            "LastModifiedTime > ${alpha.LastModifiedTime}",
            &["alpha"],
            &[],
        );
        assert_eq!(
            relation,
            Ok(Relation {
                left: Side::Member("LastModifiedTime".into()),
                op: Op::Greater,
                right: Side::Reference(
                    Reference::Time {
                        fixture: "alpha".into(),
                        member: TimeMember::LastModifiedTime,
                        offset: 0.0
                    },
                    "alpha.LastModifiedTime".into()
                ),
            })
        );
    }

    #[test]
    fn a_relation_without_three_parts_or_with_an_unknown_operator_is_refused() {
        assert!(parse_relation("CreationTime", &[], &[]).is_err());
        assert!(parse_relation("CreationTime = LastModifiedTime", &[], &[]).is_err());
        assert!(parse_relation("CreationTime < ${ghost.CreationTime}", &["alpha"], &[]).is_err());
        assert!(parse_relation("CreationTime < x${alpha.CreationTime}", &["alpha"], &[]).is_err());
    }
}
