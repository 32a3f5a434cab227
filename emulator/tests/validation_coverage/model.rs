//! The model side of the coverage check: every (operation, path, constraint kind, side)
//! the botocore model slice implies for the five inputs, walked from the JSON itself.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::{Map, Value};

use super::INPUTS;

/// What the model implies for one enumerated key: the exact constraint phrase, and whether
/// the path is the item of a list of strings (reported nested, at the list's path).
#[derive(Debug, Clone)]
pub(super) struct Item {
    pub(super) phrase: String,
    pub(super) string_in_list: bool,
}

/// `operation path kind side`, space-separated.
pub(super) type Key = String;

struct Walk<'m> {
    shapes: &'m Map<String, Value>,
    operation: &'static str,
    items: BTreeMap<Key, Item>,
}

impl Walk<'_> {
    fn add(&mut self, path: &str, kind: &str, sides: &[&str], phrase: String, list: bool) {
        for side in sides {
            let key = format!("{} {path} {kind} {side}", self.operation);
            let item = Item {
                phrase: phrase.clone(),
                string_in_list: list,
            };
            assert!(
                self.items.insert(key, item).is_none(),
                "{path} {kind} {side} twice"
            );
        }
    }

    fn shape(&self, name: &str) -> &Map<String, Value> {
        self.shapes[name].as_object().expect("a shape is an object")
    }

    fn structure(&mut self, path: &str, name: &str, depth: usize) {
        assert!(depth < 10, "the input shapes are not recursive");
        let shape = self.shape(name).clone();
        let required: Vec<&str> = shape
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for (member, target) in shape["members"].as_object().expect("members") {
            let mut chars = member.chars();
            let first = chars.next().expect("a member name").to_lowercase();
            let segment: String = first.chain(chars).collect();
            let child = if path.is_empty() {
                segment
            } else {
                format!("{path}.{segment}")
            };
            if required.contains(&member.as_str()) {
                let phrase = "Member must not be null".to_owned();
                self.add(&child, "required", &["missing", "present"], phrase, false);
            }
            let target = target["shape"].as_str().expect("a member shape");
            self.constraints(&child, target, false, depth + 1);
        }
    }

    fn constraints(&mut self, path: &str, name: &str, in_list: bool, depth: usize) {
        let shape = self.shape(name).clone();
        let int = |key: &str| shape.get(key).and_then(Value::as_i64);
        let (min, max) = (int("min"), int("max"));
        match shape["type"].as_str().expect("a type") {
            "structure" => self.structure(path, name, depth),
            "list" => {
                self.bounds(path, "count", "length", min, max, false);
                let member = shape["member"]["shape"].as_str().expect("a list member");
                let child = format!("{path}.member");
                match self.shape(member)["type"].as_str() {
                    Some("structure") => self.structure(&child, member, depth + 1),
                    _ => self.constraints(&child, member, true, depth + 1),
                }
            }
            "string" => {
                self.bounds(path, "length", "length", min, max, in_list);
                if let Some(pattern) = shape.get("pattern").and_then(Value::as_str) {
                    let phrase =
                        format!("Member must satisfy regular expression pattern: {pattern}");
                    self.add(
                        path,
                        "pattern",
                        &["match", "fail", "partial"],
                        phrase,
                        in_list,
                    );
                }
                if let Some(values) = shape.get("enum").and_then(Value::as_array) {
                    let values: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
                    let phrase = format!(
                        "Member must satisfy enum value set: [{}]",
                        values.join(", ")
                    );
                    self.add(path, "enum", &["valid", "invalid", "case"], phrase, in_list);
                }
            }
            "integer" | "long" => self.bounds(path, "value", "value", min, max, in_list),
            "timestamp" => {}
            other => panic!("{name}: type {other} is new to this test; enumerate its constraints"),
        }
    }

    /// Min and max bounds; a minimum of 0 has no reachable side below it.
    fn bounds(
        &mut self,
        path: &str,
        kind: &str,
        noun: &str,
        min: Option<i64>,
        max: Option<i64>,
        list: bool,
    ) {
        if let Some(min) = min {
            let sides: &[&str] = if min > 0 || kind == "value" {
                &["below", "at"]
            } else {
                &["at"]
            };
            let phrase = format!("Member must have {noun} greater than or equal to {min}");
            self.add(path, &format!("{kind}-min"), sides, phrase, list);
        }
        if let Some(max) = max {
            let phrase = format!("Member must have {noun} less than or equal to {max}");
            self.add(path, &format!("{kind}-max"), &["at", "above"], phrase, list);
        }
    }
}

pub(super) fn manifest_path(parts: &[&str]) -> PathBuf {
    let mut path = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    path.extend(parts);
    path
}

/// Every constraint item reachable from the five inputs.
pub(super) fn enumerate() -> BTreeMap<Key, Item> {
    let path = manifest_path(&["model", "sagemaker-compilation-jobs.model.json"]);
    let text = std::fs::read_to_string(&path).expect("the model slice");
    let model: Value = serde_json::from_str(&text).expect("the model is JSON");
    let shapes = model["shapes"].as_object().expect("shapes");
    let mut items = BTreeMap::new();
    for (operation, input) in INPUTS {
        assert_eq!(model["operations"][operation]["input"]["shape"], input);
        let mut walk = Walk {
            shapes,
            operation,
            items: BTreeMap::new(),
        };
        walk.structure("", input, 0);
        items.append(&mut walk.items);
    }
    items
}
