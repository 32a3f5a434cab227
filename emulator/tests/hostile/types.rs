//! Every member of every operation's input, at every depth (list items included), with
//! every JSON type it must not have, generated from the embedded model so that none is
//! missed when the model changes. `corpus/wrong_types.toml` holds the valid bodies the
//! cases start from.
//!
//! What each must get: a wrong non-null type, `SerializationException` naming the path,
//! what was expected and what was found; `null` for a required member, the
//! `ValidationException` "Member must not be null"; `null` as a list item, a
//! `SerializationException`; `null` for an optional member reads as absent: exactly the
//! answer the body gets without the member (asked in-process just before), which the
//! bases make a refusal, never a success.

use cjh_emulator::api::model::{Model, Shape};
use serde::Deserialize;
use serde_json::{Value, json};

use super::case::{Case, Expect, MessageRule};
use super::corpus::{self, ExpectKind};

/// The file of base bodies.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaseFile {
    #[serde(rename = "base")]
    bases: Vec<Base>,
}

/// A valid body apart from one refusal it is built to get.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Base {
    operation: String,
    /// The top-level member that makes the body refused.
    poison: String,
    /// The body, JSON.
    body: String,
}

/// A step of a member path.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Member(String),
    /// The first item of a list.
    Item,
}

/// A place in an input that holds a value of one shape.
#[derive(Debug)]
struct Node {
    steps: Vec<Step>,
    shape: String,
    required: bool,
}

const OPERATIONS: [(&str, &str); 8] = [
    ("CreateCompilationJob", "CreateCompilationJobRequest"),
    ("DescribeCompilationJob", "DescribeCompilationJobRequest"),
    ("ListCompilationJobs", "ListCompilationJobsRequest"),
    ("StopCompilationJob", "StopCompilationJobRequest"),
    ("DeleteCompilationJob", "DeleteCompilationJobRequest"),
    ("AddTags", "AddTagsInput"),
    ("ListTags", "ListTagsInput"),
    ("DeleteTags", "DeleteTagsInput"),
];

/// Every generated case.
pub(crate) fn cases() -> Vec<Case> {
    let path = corpus::dir().join("wrong_types.toml");
    let text = std::fs::read_to_string(&path).expect("read wrong_types.toml");
    let file: BaseFile = toml::from_str(&text).expect("wrong_types.toml");
    let model = Model::embedded();
    let mut cases = Vec::new();
    for (operation, input) in OPERATIONS {
        let mut nodes = Vec::new();
        walk(model, input, &mut Vec::new(), &mut nodes);
        assert!(!nodes.is_empty(), "{input} has no members");
        for node in &nodes {
            let base = pick_base(&file.bases, operation, node);
            let body: Value = serde_json::from_str(&base.body).expect("a JSON base body");
            let expected = expected_kind(model, &node.shape);
            for (found_kind, value) in wrong_values() {
                if found_kind == expected.1 {
                    continue;
                }
                let mut body = body.clone();
                *slot(&mut body, &node.steps) = value.clone();
                let label = format!(
                    "wrong_types: {operation} {} as {found_kind}",
                    wire_path(&node.steps)
                );
                let expect = expect_for(operation, node, expected.0, &value, base);
                cases.push(Case::post(
                    label,
                    operation,
                    body.to_string().into_bytes(),
                    expect,
                ));
            }
        }
    }
    cases
}

/// Collects the nodes under the structure `shape`, in model order, depth first.
fn walk(model: &Model, shape: &str, steps: &mut Vec<Step>, nodes: &mut Vec<Node>) {
    match model.shape(shape) {
        Some(Shape::Structure { members }) => {
            for member in members {
                steps.push(Step::Member(member.name.clone()));
                nodes.push(Node {
                    steps: steps.clone(),
                    shape: member.shape.clone(),
                    required: member.required,
                });
                walk(model, &member.shape, steps, nodes);
                steps.pop();
            }
        }
        Some(Shape::List { member, .. }) => {
            steps.push(Step::Item);
            nodes.push(Node {
                steps: steps.clone(),
                shape: member.clone(),
                required: false,
            });
            walk(model, member, steps, nodes);
            steps.pop();
        }
        _ => {}
    }
}

/// The first base of the operation in which the node's parent exists and whose refusal
/// does not come from the node itself (unless the node is required, when `null` is a
/// violation of its own).
fn pick_base<'b>(bases: &'b [Base], operation: &str, node: &Node) -> &'b Base {
    let parent = &node.steps[..node.steps.len() - 1];
    let top = match &node.steps[0] {
        Step::Member(name) => name.as_str(),
        Step::Item => "",
    };
    bases
        .iter()
        .filter(|b| b.operation == operation)
        .find(|b| {
            let body: Value = serde_json::from_str(&b.body).expect("a JSON base body");
            get(&body, parent).is_some_and(|v| v.is_object() || v.is_array())
                && (node.required || b.poison != top)
        })
        .unwrap_or_else(|| panic!("no base for {operation} {}", wire_path(&node.steps)))
}

