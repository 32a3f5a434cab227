//! Durable state (`state_dir`): every acknowledged change is in an SQLite database
//! before it is answered, and a restart restores it, page-token key included.
//!
//! The jobs stay in memory with their indexes, which is what every request reads; the
//! database is the durable copy, read once at start (`database` for the schema,
//! `rebuild` for turning rows back into jobs). A change is queued while the store's
//! lock is held, before it is made in memory, so the database's order is the store's
//! order; one writer thread commits whatever is queued in one transaction (`writer`),
//! and every answer, reads included, waits until everything it could have observed is
//! committed (`commit`), so no client ever sees a job that a crash could take back.
//!
//! One process per directory: `DIR/lock` is held with an advisory lock (the standard
//! library's `File::try_lock`, flock on Unix) rather than SQLite's exclusive locking
//! mode, so a `sqlite3` reader can still open the database while the server runs.
//!
//! Without the `durable` feature there is no SQLite in the build, and a `state_dir` is
//! refused with [`StateError::NotBuilt`].

mod change;
mod commit;
#[cfg(feature = "durable")]
mod database;
mod error;
#[cfg(feature = "durable")]
mod open;
#[cfg(feature = "durable")]
mod rebuild;
#[cfg(feature = "durable")]
mod writer;

#[cfg(all(test, feature = "durable"))]
mod tests;

#[cfg(all(test, feature = "durable"))]
mod tag_tests;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::Sender;
use std::thread::JoinHandle;

use crate::api::{ApiError, ErrorCode};

use super::clock::Clock;
use super::settings::Settings;
use super::time::Millis;

pub(super) use change::Change;
pub use error::StateError;

use commit::Commits;

/// The service's partitions, by (account, region).
pub(in crate::service) type Partitions =
    std::collections::HashMap<(String, String), super::store::Partition>;

/// The durable half of a service with a state directory.
#[derive(Debug)]
pub(super) struct Durable {
    dir: PathBuf,
    /// `None` when the directory could not be opened: the service refuses everything.
    live: Option<Live>,
    commits: Arc<Commits>,
}

/// An open state directory.
#[derive(Debug)]
#[cfg_attr(not(feature = "durable"), allow(dead_code))]
struct Live {
    /// Where changes are queued for the writer, with their positions.
    queue: Sender<(u64, Change)>,
    /// The writer thread, joined on drop so the database is closed after it.
    writer: Option<JoinHandle<()>>,
    /// Held for the life of the directory's use: one process per directory.
    _lock: File,
}

/// A state directory opened, with its jobs still to rebuild.
#[derive(Debug)]
pub(super) enum Restored {
    /// The database, open and checked.
    #[cfg(feature = "durable")]
    Open(open::Opening),
}

impl Durable {
    /// Opens (or creates) the state directory `dir` for a service with `settings`: takes
    /// its lock, opens the database, and checks its schema and lifecycle settings; the
    /// jobs are read by [`Restored::rebuild`]. Sets `settings.token_key` from the
    /// database when it is not set.
    #[cfg(feature = "durable")]
    pub(super) fn open(dir: &Path, settings: &mut Settings) -> Result<Restored, StateError> {
        open::open(dir, settings).map(Restored::Open)
    }

    /// Without SQLite in the build, every state directory is refused.
    #[cfg(not(feature = "durable"))]
    pub(super) fn open(dir: &Path, _settings: &mut Settings) -> Result<Restored, StateError> {
        Err(StateError::NotBuilt {
            dir: dir.to_owned(),
        })
    }

    /// A stand-in for a directory that could not be opened: every request is refused
    /// with `message`.
    pub(super) fn unavailable(dir: &Path, message: String) -> Durable {
        let commits = Commits::default();
        commits.fail(message);
        Durable {
            dir: dir.to_owned(),
            live: None,
            commits: Arc::new(commits),
        }
    }

    /// The answer every request gets once the state directory has failed, if it has.
    pub(super) fn refusal(&self) -> Option<ApiError> {
        self.commits.failure().map(|message| self.error(&message))
    }

    /// Queues a change; called with the store's lock held, before the change is made in
    /// memory, so the database's order is the store's.
    pub(super) fn append(&self, change: Change) -> Result<(), ApiError> {
        let live = self.live()?;
        let position = self.commits.next();
        live.queue
            .send((position, change))
            .map_err(|_| self.failed("the writer has stopped".into()))
    }

    /// The position that covers every change queued so far.
    pub(super) fn position(&self) -> u64 {
        self.commits.position()
    }

    /// Returns once every change up to `position` is committed.
    pub(super) fn wait(&self, position: u64) -> Result<(), ApiError> {
        self.live()?;
        self.commits
            .wait(position)
            .map_err(|message| self.error(&message))
    }

    /// Forgets every job (keeping the manual clock's time), and waits until that is
    /// committed. Called with the store's lock held.
    pub(super) fn reset(&self, clock: Option<Millis>) -> Result<(), ApiError> {
        self.append(Change::Reset {
            clock: clock.map(|c| c.0),
        })?;
        self.wait(self.position())
    }

    fn live(&self) -> Result<&Live, ApiError> {
        match (&self.live, self.commits.failure()) {
            (Some(live), None) => Ok(live),
            (_, Some(message)) => Err(self.error(&message)),
            (None, None) => Err(self.error("not open")),
        }
    }

    /// Records a failure for good and returns it as an answer.
    fn failed(&self, message: String) -> ApiError {
        self.commits.fail(message.clone());
        self.error(&message)
    }

    fn error(&self, message: &str) -> ApiError {
        ApiError::new(
            ErrorCode::InternalFailure,
            format!(
                "The state directory {} failed: {message}. Changes are refused until cjh is restarted.",
                self.dir.display()
            ),
        )
    }
}

impl Drop for Durable {
    /// Lets the writer commit what is queued and close the database, so the directory
    /// is whole and unlocked after.
    fn drop(&mut self) {
        if let Some(mut live) = self.live.take() {
            let writer = live.writer.take();
            drop(live);
            if let Some(writer) = writer {
                let _ = writer.join();
            }
        }
    }
}

impl Restored {
    /// Rebuilds the jobs into `partitions`, row by row as they are read, and restores the
    /// manual clock; the durable state is then ready. Returns the notices worth telling
    /// the operator.
    #[cfg_attr(not(feature = "durable"), allow(unused_variables))]
    pub(super) fn rebuild(
        self,
        partitions: &mut Partitions,
        settings: &Settings,
        clock: &Clock,
    ) -> Result<(Durable, Vec<String>), StateError> {
        match self {
            #[cfg(feature = "durable")]
            Restored::Open(opening) => opening.rebuild(partitions, settings, clock),
        }
    }
}
