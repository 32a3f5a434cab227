//! Recordings: what a target answered to a scenario run, kept as versioned JSON under
//! `recordings/<area>/<name>.json` beside `scenarios/<area>/<name>.toml`. A recording is
//! the evidence a mock server ([`crate::mock`]) and the exports answer from.
//!
//! - [`format`]: the file format and its reader, which refuses unknown versions.
//! - [`recorder`]: a [`crate::target::Target`] wrapper that keeps every exchange.
//! - [`scrub`]: what is removed or rewritten before a recording is written.
//! - [`secrets`]: the scan `cargo xtask check-data` runs over recordings and scenarios.
//! - [`record`]: the whole flow behind `cargo xtask record`.

mod format;
mod record;
mod recorder;
pub mod scrub;
pub mod secrets;

pub use format::{
    FORMAT, Provenance, RecordedBody, RecordedExchange, RecordedRequest, RecordedResponse,
    Recording, RecordingError, Source, VERSION, canonical_json, recording_path,
};
pub use record::{
    EMULATOR_PREFIX, RecordError, RecordOptions, RecordSummary, RecordTarget, record,
};
pub use recorder::RecordingTarget;
