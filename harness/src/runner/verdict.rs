//! A scenario's result on one target: its failures and its snapshot comparison.

use std::time::{Duration, Instant};

use std::collections::BTreeMap;

use crate::compare::{SnapshotDiff, normalize, read_snapshot, snapshot_diff};
use crate::scenario::Scenario;
use crate::targets::{Target, TargetSpec};

use super::{Failure, Reach, RunOutcome, new_prefix, run};
use crate::scenario::Profile;

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
    /// How it differs from the committed snapshot, if it does: the first place and
    /// every place, from one comparison.
    pub snapshot_diff: Option<SnapshotDiff>,
    /// Whether the scenario has no committed snapshot yet.
    pub snapshot_missing: bool,
    /// What kinds of answers the target gave, to tell a vacuous target.
    pub stats: AnswerStats,
    /// How long the run took.
    pub elapsed: Duration,
    /// How far the scenario got.
    pub reach: Reach,
    /// Jobs clean-up could not remove from a shared target, each with why.
    pub left_behind: Vec<String>,
}

impl Verdict {
    /// Whether everything held and the snapshot matched.
    pub fn passed(&self) -> bool {
        self.reach == Reach::Steps
            && self.failures.is_empty()
            && self.snapshot_diff.is_none()
            && !self.snapshot_missing
    }

    /// The first step anything went wrong at, for reports.
    pub fn first_divergent_step(&self) -> Option<usize> {
        let from_failures = self.failures.iter().filter_map(|f| f.step).min();
        let from_snapshot = self.snapshot_diff.as_ref().and_then(|d| d.first.step);
        match (from_failures, from_snapshot) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

/// Counts of the answers a target gave in one run.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AnswerStats {
    /// Answers with status 200.
    pub ok: usize,
    /// Error answers by code (`__type`, or the status when there is none).
    pub errors: BTreeMap<String, usize>,
    /// Successful List answers.
    pub lists: usize,
    /// Successful List answers with at least one job.
    pub non_empty_lists: usize,
    /// Requests the scenarios expect to succeed (fixture creations and steps).
    pub expected_ok: usize,
    /// Steps whose expected answer lists at least one job.
    pub expected_jobs: usize,
}

impl AnswerStats {
    fn add(&mut self, transcript: &crate::transcript::Transcript) {
        for exchange in &transcript.exchanges {
            let body = exchange.response.json();
            if exchange.status == 200 {
                self.ok += 1;
                if let Some(list) = body
                    .and_then(|b| b.get("CompilationJobSummaries"))
                    .and_then(|l| l.as_array())
                {
                    self.lists += 1;
                    self.non_empty_lists += usize::from(!list.is_empty());
                }
            } else {
                let code = body
                    .and_then(|b| b.get("__type"))
                    .and_then(|t| t.as_str())
                    .map_or_else(|| exchange.status.to_string(), str::to_owned);
                *self.errors.entry(code).or_default() += 1;
            }
        }
    }

    /// The counts of every verdict together: what one target answered over a run.
    pub fn of(verdicts: &[Verdict]) -> AnswerStats {
        let mut stats = AnswerStats::default();
        verdicts.iter().for_each(|v| stats.merge(&v.stats));
        stats
    }

    /// Adds another run's counts.
    pub fn merge(&mut self, other: &AnswerStats) {
        self.ok += other.ok;
        for (code, n) in &other.errors {
            *self.errors.entry(code.clone()).or_default() += n;
        }
        self.lists += other.lists;
        self.non_empty_lists += other.non_empty_lists;
        self.expected_ok += other.expected_ok;
        self.expected_jobs += other.expected_jobs;
    }

