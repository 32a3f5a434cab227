//! Which journaled requests to return: by operation, by status, after a sequence number.

use super::entry::RecordedRequest;

/// A selection of journaled requests; the default selects every one. Each condition
/// given must hold.
///
/// ```
/// let failed_creates = cjh_emulator::RequestFilter::default()
///     .operation("CreateCompilationJob")
///     .status(400);
/// # let _ = failed_creates;
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestFilter {
    operation: Option<String>,
    status: Option<u16>,
    since: Option<u64>,
}

impl RequestFilter {
    /// Only requests for this operation, such as `ListCompilationJobs`.
    pub fn operation(mut self, name: impl Into<String>) -> Self {
        self.operation = Some(name.into());
        self
    }

    /// Only requests answered with this HTTP status.
    pub fn status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// Only requests journaled after the one with this sequence number, so a test can
    /// note the last number it saw and ask for what came next.
    pub fn since(mut self, sequence: u64) -> Self {
        self.since = Some(sequence);
        self
    }

    /// The sequence number entries must be above (0: all).
    pub(super) fn after(&self) -> u64 {
        self.since.unwrap_or(0)
    }

    /// Whether `entry` is selected (the sequence bound aside, which the journal seeks).
    pub(super) fn matches(&self, entry: &RecordedRequest) -> bool {
        self.operation
            .as_deref()
            .is_none_or(|name| entry.operation.as_deref() == Some(name))
            && self.status.is_none_or(|status| entry.status == status)
    }
}
