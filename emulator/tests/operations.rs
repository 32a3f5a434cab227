//! The operations' service rules: names, ARNs, not-found, stop and delete by status,
//! the concurrent-job limit, regions, and reset (fidelity rows F8-F10, F15, F16, F22).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use cjh_emulator::Emulator;
use cjh_emulator::{self, RequestHeaders};
use cjh_emulator::{ArnCase, Millis, NotFound};
use common::{create, create_body, describe, err, named, names, ok, status};
use serde_json::json;

fn manual() -> Emulator {
    Emulator::builder()
        .manual_clock_at(Millis(1_700_000_000_000))
        .build()
}

fn advance(emulator: &Emulator, secs: u64) {
    emulator.advance_clock(Duration::from_secs(secs)).unwrap();
}

#[test]
fn the_arn_names_region_account_and_the_lower_cased_name() {
    let emulator = manual();
    let created = ok(&emulator, "CreateCompilationJob", &create_body("My-Job-1"));
    assert_eq!(
        created["CompilationJobArn"],
        "arn:aws:sagemaker:us-east-1:000000000000:compilation-job/my-job-1"
    );
    assert_eq!(
        describe(&emulator, "My-Job-1")["CompilationJobName"],
        "My-Job-1"
    );
}

#[test]
fn the_arn_can_keep_the_name_as_created() {
    let emulator = Emulator::builder().arn_case(ArnCase::Preserve).build();
    let created = ok(&emulator, "CreateCompilationJob", &create_body("My-Job"));
    assert_eq!(
        created["CompilationJobArn"],
        "arn:aws:sagemaker:us-east-1:000000000000:compilation-job/My-Job"
    );
}

#[test]
fn a_name_that_differs_only_in_case_is_in_use() {
    let emulator = manual();
    create(&emulator, "Alpha");
    let message = err(
        &emulator,
        "CreateCompilationJob",
        &create_body("aLPHA"),
        "ResourceInUse",
    );
    assert_eq!(
        message,
        "Compilation job names must be unique within an AWS account and region, and a compilation job with this name already exists (arn:aws:sagemaker:us-east-1:000000000000:compilation-job/alpha)"
    );
    assert_eq!(describe(&emulator, "ALPHA")["CompilationJobName"], "Alpha");
}

#[test]
fn a_deleted_name_can_be_used_again() {
    let emulator = manual();
    create(&emulator, "again");
    advance(&emulator, 10);
    ok(&emulator, "DeleteCompilationJob", &named("again"));
    create(&emulator, "again");
    assert_eq!(status(&emulator, "again"), "STARTING");
}

#[test]
fn an_unknown_job_is_a_validation_exception_on_describe_stop_and_delete() {
    let emulator = manual();
    for operation in [
        "DescribeCompilationJob",
        "StopCompilationJob",
        "DeleteCompilationJob",
    ] {
        let message = err(&emulator, operation, &named("ghost"), "ValidationException");
        assert_eq!(
            message, "Could not find compilation job 'ghost'.",
            "{operation}"
        );
    }
}

#[test]
fn an_unknown_job_can_be_the_modeled_resource_not_found_instead() {
    let emulator = Emulator::builder()
        .not_found(NotFound::ResourceNotFound)
        .build();
    for operation in [
        "DescribeCompilationJob",
        "StopCompilationJob",
        "DeleteCompilationJob",
    ] {
        let message = err(&emulator, operation, &named("ghost"), "ResourceNotFound");
        assert_eq!(
            message, "Could not find compilation job 'ghost'.",
            "{operation}"
        );
    }
}

#[test]
fn stop_is_refused_in_stopping_and_every_terminal_status() {
    let emulator = manual();
    create(&emulator, "stopping");
    ok(&emulator, "StopCompilationJob", &named("stopping"));
    let message = err(
        &emulator,
        "StopCompilationJob",
        &named("stopping"),
        "ValidationException",
    );
    assert_eq!(
        message,
        "The request was rejected because the compilation job is in status STOPPING."
    );
    advance(&emulator, 1);
    let message = err(
        &emulator,
        "StopCompilationJob",
        &named("stopping"),
        "ValidationException",
    );
    assert!(message.ends_with("in status STOPPED."), "{message}");

    create(&emulator, "completed");
    let mut failing = create_body("failed");
    failing["InputConfig"]["S3Uri"] = json!("s3://bucket/model.zip");
    ok(&emulator, "CreateCompilationJob", &failing);
    advance(&emulator, 10);
    for (name, status) in [("completed", "COMPLETED"), ("failed", "FAILED")] {
        let message = err(
            &emulator,
            "StopCompilationJob",
            &named(name),
            "ValidationException",
        );
        assert_eq!(
            message,
            format!("The request was rejected because the compilation job is in status {status}.")
        );
    }
}

