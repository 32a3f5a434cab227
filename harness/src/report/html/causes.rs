//! The divergences of a run grouped by cause, as a collapsed table under the header.

use maud::{Markup, PreEscaped, html};

use super::super::model::RunReport;
use super::super::summary::{causes, place};
use super::Shown;

/// The table of causes, most places first; nothing when nothing diverged.
pub(super) fn by_cause(report: &RunReport) -> Markup {
    let causes = causes(report);
    html! {
        @if !causes.is_empty() {
            details class="causes" {
                summary { "Divergences by cause (" (causes.len()) ")" }
                table {
                    thead { tr { th { "Cause" } th { "Places" } th { "Where" } } }
                    tbody {
                        @for cause in &causes {
                            // Each place is markup maud escaped; the joins are plain text.
                            @let named = cause.named_places(|result, step| {
                                html! {
                                    code { (Shown(&result.scenario)) }
                                    " " (place(step)) " on " (Shown(&result.target))
                                }
                                .into_string()
                            });
                            tr {
                                td { (Shown(&cause.cause)) }
                                td class="n" { (cause.places.len()) }
                                td { (PreEscaped(named)) }
                            }
                        }
                    }
                }
            }
        }
    }
}
