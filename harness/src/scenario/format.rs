//! The scenario file format (TOML), version 1.
//!
//! A scenario says what jobs must exist (fixtures, realized through the public API so the
//! same file runs on any target), what is asked (steps: one call, a paginated walk, or a
//! wait), and the facts that must hold (`expect`), written by hand from the documentation
//! and the evidence, so a snapshot is never its own proof. Unknown keys are refused with
//! their file and line; `scenarios/schema.json`, generated from these types, lets editors
//! check files as they are written.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use toml::Spanned;

/// The format version this build reads.
pub const FORMAT_VERSION: u32 = 1;

/// One scenario file.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// Format version; must be 1.
    #[schemars(with = "u32")]
    pub format: Spanned<u32>,
    /// What the scenario shows and why it matters.
    pub description: String,
    /// The one behaviour it judges; the snapshot shows job statuses only when they are
    /// the subject.
    pub subject: Subject,
    /// What the expectations rest on.
    pub evidence: Evidence,
    /// What the scenario assumes of its target beyond the contract; every feature that
    /// needs to know (the runner, reports, scheduling) reads it here.
    #[serde(default, skip_serializing_if = "Assumes::is_empty")]
    pub assumes: Assumes,
    /// Fixture timestamps that must differ from fixture to fixture, in file order.
    /// CreationTimes always do (unless `same_time_as_previous`); list `LastModifiedTime`
    /// where the scenario needs those apart too: the target reports them in whole
    /// seconds, so on a real clock the runner then waits for the target's second to turn
    /// between fixtures.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub distinct_times: Vec<TimeName>,
    /// Jobs to create first, in this order.
    #[serde(default, rename = "fixture")]
    #[schemars(with = "Vec<Fixture>")]
    pub fixtures: Vec<Spanned<Fixture>>,
    /// What to do, in this order.
    #[serde(rename = "step")]
    #[schemars(with = "Vec<Step>")]
    pub steps: Vec<Spanned<Step>>,
}

/// The behaviour a scenario judges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Subject {
    /// The errors a bad request gets.
    Validation,
    /// A job's statuses: what it moves to, what each allows, what it shows.
    Lifecycle,
    /// Filtering or sorting by status.
    Status,
    /// Filters other than status: names and times.
    Filter,
    /// The order of a List (by name or time).
    Sort,
    /// Pages: their size, their windows, where they end.
    Paging,
    /// Page tokens: what continues a query and what is refused.
    Tokens,
}

impl Subject {
    /// Whether job statuses are what the scenario judges, so its snapshot shows them;
    /// elsewhere a status (and the start and end times that come with it) is whatever
    /// the target reached, and is left out.
    pub fn shows_status(self) -> bool {
        matches!(self, Subject::Lifecycle | Subject::Status)
    }
}

/// What a scenario assumes of its target; each is the reason it needs it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Assumes {
    /// A virtual clock, and the coincidence the scenario needs from it (two jobs created
    /// in the same millisecond): it runs on the emulator and is not applicable elsewhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub virtual_clock: Option<String>,
    /// An account and region holding no job but the scenario's own (pages are counted
    /// exactly): on a shared target it starts only when the account holds no job.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub own_account: Option<String>,
    /// The documented default SortOrder, Ascending (F7), and where the scenario reads
    /// it: a target that lists newest first without a SortOrder diverges here, and only
    /// in the scenarios that say so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_order: Option<String>,
}

impl Assumes {
    /// Whether nothing is assumed.
    pub fn is_empty(&self) -> bool {
        self == &Assumes::default()
    }
}

/// A fixture timestamp member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum TimeName {
    /// CreationTime (milliseconds).
    CreationTime,
    /// LastModifiedTime (whole seconds on AWS and the emulator).
    LastModifiedTime,
}

/// The evidence behind a scenario's expectations.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// How strong it is.
    pub level: EvidenceLevel,
    /// Where it comes from (a recording, a documentation page, an issue, a sibling API).
    pub source: String,
}

/// Evidence levels, strongest first.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum EvidenceLevel {
    /// Seen in a real AWS response.
    Recorded,
    /// Stated by AWS documentation or the service model.
    Documented,
    /// Inferred from sibling APIs, or a choice where nothing is known.
    Inferred,
}

/// A job the scenario needs. Its real name is `<run prefix>-<name>`; everywhere else in
/// the scenario and its snapshot it is called by `name`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fixture {
    /// The alias: lower-case letters, digits and hyphens, unique in the file.
    pub name: String,
    /// The status the job must be in when the steps start.
    pub status: FixtureStatus,
    /// The framework (default PYTORCH).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub framework: Option<String>,
    /// The target device (default ml_c5), unless `platform` is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
    /// A target platform instead of a device.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<Platform>,
    /// Create it at the same instant as the previous fixture (only a target with a
    /// virtual clock can promise this; elsewhere it is created right after).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub same_time_as_previous: bool,
}

