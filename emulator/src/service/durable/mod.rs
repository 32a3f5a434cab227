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
mod rebuild;
#[cfg(feature = "durable")]
mod writer;

#[cfg(all(test, feature = "durable"))]
mod tests;

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
pub(super) use rebuild::Partitions;

use commit::Commits;
use rebuild::JobRow;

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
    /// The journal mode and `synchronous` level the writer's connection runs with.
    #[cfg(feature = "durable")]
    modes: database::Modes,
    /// Held for the life of the directory's use: one process per directory.
    _lock: File,
}

/// A state directory opened, with the rows to rebuild.
#[derive(Debug)]
#[cfg_attr(not(feature = "durable"), allow(dead_code))]
pub(super) struct Restored {
    durable: Durable,
    /// The database file, for errors.
    path: PathBuf,
    /// The manual clock's recorded time.
    clock: Option<i64>,
    rows: Vec<JobRow>,
}

impl Durable {
    /// Opens (or creates) the state directory `dir` for a service with `settings`: takes
    /// its lock, opens the database, checks its schema and lifecycle settings, and reads
    /// its jobs. Sets `settings.token_key` from the database when it is not set.
    #[cfg(feature = "durable")]
    pub(super) fn open(dir: &Path, settings: &mut Settings) -> Result<Restored, StateError> {
        let lock = lock_dir(dir)?;
        let path = dir.join(database::FILE);
        let opened = database::open(&path)?;
        let connection = &opened.connection;
        let write = |name: &str, value: &str| {
            database::put_setting(connection, name, value)
                .map_err(database::refused(&path, "write the settings of"))
        };
        let lifecycle = database::Lifecycle::of(settings);
        match &opened.lifecycle {
            Some(then) => {
                if let Some((name, then, now)) = then.first_difference(&lifecycle) {
                    return Err(StateError::SettingChanged {
                        dir: dir.to_owned(),
                        name,
                        then,
                        now,
                    });
                }
            }
            None => write(
                "lifecycle",
                &serde_json::to_string(&lifecycle).unwrap_or_default(),
            )?,
        }
        if settings.token_key.is_none() {
            let key = match &opened.token_key {
                Some(key) => key.clone(),
                None => {
                    let key = new_token_key();
                    write("token_key", &key)?;
                    key
                }
            };
            settings.token_key = Some(key);
        }
        let rows = database::jobs(connection, &path)?;
        let commits = Arc::new(Commits::default());
        let (queue, writer) = writer::spawn(opened.connection, path.clone(), Arc::clone(&commits))
            .map_err(StateError::io("start the writer for", &path))?;
        let durable = Durable {
            dir: dir.to_owned(),
            live: Some(Live {
                queue,
                writer: Some(writer),
                modes: opened.modes,
                _lock: lock,
            }),
            commits,
        };
        Ok(Restored {
            durable,
            path,
            clock: opened.clock,
            rows,
        })
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

    /// The journal mode and `synchronous` level the server's connection runs with.
    #[cfg(all(test, feature = "durable"))]
    pub(super) fn modes(&self) -> Option<&database::Modes> {
        self.live.as_ref().map(|live| &live.modes)
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

impl Live {
    /// How the writer's connection runs, as the start notice shows it.
    fn modes(&self) -> String {
        #[cfg(feature = "durable")]
        return self.modes.to_string();
        #[cfg(not(feature = "durable"))]
        String::new()
    }
}

#[cfg_attr(not(feature = "durable"), allow(dead_code))]
impl Restored {
    /// Rebuilds the restored jobs into `partitions` and restores the manual clock; the
    /// durable state is then ready. Returns the notices worth telling the operator.
    pub(super) fn rebuild(
        self,
        partitions: &mut Partitions,
        settings: &Settings,
        clock: &Clock,
    ) -> Result<(Durable, Vec<String>), StateError> {
        let count = self.rows.len();
        rebuild::rebuild(partitions, self.rows, settings, &self.path)?;
        let durable = self.durable;
        if clock.is_manual() {
            match self.clock {
                Some(at) => clock.restore(Millis(at)),
                // The manual clock's starting time is state too: record it, so the jobs
                // made before a restart do not jump to the wall-clock time after it.
                None => durable
                    .append(Change::Clock { to: clock.now().0 })
                    .and_then(|()| durable.wait(durable.position()))
                    .map_err(|e| StateError::Database {
                        action: "record the manual clock in",
                        path: self.path.clone(),
                        problem: e.message,
                    })?,
            }
        }
        let notices = durable
            .live
            .iter()
            .map(|live| {
                format!(
                    "state in {} ({}): {count} jobs restored",
                    self.path.display(),
                    live.modes()
                )
            })
            .collect();
        Ok((durable, notices))
    }
}

/// Creates the directory if needed and takes its lock; the lock lasts as long as the
/// returned file is open, and the kernel releases it when the process dies.
#[cfg(feature = "durable")]
fn lock_dir(dir: &Path) -> Result<File, StateError> {
    std::fs::create_dir_all(dir).map_err(StateError::io("create", dir))?;
    let path = dir.join("lock");
    let mut options = std::fs::OpenOptions::new();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(&path).map_err(StateError::io("open", &path))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(StateError::Locked {
            dir: dir.to_owned(),
        }),
        Err(std::fs::TryLockError::Error(source)) => Err(StateError::Io {
            action: "lock",
            path,
            source,
        }),
    }
}

/// A random page-token key: 64 hex digits.
#[cfg(feature = "durable")]
fn new_token_key() -> String {
    let mut key = String::with_capacity(64);
    for byte in uuid::Uuid::new_v4()
        .as_bytes()
        .iter()
        .chain(uuid::Uuid::new_v4().as_bytes())
    {
        key.push_str(&format!("{byte:02x}"));
    }
    key
}
