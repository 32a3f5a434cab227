//! Markdown for a pull-request comment: the counts and the conformance table first,
//! then just enough of each failure to act on (its first divergent step, diff capped),
//! with known and pending divergences collapsed. The full evidence lives in the JUnit
//! and HTML reports; a comment has to stay readable (and under the forge's size limit)
//! however badly a target does.

use std::fmt::Write as _;

use super::model::{Divergence, Outcome, RunReport, ScenarioResult};
use super::printable::printable;
use super::summary::{
    OPERATIONS, OUTCOMES, causes, conformance, evidence_counts, evidence_word, outcome_word, place,
    stage_words, tally, target_labels,
};

/// Diff lines shown per failure before the rest is summarized.
pub(crate) const DIFF_LINES: usize = 40;
/// Failing results shown in full before the rest are only counted.
pub(crate) const MAX_FAILURES: usize = 25;
/// Entries listed in each collapsed section before the rest are only counted.
pub(crate) const MAX_COLLAPSED: usize = 100;

/// Renders `report` as a Markdown pull-request comment.
pub fn markdown(report: &RunReport) -> String {
    let mut out = String::new();
    title(&mut out, report);
    targets(&mut out, report);
    evidence(&mut out, report);
    table(&mut out, report);
    failures(&mut out, report);
    by_cause(&mut out, report);
    collapsed(&mut out, report, Outcome::Known, "Known divergences");
    collapsed(&mut out, report, Outcome::Pending, "Pending scenarios");
    out
}

fn title(out: &mut String, report: &RunReport) {
    let failing = report.results.iter().filter(|r| r.outcome.fails()).count();
    let status = match (failing, report.vacuous.len()) {
        (0, 0) => "✅ no failures".to_owned(),
        (0, v) => format!("⚠️ {v} vacuous target{}", plural(v)),
        (f, _) => format!("❌ {f} failing"),
    };
    let _ = writeln!(out, "## cjh contract run: {status}\n");
}

/// One line per target with every outcome count, vacuity first when there is any.
fn targets(out: &mut String, report: &RunReport) {
    for label in target_labels(report) {
        let counts = tally(report, label);
        let words: Vec<String> = OUTCOMES
            .iter()
            .map(|&o| format!("{} {}", counts.get(o), outcome_word(o)))
            .collect();
        let vacuity: String = report
            .vacuous
            .iter()
            .filter(|v| v.target == label)
            .map(|v| format!("⚠️ vacuous: {}; ", inline(&v.reason)))
            .collect();
        let _ = writeln!(
            out,
            "- **{}**: {vacuity}{} ({} scenario{}; {})",
            inline(label),
            words.join(", "),
            counts.total(),
            plural(counts.total()),
            stage_words(report, label),
        );
    }
    let _ = writeln!(out, "\nRun time: {:.1} s.\n", report.seconds.max(0.0));
}

fn evidence(out: &mut String, report: &RunReport) {
    let counts = evidence_counts(report);
    let total: usize = counts.iter().map(|(_, n)| n).sum();
    let words: Vec<String> = counts
        .iter()
        .map(|&(level, n)| format!("{n} {}", evidence_word(level)))
        .collect();
    let _ = writeln!(
        out,
        "Evidence: {} ({total} scenario{}).\n",
        words.join(", "),
        plural(total)
    );
}

/// The per-operation conformance table: scenarios passed outright / scenarios calling it.
fn table(out: &mut String, report: &RunReport) {
    let labels = target_labels(report);
    out.push_str("### Conformance by operation\n\n| Operation |");
    for label in &labels {
        let _ = write!(out, " {} |", inline(label));
    }
    out.push_str("\n|---|");
    out.push_str(&"---:|".repeat(labels.len()));
    out.push('\n');
    for operation in OPERATIONS {
        let _ = write!(out, "| {operation} |");
        for label in &labels {
            let cell = match conformance(report, label, operation) {
                (_, 0) => "—".to_owned(),
                (passed, total) => format!("{passed}/{total}"),
            };
            let _ = write!(out, " {cell} |");
        }
        out.push('\n');
    }
    out.push_str("\nA cell counts the scenarios that call the operation and passed outright.\n\n");
}

fn failures(out: &mut String, report: &RunReport) {
    let failing: Vec<&ScenarioResult> = report
        .results
        .iter()
        .filter(|r| r.outcome.fails())
        .collect();
    if failing.is_empty() {
        return;
    }
    out.push_str("### Failures\n\n");
    for result in failing.iter().take(MAX_FAILURES) {
        failure(out, result);
    }
    if failing.len() > MAX_FAILURES {
        let _ = writeln!(
            out,
            "… and {} more failing results: see the JUnit or HTML report.\n",
            failing.len() - MAX_FAILURES
        );
    }
}

/// Every divergent place grouped by cause, most places first, a few places named each.
fn by_cause(out: &mut String, report: &RunReport) {
    let causes = causes(report);
    if causes.is_empty() {
        return;
    }
    out.push_str("### Divergences by cause\n\n| cause | places | where |\n|---|---:|---|\n");
    for cause in causes.iter().take(MAX_COLLAPSED) {
        let named = cause.named_places(|result, step| {
            format!(
                "{} {} on {}",
                code(&result.scenario),
                place(step),
                inline(&result.target)
            )
        });
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            inline(&cause.cause),
            cause.places.len(),
            named
        );
    }
    if causes.len() > MAX_COLLAPSED {
        let _ = writeln!(out, "\n… and {} more causes.", causes.len() - MAX_COLLAPSED);
    }
    out.push('\n');
}

