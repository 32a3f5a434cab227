//! Reading a state file back: its records located by offset, decoded one at a time, so a
//! restart or a compaction holds the file's bytes but never every record decoded at once.

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use super::error::StateError;
use super::frame::{self, JOURNAL_MAGIC, SNAPSHOT_MAGIC, Tail};
use super::record::{FORMAT, JournalHeader, Record, SnapshotHeader};

/// A snapshot or journal file read into memory, with its records located.
#[derive(Debug)]
pub(super) struct StateFile {
    pub(super) path: PathBuf,
    bytes: Vec<u8>,
    /// Offset and payload range of each record after the header.
    records: Vec<(u64, Range<usize>)>,
    /// How the file ends.
    pub(super) tail: Tail,
}

/// A snapshot read back.
#[derive(Debug)]
pub(super) struct Snapshot {
    pub(super) header: SnapshotHeader,
    pub(super) file: StateFile,
}

impl StateFile {
    /// Reads `path`, if it exists, as a file of kind `magic`; returns its header too.
    fn read<H: DeserializeOwned>(
        path: &Path,
        magic: &[u8; 8],
    ) -> Result<Option<(H, StateFile)>, StateError> {
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(StateError::Io {
                    action: "read",
                    path: path.to_owned(),
                    source,
                });
            }
        };
        let (frames, tail) =
            frame::decode(&bytes, magic).map_err(|e| StateError::damaged(path, e.to_string()))?;
        let mut located = frames.iter().map(|f| {
            let start = f.offset as usize + frame::HEADER_LEN;
            (f.offset, start..start + f.payload.len())
        });
        let Some((offset, range)) = located.next() else {
            return Err(StateError::damaged(
                path,
                "there is no header record (the file is written whole before use, so this is damage)",
            ));
        };
        let header = parse(path, offset, &bytes[range])?;
        let records = located.collect();
        Ok(Some((
            header,
            StateFile {
                path: path.to_owned(),
                bytes,
                records,
                tail,
            },
        )))
    }

    /// The file's size in bytes.
    pub(super) fn len(&self) -> u64 {
        self.bytes.len() as u64
    }

    /// The size up to the end of the last good record.
    pub(super) fn good_len(&self) -> u64 {
        match self.tail {
            Tail::Clean => self.len(),
            Tail::Torn { offset, .. } => offset,
        }
    }

    /// How many records follow the header.
    pub(super) fn count(&self) -> usize {
        self.records.len()
    }

    /// Each record after the header: its offset, the record, and its payload bytes.
    pub(super) fn records(
        &self,
    ) -> impl Iterator<Item = Result<(u64, Record, &[u8]), StateError>> + '_ {
        self.records.iter().map(|(offset, range)| {
            let payload = &self.bytes[range.clone()];
            parse(&self.path, *offset, payload).map(|record| (*offset, record, payload))
        })
    }
}

/// Reads the snapshot, if there is one. A snapshot is renamed into place only once
/// complete, so any flaw in it, torn tail included, is damage.
pub(super) fn read_snapshot(path: &Path) -> Result<Option<Snapshot>, StateError> {
    let Some((header, file)) = StateFile::read::<SnapshotHeader>(path, SNAPSHOT_MAGIC)? else {
        return Ok(None);
    };
    check_format(path, &header.kind, "snapshot", header.format)?;
    if let Tail::Torn { offset, dropped } = file.tail {
        return Err(StateError::damaged(
            path,
            format!("it is cut short: {dropped} bytes at byte {offset} are not a whole record"),
        ));
    }
    if file.count() as u64 != header.records {
        return Err(StateError::damaged(
            path,
            format!(
                "its header announces {} records but {} follow",
                header.records,
                file.count()
            ),
        ));
    }
    Ok(Some(Snapshot { header, file }))
}

/// Reads journal `generation`, which must exist. A torn last record is reported in its
/// `tail`; damage in the middle is an error.
pub(super) fn read_journal(path: &Path, generation: u64) -> Result<StateFile, StateError> {
    let (header, file) =
        StateFile::read::<JournalHeader>(path, JOURNAL_MAGIC)?.ok_or_else(|| StateError::Io {
            action: "read",
            path: path.to_owned(),
            source: std::io::ErrorKind::NotFound.into(),
        })?;
    check_format(path, &header.kind, "journal", header.format)?;
    if header.generation != generation {
        return Err(StateError::damaged(
            path,
            format!(
                "its header says generation {}, its name {generation}",
                header.generation
            ),
        ));
    }
    Ok(file)
}

fn parse<T: DeserializeOwned>(path: &Path, offset: u64, payload: &[u8]) -> Result<T, StateError> {
    serde_json::from_slice(payload).map_err(|e| StateError::Record {
        path: path.to_owned(),
        offset,
        problem: format!("its checksum holds but its content does not read: {e}"),
    })
}

fn check_format(path: &Path, kind: &str, expected: &str, format: u32) -> Result<(), StateError> {
    if kind != expected {
        return Err(StateError::damaged(
            path,
            format!("its header says it is a {kind}, not a {expected}"),
        ));
    }
    if format != FORMAT {
        return Err(StateError::damaged(
            path,
            format!("format {format} is not format {FORMAT}, which this cjh reads"),
        ));
    }
    Ok(())
}
