//! One self-contained HTML page: summary counts and a legend on top, then the scenario ×
//! target matrix, each cell coloured by outcome and expanding to its divergences with a
//! coloured diff. Everything is inline (style sheet, script, no fonts or images) and a
//! Content-Security-Policy forbids loading anything else, because the page is opened
//! from CI artifacts, often offline, and holds text that targets under test sent.

mod causes;

use std::fmt::Write as _;

use super::escape::{attr, text};
use super::model::{Divergence, Outcome, RunReport, ScenarioResult};
use super::summary::{
    OUTCOMES, evidence_counts, evidence_word, outcome_slug, outcome_word, place, scenarios,
    stage_words, tally, target_labels,
};

const STYLE: &str = include_str!("style.css");
const SCRIPT: &str = include_str!("script.js");
/// Only inline style and script may run; nothing may be fetched.
const POLICY: &str =
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

/// Renders `report` as a self-contained HTML page.
pub fn html(report: &RunReport) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{POLICY}\">\n\
         <title>cjh contract run</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n"
    );
    header(&mut out, report);
    causes::by_cause(&mut out, report);
    matrix(&mut out, report);
    let _ = write!(out, "<script>\n{SCRIPT}</script>\n</body>\n</html>\n");
    out
}

/// Title, overall status, per-target counts, evidence counts, vacuity and the legend.
fn header(out: &mut String, report: &RunReport) {
    let failing = report.results.iter().filter(|r| r.outcome.fails()).count();
    let (class, status) = match (failing, report.vacuous.len()) {
        (0, 0) => ("good", "No failures.".to_owned()),
        (0, v) => ("warn", format!("No failures, but {v} vacuous target(s).")),
        (f, _) => ("bad", format!("{f} failing result(s).")),
    };
    let _ = writeln!(
        out,
        "<h1>cjh contract run</h1>\n<p class=\"status {class}\">{status} {} result(s) in {:.1} s.</p>",
        report.results.len(),
        report.seconds.max(0.0),
    );
    for vacuity in &report.vacuous {
        let _ = writeln!(
            out,
            "<div class=\"vacuous\">⚠ {} is vacuous: {}</div>",
            text(&vacuity.target),
            text(&vacuity.reason),
        );
    }
    out.push_str("<div class=\"top\">\n<table class=\"summary\">\n<thead><tr><th>Target</th>");
    for outcome in OUTCOMES {
        let _ = write!(out, "<th>{}</th>", outcome_word(outcome));
    }
    out.push_str("<th>total</th><th>reached</th></tr></thead>\n<tbody>\n");
    for label in target_labels(report) {
        let counts = tally(report, label);
        let _ = write!(out, "<tr><th scope=\"row\">{}</th>", text(label));
        for outcome in OUTCOMES {
            let n = counts.get(outcome);
            let class = if n > 0 { outcome_slug(outcome) } else { "" };
            let _ = write!(out, "<td class=\"n {class}\">{n}</td>");
        }
        let _ = writeln!(
            out,
            "<td class=\"n\">{}</td><td>{}</td></tr>",
            counts.total(),
            text(&stage_words(report, label))
        );
    }
    out.push_str("</tbody>\n</table>\n<div>\n<p class=\"evidence\">Evidence (scenarios): ");
    for (level, n) in evidence_counts(report) {
        let word = evidence_word(level);
        let _ = write!(out, "<span class=\"ev ev-{word}\">{n} {word}</span>");
    }
    out.push_str("</p>\n<p class=\"legend\">Legend: ");
    for outcome in OUTCOMES {
        let _ = write!(
            out,
            "<span class=\"{}\">{}</span>",
            outcome_slug(outcome),
            outcome_word(outcome)
        );
    }
    out.push_str("<span class=\"missing\">not run</span></p>\n</div>\n</div>\n");
    out.push_str(
        "<div class=\"controls\"><button type=\"button\" id=\"expand-all\">Expand all</button>\
         <button type=\"button\" id=\"collapse-all\">Collapse all</button>\
         <label><input type=\"checkbox\" id=\"only-failing\"> Only rows with failures</label></div>\n",
    );
}

