//! Values references resolve to during a run: fixture names and times, the prefix, the
//! profile, and the last answer of every step with an id.

use std::collections::HashMap;

use serde_json::{Number, Value};

use crate::scenario::{JsonTemplate, Piece, ProfileValue, Reference, Template, TimeMember};

use crate::scenario::Profile;
use crate::transcript::FixtureState;

/// The values of one run.
#[derive(Debug, Default)]
pub(crate) struct Context {
    pub(crate) prefix: String,
    pub(crate) profile: Profile,
    pub(crate) fixtures: Vec<FixtureState>,
    pub(crate) step_answers: HashMap<String, Value>,
    /// How the fixture requests (Create, Stop) were answered: `None` for a success,
    /// else the error code.
    pub(crate) setup_answers: Vec<Option<String>>,
}

impl Context {
    fn fixture(&self, alias: &str) -> Option<&FixtureState> {
        self.fixtures.iter().find(|f| f.alias == alias)
    }

    /// The real name of a fixture.
    pub(crate) fn real_name(&self, alias: &str) -> String {
        format!("{}-{alias}", self.prefix)
    }

    pub(crate) fn value_of(&self, reference: &Reference) -> Value {
        match reference {
            Reference::Prefix => Value::String(self.prefix.clone()),
            Reference::Name { fixture, upper } => {
                let name = self.real_name(fixture);
                Value::String(if *upper { name.to_uppercase() } else { name })
            }
            Reference::Time {
                fixture,
                member,
                offset,
            } => {
                let base = self.fixture(fixture).map_or(0.0, |f| match member {
                    TimeMember::CreationTime => f.creation_time,
                    TimeMember::LastModifiedTime => f.last_modified_time,
                });
                let millis = ((base + offset) * 1000.0).round();
                if millis % 1000.0 == 0.0 {
                    Value::Number(Number::from((millis / 1000.0) as i64))
                } else {
                    Number::from_f64(millis / 1000.0).map_or(Value::Null, Value::Number)
                }
            }
            Reference::StepValue { step, member } => self
                .step_answers
                .get(step)
                .and_then(|answer| answer.get(member))
                .cloned()
                .unwrap_or(Value::Null),
            Reference::Profile(value) => Value::String(
                match value {
                    ProfileValue::Role => &self.profile.role,
                    ProfileValue::Model => &self.profile.model,
                    ProfileValue::FailingModel => &self.profile.failing_model,
                    ProfileValue::Output => &self.profile.output,
                }
                .clone(),
            ),
        }
    }

    /// Resolves a template: a lone reference keeps its JSON type, anything else is text.
    pub(crate) fn resolve(&self, template: &Template) -> Value {
        if let Some((reference, _)) = template.lone_reference() {
            return self.value_of(reference);
        }
        let mut out = String::new();
        for piece in &template.pieces {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Ref(reference, _) => match self.value_of(reference) {
                    Value::String(s) => out.push_str(&s),
                    Value::Null => {}
                    other => out.push_str(&other.to_string()),
                },
            }
        }
        Value::String(out)
    }

    /// Resolves every template inside a JSON template.
    pub(crate) fn resolve_json(&self, template: &JsonTemplate) -> Value {
        match template {
            JsonTemplate::Text(text) => self.resolve(text),
            JsonTemplate::Array(items) => {
                Value::Array(items.iter().map(|v| self.resolve_json(v)).collect())
            }
            JsonTemplate::Object(members) => Value::Object(
                members
                    .iter()
                    .map(|(k, v)| (k.clone(), self.resolve_json(v)))
                    .collect(),
            ),
            JsonTemplate::Literal(value) => value.clone(),
        }
    }

    /// The alias of a real job name, or `<other>`.
    pub(crate) fn alias_of(&self, name: &str) -> String {
        self.fixtures
            .iter()
            .find(|f| f.name == name)
            .map_or_else(|| "<other>".to_owned(), |f| f.alias.clone())
    }
}
