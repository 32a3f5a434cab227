//! Jobs of one account and region, their sorted indexes, and their planned transitions.
//!
//! Names are unique regardless of case (fidelity row F9), so jobs are keyed by the
//! lower-cased name while the name as created is kept for display and order. Transitions
//! wait in a queue ordered by due time; `settle` applies every one that is due, in time
//! order, and moves the job within the status-keyed indexes as it goes.

use std::collections::{BTreeMap, HashMap};

use crate::api::JobStatus;

use super::index::Indexes;
use super::job::Job;
use super::lifecycle::{self, Transition};
use super::settings::Settings;
use super::time::Millis;

/// The jobs of one (account, region).
#[derive(Debug, Default)]
pub(super) struct Partition {
    jobs: HashMap<String, Job>,
    indexes: Indexes,
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
                self.indexes.remove_status(job);
                lifecycle::apply(job, &transition);
                self.indexes.insert_status(job);
                job.due = None;
                if let Some(next) = lifecycle::next(job, transition.at, settings) {
                    job.due = Some(next.at);
                    self.pending.insert((next.at, job.seq), (key, next));
                }
            }
        }
    }

    /// The job with this name (any case).
    pub(super) fn get(&self, name: &str) -> Option<&Job> {
        self.jobs.get(&key_of(name))
    }

    /// The sorted indexes.
    pub(super) fn indexes(&self) -> &Indexes {
        &self.indexes
    }

    /// Jobs not yet in a terminal status.
    pub(super) fn active_count(&self) -> usize {
        // Non-terminal jobs are exactly those with a planned transition.
        self.pending.len()
    }

    /// The sequence number the next job gets.
    pub(super) fn take_seq(&mut self) -> u64 {
        self.next_seq += 1;
        self.next_seq
    }

    /// Stores a job whose current status began at `entered`, and plans what follows.
    pub(super) fn insert(&mut self, mut job: Job, entered: Millis, settings: &Settings) {
        let key = key_of(&job.name);
        if let Some(next) = lifecycle::next(&job, entered, settings) {
            job.due = Some(next.at);
            self.pending.insert((next.at, job.seq), (key.clone(), next));
        }
        self.indexes.insert(&job);
        self.jobs.insert(key, job);
    }

    /// Moves a running job to STOPPING at `now`, replacing its planned transition.
    pub(super) fn stop(&mut self, name: &str, now: Millis, settings: &Settings) {
        let key = key_of(name);
        let Some(job) = self.jobs.get_mut(&key) else {
            return;
        };
        if let Some(due) = job.due.take() {
            self.pending.remove(&(due, job.seq));
        }
        self.indexes.remove_status(job);
        job.status = JobStatus::Stopping;
        job.last_modified_time = now.whole_second();
        self.indexes.insert_status(job);
        if let Some(next) = lifecycle::next(job, now, settings) {
            job.due = Some(next.at);
            self.pending.insert((next.at, job.seq), (key, next));
        }
    }

    /// Removes a job with anything it had pending.
    pub(super) fn remove(&mut self, name: &str) -> Option<Job> {
        let job = self.jobs.remove(&key_of(name))?;
        self.indexes.remove(&job);
        if let Some(due) = job.due {
            self.pending.remove(&(due, job.seq));
        }
        Some(job)
    }
}
