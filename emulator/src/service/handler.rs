//! The stateful service: one call in, one answer out, no I/O.
//!
//! Locking: all state sits behind one mutex, taken once per request after the request
//! has been parsed and validated, and held only while the store is read or changed, so
//! every operation is atomic and no request sees another half-done. A poisoned lock is
//! recovered rather than propagated, because every change to the store is completed
//! before any code that could fail runs.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use serde_json::{Value, json};

use crate::api::{
    self, AddTagsInput, ApiError, CreateInput, DeleteTagsInput, ErrorCode, GetResourcesInput,
    JobNameInput, ListInput, ListTagsInput, Operation, TagResourcesInput, UntagResourcesInput,
    check_create,
};

use super::choice::{ArnCase, NotFound};
use super::clock::Clock;
use super::faults::{FaultSettings, Faults};
use super::journal::Journal;
use super::lifecycle;
use super::list;
use super::rate::RateLimit;
use super::seed::Seed;
use super::settings::Settings;
use super::store::Partition;
use super::token::TokenKey;

mod overview;
mod state;
mod tagging;
mod tags;

pub use overview::{JobOverview, PartitionOverview};

use super::durable::{Change, Durable};

/// Who is calling: the account and region whose jobs the request sees.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallContext {
    /// The region from the request's SigV4 credential scope, if it had one.
    pub region: Option<String>,
    /// The account of the verified access key (with `auth = sigv4`); `account_id` from
    /// the settings when unset.
    pub account: Option<String>,
}

/// The emulated service.
#[derive(Debug)]
pub struct Service {
    settings: Settings,
    clock: Clock,
    tokens: TokenKey,
    partitions: Mutex<HashMap<(String, String), Partition>>,
    /// Fault injection for HTTP requests; its own lock, never taken with the store's.
    faults: Faults,
    /// The request rate limit for HTTP requests; its own lock, likewise.
    rate_limit: RateLimit,
    /// The requests answered, for tests to read back; its own lock, likewise.
    journal: Journal,
    /// The state directory (`state_dir`), when changes are kept on disk (`state`).
    durable: Option<Durable>,
}

impl Service {
    /// A service with these settings and this clock.
    pub fn new(settings: Settings, clock: Clock) -> Service {
        let tokens = match &settings.token_key {
            Some(secret) => TokenKey::from_secret(secret.as_bytes()),
            None => TokenKey::random(),
        };
        let faults = Faults::new(FaultSettings::of(&settings));
        let rate_limit = RateLimit::new(&settings);
        let journal = Journal::new(settings.journal_size, settings.journal_bytes);
        Service {
            settings,
            clock,
            tokens,
            partitions: Mutex::new(HashMap::new()),
            faults,
            rate_limit,
            journal,
            durable: None,
        }
    }

    /// The settings in force.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The clock every decision reads.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// Fault injection: the faults in force, the request counter and its counts. Only the
    /// HTTP server applies them; [`Service::handle`] never fails on purpose.
    pub fn faults(&self) -> &Faults {
        &self.faults
    }

    /// The request rate limit (`request_rate`), applied by the HTTP server only.
    pub fn rate_limit(&self) -> &RateLimit {
        &self.rate_limit
    }

    /// The request journal: the API requests answered, newest last. The server and
    /// the in-process calls record into it; [`Service::handle`] does not, having no
    /// status or bytes to keep.
    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    /// Forgets every job.
    pub fn reset(&self) {
        // A state directory that fails keeps the failure and answers it to every later
        // request; `try_reset` returns it.
        let _ = self.try_reset();
    }

    /// Handles one operation. `Ok(None)` is a success with no output shape.
    pub fn handle(
        &self,
        context: &CallContext,
        operation: Operation,
        body: &Value,
    ) -> Result<Option<Value>, ApiError> {
        match operation {
            Operation::CreateCompilationJob => {
                let input: CreateInput = api::parse_input(operation, body)?;
                check_create(&input)?;
                self.create(context, input).map(Some)
            }
            Operation::DescribeCompilationJob => {
                let input: JobNameInput = api::parse_input(operation, body)?;
                self.with_partition(context, |partition| {
                    partition
                        .get(&input.compilation_job_name)
                        .map(|job| Some(job.describe()))
                        .ok_or_else(|| self.not_found(&input.compilation_job_name))
                })
            }
            Operation::ListCompilationJobs => {
                let input: ListInput = api::parse_input(operation, body)?;
                self.with_partition(context, |partition| {
                    list::list(partition, &input, &self.settings, &self.tokens).map(Some)
                })
            }
            Operation::StopCompilationJob => {
                let input: JobNameInput = api::parse_input(operation, body)?;
                self.stop(context, &input.compilation_job_name)
                    .map(|()| None)
            }
            Operation::DeleteCompilationJob => {
                let input: JobNameInput = api::parse_input(operation, body)?;
                self.delete(context, &input.compilation_job_name)
                    .map(|()| None)
            }
            Operation::AddTags => {
                let input: AddTagsInput = api::parse_input(operation, body)?;
                self.add_tags(context, input).map(Some)
            }
            Operation::ListTags => {
                let input: ListTagsInput = api::parse_input(operation, body)?;
                self.list_tags(context, &input).map(Some)
            }
            Operation::DeleteTags => {
                let input: DeleteTagsInput = api::parse_input(operation, body)?;
                self.delete_tags(context, &input).map(Some)
            }
            Operation::GetResources => {
                let input = GetResourcesInput::parse(body)?;
                self.get_resources(context, &input).map(Some)
            }
            Operation::TagResources => {
                let input = TagResourcesInput::parse(body)?;
                self.tag_resources(context, &input).map(Some)
            }
            Operation::UntagResources => {
                let input = UntagResourcesInput::parse(body)?;
                self.untag_resources(context, &input).map(Some)
            }
        }
    }

