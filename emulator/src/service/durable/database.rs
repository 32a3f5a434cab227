//! The SQLite database in the state directory: its schema, how it is opened, and
//! reading it back at start.
//!
//! ```text
//! DIR/state.sqlite3       the database (mode 0600: it holds the token key and
//!                         everything clients sent), with its -wal and -shm files
//! DIR/lock                held (flock) by the one process using the directory
//! ```
//!
//! `jobs` holds one row per live job, in creation order (`id`), with the facts its state
//! is rebuilt from: the request, CreationTime, the ARN case, a stop's time, and its tag
//! list once a tag operation has changed it (until then the request's `Tags` are its
//! tags). Status is
//! not a column: it follows from those facts and the lifecycle settings at whatever time
//! it is read, so a column would be stale the moment a job moved on. `settings` holds
//! the page-token key (when `token_key` is not set), the manual clock's time and the
//! lifecycle settings the jobs were recorded under. `PRAGMA user_version` is the schema
//! version, checked at start: version 1 (before `tags`) is migrated to 2 by adding the
//! column, empty, which leaves every job with its request's tags, as version 1 kept them.
//!
//! The connection runs in WAL mode with `synchronous=FULL`: a commit is on disk (the WAL
//! fsync'd) before it returns, and a reader such as the `sqlite3` command line can read
//! while the server writes.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, ErrorCode, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::api::JobStatus;

use super::super::choice::ClockMode;
use super::super::settings::Settings;

use super::error::StateError;
use super::rebuild::JobRow;

/// The database's file name in the state directory.
pub(super) const FILE: &str = "state.sqlite3";

/// The schema this code reads and writes (`PRAGMA user_version`).
const SCHEMA_VERSION: i64 = 2;

/// Brings a version-1 database to version 2.
const MIGRATE_1_TO_2: &str = "ALTER TABLE jobs ADD COLUMN tags TEXT;";

const SCHEMA: &str = "
CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
CREATE TABLE jobs (
    id             INTEGER PRIMARY KEY,  -- creation order
    account        TEXT NOT NULL,
    region         TEXT NOT NULL,
    name           TEXT NOT NULL,        -- as created
    name_key       TEXT NOT NULL,        -- lower case: names are unique in any case
    request        TEXT NOT NULL,        -- the Create request (JSON), members the model knows
    creation_time  INTEGER NOT NULL,     -- milliseconds since the epoch
    arn_lower      INTEGER NOT NULL,     -- whether the ARN shows the name in lower case
    seeded_status  TEXT,                 -- a seeded job's status, and since when
    seeded_since   INTEGER,
    stop_time      INTEGER,              -- when it was stopped, and how far its partition
    stop_settled   INTEGER,              -- had applied due lifecycle steps then
    tags           TEXT,                 -- the tag list (JSON) once a tag operation changed it
    UNIQUE (account, region, name_key)
) STRICT;
";

/// The journal mode and `synchronous` level a connection runs with, read back from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(in crate::service) struct Modes {
    /// `wal`.
    pub(in crate::service) journal_mode: String,
    /// 2 is FULL.
    pub(in crate::service) synchronous: i64,
}

impl std::fmt::Display for Modes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let synchronous = match self.synchronous {
            0 => "OFF",
            1 => "NORMAL",
            2 => "FULL",
            3 => "EXTRA",
            _ => "unknown",
        };
        write!(
            f,
            "journal_mode={}, synchronous={synchronous}",
            self.journal_mode
        )
    }
}

/// An open database with what was read from it.
#[derive(Debug)]
pub(super) struct Opened {
    pub(super) connection: Connection,
    pub(super) modes: Modes,
    pub(super) token_key: Option<String>,
    pub(super) clock: Option<i64>,
    pub(super) lifecycle: Option<Lifecycle>,
}

