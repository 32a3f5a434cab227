//! The provenance of a recording a test writes by hand: fixed where a run would fill in
//! the time, the versions and the scrubbing rules, so the files a test makes compare
//! equal from run to run.

use cjh::recording::{Provenance, Source};

/// A provenance for `source` at `endpoint`, with the run prefix `prefix`, in us-east-1.
pub(crate) fn provenance(source: Source, endpoint: &str, prefix: &str) -> Provenance {
    Provenance {
        source,
        endpoint: endpoint.to_owned(),
        region: "us-east-1".to_owned(),
        recorded_at: "2026-01-01T00:00:00Z".to_owned(),
        cjh_version: env!("CARGO_PKG_VERSION").to_owned(),
        model_version: "test".to_owned(),
        prefix: prefix.to_owned(),
        scrubbing: Vec::new(),
        imported_from: None,
    }
}
