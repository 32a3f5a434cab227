//! The state directory on disk: which files it holds, and how each is written so that a
//! crash at any instant leaves either the old file or the new one, never half of one.
//!
//! ```text
//! DIR/lock          held (flock) by the one process using the directory
//! DIR/token-key     the page-token secret when `token_key` is not set (mode 0600)
//! DIR/snapshot      every live job as of a journal generation (written whole, renamed)
//! DIR/journal-<G>   changes since that snapshot, appended and fsync'd before answering
//! ```
//!
//! A whole-file write goes to `<name>.tmp`, is fsync'd, renamed over `<name>`, and the
//! directory is fsync'd so the rename itself survives a power loss.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::error::StateError;
use super::frame::{self, JOURNAL_MAGIC, SNAPSHOT_MAGIC};
use super::record::{FORMAT, JournalHeader, SnapshotHeader};

/// The paths of one state directory.
#[derive(Debug, Clone)]
pub(super) struct Layout {
    pub(super) dir: PathBuf,
}

impl Layout {
    pub(super) fn snapshot(&self) -> PathBuf {
        self.dir.join("snapshot")
    }

    pub(super) fn journal(&self, generation: u64) -> PathBuf {
        self.dir.join(format!("journal-{generation}"))
    }

    fn token_key(&self) -> PathBuf {
        self.dir.join("token-key")
    }

    fn lock(&self) -> PathBuf {
        self.dir.join("lock")
    }

