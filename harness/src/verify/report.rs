//! A verify run in the form every report of `cjh run` renders: one result per recording,
//! each divergent exchange a step, held against a baseline where one applies, so the
//! JUnit, Markdown and HTML reports and `--update-baseline` work the same for both.

use std::time::Duration;

use crate::baseline::{Baseline, judge};
use crate::recording::{Recording, Source};
use crate::report::{Divergence, RunReport, ScenarioResult, Stage};
use crate::scenario::EvidenceLevel;

use super::run::{Outcome, Verdict};

/// One recording's verdict and how long it took.
#[derive(Debug)]
pub struct Verified<'a> {
    /// The recording.
    pub recording: &'a Recording,
    /// What it came to.
    pub verdict: Verdict,
    /// Wall time.
    pub elapsed: Duration,
}

/// The report of a verify run on `target`; `baseline` applies when given (the caller
/// gives none for the emulator, which is held to known-gaps files instead).
pub fn run_report(
    verified: &[Verified<'_>],
    target: &str,
    baseline: Option<&Baseline>,
    seconds: f64,
) -> RunReport {
    let results = verified
        .iter()
        .map(|v| {
            let (outcome, divergences, baseline_reason) =
                judge(&v.verdict.scenario, divergences(&v.verdict), baseline);
            ScenarioResult {
                scenario: v.verdict.scenario.clone(),
                description: description(v.recording),
                evidence: evidence(v.recording),
                operations: operations(v.recording),
                target: target.to_owned(),
                outcome,
                divergences,
                baseline_reason,
                millis: v.elapsed.as_secs_f64() * 1000.0,
                stage: if v.verdict.unseeded.is_empty() {
                    Stage::Steps
                } else {
                    Stage::Fixtures
                },
                left_behind: v.verdict.left_behind.clone(),
            }
        })
        .collect();
    RunReport {
        targets: vec![target.to_owned()],
        results,
        vacuous: Vec::new(),
        seconds,
    }
}

/// The divergences of a verdict: jobs that could not be seeded (the "fixtures" of a
/// recording), then each exchange that diverged or went unanswered, by its number.
fn divergences(verdict: &Verdict) -> Vec<Divergence> {
    let mut out = Vec::new();
    if !verdict.unseeded.is_empty() {
        out.push(Divergence {
            step: None,
            messages: verdict
                .unseeded
                .iter()
                .map(|u| format!("job {} could not be seeded: {}", u.name, u.why))
                .collect(),
            diff: None,
            known: None,
        });
    }
    for checked in &verdict.checked {
        let (messages, diff) = match &checked.outcome {
            Outcome::Agreed | Outcome::Skipped(_) => continue,
            Outcome::Diverged { at, diff } => (
                vec![format!(
                    "{} diverges at {}",
                    checked.operation,
                    at.join(", ")
                )],
                Some(diff.clone()),
            ),
            Outcome::Unanswered(why) => (
                vec![format!("{} unanswered: {why}", checked.operation)],
                None,
            ),
        };
        out.push(Divergence {
            step: Some(checked.step),
            messages,
            diff,
            known: None,
        });
    }
    out
}

fn description(recording: &Recording) -> String {
    let provenance = &recording.provenance;
    format!(
        "The answers {} gave at {} on {}, sent again.",
        match provenance.source {
            Source::Aws => "AWS",
            Source::Emulator => "the cjh emulator",
            Source::Url => "an endpoint",
        },
        provenance.endpoint,
        provenance.recorded_at
    )
}

/// Recorded where the answers are AWS's own; otherwise they are evidence of nothing
/// about AWS, only of what another implementation said.
fn evidence(recording: &Recording) -> EvidenceLevel {
    match recording.provenance.source {
        Source::Aws => EvidenceLevel::Recorded,
        Source::Emulator | Source::Url => EvidenceLevel::Inferred,
    }
}

fn operations(recording: &Recording) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for exchange in &recording.exchanges {
        if !exchange.operation.is_empty() && !out.contains(&exchange.operation) {
            out.push(exchange.operation.clone());
        }
    }
    out
}
