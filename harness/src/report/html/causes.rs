//! The divergences of a run grouped by cause, as a collapsed table under the header.

use std::fmt::Write as _;

use super::super::escape::text;
use super::super::model::RunReport;
use super::super::summary::{causes, place};

/// Writes the table of causes, most places first; nothing when nothing diverged.
pub(super) fn by_cause(out: &mut String, report: &RunReport) {
    let causes = causes(report);
    if causes.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<details class=\"causes\"><summary>Divergences by cause ({})</summary>\n<table>\n<thead><tr><th>Cause</th><th>Places</th><th>Where</th></tr></thead>\n<tbody>",
        causes.len()
    );
    for cause in &causes {
        let named = cause.named_places(|result, step| {
            format!(
                "<code>{}</code> {} on {}",
                text(&result.scenario),
                place(step),
                text(&result.target)
            )
        });
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            text(&cause.cause),
            cause.places.len(),
            named
        );
    }
    out.push_str("</tbody>\n</table>\n</details>\n");
}
