//! Writing version 2, one exchange at a time.
//!
//! A recorder that appends and flushes each exchange as it happens leaves, if it is
//! killed, a file that reads as everything up to the last complete line: nothing of a
//! long run against a real service is lost with the process. The same writer serves
//! whole recordings ([`Recording::write`]), so there is one way a file is made.

use fs_err::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::scenario::Profile;

use super::format::{FORMAT, Provenance, RecordedExchange, Recording, RecordingError, VERSION};
use super::kept::keep_headers;
use super::scrub::Scrubber;

/// The first line of a version-2 file.
#[derive(Serialize)]
struct Header<'a> {
    format: &'a str,
    version: u32,
    scenario: &'a str,
    provenance: &'a Provenance,
}

/// A version-2 file being written: the header is on disk from the start, and every
/// [`append`](RecordingWriter::append) adds one flushed line.
pub struct RecordingWriter {
    path: PathBuf,
    file: File,
    scrubber: Option<Scrubber>,
    written: usize,
}

impl std::fmt::Debug for RecordingWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecordingWriter")
            .field("path", &self.path)
            .field("written", &self.written)
            .finish_non_exhaustive()
    }
}

impl RecordingWriter {
    /// Creates (or truncates) `path` and its folder, and writes the header. Exchanges
    /// are written as given, but for the headers a recording never keeps.
    pub fn create(
        path: &Path,
        scenario: &str,
        provenance: &Provenance,
    ) -> Result<RecordingWriter, RecordingError> {
        RecordingWriter::open(path, scenario, provenance.clone(), None)
    }

    /// The same, with every scrubbing rule applied to the provenance's endpoint and to
    /// each exchange as it is appended; `profile` is the one the run used (its values
    /// become the default profile's). Exchanges are scrubbed in order with one set of
    /// placeholders, so the file is what scrubbing the whole recording would give.
    pub fn create_scrubbed(
        path: &Path,
        scenario: &str,
        provenance: &Provenance,
        profile: &Profile,
    ) -> Result<RecordingWriter, RecordingError> {
        let mut scrubber = Scrubber::new(profile);
        let mut provenance = provenance.clone();
        provenance.endpoint = scrubber.text(&provenance.endpoint);
        RecordingWriter::open(path, scenario, provenance, Some(scrubber))
    }

    fn open(
        path: &Path,
        scenario: &str,
        provenance: Provenance,
        scrubber: Option<Scrubber>,
    ) -> Result<RecordingWriter, RecordingError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs_err::create_dir_all(parent)?;
        }
        let file = File::create(path)?;
        let mut writer = RecordingWriter {
            path: path.to_owned(),
            file,
            scrubber,
            written: 0,
        };
        writer.line(&header_line(scenario, &provenance))?;
        Ok(writer)
    }

    /// Appends one exchange as one line and flushes it.
    pub fn append(&mut self, exchange: &RecordedExchange) -> Result<(), RecordingError> {
        let mut exchange = exchange.clone();
        if let Some(scrubber) = &mut self.scrubber {
            scrubber.exchange(&mut exchange);
        }
        let line = exchange_line(exchange);
        self.line(&line)?;
        self.written += 1;
        Ok(())
    }

    /// How many exchanges have been appended.
    pub fn written(&self) -> usize {
        self.written
    }

    /// The file being written.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn line(&mut self, line: &str) -> Result<(), RecordingError> {
        let mut bytes = Vec::with_capacity(line.len() + 1);
        bytes.extend_from_slice(line.as_bytes());
        bytes.push(b'\n');
        // One write of the whole line, then a flush: a crash cuts at most this line.
        self.file.write_all(&bytes)?;
        self.file.flush()?;
        Ok(())
    }
}

fn header_line(scenario: &str, provenance: &Provenance) -> String {
    serde_json::to_string(&Header {
        format: FORMAT,
        version: VERSION,
        scenario,
        provenance,
    })
    .unwrap_or_default()
}

/// One exchange's line, with only the kept headers.
fn exchange_line(mut exchange: RecordedExchange) -> String {
    keep_headers(&mut exchange);
    serde_json::to_string(&exchange).unwrap_or_default()
}

impl Recording {
    /// The version-2 file text: the header line, then one line per exchange.
    pub fn to_text(&self) -> String {
        let mut text = header_line(&self.scenario, &self.provenance);
        text.push('\n');
        for exchange in &self.exchanges {
            text.push_str(&exchange_line(exchange.clone()));
            text.push('\n');
        }
        text
    }

    /// Writes the recording as version 2, creating its folder.
    pub fn write(&self, path: &Path) -> Result<(), RecordingError> {
        let mut writer = RecordingWriter::create(path, &self.scenario, &self.provenance)?;
        for exchange in &self.exchanges {
            writer.append(exchange)?;
        }
        Ok(())
    }
}
