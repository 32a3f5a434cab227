//! What a run saw: the fixtures as realized and every exchange of the steps, raw.

use std::collections::BTreeMap;

use crate::exchange::Body;

/// One request and its answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Exchange {
    /// The step, 1-based.
    pub step: usize,
    /// The page, 1-based, for paginate steps.
    pub page: Option<usize>,
    /// The operation the step names.
    pub operation: String,
    /// The `X-Amz-Target` sent, if any.
    pub target_header: Option<String>,
    /// The request body.
    pub request: Body,
    /// Top-level request members written as exactly one reference, with the reference's
    /// text (`CreationTimeAfter` -> `beta.CreationTime+0.001`), so a snapshot can show
    /// what a value meant rather than what it was on one clock.
    pub request_references: BTreeMap<String, String>,
    /// The HTTP status.
    pub status: u16,
    /// The answer's request id header.
    pub request_id: Option<String>,
    /// The answer body.
    pub response: Body,
}

/// A fixture as realized.
#[derive(Debug, Clone, PartialEq)]
pub struct FixtureState {
    /// The alias.
    pub alias: String,
    /// The real name.
    pub name: String,
    /// Its status when the steps began.
    pub status: String,
    /// Whether the scenario asked for any status (`ANY`): what the target gave is not
    /// part of what the scenario judges, so the snapshot shows `<any>`.
    pub any_status: bool,
    /// CreationTime, epoch seconds.
    pub creation_time: f64,
    /// LastModifiedTime, epoch seconds.
    pub last_modified_time: f64,
}

/// The whole record of a run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Transcript {
    /// The run's name prefix.
    pub prefix: String,
    /// Whether statuses are the scenario's subject; when not, the snapshot leaves them
    /// (and the start and end times that come with them) out.
    pub shows_status: bool,
    /// The fixtures, in file order.
    pub fixtures: Vec<FixtureState>,
    /// The steps' exchanges, in order.
    pub exchanges: Vec<Exchange>,
    /// How the fixture requests were answered (`None` a success, else the error code);
    /// not part of the snapshot, but counted when judging whether a target is vacuous.
    pub setup_answers: Vec<Option<String>>,
}
