//! Comparison: normalizing transcripts into target-independent snapshots, reading
//! snapshots, and finding where a run diverges.

mod normalize;
mod snapshot;

pub use normalize::{is_time_key, normalize};
pub use snapshot::{Divergence, diverges, pretty, read_snapshot, step_diffs, unified_under};
