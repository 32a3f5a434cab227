//! Sorted indexes over a partition's jobs, so a List page costs a logarithmic seek plus
//! the page's own work instead of a sort of the whole store.
//!
//! Every index orders keys of the same shape, two integers then the name, which is unique
//! (names are unique regardless of case), so every order is total:
//!
//! | index | key | serves |
//! |---|---|---|
//! | creation | (CreationTime, 0, name) | SortBy=CreationTime |
//! | name | (0, 0, name) | SortBy=Name |
//! | status | (status, CreationTime, name) | SortBy=Status; StatusEquals with CreationTime or Status order |
//! | status_name | (status, 0, name) | StatusEquals with SortBy=Name |

use std::collections::BTreeSet;
use std::ops::Bound;
use std::sync::Arc;

use crate::api::JobStatus;

use super::job::Job;
use super::time::Millis;

/// A position in one index.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Key {
    /// First component: CreationTime, or the status rank, or 0.
    pub(crate) major: i64,
    /// Second component: CreationTime under a status, or 0.
    pub(crate) minor: i64,
    /// The job's name as created.
    pub(crate) name: Arc<str>,
}

/// Which index a listing walks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum IndexKind {
    /// By creation time.
    Creation,
    /// By name.
    Name,
    /// By status, then creation time.
    Status,
    /// By status, then name.
    StatusName,
}

/// The status rank used in keys: the order of the wire strings (fidelity row F5).
pub(crate) fn status_rank(status: JobStatus) -> i64 {
    status as i64
}

/// The indexes of one partition.
#[derive(Debug, Default)]
pub(crate) struct Indexes {
    creation: BTreeSet<Key>,
    name: BTreeSet<Key>,
    status: BTreeSet<Key>,
    status_name: BTreeSet<Key>,
}

impl Indexes {
    /// The key of `job` in the index `kind`.
    pub(crate) fn key(kind: IndexKind, job: &Job) -> Key {
        let name = Arc::clone(&job.name);
        let Millis(created) = job.creation_time;
        let rank = status_rank(job.status);
        let (major, minor) = match kind {
            IndexKind::Creation => (created, 0),
            IndexKind::Name => (0, 0),
            IndexKind::Status => (rank, created),
            IndexKind::StatusName => (rank, 0),
        };
        Key { major, minor, name }
    }

    /// Adds a job to every index.
    pub(crate) fn insert(&mut self, job: &Job) {
        self.creation.insert(Self::key(IndexKind::Creation, job));
        self.name.insert(Self::key(IndexKind::Name, job));
        self.insert_status(job);
    }

    /// Removes a job from every index.
    pub(crate) fn remove(&mut self, job: &Job) {
        self.creation.remove(&Self::key(IndexKind::Creation, job));
        self.name.remove(&Self::key(IndexKind::Name, job));
        self.remove_status(job);
    }

    /// Adds a job to the indexes keyed by status (after a status change).
    pub(crate) fn insert_status(&mut self, job: &Job) {
        self.status.insert(Self::key(IndexKind::Status, job));
        self.status_name
            .insert(Self::key(IndexKind::StatusName, job));
    }

    /// Removes a job from the indexes keyed by status (before a status change).
    pub(crate) fn remove_status(&mut self, job: &Job) {
        self.status.remove(&Self::key(IndexKind::Status, job));
        self.status_name
            .remove(&Self::key(IndexKind::StatusName, job));
    }

    /// Keys of `kind` strictly beyond `after` in the walking direction, within `range`.
    pub(crate) fn walk<'a>(
        &'a self,
        kind: IndexKind,
        range: (Bound<Key>, Bound<Key>),
        descending: bool,
    ) -> Box<dyn Iterator<Item = &'a Key> + 'a> {
        let set = match kind {
            IndexKind::Creation => &self.creation,
            IndexKind::Name => &self.name,
            IndexKind::Status => &self.status,
            IndexKind::StatusName => &self.status_name,
        };
        if !range_is_valid(&range) {
            return Box::new(std::iter::empty());
        }
        let keys = set.range(range);
        if descending {
            Box::new(keys.rev())
        } else {
            Box::new(keys)
        }
    }
}

/// `BTreeSet::range` panics on a range whose start is after its end (or equal and both
/// excluded); such a range is simply empty here.
fn range_is_valid(range: &(Bound<Key>, Bound<Key>)) -> bool {
    match range {
        (Bound::Included(a), Bound::Included(b)) => a <= b,
        (Bound::Included(a), Bound::Excluded(b)) | (Bound::Excluded(a), Bound::Included(b)) => {
            a < b
        }
        (Bound::Excluded(a), Bound::Excluded(b)) => a < b,
        _ => true,
    }
}
