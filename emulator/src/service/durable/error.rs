//! Why a state directory cannot be opened, each naming the file (and the row when one is
//! at fault), so a refusal to start says exactly what to look at.

use std::path::PathBuf;

/// A state directory that cannot be opened or restored.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// A file or directory operation failed.
    #[error("state directory: cannot {action} {path}: {source}")]
    Io {
        /// What was being done.
        action: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// Another process holds the directory.
    #[error(
        "state directory {dir} is in use by another cjh process (it holds {dir}/lock); stop it or use another --state-dir"
    )]
    Locked {
        /// The directory.
        dir: PathBuf,
    },
    /// A file is damaged in a way an interrupted write cannot explain.
    #[error(
        "{path}: {problem}; refusing to start rather than silently lose what it holds. Restore the file from a backup, or move the state directory away to start empty"
    )]
    Damaged {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        problem: String,
    },
    /// SQLite refused an operation on the database, for a reason other than damage.
    #[error("state directory: cannot {action} {path}: {problem}")]
    Database {
        /// What was being done.
        action: &'static str,
        /// The database file.
        path: PathBuf,
        /// SQLite's error.
        problem: String,
    },
    /// A job row reads but cannot be rebuilt.
    #[error(
        "{path}: the job in row {id} cannot be rebuilt: {problem}; refusing to start rather than silently lose it. Restore the file from a backup, or move the state directory away to start empty"
    )]
    Row {
        /// The database file.
        path: PathBuf,
        /// The row's `id`.
        id: i64,
        /// What is wrong with it.
        problem: String,
    },
    /// This build has no durable state (cjh-emulator without its `durable` feature).
    #[error(
        "state directory {dir}: this build of cjh-emulator has no durable state; build it with the `durable` feature (the cjh binary has it)"
    )]
    NotBuilt {
        /// The directory asked for.
        dir: PathBuf,
    },
    /// The lifecycle settings differ from those the jobs were recorded under.
    #[error(
        "state directory {dir} was written with {name} = {then}, but it is now {now}: the recorded jobs' lifecycles follow from it, so it must stay the same; start with {name} = {then}, or use another --state-dir"
    )]
    SettingChanged {
        /// The directory.
        dir: PathBuf,
        /// The setting.
        name: &'static str,
        /// The value the directory was written with.
        then: String,
        /// The value given now.
        now: String,
    },
}

#[cfg(feature = "durable")]
impl StateError {
    /// An I/O failure of `action` on `path`.
    pub(super) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(std::io::Error) -> StateError {
        let path = path.into();
        move |source| StateError::Io {
            action,
            path,
            source,
        }
    }

    /// Damage in `path`.
    pub(super) fn damaged(path: impl Into<PathBuf>, problem: impl Into<String>) -> StateError {
        StateError::Damaged {
            path: path.into(),
            problem: problem.into(),
        }
    }
}
