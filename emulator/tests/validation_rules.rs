//! The cross-member rules of CreateCompilationJob (`api/rules.rs`), each on both sides:
//! broken, the exact ValidationException message; kept, a 200. Rules run only after every
//! model constraint passed, in a fixed order, and the first broken rule is reported alone.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use cjh_emulator::Emulator;
use serde_json::{Value, json};

const MODEL_PACKAGE: &str = "arn:aws:sagemaker:us-east-1:123456789012:model-package/pkg/1";

/// Creates with `body` on a fresh emulator and expects success.
fn accepted(body: &Value) {
    let emulator = Emulator::builder().build();
    let reply = emulator.call("CreateCompilationJob", body);
    assert_eq!(reply.status, 200, "{:?}", reply.message());
    assert!(
        reply.body["CompilationJobArn"].is_string(),
        "{}",
        reply.body
    );
}

/// Creates with `body` on a fresh emulator and expects exactly this ValidationException,
/// with no job left behind.
fn rejected(body: &Value, message: &str) {
    let emulator = Emulator::builder().build();
    let reply = emulator.call("CreateCompilationJob", body);
    assert_eq!(reply.status, 400, "{}", reply.body);
    assert_eq!(reply.error_code(), Some("ValidationException"));
    assert_eq!(reply.message(), Some(message));
    let listed = emulator.call("ListCompilationJobs", &json!({}));
    assert_eq!(listed.body["CompilationJobSummaries"], json!([]));
}

const BOTH_INPUTS: &str =
    "InputConfig and ModelPackageVersionArn are mutually exclusive; specify only one of them.";
const NO_INPUT: &str = "Either InputConfig or ModelPackageVersionArn must be specified.";
const BOTH_TARGETS: &str = "TargetDevice and TargetPlatform are mutually exclusive; specify only one of them in OutputConfig.";
const NO_TARGET: &str = "Either TargetDevice or TargetPlatform must be specified in OutputConfig.";
const NVIDIA: &str =
    "CompilerOptions must be specified in OutputConfig when TargetPlatform.Accelerator is NVIDIA.";
const RUNTIME: &str =
    "StoppingCondition.MaxRuntimeInSeconds must be less than or equal to 2419200 (28 days).";

fn unversioned(framework: &str) -> String {
    format!(
        "FrameworkVersion is only supported for the MXNET, PYTORCH, TENSORFLOW and TFLITE \
         frameworks, not {framework}."
    )
}

// ---- InputConfig xor ModelPackageVersionArn ----

#[test]
fn input_config_and_a_model_package_together_are_rejected() {
    let mut body = common::minimal_create_body("job-1");
    body["ModelPackageVersionArn"] = json!(MODEL_PACKAGE);
    rejected(&body, BOTH_INPUTS);
}

#[test]
fn neither_input_config_nor_a_model_package_is_rejected() {
    let mut body = common::minimal_create_body("job-1");
    body.as_object_mut().unwrap().remove("InputConfig");
    rejected(&body, NO_INPUT);
}

#[test]
fn input_config_alone_or_a_model_package_alone_is_accepted() {
    accepted(&common::minimal_create_body("job-1"));
    let mut body = common::minimal_create_body("job-1");
    body.as_object_mut().unwrap().remove("InputConfig");
    body["ModelPackageVersionArn"] = json!(MODEL_PACKAGE);
    accepted(&body);
}

// ---- TargetDevice xor TargetPlatform ----

#[test]
fn a_target_device_and_a_target_platform_together_are_rejected() {
    let mut body = common::minimal_create_body("job-1");
    body["OutputConfig"]["TargetPlatform"] = json!({"Os": "LINUX", "Arch": "ARM64"});
    rejected(&body, BOTH_TARGETS);
}

#[test]
fn neither_a_target_device_nor_a_target_platform_is_rejected() {
    let mut body = common::minimal_create_body("job-1");
    body["OutputConfig"]
        .as_object_mut()
        .unwrap()
        .remove("TargetDevice");
    rejected(&body, NO_TARGET);
}

#[test]
fn a_target_device_alone_or_a_target_platform_alone_is_accepted() {
    accepted(&common::minimal_create_body("job-1"));
    let mut body = common::minimal_create_body("job-1");
    body["OutputConfig"] = json!({
        "S3OutputLocation": "s3://bucket/out/",
        "TargetPlatform": {"Os": "LINUX", "Arch": "ARM64"}
    });
    accepted(&body);
}

// ---- NVIDIA needs CompilerOptions ----

fn platform(accelerator: &str, compiler_options: Option<&str>) -> Value {
    let mut body = common::minimal_create_body("job-1");
    body["OutputConfig"] = json!({
        "S3OutputLocation": "s3://bucket/out/",
        "TargetPlatform": {"Os": "LINUX", "Arch": "X86_64", "Accelerator": accelerator}
    });
    if let Some(options) = compiler_options {
        body["OutputConfig"]["CompilerOptions"] = json!(options);
    }
    body
}

