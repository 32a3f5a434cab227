//! `cargo xtask record`: runs scenarios on a target through a [`RecordingTarget`] and
//! writes what it saw as recordings.

use std::path::PathBuf;

use crate::target::Signer;

#[allow(unused_imports)]
use super::RecordingTarget;

/// Where to record.
#[derive(Debug, Clone)]
pub enum RecordTarget {
    /// A fresh in-process emulator per scenario.
    Emulator,
    /// An endpoint, signed when a signer is given.
    Url(String, Option<Signer>),
    /// Amazon SageMaker in a region.
    Aws(Signer),
}

/// What to record and where to put it.
#[derive(Debug, Clone)]
pub struct RecordOptions {
    /// The target.
    pub target: RecordTarget,
    /// The scenario folder.
    pub scenarios: PathBuf,
    /// The recordings folder.
    pub recordings: PathBuf,
    /// Only scenarios whose id contains this.
    pub filter: Option<String>,
    /// Record even when the account has jobs this run did not make.
    pub allow_foreign_jobs: bool,
}

/// What a recording run did.
#[derive(Debug, Clone, Default)]
pub struct RecordSummary {
    /// Recordings written.
    pub written: Vec<PathBuf>,
    /// Snapshot updates proposed (`.snap.new` files) for review.
    pub proposed: Vec<PathBuf>,
    /// Scenarios that failed, with why.
    pub failed: Vec<(String, String)>,
}

/// Records every chosen scenario.
pub async fn record(options: &RecordOptions) -> Result<RecordSummary, String> {
    let _ = options;
    Err("not built yet".to_owned())
}
