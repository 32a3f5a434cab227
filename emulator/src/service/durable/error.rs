//! Why a state directory cannot be opened, each naming the file (and the byte offset
//! when a record is at fault), so a refusal to start says exactly what to look at.

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
        "{path}: {problem}; refusing to start rather than silently lose the changes recorded after it. Restore the file from a backup, or move the state directory away to start empty"
    )]
    Damaged {
        /// The file.
        path: PathBuf,
        /// What is wrong, with the byte offset.
        problem: String,
    },
    /// A record passed its checksum but cannot be replayed.
    #[error("{path}: record at byte {offset} cannot be replayed: {problem}")]
    Record {
        /// The file.
        path: PathBuf,
        /// Where the record starts.
        offset: u64,
        /// What is wrong with it.
        problem: String,
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
