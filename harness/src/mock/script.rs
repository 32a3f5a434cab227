//! The order answers are given in: one mock per recorded exchange, registered in
//! recorded order.
//!
//! Identical requests (same `X-Amz-Target`, equal body) form a group, answered in the
//! order they were recorded: the repeated DescribeCompilationJob polls of a wait get
//! STARTING, then INPROGRESS, then COMPLETED. Every mock of a group but the last answers
//! once; the last answers for ever, so once a group's recorded answers are used up its
//! last answer repeats: a job stays in the final state it was recorded in, and a client
//! that polls once more than the recording did still sees a coherent service instead of
//! an error.
//!
//! This rests on how wiremock-rs 0.6 picks a mock (`MountedMockSet::handle_request` and
//! `MountedMock::matches`): mocks are stably sorted by priority, so equal priorities keep
//! registration order; the first whose matchers all accept the request answers it; and a
//! mock that has answered its `up_to_n_times` limit no longer matches at all, so the
//! next one of its group takes over. Requests are handled one at a time (under the
//! server's write lock), so concurrent identical requests still take answers in order.
//! Identical requests recorded in several recordings form one group, in the order the
//! recordings are given.

use std::collections::HashMap;

use wiremock::Mock;

use crate::recording::Recording;

use super::answer::{CorrelatedAnswer, response};
use super::correlate::Correlation;
use super::incoming::IncomingScrub;
use super::matcher::RecordedRequestMatcher;
use super::rules::MatchRules;
use super::unmatched::{Candidate, Unmatched};

/// The priority of recorded answers. wiremock-rs's default is 5 and 1 wins, so a test's
/// own mocks, mounted on the same server with the default, take precedence over the
/// recording; the catch-all comes after everything.
pub const RECORDED_PRIORITY: u8 = 10;

/// The priority of the catch-all that explains unmatched requests: the lowest there is.
pub const UNMATCHED_PRIORITY: u8 = u8::MAX;

/// Every mock for these recordings, in the order they must be registered: one per
/// exchange, then the catch-all.
pub fn mocks(recordings: &[Recording]) -> Vec<Mock> {
    mocks_with(recordings, &MatchRules::default())
}

/// The same under a rules file's matching (see [`MatchRules`]).
pub fn mocks_with(recordings: &[Recording], rules: &MatchRules) -> Vec<Mock> {
    let correlation = (!rules.is_exact()).then(|| Correlation::new(rules));
    let mut entries = Vec::new();
    let mut groups: HashMap<String, usize> = HashMap::new();
    let mut candidates: Vec<Candidate> = Vec::new();
    let incoming = IncomingScrub::new();
    for recording in recordings {
        let scrubbed = !recording.provenance.scrubbing.is_empty();
        for (index, exchange) in recording.exchanges.iter().enumerate() {
            let matcher =
                RecordedRequestMatcher::of(&exchange.request, scrubbed.then_some(&incoming))
                    .under(correlation.as_ref());
            let group = *groups.entry(matcher.key()).or_insert_with(|| {
                candidates.push(Candidate {
                    scenario: recording.scenario.clone(),
                    index,
                    operation: exchange.operation.clone(),
                    times: 0,
                    request: matcher.clone(),
                });
                candidates.len() - 1
            });
            candidates[group].times += 1;
            entries.push((recording, index, exchange, matcher, group));
        }
    }
    let mut left: Vec<usize> = candidates.iter().map(|c| c.times).collect();
    let mut mocks: Vec<Mock> = entries
        .into_iter()
        .map(|(recording, index, exchange, matcher, group)| {
            let at = format!(
                "{} exchanges[{index}] ({})",
                recording.scenario, exchange.operation
            );
            left[group] -= 1;
            let mock = if correlation.is_some() {
                Mock::given(matcher.clone()).respond_with(CorrelatedAnswer {
                    recorded: exchange.response.clone(),
                    at: at.clone(),
                    request: matcher,
                })
            } else {
                Mock::given(matcher).respond_with(response(&exchange.response, &at))
            };
            let mock = mock.with_priority(RECORDED_PRIORITY).named(at);
            if left[group] > 0 {
                mock.up_to_n_times(1)
            } else {
                mock
            }
        })
        .collect();
    mocks.push(
        Mock::given(wiremock::matchers::any())
            .respond_with(Unmatched::new(candidates))
            .with_priority(UNMATCHED_PRIORITY)
            .named("unrecorded request"),
    );
    mocks
}