#[test]
fn an_nvidia_accelerator_without_compiler_options_is_rejected() {
    rejected(&platform("NVIDIA", None), NVIDIA);
}

#[test]
fn an_nvidia_accelerator_with_compiler_options_is_accepted() {
    accepted(&platform(
        "NVIDIA",
        Some(r#"{"gpu-code": "sm_72", "trt-ver": "8.0", "cuda-ver": "11.0"}"#),
    ));
}

#[test]
fn other_accelerators_need_no_compiler_options() {
    for accelerator in ["INTEL_GRAPHICS", "MALI", "NNA"] {
        accepted(&platform(accelerator, None));
    }
}

// ---- FrameworkVersion only for MXNET, PYTORCH, TENSORFLOW and TFLITE ----

fn with_version(framework: &str, version: Option<&str>) -> Value {
    let mut body = common::minimal_create_body("job-1");
    body["InputConfig"]["Framework"] = json!(framework);
    if let Some(version) = version {
        body["InputConfig"]["FrameworkVersion"] = json!(version);
    }
    body
}

#[test]
fn a_framework_version_for_the_four_versioned_frameworks_is_accepted() {
    for framework in ["MXNET", "PYTORCH", "TENSORFLOW", "TFLITE"] {
        accepted(&with_version(framework, Some("1.8")));
    }
}

#[test]
fn a_framework_version_for_any_other_framework_is_rejected_naming_it() {
    for framework in ["KERAS", "ONNX", "XGBOOST", "DARKNET", "SKLEARN"] {
        rejected(
            &with_version(framework, Some("1.8")),
            &unversioned(framework),
        );
    }
}

#[test]
fn the_other_frameworks_without_a_version_are_accepted() {
    for framework in ["KERAS", "ONNX", "XGBOOST", "DARKNET", "SKLEARN"] {
        accepted(&with_version(framework, None));
    }
}

// ---- MaxRuntimeInSeconds at most 28 days ----

fn runtime(seconds: i64) -> Value {
    let mut body = common::minimal_create_body("job-1");
    body["StoppingCondition"]["MaxRuntimeInSeconds"] = json!(seconds);
    body
}

#[test]
fn a_maximum_runtime_of_exactly_28_days_is_accepted() {
    accepted(&runtime(2_419_200));
}

#[test]
fn a_maximum_runtime_one_second_over_28_days_is_rejected() {
    rejected(&runtime(2_419_201), RUNTIME);
}

#[test]
fn the_largest_32_bit_maximum_runtime_is_rejected_by_the_rule() {
    rejected(&runtime(i64::from(i32::MAX)), RUNTIME);
}

// ---- Order: constraints first, then the rules in a fixed order, one reported ----

#[test]
fn a_constraint_violation_is_reported_instead_of_a_broken_rule() {
    let mut body = common::minimal_create_body("job-1");
    body["ModelPackageVersionArn"] = json!(MODEL_PACKAGE);
    body["CompilationJobName"] = json!("bad_name");
    rejected(
        &body,
        "1 validation error detected: Value 'bad_name' at 'compilationJobName' failed to \
         satisfy constraint: Member must satisfy regular expression pattern: \
         [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}",
    );

    let mut body = runtime(2_419_201);
    body["StoppingCondition"]["MaxPendingTimeInSeconds"] = json!(60);
    body["OutputConfig"]
        .as_object_mut()
        .unwrap()
        .remove("TargetDevice");
    rejected(
        &body,
        "1 validation error detected: Value '60' at 'stoppingCondition.maxPendingTimeInSeconds' \
         failed to satisfy constraint: Member must have value greater than or equal to 1800",
    );
}

#[test]
fn a_request_breaking_every_rule_reports_only_the_first() {
    // Both inputs, both targets with NVIDIA and no options, a version for XGBOOST, and a
    // runtime over 28 days: each fix uncovers the next rule.
    let mut body = common::minimal_create_body("job-1");
    body["ModelPackageVersionArn"] = json!(MODEL_PACKAGE);
    body["OutputConfig"]["TargetPlatform"] =
        json!({"Os": "LINUX", "Arch": "X86_64", "Accelerator": "NVIDIA"});
    body["InputConfig"]["FrameworkVersion"] = json!("1.8");
    body["StoppingCondition"]["MaxRuntimeInSeconds"] = json!(2_419_201);
    rejected(&body, BOTH_INPUTS);

    body.as_object_mut()
        .unwrap()
        .remove("ModelPackageVersionArn");
    rejected(&body, BOTH_TARGETS);

    body["OutputConfig"]
        .as_object_mut()
        .unwrap()
        .remove("TargetDevice");
    rejected(&body, NVIDIA);

    body["OutputConfig"]["CompilerOptions"] = json!("{\"gpu-code\": \"sm_72\"}");
    rejected(&body, &unversioned("XGBOOST"));

    body["InputConfig"]["Framework"] = json!("PYTORCH");
    rejected(&body, RUNTIME);

    body["StoppingCondition"]["MaxRuntimeInSeconds"] = json!(2_419_200);
    accepted(&body);
}
