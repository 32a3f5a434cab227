//! The bounded store of journaled requests.
//!
//! One mutex, taken once per request for a push (never with the job store's lock), so
//! the cost on the request path is a lock and a few pointer copies: bodies are shared
//! `Bytes`, never copied or serialized again. Entries sit in sequence order in a
//! `VecDeque`, so eviction pops from the front (each entry is evicted at most once: O(1)
//! amortized) and `since` is a binary search.

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard, PoisonError};

use super::entry::RecordedRequest;
use super::filter::RequestFilter;

/// The journal: at most `max_entries` entries whose bodies total at most `max_bytes`.
#[derive(Debug)]
pub struct Journal {
    max_entries: usize,
    max_bytes: usize,
    ring: Mutex<Ring>,
}

#[derive(Debug, Default)]
struct Ring {
    entries: VecDeque<RecordedRequest>,
    /// The bodies' total length.
    bytes: usize,
    /// The last sequence number given.
    last: u64,
}

impl Journal {
    /// An empty journal with these bounds; `max_entries` 0 keeps nothing.
    pub(crate) fn new(max_entries: usize, max_bytes: usize) -> Journal {
        Journal {
            max_entries,
            max_bytes,
            ring: Mutex::default(),
        }
    }

    /// Whether requests are kept at all (`journal_size` above 0), so that a caller can
    /// skip building an entry.
    pub fn is_on(&self) -> bool {
        self.max_entries > 0
    }

    /// Numbers and keeps `entry`, evicting the oldest entries until both bounds hold.
    /// An entry whose bodies alone exceed `journal_bytes` takes its number but is not
    /// kept, so the gap shows in the sequence numbers.
    pub(crate) fn record(&self, mut entry: RecordedRequest) {
        if !self.is_on() {
            return;
        }
        let size = entry.body_bytes();
        let mut ring = self.lock();
        ring.last += 1;
        entry.sequence = ring.last;
        if size > self.max_bytes {
            return;
        }
        while ring.entries.len() >= self.max_entries || ring.bytes + size > self.max_bytes {
            match ring.entries.pop_front() {
                Some(old) => ring.bytes -= old.body_bytes(),
                None => break,
            }
        }
        ring.bytes += size;
        ring.entries.push_back(entry);
    }

    /// The entries `filter` selects, oldest first.
    pub fn select(&self, filter: &RequestFilter) -> Vec<RecordedRequest> {
        let ring = self.lock();
        let after = filter.after();
        let start = ring
            .entries
            .partition_point(|entry| entry.sequence <= after);
        ring.entries
            .range(start..)
            .filter(|entry| filter.matches(entry))
            .cloned()
            .collect()
    }

    /// The `count` most recent entries, newest first: what a person watching wants,
    /// without copying out the rest of a journal that may hold thousands.
    pub fn latest(&self, count: usize) -> Vec<RecordedRequest> {
        let ring = self.lock();
        ring.entries.iter().rev().take(count).cloned().collect()
    }

    /// Forgets every entry, returning how many there were; numbering goes on.
    pub fn clear(&self) -> usize {
        let mut ring = self.lock();
        ring.bytes = 0;
        let count = ring.entries.len();
        ring.entries.clear();
        count
    }

    /// Every change completes before anything that could panic, so a poisoned lock
    /// still guards a consistent ring.
    fn lock(&self) -> MutexGuard<'_, Ring> {
        self.ring.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;

    use super::*;
    use crate::service::time::Millis;

    fn entry(operation: &str, status: u16, body: &'static [u8]) -> RecordedRequest {
        RecordedRequest::new(
            Millis(0),
            "000000000000".to_owned(),
            "us-east-1".to_owned(),
            Some(operation.to_owned()),
            Bytes::from_static(body),
            status,
            None,
            Bytes::new(),
        )
    }

    fn sequences(journal: &Journal, filter: &RequestFilter) -> Vec<u64> {
        journal.select(filter).iter().map(|e| e.sequence).collect()
    }

    #[test]
    fn entries_are_numbered_from_one_in_the_order_they_are_recorded() {
        let journal = Journal::new(10, 1024);
        for _ in 0..3 {
            journal.record(entry("ListCompilationJobs", 200, b"{}"));
        }
        assert_eq!(sequences(&journal, &RequestFilter::default()), [1, 2, 3]);
    }

    #[test]
    fn the_oldest_entry_goes_when_the_count_is_reached() {
        let journal = Journal::new(2, 1024);
        for _ in 0..5 {
            journal.record(entry("ListCompilationJobs", 200, b"{}"));
        }
        assert_eq!(sequences(&journal, &RequestFilter::default()), [4, 5]);
    }

    #[test]
    fn the_oldest_entries_go_until_the_bodies_fit_the_bytes() {
        let journal = Journal::new(100, 10);
        journal.record(entry("A", 200, b"1234"));
        journal.record(entry("B", 200, b"1234"));
        journal.record(entry("C", 200, b"123456"));
        assert_eq!(sequences(&journal, &RequestFilter::default()), [2, 3]);
    }

    #[test]
    fn an_entry_larger_than_the_bytes_takes_a_number_and_is_not_kept() {
        let journal = Journal::new(100, 4);
        journal.record(entry("A", 200, b"12"));
        journal.record(entry("B", 200, b"12345"));
        journal.record(entry("C", 200, b"12"));
        assert_eq!(sequences(&journal, &RequestFilter::default()), [1, 3]);
    }

    #[test]
    fn a_journal_of_size_zero_keeps_nothing() {
        let journal = Journal::new(0, 1024);
        journal.record(entry("A", 200, b"{}"));
        assert!(!journal.is_on());
        assert!(journal.select(&RequestFilter::default()).is_empty());
    }

    #[test]
    fn filters_select_by_operation_status_and_sequence_together() {
        let journal = Journal::new(10, 1024);
        journal.record(entry("A", 200, b""));
        journal.record(entry("B", 400, b""));
        journal.record(entry("A", 400, b""));
        journal.record(entry("A", 400, b""));
        let filter = RequestFilter::default().operation("A").status(400);
        assert_eq!(sequences(&journal, &filter), [3, 4]);
        assert_eq!(sequences(&journal, &filter.since(3)), [4]);
        assert_eq!(
            sequences(&journal, &RequestFilter::default().since(9)),
            [] as [u64; 0]
        );
    }

    #[test]
    fn the_latest_entries_come_newest_first_and_no_more_than_asked() {
        let journal = Journal::new(10, 1024);
        for _ in 0..4 {
            journal.record(entry("A", 200, b"{}"));
        }
        let latest: Vec<u64> = journal.latest(3).iter().map(|e| e.sequence).collect();
        assert_eq!(latest, [4, 3, 2]);
        assert_eq!(journal.latest(9).len(), 4);
    }

    #[test]
    fn clearing_forgets_the_entries_and_numbering_goes_on() {
        let journal = Journal::new(10, 1024);
        journal.record(entry("A", 200, b"{}"));
        journal.record(entry("A", 200, b"{}"));
        assert_eq!(journal.clear(), 2);
        journal.record(entry("A", 200, b"{}"));
        assert_eq!(sequences(&journal, &RequestFilter::default()), [3]);
    }
}
