//! What the state files hold: the headers of the two kinds of file, and one record per
//! acknowledged change.
//!
//! A change is recorded with everything needed to redo it exactly, and nothing derived:
//! a Create carries its (validated, normalized) request, its CreationTime and the ARN
//! case in force; a Stop its time. The lifecycle needs no records, because it is planned
//! from those times and the lifecycle settings, which the snapshot header pins.
//!
//! Every change also carries `settled`: the time up to which the job's partition had
//! applied due lifecycle steps when the change was made. Reads settle partitions too and
//! are not recorded, so without it a replayed Stop could find a job one step further
//! along than the original Stop did.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::api::{CreateInput, JobStatus};

use super::super::settings::{ClockMode, Settings};
use super::super::time::Millis;

/// The format version written in every header.
pub(super) const FORMAT: u32 = 1;

/// One acknowledged change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub(in crate::service) enum Record {
    /// A job created through CreateCompilationJob.
    Create {
        /// The partition's account.
        account: String,
        /// The partition's region.
        region: String,
        /// The request, normalized to the members the model knows.
        request: Value,
        /// CreationTime, milliseconds since the epoch.
        at: i64,
        /// How far the partition had settled.
        settled: i64,
        /// Whether the ARN shows the name in lower case.
        arn_lower: bool,
    },
    /// A job placed in a status directly (in-process seeding).
    Seed {
        /// The partition's account.
        account: String,
        /// The partition's region.
        region: String,
        /// The request, normalized to the members the model knows.
        request: Value,
        /// The status it was placed in.
        status: JobStatus,
        /// CreationTime, milliseconds since the epoch.
        at: i64,
        /// When it entered `status`.
        status_time: i64,
        /// How far the partition had settled.
        settled: i64,
        /// Whether the ARN shows the name in lower case.
        arn_lower: bool,
    },
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
        /// How far the partition had settled.
        settled: i64,
    },
    /// The manual clock moved (or started) to `to`.
    Clock {
        /// The clock's new time.
        to: i64,
    },
}

impl Record {
    /// A Create of `input` at `at`.
    pub(in crate::service) fn create(
        (account, region): (&str, &str),
        input: &CreateInput,
        at: Millis,
        settled: Millis,
        arn_lower: bool,
    ) -> Record {
        Record::Create {
            account: account.to_owned(),
            region: region.to_owned(),
            request: request_json(input),
            at: at.0,
            settled: settled.0,
            arn_lower,
        }
    }

    /// A job placed in `status` by a seed, created at `at`, in `status` since `status_time`.
    pub(in crate::service) fn seed(
        (account, region): (&str, &str),
        input: &CreateInput,
        (status, at, status_time): (JobStatus, Millis, Millis),
        settled: Millis,
        arn_lower: bool,
    ) -> Record {
        Record::Seed {
            account: account.to_owned(),
            region: region.to_owned(),
            request: request_json(input),
            status,
            at: at.0,
            status_time: status_time.0,
            settled: settled.0,
            arn_lower,
        }
    }

    /// A Stop of `name` at `at`.
    pub(in crate::service) fn stop(
        (account, region): (&str, &str),
        name: &str,
        at: Millis,
        settled: Millis,
    ) -> Record {
        Record::Stop {
            account: account.to_owned(),
            region: region.to_owned(),
            name: name.to_owned(),
            at: at.0,
            settled: settled.0,
        }
    }

    /// A Delete of `name`.
    pub(in crate::service) fn delete(
        (account, region): (&str, &str),
        name: &str,
        settled: Millis,
    ) -> Record {
        Record::Delete {
            account: account.to_owned(),
            region: region.to_owned(),
            name: name.to_owned(),
            settled: settled.0,
        }
    }

    /// The partition and lower-cased job name a job record is about; `None` for a clock
    /// record.
    pub(super) fn job_key(&self) -> Option<(String, String, String)> {
        let (account, region, name) = match self {
            Record::Create {
                account,
                region,
                request,
                ..
            }
            | Record::Seed {
                account,
                region,
                request,
                ..
            } => (
                account,
                region,
                request
                    .get("CompilationJobName")
                    .and_then(Value::as_str)
                    .unwrap_or_default(),
            ),
            Record::Stop {
                account,
                region,
                name,
                ..
            }
            | Record::Delete {
                account,
                region,
                name,
                ..
            } => (account, region, name.as_str()),
            Record::Clock { .. } => return None,
        };
        Some((account.clone(), region.clone(), name.to_ascii_lowercase()))
    }
}

/// The Create request rebuilt from its parsed input: only members the model knows, so a
/// record never carries whatever unknown members a client sent along.
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
/// failure and would be refused when the record is replayed.
fn to_value<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or_default()
}

/// The settings a recorded job's lifecycle is derived from. Replaying under other values
/// would rewrite history clients have already seen (a COMPLETED job back in INPROGRESS),
/// so a state directory is only opened with the values it was written with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Lifecycle {
    pub(super) clock: ClockMode,
    pub(super) starting_secs: f64,
    pub(super) compiling_secs: f64,
    pub(super) stopping_secs: f64,
    pub(super) fail_unless_tar_gz: bool,
    pub(super) enforce_max_runtime: bool,
}

impl Lifecycle {
    /// The lifecycle settings in force.
    pub(super) fn of(settings: &Settings) -> Lifecycle {
        Lifecycle {
            clock: settings.clock,
            starting_secs: settings.starting_secs,
            compiling_secs: settings.compiling_secs,
            stopping_secs: settings.stopping_secs,
            fail_unless_tar_gz: settings.fail_unless_tar_gz,
            enforce_max_runtime: settings.enforce_max_runtime,
        }
    }

    /// The first setting that differs from `other`: (name, value here, value there).
    pub(super) fn first_difference(
        &self,
        other: &Lifecycle,
    ) -> Option<(&'static str, String, String)> {
        let pairs = [
            ("clock", json!(self.clock), json!(other.clock)),
            (
                "starting_secs",
                json!(self.starting_secs),
                json!(other.starting_secs),
            ),
            (
                "compiling_secs",
                json!(self.compiling_secs),
                json!(other.compiling_secs),
            ),
            (
                "stopping_secs",
                json!(self.stopping_secs),
                json!(other.stopping_secs),
            ),
            (
                "fail_unless_tar_gz",
                json!(self.fail_unless_tar_gz),
                json!(other.fail_unless_tar_gz),
            ),
            (
                "enforce_max_runtime",
                json!(self.enforce_max_runtime),
                json!(other.enforce_max_runtime),
            ),
        ];
        pairs
            .into_iter()
            .find(|(_, a, b)| a != b)
            .map(|(name, a, b)| (name, a.to_string(), b.to_string()))
    }
}

/// The first record of a snapshot file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct SnapshotHeader {
    /// Always `"snapshot"`.
    pub(super) kind: String,
    /// [`FORMAT`].
    pub(super) format: u32,
    /// The generation of the journal that continues this snapshot.
    pub(super) next_journal: u64,
    /// The manual clock's time when the snapshot was taken (none with the system clock).
    pub(super) clock: Option<i64>,
    /// The lifecycle settings the jobs were recorded under.
    pub(super) lifecycle: Lifecycle,
    /// How many records follow, so a snapshot cut at a record boundary is still noticed.
    pub(super) records: u64,
}

/// The first record of a journal file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct JournalHeader {
    /// Always `"journal"`.
    pub(super) kind: String,
    /// [`FORMAT`].
    pub(super) format: u32,
    /// This journal's generation; its file is `journal-<generation>`.
    pub(super) generation: u64,
}
