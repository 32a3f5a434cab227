//! Why an export failed, naming the file or recording involved so the message alone
//! says what to fix.

use std::path::PathBuf;

use crate::recording::RecordingError;

/// An export could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// A recording could not be read.
    #[error(transparent)]
    Recording(#[from] RecordingError),
    /// A folder given as the recordings holds none.
    #[error("{}: no recordings (*.json) found", path.display())]
    NoRecordings {
        /// The folder.
        path: PathBuf,
    },
    /// Two recordings are of the same scenario: their stubs would share names and
    /// WireMock scenario names, and answer each other's requests.
    #[error(
        "two recordings are of scenario {scenario}; export them into separate folders (WireMock serves one answer per request)"
    )]
    DuplicateScenario {
        /// The scenario, `<area>/<name>`.
        scenario: String,
    },
    /// An output file or folder could not be written (the error names it).
    #[error(transparent)]
    Io(#[from] std::io::Error),
}
