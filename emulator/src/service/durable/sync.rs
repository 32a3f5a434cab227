//! Group commit: many requests, one fsync.
//!
//! Records are appended while the store's lock is held, so the journal's order is the
//! order changes were made in; the fsync happens after the lock is released. Positions
//! are counted in bytes ever appended (across journal files), so "is my change on disk"
//! is one comparison. The first request to find its position unsynced becomes the
//! leader: it syncs the journal up to everything appended so far, which covers every
//! request that appended before it, and wakes the others. An fsync costs the same for
//! one record or a hundred, so under concurrent load the cost per change falls with the
//! number of requests in flight.
//!
//! A failed write or fsync leaves the journal in an unknown state (Linux may drop the
//! dirty pages and report the error once), so it is final: every later request is
//! refused until the process is restarted and the journal is read back.

use std::fs::File;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

/// The shared sync state.
#[derive(Debug, Default)]
pub(super) struct GroupSync {
    /// Bytes ever appended.
    appended: AtomicU64,
    /// Bytes known to be on disk (a fast path for readers; never ahead of `state`).
    synced: AtomicU64,
    state: Mutex<State>,
    wake: Condvar,
}

#[derive(Debug, Default)]
struct State {
    syncing: bool,
    failure: Option<String>,
}

impl GroupSync {
    /// Counts `bytes` just appended; called with the writer held.
    pub(super) fn appended(&self, bytes: u64) {
        self.appended.fetch_add(bytes, Ordering::SeqCst);
    }

    /// The position a request must wait for to see everything appended so far.
    pub(super) fn position(&self) -> u64 {
        self.appended.load(Ordering::SeqCst)
    }

    /// Records that everything appended so far is on disk (after a snapshot).
    pub(super) fn all_synced(&self) {
        self.synced.fetch_max(self.position(), Ordering::SeqCst);
    }

    /// The failure that stopped the journal, if any.
    pub(super) fn failure(&self) -> Option<String> {
        self.lock().failure.clone()
    }

    /// Stops the journal for good; the first failure is the one reported.
    pub(super) fn fail(&self, message: String) {
        let mut state = self.lock();
        if state.failure.is_none() {
            eprintln!("cjh: {message}; refusing every request until restarted");
            state.failure = Some(message);
        }
        drop(state);
        self.wake.notify_all();
    }

    /// Returns once everything up to `position` is on disk. `journal` gives the file to
    /// sync and the position it would cover, read together under the writer's lock.
    pub(super) fn wait(
        &self,
        position: u64,
        journal: impl Fn() -> (Arc<File>, u64),
    ) -> Result<(), String> {
        if self.synced.load(Ordering::SeqCst) >= position {
            return self.failure().map_or(Ok(()), Err);
        }
        let mut state = self.lock();
        loop {
            if let Some(failure) = &state.failure {
                return Err(failure.clone());
            }
            if self.synced.load(Ordering::SeqCst) >= position {
                return Ok(());
            }
            if state.syncing {
                state = self
                    .wake
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner);
                continue;
            }
            state.syncing = true;
            drop(state);
            let (file, covers) = journal();
            let result = file.sync_data();
            state = self.lock();
            state.syncing = false;
            match result {
                Ok(()) => {
                    self.synced.fetch_max(covers, Ordering::SeqCst);
                }
                Err(error) => {
                    let message = format!("cannot fsync the journal: {error}");
                    eprintln!("cjh: {message}; refusing every request until restarted");
                    state.failure.get_or_insert(message);
                }
            }
            self.wake.notify_all();
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_position_already_covered_returns_without_syncing() {
        let sync = GroupSync::default();
        sync.appended(10);
        sync.all_synced();
        let result = sync.wait(10, || unreachable!("no sync needed"));
        assert_eq!(result, Ok(()));
    }

    #[test]
    fn a_failure_is_final_and_reported_to_every_waiter() {
        let sync = GroupSync::default();
        sync.fail("disk on fire".into());
        sync.fail("a later failure".into());
        assert_eq!(sync.failure().as_deref(), Some("disk on fire"));
        assert_eq!(sync.wait(0, || unreachable!()), Err("disk on fire".into()));
    }

    #[test]
    fn concurrent_waiters_share_syncs_and_all_return() {
        let dir = std::env::temp_dir().join(format!("cjh-sync-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = Arc::new(File::create(dir.join("j")).unwrap());
        let sync = Arc::new(GroupSync::default());
        let syncs = Arc::new(AtomicU64::new(0));
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let (sync, file, syncs) =
                    (Arc::clone(&sync), Arc::clone(&file), Arc::clone(&syncs));
                std::thread::spawn(move || {
                    for _ in 0..20 {
                        sync.appended(1);
                        let position = sync.position();
                        let result = sync.wait(position, || {
                            syncs.fetch_add(1, Ordering::SeqCst);
                            (Arc::clone(&file), sync.position())
                        });
                        assert_eq!(result, Ok(()));
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        assert!(syncs.load(Ordering::SeqCst) <= 160);
        assert_eq!(sync.synced.load(Ordering::SeqCst), 160);
        let _ = std::fs::remove_dir_all(dir);
    }
}
