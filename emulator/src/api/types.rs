//! Typed inputs and the enums the service logic branches on.
//!
//! These are read from a body only after `validate` has accepted it, so serde's view of
//! the shapes never has to produce AWS's error texts: those come from the model walk.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

/// A job's status, with its wire spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum JobStatus {
    // Declared in the order of their wire strings, so the derived `Ord` is the
    // enum-string order that SortBy=Status uses (fidelity row F5).
    /// Compiled successfully.
    Completed,
    /// Compilation failed.
    Failed,
    /// Compiling.
    #[serde(rename = "INPROGRESS")]
    InProgress,
    /// Accepted, waiting for compilation resources.
    Starting,
    /// Stopped on request.
    Stopped,
    /// A stop was requested and is under way.
    Stopping,
}

impl JobStatus {
    /// Every status, in the order of their wire strings.
    pub const ALL: [JobStatus; 6] = [
        JobStatus::Completed,
        JobStatus::Failed,
        JobStatus::InProgress,
        JobStatus::Starting,
        JobStatus::Stopped,
        JobStatus::Stopping,
    ];

    /// The wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Completed => "COMPLETED",
            JobStatus::Failed => "FAILED",
            JobStatus::InProgress => "INPROGRESS",
            JobStatus::Starting => "STARTING",
            JobStatus::Stopped => "STOPPED",
            JobStatus::Stopping => "STOPPING",
        }
    }

    /// Whether the job will not change status again.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            JobStatus::Completed | JobStatus::Failed | JobStatus::Stopped
        )
    }
}

impl fmt::Display for JobStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `ListCompilationJobs` sort key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum SortBy {
    /// By name, byte order.
    Name,
    /// By creation time (the documented default).
    #[default]
    CreationTime,
    /// By status string, then creation time, then name.
    Status,
}

/// `ListCompilationJobs` sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum SortOrder {
    /// Smallest first (the documented default).
    #[default]
    Ascending,
    /// Largest first.
    Descending,
}

/// Input of `CreateCompilationJob`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateInput {
    /// The job's name, unique per account and region regardless of case.
    pub compilation_job_name: String,
    /// The IAM role the job would assume.
    pub role_arn: String,
    /// A model package to compile, instead of `InputConfig`.
    pub model_package_version_arn: Option<String>,
    /// Where the model is and what it is.
    pub input_config: Option<InputConfig>,
    /// Where the compiled model goes and what it targets.
    pub output_config: OutputConfig,
    /// Network settings for the compilation.
    pub vpc_config: Option<VpcConfig>,
    /// Time limits.
    pub stopping_condition: StoppingCondition,
    /// Tags, kept with the job for ListTags and the tagging API.
    pub tags: Option<Vec<Tag>>,
}

/// The model input, echoed by Describe in model member order.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InputConfig {
    /// The model archive.
    #[serde(rename = "S3Uri")]
    pub s3_uri: String,
    /// Input names and shapes, a JSON text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_input_config: Option<String>,
    /// The framework the model was trained in.
    pub framework: String,
    /// The framework version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub framework_version: Option<String>,
}

/// The compilation output settings, echoed by Describe.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OutputConfig {
    /// Where the compiled artifacts go.
    pub s3_output_location: String,
    /// A named target device.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_device: Option<String>,
    /// A described target platform.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_platform: Option<TargetPlatform>,
    /// Compiler options, a JSON text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compiler_options: Option<String>,
    /// The KMS key for the artifacts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
}

/// A target platform: OS, architecture and optional accelerator.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TargetPlatform {
    /// Operating system.
    pub os: String,
    /// CPU architecture.
    pub arch: String,
    /// Accelerator, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accelerator: Option<String>,
}

/// VPC settings, echoed by Describe.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpcConfig {
    /// Security group ids.
    pub security_group_ids: Vec<String>,
    /// Subnet ids.
    pub subnets: Vec<String>,
}

/// Time limits, echoed by Describe as given.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StoppingCondition {
    /// Longest compile time before the job fails with a timeout.
    #[serde(default, deserialize_with = "whole_number")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_runtime_in_seconds: Option<i64>,
    /// Spot wait limit (a training-job member of the shared shape).
    #[serde(default, deserialize_with = "whole_number")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_wait_time_in_seconds: Option<i64>,
    /// Longest pending time.
    #[serde(default, deserialize_with = "whole_number")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_pending_time_in_seconds: Option<i64>,
}

/// A key-value tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Tag {
    /// Tag key.
    pub key: String,
    /// Tag value.
    pub value: String,
}

/// Input of Describe, Stop and Delete: just the name.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct JobNameInput {
    /// The job's name.
    pub compilation_job_name: String,
}

/// Input of `ListCompilationJobs`. Times are epoch seconds as sent.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListInput {
    /// A token from an earlier page.
    pub next_token: Option<String>,
    /// Page size, 1-100.
    #[serde(default, deserialize_with = "whole_number")]
    pub max_results: Option<i64>,
    /// Lower bound on CreationTime.
    pub creation_time_after: Option<f64>,
    /// Upper bound on CreationTime.
    pub creation_time_before: Option<f64>,
    /// Lower bound on LastModifiedTime.
    pub last_modified_time_after: Option<f64>,
    /// Upper bound on LastModifiedTime.
    pub last_modified_time_before: Option<f64>,
    /// Substring of the name.
    pub name_contains: Option<String>,
    /// Only this status.
    pub status_equals: Option<JobStatus>,
    /// Sort key.
    pub sort_by: Option<SortBy>,
    /// Sort direction.
    pub sort_order: Option<SortOrder>,
}

/// Reads an integer member the way `validate` accepted it: a JSON integer, or a number
/// with no fractional part such as `5.0` or `1e2`. Without this, serde refuses a float
/// for an `i64` after validation has passed it, answering with its own text.
fn whole_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    let Some(number) = Option::<serde_json::Number>::deserialize(deserializer)? else {
        return Ok(None);
    };
    let whole = number.as_i64().or_else(|| {
        number
            .as_f64()
            .filter(|f| f.fract() == 0.0 && f.abs() < 1e15)
            .map(|f| f as i64)
    });
    whole
        .map(Some)
        .ok_or_else(|| serde::de::Error::custom(format!("{number} is not a whole number")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_members_read_whole_floats_as_validation_accepts_them() {
        let input: ListInput =
            serde_json::from_value(serde_json::json!({"MaxResults": 5.0})).unwrap_or_default();
        assert_eq!(input.max_results, Some(5));
        let fractional =
            serde_json::from_value::<ListInput>(serde_json::json!({"MaxResults": 1.5}));
        assert!(fractional.is_err());
        let condition: StoppingCondition =
            serde_json::from_value(serde_json::json!({"MaxRuntimeInSeconds": 9e2}))
                .unwrap_or_default();
        assert_eq!(condition.max_runtime_in_seconds, Some(900));
    }

    #[test]
    fn status_order_is_the_order_of_the_wire_strings() {
        let mut all = [
            JobStatus::Stopping,
            JobStatus::Starting,
            JobStatus::InProgress,
            JobStatus::Stopped,
            JobStatus::Failed,
            JobStatus::Completed,
        ];
        all.sort();
        let strings: Vec<&str> = all.iter().map(|s| s.as_str()).collect();
        let mut sorted = strings.clone();
        sorted.sort();
        assert_eq!(strings, sorted);
    }
}
