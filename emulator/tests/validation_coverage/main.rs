//! Meta-test: the case table of `validation_constraints.rs` covers every constraint of the
//! model, on every side of every bound.
//!
//! It walks the botocore model slice itself (not the crate's reading of it) from the five
//! input shapes, enumerates each (operation, path, constraint kind, side) that exists, and
//! checks it against the `covers` lists of `tests/validation/*.toml`. A constraint added to
//! the model without a case fails here, as does a claim that names no constraint, a claim
//! whose case does not send (or, for `missing`, does send) the member, a failing-side claim
//! whose message does not report the model's exact phrase at that path, and a passing-side
//! claim whose message does.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

/// The five operations and their input shapes.
const INPUTS: [(&str, &str); 5] = [
    ("CreateCompilationJob", "CreateCompilationJobRequest"),
    ("DescribeCompilationJob", "DescribeCompilationJobRequest"),
    ("ListCompilationJobs", "ListCompilationJobsRequest"),
    ("StopCompilationJob", "StopCompilationJobRequest"),
    ("DeleteCompilationJob", "DeleteCompilationJobRequest"),
];

/// How many (operation, path, kind, side) items the model slice has. Update it only
/// together with the cases for a changed model.
const EXPECTED_ITEMS: usize = 197;

/// Sides no value can reach, with the reason; each must name an enumerated item.
const UNREACHABLE: [(&str, &str, &str, &str, &str); 1] = [(
    "CreateCompilationJob",
    "inputConfig.dataInputConfig",
    "pattern",
    "partial",
    "every non-empty string matches [\\S\\s]+ in full, and the empty one matches no prefix",
)];

/// Sides that pass the constraint; the others must be rejected for it.
const PASSING_SIDES: [&str; 4] = ["present", "at", "match", "valid"];

mod model;

use model::{Item, Key, enumerate, manifest_path};

/// A case as this test reads it: where it is, its claims and its expected message.
struct Claim {
    case: String,
    key: Key,
    error: Option<String>,
    body: Value,
}

/// The body a case sends, enough to see which members it has: the runner's base body,
/// less `remove`, with `set` merged in (repeat tables become lists; templates stay).
fn case_body(operation: &str, case: &toml::Value) -> Value {
    fn merge(target: &mut Value, patch: Value) {
        match (target, patch) {
            (Value::Object(target), Value::Object(patch)) => {
                for (key, value) in patch {
                    match target.get_mut(&key) {
                        Some(old) if old.is_object() && value.is_object() => merge(old, value),
                        _ => drop(target.insert(key, value)),
                    }
                }
            }
            (target, patch) => *target = patch,
        }
    }
    fn repeat(value: Value) -> Value {
        match value {
            Value::Object(map) if map.contains_key("repeat") => {
                let times = map["times"].as_u64().expect("times") as usize;
                Value::Array(vec![repeat(map["repeat"].clone()); times])
            }
            Value::Object(map) => map.into_iter().map(|(k, v)| (k, repeat(v))).collect(),
            Value::Array(items) => items.into_iter().map(repeat).collect(),
            other => other,
        }
    }
    let mut body = match operation {
        "CreateCompilationJob" => serde_json::json!({
            "CompilationJobName": "job-1",
            "RoleArn": "arn:aws:iam::123456789012:role/service-role/Role",
            "InputConfig": {"S3Uri": "s3://b/m.tar.gz", "Framework": "XGBOOST", "DataInputConfig": "{}"},
            "OutputConfig": {"S3OutputLocation": "s3://b/out/", "TargetDevice": "ml_c5"},
            "StoppingCondition": {"MaxRuntimeInSeconds": 900}
        }),
        "ListCompilationJobs" => serde_json::json!({}),
        _ => serde_json::json!({"CompilationJobName": "job-1"}),
    };
    for path in case
        .get("remove")
        .and_then(toml::Value::as_array)
        .into_iter()
        .flatten()
    {
        let mut segments: Vec<&str> = path.as_str().expect("a path").split('.').collect();
        let last = segments.pop().expect("a segment");
        let parent = segments
            .iter()
            .fold(&mut body, |node, segment| &mut node[*segment]);
        parent
            .as_object_mut()
            .and_then(|o| o.remove(last))
            .expect("a member to remove");
    }
    if let Some(set) = case.get("set") {
        merge(&mut body, repeat(serde_json::to_value(set).expect("JSON")));
    }
    body
}

