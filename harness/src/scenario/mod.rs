//! Scenario files: the format, references and templates, loading with checks and
//! discovery, and the checked model a run reads.

mod check;
mod error;
pub mod format;
mod load;
mod model;
mod partition;
mod profile;
mod reference;
mod relation;
mod template;

pub use error::ScenarioError;
pub use format::{
    Assumes, Evidence, EvidenceLevel, FORMAT_VERSION, Fixture, FixtureStatus, Platform,
    ScenarioFile, Subject, TimeName,
};
pub use load::{Scenario, discover, load, parse};
pub use model::{Body, Call, Expect, Paginate, ScenarioModel, Send, Step, Wait};
pub use partition::Partition;
pub use profile::Profile;
pub use reference::{BadReference, Piece, ProfileValue, Reference, TimeMember, parse_template};
pub use relation::{Op, Relation, Side, parse_relation};
pub use template::{JsonTemplate, Template};

/// The JSON Schema of the scenario format, as committed in `scenarios/schema.json`.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(ScenarioFile);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
