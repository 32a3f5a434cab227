//! Jobs placed directly in a given status at given times, for tests and benchmarks that
//! need many jobs, equal creation times or every status at once without waiting for a
//! lifecycle. A seeded job is validated like a Create and then behaves like any other:
//! a non-terminal one goes on through its lifecycle from its status time.

use serde_json::Value;

use crate::api::{self, ApiError, CreateInput, ErrorCode, JobStatus, Operation, check_create};

use super::failure::Failure;
use super::job::Job;
use super::time::Millis;

/// A job to place in the store.
#[derive(Debug, Clone)]
pub struct Seed {
    /// A CreateCompilationJob request body; validated as one.
    pub request: Value,
    /// The status the job is in.
    pub status: JobStatus,
    /// Its CreationTime.
    pub creation_time: Millis,
    /// When it entered `status` (not before `creation_time`).
    pub status_time: Millis,
}

impl Seed {
    /// The request, validated as a Create, and the times checked.
    pub(super) fn input(&self) -> Result<CreateInput, ApiError> {
        let input: CreateInput = api::parse_input(Operation::CreateCompilationJob, &self.request)?;
        check_create(&input)?;
        if self.status_time < self.creation_time {
            return Err(ApiError::new(
                ErrorCode::ValidationException,
                "A seed's status time cannot be before its creation time.",
            ));
        }
        Ok(input)
    }

    /// Puts a new job (created at the seed's creation time) in the seed's status, with
    /// the times real responses show for that status.
    pub(super) fn place(&self, job: &mut Job) {
        let at = self.status_time.whole_second();
        job.status = self.status;
        job.last_modified_time = match self.status {
            JobStatus::Starting => self.creation_time.whole_second(),
            _ => at,
        };
        let started = matches!(
            self.status,
            JobStatus::InProgress | JobStatus::Completed | JobStatus::Failed
        );
        if started {
            job.compilation_start_time = Some(self.creation_time.whole_second());
        }
        if self.status.is_terminal() {
            job.compilation_end_time = Some(at);
        }
        if self.status == JobStatus::Failed {
            job.failure = Some(Failure::Untar);
        }
    }
}
