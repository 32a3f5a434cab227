//! What a run prints: the result table, each failure's first divergent step with its
//! diff, the vacuous targets, and the summary line; `cjh run` and `cjh report merge` print
//! the same.

use std::io::Write;

use super::reports::outcome_label;
use crate::report::{Outcome, RunReport, ScenarioResult};

/// Prints the table, the failures, the vacuous targets and the summary.
pub(super) fn print(report: &RunReport, invalid: usize) -> std::io::Result<()> {
    let mut out = std::io::stdout();
    write!(out, "{}", table(report))?;
    for result in report.results.iter().filter(|r| r.outcome.fails()) {
        write!(out, "{}", failure_report(result))?;
    }
    for vacuity in &report.vacuous {
        writeln!(
            out,
            "VACUOUS {}: {} (not counted as conforming)",
            vacuity.target, vacuity.reason
        )?;
    }
    writeln!(out, "{}", summary(report, invalid))
}

/// How a finished run ends: vacuous, failed, or held (`forgiven` when the run rewrote its
/// baseline to what it found).
pub(super) fn ending(report: &RunReport, forgiven: bool) -> super::exit::Exit {
    let failed = report.results.iter().any(|r| r.outcome.fails());
    if !report.vacuous.is_empty() {
        super::exit::Exit::Vacuous
    } else {
        super::exit::Exit::held(!failed || forgiven)
    }
}

fn table(report: &RunReport) -> String {
    let width = report
        .results
        .iter()
        .map(|r| r.scenario.len())
        .max()
        .unwrap_or(8)
        .max(8);
    let target_width = report
        .targets
        .iter()
        .map(String::len)
        .max()
        .unwrap_or(6)
        .max(6);
    let mut text = format!(
        "{:<width$}  {:<target_width$}  {:<15}  {:>8}\n",
        "scenario", "target", "result", "time"
    );
    for r in &report.results {
        text.push_str(&format!(
            "{:<width$}  {:<target_width$}  {:<15}  {:>6.1}ms\n",
            r.scenario,
            r.target,
            outcome_label(r.outcome),
            r.millis
        ));
    }
    text
}

fn failure_report(result: &ScenarioResult) -> String {
    let first = result.divergences.iter().find(|d| d.known.is_none());
    let mut text = format!("--- {} on {}", result.scenario, result.target);
    match first.and_then(|d| d.step) {
        Some(step) => text.push_str(&format!(" (first divergence at step {step})\n")),
        None => text.push('\n'),
    }
    if let Some(divergence) = first {
        for message in &divergence.messages {
            text.push_str(&format!("  {message}\n"));
        }
        if let Some(diff) = &divergence.diff {
            for line in diff.lines() {
                text.push_str(&format!("    {line}\n"));
            }
        }
    }
    let others = result
        .divergences
        .iter()
        .filter(|d| d.known.is_none())
        .count()
        .saturating_sub(1);
    if others > 0 {
        text.push_str(&format!("  ... and {others} more divergent steps\n"));
    }
    text
}

fn summary(report: &RunReport, invalid: usize) -> String {
    let mut parts = Vec::new();
    for target in &report.targets {
        let of = |o: Outcome| {
            report
                .results
                .iter()
                .filter(|r| &r.target == target && r.outcome == o)
                .count()
        };
        let passed = of(Outcome::Pass);
        let failed = of(Outcome::Fail) + of(Outcome::UnexpectedPass);
        let mut line = format!("{target}: {passed} passed, {failed} failed");
        let (known, pending) = (of(Outcome::Known), of(Outcome::Pending));
        if known + pending > 0 {
            line.push_str(&format!(", {known} known, {pending} pending"));
        }
        line.push_str(&format!("; {}", crate::report::stage_words(report, target)));
        let left: Vec<&String> = report
            .results
            .iter()
            .filter(|r| &r.target == target)
            .flat_map(|r| &r.left_behind)
            .collect();
        if !left.is_empty() {
            line.push_str(&format!(
                "\n{target}: clean-up left {} jobs behind: {}",
                left.len(),
                left.iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        parts.push(line);
    }
    let mut text = parts.join("\n");
    if invalid > 0 {
        text.push_str(&format!("\n{invalid} invalid scenario files"));
    }
    text.push_str(&format!("\n({:.2} s)", report.seconds));
    text
}
