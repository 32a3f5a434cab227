//! What the service asks the database to keep: one change per acknowledged request
//! that changes state.
//!
//! A change carries everything needed to rebuild its job exactly, and nothing derived:
//! a Create its (validated, normalized) request, its CreationTime and the ARN case in
//! force; a Stop its time. The lifecycle needs no rows of its own, because it is planned
//! from those times and the lifecycle settings, which the database pins.
//!
//! A tag change carries the job's whole tag list after it, so the row holds the latest
//! list and nothing needs replaying.
//!
//! A Stop also carries `settled`: the time up to which the job's partition had applied
//! due lifecycle steps when it was made. Reads settle partitions too and are not kept, so
//! without it a rebuilt Stop could find its job one step further along than the
//! original Stop did.

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::api::{CreateInput, JobStatus, Tag};

use super::super::time::Millis;

/// One acknowledged change, in the order the service made it.
#[derive(Debug, Clone, PartialEq)]
pub(in crate::service) enum Change {
    /// A job created through CreateCompilationJob, or placed in a status directly
    /// (in-process seeding).
    Create(NewJob),
    /// A job stopped.
    Stop {
        /// The partition's account.
        account: String,
        /// The partition's region.
        region: String,
        /// The job's name, as the request gave it.
        name: String,
        /// When it was stopped.
        at: i64,
        /// How far the partition had settled.
        settled: i64,
    },
    /// A job deleted.
    Delete {
        /// The partition's account.
        account: String,
        /// The partition's region.
        region: String,
        /// The job's name, as the request gave it.
        name: String,
    },
    /// A job's tags changed (AddTags, DeleteTags, TagResources, UntagResources).
    Tags {
        /// The partition's account.
        account: String,
        /// The partition's region.
        region: String,
        /// The job's name.
        name: String,
        /// The job's whole tag list after the change, as JSON (`[{"Key", "Value"}]`).
        tags: Value,
    },
    /// The manual clock moved (or started) to `to`.
    Clock {
        /// The clock's new time.
        to: i64,
    },
    /// Every job forgotten; the manual clock, if any, stays at `clock`.
    Reset {
        /// The manual clock's time.
        clock: Option<i64>,
    },
}

/// A job as created: the facts its state is rebuilt from.
#[derive(Debug, Clone, PartialEq)]
pub(in crate::service) struct NewJob {
    /// The partition's account.
    pub(super) account: String,
    /// The partition's region.
    pub(super) region: String,
    /// The request, normalized to the members the model knows.
    pub(super) request: Value,
    /// CreationTime, milliseconds since the epoch.
    pub(super) at: i64,
    /// Whether the ARN shows the name in lower case.
    pub(super) arn_lower: bool,
    /// For a seeded job, the status it was placed in and when it entered it.
    pub(super) seeded: Option<(JobStatus, i64)>,
}

impl NewJob {
    /// A job created from `input` at `at`.
    fn of(
        (account, region): (&str, &str),
        input: &CreateInput,
        at: Millis,
        arn_lower: bool,
    ) -> NewJob {
        NewJob {
            account: account.to_owned(),
            region: region.to_owned(),
            request: request_json(input),
            at: at.0,
            arn_lower,
            seeded: None,
        }
    }
}

impl Change {
    /// A Create of `input` at `at`.
    pub(in crate::service) fn create(
        (account, region): (&str, &str),
        input: &CreateInput,
        at: Millis,
        arn_lower: bool,
    ) -> Change {
        Change::Create(NewJob::of((account, region), input, at, arn_lower))
    }

    /// A job placed in `status` by a seed, created at `at`, in `status` since `status_time`.
    pub(in crate::service) fn seed(
        (account, region): (&str, &str),
        input: &CreateInput,
        (status, at, status_time): (JobStatus, Millis, Millis),
        arn_lower: bool,
    ) -> Change {
        Change::Create(NewJob {
            seeded: Some((status, status_time.0)),
            ..NewJob::of((account, region), input, at, arn_lower)
        })
    }

    /// A Stop of `name` at `at`.
    pub(in crate::service) fn stop(
        (account, region): (&str, &str),
        name: &str,
        at: Millis,
        settled: Millis,
    ) -> Change {
        Change::Stop {
            account: account.to_owned(),
            region: region.to_owned(),
            name: name.to_owned(),
            at: at.0,
            settled: settled.0,
        }
    }

    /// The tag list of `name` becoming `tags`.
    pub(in crate::service) fn tags(
        (account, region): (&str, &str),
        name: &str,
        tags: &[Tag],
    ) -> Change {
        Change::Tags {
            account: account.to_owned(),
            region: region.to_owned(),
            name: name.to_owned(),
            tags: to_value(&tags),
        }
    }

    /// A Delete of `name`.
    pub(in crate::service) fn delete((account, region): (&str, &str), name: &str) -> Change {
        Change::Delete {
            account: account.to_owned(),
            region: region.to_owned(),
            name: name.to_owned(),
        }
    }
}

/// The Create request rebuilt from its parsed input: only members the model knows, so a
/// row never carries whatever unknown members a client sent along.
pub(in crate::service) fn request_json(input: &CreateInput) -> Value {
    let mut out = Map::new();
    out.insert(
        "CompilationJobName".into(),
        json!(input.compilation_job_name),
    );
    out.insert("RoleArn".into(), json!(input.role_arn));
    if let Some(arn) = &input.model_package_version_arn {
        out.insert("ModelPackageVersionArn".into(), json!(arn));
    }
    if let Some(config) = &input.input_config {
        out.insert("InputConfig".into(), to_value(config));
    }
    out.insert("OutputConfig".into(), to_value(&input.output_config));
    if let Some(vpc) = &input.vpc_config {
        out.insert("VpcConfig".into(), to_value(vpc));
    }
    out.insert(
        "StoppingCondition".into(),
        to_value(&input.stopping_condition),
    );
    if let Some(tags) = &input.tags {
        out.insert("Tags".into(), to_value(tags));
    }
    Value::Object(out)
}

/// Plain data with string keys always serializes; `Null` stands in for the impossible
/// failure and would be refused when the job is rebuilt.
fn to_value<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or_default()
}
