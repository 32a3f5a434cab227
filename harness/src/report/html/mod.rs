//! One self-contained HTML page: summary counts and a legend on top, then the scenario ×
//! target matrix, each cell coloured by outcome and expanding to its divergences with a
//! coloured diff. Everything is inline (style sheet, script, no fonts or images) and a
//! Content-Security-Policy forbids loading anything else, because the page is opened
//! from CI artifacts, often offline, and holds text that targets under test sent.
//!
//! The markup is maud templates, checked at compile time, and every value spliced into
//! them is escaped by maud; text from a target goes in as [`Shown`].

mod causes;
mod matrix;
mod shown;

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::model::RunReport;
use super::summary::{
    OUTCOMES, evidence_counts, evidence_word, outcome_slug, outcome_word, stage_words, tally,
    target_labels,
};
use shown::Shown;

const STYLE: &str = include_str!("style.css");
const SCRIPT: &str = include_str!("script.js");
/// Only inline style and script may run; nothing may be fetched.
const POLICY: &str =
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

/// Renders `report` as a self-contained HTML page.
pub fn html(report: &RunReport) -> String {
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta http-equiv="Content-Security-Policy" content=(POLICY);
                title { "cjh contract run" }
                // The style sheet and the script are the crate's own files, not report text.
                style { (PreEscaped(STYLE)) }
            }
            body {
                (header(report))
                (causes::by_cause(report))
                (matrix::matrix(report))
                script { (PreEscaped(SCRIPT)) }
            }
        }
    };
    page.into_string()
}

/// Title, overall status, per-target counts, evidence counts, vacuity and the legend.
fn header(report: &RunReport) -> Markup {
    let failing = report.results.iter().filter(|r| r.outcome.fails()).count();
    let (class, status) = match (failing, report.vacuous.len()) {
        (0, 0) => ("good", "No failures.".to_owned()),
        (0, v) => ("warn", format!("No failures, but {v} vacuous target(s).")),
        (f, _) => ("bad", format!("{f} failing result(s).")),
    };
    let ran = format!(
        "{} result(s) in {:.1} s.",
        report.results.len(),
        report.seconds.max(0.0)
    );
    html! {
        h1 { "cjh contract run" }
        p class={ "status " (class) } { (status) " " (ran) }
        @for vacuity in &report.vacuous {
            div class="vacuous" {
                "⚠ " (Shown(&vacuity.target)) " is vacuous: " (Shown(&vacuity.reason))
            }
        }
        div class="top" {
            (summary(report))
            div {
                p class="evidence" {
                    "Evidence (scenarios): "
                    @for (level, n) in evidence_counts(report) {
                        @let word = evidence_word(level);
                        span class={ "ev ev-" (word) } { (n) " " (word) }
                    }
                }
                p class="legend" {
                    "Legend: "
                    @for outcome in OUTCOMES {
                        span class=(outcome_slug(outcome)) { (outcome_word(outcome)) }
                    }
                    span class="missing" { "not run" }
                }
            }
        }
        div class="controls" {
            button type="button" id="expand-all" { "Expand all" }
            button type="button" id="collapse-all" { "Collapse all" }
            label { input type="checkbox" id="only-failing"; " Only rows with failures" }
        }
    }
}

/// The per-target counts, one row per target.
fn summary(report: &RunReport) -> Markup {
    html! {
        table class="summary" {
            thead {
                tr {
                    th { "Target" }
                    @for outcome in OUTCOMES { th { (outcome_word(outcome)) } }
                    th { "total" }
                    th { "reached" }
                }
            }
            tbody {
                @for label in target_labels(report) {
                    @let counts = tally(report, label);
                    tr {
                        th scope="row" { (Shown(label)) }
                        @for outcome in OUTCOMES {
                            @let n = counts.get(outcome);
                            td class={ "n " (if n > 0 { outcome_slug(outcome) } else { "" }) } { (n) }
                        }
                        td class="n" { (counts.total()) }
                        td { (Shown(&stage_words(report, label))) }
                    }
                }
            }
        }
    }
}
