//! The recording: its provenance and exchanges, the errors of reading one, and where
//! it lives. Two file versions exist: version 1, one pretty JSON document (`.json`,
//! read only, see `v1`), and version 2, JSON Lines (`.jsonl`, read by `read` and written
//! by `writer`). A reader tells them apart by content, not by extension.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::SentAt;
use crate::exchange::{Request, Response};

/// The `format` value every recording carries.
pub const FORMAT: &str = "cjh-recording";

/// The version this build writes (it reads [`READ_VERSIONS`]).
pub const VERSION: u32 = 2;

/// Every version this build reads.
pub const READ_VERSIONS: &[u32] = &[1, VERSION];

/// A recording: where it came from and the exchanges, in the order they were sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recording {
    /// Always [`FORMAT`].
    pub format: String,
    /// The version the file had (1 or 2); files are always written as [`VERSION`].
    pub version: u32,
    /// The scenario, `<area>/<name>`.
    pub scenario: String,
    /// Where and how it was made.
    pub provenance: Provenance,
    /// Every request sent and its answer, fixtures and clean-up included.
    pub exchanges: Vec<RecordedExchange>,
}

/// Where a recording came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// What answered.
    pub source: Source,
    /// The endpoint (`emulator` for the in-process one).
    pub endpoint: String,
    /// The region requests were made in.
    pub region: String,
    /// When the recording was made (RFC 3339, UTC).
    pub recorded_at: String,
    /// The cjh version that made it.
    pub cjh_version: String,
    /// The service model it was made under (botocore version and model date).
    pub model_version: String,
    /// The run's name prefix: a replay uses it so its requests match.
    pub prefix: String,
    /// The scrubbing rules applied, in words.
    pub scrubbing: Vec<String>,
    /// For a recording `cjh import` made from another tool's file: that tool's format,
    /// the file, and what was rebuilt, in words. Absent in recordings cjh made itself,
    /// so files written before it existed read unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imported_from: Option<String>,
}

/// What answered a recording's requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// Amazon SageMaker itself.
    Aws,
    /// cjh's own emulator.
    Emulator,
    /// Some other endpoint (another emulator, a proxy).
    Url,
}

impl Source {
    /// The word used in files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Aws => "aws",
            Source::Emulator => "emulator",
            Source::Url => "url",
        }
    }
}

/// One request and its answer, named by operation: one line of a version-2 file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedExchange {
    /// The operation named by `X-Amz-Target` (empty when the request had none).
    pub operation: String,
    /// What was sent (kept headers only).
    pub request: Request,
    /// What came back (kept headers only).
    pub response: Response,
    /// Whether `cjh import` rebuilt part of this exchange rather than reading it from
    /// the wire (placebo keeps only parsed answers, so their requests are rebuilt from
    /// the operation and the answers): such a request is a best guess, not evidence.
    /// Written only when true.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reconstructed: bool,
    /// When the recorder sent the request on, to the millisecond, where it had a wall
    /// clock to read (`cjh proxy`): the `Date` header gives only the second.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_at: Option<SentAt>,
}

/// A recording could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum RecordingError {
    /// The file could not be read or written (the error names the file and what was
    /// being done to it).
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// The file is not JSON, or not a recording.
    #[error("{path}: not a cjh recording: {problem}")]
    Malformed {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        problem: String,
    },
    /// A line of a version-2 file is not an exchange.
    #[error("{path}:{line}: not a recorded exchange: {problem}")]
    BadLine {
        /// The file.
        path: PathBuf,
        /// The line, 1-based.
        line: usize,
        /// What is wrong.
        problem: String,
    },
    /// The last line of a version-2 file was cut short: the writer stopped mid-line.
    #[error(
        "{path}:{line}: the last line is incomplete (the recorder stopped while writing it); delete that line to read the exchanges before it"
    )]
    TornLine {
        /// The file.
        path: PathBuf,
        /// The line, 1-based.
        line: usize,
    },
    /// The recording has a version this build does not read.
    #[error(
        "{path}: recording version {found} is not supported (this cjh reads versions 1 and {VERSION}); re-record it with this cjh or use the cjh that wrote it"
    )]
    UnsupportedVersion {
        /// The file.
        path: PathBuf,
        /// The version it says it has.
        found: String,
    },
}

/// `2026-11-28T21:04:05Z`: how a provenance writes when a recording was made (RFC 3339,
/// UTC, whole seconds).
pub fn timestamp(time: std::time::SystemTime) -> String {
    humantime::format_rfc3339_seconds(time).to_string()
}

/// Where the recording of scenario `<area>/<name>` lives under `root` (version 2).
pub fn recording_path(root: &Path, scenario_id: &str) -> PathBuf {
    root.join(format!("{scenario_id}.jsonl"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, SystemTime};

    #[test]
    fn times_are_written_in_rfc3339_utc() {
        let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_767_225_600);
        assert_eq!(timestamp(at), "2026-01-01T00:00:00Z");
        let leap = SystemTime::UNIX_EPOCH + Duration::from_secs(1_709_210_096);
        assert_eq!(timestamp(leap), "2024-02-29T12:34:56Z");
    }
}
