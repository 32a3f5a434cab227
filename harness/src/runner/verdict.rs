//! A scenario's result on one target: its failures and its snapshot comparison.

use std::time::{Duration, Instant};

use crate::compare::{Divergence, diverges, normalize, read_snapshot};
use crate::scenario::Scenario;
use crate::target::TargetSpec;

use super::{Failure, Profile, new_prefix, run};

/// How a scenario went on a target.
#[derive(Debug, Clone)]
pub struct Verdict {
    /// `<area>/<name>`.
    pub scenario: String,
    /// The target's label.
    pub target: String,
    /// Broken facts and invariants.
    pub failures: Vec<Failure>,
    /// The normalized transcript of this run.
    pub snapshot: String,
    /// Where it differs from the committed snapshot, if it does.
    pub divergence: Option<Divergence>,
    /// Whether the scenario has no committed snapshot yet.
    pub snapshot_missing: bool,
    /// How long the run took.
    pub elapsed: Duration,
}

impl Verdict {
    /// Whether everything held and the snapshot matched.
    pub fn passed(&self) -> bool {
        self.failures.is_empty() && self.divergence.is_none() && !self.snapshot_missing
    }

    /// The first step anything went wrong at, for reports.
    pub fn first_divergent_step(&self) -> Option<usize> {
        let from_failures = self.failures.iter().filter_map(|f| f.step).min();
        let from_snapshot = self
            .divergence
            .as_ref()
            .and_then(|d| d.step)
            .map(|s| s as usize);
        match (from_failures, from_snapshot) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

/// Runs a scenario on a fresh target from `spec` and compares it with its snapshot.
pub async fn judge(scenario: &Scenario, spec: &TargetSpec, profile: &Profile) -> Verdict {
    let started = Instant::now();
    let target_label = spec.label();
    let (failures, snapshot) = match spec.open() {
        Ok(target) => {
            let outcome = run(scenario, target.as_ref(), profile, &new_prefix()).await;
            (outcome.failures, normalize(&outcome.transcript, profile))
        }
        Err(error) => (
            vec![Failure {
                step: None,
                message: error.to_string(),
            }],
            String::new(),
        ),
    };
    let committed = read_snapshot(&scenario.snapshot_path());
    let divergence = committed
        .as_deref()
        .and_then(|want| diverges(want, &snapshot));
    Verdict {
        scenario: scenario.id.clone(),
        target: target_label,
        failures,
        snapshot,
        divergence,
        snapshot_missing: committed.is_none(),
        elapsed: started.elapsed(),
    }
}
