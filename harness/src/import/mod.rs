//! Recordings from other tools' files (`cjh import`), so traffic someone else captured
//! (a test suite's placebo data, a VCR cassette, a browser's or a proxy's HAR, the Rust
//! SDK's dvr traffic) can answer through cjh's mock servers and exporters, and be read
//! beside cjh's own recordings.
//!
//! - [`placebo`]: Cloud Custodian's placebo folders (one parsed answer per file, no
//!   requests: they are rebuilt, and each exchange says so).
//! - [`vcr`]: VCR.py / pytest-recording YAML cassettes.
//! - [`har`]: HAR 1.2 archives.
//! - [`dvr`]: smithy-rs `NetworkTraffic` JSON (`RecordingClient`, `cjh export dvr`).
//! - `wire`: the one shape the wire-level formats become, and what their requests say
//!   about host, region and time.
//! - `rebuild`: requests rebuilt from answers, for sources without requests.
//! - `assemble`: the provenance rules, scrubbing, and the write that leaves a whole
//!   file or none.
//! - [`ImportError`]: what can be wrong with an input, naming the file and entry.
//!
//! `docs/import.md` describes the command and each source.

mod assemble;
pub mod dvr;
mod error;
pub mod har;
pub mod placebo;
mod rebuild;
pub mod vcr;
mod wire;

use std::path::{Path, PathBuf};

pub use error::ImportError;

use crate::recording::{Recording, Source};

/// The formats `cjh import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A Cloud Custodian placebo folder.
    Placebo,
    /// A VCR.py cassette.
    Vcr,
    /// A HAR 1.2 file.
    Har,
    /// smithy-rs dvr `NetworkTraffic` JSON.
    Dvr,
}

impl Format {
    /// What its entries are called, for "no exchanges" errors.
    pub(crate) fn entries(self) -> &'static str {
        match self {
            Format::Placebo => "no <service>.<Operation>_<n>.json files",
            Format::Vcr => "no interactions",
            Format::Har => "no log.entries",
            Format::Dvr => "no connection with a request and a response",
        }
    }
}

/// What to import and how to describe it.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The input's format.
    pub format: Format,
    /// The file (a folder for placebo).
    pub input: PathBuf,
    /// The scenario the recording is of (default `imported/<input name>`).
    pub scenario: Option<String>,
    /// What answered, when the input cannot say (default: what the input says, else
    /// `url`).
    pub source: Option<Source>,
    /// The region, when the input does not say or says wrongly.
    pub region: Option<String>,
    /// Placebo only: the files in the order they were answered, overriding the
    /// default order (see [`placebo`]).
    pub order: Option<Vec<String>>,
}

impl ImportOptions {
    /// Options for `input` in `format`, everything else left to the input.
    pub fn new(format: Format, input: impl Into<PathBuf>) -> ImportOptions {
        ImportOptions {
            format,
            input: input.into(),
            scenario: None,
            source: None,
            region: None,
            order: None,
        }
    }
}

/// Reads the input into a scrubbed recording, in memory.
pub fn import(options: &ImportOptions) -> Result<Recording, ImportError> {
    let draft = match options.format {
        Format::Placebo => placebo::read(
            &options.input,
            options.order.as_deref(),
            options.region.as_deref(),
        )?,
        Format::Vcr => vcr::read(&options.input)?,
        Format::Har => har::read(&options.input)?,
        Format::Dvr => dvr::read(&options.input)?,
    };
    assemble::recording(draft, options)
}

/// Reads the input and writes the recording to `out` (version 2), whole or not at all:
/// a bad input, or a failed write, leaves no file and any earlier `out` as it was.
pub fn import_to_file(options: &ImportOptions, out: &Path) -> Result<Recording, ImportError> {
    let recording = import(options)?;
    assemble::write_whole(&recording, out)?;
    Ok(recording)
}
