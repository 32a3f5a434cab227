//! The counts every report shows the same way: outcomes per target, scenarios per
//! evidence level, and conformance per operation. Computed once here so the JUnit,
//! Markdown and HTML reports can never disagree about a number.

use std::collections::BTreeMap;

use crate::scenario::EvidenceLevel;

use super::model::{Outcome, RunReport, ScenarioResult};

/// The operations of the API, in the order the reports list them.
pub(crate) const OPERATIONS: [&str; 5] = [
    "CreateCompilationJob",
    "DescribeCompilationJob",
    "ListCompilationJobs",
    "StopCompilationJob",
    "DeleteCompilationJob",
];

/// Every outcome, in the order the reports list them (best first).
pub(crate) const OUTCOMES: [Outcome; 5] = [
    Outcome::Pass,
    Outcome::Known,
    Outcome::Pending,
    Outcome::Fail,
    Outcome::UnexpectedPass,
];

/// How many results had each outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    pub(crate) pass: usize,
    pub(crate) known: usize,
    pub(crate) pending: usize,
    pub(crate) fail: usize,
    pub(crate) unexpected_pass: usize,
}

impl Tally {
    pub(crate) fn add(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Pass => self.pass += 1,
            Outcome::Known => self.known += 1,
            Outcome::Pending => self.pending += 1,
            Outcome::Fail => self.fail += 1,
            Outcome::UnexpectedPass => self.unexpected_pass += 1,
        }
    }

    pub(crate) fn get(&self, outcome: Outcome) -> usize {
        match outcome {
            Outcome::Pass => self.pass,
            Outcome::Known => self.known,
            Outcome::Pending => self.pending,
            Outcome::Fail => self.fail,
            Outcome::UnexpectedPass => self.unexpected_pass,
        }
    }

    pub(crate) fn total(&self) -> usize {
        OUTCOMES.iter().map(|&o| self.get(o)).sum()
    }

    /// Results that fail the run.
    pub(crate) fn failing(&self) -> usize {
        self.fail + self.unexpected_pass
    }
}

/// The word a report uses for an outcome.
pub(crate) fn outcome_word(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Pass => "passed",
        Outcome::Known => "known",
        Outcome::Pending => "pending",
        Outcome::Fail => "failed",
        Outcome::UnexpectedPass => "unexpectedly passing",
    }
}

/// A short stable identifier for an outcome (CSS classes, JUnit failure types).
pub(crate) fn outcome_slug(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Pass => "pass",
        Outcome::Known => "known",
        Outcome::Pending => "pending",
        Outcome::Fail => "fail",
        Outcome::UnexpectedPass => "unexpected-pass",
    }
}

/// The word a report uses for an evidence level (as in scenario files).
pub(crate) fn evidence_word(level: EvidenceLevel) -> &'static str {
    match level {
        EvidenceLevel::Recorded => "recorded",
        EvidenceLevel::Documented => "documented",
        EvidenceLevel::Inferred => "inferred",
    }
}

/// Every target label, in the report's order, followed by any label that only results
/// or vacuity notes name (so nothing a runner produced is left out of a report).
pub(crate) fn target_labels(report: &RunReport) -> Vec<&str> {
    let mut labels: Vec<&str> = Vec::new();
    let named = report.targets.iter().map(String::as_str);
    let from_results = report.results.iter().map(|r| r.target.as_str());
    let from_vacuity = report.vacuous.iter().map(|v| v.target.as_str());
    for label in named.chain(from_results).chain(from_vacuity) {
        if !labels.contains(&label) {
            labels.push(label);
        }
    }
    labels
}

/// The first result of each scenario, in the order scenarios first appear: the
/// scenario's own facts (description, evidence, operations) are the same on every target.
pub(crate) fn scenarios(report: &RunReport) -> Vec<&ScenarioResult> {
    let mut seen: Vec<&ScenarioResult> = Vec::new();
    for result in &report.results {
        if !seen.iter().any(|s| s.scenario == result.scenario) {
            seen.push(result);
        }
    }
    seen
}

/// The results on one target, in report order.
pub(crate) fn results_on<'a>(
    report: &'a RunReport,
    target: &'a str,
) -> impl Iterator<Item = &'a ScenarioResult> + 'a {
    report.results.iter().filter(move |r| r.target == target)
}

/// Outcome counts for one target.
pub(crate) fn tally(report: &RunReport, target: &str) -> Tally {
    let mut tally = Tally::default();
    for result in results_on(report, target) {
        tally.add(result.outcome);
    }
    tally
}

/// Distinct scenarios per evidence level, strongest first; levels with none are listed
/// too, so a report always shows all three.
pub(crate) fn evidence_counts(report: &RunReport) -> Vec<(EvidenceLevel, usize)> {
    let mut counts: BTreeMap<EvidenceLevel, usize> = [
        EvidenceLevel::Recorded,
        EvidenceLevel::Documented,
        EvidenceLevel::Inferred,
    ]
    .into_iter()
    .map(|level| (level, 0))
    .collect();
    for scenario in scenarios(report) {
        *counts.entry(scenario.evidence).or_default() += 1;
    }
    counts.into_iter().collect()
}

/// Scenarios on `target` that call `operation`: (passed outright, total). Only
/// [`Outcome::Pass`] counts as passed: a known or pending divergence is still a
/// divergence, and an unexpected pass fails the run until the baseline is shrunk.
pub(crate) fn conformance(report: &RunReport, target: &str, operation: &str) -> (usize, usize) {
    let calling =
        results_on(report, target).filter(|r| r.operations.iter().any(|o| o == operation));
    calling.fold((0, 0), |(passed, total), r| {
        (passed + usize::from(r.outcome == Outcome::Pass), total + 1)
    })
}

/// Where a divergence happened, in words.
pub(crate) fn place(step: Option<usize>) -> String {
    match step {
        Some(step) => format!("step {step}"),
        None => "fixtures".to_owned(),
    }
}
