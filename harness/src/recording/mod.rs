//! Recordings: what a target answered to a scenario run, kept as versioned files under
//! `recordings/<area>/<name>.jsonl` beside `scenarios/<area>/<name>.toml`. A recording is
//! the evidence mock servers and exports answer from. This module is data only: it
//! knows nothing of targets or runs (the flow that makes recordings is `crate::record`).
//!
//! - `format`: the recording, its exchanges and errors, and where files live.
//! - `read`: the reader of both versions, which refuses unknown ones.
//! - `v1`: version 1, one JSON document (read only).
//! - `writer`: version 2, JSON Lines, appended and flushed one exchange at a time.
//! - `kept`: the headers a recording keeps; credentials never are.
//! - [`scrub`]: what is removed or rewritten before a recording is written.
//! - [`secrets`]: the scan `cargo xtask check-data` runs over recordings and scenarios.
//!
//! `docs/recording-format.md` describes both versions.

mod format;
mod kept;
mod read;
pub mod scrub;
pub mod secrets;
mod sent_at;
mod v1;
mod writer;

pub use format::{
    FORMAT, Provenance, READ_VERSIONS, RecordedExchange, Recording, RecordingError, Source,
    VERSION, recording_path, timestamp,
};
pub use kept::{REQUEST_HEADERS, RESPONSE_HEADERS};
pub use sent_at::SentAt;
pub use writer::RecordingWriter;
