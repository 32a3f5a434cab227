//! One compilation job: where it is in its lifecycle, and how Describe and List show it.

use std::sync::Arc;

use serde_json::{Map, Value, json};

use crate::api::{JobStatus, Tag};

use super::failure::Failure;
use super::spec::JobSpec;
use super::time::Millis;

/// A stored job.
#[derive(Debug, Clone)]
pub(super) struct Job {
    /// The name as created (case preserved), shared with the indexes.
    pub(super) name: Arc<str>,
    /// Creation order within its partition, to keep planned transitions apart.
    pub(super) seq: u64,
    /// The current status.
    pub(super) status: JobStatus,
    /// Whether the ARN shows the name in lower case (fidelity row F10).
    pub(super) arn_lower: bool,
    /// When it was created, to the millisecond.
    pub(super) creation_time: Millis,
    /// When its status last changed, whole seconds.
    pub(super) last_modified_time: Millis,
    /// When compiling began, whole seconds.
    pub(super) compilation_start_time: Option<Millis>,
    /// When it ended (completed, failed or stopped), whole seconds.
    pub(super) compilation_end_time: Option<Millis>,
    /// Why it failed, when FAILED.
    pub(super) failure: Option<Failure>,
    /// When its next planned transition falls due, if it has one.
    pub(super) due: Option<Millis>,
    /// What it was created with.
    pub(super) spec: JobSpec,
    /// Its tags, in the order they were first added (Create's, then AddTags'); changed
    /// by the tag operations, so kept apart from the spec.
    pub(super) tags: Box<[Tag]>,
}

impl Job {
    /// A new job in STARTING, created at `now`.
    pub(super) fn new(
        name: Arc<str>,
        spec: JobSpec,
        arn_lower: bool,
        seq: u64,
        now: Millis,
    ) -> Job {
        Job {
            name,
            seq,
            status: JobStatus::Starting,
            arn_lower,
            creation_time: now,
            last_modified_time: now.whole_second(),
            compilation_start_time: None,
            compilation_end_time: None,
            failure: None,
            due: None,
            spec,
            tags: Box::default(),
        }
    }

    /// The job's ARN.
    pub(super) fn arn(&self) -> String {
        let name = if self.arn_lower {
            self.name.to_ascii_lowercase()
        } else {
            self.name.to_string()
        };
        format!("{}{name}", self.spec.arn_prefix)
    }

    /// The DescribeCompilationJob body: model member order, members present by status as
    /// real responses show them (fidelity row F12).
    pub(super) fn describe(&self) -> Value {
        let spec = &self.spec;
        let mut out = Map::new();
        out.insert("CompilationJobName".into(), json!(&*self.name));
        out.insert("CompilationJobArn".into(), json!(self.arn()));
        out.insert("CompilationJobStatus".into(), json!(self.status.as_str()));
        insert_time(
            &mut out,
            "CompilationStartTime",
            self.compilation_start_time,
        );
        insert_time(&mut out, "CompilationEndTime", self.compilation_end_time);
        out.insert("StoppingCondition".into(), spec.stopping_json());
        if let Some(image) = self.inference_image() {
            out.insert("InferenceImage".into(), json!(image));
        }
        if let Some(arn) = spec.model_package() {
            out.insert("ModelPackageVersionArn".into(), json!(arn));
        }
        out.insert("CreationTime".into(), self.creation_time.to_json());
        out.insert("LastModifiedTime".into(), self.last_modified_time.to_json());
        if let Some(failure) = &self.failure {
            out.insert("FailureReason".into(), json!(failure.reason()));
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
        out.insert("RoleArn".into(), json!(&*spec.role_arn));
        if let Some(input) = spec.input_json() {
            out.insert("InputConfig".into(), input);
        }
        out.insert("OutputConfig".into(), spec.output_json());
        if let Some(vpc) = spec.vpc_json() {
            out.insert("VpcConfig".into(), vpc);
        }
        let nothing_given = spec
            .input
            .as_ref()
            .is_some_and(|i| i.data_input_config.is_none());
        if self.status == JobStatus::Completed && nothing_given {
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
        out.insert("CompilationJobArn".into(), json!(self.arn()));
        out.insert("CreationTime".into(), self.creation_time.to_json());
        insert_time(
            &mut out,
            "CompilationStartTime",
            self.compilation_start_time,
        );
        insert_time(&mut out, "CompilationEndTime", self.compilation_end_time);
        if let Some(device) = &self.spec.target_device {
            out.insert("CompilationTargetDevice".into(), json!(&**device));
        }
        if let Some(platform) = self.spec.target_platform() {
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
            .spec
            .target_device
            .as_deref()
            .is_some_and(|d| d.starts_with("ml_"));
        if !cloud || self.compilation_start_time.is_none() {
            return None;
        }
        let framework = self
            .spec
            .input
            .as_ref()
            .map_or("model-package".to_owned(), |i| i.framework.to_lowercase());
        // arn:aws:sagemaker:<region>:<account>:compilation-job/
        let mut parts = self.spec.arn_prefix.split(':').skip(3);
        let (region, account) = (parts.next()?, parts.next()?);
        Some(format!(
            "{account}.dkr.ecr.{region}.amazonaws.com/{framework}-neo:latest"
        ))
    }

    /// Where a completed job's artifacts are: `<output>/<model base name>-<target>.tar.gz`.
    fn artifact_uri(&self) -> String {
        let base = self
            .spec
            .input
            .as_ref()
            .and_then(|i| i.s3_uri.rsplit('/').next())
            .map(|file| file.trim_end_matches(".tar.gz").to_owned())
            .filter(|file| !file.is_empty())
            .unwrap_or_else(|| "model".to_owned());
        let target = match (&self.spec.target_device, self.spec.target_platform()) {
            (Some(device), _) => device.to_string(),
            (None, Some(p)) => format!("{}_{}", p.os, p.arch).to_lowercase(),
            (None, None) => "target".to_owned(),
        };
        let location = self.spec.output_location.trim_end_matches('/');
        format!("{location}/{base}-{target}.tar.gz")
    }

    /// A stable digest-shaped value for a completed job (pattern `[\w:]+`). It stands in
    /// for the BLAKE2 hash of artifacts that do not exist here.
    fn artifact_digest(&self) -> String {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let mut out = String::new();
        let arn = self.arn();
        for round in 0..4u8 {
            for byte in arn.bytes().chain([round]) {
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
