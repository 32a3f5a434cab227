//! Durable state (`state_dir`): every acknowledged change is on disk before it is
//! answered, and a restart restores it, page-token key included.
//!
//! The state is a snapshot plus the journals of changes made since (Create, Stop,
//! Delete, a seed, a manual-clock move); see `files` for the layout, `frame` for the
//! record format and its checksums, `record` for what a change holds. A change is
//! appended while the store's lock is held, so the journal's order is the store's order,
//! and fsync'd after the lock is released, one fsync shared by the requests in flight
//! (`sync`). Every answer, reads included, waits until everything it could have observed
//! is on disk, so no client ever sees a job that a crash could take back.
//!
//! When the journal outgrows both a floor (8 MiB) and the snapshot, a new journal is
//! started and the old one folded into a new snapshot in the background (`compact`), so
//! the disk holds about twice the live jobs and a restart replays at most that much.

mod compact;
mod error;
mod files;
mod fold;
mod frame;
mod read;
mod record;
mod replay;
mod sync;

#[cfg(test)]
mod tests;

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;

use crate::api::{ApiError, ErrorCode};

use super::clock::Clock;
use super::settings::Settings;
use super::time::Millis;

pub use error::StateError;
pub(super) use record::Record;
pub(super) use replay::Partitions;

use files::Layout;
use frame::Tail;
use read::StateFile;
use record::Lifecycle;
use sync::GroupSync;

/// The journal size below which it is never compacted.
const COMPACT_FLOOR: u64 = 8 * 1024 * 1024;

/// Overrides [`COMPACT_FLOOR`], so tests can make compaction happen within a few changes.
const COMPACT_FLOOR_VAR: &str = "CJH_STATE_COMPACT_BYTES";

/// The durable half of a service with a state directory.
#[derive(Debug)]
pub(super) struct Durable {
    dir: PathBuf,
    /// `None` when the directory could not be opened: the service refuses everything.
    live: Option<Arc<Live>>,
    sync: Arc<GroupSync>,
}

/// An open state directory.
#[derive(Debug)]
struct Live {
    layout: Layout,
    writer: Mutex<Writer>,
    /// Held while the snapshot is rewritten (compaction, reset), so one waits for the other.
    snapshots: Mutex<()>,
    /// The background compaction, if one was started.
    compactor: Mutex<Option<JoinHandle<()>>>,
    lifecycle: Lifecycle,
    /// Held for the life of the directory's use: one process per directory.
    _lock: File,
}

#[derive(Debug)]
struct Writer {
    /// The journal being appended to.
    journal: Arc<File>,
    generation: u64,
    journal_len: u64,
    snapshot_len: u64,
    /// The journal size below which it is never compacted.
    compact_floor: u64,
    /// Whether a background compaction is running.
    compacting: bool,
}

/// A state directory opened, with the files to replay.
#[derive(Debug)]
pub(super) struct Restored {
    durable: Durable,
    /// The snapshot's clock, then the snapshot and journals, in order.
    clock: Option<i64>,
    files: Vec<StateFile>,
    notices: Vec<String>,
}

