//! Reading recordings of either version. The version is checked before anything else,
//! so a newer file is refused for its version and not for a field this build does not
//! know.
//!
//! Version 2 is JSON Lines written one flushed line at a time, so a file cut after any
//! complete line is a whole recording of what happened until then. A last line cut
//! short (the recorder died mid-write) is refused, naming the file and the line, rather
//! than dropped silently: a replay of a recording that lost its last answer would fail
//! far from the cause, and deleting the line by hand is a deliberate, visible choice.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use super::format::{
    FORMAT, Provenance, READ_VERSIONS, RecordedExchange, Recording, RecordingError,
};
use super::v1;

/// The first line of a version-2 file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    format: String,
    version: u32,
    scenario: String,
    provenance: Provenance,
}

/// The version a document says it has, once its format is checked.
fn version_of(value: &Value, path: &Path) -> Result<u32, RecordingError> {
    let malformed = |problem: String| RecordingError::Malformed {
        path: path.to_owned(),
        problem,
    };
    if value.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(malformed(format!("its \"format\" is not \"{FORMAT}\"")));
    }
    match value.get("version") {
        Some(Value::Number(n)) => match n.as_u64().and_then(|v| u32::try_from(v).ok()) {
            Some(version) if READ_VERSIONS.contains(&version) => Ok(version),
            _ => Err(RecordingError::UnsupportedVersion {
                path: path.to_owned(),
                found: n.to_string(),
            }),
        },
        Some(other) => Err(RecordingError::UnsupportedVersion {
            path: path.to_owned(),
            found: other.to_string(),
        }),
        None => Err(malformed("it has no \"version\"".to_owned())),
    }
}

impl Recording {
    /// Parses a recording of either version; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Recording, RecordingError> {
        let malformed = |problem: String| RecordingError::Malformed {
            path: path.to_owned(),
            problem,
        };
        // One document: version 1, or a version-2 file that is only its header.
        if let Ok(value) = serde_json::from_str::<Value>(text) {
            return match version_of(&value, path)? {
                1 => v1::read(value, path),
                _ => lines(text, path),
            };
        }
        let first = text.split('\n').next().unwrap_or_default();
        let value: Value = serde_json::from_str(first).map_err(|e| malformed(e.to_string()))?;
        match version_of(&value, path)? {
            1 => Err(malformed(
                "a version-1 recording is one JSON document, and this is not one".to_owned(),
            )),
            _ => lines(text, path),
        }
    }

    /// Reads a recording file.
    pub fn load(path: &Path) -> Result<Recording, RecordingError> {
        let text = fs_err::read_to_string(path)?;
        Recording::parse(&text, path)
    }

    /// Reads a file, or every `*.json` (version 1) and `*.jsonl` (version 2) under a
    /// folder, sorted by path.
    pub fn load_all(path: &Path) -> Result<Vec<Recording>, RecordingError> {
        if path.is_file() {
            return Ok(vec![Recording::load(path)?]);
        }
        let mut files: Vec<PathBuf> = walkdir::WalkDir::new(path)
            .into_iter()
            .filter_map(Result::ok)
            .map(walkdir::DirEntry::into_path)
            .filter(|p| p.extension().is_some_and(|e| e == "json" || e == "jsonl"))
            .collect();
        if files.is_empty() {
            // Nothing found may be an empty folder, or no folder at all: only the first
            // is an empty answer.
            fs_err::metadata(path)?;
        }
        files.sort();
        files.iter().map(|p| Recording::load(p)).collect()
    }
}

/// A version-2 file: the header line, then one exchange per line.
fn lines(text: &str, path: &Path) -> Result<Recording, RecordingError> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or_default();
    let header: Header =
        serde_json::from_str(first.trim_end()).map_err(|e| RecordingError::Malformed {
            path: path.to_owned(),
            problem: format!("line 1 is not a recording header: {e}"),
        })?;
    let mut exchanges = Vec::new();
    for (index, line) in lines.enumerate() {
        let number = index + 2;
        let content = line.trim_end_matches(['\n', '\r']);
        if content.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<RecordedExchange>(content) {
            Ok(exchange) => exchanges.push(exchange),
            // Only the last line can lack its newline; if it is not even JSON, the
            // writer was cut off inside it.
            Err(_) if !line.ends_with('\n') && serde_json::from_str::<Value>(content).is_err() => {
                return Err(RecordingError::TornLine {
                    path: path.to_owned(),
                    line: number,
                });
            }
            Err(e) => {
                return Err(RecordingError::BadLine {
                    path: path.to_owned(),
                    line: number,
                    problem: e.to_string(),
                });
            }
        }
    }
    Ok(Recording {
        format: header.format,
        version: header.version,
        scenario: header.scenario,
        provenance: header.provenance,
        exchanges,
    })
}
