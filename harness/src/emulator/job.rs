//! One compilation job: what was asked for, where it is in its lifecycle, and how
//! Describe and List show it.

use std::sync::Arc;

use serde_json::{Map, Value, json};

use crate::api::{CreateInput, InputConfig, JobStatus, OutputConfig, StoppingCondition, VpcConfig};

use super::time::Millis;

/// A stored job.
#[derive(Debug, Clone)]
pub(super) struct Job {
    /// The name as created (case preserved), shared with the indexes.
    pub name: Arc<str>,
    /// The job's ARN.
    pub arn: String,
    /// Creation order within its partition; the last tie-breaker nobody can see.
    pub seq: u64,
    /// The role.
    pub role_arn: String,
    /// The model package, when compiled from one.
    pub model_package_version_arn: Option<String>,
    /// The input model.
    pub input_config: Option<InputConfig>,
    /// Output and target.
    pub output_config: OutputConfig,
    /// Network settings.
    pub vpc_config: Option<VpcConfig>,
    /// Time limits as given.
    pub stopping_condition: StoppingCondition,
    /// The current status.
    pub status: JobStatus,
    /// When it was created, to the millisecond.
    pub creation_time: Millis,
    /// When its status last changed, whole seconds.
    pub last_modified_time: Millis,
    /// When compiling began, whole seconds.
    pub compilation_start_time: Option<Millis>,
    /// When it ended (completed, failed or stopped), whole seconds.
    pub compilation_end_time: Option<Millis>,
    /// Why it failed, when FAILED.
    pub failure_reason: Option<String>,
    /// When its next planned transition falls due, if it has one.
    pub due: Option<Millis>,
}

impl Job {
    /// A new job in STARTING, created at `now`.
    pub(super) fn new(input: CreateInput, arn: String, seq: u64, now: Millis) -> Job {
        Job {
            name: Arc::from(input.compilation_job_name),
            arn,
            seq,
            role_arn: input.role_arn,
            model_package_version_arn: input.model_package_version_arn,
            input_config: input.input_config,
            output_config: input.output_config,
            vpc_config: input.vpc_config,
            stopping_condition: input.stopping_condition,
            status: JobStatus::Starting,
            creation_time: now,
            last_modified_time: now.whole_second(),
            compilation_start_time: None,
            compilation_end_time: None,
            failure_reason: None,
            due: None,
        }
    }

    /// The DescribeCompilationJob body: model member order, members present by status as
    /// real responses show them (fidelity row F12).
    pub(super) fn describe(&self) -> Value {
        let mut out = Map::new();
        out.insert("CompilationJobName".into(), json!(&*self.name));
        out.insert("CompilationJobArn".into(), json!(self.arn));
        out.insert("CompilationJobStatus".into(), json!(self.status.as_str()));
        insert_time(
            &mut out,
            "CompilationStartTime",
            self.compilation_start_time,
        );
        insert_time(&mut out, "CompilationEndTime", self.compilation_end_time);
        out.insert(
            "StoppingCondition".into(),
            to_value(&self.stopping_condition),
        );
        if let Some(image) = self.inference_image() {
            out.insert("InferenceImage".into(), json!(image));
        }
        if let Some(arn) = &self.model_package_version_arn {
            out.insert("ModelPackageVersionArn".into(), json!(arn));
        }
        out.insert("CreationTime".into(), self.creation_time.to_json());
        out.insert("LastModifiedTime".into(), self.last_modified_time.to_json());
        if let Some(reason) = &self.failure_reason {
            out.insert("FailureReason".into(), json!(reason));
        }
        if self.status == JobStatus::Completed {
            out.insert(
                "ModelArtifacts".into(),
                json!({ "S3ModelArtifacts": self.artifact_uri() }),
            );
            out.insert(
                "ModelDigests".into(),
                json!({ "ArtifactDigest": self.artifact_digest() }),
            );
        }
        out.insert("RoleArn".into(), json!(self.role_arn));
        if let Some(input) = &self.input_config {
            out.insert("InputConfig".into(), to_value(input));
        }
        out.insert("OutputConfig".into(), to_value(&self.output_config));
        if let Some(vpc) = &self.vpc_config {
            out.insert("VpcConfig".into(), to_value(vpc));
        }
        if self.status == JobStatus::Completed
            && self
                .input_config
                .as_ref()
                .is_some_and(|c| c.data_input_config.is_none())
        {
            out.insert(
                "DerivedInformation".into(),
                json!({ "DerivedDataInputConfig": "{\"input0\": [1, 3, 224, 224]}" }),
            );
        }
        Value::Object(out)
    }

