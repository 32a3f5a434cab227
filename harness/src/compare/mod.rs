//! Comparison: normalizing transcripts into target-independent snapshots, reading
//! snapshots, and finding where a run differs from one.

mod diff;
mod normalize;
mod snapshot;

pub use diff::{PlaceDiff, SnapshotDiff, pretty, snapshot_diff, unified_under};
pub use normalize::{is_time_key, normalize};
pub use snapshot::read_snapshot;
