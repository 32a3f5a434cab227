//! `GET /_cjh/`: the live view, one HTML page showing every account's and region's jobs
//! and the latest journaled requests, reloading itself every few seconds.
//!
//! It is for a person watching a test run or a local session, who would otherwise poll
//! `GET /_cjh/requests` and Describe by hand. The page is self-contained (inline style,
//! no script, nothing fetched from anywhere, and a Content-Security-Policy that says so)
//! so it works offline and inside CI sandboxes; it reloads with
//! `<meta http-equiv="refresh">`, `?refresh=N` sets the period in seconds and
//! `?refresh=0` turns it off. Every value shown is escaped by maud: job names, tags,
//! regions and operation names all come from requests.
//!
//! It reads state, so it is guarded like `GET /_cjh/requests` (see `guard`).

mod jobs;
mod requests;

use maud::{DOCTYPE, Markup, PreEscaped, html};
use time::OffsetDateTime;
use time::macros::format_description;

use crate::api::ApiError;
use crate::service::{Millis, Service};
use crate::wire::WireResponse;

/// The page's own path.
pub(super) const PATH: &str = "/_cjh/";

/// The reload period when `refresh` is not given, in seconds.
const DEFAULT_REFRESH_SECS: u32 = 2;

/// The longest reload period accepted: an hour; longer is as good as `refresh=0`.
const MAX_REFRESH_SECS: u32 = 3_600;

/// The most jobs shown per account and region, newest first: enough to watch a test,
/// few enough that a benchmark's million seeded jobs neither hold the store's lock nor
/// make a page no browser can lay out.
const JOBS_PER_PARTITION: usize = 200;

/// How many of the latest journaled requests are shown.
const REQUESTS_SHOWN: usize = 50;

const STYLE: &str = include_str!("style.css");

/// The page, or a `ValidationException` for a query it does not understand.
pub(super) fn page(service: &Service, query: Option<&str>) -> WireResponse {
    match refresh_of(query.unwrap_or_default()).and_then(|refresh| render(service, refresh)) {
        Ok(page) => WireResponse::html(page),
        Err(error) => WireResponse::error(&error),
    }
}

fn render(service: &Service, refresh: u32) -> Result<String, ApiError> {
    let partitions = service.overview(JOBS_PER_PARTITION)?;
    let journal = service.journal();
    let latest = journal.latest(REQUESTS_SHOWN);
    let clock = if service.clock().is_manual() {
        "manual clock"
    } else {
        "system clock"
    };
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'";
                @if refresh > 0 {
                    meta http-equiv="refresh" content=(refresh);
                }
                title { "cjh live view" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header {
                    h1 { "cjh live view" }
                    span.muted { (clock) " at " (when(service.clock().now())) " UTC" }
                    (refresh_control(refresh))
                }
                h2 { "Jobs" }
                (jobs::section(&partitions))
                h2 { "Latest requests" }
                (requests::section(&latest, journal.is_on(), REQUESTS_SHOWN))
            }
        }
    };
    Ok(page.into_string())
}

/// What the page says about reloading, with a link to switch it.
fn refresh_control(refresh: u32) -> Markup {
    html! {
        @if refresh > 0 {
            span.muted { "reloads every " (refresh) " s · " a href="?refresh=0" { "pause" } }
        } @else {
            span.muted { "not reloading · " a href="./" { "reload every " (DEFAULT_REFRESH_SECS) " s" } }
        }
    }
}

/// The reload period a query such as `refresh=5` asks for. `refresh` is the only
/// parameter, and may be given once: anything else is refused by name, as
/// `GET /_cjh/requests` refuses what it does not know, rather than silently ignored.
fn refresh_of(query: &str) -> Result<u32, ApiError> {
    let mut refresh = None;
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        if name != "refresh" {
            return Err(ApiError::validation(format!(
                "Unknown parameter '{name}'; GET /_cjh/ takes refresh (seconds, 0 for none)."
            )));
        }
        if refresh.is_some() {
            return Err(ApiError::validation(
                "Parameter refresh is given more than once.",
            ));
        }
        let seconds = value
            .parse::<u32>()
            .ok()
            .filter(|seconds| *seconds <= MAX_REFRESH_SECS)
            .ok_or_else(|| {
                ApiError::validation(format!(
                    "Parameter refresh must be whole seconds from 0 (no reload) to {MAX_REFRESH_SECS}, not '{value}'."
                ))
            })?;
        refresh = Some(seconds);
    }
    Ok(refresh.unwrap_or(DEFAULT_REFRESH_SECS))
}

/// A time as `2024-05-01 12:00:00` UTC, with milliseconds when it has any (CreationTime
/// does, the others are whole seconds), so the page shows what Describe's numbers mean.
fn when(time: Millis) -> String {
    let format = format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    let shown = OffsetDateTime::from_unix_timestamp_nanos(i128::from(time.0) * 1_000_000)
        .ok()
        .and_then(|moment| moment.format(&format).ok());
    match (shown, time.0.rem_euclid(1000)) {
        (Some(shown), 0) => shown,
        (Some(shown), millis) => format!("{shown}.{millis:03}"),
        // Outside the calendar's range: the raw number rather than nothing.
        (None, _) => format!("{} ms since the epoch", time.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refresh_defaults_to_two_seconds_and_zero_turns_it_off() {
        assert_eq!(refresh_of("").ok(), Some(2));
        assert_eq!(refresh_of("refresh=0").ok(), Some(0));
        assert_eq!(refresh_of("refresh=10").ok(), Some(10));
    }

    #[test]
    fn unknown_repeated_or_malformed_parameters_are_refused_by_name() {
        for (query, named) in [
            ("refrsh=1", "refrsh"),
            ("refresh=-1", "refresh"),
            ("refresh=soon", "refresh"),
            ("refresh=3601", "refresh"),
            ("refresh=1&refresh=2", "refresh"),
        ] {
            let message = refresh_of(query)
                .err()
                .map(|e| e.message)
                .unwrap_or_default();
            assert!(message.contains(named), "{query}: {message}");
        }
    }

    #[test]
    fn times_show_milliseconds_only_when_they_have_some() {
        assert_eq!(when(Millis(1_714_564_800_000)), "2024-05-01 12:00:00");
        assert_eq!(when(Millis(1_714_564_800_007)), "2024-05-01 12:00:00.007");
        assert!(when(Millis(i64::MAX)).contains("ms since the epoch"));
    }
}
