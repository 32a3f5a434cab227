//! Opening a state directory: its lock, the database and its settings, then the jobs,
//! rebuilt row by row as they are read (so a start holds one row at a time besides the
//! jobs themselves), and finally the writer.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::super::clock::Clock;
use super::super::settings::Settings;
use super::super::time::Millis;
use super::change::Change;
use super::commit::Commits;
use super::database::{self, Lifecycle, Opened};
use super::error::StateError;
use super::rebuild;
use super::{Durable, Live, Partitions, writer};

/// A state directory locked, its database open and its settings checked.
#[derive(Debug)]
pub(in crate::service) struct Opening {
    dir: PathBuf,
    path: PathBuf,
    opened: Opened,
    lock: File,
}

/// Takes the directory's lock, opens the database, checks the lifecycle settings it was
/// written with, and reads (or creates) the page-token key into `settings`.
pub(super) fn open(dir: &Path, settings: &mut Settings) -> Result<Opening, StateError> {
    let lock = lock_dir(dir)?;
    let path = dir.join(database::FILE);
    let opened = database::open(&path)?;
    let write = |name: &str, value: &str| {
        database::put_setting(&opened.connection, name, value)
            .map_err(database::refused(&path, "write the settings of"))
    };
    let lifecycle = Lifecycle::of(settings);
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
    Ok(Opening {
        dir: dir.to_owned(),
        path,
        opened,
        lock,
    })
}

impl Opening {
    /// Rebuilds every job into `partitions`, starts the writer, and restores the manual
    /// clock (recording its starting time in a new directory).
    pub(super) fn rebuild(
        self,
        partitions: &mut Partitions,
        settings: &Settings,
        clock: &Clock,
    ) -> Result<(Durable, Vec<String>), StateError> {
        let Opening {
            dir,
            path,
            opened,
            lock,
        } = self;
        let count = database::for_each_job(&opened.connection, &path, |row| {
            rebuild::job(partitions, row, settings)
        })?;
        let commits = Arc::new(Commits::default());
        let (queue, writer) = writer::spawn(opened.connection, path.clone(), Arc::clone(&commits))
            .map_err(StateError::io("start the writer for", &path))?;
        let notice = format!(
            "state in {} ({}): {count} jobs restored",
            path.display(),
            opened.modes
        );
        let durable = Durable {
            dir,
            live: Some(Live {
                queue,
                writer: Some(writer),
                _lock: lock,
            }),
            commits,
        };
        if clock.is_manual() {
            match opened.clock {
                Some(at) => clock.restore(Millis(at)),
                // The manual clock's starting time is state too: record it, so the jobs
                // made before a restart do not jump to the wall-clock time after it.
                None => durable
                    .append(Change::Clock { to: clock.now().0 })
                    .and_then(|()| durable.wait(durable.position()))
                    .map_err(|e| StateError::Database {
                        action: "record the manual clock in",
                        path,
                        problem: e.message,
                    })?,
            }
        }
        Ok((durable, vec![notice]))
    }
}

/// Creates the directory if needed and takes its lock; the lock lasts as long as the
/// returned file is open, and the kernel releases it when the process dies.
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