/// One failing result: its first new divergence, with messages and a capped diff.
fn failure(out: &mut String, result: &ScenarioResult) {
    let _ = writeln!(
        out,
        "#### {} on **{}**: {}\n",
        code(&result.scenario),
        inline(&result.target),
        outcome_word(result.outcome),
    );
    if result.outcome == Outcome::UnexpectedPass {
        let reason = result
            .baseline_reason
            .as_deref()
            .unwrap_or("no reason given");
        let _ = writeln!(
            out,
            "The baseline lists a divergence here ({}) that no longer happens: shrink the baseline.\n",
            inline(reason),
        );
    }
    let first = result
        .divergences
        .iter()
        .find(|d| d.known.is_none())
        .or(result.divergences.first());
    if let Some(first) = first {
        divergence(out, first, result.divergences.len());
    }
}

fn divergence(out: &mut String, divergence: &Divergence, of: usize) {
    let others = match of {
        0 | 1 => String::new(),
        n => format!(" (first of {n} divergent places)"),
    };
    let heading = match divergence.step {
        Some(step) => format!("Step {step}"),
        None => "Fixtures".to_owned(),
    };
    let _ = writeln!(out, "{heading}{others}:\n");
    for message in &divergence.messages {
        let _ = writeln!(out, "- {}", inline(message));
    }
    if !divergence.messages.is_empty() {
        out.push('\n');
    }
    if let Some(diff) = &divergence.diff {
        let shown = capped(&printable(diff), DIFF_LINES);
        let fence = fence(&shown);
        let _ = writeln!(out, "{fence}diff\n{shown}\n{fence}\n");
    }
}

/// The first `max` lines of `diff`, then a line saying how many were left out.
pub(crate) fn capped(diff: &str, max: usize) -> String {
    let lines: Vec<&str> = diff.lines().collect();
    if lines.len() <= max {
        return lines.join("\n");
    }
    let mut shown = lines[..max].join("\n");
    let more = lines.len() - max;
    let _ = write!(shown, "\n… {more} more line{}", plural(more));
    shown
}

/// A collapsed list of the results with `outcome`, each with the baseline's reasons.
fn collapsed(out: &mut String, report: &RunReport, outcome: Outcome, title: &str) {
    let results: Vec<&ScenarioResult> = report
        .results
        .iter()
        .filter(|r| r.outcome == outcome)
        .collect();
    if results.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<details>\n<summary>{title} ({})</summary>\n",
        results.len()
    );
    for result in results.iter().take(MAX_COLLAPSED) {
        let reasons = reasons(result);
        let _ = writeln!(
            out,
            "- {} on **{}**: {}",
            code(&result.scenario),
            inline(&result.target),
            reasons
        );
    }
    if results.len() > MAX_COLLAPSED {
        let _ = writeln!(out, "- … and {} more", results.len() - MAX_COLLAPSED);
    }
    out.push_str("\n</details>\n\n");
}

/// Each divergent step's known reason, labelled with its step; the result's own reason
/// (a pending mark) when no step has one. Separated by " · ", since reasons end in a period.
fn reasons(result: &ScenarioResult) -> String {
    let mut parts: Vec<String> = result
        .divergences
        .iter()
        .filter_map(|d| {
            d.known
                .as_ref()
                .map(|known| format!("{}: {}", place(d.step), inline(known)))
        })
        .collect();
    if parts.is_empty()
        && let Some(reason) = &result.baseline_reason
    {
        parts.push(inline(reason));
    }
    if parts.is_empty() {
        parts.push("no reason given".to_owned());
    }
    parts.join(" · ")
}

fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in printable(text).chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '~' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// `text` as a code span, with a backtick run longer than any inside it.
fn code(text: &str) -> String {
    let text = printable(text).replace(['\n', '\r'], " ");
    let ticks = "`".repeat(longest_backtick_run(&text) + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{text}{pad}{ticks}")
}

/// A code fence longer than any backtick run in `content`, so content cannot close it.
fn fence(content: &str) -> String {
    "`".repeat((longest_backtick_run(content) + 1).max(3))
}

fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_prose_is_escaped() {
        assert_eq!(inline("a <b> | *c*\nd"), "a \\<b\\> \\| \\*c\\* d");
    }

    #[test]
    fn code_spans_and_fences_outgrow_the_backticks_inside() {
        assert_eq!(code("a``b"), "```a``b```");
        assert_eq!(code("`a"), "`` `a ``");
        assert_eq!(fence("x\n````\n"), "`````");
        assert_eq!(fence("plain"), "```");
    }

    #[test]
    fn a_short_diff_is_shown_whole() {
        assert_eq!(capped("a\nb\n", 2), "a\nb");
        assert_eq!(capped("a\nb\nc\n", 2), "a\nb\n… 1 more line");
    }
}