    /// Counts what a scenario expects of the requests that were sent, so a run of error
    /// scenarios alone, or of scenarios whose fixtures could not be made, is not called
    /// vacuous for answers nobody expected to be otherwise.
    fn expect(&mut self, scenario: &Scenario, transcript: &crate::transcript::Transcript) {
        // Fixture requests are meant to succeed.
        for answer in &transcript.setup_answers {
            self.expected_ok += 1;
            match answer {
                None => self.ok += 1,
                Some(code) => *self.errors.entry(code.clone()).or_default() += 1,
            }
        }
        let mut seen_steps = Vec::new();
        for exchange in &transcript.exchanges {
            if seen_steps.contains(&exchange.step) {
                continue;
            }
            seen_steps.push(exchange.step);
            let step = scenario.file.steps.get(exchange.step.saturating_sub(1));
            let Some(expect) = step.and_then(|s| s.expect()) else {
                continue;
            };
            if expect.error.is_none() && expect.status.is_none_or(|s| s == 200) {
                self.expected_ok += 1;
            }
            let names = expect.names.iter().flatten();
            let pages = expect.pages.iter().flatten().flatten();
            if names.chain(pages).next().is_some() {
                self.expected_jobs += 1;
            }
        }
    }

    /// Why these answers prove nothing, if they do not: every answer the same error, or
    /// every list empty.
    pub fn vacuity(&self) -> Option<String> {
        if self.ok == 0 && self.expected_ok > 0 && self.errors.len() == 1 {
            let (code, n) = self.errors.iter().next()?;
            return Some(format!("all {n} answers were the error {code}"));
        }
        if self.ok == 0 && self.expected_ok > 0 && !self.errors.is_empty() {
            return Some("no request succeeded".to_owned());
        }
        if self.lists > 0 && self.non_empty_lists == 0 && self.expected_jobs > 0 {
            return Some(format!(
                "all {} ListCompilationJobs answers were empty",
                self.lists
            ));
        }
        None
    }
}

/// Runs a scenario on a fresh target from `spec` and compares it with its snapshot.
pub async fn judge(scenario: &Scenario, spec: &TargetSpec, profile: &Profile) -> Verdict {
    judge_in(scenario, spec, profile, None).await
}

/// As [`judge`], with a URL target's requests sent to `region`.
pub async fn judge_in(
    scenario: &Scenario,
    spec: &TargetSpec,
    profile: &Profile,
    region: Option<&str>,
) -> Verdict {
    match spec.open_in(region) {
        Ok(target) => judge_on(scenario, target.as_ref(), profile, &new_prefix()).await,
        Err(error) => compare(
            scenario,
            spec.label(),
            RunOutcome {
                transcript: Default::default(),
                failures: vec![Failure {
                    step: None,
                    message: error.to_string(),
                }],
                reach: Reach::Fixtures,
                left_behind: Vec::new(),
            },
            String::new(),
            AnswerStats::default(),
            Instant::now(),
        ),
    }
}

/// Runs a scenario on a target that is already open, with a given name prefix (a
/// replay must use its recording's), and compares it with its snapshot.
pub async fn judge_on(
    scenario: &Scenario,
    target: &dyn Target,
    profile: &Profile,
    prefix: &str,
) -> Verdict {
    let started = Instant::now();
    let mut stats = AnswerStats::default();
    let outcome = run(scenario, target, profile, prefix).await;
    stats.add(&outcome.transcript);
    stats.expect(scenario, &outcome.transcript);
    let snapshot = normalize(&outcome.transcript, profile);
    compare(scenario, target.label(), outcome, snapshot, stats, started)
}

fn compare(
    scenario: &Scenario,
    target_label: String,
    outcome: RunOutcome,
    snapshot: String,
    stats: AnswerStats,
    started: Instant,
) -> Verdict {
    let RunOutcome {
        failures,
        reach,
        left_behind,
        ..
    } = outcome;
    // A scenario that did not run has nothing to compare.
    let applicable = !matches!(reach, Reach::NotApplicable(_));
    let committed = applicable
        .then(|| read_snapshot(&scenario.snapshot_path()))
        .flatten();
    let snapshot_missing = applicable && committed.is_none();
    let snapshot_diff = committed
        .as_deref()
        .and_then(|want| snapshot_diff(want, &snapshot));
    Verdict {
        scenario: scenario.id.clone(),
        target: target_label,
        failures,
        snapshot,
        snapshot_diff,
        snapshot_missing,
        stats,
        elapsed: started.elapsed(),
        reach,
        left_behind,
    }
}
