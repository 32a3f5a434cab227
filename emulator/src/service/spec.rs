//! What a job was created with, stored compactly.
//!
//! A store of a million jobs must stay small, and most of a job's request repeats across
//! the jobs of an account: the role, the output location, the framework, the target, the
//! input shapes. Such values are interned per partition and shared; values that are
//! usually unique (the model's S3 URI, the name) are stored once per job, and members
//! that few jobs use (VPC, target platform, compiler options, KMS key, model package)
//! sit behind one optional box. Describe renders it all back in model member order.

use std::collections::HashSet;
use std::sync::Arc;

use serde_json::{Map, Value, json};

use crate::api::{CreateInput, TargetPlatform, VpcConfig};

/// Shares equal strings between the jobs of a partition. Entries stay for the life of
/// the partition; they are bounded by the number of distinct values, not of jobs.
#[derive(Debug, Default)]
pub(super) struct Interner {
    values: HashSet<Arc<str>>,
}

impl Interner {
    /// The shared copy of `value`.
    pub(super) fn intern(&mut self, value: &str) -> Arc<str> {
        if let Some(shared) = self.values.get(value) {
            return Arc::clone(shared);
        }
        let shared: Arc<str> = Arc::from(value);
        self.values.insert(Arc::clone(&shared));
        shared
    }
}

/// The request a job was created with, minus its name.
#[derive(Debug, Clone)]
pub(super) struct JobSpec {
    /// `arn:aws:sagemaker:<region>:<account>:compilation-job/`.
    pub(super) arn_prefix: Arc<str>,
    pub(super) role_arn: Arc<str>,
    pub(super) input: Option<StoredInput>,
    pub(super) output_location: Arc<str>,
    pub(super) target_device: Option<Arc<str>>,
    pub(super) stopping: [Option<i32>; 3],
    pub(super) extras: Option<Box<Extras>>,
}

/// InputConfig.
#[derive(Debug, Clone)]
pub(super) struct StoredInput {
    pub(super) s3_uri: Box<str>,
    pub(super) data_input_config: Option<Arc<str>>,
    pub(super) framework: Arc<str>,
    pub(super) framework_version: Option<Arc<str>>,
}

/// Members few jobs use.
#[derive(Debug, Clone, Default)]
pub(super) struct Extras {
    pub(super) model_package_version_arn: Option<Arc<str>>,
    pub(super) target_platform: Option<TargetPlatform>,
    pub(super) compiler_options: Option<Arc<str>>,
    pub(super) kms_key_id: Option<Arc<str>>,
    pub(super) vpc_config: Option<VpcConfig>,
}

impl JobSpec {
    /// Stores a validated Create input; returns the name apart, as the store keys on it.
    pub(super) fn store(
        input: CreateInput,
        arn_prefix: Arc<str>,
        interner: &mut Interner,
    ) -> (Arc<str>, JobSpec) {
        let mut intern = |s: &str| interner.intern(s);
        let stored_input = input.input_config.map(|c| StoredInput {
            s3_uri: c.s3_uri.into_boxed_str(),
            data_input_config: c.data_input_config.as_deref().map(&mut intern),
            framework: intern(&c.framework),
            framework_version: c.framework_version.as_deref().map(&mut intern),
        });
        let output = input.output_config;
        let extras = Extras {
            model_package_version_arn: input.model_package_version_arn.as_deref().map(&mut intern),
            target_platform: output.target_platform,
            compiler_options: output.compiler_options.as_deref().map(&mut intern),
            kms_key_id: output.kms_key_id.as_deref().map(&mut intern),
            vpc_config: input.vpc_config,
        };
        let has_extras = extras.model_package_version_arn.is_some()
            || extras.target_platform.is_some()
            || extras.compiler_options.is_some()
            || extras.kms_key_id.is_some()
            || extras.vpc_config.is_some();
        let small = |v: Option<i64>| v.and_then(|v| i32::try_from(v).ok());
        let stopping = input.stopping_condition;
        let spec = JobSpec {
            arn_prefix,
            role_arn: intern(&input.role_arn),
            input: stored_input,
            output_location: intern(&output.s3_output_location),
            target_device: output.target_device.as_deref().map(&mut intern),
            stopping: [
                small(stopping.max_runtime_in_seconds),
                small(stopping.max_wait_time_in_seconds),
                small(stopping.max_pending_time_in_seconds),
            ],
            extras: has_extras.then(|| Box::new(extras)),
        };
        (Arc::from(input.compilation_job_name), spec)
    }

    fn extras(&self) -> Option<&Extras> {
        self.extras.as_deref()
    }

    /// MaxRuntimeInSeconds, if given.
    pub(super) fn max_runtime(&self) -> Option<i32> {
        self.stopping[0]
    }

    /// The model package, if the job compiles one.
    pub(super) fn model_package(&self) -> Option<&str> {
        self.extras()?.model_package_version_arn.as_deref()
    }

    /// The target platform, if the job names one instead of a device.
    pub(super) fn target_platform(&self) -> Option<&TargetPlatform> {
        self.extras()?.target_platform.as_ref()
    }

    /// `StoppingCondition` as given.
    pub(super) fn stopping_json(&self) -> Value {
        let mut out = Map::new();
        let names = [
            "MaxRuntimeInSeconds",
            "MaxWaitTimeInSeconds",
            "MaxPendingTimeInSeconds",
        ];
        for (name, value) in names.into_iter().zip(self.stopping) {
            if let Some(value) = value {
                out.insert(name.into(), json!(value));
            }
        }
        Value::Object(out)
    }

    /// `InputConfig` as given, in model member order.
    pub(super) fn input_json(&self) -> Option<Value> {
        let input = self.input.as_ref()?;
        let mut out = Map::new();
        out.insert("S3Uri".into(), json!(&*input.s3_uri));
        if let Some(v) = &input.data_input_config {
            out.insert("DataInputConfig".into(), json!(&**v));
        }
        out.insert("Framework".into(), json!(&*input.framework));
        if let Some(v) = &input.framework_version {
            out.insert("FrameworkVersion".into(), json!(&**v));
        }
        Some(Value::Object(out))
    }

    /// `OutputConfig` as given, in model member order.
    pub(super) fn output_json(&self) -> Value {
        let mut out = Map::new();
        out.insert("S3OutputLocation".into(), json!(&*self.output_location));
        if let Some(device) = &self.target_device {
            out.insert("TargetDevice".into(), json!(&**device));
        }
        if let Some(extras) = self.extras() {
            if let Some(platform) = &extras.target_platform {
                let mut p = Map::new();
                p.insert("Os".into(), json!(platform.os));
                p.insert("Arch".into(), json!(platform.arch));
                if let Some(accelerator) = &platform.accelerator {
                    p.insert("Accelerator".into(), json!(accelerator));
                }
                out.insert("TargetPlatform".into(), Value::Object(p));
            }
            if let Some(v) = &extras.compiler_options {
                out.insert("CompilerOptions".into(), json!(&**v));
            }
            if let Some(v) = &extras.kms_key_id {
                out.insert("KmsKeyId".into(), json!(&**v));
            }
        }
        Value::Object(out)
    }

    /// `VpcConfig`, if given.
    pub(super) fn vpc_json(&self) -> Option<Value> {
        let vpc = self.extras()?.vpc_config.as_ref()?;
        Some(json!({ "SecurityGroupIds": vpc.security_group_ids, "Subnets": vpc.subnets }))
    }
}
