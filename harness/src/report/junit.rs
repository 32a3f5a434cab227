//! JUnit XML, the one format every CI server reads: one `<testsuite>` per target, one
//! `<testcase>` per scenario. Written to validate against the Jenkins xunit-plugin's
//! `junit-10.xsd` (which, for instance, requires `errors` on every suite).

use std::fmt::Write as _;

use super::escape::{attr, text};
use super::model::{Divergence, Outcome, RunReport, ScenarioResult};
use super::summary::{place, results_on, tally, target_labels};

/// The test case a vacuous target gets, so CI shows it as a failure of its own.
pub(crate) const VACUOUS_CASE: &str = "target-is-vacuous";

/// Renders `report` as JUnit XML.
///
/// Fail and UnexpectedPass become `<failure>` (type `divergence` or `unexpected-pass`)
/// whose text holds every divergence with its messages and diff; Known and Pending become
/// `<skipped>` with the baseline's reason; a vacuous target gets an extra failing case
/// named `target-is-vacuous`.
pub fn junit(report: &RunReport) -> String {
    let labels = target_labels(report);
    let mut total = (0usize, 0usize);
    let mut suites = String::new();
    for label in &labels {
        let (tests, failures) = suite(&mut suites, report, label);
        total = (total.0 + tests, total.1 + failures);
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"cjh\" tests=\"{}\" failures=\"{}\" errors=\"0\" time=\"{}\">",
        total.0,
        total.1,
        seconds(report.seconds),
    );
    out.push_str(&suites);
    out.push_str("</testsuites>\n");
    out
}

/// Writes one target's suite; returns its (tests, failures).
fn suite(out: &mut String, report: &RunReport, label: &str) -> (usize, usize) {
    let vacuity: Vec<&str> = report
        .vacuous
        .iter()
        .filter(|v| v.target == label)
        .map(|v| v.reason.as_str())
        .collect();
    let counts = tally(report, label);
    let tests = counts.total() + vacuity.len();
    let failures = counts.failing() + vacuity.len();
    let skipped = counts.known + counts.pending;
    let millis: f64 = results_on(report, label).map(|r| finite(r.millis)).sum();
    let _ = writeln!(
        out,
        "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" \
         skipped=\"{skipped}\" time=\"{}\">",
        attr(label),
        seconds(millis / 1000.0),
    );
    for reason in vacuity {
        let _ = writeln!(
            out,
            "    <testcase classname=\"{}\" name=\"{VACUOUS_CASE}\" time=\"0.000\">\n      \
             <failure message=\"{}\" type=\"vacuous\">{}</failure>\n    </testcase>",
            attr(label),
            attr(reason),
            text(&format!(
                "The target's answers prove nothing about conformance: {reason}"
            )),
        );
    }
    for result in results_on(report, label) {
        case(out, result);
    }
    out.push_str("  </testsuite>\n");
    (tests, failures)
}

/// Writes one scenario's test case.
fn case(out: &mut String, result: &ScenarioResult) {
    let _ = write!(
        out,
        "    <testcase classname=\"{}\" name=\"{}\" time=\"{}\"",
        attr(&result.target),
        attr(&result.scenario),
        seconds(finite(result.millis) / 1000.0),
    );
    let reason = reason(result);
    let inner = match result.outcome {
        Outcome::Pass => None,
        Outcome::Known => Some(skipped(&format!("known divergence: {reason}"))),
        Outcome::Pending => Some(skipped(&format!("pending: {reason}"))),
        Outcome::NotApplicable => Some(skipped(&format!("not applicable: {reason}"))),
        Outcome::Fail => Some(failure(result, &fail_message(result))),
        Outcome::UnexpectedPass => Some(failure(
            result,
            &format!(
                "no longer diverges, but the baseline says it does ({reason}): shrink the baseline"
            ),
        )),
    };
    match inner {
        None => out.push_str("/>\n"),
        Some(inner) => {
            let _ = write!(out, ">\n      {inner}\n    </testcase>\n");
        }
    }
}

fn skipped(message: &str) -> String {
    format!("<skipped message=\"{}\"/>", attr(message))
}

fn failure(result: &ScenarioResult, message: &str) -> String {
    format!(
        "<failure message=\"{}\" type=\"{}\">{}</failure>",
        attr(message),
        if result.outcome == Outcome::UnexpectedPass {
            "unexpected-pass"
        } else {
            "divergence"
        },
        text(&details(result)),
    )
}

/// The failure message of a Fail: where it first diverged and why, in one line.
fn fail_message(result: &ScenarioResult) -> String {
    let first = result
        .divergences
        .iter()
        .find(|d| d.known.is_none())
        .or(result.divergences.first());
    let Some(first) = first else {
        return "diverged".to_owned();
    };
    let why = first
        .messages
        .first()
        .map_or("differs from the snapshot", String::as_str);
    let more = match result.divergences.len() {
        0 | 1 => String::new(),
        2 => " (and 1 more divergent place)".to_owned(),
        n => format!(" (and {} more divergent places)", n - 1),
    };
    format!("{}: {why}{more}", place(first.step))
}

/// The baseline's reason for a result, or the first known divergence's.
fn reason(result: &ScenarioResult) -> &str {
    result
        .baseline_reason
        .as_deref()
        .or_else(|| result.divergences.iter().find_map(|d| d.known.as_deref()))
        .unwrap_or("no reason given")
}

/// The full text of a failure: the baseline's reason, then every divergence with its
/// messages and diff, so a CI page shows everything without the other reports.
fn details(result: &ScenarioResult) -> String {
    let mut out = String::new();
    if let Some(reason) = &result.baseline_reason {
        let _ = writeln!(out, "baseline: {reason}");
    }
    if result.divergences.is_empty() {
        out.push_str("no divergence on this run\n");
    }
    for divergence in &result.divergences {
        divergence_text(&mut out, divergence);
    }
    out
}

fn divergence_text(out: &mut String, divergence: &Divergence) {
    if !out.is_empty() {
        out.push('\n');
    }
    let _ = writeln!(out, "{}:", place(divergence.step));
    for message in &divergence.messages {
        let _ = writeln!(out, "- {message}");
    }
    if let Some(reason) = &divergence.known {
        let _ = writeln!(out, "known divergence: {reason}");
    }
    if let Some(diff) = &divergence.diff {
        out.push_str(diff);
        if !diff.ends_with('\n') {
            out.push('\n');
        }
    }
}

/// A duration the schema's SUREFIRE_TIME accepts (digits, a point, digits).
fn seconds(value: f64) -> String {
    format!("{:.3}", finite(value))
}

/// Durations are measured, so they are finite and not negative; anything else is 0.
fn finite(value: f64) -> f64 {
    if value.is_finite() && value > 0.0 {
        value
    } else {
        0.0
    }
}