/// Opens (or creates) the database at `path` in WAL mode with `synchronous=FULL`, checks
/// the schema version, and reads the settings.
pub(super) fn open(path: &Path) -> Result<Opened, StateError> {
    create_private(path)?;
    let connection = Connection::open(path).map_err(refused(path, "open"))?;
    let journal_mode: String = connection
        .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
        .map_err(refused(path, "set the journal mode of"))?;
    connection
        .pragma_update(None, "synchronous", "FULL")
        .map_err(refused(path, "set synchronous=FULL on"))?;
    let synchronous: i64 = connection
        .pragma_query_value(None, "synchronous", |row| row.get(0))
        .map_err(refused(path, "read synchronous of"))?;
    let modes = Modes {
        journal_mode: journal_mode.to_ascii_lowercase(),
        synchronous,
    };
    if modes.journal_mode != "wal" || modes.synchronous != 2 {
        return Err(StateError::damaged(
            path,
            format!(
                "it runs with journal_mode={} and synchronous={} where WAL and FULL (2) are needed",
                modes.journal_mode, modes.synchronous
            ),
        ));
    }
    check_schema(&connection, path)?;
    let setting = |name: &str| -> Result<Option<String>, StateError> {
        connection
            .query_row(
                "SELECT value FROM settings WHERE name = ?1",
                [name],
                |row| row.get(0),
            )
            .optional()
            .map_err(refused(path, "read the settings of"))
    };
    let token_key = setting("token_key")?;
    let clock = match setting("clock")? {
        Some(text) => Some(text.parse().map_err(|_| {
            StateError::damaged(path, format!("the clock setting '{text}' is not a time"))
        })?),
        None => None,
    };
    let lifecycle = match setting("lifecycle")? {
        Some(text) => Some(serde_json::from_str(&text).map_err(|e| {
            StateError::damaged(path, format!("the lifecycle setting does not read: {e}"))
        })?),
        None => None,
    };
    Ok(Opened {
        connection,
        modes,
        token_key,
        clock,
        lifecycle,
    })
}

/// Writes one setting.
pub(super) fn put_setting(
    connection: &Connection,
    name: &str,
    value: &str,
) -> rusqlite::Result<()> {
    connection
        .prepare_cached(
            "INSERT INTO settings (name, value) VALUES (?1, ?2)
             ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        )?
        .execute(params![name, value])
        .map(drop)
}

/// Reads every job row, in creation order, handing each to `rebuild` as it is read, and
/// returns how many there were. Reading every row reads every page of the table, and
/// counting the rows through the name index reads every page of that, so damage
/// anywhere in either is found here, at start, not in the middle of serving.
pub(super) fn for_each_job(
    connection: &Connection,
    path: &Path,
    mut rebuild: impl FnMut(JobRow) -> Result<(), String>,
) -> Result<usize, StateError> {
    let mut statement = connection
        .prepare(
            "SELECT id, account, region, request, creation_time, arn_lower, seeded_status,
                    seeded_since, stop_time, stop_settled, tags
             FROM jobs ORDER BY id",
        )
        .map_err(refused(path, "read the jobs of"))?;
    let mut rows = statement
        .query([])
        .map_err(refused(path, "read the jobs of"))?;
    let mut count = 0;
    while let Some(row) = rows.next().map_err(refused(path, "read the jobs of"))? {
        let id: i64 = row.get(0).map_err(refused(path, "read the jobs of"))?;
        let bad = |problem: String| StateError::Row {
            path: path.to_owned(),
            id,
            problem,
        };
        let job = read_row(row).map_err(|e| bad(format!("it does not read: {e}")))?;
        rebuild(job.map_err(&bad)?).map_err(bad)?;
        count += 1;
    }
    let indexed: i64 = connection
        .query_row(
            "SELECT count(*) FROM jobs INDEXED BY sqlite_autoindex_jobs_1",
            [],
            |row| row.get(0),
        )
        .map_err(refused(path, "read the name index of"))?;
    if usize::try_from(indexed).ok() != Some(count) {
        return Err(StateError::damaged(
            path,
            format!("its name index holds {indexed} jobs and its table {count}"),
        ));
    }
    Ok(count)
}

/// One row's columns, checked to belong together; the outer error is SQLite's, the
/// inner one a row whose columns do not make a job.
fn read_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Result<JobRow, String>> {
    let seeded = match (
        row.get::<_, Option<String>>(6)?,
        row.get::<_, Option<i64>>(7)?,
    ) {
        (Some(status), Some(since)) => match JobStatus::ALL
            .into_iter()
            .find(|known| known.as_str() == status)
        {
            Some(status) => Some((status, since)),
            None => return Ok(Err(format!("its seeded status '{status}' is not one"))),
        },
        (None, None) => None,
        _ => return Ok(Err("it has half a seeded status".into())),
    };
    let stop = match (row.get::<_, Option<i64>>(8)?, row.get::<_, Option<i64>>(9)?) {
        (Some(at), Some(settled)) => Some((at, settled)),
        (None, None) => None,
        _ => return Ok(Err("it has half a stop".into())),
    };
    Ok(Ok(JobRow {
        account: row.get(1)?,
        region: row.get(2)?,
        request: row.get(3)?,
        creation_time: row.get(4)?,
        arn_lower: row.get(5)?,
        seeded,
        stop,
        tags: row.get(10)?,
    }))
}

