//! ListCompilationJobs: filters, sort and paging (fidelity rows F1-F7, F17).
//!
//! Every order is total: ties on the sort key fall to CreationTime and then to the name,
//! which is unique. A page starts strictly after the position its token carries, so a
//! job that exists for a whole walk is returned exactly once even while others are
//! created or deleted. This version sorts the partition per request; it is correct, and
//! fast enough for stores of thousands of jobs.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use serde_json::{Map, Value, json};

use crate::api::{ApiError, JobStatus, ListInput, SortBy, SortOrder};

use super::job::Job;
use super::settings::{NameMatch, Paging, Settings, TimeBounds};
use super::store::Partition;
use super::time::Millis;
use super::token::{Position, TokenKey};

/// The message for a token that cannot be used with this request.
pub const INVALID_TOKEN: &str = "Invalid pagination token";

/// Answers one ListCompilationJobs request.
pub(super) fn list(
    partition: &Partition,
    input: &ListInput,
    settings: &Settings,
    tokens: &TokenKey,
) -> Result<Value, ApiError> {
    let query = Query::from_input(input, settings);
    let digest = query.digest(settings);
    let after = match input.next_token.as_deref().filter(|t| !t.is_empty()) {
        Some(token) => Some(
            tokens
                .open(digest, token)
                .map_err(|_| ApiError::validation(INVALID_TOKEN))?,
        ),
        None => None,
    };
    let page_size = input
        .max_results
        .map_or(settings.default_max_results as usize, |m| m.max(1) as usize);

    let mut sorted: Vec<(Position, &Job)> = partition
        .jobs()
        .filter(|job| settings.paging == Paging::Window || query.matches(job))
        .map(|job| (position(job, query.sort_by), job))
        .collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    if query.sort_order == SortOrder::Descending {
        sorted.reverse();
    }
    let start = match &after {
        None => 0,
        Some(after) => sorted
            .iter()
            .position(|(p, _)| match query.sort_order {
                SortOrder::Ascending => p > after,
                SortOrder::Descending => p < after,
            })
            .unwrap_or(sorted.len()),
    };
    let window = &sorted[start..sorted.len().min(start + page_size)];
    let more = start + window.len() < sorted.len();

    let summaries: Vec<Value> = window
        .iter()
        .filter(|(_, job)| query.matches(job))
        .map(|(_, job)| job.summary())
        .collect();
    let mut out = Map::new();
    out.insert("CompilationJobSummaries".into(), json!(summaries));
    if let (true, Some((last, _))) = (more, window.last()) {
        out.insert("NextToken".into(), json!(tokens.seal(digest, last)));
    }
    Ok(Value::Object(out))
}

/// The sort key of a job under `sort_by`, as a token carries it.
fn position(job: &Job, sort_by: SortBy) -> Position {
    let name = job.name.clone();
    match sort_by {
        SortBy::CreationTime => Position {
            major: job.creation_time.0,
            minor: 0,
            name,
        },
        SortBy::Name => Position {
            major: 0,
            minor: 0,
            name,
        },
        SortBy::Status => Position {
            major: status_rank(job.status),
            minor: job.creation_time.0,
            name,
        },
    }
}

fn status_rank(status: JobStatus) -> i64 {
    status as i64
}

/// The filters and order of a request, normalized.
#[derive(Debug, Hash)]
struct Query {
    creation_after: Option<Millis>,
    creation_before: Option<Millis>,
    modified_after: Option<Millis>,
    modified_before: Option<Millis>,
    name_contains: Option<String>,
    status: Option<JobStatus>,
    sort_by: SortBy,
    sort_order: SortOrder,
    time_bounds: TimeBounds,
    name_match: NameMatch,
}

impl Query {
    fn from_input(input: &ListInput, settings: &Settings) -> Query {
        let name_contains = input
            .name_contains
            .as_ref()
            .filter(|n| !n.is_empty())
            .map(|n| match settings.name_contains {
                NameMatch::Insensitive => n.to_ascii_lowercase(),
                NameMatch::Sensitive => n.clone(),
            });
        Query {
            creation_after: input.creation_time_after.map(Millis::from_epoch_secs),
            creation_before: input.creation_time_before.map(Millis::from_epoch_secs),
            modified_after: input.last_modified_time_after.map(Millis::from_epoch_secs),
            modified_before: input.last_modified_time_before.map(Millis::from_epoch_secs),
            name_contains,
            status: input.status_equals,
            sort_by: input.sort_by.unwrap_or_default(),
            sort_order: input.sort_order.unwrap_or_default(),
            time_bounds: settings.time_bounds,
            name_match: settings.name_contains,
        }
    }

    /// A digest of everything that shapes the listing, so a token only works for the
    /// query that made it. MaxResults is left out: a client may change page size.
    fn digest(&self, settings: &Settings) -> u64 {
        let mut hasher = DefaultHasher::new();
        self.hash(&mut hasher);
        (settings.paging == Paging::Window).hash(&mut hasher);
        hasher.finish()
    }

    fn matches(&self, job: &Job) -> bool {
        let (after_inclusive, before_inclusive) = match self.time_bounds {
            TimeBounds::AfterInclusive => (true, false),
            TimeBounds::Exclusive => (false, false),
            TimeBounds::Inclusive => (true, true),
        };
        let after = |bound: Option<Millis>, t: Millis| {
            bound.is_none_or(|b| if after_inclusive { t >= b } else { t > b })
        };
        let before = |bound: Option<Millis>, t: Millis| {
            bound.is_none_or(|b| if before_inclusive { t <= b } else { t < b })
        };
        let name_ok = self
            .name_contains
            .as_ref()
            .is_none_or(|needle| match self.name_match {
                NameMatch::Insensitive => job.name.to_ascii_lowercase().contains(needle.as_str()),
                NameMatch::Sensitive => job.name.contains(needle.as_str()),
            });
        after(self.creation_after, job.creation_time)
            && before(self.creation_before, job.creation_time)
            && after(self.modified_after, job.last_modified_time)
            && before(self.modified_before, job.last_modified_time)
            && name_ok
            && self.status.is_none_or(|s| s == job.status)
    }
}