    fn create(&self, context: &CallContext, input: CreateInput) -> Result<Value, ApiError> {
        self.with_partition(context, |partition| {
            if let Some(existing) = partition.get(&input.compilation_job_name) {
                return Err(in_use(&existing.arn()));
            }
            if let Some(limit) = self.settings.max_concurrent_jobs {
                let active = partition.active_count();
                if active >= limit as usize {
                    return Err(ApiError::new(
                        ErrorCode::ResourceLimitExceeded,
                        format!(
                            "The account-level service limit 'Number of concurrent compilation jobs' is {limit} Jobs, with current utilization of {active} Jobs and a request delta of 1 Jobs. Please use AWS Service Quotas to request an increase for this quota."
                        ),
                    ));
                }
            }
            let now = self.clock.now();
            self.keep(|| Change::create(self.key(context), &input, now, self.arn_lower()))?;
            let job = partition.new_job(input, self.arn_lower(), now);
            let arn = job.arn();
            partition.insert(job, now, &self.settings);
            partition.settle(now, &self.settings);
            Ok(json!({ "CompilationJobArn": arn }))
        })
    }

    /// Places a job directly in a status (see [`Seed`]); answers like Create would for a
    /// bad request or a name in use.
    pub fn seed(&self, context: &CallContext, seed: Seed) -> Result<(), ApiError> {
        let input = seed.input()?;
        self.with_partition(context, |partition| {
            if let Some(existing) = partition.get(&input.compilation_job_name) {
                return Err(in_use(&existing.arn()));
            }
            let times = (seed.status, seed.creation_time, seed.status_time);
            self.keep(|| Change::seed(self.key(context), &input, times, self.arn_lower()))?;
            let mut job = partition.new_job(input, self.arn_lower(), seed.creation_time);
            seed.place(&mut job);
            partition.insert(job, seed.status_time, &self.settings);
            Ok(())
        })
    }

    fn arn_lower(&self) -> bool {
        self.settings.arn_case == ArnCase::Lower
    }

    fn stop(&self, context: &CallContext, name: &str) -> Result<(), ApiError> {
        self.with_partition(context, |partition| {
            let status = partition
                .get(name)
                .map(|job| job.status)
                .ok_or_else(|| self.not_found(name))?;
            if !lifecycle::can_stop(status) {
                return Err(ApiError::validation(format!(
                    "The request was rejected because the compilation job is in status {status}."
                )));
            }
            let now = self.clock.now();
            let settled = partition.settled();
            self.keep(|| Change::stop(self.key(context), name, now, settled))?;
            partition.stop(name, now, &self.settings);
            Ok(())
        })
    }

    fn delete(&self, context: &CallContext, name: &str) -> Result<(), ApiError> {
        self.with_partition(context, |partition| {
            let status = partition
                .get(name)
                .map(|job| job.status)
                .ok_or_else(|| self.not_found(name))?;
            if !status.is_terminal() {
                return Err(ApiError::validation(format!(
                    "The compilation job '{name}' cannot be deleted because it is in status {status}. Only jobs in status COMPLETED, FAILED or STOPPED can be deleted."
                )));
            }
            self.keep(|| Change::delete(self.key(context), name))?;
            partition.remove(name);
            Ok(())
        })
    }

    fn not_found(&self, name: &str) -> ApiError {
        let code = match self.settings.not_found {
            NotFound::Validation => ErrorCode::ValidationException,
            NotFound::ResourceNotFound => ErrorCode::ResourceNotFound,
        };
        ApiError::new(code, format!("Could not find compilation job '{name}'."))
    }

    fn region<'a>(&'a self, context: &'a CallContext) -> &'a str {
        context.region.as_deref().unwrap_or(&self.settings.region)
    }

    fn account<'a>(&'a self, context: &'a CallContext) -> &'a str {
        context
            .account
            .as_deref()
            .unwrap_or(&self.settings.account_id)
    }

    /// Runs `f` on the caller's partition after applying every due transition.
    fn with_partition<T>(
        &self,
        context: &CallContext,
        f: impl FnOnce(&mut Partition) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let key = (
            self.account(context).to_owned(),
            self.region(context).to_owned(),
        );
        let mut partitions = self.lock();
        // The clock is read under the lock, so the partition is settled to no earlier a
        // time than the one the operation then acts at: a job due to complete before a
        // Stop's time has completed when the Stop sees it.
        let now = self.clock.now();
        let partition = partitions
            .entry(key)
            .or_insert_with_key(|(account, region)| Partition::new(account, region));
        partition.settle(now, &self.settings);
        let result = f(partition);
        let position = self.durable.as_ref().map(Durable::position);
        drop(partitions);
        self.when_durable(position, result)
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<(String, String), Partition>> {
        self.partitions
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The duplicate-name error, in the training-job wording (fidelity row F9).
fn in_use(arn: &str) -> ApiError {
    ApiError::new(
        ErrorCode::ResourceInUse,
        format!(
            "Compilation job names must be unique within an AWS account and region, and a compilation job with this name already exists ({arn})"
        ),
    )
}