#[test]
fn delete_is_refused_until_the_job_is_completed_failed_or_stopped() {
    let emulator = manual();
    create(&emulator, "job");
    let message = err(
        &emulator,
        "DeleteCompilationJob",
        &named("job"),
        "ValidationException",
    );
    assert_eq!(
        message,
        "The compilation job 'job' cannot be deleted because it is in status STARTING. Only jobs in status COMPLETED, FAILED or STOPPED can be deleted."
    );
    advance(&emulator, 1);
    let message = err(
        &emulator,
        "DeleteCompilationJob",
        &named("job"),
        "ValidationException",
    );
    assert!(message.contains("in status INPROGRESS."), "{message}");
    ok(&emulator, "StopCompilationJob", &named("job"));
    let message = err(
        &emulator,
        "DeleteCompilationJob",
        &named("job"),
        "ValidationException",
    );
    assert!(message.contains("in status STOPPING."), "{message}");
    advance(&emulator, 1);
    let reply = emulator.call("DeleteCompilationJob", &named("job"));
    assert_eq!((reply.status, reply.body), (200, serde_json::Value::Null));
    err(
        &emulator,
        "DescribeCompilationJob",
        &named("job"),
        "ValidationException",
    );
}

#[test]
fn the_concurrent_job_limit_answers_resource_limit_exceeded_until_a_job_ends() {
    let emulator = Emulator::builder()
        .manual_clock_at(Millis(1_700_000_000_000))
        .max_concurrent_jobs(Some(2))
        .build();
    create(&emulator, "one");
    create(&emulator, "two");
    let message = err(
        &emulator,
        "CreateCompilationJob",
        &create_body("three"),
        "ResourceLimitExceeded",
    );
    assert_eq!(
        message,
        "The account-level service limit 'Number of concurrent compilation jobs' is 2 Jobs, with current utilization of 2 Jobs and a request delta of 1 Jobs. Please use AWS Service Quotas to request an increase for this quota."
    );
    advance(&emulator, 4);
    create(&emulator, "three");
}

#[test]
fn jobs_created_from_a_model_package_complete_and_show_the_package() {
    let emulator = manual();
    let mut body = create_body("pkg");
    body.as_object_mut().unwrap().remove("InputConfig");
    body["ModelPackageVersionArn"] =
        json!("arn:aws:sagemaker:us-east-1:123456789012:model-package/my-package/1");
    ok(&emulator, "CreateCompilationJob", &body);
    advance(&emulator, 4);
    let job = describe(&emulator, "pkg");
    assert_eq!(job["CompilationJobStatus"], "COMPLETED");
    assert_eq!(
        job["ModelPackageVersionArn"],
        body["ModelPackageVersionArn"]
    );
    assert!(job.get("InputConfig").is_none());
}

#[test]
fn a_target_platform_is_flattened_into_the_summary_and_gets_no_cloud_image() {
    let emulator = manual();
    let mut body = create_body("edge");
    body["OutputConfig"] = json!({
        "S3OutputLocation": "s3://bucket/out",
        "TargetPlatform": { "Os": "LINUX", "Arch": "ARM64", "Accelerator": "MALI" }
    });
    ok(&emulator, "CreateCompilationJob", &body);
    advance(&emulator, 2);
    assert!(describe(&emulator, "edge").get("InferenceImage").is_none());
    let page = ok(&emulator, "ListCompilationJobs", &json!({}));
    let summary = &page["CompilationJobSummaries"][0];
    assert_eq!(summary["CompilationTargetPlatformOs"], "LINUX");
    assert_eq!(summary["CompilationTargetPlatformArch"], "ARM64");
    assert_eq!(summary["CompilationTargetPlatformAccelerator"], "MALI");
    assert!(summary.get("CompilationTargetDevice").is_none());
}

#[test]
fn each_region_in_the_credential_scope_has_its_own_jobs_and_arns() {
    let emulator = manual();
    let signed = |region: &str| {
        format!(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/{region}/sagemaker/aws4_request, SignedHeaders=host, Signature=0"
        )
    };
    let call = |region: &str, target: &str, body: &serde_json::Value| {
        let auth = signed(region);
        let headers = RequestHeaders {
            target: Some(target),
            authorization: Some(&auth),
        };
        let answer =
            cjh_emulator::dispatch(emulator.service(), headers, body.to_string().as_bytes());
        assert_eq!(answer.status, 200);
        serde_json::from_slice::<serde_json::Value>(&answer.body).unwrap()
    };
    let created = call(
        "eu-west-1",
        "SageMaker.CreateCompilationJob",
        &create_body("regional"),
    );
    assert_eq!(
        created["CompilationJobArn"],
        "arn:aws:sagemaker:eu-west-1:000000000000:compilation-job/regional"
    );
    let elsewhere = call("us-west-2", "SageMaker.ListCompilationJobs", &json!({}));
    assert!(names(&elsewhere).is_empty());
    let here = call("eu-west-1", "SageMaker.ListCompilationJobs", &json!({}));
    assert_eq!(names(&here), ["regional"]);
}

#[test]
fn reset_forgets_every_job() {
    let emulator = manual();
    create(&emulator, "a");
    emulator.reset();
    let page = ok(&emulator, "ListCompilationJobs", &json!({}));
    assert!(names(&page).is_empty());
    create(&emulator, "a");
}

#[test]
fn every_answer_carries_a_fresh_request_id() {
    let emulator = manual();
    let a = emulator.call("ListCompilationJobs", &json!({}));
    let b = emulator.call("DescribeCompilationJob", &named("ghost"));
    for id in [&a.request_id, &b.request_id] {
        assert!(uuid_shaped(id), "{id}");
    }
    assert_ne!(a.request_id, b.request_id);
}

fn uuid_shaped(id: &str) -> bool {
    let groups: Vec<usize> = id.split('-').map(str::len).collect();
    groups == [8, 4, 4, 4, 12] && id.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
}