impl Durable {
    /// Opens (or creates) the state directory `dir` for a service with `settings`: takes
    /// its lock, reads the snapshot and journals, and drops a torn last record. Sets
    /// `settings.token_key` from the directory when it is not set.
    pub(super) fn open(dir: &Path, settings: &mut Settings) -> Result<Restored, StateError> {
        let layout = Layout {
            dir: dir.to_owned(),
        };
        let lock = layout.create_and_lock()?;
        if settings.token_key.is_none() {
            settings.token_key = Some(layout.token_secret()?);
        }
        let lifecycle = Lifecycle::of(settings);
        let journals = layout.journals()?;
        let snapshot_path = layout.snapshot();
        let (header, snapshot) = match read::read_snapshot(&snapshot_path)? {
            Some(snapshot) => (snapshot.header, Some(snapshot.file)),
            None if journals.is_empty() => {
                let header = compact::snapshot_header(0, None, &lifecycle, 0);
                layout.write_snapshot(&header, &[])?;
                (header, None)
            }
            None => {
                return Err(StateError::damaged(
                    &snapshot_path,
                    "the snapshot is missing while journals are present",
                ));
            }
        };
        if let Some((name, then, now)) = header.lifecycle.first_difference(&lifecycle) {
            return Err(StateError::SettingChanged {
                dir: dir.to_owned(),
                name,
                then,
                now,
            });
        }
        let mut notices = Vec::new();
        let (journal_files, active) =
            read_journals(&layout, &journals, header.next_journal, &mut notices)?;
        let generation = active.unwrap_or(header.next_journal);
        let journal_len = match journal_files.last() {
            Some(last) => last.good_len(),
            None => layout.create_journal(generation)?.1,
        };
        layout.remove_temporaries()?;
        layout.remove_journals_before(header.next_journal)?;
        let journal_path = layout.journal(generation);
        let journal = OpenOptions::new()
            .append(true)
            .open(&journal_path)
            .map_err(StateError::io("open", &journal_path))?;
        let snapshot_len = snapshot.as_ref().map_or(0, StateFile::len);
        let live = Live {
            layout,
            writer: Mutex::new(Writer {
                journal: Arc::new(journal),
                generation,
                journal_len,
                snapshot_len,
                compact_floor: compact_floor(),
                compacting: false,
            }),
            snapshots: Mutex::new(()),
            compactor: Mutex::new(None),
            lifecycle,
            _lock: lock,
        };
        let durable = Durable {
            dir: dir.to_owned(),
            live: Some(Arc::new(live)),
            sync: Arc::new(GroupSync::default()),
        };
        Ok(Restored {
            durable,
            clock: header.clock,
            files: snapshot.into_iter().chain(journal_files).collect(),
            notices,
        })
    }

    /// A stand-in for a directory that could not be opened: every request is refused
    /// with `message`.
    pub(super) fn unavailable(dir: &Path, message: String) -> Durable {
        let sync = GroupSync::default();
        sync.fail(message);
        Durable {
            dir: dir.to_owned(),
            live: None,
            sync: Arc::new(sync),
        }
    }

    /// The answer every request gets once the state directory has failed, if it has.
    pub(super) fn refusal(&self) -> Option<ApiError> {
        self.sync.failure().map(|message| self.error(&message))
    }

    /// Appends a change; called with the store's lock held, before the change is made in
    /// memory, so a change that cannot be written is not made at all.
    pub(super) fn append(&self, record: &Record) -> Result<(), ApiError> {
        let live = self.live()?;
        let payload = serde_json::to_vec(record)
            .map_err(|e| self.failed(format!("cannot encode a record: {e}")))?;
        let mut bytes = Vec::with_capacity(payload.len() + frame::HEADER_LEN);
        frame::encode(&payload, &mut bytes);
        let mut writer = live.lock();
        if !writer.compacting && writer.journal_len > writer.compact_floor.max(writer.snapshot_len)
        {
            compact::start(live, &mut writer, &self.sync)
                .map_err(|e| self.failed(format!("cannot start a new journal: {e}")))?;
        }
        (&*writer.journal)
            .write_all(&bytes)
            .map_err(|e| self.failed(format!("cannot append to the journal: {e}")))?;
        writer.journal_len += bytes.len() as u64;
        self.sync.appended(bytes.len() as u64);
        Ok(())
    }

    /// Compacts once the journal passes `bytes` (and the snapshot), so tests reach
    /// compaction within a few changes.
    #[cfg(test)]
    pub(super) fn set_compact_floor(&self, bytes: u64) {
        if let Some(live) = &self.live {
            live.lock().compact_floor = bytes;
        }
    }

    /// Holds back compaction (and reset) while the guard lives, so a test can look at
    /// the directory as a crash in the middle of a compaction would leave it.
    #[cfg(test)]
    pub(super) fn hold_snapshots(&self) -> Option<MutexGuard<'_, ()>> {
        let live = self.live.as_ref()?;
        Some(
            live.snapshots
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        )
    }

    /// The position that covers every change appended so far.
    pub(super) fn position(&self) -> u64 {
        self.sync.position()
    }

    /// Returns once every change up to `position` is on disk.
    pub(super) fn wait(&self, position: u64) -> Result<(), ApiError> {
        let live = self.live()?;
        self.sync
            .wait(position, || {
                let writer = live.lock();
                (Arc::clone(&writer.journal), self.sync.position())
            })
            .map_err(|message| self.error(&message))
    }

    /// Forgets every job: an empty snapshot (keeping the manual clock's time) and a new
    /// journal. Called with the store's lock held.
    pub(super) fn reset(&self, clock: Option<Millis>) -> Result<(), ApiError> {
        let live = self.live()?;
        compact::reset(live, &self.sync, clock.map(|c| c.0))
            .map_err(|e| self.failed(format!("cannot reset: {e}")))
    }

    fn live(&self) -> Result<&Arc<Live>, ApiError> {
        match (&self.live, self.sync.failure()) {
            (Some(live), None) => Ok(live),
            (_, Some(message)) => Err(self.error(&message)),
            (None, None) => Err(self.error("not open")),
        }
    }

    /// Records a failure for good and returns it as an answer.
    fn failed(&self, message: String) -> ApiError {
        self.sync.fail(message.clone());
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
    /// Lets a running compaction finish, so the directory is whole and unlocked after.
    fn drop(&mut self) {
        if let Some(live) = &self.live
            && let Some(compactor) = live
                .compactor
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take()
        {
            let _ = compactor.join();
        }
    }
}

