//! The service model's shapes, read from the botocore slice shipped with the crate.
//!
//! Validation is driven by this data rather than by hand-written checks, so every
//! constraint the model states is enforced, and a newer model slice changes the
//! emulator's behaviour in one place.

use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;
use serde_json::Value;

/// The botocore model slice for the compilation-job operations (botocore 1.44.8).
const MODEL_JSON: &str = include_str!("../../model/sagemaker-compilation-jobs.model.json");

/// The parsed shapes of the service model.
#[derive(Debug)]
pub struct Model {
    shapes: HashMap<String, Shape>,
}

/// One shape of the model, reduced to what validation needs.
#[derive(Debug)]
pub enum Shape {
    /// A structure: members in model order, with their required flag.
    Structure { members: Vec<Member> },
    /// A list of `member` shapes with optional item-count bounds.
    List {
        member: String,
        min: Option<i64>,
        max: Option<i64>,
    },
    /// A string, with optional length bounds, full-match pattern and enum set.
    String(StringShape),
    /// A 32-bit integer with optional value bounds.
    Integer { min: Option<i64>, max: Option<i64> },
    /// A timestamp, carried on the wire as epoch seconds.
    Timestamp,
}

/// A structure member: its wire name, target shape and whether it is required.
#[derive(Debug)]
pub struct Member {
    /// The member name as it travels on the wire (PascalCase).
    pub name: String,
    /// The name of the target shape.
    pub shape: String,
    /// Whether the model lists the member as required.
    pub required: bool,
}

/// A string shape's constraints.
#[derive(Debug)]
pub struct StringShape {
    /// Minimum length in characters.
    pub min: Option<i64>,
    /// Maximum length in characters.
    pub max: Option<i64>,
    /// The pattern as the model prints it, and the same pattern anchored at both ends.
    pub pattern: Option<(String, Regex)>,
    /// The allowed values, in model order.
    pub enum_values: Option<Vec<String>>,
}

/// Why the embedded model could not be read; a build defect, reported rather than panicking.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// The embedded JSON did not parse.
    #[error("the embedded service model is not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// A shape had a form this reader does not know.
    #[error("shape {shape}: {problem}")]
    Shape {
        /// The shape's name.
        shape: String,
        /// What was wrong with it.
        problem: String,
    },
}

impl Model {
    /// The model embedded in the crate, parsed once per process.
    pub fn embedded() -> &'static Model {
        static MODEL: OnceLock<Model> = OnceLock::new();
        MODEL.get_or_init(|| match Model::parse(MODEL_JSON) {
            Ok(model) => model,
            // The model is a compile-time constant, and a test parses it; reaching this
            // means the crate was built with a broken model file.
            Err(error) => panic!("{error}"),
        })
    }

    /// Parses a botocore-style model document.
    pub fn parse(text: &str) -> Result<Model, ModelError> {
        let document: Value = serde_json::from_str(text)?;
        let mut shapes = HashMap::new();
        if let Some(raw) = document.get("shapes").and_then(Value::as_object) {
            for (name, shape) in raw {
                shapes.insert(name.clone(), parse_shape(name, shape)?);
            }
        }
        Ok(Model { shapes })
    }

    /// The shape with this name, if the model has it.
    pub fn shape(&self, name: &str) -> Option<&Shape> {
        self.shapes.get(name)
    }

    /// Every shape name, for tools that walk the whole model.
    pub fn shape_names(&self) -> impl Iterator<Item = &str> {
        self.shapes.keys().map(String::as_str)
    }
}

fn parse_shape(name: &str, raw: &Value) -> Result<Shape, ModelError> {
    let problem = |problem: &str| ModelError::Shape {
        shape: name.to_owned(),
        problem: problem.to_owned(),
    };
    let int = |key: &str| raw.get(key).and_then(Value::as_i64);
    match raw.get("type").and_then(Value::as_str) {
        Some("structure") => {
            let required: Vec<&str> = raw
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let members = raw
                .get("members")
                .and_then(Value::as_object)
                .map(|members| {
                    members
                        .iter()
                        .map(|(member, target)| {
                            let shape = target
                                .get("shape")
                                .and_then(Value::as_str)
                                .ok_or_else(|| problem("member without a shape"))?;
                            Ok(Member {
                                name: member.clone(),
                                shape: shape.to_owned(),
                                required: required.contains(&member.as_str()),
                            })
                        })
                        .collect::<Result<Vec<_>, ModelError>>()
                })
                .transpose()?
                .unwrap_or_default();
            Ok(Shape::Structure { members })
        }
        Some("list") => {
            let member = raw
                .get("member")
                .and_then(|m| m.get("shape"))
                .and_then(Value::as_str)
                .ok_or_else(|| problem("list without a member shape"))?;
            Ok(Shape::List {
                member: member.to_owned(),
                min: int("min"),
                max: int("max"),
            })
        }
        Some("string") => {
            let pattern = match raw.get("pattern").and_then(Value::as_str) {
                Some(p) => {
                    // botocore ships patterns without anchors; the service matches the
                    // whole value, so anchor both ends.
                    let anchored = Regex::new(&format!("^(?:{p})$"))
                        .map_err(|e| problem(&format!("bad pattern: {e}")))?;
                    Some((p.to_owned(), anchored))
                }
                None => None,
            };
            let enum_values = raw.get("enum").and_then(Value::as_array).map(|values| {
                values
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            });
            Ok(Shape::String(StringShape {
                min: int("min"),
                max: int("max"),
                pattern,
                enum_values,
            }))
        }
        Some("integer") | Some("long") => Ok(Shape::Integer {
            min: int("min"),
            max: int("max"),
        }),
        Some("timestamp") => Ok(Shape::Timestamp),
        other => Err(problem(&format!("unsupported type {other:?}"))),
    }
}

/// Where the embedded model came from, in words (`botocore 1.44.8, sagemaker
/// 2017-07-24`), for recordings' provenance: a recording made under another model may
/// hold answers this one would not give.
pub fn version_label() -> String {
    let document: Value = serde_json::from_str(MODEL_JSON).unwrap_or(Value::Null);
    let source = &document["source"];
    format!(
        "botocore {}, sagemaker {}",
        source["botocore_version"].as_str().unwrap_or("?"),
        source["service_model_date"].as_str().unwrap_or("?")
    )
}