/// The statuses a fixture can be brought to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum FixtureStatus {
    /// Whatever status the target gives a new job (STARTING on AWS and the emulator,
    /// COMPLETED on moto): created, never waited for, never checked. For scenarios
    /// whose subject is not the status.
    Any,
    /// Created, not yet compiling.
    Starting,
    /// Compiling.
    Inprogress,
    /// Compiled (a model the target profile says compiles).
    Completed,
    /// Failed (a model the target profile says fails).
    Failed,
    /// Stopped right after creation, not yet stopped.
    Stopping,
    /// Stopped.
    Stopped,
}

impl FixtureStatus {
    /// The wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            FixtureStatus::Any => "ANY",
            FixtureStatus::Starting => "STARTING",
            FixtureStatus::Inprogress => "INPROGRESS",
            FixtureStatus::Completed => "COMPLETED",
            FixtureStatus::Failed => "FAILED",
            FixtureStatus::Stopping => "STOPPING",
            FixtureStatus::Stopped => "STOPPED",
        }
    }

    /// Whether the status never changes again.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            FixtureStatus::Completed | FixtureStatus::Failed | FixtureStatus::Stopped
        )
    }
}

/// A target platform for a fixture.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Platform {
    /// ANDROID or LINUX.
    pub os: String,
    /// X86_64, X86, ARM64, ARM_EABI or ARM_EABIHF.
    pub arch: String,
    /// INTEL_GRAPHICS, MALI, NVIDIA or NNA.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accelerator: Option<String>,
}

// Loading checks the "exactly one" and makes it a `model::Step`.
/// One step: exactly one of `call`, `paginate` and `wait`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// A name later steps use in references (`${id.NextToken}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Send one request to this operation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call: Option<String>,
    /// Send ListCompilationJobs and follow NextToken to the end, keeping every page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paginate: Option<String>,
    /// Wait until a fixture reaches a status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait: Option<Wait>,
    /// The request body as JSON (a TOML table). Strings may hold references:
    /// `${alias}` (a fixture's real name), `${alias.CreationTime}` or
    /// `${alias.LastModifiedTime}` (epoch seconds, optionally `+0.001` or `-1`),
    /// `${alias.upper}` (the real name in upper case), `${step.NextToken}` (from an
    /// earlier step's last answer), `${prefix}` (the run's name prefix) and
    /// `${profile.role}`, `${profile.model}`, `${profile.failing_model}`,
    /// `${profile.output}` (what the target's profile supplies for a Create). A string
    /// that is exactly one reference becomes the referenced value, number or string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<BTreeMap<String, Value>>")]
    pub request: Option<toml::Table>,
    /// The request body as raw text instead (for malformed JSON); references apply too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_body: Option<String>,
    /// Send this `X-Amz-Target` instead of `SageMaker.<operation>`; "" sends none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_header: Option<String>,
    /// Facts that must hold.
    #[serde(default)]
    pub expect: Expect,
}

/// A wait for a fixture's status.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Wait {
    /// The fixture's alias.
    pub fixture: String,
    /// The status to wait for.
    pub status: FixtureStatus,
}

/// Hand-written facts about a step's answer. Names are fixture aliases; a job that is
/// not one of the scenario's fixtures shows as `<other>`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// HTTP status (default: 200 unless `error` is given, then 400).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Error code (`__type`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The exact error message; references apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Job names in order: of the one answer, or of all pages joined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub names: Option<Vec<String>>,
    /// Names page by page (paginate steps).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages: Option<Vec<Vec<String>>>,
    /// Whether the answer carries a NextToken (call steps).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<bool>,
    /// Order and equality facts between times, each `LEFT OP RIGHT` with OP one of `<`,
    /// `<=`, `==`, `!=`, `>=`, `>`; a side is a member of the answer by dotted path
    /// (`LastModifiedTime`, `CompilationJobSummaries.0.CreationTime`) or one reference
    /// (`${alpha.LastModifiedTime}`). Snapshots name times by job and member, so a
    /// relation the scenario depends on is stated here and checked on every target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<Vec<String>>,
    /// Members of the answer by dotted path (`CompilationJobStatus`,
    /// `CompilationJobSummaries.0.CompilationTargetDevice`), compared after references
    /// are resolved; the string `<absent>` means the member must not be there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<BTreeMap<String, Value>>")]
    pub fields: Option<toml::Table>,
}

impl Expect {
    /// Whether no fact is stated.
    pub fn is_empty(&self) -> bool {
        self.status.is_none()
            && self.error.is_none()
            && self.message.is_none()
            && self.names.is_none()
            && self.pages.is_none()
            && self.token.is_none()
            && self.times.is_none()
            && self.fields.is_none()
    }
}
