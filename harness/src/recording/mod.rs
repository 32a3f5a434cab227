//! Recordings: what a target answered to a scenario run, kept as versioned files under
//! `recordings/<area>/<name>.json` beside `scenarios/<area>/<name>.toml`. A recording is
//! the evidence mock servers and exports answer from. This module is data only: it
//! knows nothing of targets or runs (the flow that makes recordings is `crate::record`).
//!
//! - `format`: the file format and its reader, which refuses unknown versions.
//! - [`scrub`]: what is removed or rewritten before a recording is written.
//! - [`secrets`]: the scan `cargo xtask check-data` runs over recordings and scenarios.

mod format;
pub mod scrub;
pub mod secrets;

pub use format::{
    FORMAT, Provenance, RecordedBody, RecordedExchange, RecordedRequest, RecordedResponse,
    Recording, RecordingError, Source, VERSION, canonical_json, recording_path,
};
