//! Jobs of one account and region, with their planned transitions.
//!
//! Names are unique regardless of case (fidelity row F9), so jobs are keyed by the
//! lower-cased name while the name as created is kept for display. Transitions wait in a
//! queue ordered by due time; `settle` applies every one that is due, in time order.

use std::collections::{BTreeMap, HashMap};

use crate::api::JobStatus;

use super::job::Job;
use super::lifecycle::{self, Transition};
use super::settings::Settings;
use super::time::Millis;

/// The jobs of one (account, region).
#[derive(Debug, Default)]
pub(super) struct Partition {
    jobs: HashMap<String, Job>,
    /// Due time and job sequence -> (job key, planned transition).
    pending: BTreeMap<(Millis, u64), (String, Transition)>,
    next_seq: u64,
}

/// The lookup key of a name.
pub(super) fn key_of(name: &str) -> String {
    name.to_ascii_lowercase()
}

impl Partition {
    /// Applies every transition due at or before `now`, in time order.
    pub(super) fn settle(&mut self, now: Millis, settings: &Settings) {
        while let Some(entry) = self.pending.first_entry() {
            if entry.key().0 > now {
                break;
            }
            let (key, transition) = entry.remove();
            if let Some(job) = self.jobs.get_mut(&key) {
                lifecycle::apply(job, &transition);
                if let Some(next) = lifecycle::next(job, transition.at, settings) {
                    self.pending.insert((next.at, job.seq), (key, next));
                }
            }
        }
    }

    /// The job with this name (any case).
    pub(super) fn get(&self, name: &str) -> Option<&Job> {
        self.jobs.get(&key_of(name))
    }

    /// Jobs not yet in a terminal status.
    pub(super) fn active_count(&self) -> usize {
        self.jobs
            .values()
            .filter(|j| !j.status.is_terminal())
            .count()
    }

    /// The sequence number the next job gets.
    pub(super) fn take_seq(&mut self) -> u64 {
        self.next_seq += 1;
        self.next_seq
    }

    /// Stores a new job (in STARTING, created at `now`) and plans its first transition.
    pub(super) fn insert(&mut self, job: Job, settings: &Settings) {
        let key = key_of(&job.name);
        if let Some(next) = lifecycle::next(&job, job.creation_time, settings) {
            self.pending.insert((next.at, job.seq), (key.clone(), next));
        }
        self.jobs.insert(key, job);
    }

    /// Moves a running job to STOPPING at `now`, replacing its planned transition.
    /// Returns the status it had, which the caller checked with `lifecycle::can_stop`.
    pub(super) fn stop(
        &mut self,
        name: &str,
        now: Millis,
        settings: &Settings,
    ) -> Option<JobStatus> {
        let key = key_of(name);
        let job = self.jobs.get_mut(&key)?;
        let before = job.status;
        self.pending.retain(|_, (k, _)| *k != key);
        job.status = JobStatus::Stopping;
        job.last_modified_time = now.whole_second();
        if let Some(next) = lifecycle::next(job, now, settings) {
            self.pending.insert((next.at, job.seq), (key, next));
        }
        Some(before)
    }

    /// Removes a job; its pending transitions go with it.
    pub(super) fn remove(&mut self, name: &str) -> Option<Job> {
        let key = key_of(name);
        self.pending.retain(|_, (k, _)| *k != key);
        self.jobs.remove(&key)
    }

    /// Every job, in no particular order.
    pub(super) fn jobs(&self) -> impl Iterator<Item = &Job> {
        self.jobs.values()
    }
}
