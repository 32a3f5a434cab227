//! Scenario files: the format, references, and loading with checks and discovery.

mod format;
mod load;
mod profile;
mod reference;
mod relation;

pub use format::{
    Assumes, Evidence, EvidenceLevel, Expect, FORMAT_VERSION, Fixture, FixtureStatus, Platform,
    ScenarioFile, Step, Subject, TimeName, Wait,
};
pub use load::{Scenario, ScenarioError, discover, load, parse};
pub use profile::Profile;
pub use reference::{BadReference, Piece, ProfileValue, Reference, TimeMember, parse_template};
pub use relation::{Op, Relation, Side, parse_relation};

/// The JSON Schema of the scenario format, as committed in `scenarios/schema.json`.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(ScenarioFile);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