    /// The ListCompilationJobs summary: the target flattened into `CompilationTarget*`.
    pub(super) fn summary(&self) -> Value {
        let mut out = Map::new();
        out.insert("CompilationJobName".into(), json!(&*self.name));
        out.insert("CompilationJobArn".into(), json!(self.arn));
        out.insert("CreationTime".into(), self.creation_time.to_json());
        insert_time(
            &mut out,
            "CompilationStartTime",
            self.compilation_start_time,
        );
        insert_time(&mut out, "CompilationEndTime", self.compilation_end_time);
        if let Some(device) = &self.output_config.target_device {
            out.insert("CompilationTargetDevice".into(), json!(device));
        }
        if let Some(platform) = &self.output_config.target_platform {
            out.insert("CompilationTargetPlatformOs".into(), json!(platform.os));
            out.insert("CompilationTargetPlatformArch".into(), json!(platform.arch));
            if let Some(accelerator) = &platform.accelerator {
                out.insert(
                    "CompilationTargetPlatformAccelerator".into(),
                    json!(accelerator),
                );
            }
        }
        out.insert("LastModifiedTime".into(), self.last_modified_time.to_json());
        out.insert("CompilationJobStatus".into(), json!(self.status.as_str()));
        Value::Object(out)
    }

    /// The Neo image, shown from INPROGRESS on for cloud (`ml_*`) targets, as observed.
    fn inference_image(&self) -> Option<String> {
        let cloud = self
            .output_config
            .target_device
            .as_deref()
            .is_some_and(|d| d.starts_with("ml_"));
        let started = self.compilation_start_time.is_some();
        if !cloud || !started {
            return None;
        }
        let framework = self
            .input_config
            .as_ref()
            .map_or("model-package".to_owned(), |c| c.framework.to_lowercase());
        // arn:aws:sagemaker:<region>:<account>:compilation-job/<name>
        let mut parts = self.arn.split(':').skip(3);
        let (region, account) = (parts.next()?, parts.next()?);
        Some(format!(
            "{account}.dkr.ecr.{region}.amazonaws.com/{framework}-neo:latest"
        ))
    }

    /// Where a completed job's artifacts are: `<output>/<model base name>-<target>.tar.gz`.
    fn artifact_uri(&self) -> String {
        let base = self
            .input_config
            .as_ref()
            .and_then(|c| c.s3_uri.rsplit('/').next())
            .map(|file| file.trim_end_matches(".tar.gz").to_owned())
            .filter(|file| !file.is_empty())
            .unwrap_or_else(|| "model".to_owned());
        let target = match (
            &self.output_config.target_device,
            &self.output_config.target_platform,
        ) {
            (Some(device), _) => device.clone(),
            (None, Some(p)) => format!("{}_{}", p.os, p.arch).to_lowercase(),
            (None, None) => "target".to_owned(),
        };
        let location = self.output_config.s3_output_location.trim_end_matches('/');
        format!("{location}/{base}-{target}.tar.gz")
    }

    /// A stable digest-shaped value for a completed job (pattern `[\w:]+`). It stands in
    /// for the BLAKE2 hash of artifacts that do not exist here.
    fn artifact_digest(&self) -> String {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let mut out = String::new();
        for round in 0..4u8 {
            for byte in self.arn.bytes().chain([round]) {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
            out.push_str(&format!("{hash:016x}"));
        }
        out
    }
}

fn insert_time(out: &mut Map<String, Value>, key: &str, time: Option<Millis>) {
    if let Some(time) = time {
        out.insert(key.to_owned(), time.to_json());
    }
}

fn to_value<T: serde::Serialize>(value: &T) -> Value {
    // These types serialize only strings, integers, options and vectors; serde_json
    // cannot fail on them, so an empty object is a fallback that never shows.
    serde_json::to_value(value).unwrap_or_else(|_| Value::Object(Map::new()))
}
