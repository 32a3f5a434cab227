//! Comparison: normalizing transcripts into target-independent snapshots, reading
//! snapshots, and finding where a run diverges.

mod normalize;
mod snapshot;

pub use normalize::normalize;
pub use snapshot::{Divergence, diverges, read_snapshot, step_diffs};
