//! ListCompilationJobs: filters, sort and paging (fidelity rows F1-F7, F17).
//!
//! A page is a seek into one sorted index (see `index`) plus a walk of the page's own
//! length, so its cost does not grow with the store beyond a logarithm.
//!
//! - **window** paging (the default, F2) walks the index of the requested sort, cuts
//!   MaxResults jobs, then filters them: pages may be short or empty and still carry a
//!   token, and there is no token once the window reaches the end.
//! - **filtered** paging walks the narrowest index for the query (the status prefix for
//!   StatusEquals, the CreationTime range for creation bounds) and collects MaxResults
//!   matching jobs; it looks one match ahead so the last page never carries a token.
//!
//! A token holds the index key of the last job the page covered (a keyset position, not
//! an offset) and a digest of the query. The next page starts strictly after that key,
//! so a job that exists for the whole walk and keeps its sort key is returned exactly
//! once, whatever is created or deleted meanwhile; jobs created behind the position are
//! not seen by that walk. Under SortBy=Status (or StatusEquals in filtered mode) a job
//! whose status changes mid-walk moves in the order, so it can be missed or seen twice,
//! as with any keyset pagination over a changing key.

use std::ops::Bound;
use std::sync::Arc;

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::api::{ApiError, JobStatus, ListInput, SortBy, SortOrder};

use super::choice::{NameMatch, Paging, TimeBounds};
use super::index::{IndexKind, Key, status_rank};
use super::job::Job;
use super::settings::Settings;
use super::store::Partition;
use super::time::Millis;
use super::token::{Position, Scope, TokenKey};

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
    let scope = Scope {
        query: query.digest(settings.paging),
        partition: partition.arn_prefix(),
    };
    let after = match input.next_token.as_deref().filter(|t| !t.is_empty()) {
        Some(token) => Some(
            tokens
                .open(scope, token)
                .map(key_of_position)
                .map_err(|_| ApiError::validation(INVALID_TOKEN))?,
        ),
        None => None,
    };
    let size = input
        .max_results
        .map_or(settings.default_max_results as usize, |m| m.max(1) as usize);
    let (kind, mut range) = query.plan(settings.paging);
    let descending = query.sort_order == SortOrder::Descending;
    if let Some(after) = after {
        if descending {
            range.1 = Bound::Excluded(after);
        } else {
            range.0 = Bound::Excluded(after);
        }
    }
    let mut keys = partition.indexes().walk(kind, range, descending);
    let jobs = keys
        .by_ref()
        .filter_map(|key| Some((key, partition.get(&key.name)?)));

    let (page, last, more): (Vec<&Job>, Option<&Key>, bool) = match settings.paging {
        Paging::Window => {
            let window: Vec<(&Key, &Job)> = jobs.take(size).collect();
            let more = window.len() == size && keys.next().is_some();
            let last = window.last().map(|(key, _)| *key);
            let page = window
                .into_iter()
                .filter(|(_, job)| query.matches(job))
                .map(|(_, job)| job)
                .collect();
            (page, last, more)
        }
        Paging::Filtered => {
            let mut matching = jobs.filter(|(_, job)| query.matches(job));
            let found: Vec<(&Key, &Job)> = matching.by_ref().take(size).collect();
            let more = found.len() == size && matching.next().is_some();
            let last = found.last().map(|(key, _)| *key);
            (found.into_iter().map(|(_, job)| job).collect(), last, more)
        }
    };

    let summaries: Vec<Value> = page.iter().map(|job| job.summary()).collect();
    let mut out = Map::new();
    out.insert("CompilationJobSummaries".into(), json!(summaries));
    if let (true, Some(last)) = (more, last) {
        let position = Position {
            major: last.major,
            minor: last.minor,
            name: last.name.to_string(),
        };
        out.insert("NextToken".into(), json!(tokens.seal(scope, &position)));
    }
    Ok(Value::Object(out))
}

fn key_of_position(position: Position) -> Key {
    Key {
        major: position.major,
        minor: position.minor,
        name: Arc::from(position.name),
    }
}

/// The smallest key with these integer parts (the empty name sorts first).
fn floor(major: i64, minor: i64) -> Key {
    Key {
        major,
        minor,
        name: Arc::from(""),
    }
}

/// The filters and order of a request, normalized.
#[derive(Debug)]
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
            sort_order: input
                .sort_order
                .unwrap_or(settings.default_sort_order.sort_order()),
            time_bounds: settings.time_bounds,
            name_match: settings.name_contains,
        }
    }

    /// A digest of everything that shapes the listing, so a token only works for the
    /// query that made it. MaxResults is left out: a client may change page size.
    fn digest(&self, paging: Paging) -> u64 {
        let hash = Sha256::digest(format!("{self:?}|{paging:?}").as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&hash[..8]);
        u64::from_be_bytes(first)
    }

    /// The index to walk and the key range that can hold matches (a superset: `matches`
    /// still decides each job).
    fn plan(&self, paging: Paging) -> (IndexKind, (Bound<Key>, Bound<Key>)) {
        let all = (Bound::Unbounded, Bound::Unbounded);
        let sort_index = match self.sort_by {
            SortBy::CreationTime => IndexKind::Creation,
            SortBy::Name => IndexKind::Name,
            SortBy::Status => IndexKind::Status,
        };
        if paging == Paging::Window {
            // The window is cut from the whole sorted list, before any filter.
            return (sort_index, all);
        }
        let lowest = self.creation_after.map_or(i64::MIN, |t| t.0);
        // One past the bound, so an inclusive bound is covered; `matches` trims the rest.
        let highest = self
            .creation_before
            .map_or(i64::MAX, |t| t.0.saturating_add(1));
        match (self.status, self.sort_by) {
            (Some(status), SortBy::CreationTime | SortBy::Status) => {
                let rank = status_rank(status);
                let range = (
                    Bound::Included(floor(rank, lowest)),
                    Bound::Excluded(floor(rank, highest)),
                );
                (IndexKind::Status, range)
            }
            (Some(status), SortBy::Name) => {
                let rank = status_rank(status);
                let range = (
                    Bound::Included(floor(rank, 0)),
                    Bound::Excluded(floor(rank + 1, 0)),
                );
                (IndexKind::StatusName, range)
            }
            (None, SortBy::CreationTime) => {
                let range = (
                    Bound::Included(floor(lowest, 0)),
                    Bound::Excluded(floor(highest, 0)),
                );
                (IndexKind::Creation, range)
            }
            (None, _) => (sort_index, all),
        }
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