/// The model's type name as messages phrase it, and the JSON type that is right.
fn expected_kind(model: &Model, shape: &str) -> (&'static str, &'static str) {
    match model.shape(shape) {
        Some(Shape::Structure { .. }) => ("an object", "object"),
        Some(Shape::List { .. }) => ("a list", "array"),
        Some(Shape::String(_)) => ("a string", "string"),
        Some(Shape::Integer { .. }) => ("an integer", "number"),
        Some(Shape::Timestamp) => ("a timestamp in epoch seconds", "number"),
        None => panic!("shape {shape} is not in the model"),
    }
}

fn wrong_values() -> [(&'static str, Value); 6] {
    [
        ("null", Value::Null),
        ("bool", json!(true)),
        ("number", json!(7)),
        ("string", json!("x")),
        ("array", json!([])),
        ("object", json!({})),
    ]
}

fn expect_for(operation: &str, node: &Node, expected: &str, value: &Value, base: &Base) -> Expect {
    let path = wire_path(&node.steps);
    let serialization = |found: &str| Expect {
        kind: ExpectKind::AwsError,
        status: Some(400),
        code: Some("SerializationException".to_owned()),
        message: MessageRule::Exactly(format!("Expected {expected} at '{path}', found {found}.")),
        like: None,
    };
    match value {
        Value::Null if node.steps.last() == Some(&Step::Item) => serialization("null"),
        Value::Null if node.required => Expect {
            kind: ExpectKind::AwsError,
            status: Some(400),
            code: Some("ValidationException".to_owned()),
            message: MessageRule::Contains(format!(
                "Value null at '{path}' failed to satisfy constraint: Member must not be null"
            )),
            like: None,
        },
        Value::Null => {
            let mut absent: Value = serde_json::from_str(&base.body).expect("a JSON base body");
            remove(&mut absent, &node.steps);
            Expect {
                kind: ExpectKind::AwsError,
                status: None,
                code: None,
                message: MessageRule::Any,
                like: Some((
                    format!("SageMaker.{operation}"),
                    absent.to_string().into_bytes(),
                )),
            }
        }
        Value::Bool(_) => serialization("a boolean"),
        Value::Number(n) => serialization(&format!("the number {n}")),
        Value::String(_) => serialization("a string"),
        Value::Array(_) => serialization("a list"),
        Value::Object(_) => serialization("an object"),
    }
}

/// The path as messages print it: lowerCamel members, list items as `N.member`.
fn wire_path(steps: &[Step]) -> String {
    let parts: Vec<String> = steps
        .iter()
        .map(|step| match step {
            Step::Member(name) => {
                let mut chars = name.chars();
                chars
                    .next()
                    .map(|c| c.to_lowercase().chain(chars).collect())
                    .unwrap_or_default()
            }
            Step::Item => "1.member".to_owned(),
        })
        .collect();
    parts.join(".")
}

fn get<'v>(value: &'v Value, steps: &[Step]) -> Option<&'v Value> {
    steps.iter().try_fold(value, |v, step| match step {
        Step::Member(name) => v.get(name),
        Step::Item => v.get(0),
    })
}

/// Takes the node's member out of the body (a list item stays: items cannot be absent).
fn remove(value: &mut Value, steps: &[Step]) {
    if let Some((Step::Member(name), parent)) = steps.split_last()
        && let Some(object) = get_mut(value, parent).and_then(Value::as_object_mut)
    {
        object.shift_remove(name);
    }
}

fn get_mut<'v>(value: &'v mut Value, steps: &[Step]) -> Option<&'v mut Value> {
    steps.iter().try_fold(value, |v, step| match step {
        Step::Member(name) => v.get_mut(name),
        Step::Item => v.get_mut(0),
    })
}

/// The place the node's value goes, its parent already in the body.
fn slot<'v>(value: &'v mut Value, steps: &[Step]) -> &'v mut Value {
    let (last, parent) = steps.split_last().expect("a non-empty path");
    let mut current = value;
    for step in parent {
        current = match step {
            Step::Member(name) => current.get_mut(name),
            Step::Item => current.get_mut(0),
        }
        .expect("the parent exists in the base");
    }
    match last {
        Step::Member(name) => &mut current[name.as_str()],
        Step::Item => current.get_mut(0).expect("a list with an item"),
    }
}
