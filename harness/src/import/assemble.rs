//! A reader's exchanges made into a recording, by one set of provenance rules for
//! every source format, and written whole or not at all.
//!
//! Provenance says `aws` only when something says so: the command line
//! (`--provenance aws`, for sources such as placebo that cannot say it themselves), or
//! the input (every request went to an `*.amazonaws.com` host). Otherwise it says
//! `url`: an import is evidence of what some endpoint answered, not of what AWS does.

use std::path::Path;
use std::time::SystemTime;

use crate::recording::scrub::{RULES, scrub};
use crate::recording::{FORMAT, Provenance, RecordedExchange, Recording, Source, VERSION};
use crate::recording::{RecordingError, timestamp};
use crate::scenario::Profile;

use super::{ImportError, ImportOptions};

/// What one reader made of its input, before the provenance rules.
#[derive(Debug, Clone, Default)]
pub(crate) struct Draft {
    /// The exchanges, in the order the reader settled on.
    pub(crate) exchanges: Vec<RecordedExchange>,
    /// What the input itself says answered, if it says.
    pub(crate) source: Option<Source>,
    /// The endpoint the requests went to, if the input says.
    pub(crate) endpoint: Option<String>,
    /// The region, if the input says.
    pub(crate) region: Option<String>,
    /// When the traffic happened (RFC 3339), if the input says.
    pub(crate) recorded_at: Option<String>,
    /// Where it came from and what was rebuilt, in words, for the provenance.
    pub(crate) imported_from: String,
}

/// The recording of `draft` under `options`, scrubbed by every rule a recording of a
/// real account gets (account ids, credentials, buckets, principals).
pub(crate) fn recording(draft: Draft, options: &ImportOptions) -> Result<Recording, ImportError> {
    if draft.exchanges.is_empty() {
        return Err(ImportError::Empty {
            path: options.input.clone(),
            what: options.format.entries().to_owned(),
        });
    }
    let region = options
        .region
        .clone()
        .or(draft.region)
        .ok_or_else(|| ImportError::NoRegion {
            path: options.input.clone(),
        })?;
    let provenance = Provenance {
        source: options.source.or(draft.source).unwrap_or(Source::Url),
        endpoint: draft.endpoint.unwrap_or_else(|| "unknown".to_owned()),
        region,
        recorded_at: draft
            .recorded_at
            .unwrap_or_else(|| timestamp(SystemTime::now())),
        cjh_version: env!("CARGO_PKG_VERSION").to_owned(),
        model_version: cjh_emulator::api::model::version_label(),
        prefix: String::new(),
        scrubbing: RULES.iter().map(|r| (*r).to_owned()).collect(),
        imported_from: Some(draft.imported_from),
    };
    let mut recording = Recording {
        format: FORMAT.to_owned(),
        version: VERSION,
        scenario: options
            .scenario
            .clone()
            .unwrap_or_else(|| default_scenario(&options.input)),
        provenance,
        exchanges: draft.exchanges,
    };
    scrub(&mut recording, &Profile::default());
    Ok(recording)
}

/// `imported/<name>`: the input's file (or folder) name without its extension.
fn default_scenario(input: &Path) -> String {
    let stem = input
        .file_stem()
        .map_or_else(|| "import".into(), |s| s.to_string_lossy());
    format!("imported/{stem}")
}

/// The name an input goes by in a provenance: its file or folder name, not the path,
/// which would be one machine's.
pub(crate) fn shown_name(input: &Path) -> String {
    input.file_name().map_or_else(
        || input.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Writes `recording` to `out` through a temporary file beside it and a rename, so an
/// existing `out` is replaced only by a whole recording and a failed write leaves none.
pub(crate) fn write_whole(recording: &Recording, out: &Path) -> Result<(), ImportError> {
    let name = shown_name(out);
    let temporary = out.with_file_name(format!(".{name}.import-{}.tmp", std::process::id()));
    let written = recording
        .write(&temporary)
        .and_then(|()| fs_err::rename(&temporary, out).map_err(RecordingError::from));
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    Ok(written?)
}
