//! Jobs of one account and region, their sorted indexes, and their planned transitions.
//!
//! Names are unique regardless of case (fidelity row F9), so jobs are keyed by the
//! lower-cased name while the name as created is kept for display and order. Transitions
//! wait in a queue ordered by due time; `settle` applies every one that is due, in time
//! order, and moves the job within the status-keyed indexes as it goes.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::api::{CreateInput, JobStatus};

use super::index::Indexes;
use super::job::Job;
use super::lifecycle::{self, Transition};
use super::settings::Settings;
use super::spec::{Interner, JobSpec};
use super::time::Millis;

/// The jobs of one (account, region).
#[derive(Debug)]
pub(super) struct Partition {
    /// Boxed: a map's table is sized in powers of two, so storing jobs inline would
    /// reserve up to twice their size in empty slots.
    jobs: HashMap<Box<str>, Box<Job>>,
    indexes: Indexes,
    /// Due time and job sequence -> (job name, planned transition).
    pending: BTreeMap<(Millis, u64), (Arc<str>, Transition)>,
    interner: Interner,
    arn_prefix: Arc<str>,
    next_seq: u64,
}

/// The lookup key of a name.
fn key_of(name: &str) -> Box<str> {
    name.to_ascii_lowercase().into_boxed_str()
}

impl Partition {
    /// An empty partition for this account and region.
    pub(super) fn new(account: &str, region: &str) -> Partition {
        Partition {
            jobs: HashMap::new(),
            indexes: Indexes::default(),
            pending: BTreeMap::new(),
            interner: Interner::default(),
            arn_prefix: Arc::from(format!(
                "arn:aws:sagemaker:{region}:{account}:compilation-job/"
            )),
            next_seq: 0,
        }
    }

    /// A new STARTING job created at `now` from a validated input (not yet stored).
    pub(super) fn new_job(&mut self, input: CreateInput, arn_lower: bool, now: Millis) -> Job {
        let (name, spec) = JobSpec::store(input, Arc::clone(&self.arn_prefix), &mut self.interner);
        self.next_seq += 1;
        Job::new(name, spec, arn_lower, self.next_seq, now)
    }

    /// Applies every transition due at or before `now`, in time order.
    pub(super) fn settle(&mut self, now: Millis, settings: &Settings) {
        while let Some(entry) = self.pending.first_entry() {
            if entry.key().0 > now {
                break;
            }
            let (name, transition) = entry.remove();
            if let Some(job) = self.jobs.get_mut(&key_of(&name)) {
                self.indexes.remove_status(job);
                lifecycle::apply(job, &transition);
                self.indexes.insert_status(job);
                job.due = None;
                if let Some(next) = lifecycle::next(job, transition.at, settings) {
                    job.due = Some(next.at);
                    self.pending.insert((next.at, job.seq), (name, next));
                }
            }
        }
    }

    /// The job with this name (any case).
    pub(super) fn get(&self, name: &str) -> Option<&Job> {
        self.jobs.get(&key_of(name)).map(|job| &**job)
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

    /// Stores a job whose current status began at `entered`, and plans what follows.
    pub(super) fn insert(&mut self, mut job: Job, entered: Millis, settings: &Settings) {
        if let Some(next) = lifecycle::next(&job, entered, settings) {
            job.due = Some(next.at);
            self.pending
                .insert((next.at, job.seq), (Arc::clone(&job.name), next));
        }
        self.indexes.insert(&job);
        self.jobs.insert(key_of(&job.name), Box::new(job));
    }

    /// Moves a running job to STOPPING at `now`, replacing its planned transition.
    pub(super) fn stop(&mut self, name: &str, now: Millis, settings: &Settings) {
        let Some(job) = self.jobs.get_mut(&key_of(name)) else {
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
            self.pending
                .insert((next.at, job.seq), (Arc::clone(&job.name), next));
        }
    }

    /// Removes a job with anything it had pending.
    pub(super) fn remove(&mut self, name: &str) -> Option<Job> {
        let job = self.jobs.remove(&key_of(name))?;
        self.indexes.remove(&job);
        if let Some(due) = job.due {
            self.pending.remove(&(due, job.seq));
        }
        Some(*job)
    }
}
