//! Compaction and reset: rewriting the snapshot without stopping the service.
//!
//! Compaction starts a new journal (after an fsync of the old one, so every change
//! appended so far is on disk) and folds the snapshot and the older journals into a new
//! snapshot on a background thread, while requests keep appending to the new journal.
//! The new snapshot names the journal it continues into and is renamed into place whole;
//! only then are the older journals removed. A crash at any point leaves a snapshot and
//! the consecutive journals after it, which is exactly what a restart replays.

use std::sync::{Arc, PoisonError};

use super::error::StateError;
use super::fold::Fold;
use super::read;
use super::record::{FORMAT, Lifecycle, SnapshotHeader};
use super::sync::GroupSync;
use super::{Live, Writer};

/// A snapshot header continuing into journal `next_journal`.
pub(super) fn snapshot_header(
    next_journal: u64,
    clock: Option<i64>,
    lifecycle: &Lifecycle,
    records: u64,
) -> SnapshotHeader {
    SnapshotHeader {
        kind: "snapshot".into(),
        format: FORMAT,
        next_journal,
        clock,
        lifecycle: lifecycle.clone(),
        records,
    }
}

/// Switches to a new journal and starts folding the older ones into a snapshot in the
/// background. Called with the writer held.
pub(super) fn start(
    live: &Arc<Live>,
    writer: &mut Writer,
    sync: &Arc<GroupSync>,
) -> Result<(), StateError> {
    let old = live.layout.journal(writer.generation);
    writer
        .journal
        .sync_data()
        .map_err(StateError::io("fsync", &old))?;
    sync.all_synced();
    let next = writer.generation + 1;
    let (file, journal_len) = live.layout.create_journal(next)?;
    writer.journal = Arc::new(file);
    writer.generation = next;
    writer.journal_len = journal_len;
    writer.compacting = true;
    let (task_live, task_sync) = (Arc::clone(live), Arc::clone(sync));
    let handle = std::thread::Builder::new()
        .name("cjh-compact".into())
        .spawn(move || {
            let result = {
                let _snapshots = task_live
                    .snapshots
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner);
                fold_into_snapshot(&task_live, next)
            };
            let mut writer = task_live.lock();
            writer.compacting = false;
            match result {
                Ok(snapshot_len) => writer.snapshot_len = snapshot_len,
                Err(error) => task_sync.fail(format!("cannot compact the journal: {error}")),
            }
        })
        .map_err(StateError::io("start a compaction for", &live.layout.dir))?;
    // The previous compaction, if any, has finished: `compacting` was off.
    let previous = live
        .compactor
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .replace(handle);
    if let Some(previous) = previous {
        let _ = previous.join();
    }
    Ok(())
}

/// Folds the snapshot and the journals before `upto` into a snapshot continuing into
/// journal `upto`, then removes those journals. Returns the new snapshot's size.
fn fold_into_snapshot(live: &Live, upto: u64) -> Result<u64, StateError> {
    let path = live.layout.snapshot();
    let snapshot = read::read_snapshot(&path)?
        .ok_or_else(|| StateError::damaged(&path, "the snapshot has gone"))?;
    let mut fold = Fold::new(snapshot.header.clock);
    for read in snapshot.file.records() {
        let (_, record, payload) = read?;
        fold.push(&record, payload.to_vec());
    }
    drop(snapshot.file);
    for generation in snapshot.header.next_journal..upto {
        let journal_path = live.layout.journal(generation);
        let journal = read::read_journal(&journal_path, generation)?;
        if journal.good_len() != journal.len() {
            return Err(StateError::damaged(
                &journal_path,
                "it ends in a torn record although it was written whole",
            ));
        }
        for read in journal.records() {
            let (_, record, payload) = read?;
            fold.push(&record, payload.to_vec());
        }
    }
    let (clock, records) = fold.finish();
    let header = snapshot_header(upto, clock, &live.lifecycle, records.len() as u64);
    let size = live.layout.write_snapshot(&header, &records)?;
    live.layout.remove_journals_before(upto)?;
    Ok(size)
}

/// Replaces the snapshot with an empty one (keeping the manual clock's time) and starts
/// a new journal. Waits for a running compaction. Called with the store's lock held.
pub(super) fn reset(live: &Live, sync: &GroupSync, clock: Option<i64>) -> Result<(), StateError> {
    let _snapshots = live
        .snapshots
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    let mut writer = live.lock();
    let next = writer.generation + 1;
    let header = snapshot_header(next, clock, &live.lifecycle, 0);
    let snapshot_len = live.layout.write_snapshot(&header, &[])?;
    // What was appended before the reset is superseded by the empty snapshot.
    sync.all_synced();
    let (file, journal_len) = live.layout.create_journal(next)?;
    writer.journal = Arc::new(file);
    writer.generation = next;
    writer.journal_len = journal_len;
    writer.snapshot_len = snapshot_len;
    drop(writer);
    live.layout.remove_journals_before(next)
}
