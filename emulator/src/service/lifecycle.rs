//! The job lifecycle (fidelity rows F11 and F14): which status follows which, when, and
//! with what outcome.
//!
//! STARTING -> INPROGRESS -> COMPLETED | FAILED, and on Stop STARTING | INPROGRESS ->
//! STOPPING -> STOPPED. Transitions are planned with the exact time they fall due and
//! applied when a request observes the clock past that time, so nothing runs in the
//! background and a manual clock makes every step deterministic.

use crate::api::JobStatus;

use super::failure::Failure;
use super::job::Job;
use super::settings::Settings;
use super::time::Millis;

/// MaxRuntimeInSeconds when the request leaves it out: one day, as documented.
pub const DEFAULT_MAX_RUNTIME_SECS: i64 = 86_400;

/// A planned status change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Transition {
    /// When it falls due (exact, not truncated).
    pub at: Millis,
    /// The status it moves to.
    pub to: JobStatus,
    /// The failure reason, for a move to FAILED.
    pub failure: Option<Failure>,
}

/// The transition that follows `job`'s current status, entered at `entered`.
pub(super) fn next(job: &Job, entered: Millis, settings: &Settings) -> Option<Transition> {
    match job.status {
        JobStatus::Starting => Some(Transition {
            at: entered.plus_secs(settings.starting_secs),
            to: JobStatus::InProgress,
            failure: None,
        }),
        JobStatus::InProgress => Some(outcome(job, entered, settings)),
        JobStatus::Stopping => Some(Transition {
            at: entered.plus_secs(settings.stopping_secs),
            to: JobStatus::Stopped,
            failure: None,
        }),
        JobStatus::Completed | JobStatus::Failed | JobStatus::Stopped => None,
    }
}

/// How compiling ends: a timeout if it would outlast MaxRuntimeInSeconds, a failure for
/// an input that is not a `.tar.gz`, otherwise success.
fn outcome(job: &Job, started: Millis, settings: &Settings) -> Transition {
    let max_runtime = job
        .spec
        .max_runtime()
        .map_or(DEFAULT_MAX_RUNTIME_SECS, i64::from);
    if settings.enforce_max_runtime && (max_runtime as f64) < settings.compiling_secs {
        return Transition {
            at: started.plus_secs(max_runtime as f64),
            to: JobStatus::Failed,
            failure: Some(Failure::Timeout(max_runtime)),
        };
    }
    let at = started.plus_secs(settings.compiling_secs);
    let not_an_archive = job
        .spec
        .input
        .as_ref()
        .is_some_and(|i| !i.s3_uri.ends_with(".tar.gz"));
    if settings.fail_unless_tar_gz && not_an_archive {
        return Transition {
            at,
            to: JobStatus::Failed,
            failure: Some(Failure::Untar),
        };
    }
    Transition {
        at,
        to: JobStatus::Completed,
        failure: None,
    }
}

/// Applies a due transition: status, and the times real responses show changing with it.
pub(super) fn apply(job: &mut Job, transition: &Transition) {
    let second = transition.at.whole_second();
    job.status = transition.to;
    job.last_modified_time = second;
    if transition.to == JobStatus::InProgress {
        job.compilation_start_time = Some(second);
    }
    if transition.to.is_terminal() {
        job.compilation_end_time = Some(second);
    }
    if let Some(failure) = transition.failure {
        job.failure = Some(failure);
    }
}

/// Whether a job in this status can be stopped.
pub(super) fn can_stop(status: JobStatus) -> bool {
    matches!(status, JobStatus::Starting | JobStatus::InProgress)
}
