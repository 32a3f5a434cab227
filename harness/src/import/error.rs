//! Why an import failed. Every message names the input file (or folder), and where one
//! entry of it is at fault, that entry (`interactions[3]`, `log.entries[0]`, `events[7]`,
//! a placebo file's name), so the message alone says what to fix. Nothing is written
//! when any of these is returned.

use std::path::PathBuf;

use crate::recording::RecordingError;

/// An import could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The input could not be read (the error names the file or folder).
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// The input as a whole is not the format it was said to be.
    #[error("{}: not a {format} file: {problem}", path.display())]
    Malformed {
        /// The file or folder.
        path: PathBuf,
        /// The format it was read as (`VCR cassette`, `HAR`, ...).
        format: &'static str,
        /// What is wrong.
        problem: String,
    },
    /// One entry of the input is not what the format says it must be.
    #[error("{}: {entry}: {problem}", path.display())]
    Entry {
        /// The file or folder.
        path: PathBuf,
        /// The entry: an index path such as `interactions[3]`, or a placebo file name.
        entry: String,
        /// What is wrong.
        problem: String,
    },
    /// The input holds no exchange at all.
    #[error("{}: no exchanges to import ({what})", path.display())]
    Empty {
        /// The file or folder.
        path: PathBuf,
        /// What was looked for.
        what: String,
    },
    /// Neither the input nor the command line says which region the calls went to.
    #[error(
        "{}: the input does not say which region it was recorded in; pass --region",
        path.display()
    )]
    NoRegion {
        /// The file or folder.
        path: PathBuf,
    },
    /// An explicit placebo order does not name every file exactly once.
    #[error("{}: --order: {problem}", path.display())]
    Order {
        /// The placebo folder.
        path: PathBuf,
        /// What is wrong with the order given.
        problem: String,
    },
    /// The recording could not be written.
    #[error(transparent)]
    Write(#[from] RecordingError),
}

impl ImportError {
    /// A problem with entry `entry` of `path`.
    pub(crate) fn entry(
        path: impl Into<PathBuf>,
        entry: impl Into<String>,
        problem: impl Into<String>,
    ) -> ImportError {
        ImportError::Entry {
            path: path.into(),
            entry: entry.into(),
            problem: problem.into(),
        }
    }
}
