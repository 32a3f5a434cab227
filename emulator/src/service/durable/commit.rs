//! Group commit: which changes are on disk, and waiting for yours.
//!
//! Changes are numbered as they are queued, while the store's lock is held, so the
//! numbers follow the store's order; the writer commits them in that order and marks
//! each batch done. "Is my change on disk" is then one comparison, and a request waits
//! only for the batch that holds its change (or, for a read, everything queued before
//! it). A commit costs one fsync whether it holds one change or a hundred, so under
//! concurrent load the cost per change falls with the number of requests in flight.
//!
//! A failed commit is final: the changes it held are already in memory, so after it the
//! memory and the disk disagree, and every later request is refused until the process
//! is restarted and the database read back.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// The shared commit state.
#[derive(Debug, Default)]
pub(super) struct Commits {
    /// Changes ever queued.
    queued: AtomicU64,
    /// Changes known to be committed (a fast path; never ahead of `state`).
    committed: AtomicU64,
    state: Mutex<State>,
    wake: Condvar,
}

#[derive(Debug, Default)]
struct State {
    committed: u64,
    failure: Option<String>,
}

impl Commits {
    /// Numbers a change about to be queued; called with the store's lock held.
    pub(super) fn next(&self) -> u64 {
        self.queued.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// The position a request must wait for to see everything queued so far.
    pub(super) fn position(&self) -> u64 {
        self.queued.load(Ordering::SeqCst)
    }

    /// Marks every change up to `position` committed (by the writer) and wakes the waiters.
    #[cfg_attr(not(feature = "durable"), allow(dead_code))]
    pub(super) fn committed(&self, position: u64) {
        let mut state = self.lock();
        state.committed = state.committed.max(position);
        self.committed.store(state.committed, Ordering::SeqCst);
        drop(state);
        self.wake.notify_all();
    }

    /// The failure that stopped the database, if any.
    pub(super) fn failure(&self) -> Option<String> {
        self.lock().failure.clone()
    }

    /// Stops the database for good; the first failure is the one reported.
    pub(super) fn fail(&self, message: String) {
        let mut state = self.lock();
        if state.failure.is_none() {
            log::error!("{message}; refusing every request until restarted");
            state.failure = Some(message);
        }
        drop(state);
        self.wake.notify_all();
    }

    /// Returns once every change up to `position` is committed, or the failure that
    /// means it never will be.
    pub(super) fn wait(&self, position: u64) -> Result<(), String> {
        if self.committed.load(Ordering::SeqCst) >= position {
            return self.failure().map_or(Ok(()), Err);
        }
        let mut state = self.lock();
        loop {
            if let Some(failure) = &state.failure {
                return Err(failure.clone());
            }
            if state.committed >= position {
                return Ok(());
            }
            state = self
                .wake
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::sync::Arc;
    use std::thread;

    use super::*;

    #[test]
    fn a_waiter_returns_once_a_commit_covers_its_change_and_not_before() {
        let commits = Arc::new(Commits::default());
        let first = commits.next();
        let second = commits.next();
        commits.committed(first);
        assert_eq!(commits.wait(first), Ok(()));
        let waiter = {
            let commits = Arc::clone(&commits);
            thread::spawn(move || commits.wait(second))
        };
        thread::sleep(std::time::Duration::from_millis(20));
        assert!(
            !waiter.is_finished(),
            "returned before its change was committed"
        );
        commits.committed(second);
        assert_eq!(waiter.join().unwrap(), Ok(()));
    }

    #[test]
    fn a_failure_is_final_and_answers_every_waiter_even_one_already_covered() {
        let commits = Arc::new(Commits::default());
        let first = commits.next();
        commits.committed(first);
        let pending = commits.next();
        let waiter = {
            let commits = Arc::clone(&commits);
            thread::spawn(move || commits.wait(pending))
        };
        commits.fail("disk full".into());
        commits.fail("a later failure".into());
        assert_eq!(waiter.join().unwrap(), Err("disk full".into()));
        assert_eq!(commits.wait(first), Err("disk full".into()));
        commits.committed(pending);
        assert_eq!(commits.wait(pending), Err("disk full".into()));
    }
}