    /// Creates the directory if needed and takes its lock; the lock lasts as long as the
    /// returned file is open, and the kernel releases it when the process dies.
    pub(super) fn create_and_lock(&self) -> Result<File, StateError> {
        std::fs::create_dir_all(&self.dir).map_err(StateError::io("create", &self.dir))?;
        let path = self.lock();
        let mut options = OpenOptions::new();
        options.create(true).truncate(false).write(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(&path).map_err(StateError::io("open", &path))?;
        match file.try_lock() {
            Ok(()) => Ok(file),
            Err(std::fs::TryLockError::WouldBlock) => Err(StateError::Locked {
                dir: self.dir.clone(),
            }),
            Err(std::fs::TryLockError::Error(source)) => Err(StateError::Io {
                action: "lock",
                path,
                source,
            }),
        }
    }

    /// Removes the `*.tmp` files a crash left behind.
    pub(super) fn remove_temporaries(&self) -> Result<(), StateError> {
        self.remove_where(|name| name.ends_with(".tmp"))
    }

    /// Removes the journals before `generation`, which a snapshot covers.
    pub(super) fn remove_journals_before(&self, generation: u64) -> Result<(), StateError> {
        self.remove_where(|name| journal_generation(name).is_some_and(|g| g < generation))?;
        self.sync_dir()
    }

    fn remove_where(&self, stale: impl Fn(&str) -> bool) -> Result<(), StateError> {
        let entries = std::fs::read_dir(&self.dir).map_err(StateError::io("list", &self.dir))?;
        for entry in entries {
            let entry = entry.map_err(StateError::io("list", &self.dir))?;
            if stale(&entry.file_name().to_string_lossy()) {
                let path = entry.path();
                std::fs::remove_file(&path).map_err(StateError::io("remove", &path))?;
            }
        }
        Ok(())
    }

    /// Journal generations present in the directory.
    pub(super) fn journals(&self) -> Result<Vec<u64>, StateError> {
        let entries = std::fs::read_dir(&self.dir).map_err(StateError::io("list", &self.dir))?;
        let mut found = Vec::new();
        for entry in entries {
            let entry = entry.map_err(StateError::io("list", &self.dir))?;
            if let Some(generation) = journal_generation(&entry.file_name().to_string_lossy()) {
                found.push(generation);
            }
        }
        found.sort_unstable();
        Ok(found)
    }

    /// The stored page-token secret, created (random, mode 0600) on first use.
    pub(super) fn token_secret(&self) -> Result<String, StateError> {
        let path = self.token_key();
        match std::fs::read_to_string(&path) {
            Ok(text) if !text.trim().is_empty() => return Ok(text.trim().to_owned()),
            Ok(_) => return Err(StateError::damaged(&path, "the token key file is empty")),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => {
                return Err(StateError::Io {
                    action: "read",
                    path,
                    source,
                });
            }
        }
        let mut secret = String::with_capacity(64);
        for byte in uuid::Uuid::new_v4()
            .as_bytes()
            .iter()
            .chain(uuid::Uuid::new_v4().as_bytes())
        {
            secret.push_str(&format!("{byte:02x}"));
        }
        self.write_whole(&path, |out| out.write_all(secret.as_bytes()))?;
        Ok(secret)
    }

    /// Writes a snapshot of `records` (payloads, in order) under `header`; returns its
    /// size in bytes.
    pub(super) fn write_snapshot(
        &self,
        header: &SnapshotHeader,
        records: &[Vec<u8>],
    ) -> Result<u64, StateError> {
        let mut size = 0u64;
        self.write_whole(&self.snapshot(), |out| {
            let mut buffer = SNAPSHOT_MAGIC.to_vec();
            frame::encode(&to_json(header)?, &mut buffer);
            for payload in records {
                frame::encode(payload, &mut buffer);
                if buffer.len() > 1 << 20 {
                    out.write_all(&buffer)?;
                    size += buffer.len() as u64;
                    buffer.clear();
                }
            }
            out.write_all(&buffer)?;
            size += buffer.len() as u64;
            Ok(())
        })?;
        Ok(size)
    }

    /// Creates an empty journal of `generation` (header only) and opens it for appending;
    /// returns the file and its length.
    pub(super) fn create_journal(&self, generation: u64) -> Result<(File, u64), StateError> {
        let path = self.journal(generation);
        let header = JournalHeader {
            kind: "journal".into(),
            format: FORMAT,
            generation,
        };
        let mut bytes = JOURNAL_MAGIC.to_vec();
        frame::encode(
            &to_json(&header).map_err(StateError::io("encode", &path))?,
            &mut bytes,
        );
        self.write_whole(&path, |out| out.write_all(&bytes))?;
        let file = OpenOptions::new()
            .append(true)
            .open(&path)
            .map_err(StateError::io("open", &path))?;
        Ok((file, bytes.len() as u64))
    }

    /// Writes `path` whole through a temporary file, fsync and rename, then fsyncs the
    /// directory. Files are created with mode 0600: they hold the token secret and
    /// everything clients sent.
    fn write_whole(
        &self,
        path: &Path,
        fill: impl FnOnce(&mut BufWriter<&File>) -> std::io::Result<()>,
    ) -> Result<(), StateError> {
        let mut temporary = path.as_os_str().to_owned();
        temporary.push(".tmp");
        let temporary = PathBuf::from(temporary);
        let mut options = OpenOptions::new();
        options.create(true).truncate(true).write(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options
            .open(&temporary)
            .map_err(StateError::io("create", &temporary))?;
        let mut out = BufWriter::new(&file);
        fill(&mut out).map_err(StateError::io("write", &temporary))?;
        out.flush().map_err(StateError::io("write", &temporary))?;
        drop(out);
        file.sync_all()
            .map_err(StateError::io("fsync", &temporary))?;
        std::fs::rename(&temporary, path).map_err(StateError::io("rename into place", path))?;
        self.sync_dir()
    }

    /// Makes renames and removals in the directory durable.
    pub(super) fn sync_dir(&self) -> Result<(), StateError> {
        File::open(&self.dir)
            .and_then(|dir| dir.sync_all())
            .map_err(StateError::io("fsync", &self.dir))
    }
}

fn journal_generation(name: &str) -> Option<u64> {
    name.strip_prefix("journal-")?.parse().ok()
}

fn to_json(value: &impl Serialize) -> std::io::Result<Vec<u8>> {
    serde_json::to_vec(value).map_err(std::io::Error::other)
}
