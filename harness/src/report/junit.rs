//! JUnit XML, the one format every CI server reads: one `<testsuite>` per target, one
//! `<testcase>` per scenario, written by `quick-junit`, the writer nextest reports
//! with. It validates against the Jenkins xunit-plugin's `junit-10.xsd` (which, for
//! instance, requires `errors` on every suite).

use std::time::Duration;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

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
    let mut junit = Report::new("cjh");
    junit.set_time(duration(report.seconds));
    for label in target_labels(report) {
        junit.add_test_suite(suite(report, label));
    }
    let xml = junit.to_string().unwrap_or_default();
    // quick-junit also totals the skipped cases on `<testsuites>`, an attribute
    // junit-10.xsd does not allow there (only on `<testsuite>`); the root element is
    // written first, so the first such attribute is its own.
    xml.replacen(&format!(" skipped=\"{}\"", junit.skipped), "", 1)
}

/// One target's suite, its counts those every report gives.
fn suite(report: &RunReport, label: &str) -> TestSuite {
    let mut suite = TestSuite::new(shown(label));
    let mut millis = 0.0;
    for reason in report
        .vacuous
        .iter()
        .filter(|v| v.target == label)
        .map(|v| v.reason.as_str())
    {
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
        status
            .set_message(shown(reason))
            .set_type("vacuous")
            .set_description(shown(&format!(
                "The target's answers prove nothing about conformance: {reason}"
            )));
        let mut case = TestCase::new(VACUOUS_CASE, status);
        case.set_classname(shown(label)).set_time(Duration::ZERO);
        suite.add_test_case(case);
    }
    let vacuity = suite.test_cases.len();
    for result in results_on(report, label) {
        millis += finite(result.millis);
        suite.add_test_case(case(result));
    }
    let counts = tally(report, label);
    suite.tests = counts.total() + vacuity;
    suite.failures = counts.failing() + vacuity;
    suite.skipped = counts.known + counts.pending;
    suite.set_time(duration(millis / 1000.0));
    suite
}

/// One scenario's test case.
fn case(result: &ScenarioResult) -> TestCase {
    let reason = reason(result);
    let status = match result.outcome {
        Outcome::Pass => TestCaseStatus::success(),
        Outcome::Known => skipped(&format!("known divergence: {reason}")),
        Outcome::Pending => skipped(&format!("pending: {reason}")),
        Outcome::NotApplicable => skipped(&format!("not applicable: {reason}")),
        Outcome::Fail => failure(result, &fail_message(result)),
        Outcome::UnexpectedPass => failure(
            result,
            &format!(
                "no longer diverges, but the baseline says it does ({reason}): shrink the baseline"
            ),
        ),
    };
    let mut case = TestCase::new(shown(&result.scenario), status);
    case.set_classname(shown(&result.target))
        .set_time(duration(finite(result.millis) / 1000.0));
    case
}

fn skipped(message: &str) -> TestCaseStatus {
    let mut status = TestCaseStatus::skipped();
    status.set_message(shown(message));
    status
}

fn failure(result: &ScenarioResult, message: &str) -> TestCaseStatus {
    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
    status
        .set_message(shown(message))
        .set_type(if result.outcome == Outcome::UnexpectedPass {
            "unexpected-pass"
        } else {
            "divergence"
        })
        .set_description(shown(&details(result)));
    status
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
        out.push_str(&format!("baseline: {reason}\n"));
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
    out.push_str(&format!("{}:\n", place(divergence.step)));
    for message in &divergence.messages {
        out.push_str(&format!("- {message}\n"));
    }
    if let Some(reason) = &divergence.known {
        out.push_str(&format!("known divergence: {reason}\n"));
    }
    if let Some(diff) = &divergence.diff {
        out.push_str(diff);
        if !diff.ends_with('\n') {
            out.push('\n');
        }
    }
}

/// Text from a target as the file shows it. quick-junit drops, silently, the
/// characters XML 1.0 forbids and also tabs, carriage returns, DEL, the C1 controls and
/// ANSI escape sequences (it was made for terminal output); a CI server that rejects the
/// file hides every result in it, and a reader should still see that a NUL or an escape
/// was there. So each control but the line feed is first replaced by a visible stand-in:
/// C0 controls and DEL by their Unicode control pictures, the C1 controls and the
/// noncharacters U+FFFE and U+FFFF by U+FFFD.
fn shown(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' => c,
            '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + u32::from(c)).unwrap_or('\u{fffd}'),
            '\u{7f}' => '\u{2421}',
            '\u{80}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}' => '\u{fffd}',
            _ => c,
        })
        .collect()
}

/// A measured duration in seconds; anything not finite or negative is 0.
fn duration(seconds: f64) -> Duration {
    Duration::from_secs_f64(finite(seconds))
}

/// Durations are measured, so they are finite and not negative; anything else is 0.
fn finite(value: f64) -> f64 {
    if value.is_finite() && value > 0.0 {
        value
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use quick_junit::XmlString;

    use super::*;

    #[test]
    fn nothing_a_target_sent_is_dropped_by_the_writer() {
        let every: String = (0..=u32::from(char::MAX))
            .filter_map(char::from_u32)
            .collect();
        let text = shown(&every);
        assert_eq!(XmlString::new(&text).as_str(), text);
        assert_eq!(text.chars().count(), every.chars().count());
    }

    #[test]
    fn controls_become_visible_stand_ins_and_line_breaks_stay() {
        assert_eq!(
            shown("a\u{0}b\tc\rd\u{1b}[31me\u{7f}f\u{9b}g\nh\u{ffff}"),
            "a\u{2400}b\u{2409}c\u{240d}d\u{241b}[31me\u{2421}f\u{fffd}g\nh\u{fffd}"
        );
        assert_eq!(shown("Zürich ✓ 日本"), "Zürich ✓ 日本");
    }

    #[test]
    fn the_root_element_carries_no_skipped_count() {
        let report = RunReport {
            targets: vec!["emulator".to_owned()],
            results: Vec::new(),
            vacuous: Vec::new(),
            seconds: 1.0,
        };
        let xml = junit(&report);
        let root = xml.lines().find(|line| line.starts_with("<testsuites"));
        assert!(root.is_some_and(|root| !root.contains("skipped")), "{xml}");
    }
}