/// The scenario × target matrix.
fn matrix(out: &mut String, report: &RunReport) {
    let labels = target_labels(report);
    out.push_str("<table class=\"matrix\">\n<thead><tr><th>Scenario</th><th>Evidence</th>");
    for label in &labels {
        let _ = write!(out, "<th>{}</th>", text(label));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for scenario in scenarios(report) {
        let row: Vec<Option<&ScenarioResult>> = labels
            .iter()
            .map(|label| {
                report
                    .results
                    .iter()
                    .find(|r| r.scenario == scenario.scenario && r.target == *label)
            })
            .collect();
        let fails = row.iter().flatten().any(|r| r.outcome.fails());
        let first_line = scenario.description.lines().next().unwrap_or_default();
        let word = evidence_word(scenario.evidence);
        let _ = write!(
            out,
            "<tr data-fails=\"{fails}\"><th scope=\"row\" title=\"{}\"><code>{}</code>\
             <div class=\"desc\">{}</div></th><td><span class=\"ev ev-{word}\">{word}</span></td>",
            attr(&scenario.description),
            text(&scenario.scenario),
            text(first_line),
        );
        for cell in row {
            match cell {
                Some(result) => result_cell(out, result),
                None => out.push_str("<td class=\"cell missing\">not run</td>"),
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

/// One cell: the outcome, expanding to the baseline's reason and every divergence.
fn result_cell(out: &mut String, result: &ScenarioResult) {
    let slug = outcome_slug(result.outcome);
    let word = outcome_word(result.outcome);
    let _ = write!(
        out,
        "<td class=\"cell {slug}\" title=\"{:.0} ms\">",
        result.millis.max(0.0)
    );
    if result.divergences.is_empty() && result.baseline_reason.is_none() {
        let _ = write!(out, "{word}</td>");
        return;
    }
    let places = match result.divergences.len() {
        0 => String::new(),
        1 => " · 1 place".to_owned(),
        n => format!(" · {n} places"),
    };
    let _ = write!(out, "<details><summary>{word}{places}</summary>");
    if let Some(reason) = &result.baseline_reason {
        let lead = match result.outcome {
            Outcome::UnexpectedPass => "The baseline lists a divergence that no longer happens",
            Outcome::Pending => "Pending",
            Outcome::NotApplicable => "Not applicable",
            _ => "Baseline",
        };
        let _ = write!(out, "<p class=\"reason\">{lead}: {}</p>", text(reason));
    }
    for divergence in &result.divergences {
        divergence_block(out, divergence, result.baseline_reason.as_deref());
    }
    out.push_str("</details></td>");
}

/// One divergence; its known reason is left out when the cell already shows it as the
/// baseline's.
fn divergence_block(out: &mut String, divergence: &Divergence, shown: Option<&str>) {
    let _ = write!(
        out,
        "<div class=\"divergence\"><h4>{}</h4>",
        place(divergence.step)
    );
    if let Some(reason) = divergence.known.as_deref().filter(|r| Some(*r) != shown) {
        let _ = write!(out, "<p class=\"reason\">Known: {}</p>", text(reason));
    }
    if !divergence.messages.is_empty() {
        out.push_str("<ul>");
        for message in &divergence.messages {
            let _ = write!(out, "<li>{}</li>", text(message));
        }
        out.push_str("</ul>");
    }
    if let Some(diff) = &divergence.diff {
        out.push_str("<pre class=\"diff\">");
        let mut in_hunk = false;
        for line in diff.lines() {
            in_hunk |= line.starts_with("@@");
            let _ = write!(
                out,
                "<span class=\"{}\">{}</span>",
                diff_class(line, in_hunk),
                text(line)
            );
        }
        out.push_str("</pre>");
    }
    out.push_str("</div>");
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
