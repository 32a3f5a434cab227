//! Jobs of one account and region, their sorted indexes, and their planned transitions.
//!
//! Names are unique regardless of case (fidelity row F9), so jobs are keyed by the
//! lower-cased name while the name as created is kept for display and order. Transitions
//! wait in a queue ordered by due time; `settle` applies every one that is due, in time
//! order, and moves the job within the status-keyed indexes as it goes.
//!
//! Locking: a partition has no lock of its own. The service keeps every partition in one
//! map behind one mutex (`Service::with_partition`), taken once per request after the
//! request has been parsed and validated, and held only while the partition is settled,
//! read or changed (with a state directory, also while the change is queued for the
//! database writer, whose own locks are only ever taken inside it, never around it; the
//! wait for the commit comes after it is released). So every operation is atomic and all of them apply
//! in one total order: no request sees another half done, a List page is cut from one
//! consistent state, and a later page sees every change made since the earlier one, which
//! is why a page token is a keyset position rather than an offset. Nothing awaits while
//! holding it. The server's other shared state has its own short locks, each taken alone
//! and never while the store's is held: the fault-injection counter, the rate-limit
//! buckets, the connection slots (a semaphore), and the manual clock (an atomic). With no
//! other nesting there is no lock order to get wrong, hence no deadlock;
//! `emulator/tests/concurrency.rs` holds this under many writers and readers.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::api::{CreateInput, JobStatus, Tag};

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
    /// The latest time `settle` was called with: durable state records it with each
    /// change, so a replay settles exactly as far before redoing the change.
    settled: Millis,
}

/// The lookup key of a name.
fn key_of(name: &str) -> Box<str> {
    name.to_ascii_lowercase().into_boxed_str()
}

impl Partition {
    /// `arn:aws:sagemaker:REGION:ACCOUNT:compilation-job/`: which account and region
    /// this partition is (page tokens are bound to it).
    pub(super) fn arn_prefix(&self) -> &str {
        &self.arn_prefix
    }

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
            settled: Millis(i64::MIN),
        }
    }

    /// A new STARTING job created at `now` from a validated input (not yet stored).
    pub(super) fn new_job(&mut self, mut input: CreateInput, arn_lower: bool, now: Millis) -> Job {
        let tags = input.tags.take().unwrap_or_default();
        let (name, spec) = JobSpec::store(input, Arc::clone(&self.arn_prefix), &mut self.interner);
        self.next_seq += 1;
        let mut job = Job::new(name, spec, arn_lower, self.next_seq, now);
        job.tags = super::tags::merged(&[], &tags).into_boxed_slice();
        job
    }

    /// The job an ARN names here: this partition's own prefix
    /// (`arn:aws:sagemaker:REGION:ACCOUNT:compilation-job/`) and the name of a job it
    /// holds. An ARN of another account, region or resource type names nothing here.
    pub(super) fn job_of(&self, arn: &str) -> Option<&Job> {
        self.get(arn.strip_prefix(&*self.arn_prefix)?)
    }

    /// Every job, in no particular order.
    pub(super) fn jobs(&self) -> impl Iterator<Item = &Job> {
        self.jobs.values().map(|job| &**job)
    }

    /// Replaces the tags of the job with this name (any case), if there is one.
    pub(super) fn set_tags(&mut self, name: &str, tags: Vec<Tag>) {
        if let Some(job) = self.jobs.get_mut(&key_of(name)) {
            job.tags = tags.into_boxed_slice();
        }
    }

    /// Applies every transition due at or before `now`, in time order.
    pub(super) fn settle(&mut self, now: Millis, settings: &Settings) {
        self.settled = self.settled.max(now);
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

    /// The latest time the partition was settled to.
    pub(super) fn settled(&self) -> Millis {
        self.settled
    }

    /// The job with this name (any case).
    pub(super) fn get(&self, name: &str) -> Option<&Job> {
        self.jobs.get(&key_of(name)).map(|job| &**job)
    }

    /// The sorted indexes.
    pub(super) fn indexes(&self) -> &Indexes {
        &self.indexes
    }

    /// How many jobs it holds.
    pub(super) fn len(&self) -> usize {
        self.jobs.len()
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
