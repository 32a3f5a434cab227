//! A run's verdicts held against a baseline: the report every format renders, and the
//! rewritten baseline for `--update-baseline`.

use crate::report::{Outcome, RunReport, ScenarioResult, Stage};
use crate::runner::{AnswerStats, Reach, Verdict};
use crate::scenario::Scenario;

use super::apply::classify;
use super::file::{Baseline, KnownDivergence, StepRef};
use super::results::vacuities;

/// The verdicts of one target.
#[derive(Debug)]
pub struct TargetRun<'a> {
    /// The target's label.
    pub label: String,
    /// Whether the baseline applies (not to the reference emulator).
    pub baselined: bool,
    /// One verdict per scenario, in scenario order.
    pub verdicts: &'a [Verdict],
}

/// Builds the report of a run.
pub fn gate(
    scenarios: &[Scenario],
    runs: &[TargetRun<'_>],
    baseline: &Baseline,
    seconds: f64,
) -> RunReport {
    let mut results = Vec::new();
    for (index, scenario) in scenarios.iter().enumerate() {
        for run in runs {
            let Some(verdict) = run.verdicts.get(index) else {
                continue;
            };
            let applied = run.baselined.then_some(baseline);
            let (outcome, divergences, baseline_reason) = classify(verdict, applied);
            results.push(ScenarioResult {
                scenario: scenario.id.clone(),
                description: scenario.file.description.trim().to_owned(),
                evidence: scenario.file.evidence.level,
                operations: operations(scenario),
                target: run.label.clone(),
                outcome,
                divergences,
                baseline_reason,
                millis: verdict.elapsed.as_secs_f64() * 1000.0,
                stage: match verdict.reach {
                    Reach::Steps => Stage::Steps,
                    Reach::Fixtures => Stage::Fixtures,
                    Reach::NotApplicable(_) => Stage::NotApplicable,
                },
                left_behind: verdict.left_behind.clone(),
            });
        }
    }
    let targets: Vec<String> = runs.iter().map(|r| r.label.clone()).collect();
    let stats: Vec<AnswerStats> = runs.iter().map(|r| AnswerStats::of(r.verdicts)).collect();
    RunReport {
        vacuous: vacuities(&targets, &stats),
        targets,
        results,
        seconds,
    }
}

/// The operations a scenario's steps call, in first-use order.
fn operations(scenario: &Scenario) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for step in &scenario.file.steps {
        if let Some(op) = step.operation().map(|op| op.name())
            && !out.iter().any(|o| o == op)
        {
            out.push(op.to_owned());
        }
    }
    out
}

/// The baseline that makes this run pass: every current divergence of the baselined
/// targets, keeping the reasons of entries that still apply, and the pending marks.
pub fn updated(old: &Baseline, report: &RunReport, baselined: &[String]) -> Baseline {
    let mut divergences: Vec<KnownDivergence> = Vec::new();
    for result in report
        .results
        .iter()
        .filter(|r| baselined.contains(&r.target))
    {
        if result.outcome == Outcome::Pending {
            continue;
        }
        for divergence in result
            .divergences
            .iter()
            .filter(|d| d.diff.is_some() || !d.messages.is_empty())
        {
            if divergence
                .messages
                .iter()
                .any(|m| m.starts_with("the baseline lists"))
            {
                continue;
            }
            let step = StepRef::of(divergence.step);
            if divergences
                .iter()
                .any(|d| d.scenario == result.scenario && d.step == step)
            {
                continue;
            }
            let previous = old.entries(&result.scenario).find(|e| e.step == step);
            let reason = previous.map(|e| e.reason.clone()).unwrap_or_else(|| {
                let first = divergence
                    .messages
                    .first()
                    .cloned()
                    .unwrap_or_else(|| "the answer differs from the snapshot".to_owned());
                format!("TODO explain: {first}")
            });
            divergences.push(KnownDivergence {
                scenario: result.scenario.clone(),
                step,
                path: previous.and_then(|e| e.path.clone()),
                reason,
            });
        }
    }
    Baseline {
        divergences,
        pending: old.pending.clone(),
    }
}
