//! The one writer: a thread that owns the database connection and commits the queued
//! changes, as many as are waiting, in one transaction each time.
//!
//! SQLite has no group commit of its own: every transaction is one fsync of the WAL.
//! Requests queue their changes (in the store's order, see `commit`), and the writer
//! takes everything queued since its last commit into the next one, so the requests in
//! flight share a single fsync, and the cost per change falls as the load rises.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;

use rusqlite::{Connection, params};

use super::change::{Change, NewJob};
use super::commit::Commits;
use super::database::put_setting;

/// The most changes one transaction takes, so one commit never holds the others back
/// for long.
const MAX_BATCH: usize = 4096;

/// A change with its position in the store's order.
pub(super) type Queued = (u64, Change);

/// Starts the writer on `connection`; it runs until every sender is dropped, or a
/// commit fails (which is final: see `commit`).
pub(super) fn spawn(
    connection: Connection,
    path: PathBuf,
    commits: Arc<Commits>,
) -> std::io::Result<(Sender<Queued>, JoinHandle<()>)> {
    let (sender, receiver) = channel();
    let handle = std::thread::Builder::new()
        .name("cjh-state-writer".into())
        .spawn(move || run(connection, &path, &commits, &receiver))?;
    Ok((sender, handle))
}

fn run(
    mut connection: Connection,
    path: &std::path::Path,
    commits: &Commits,
    queue: &Receiver<Queued>,
) {
    let mut batch = Vec::new();
    while let Ok(first) = queue.recv() {
        batch.clear();
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(next) => batch.push(next),
                Err(_) => break,
            }
        }
        let last = batch.last().map_or(0, |(position, _)| *position);
        match commit(&mut connection, &batch) {
            Ok(()) => commits.committed(last),
            Err(error) => {
                commits.fail(format!("cannot commit to {}: {error}", path.display()));
                return;
            }
        }
    }
}

/// Writes `batch` in one transaction.
fn commit(connection: &mut Connection, batch: &[Queued]) -> rusqlite::Result<()> {
    let transaction = connection.transaction()?;
    for (_, change) in batch {
        apply(&transaction, change)?;
    }
    transaction.commit()
}

/// The statements of one change.
pub(super) fn apply(connection: &Connection, change: &Change) -> rusqlite::Result<()> {
    match change {
        Change::Create(job) => insert(connection, job),
        Change::Stop {
            account,
            region,
            name,
            at,
            settled,
        } => connection
            .prepare_cached(
                "UPDATE jobs SET stop_time = ?4, stop_settled = ?5
                 WHERE account = ?1 AND region = ?2 AND name_key = ?3",
            )?
            .execute(params![
                account,
                region,
                name.to_ascii_lowercase(),
                at,
                settled
            ])
            .map(drop),
        Change::Delete {
            account,
            region,
            name,
        } => connection
            .prepare_cached(
                "DELETE FROM jobs WHERE account = ?1 AND region = ?2 AND name_key = ?3",
            )?
            .execute(params![account, region, name.to_ascii_lowercase()])
            .map(drop),
        Change::Tags {
            account,
            region,
            name,
            tags,
        } => connection
            .prepare_cached(
                "UPDATE jobs SET tags = ?4
                 WHERE account = ?1 AND region = ?2 AND name_key = ?3",
            )?
            .execute(params![
                account,
                region,
                name.to_ascii_lowercase(),
                tags.to_string()
            ])
            .map(drop),
        Change::Clock { to } => put_setting(connection, "clock", &to.to_string()),
        Change::Reset { clock } => {
            connection.execute("DELETE FROM jobs", [])?;
            match clock {
                Some(to) => put_setting(connection, "clock", &to.to_string()),
                None => Ok(()),
            }
        }
    }
}

fn insert(connection: &Connection, job: &NewJob) -> rusqlite::Result<()> {
    let name = job
        .request
        .get("CompilationJobName")
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default();
    let (seeded_status, seeded_since) = match job.seeded {
        Some((status, since)) => (Some(status.as_str()), Some(since)),
        None => (None, None),
    };
    connection
        .prepare_cached(
            "INSERT INTO jobs (account, region, name, name_key, request, creation_time,
                               arn_lower, seeded_status, seeded_since)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![
            job.account,
            job.region,
            name,
            name.to_ascii_lowercase(),
            job.request.to_string(),
            job.at,
            job.arn_lower,
            seeded_status,
            seeded_since,
        ])
        .map(drop)
}
