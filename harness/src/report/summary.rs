//! The counts every report shows the same way: outcomes per target, scenarios per
//! evidence level, and conformance per operation. Computed once here so the JUnit,
//! Markdown and HTML reports can never disagree about a number.

use std::collections::BTreeMap;

use crate::scenario::EvidenceLevel;

use super::model::{Outcome, RunReport, ScenarioResult, Stage};

/// Places named per cause before the rest are only counted.
pub(crate) const MAX_PLACES: usize = 5;

/// The operations of the API, in the order the reports list them.
pub(crate) const OPERATIONS: [&str; 5] = [
    "CreateCompilationJob",
    "DescribeCompilationJob",
    "ListCompilationJobs",
    "StopCompilationJob",
    "DeleteCompilationJob",
];

/// Every outcome, in the order the reports list them (best first).
pub(crate) const OUTCOMES: [Outcome; 6] = [
    Outcome::Pass,
    Outcome::Known,
    Outcome::Pending,
    Outcome::Fail,
    Outcome::UnexpectedPass,
    Outcome::NotApplicable,
];

/// How many results had each outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    pub(crate) pass: usize,
    pub(crate) known: usize,
    pub(crate) pending: usize,
    pub(crate) fail: usize,
    pub(crate) unexpected_pass: usize,
    pub(crate) not_applicable: usize,
}

impl Tally {
    pub(crate) fn add(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Pass => self.pass += 1,
            Outcome::Known => self.known += 1,
            Outcome::Pending => self.pending += 1,
            Outcome::Fail => self.fail += 1,
            Outcome::UnexpectedPass => self.unexpected_pass += 1,
            Outcome::NotApplicable => self.not_applicable += 1,
        }
    }

    pub(crate) fn get(&self, outcome: Outcome) -> usize {
        match outcome {
            Outcome::Pass => self.pass,
            Outcome::Known => self.known,
            Outcome::Pending => self.pending,
            Outcome::Fail => self.fail,
            Outcome::UnexpectedPass => self.unexpected_pass,
            Outcome::NotApplicable => self.not_applicable,
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
        Outcome::NotApplicable => "not applicable",
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
        Outcome::NotApplicable => "not-applicable",
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

/// How many results on `target` reached their steps, stopped at their fixtures, and
/// were not applicable, in that order.
pub(crate) fn stages(report: &RunReport, target: &str) -> (usize, usize, usize) {
    results_on(report, target).fold((0, 0, 0), |(steps, fixtures, na), r| match r.stage {
        Stage::Steps => (steps + 1, fixtures, na),
        Stage::Fixtures => (steps, fixtures + 1, na),
        Stage::NotApplicable => (steps, fixtures, na + 1),
    })
}

/// The stage counts of one target in words.
pub fn stage_words(report: &RunReport, target: &str) -> String {
    let (steps, fixtures, na) = stages(report, target);
    format!("{steps} reached their steps, {fixtures} blocked at fixtures, {na} not applicable")
}

/// One cause of divergence and every place it explains.
#[derive(Debug, Clone)]
pub(crate) struct Cause<'a> {
    /// The cause in words: a baseline reason, a fixture blockage, or that nothing
    /// explains it.
    pub(crate) cause: String,
    /// The results and steps (`None`: fixtures) it explains.
    pub(crate) places: Vec<(&'a ScenarioResult, Option<usize>)>,
}

impl Cause<'_> {
    /// The first [`MAX_PLACES`] places as `show` writes each, then how many more there are.
    pub(crate) fn named_places(
        &self,
        show: impl Fn(&ScenarioResult, Option<usize>) -> String,
    ) -> String {
        let mut named: Vec<String> = self
            .places
            .iter()
            .take(MAX_PLACES)
            .map(|(result, step)| show(result, *step))
            .collect();
        if self.places.len() > MAX_PLACES {
            named.push(format!("… and {} more", self.places.len() - MAX_PLACES));
        }
        named.join(", ")
    }
}

/// What is unexplained: a divergence no baseline entry names.
pub(crate) const UNEXPLAINED: &str = "not in the baseline";

/// Every divergent place of the run grouped by its cause, the causes explaining most
/// places first: an implementer reads "moto creates every job COMPLETED (60 places)"
/// instead of sixty failures one by one.
pub(crate) fn causes(report: &RunReport) -> Vec<Cause<'_>> {
    fn add<'a>(
        causes: &mut Vec<Cause<'a>>,
        cause: String,
        place: (&'a ScenarioResult, Option<usize>),
    ) {
        match causes.iter_mut().find(|c| c.cause == cause) {
            Some(existing) => existing.places.push(place),
            None => causes.push(Cause {
                cause,
                places: vec![place],
            }),
        }
    }
    let mut causes: Vec<Cause<'_>> = Vec::new();
    for result in &report.results {
        if result.outcome == Outcome::NotApplicable {
            let why = result
                .baseline_reason
                .as_deref()
                .unwrap_or("no reason given");
            add(
                &mut causes,
                format!("not applicable: {why}"),
                (result, None),
            );
            continue;
        }
        for divergence in &result.divergences {
            let pending = result
                .baseline_reason
                .as_deref()
                .filter(|_| result.outcome == Outcome::Pending);
            let cause = match (&divergence.known, result.stage, divergence.step) {
                (Some(known), _, _) => known.clone(),
                (None, _, _) if pending.is_some() => {
                    format!("pending: {}", pending.unwrap_or_default())
                }
                (None, Stage::Fixtures, None) => {
                    let first = divergence.messages.first().map_or("", String::as_str);
                    let head = first.split(" (").next().unwrap_or(first);
                    format!("blocked at fixtures: {head}")
                }
                (None, _, _) => UNEXPLAINED.to_owned(),
            };
            add(&mut causes, cause, (result, divergence.step));
        }
    }
    causes.sort_by(|a, b| {
        b.places
            .len()
            .cmp(&a.places.len())
            .then(a.cause.cmp(&b.cause))
    });
    causes
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
