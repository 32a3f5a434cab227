//! The scenario × target matrix: one row per scenario, one cell per target, each cell
//! coloured by outcome and expanding to the baseline's reason and every divergence.

use maud::{Markup, html};

use super::super::model::{Divergence, Outcome, RunReport, ScenarioResult};
use super::super::summary::{
    evidence_word, outcome_slug, outcome_word, place, scenarios, target_labels,
};
use super::Shown;

/// The matrix table.
pub(super) fn matrix(report: &RunReport) -> Markup {
    let labels = target_labels(report);
    html! {
        table class="matrix" {
            thead {
                tr {
                    th { "Scenario" }
                    th { "Evidence" }
                    @for label in &labels { th { (Shown(label)) } }
                }
            }
            tbody {
                @for scenario in scenarios(report) {
                    @let row: Vec<Option<&ScenarioResult>> = labels
                        .iter()
                        .map(|label| {
                            report
                                .results
                                .iter()
                                .find(|r| r.scenario == scenario.scenario && r.target == *label)
                        })
                        .collect();
                    @let fails = row.iter().flatten().any(|r| r.outcome.fails());
                    @let first_line = scenario.description.lines().next().unwrap_or_default();
                    @let word = evidence_word(scenario.evidence);
                    tr data-fails=(fails) {
                        th scope="row" title=(Shown(&scenario.description)) {
                            code { (Shown(&scenario.scenario)) }
                            div class="desc" { (Shown(first_line)) }
                        }
                        td { span class={ "ev ev-" (word) } { (word) } }
                        @for cell in row {
                            @match cell {
                                Some(result) => (result_cell(result)),
                                None => td class="cell missing" { "not run" },
                            }
                        }
                    }
                }
            }
        }
    }
}

/// One cell: the outcome, expanding to the baseline's reason and every divergence.
fn result_cell(result: &ScenarioResult) -> Markup {
    let slug = outcome_slug(result.outcome);
    let word = outcome_word(result.outcome);
    let millis = format!("{:.0} ms", result.millis.max(0.0));
    let places = match result.divergences.len() {
        0 => String::new(),
        1 => " · 1 place".to_owned(),
        n => format!(" · {n} places"),
    };
    let lead = match result.outcome {
        Outcome::UnexpectedPass => "The baseline lists a divergence that no longer happens",
        Outcome::Pending => "Pending",
        Outcome::NotApplicable => "Not applicable",
        _ => "Baseline",
    };
    let plain = result.divergences.is_empty() && result.baseline_reason.is_none();
    html! {
        td class={ "cell " (slug) } title=(millis) {
            @if plain {
                (word)
            } @else {
                details {
                    summary { (word) (places) }
                    @if let Some(reason) = &result.baseline_reason {
                        p class="reason" { (lead) ": " (Shown(reason)) }
                    }
                    @for divergence in &result.divergences {
                        (divergence_block(divergence, result.baseline_reason.as_deref()))
                    }
                }
            }
        }
    }
}

/// One divergence; its known reason is left out when the cell already shows it as the
/// baseline's.
fn divergence_block(divergence: &Divergence, shown: Option<&str>) -> Markup {
    let known = divergence.known.as_deref().filter(|r| Some(*r) != shown);
    html! {
        div class="divergence" {
            h4 { (place(divergence.step)) }
            @if let Some(reason) = known {
                p class="reason" { "Known: " (Shown(reason)) }
            }
            @if !divergence.messages.is_empty() {
                ul {
                    @for message in &divergence.messages { li { (Shown(message)) } }
                }
            }
            @if let Some(diff) = &divergence.diff {
                pre class="diff" { (diff_lines(diff)) }
            }
        }
    }
}

/// The lines of a unified diff, each in a span of its colour.
fn diff_lines(diff: &str) -> Markup {
    let mut in_hunk = false;
    let lines = diff.lines().map(|line| {
        in_hunk |= line.starts_with("@@");
        (diff_class(line, in_hunk), line)
    });
    html! {
        @for (class, line) in lines { span class=(class) { (Shown(line)) } }
    }
}

/// How a unified-diff line is coloured: file headers (everything before the first
/// hunk, so a removed line that starts with `--` is still red), hunk headers, added,
/// removed, context.
fn diff_class(line: &str, in_hunk: bool) -> &'static str {
    if !in_hunk {
        "meta"
    } else if line.starts_with("@@") {
        "hunk"
    } else if line.starts_with('+') {
        "add"
    } else if line.starts_with('-') {
        "del"
    } else {
        "ctx"
    }
}