/// Creates the file with mode 0600 if it is missing, so SQLite (which gives its -wal and
/// -shm files the database's mode) never makes any of them readable by others.
fn create_private(path: &Path) -> Result<(), StateError> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(path)
        .map(drop)
        .map_err(StateError::io("create", path))
}

/// Creates the schema in a new database, or checks an existing one's version.
fn check_schema(connection: &Connection, path: &Path) -> Result<(), StateError> {
    let version: i64 = connection
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(refused(path, "read the schema version of"))?;
    let tables: i64 = connection
        .query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0))
        .map_err(refused(path, "read the schema of"))?;
    match (version, tables) {
        (SCHEMA_VERSION, _) => Ok(()),
        (1, _) => connection
            .execute_batch(&format!(
                "BEGIN; {MIGRATE_1_TO_2} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
            ))
            .map_err(refused(path, "migrate the schema (version 1 to 2) of")),
        (0, 0) => connection
            .execute_batch(&format!(
                "BEGIN; {SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
            ))
            .map_err(refused(path, "create the schema in")),
        (version, _) => Err(StateError::damaged(
            path,
            format!("its schema version is {version}, and this cjh reads version {SCHEMA_VERSION}"),
        )),
    }
}

/// Maps an SQLite error at start: a damaged file is [`StateError::Damaged`], anything
/// else an error of `action` on the file.
pub(super) fn refused(
    path: &Path,
    action: &'static str,
) -> impl FnOnce(rusqlite::Error) -> StateError {
    let path: PathBuf = path.to_owned();
    move |error| match error.sqlite_error_code() {
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => {
            StateError::damaged(path, format!("SQLite finds it damaged ({error})"))
        }
        _ => StateError::Database {
            action,
            path,
            problem: error.to_string(),
        },
    }
}

/// The settings a recorded job's lifecycle is derived from. Rebuilding under other values
/// would rewrite history clients have already seen (a COMPLETED job back in INPROGRESS),
/// so a state directory is only opened with the values it was written with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Lifecycle {
    pub(super) clock: ClockMode,
    pub(super) starting_secs: f64,
    pub(super) compiling_secs: f64,
    pub(super) stopping_secs: f64,
    pub(super) fail_unless_tar_gz: bool,
    pub(super) enforce_max_runtime: bool,
}

impl Lifecycle {
    /// The lifecycle settings in force.
    pub(super) fn of(settings: &Settings) -> Lifecycle {
        Lifecycle {
            clock: settings.clock,
            starting_secs: settings.starting_secs,
            compiling_secs: settings.compiling_secs,
            stopping_secs: settings.stopping_secs,
            fail_unless_tar_gz: settings.fail_unless_tar_gz,
            enforce_max_runtime: settings.enforce_max_runtime,
        }
    }

    /// The first setting that differs from `other`: (name, value here, value there).
    pub(super) fn first_difference(
        &self,
        other: &Lifecycle,
    ) -> Option<(&'static str, String, String)> {
        let pairs = [
            ("clock", json!(self.clock), json!(other.clock)),
            (
                "starting_secs",
                json!(self.starting_secs),
                json!(other.starting_secs),
            ),
            (
                "compiling_secs",
                json!(self.compiling_secs),
                json!(other.compiling_secs),
            ),
            (
                "stopping_secs",
                json!(self.stopping_secs),
                json!(other.stopping_secs),
            ),
            (
                "fail_unless_tar_gz",
                json!(self.fail_unless_tar_gz),
                json!(other.fail_unless_tar_gz),
            ),
            (
                "enforce_max_runtime",
                json!(self.enforce_max_runtime),
                json!(other.enforce_max_runtime),
            ),
        ];
        pairs
            .into_iter()
            .find(|(_, a, b)| a != b)
            .map(|(name, a, b)| (name, a.to_string(), b.to_string()))
    }
}
