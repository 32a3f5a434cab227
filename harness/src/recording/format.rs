//! The recording file format, version 1.
//!
//! Bodies are kept as parsed JSON so a reader can match on meaning rather than bytes;
//! a body that is not JSON is kept as text, so nothing a target sent is lost.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The `format` value every recording carries.
pub const FORMAT: &str = "cjh-recording";

/// The one version this build reads and writes.
pub const VERSION: u32 = 1;

/// A recording: where it came from and the exchanges, in the order they were sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recording {
    /// Always [`FORMAT`].
    pub format: String,
    /// Always [`VERSION`] when read by this build.
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

/// One request and its answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedExchange {
    /// The operation named by `X-Amz-Target` (empty when the request had none).
    pub operation: String,
    /// What was sent.
    pub request: RecordedRequest,
    /// What came back.
    pub response: RecordedResponse,
}

/// A request as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedRequest {
    /// Kept headers, names in lower case (`content-type`, `x-amz-target`).
    pub headers: BTreeMap<String, String>,
    /// The body.
    #[serde(flatten)]
    pub body: RecordedBody,
}

/// An answer as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedResponse {
    /// HTTP status.
    pub status: u16,
    /// Kept headers, names in lower case (`content-type`, `x-amzn-requestid`).
    pub headers: BTreeMap<String, String>,
    /// The body.
    #[serde(flatten)]
    pub body: RecordedBody,
}

/// A body: JSON when it parsed as JSON, else the raw text, else nothing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RecordedBody {
    /// The body parsed as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
    /// The body as text, when it was not JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_text: Option<String>,
}

impl RecordedBody {
    /// Keeps bytes as JSON when they parse, else as (lossy) text; nothing for none.
    pub fn from_bytes(bytes: &[u8]) -> RecordedBody {
        if bytes.is_empty() {
            return RecordedBody::default();
        }
        match serde_json::from_slice(bytes) {
            Ok(value) => RecordedBody {
                body: Some(value),
                body_text: None,
            },
            Err(_) => RecordedBody {
                body: None,
                body_text: Some(String::from_utf8_lossy(bytes).into_owned()),
            },
        }
    }

    /// A key equal for bodies a strict JSON comparison calls equal (object members in
    /// any order, array order kept), for grouping identical requests.
    pub fn identity(&self) -> String {
        match (&self.body, &self.body_text) {
            (Some(value), _) => format!("json:{}", canonical_json(value)),
            (None, Some(text)) => format!("text:{text}"),
            (None, None) => "empty".to_owned(),
        }
    }

    /// The bytes to send or answer with.
    pub fn to_bytes(&self) -> Vec<u8> {
        match (&self.body, &self.body_text) {
            (Some(value), _) => value.to_string().into_bytes(),
            (None, Some(text)) => text.clone().into_bytes(),
            (None, None) => Vec::new(),
        }
    }
}

/// JSON text with object members sorted by name, at every depth.
pub fn canonical_json(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let mut members: Vec<(&String, &Value)> = map.iter().collect();
            members.sort_by(|a, b| a.0.cmp(b.0));
            let inner: Vec<String> = members
                .into_iter()
                .map(|(name, value)| {
                    format!("{}:{}", Value::from(name.as_str()), canonical_json(value))
                })
                .collect();
            format!("{{{}}}", inner.join(","))
        }
        Value::Array(items) => {
            let inner: Vec<String> = items.iter().map(canonical_json).collect();
            format!("[{}]", inner.join(","))
        }
        other => other.to_string(),
    }
}

/// A recording could not be read.
#[derive(Debug, thiserror::Error)]
pub enum RecordingError {
    /// The file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not JSON, or not a recording.
    #[error("{path}: not a cjh recording: {problem}")]
    Malformed {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        problem: String,
    },
    /// The recording has a version this build does not read.
    #[error(
        "{path}: recording version {found} is not supported (this cjh reads version {VERSION}); re-record it with this cjh or use the cjh that wrote it"
    )]
    UnsupportedVersion {
        /// The file.
        path: PathBuf,
        /// The version it says it has.
        found: String,
    },
}

impl Recording {
    /// Parses a recording; `path` names it in errors. The version is checked before
    /// anything else, so a newer file is refused for its version and not for a field
    /// this build does not know.
    pub fn parse(text: &str, path: &Path) -> Result<Recording, RecordingError> {
        let malformed = |problem: String| RecordingError::Malformed {
            path: path.to_owned(),
            problem,
        };
        let value: Value = serde_json::from_str(text).map_err(|e| malformed(e.to_string()))?;
        if value.get("format").and_then(Value::as_str) != Some(FORMAT) {
            return Err(malformed(format!("its \"format\" is not \"{FORMAT}\"")));
        }
        match value.get("version") {
            Some(Value::Number(n)) if n.as_u64() == Some(u64::from(VERSION)) => {}
            Some(other) => {
                return Err(RecordingError::UnsupportedVersion {
                    path: path.to_owned(),
                    found: other.to_string(),
                });
            }
            None => return Err(malformed("it has no \"version\"".to_owned())),
        }
        serde_json::from_value(value).map_err(|e| malformed(e.to_string()))
    }

    /// Reads a recording file.
    pub fn load(path: &Path) -> Result<Recording, RecordingError> {
        let text = std::fs::read_to_string(path).map_err(|source| RecordingError::Io {
            path: path.to_owned(),
            source,
        })?;
        Recording::parse(&text, path)
    }

    /// Reads a file, or every `*.json` under a folder (sorted by path).
    pub fn load_all(path: &Path) -> Result<Vec<Recording>, RecordingError> {
        if path.is_file() {
            return Ok(vec![Recording::load(path)?]);
        }
        let mut files: Vec<PathBuf> = walkdir::WalkDir::new(path)
            .into_iter()
            .filter_map(Result::ok)
            .map(walkdir::DirEntry::into_path)
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        if files.is_empty() && !path.exists() {
            return Err(RecordingError::Io {
                path: path.to_owned(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
            });
        }
        files.sort();
        files.iter().map(|p| Recording::load(p)).collect()
    }

    /// The file text: pretty JSON with a final newline, so diffs stay readable.
    pub fn to_text(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Writes the recording, creating its folder.
    pub fn write(&self, path: &Path) -> Result<(), RecordingError> {
        let io = |source| RecordingError::Io {
            path: path.to_owned(),
            source,
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        std::fs::write(path, self.to_text()).map_err(io)
    }
}

/// Where the recording of scenario `<area>/<name>` lives under `root`.
pub fn recording_path(root: &Path, scenario_id: &str) -> PathBuf {
    root.join(format!("{scenario_id}.json"))
}
