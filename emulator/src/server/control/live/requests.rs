//! The requests part of the live view: the latest journaled API requests, newest first.

use maud::{Markup, html};

use crate::service::RecordedRequest;

use super::when;

/// The latest requests; `journal_on` is whether the journal keeps any at all, so an
/// empty table can say why it is empty.
pub(super) fn section(latest: &[RecordedRequest], journal_on: bool, shown: usize) -> Markup {
    html! {
        @if !journal_on {
            p.muted { "The request journal is off (journal_size = 0)." }
        } @else if latest.is_empty() {
            p.muted { "No API requests journaled yet." }
        } @else {
            p.muted { "The latest " (shown) " at most, newest first; all of them at " code { "GET /_cjh/requests" } "." }
            table {
                thead {
                    tr {
                        th.n { "#" } th { "Time (UTC)" } th { "Account" } th { "Region" }
                        th { "Operation" } th.n { "Status" } th { "Error" }
                    }
                }
                tbody {
                    @for entry in latest {
                        tr class=[(entry.status >= 400).then_some("error")] {
                            td.n { (entry.sequence) }
                            td.time { (when(entry.time)) }
                            td { code { (entry.account) } }
                            td { code { (entry.region) } }
                            td { code { (entry.operation.as_deref().unwrap_or("(no X-Amz-Target)")) } }
                            td.n { (entry.status) }
                            td { (entry.error_code.unwrap_or_default()) }
                        }
                    }
                }
            }
        }
    }
}