/// Whether the body has (`want`) or lacks a value at a lowerCamel path; `member` is a
/// list item, and any one item will do.
fn sends(value: &Value, path: &[&str], want: bool) -> bool {
    match path.split_first() {
        None => value.is_null() != want,
        Some((&"member", rest)) => value.as_array().map_or(!want, |items| {
            items.iter().any(|item| sends(item, rest, want))
        }),
        Some((segment, rest)) => {
            let mut chars = segment.chars();
            let first = chars.next().into_iter().flat_map(char::to_uppercase);
            let wire: String = first.chain(chars).collect();
            value.get(&wire).map_or(!want, |v| sends(v, rest, want))
        }
    }
}

fn claims(dir: &Path) -> (Vec<String>, Vec<Claim>) {
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .expect("tests/validation")
        .map(|entry| {
            entry
                .expect("a directory entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.ends_with(".toml"))
        .collect();
    files.sort();
    let mut claims = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(dir.join(file)).expect("a data file");
        let data: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        let operation = data["operation"].as_str().expect("operation");
        for case in data["case"].as_array().expect("cases") {
            let name = format!("{file}: {}", case["name"].as_str().expect("a name"));
            let body = case_body(operation, case);
            let error = case
                .get("error")
                .and_then(toml::Value::as_str)
                .map(str::to_owned);
            for cover in case["covers"].as_array().expect("covers") {
                let parts: Vec<&str> = cover
                    .as_str()
                    .expect("a string")
                    .split_whitespace()
                    .collect();
                let [path, kind, side] = parts[..] else {
                    panic!("{name}: '{cover}' is not 'path kind side'");
                };
                claims.push(Claim {
                    case: name.clone(),
                    key: format!("{operation} {path} {kind} {side}"),
                    error: error.clone(),
                    body: body.clone(),
                });
            }
        }
    }
    (files, claims)
}

/// The (normalized path, constraint) pairs of a message; `tags.2.member.key` reads as
/// `tags.member.key`, and a missing value keeps its `null` marker in the constraint.
fn violations(message: &str) -> Vec<(String, String)> {
    let (_, list) = message
        .split_once(" detected: ")
        .expect("a validation message");
    list.split("; Value ")
        .map(|item| {
            const SEPARATOR: &str = "' failed to satisfy constraint: ";
            let at = item.rfind(SEPARATOR).expect("an item");
            let head = &item[..at];
            let path = &head[head.rfind(" at '").expect("a path") + 5..];
            let segments: Vec<&str> = path
                .split('.')
                .filter(|s| !s.chars().all(|c| c.is_ascii_digit()))
                .collect();
            let null = if head.ends_with(&format!("null at '{path}")) {
                "null "
            } else {
                ""
            };
            (
                segments.join("."),
                format!("{null}{}", &item[at + SEPARATOR.len()..]),
            )
        })
        .collect()
}

/// Whether `message` reports the item's constraint at its path.
fn reports(message: &str, path: &str, item: &Item) -> bool {
    violations(message).iter().any(|(at, constraint)| {
        if item.string_in_list {
            let list = path.strip_suffix(".member").expect("a list item path");
            at == list
                && constraint.starts_with("Member must satisfy constraint: [")
                && constraint.contains(&item.phrase)
        } else if item.phrase == "Member must not be null" {
            at == path && *constraint == format!("null {}", item.phrase)
        } else {
            at == path && *constraint == item.phrase
        }
    })
}

#[test]
fn every_constraint_of_the_five_inputs_has_a_case_on_every_side() {
    let items = enumerate();
    let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    for key in items.keys() {
        *by_kind
            .entry(key.split(' ').nth(2).expect("a kind"))
            .or_default() += 1;
    }
    println!("{} constraint sides in the model: {by_kind:?}", items.len());
    assert!(!items.is_empty());
    assert_eq!(
        items.len(),
        EXPECTED_ITEMS,
        "the model changed: {by_kind:?}"
    );
    for operation in INPUTS.map(|(op, _)| op) {
        assert!(
            items
                .keys()
                .any(|k| k.starts_with(&format!("{operation} "))),
            "{operation} has no constraints"
        );
    }

    let (files, claims) = claims(&manifest_path(&["tests", "validation"]));
    assert!(!claims.is_empty(), "no case claims anything");
    let mut problems = Vec::new();
    for claim in &claims {
        let Some(item) = items.get(&claim.key) else {
            problems.push(format!("{}: '{}' is no constraint", claim.case, claim.key));
            continue;
        };
        let [_, path, kind, side] = claim.key.split(' ').collect::<Vec<_>>()[..] else {
            unreachable!("keys have four parts");
        };
        let passing = PASSING_SIDES.contains(&side);
        let segments: Vec<&str> = path.split('.').collect();
        let want = side != "missing";
        if !sends(&claim.body, &segments, want) {
            let has = if want { "does not send" } else { "sends" };
            problems.push(format!(
                "{}: claims {path} {kind} {side} but {has} the member",
                claim.case
            ));
        }
        match (&claim.error, passing) {
            (None, false) => problems.push(format!(
                "{}: claims {path} {kind} {side} but expects success",
                claim.case
            )),
            (Some(message), false) if !reports(message, path, item) => problems.push(format!(
                "{}: claims {path} {kind} {side} but its message does not report '{}' there",
                claim.case, item.phrase
            )),
            (Some(message), true) if !item.string_in_list && reports(message, path, item) => {
                problems.push(format!(
                    "{}: claims {path} {kind} {side} but its message reports it",
                    claim.case
                ));
            }
            _ => {}
        }
    }

    let covered: BTreeSet<&Key> = claims.iter().map(|c| &c.key).collect();
    let mut unreachable = BTreeSet::new();
    for (operation, path, kind, side, reason) in UNREACHABLE {
        let key = format!("{operation} {path} {kind} {side}");
        assert!(items.contains_key(&key), "stale exemption {key} ({reason})");
        unreachable.insert(key);
    }
    let missing: Vec<String> = items
        .keys()
        .filter(|key| !covered.contains(key) && !unreachable.contains(*key))
        .cloned()
        .collect();
    if !missing.is_empty() {
        problems.push(format!(
            "{} sides have no case:\n  {}",
            missing.len(),
            missing.join("\n  ")
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    println!(
        "{} claims in {} files cover {} sides",
        claims.len(),
        files.len(),
        covered.len()
    );

    // Every data file is run by validation_constraints.rs (listed in its FILES).
    let runner = std::fs::read_to_string(manifest_path(&["tests", "validation_constraints.rs"]))
        .expect("the runner");
    for file in &files {
        assert!(
            runner.contains(&format!("    \"{file}\",\n")),
            "{file} is not in FILES of validation_constraints.rs"
        );
    }
}

#[test]
fn the_enumeration_sees_nested_list_and_structure_constraints() {
    let items = enumerate();
    for key in [
        "CreateCompilationJob outputConfig.targetPlatform.os enum case",
        "CreateCompilationJob tags.member.key length-max above",
        "CreateCompilationJob vpcConfig.subnets.member pattern partial",
        "CreateCompilationJob vpcConfig.subnets count-min below",
        "CreateCompilationJob stoppingCondition.maxPendingTimeInSeconds value-max above",
        "CreateCompilationJob tags count-min at",
        "ListCompilationJobs maxResults value-min below",
        "DeleteCompilationJob compilationJobName required missing",
    ] {
        assert!(items.contains_key(key), "{key}");
    }
    // A minimum of 0 has no side below it; timestamps carry no constraint.
    assert!(!items.contains_key("CreateCompilationJob tags count-min below"));
    assert!(!items.keys().any(|k| k.contains("creationTime")));
}

#[test]
fn a_message_is_read_into_normalized_paths_and_constraints() {
    let message = "2 validation errors detected: Value null at 'tags.2.member.key' failed to satisfy \
                   constraint: Member must not be null; Value 'a; b' at 'roleArn' failed to satisfy \
                   constraint: Member must satisfy regular expression pattern: x";
    assert_eq!(
        violations(message),
        vec![
            (
                "tags.member.key".to_owned(),
                "null Member must not be null".to_owned()
            ),
            (
                "roleArn".to_owned(),
                "Member must satisfy regular expression pattern: x".to_owned()
            ),
        ]
    );
}
