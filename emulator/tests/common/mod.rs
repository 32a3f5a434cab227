//! Helpers shared by the in-process tests: a valid Create body and small call wrappers.

#![allow(dead_code, unreachable_pub, clippy::unwrap_used, clippy::expect_used)]

use cjh_emulator::{Emulator, Reply};
use serde_json::{Value, json};

/// A Create request that passes every constraint and rule; the model is a `.tar.gz`, so
/// the job completes.
pub fn create_body(name: &str) -> Value {
    json!({
        "CompilationJobName": name,
        "RoleArn": "arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole",
        "InputConfig": {
            "S3Uri": "s3://bucket/models/resnet.tar.gz",
            "Framework": "PYTORCH",
            "FrameworkVersion": "2.0",
            "DataInputConfig": "{\"input0\": [1, 3, 224, 224]}"
        },
        "OutputConfig": { "S3OutputLocation": "s3://bucket/out/", "TargetDevice": "ml_c5" },
        "StoppingCondition": { "MaxRuntimeInSeconds": 900 }
    })
}

/// The smallest valid Create request: an XGBOOST model (no FrameworkVersion) on a cloud
/// device; the validation tables start from it.
pub fn minimal_create_body(name: &str) -> Value {
    json!({
        "CompilationJobName": name,
        "RoleArn": "arn:aws:iam::123456789012:role/service-role/Role",
        "InputConfig": {
            "S3Uri": "s3://bucket/model.tar.gz",
            "Framework": "XGBOOST",
            "DataInputConfig": "{\"data\": [1, 4]}"
        },
        "OutputConfig": {"S3OutputLocation": "s3://bucket/out/", "TargetDevice": "ml_c5"},
        "StoppingCondition": {"MaxRuntimeInSeconds": 900}
    })
}

/// Calls and asserts success.
pub fn ok(emulator: &Emulator, operation: &str, body: &Value) -> Value {
    let reply = emulator.call(operation, body);
    assert_eq!(reply.status, 200, "{operation} failed: {}", reply.body);
    reply.body
}

/// Calls and asserts an error with this code; returns its message.
pub fn err(emulator: &Emulator, operation: &str, body: &Value, code: &str) -> String {
    let reply: Reply = emulator.call(operation, body);
    assert_eq!(
        reply.status, 400,
        "{operation} answered {}: {}",
        reply.status, reply.body
    );
    assert_eq!(reply.error_code(), Some(code), "{}", reply.body);
    reply.message().unwrap().to_owned()
}

/// Creates a job and asserts success.
pub fn create(emulator: &Emulator, name: &str) {
    ok(emulator, "CreateCompilationJob", &create_body(name));
}

/// The Describe body of a job.
pub fn describe(emulator: &Emulator, name: &str) -> Value {
    ok(
        emulator,
        "DescribeCompilationJob",
        &json!({ "CompilationJobName": name }),
    )
}

/// The status of a job.
pub fn status(emulator: &Emulator, name: &str) -> String {
    describe(emulator, name)["CompilationJobStatus"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Body with only the job name.
pub fn named(name: &str) -> Value {
    json!({ "CompilationJobName": name })
}

/// Names on one List page.
pub fn names(page: &Value) -> Vec<String> {
    page["CompilationJobSummaries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["CompilationJobName"].as_str().unwrap().to_owned())
        .collect()
}

/// The SDK's Create for `name` with the members of [`minimal_create_body`]; a caller may
/// set any member again to override it before `send()`.
pub fn sdk_create(
    client: &aws_sdk_sagemaker::Client,
    name: &str,
) -> aws_sdk_sagemaker::operation::create_compilation_job::builders::CreateCompilationJobFluentBuilder
{
    use aws_sdk_sagemaker::types::{
        Framework, InputConfig, OutputConfig, StoppingCondition, TargetDevice,
    };
    client
        .create_compilation_job()
        .compilation_job_name(name)
        .role_arn("arn:aws:iam::123456789012:role/service-role/Role")
        .input_config(
            InputConfig::builder()
                .s3_uri("s3://bucket/model.tar.gz")
                .framework(Framework::Xgboost)
                .data_input_config(r#"{"data": [1, 4]}"#)
                .build(),
        )
        .output_config(
            OutputConfig::builder()
                .s3_output_location("s3://bucket/out/")
                .target_device(TargetDevice::MlC5)
                .build(),
        )
        .stopping_condition(
            StoppingCondition::builder()
                .max_runtime_in_seconds(900)
                .build(),
        )
}

/// An SDK configuration for an endpoint on loopback: static credentials, the region, and
/// plain HTTP; a caller may add to it (a retry policy) before `build()`.
pub fn sdk_config(
    url: &str,
    region: &str,
    key: &str,
    secret: &str,
) -> aws_sdk_sagemaker::config::Builder {
    use aws_sdk_sagemaker::config::{BehaviorVersion, Credentials, Region};
    aws_sdk_sagemaker::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region.to_owned()))
        .credentials_provider(Credentials::new(key, secret, None, None, "test"))
        .endpoint_url(url)
        .http_client(aws_smithy_http_client::Builder::new().build_http())
}
