//! Scrubbing: what is removed or rewritten before a recording is written.

use super::format::Recording;

/// The rules [`scrub`] applies, in words, as recorded in a recording's provenance.
pub const RULES: &[&str] = &[];

/// Applies every rule to a recording.
pub fn scrub(recording: &mut Recording) {
    let _ = recording;
}