impl Restored {
    /// Replays the restored changes into `partitions` and restores the manual clock; the
    /// durable state is then ready. Returns the notices worth telling the operator, such
    /// as a torn last record dropped.
    pub(super) fn rebuild(
        self,
        partitions: &mut Partitions,
        settings: &Settings,
        clock: &Clock,
    ) -> Result<(Durable, Vec<String>), StateError> {
        let mut clock_time = self.clock;
        for file in &self.files {
            for read in file.records() {
                let (offset, record, _) = read?;
                if let Record::Clock { to } = record {
                    clock_time = Some(to);
                }
                replay::apply(partitions, &record, settings).map_err(|problem| {
                    StateError::Record {
                        path: file.path.clone(),
                        offset,
                        problem,
                    }
                })?;
            }
        }
        let durable = self.durable;
        if clock.is_manual() {
            match clock_time {
                Some(at) => clock.restore(Millis(at)),
                // The manual clock's starting time is state too: record it, so the jobs
                // made before a restart do not jump to the wall-clock time after it.
                None => durable
                    .append(&Record::Clock { to: clock.now().0 })
                    .and_then(|()| durable.wait(durable.position()))
                    .map_err(|e| StateError::Io {
                        action: "record the manual clock in",
                        path: durable.dir.clone(),
                        source: std::io::Error::other(e.message),
                    })?,
            }
        }
        Ok((durable, self.notices))
    }
}

impl Live {
    fn lock(&self) -> MutexGuard<'_, Writer> {
        self.writer.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Reads the journals the snapshot continues into (`next` and after, consecutive). Only
/// the last may end in a torn record, which is cut off and reported; returns the files
/// and the last generation, if any.
fn read_journals(
    layout: &Layout,
    present: &[u64],
    next: u64,
    notices: &mut Vec<String>,
) -> Result<(Vec<StateFile>, Option<u64>), StateError> {
    let wanted: Vec<u64> = present.iter().copied().filter(|&g| g >= next).collect();
    let mut files = Vec::with_capacity(wanted.len());
    for (index, &generation) in wanted.iter().enumerate() {
        let path = layout.journal(generation);
        let expected = next + index as u64;
        if generation != expected {
            return Err(StateError::damaged(
                path,
                format!("journal-{expected}, which comes before it, is missing"),
            ));
        }
        let file = read::read_journal(&path, generation)?;
        if let Tail::Torn { offset, dropped } = file.tail {
            if index + 1 < wanted.len() {
                return Err(StateError::damaged(
                    path,
                    format!(
                        "a record at byte {offset} is cut short, in a journal that is not the last (a newer one follows), so this is damage"
                    ),
                ));
            }
            truncate(&path, file.good_len())?;
            notices.push(format!(
                "{}: dropped a torn record at byte {offset} ({dropped} bytes), left by an interrupted write; the {} records before it are restored",
                path.display(),
                file.count()
            ));
        }
        files.push(file);
    }
    Ok((files, wanted.last().copied()))
}

fn truncate(path: &Path, len: u64) -> Result<(), StateError> {
    let file = OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(StateError::io("open", path))?;
    file.set_len(len)
        .map_err(StateError::io("truncate", path))?;
    file.sync_all().map_err(StateError::io("fsync", path))
}

fn compact_floor() -> u64 {
    std::env::var(COMPACT_FLOOR_VAR)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(COMPACT_FLOOR)
}
