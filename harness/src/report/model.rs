//! What a run produced, in the form every report renders: one result per scenario and
//! target, with the evidence behind the scenario and every divergence found.

use serde::{Deserialize, Serialize};

use crate::scenario::EvidenceLevel;

/// A whole run: every scenario on every target.
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    /// The targets, in the order given.
    pub targets: Vec<String>,
    /// One result per scenario and target, scenario-major.
    pub results: Vec<ScenarioResult>,
    /// Targets whose answers show they conform to nothing (see [`Vacuity`]).
    pub vacuous: Vec<Vacuity>,
    /// Wall time of the run, in seconds.
    pub seconds: f64,
}

/// One scenario on one target.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScenarioResult {
    /// `<area>/<name>`.
    pub scenario: String,
    /// The scenario's description.
    pub description: String,
    /// What its expectations rest on.
    pub evidence: EvidenceLevel,
    /// The operations its steps call, in first-use order.
    pub operations: Vec<String>,
    /// The target's label.
    pub target: String,
    /// The outcome.
    pub outcome: Outcome,
    /// Everything that diverged, by step.
    pub divergences: Vec<Divergence>,
    /// Why a baseline entry or pending mark applies, when one does.
    pub baseline_reason: Option<String>,
    /// Run time in milliseconds.
    pub millis: f64,
    /// How far the scenario got on the target.
    pub stage: Stage,
    /// Jobs the run could not remove from the target afterwards, each with why.
    pub left_behind: Vec<String>,
}

/// How far a scenario got on a target, whatever the outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    /// Its steps ran.
    Steps,
    /// It stopped at its fixtures.
    Fixtures,
    /// It did not run: it assumes what the target cannot give.
    NotApplicable,
}

/// How a scenario went on a target, after the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Everything held.
    Pass,
    /// Diverged, and every divergence is a known one in the baseline.
    Known,
    /// Marked pending for this target: run and reported, never failing.
    Pending,
    /// A divergence not in the baseline.
    Fail,
    /// The baseline lists a divergence that no longer happens: shrink the baseline.
    UnexpectedPass,
    /// The scenario assumes what this target cannot give (a virtual clock), so it did
    /// not run there: never a pass, never a failure.
    NotApplicable,
}

impl Outcome {
    /// Whether this outcome fails the run.
    pub fn fails(self) -> bool {
        matches!(self, Outcome::Fail | Outcome::UnexpectedPass)
    }
}

/// One divergent step (or the fixtures).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Divergence {
    /// The step, 1-based; `None` for the fixtures.
    pub step: Option<usize>,
    /// Broken facts and invariants at this step.
    pub messages: Vec<String>,
    /// The snapshot diff of this step, if it differs from the snapshot.
    pub diff: Option<String>,
    /// The baseline's reason, when this divergence is a known one.
    pub known: Option<String>,
}

/// A target that answered in a way that proves nothing.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Vacuity {
    /// The target.
    pub target: String,
    /// What it did (`every request answered 400 UnknownOperationException`).
    pub reason: String,
}
