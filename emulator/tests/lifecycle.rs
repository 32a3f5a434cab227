//! The job lifecycle on a manual clock (fidelity rows F11, F12, F14): statuses, the times
//! that move with them, and the members Describe shows in each status.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use cjh_emulator::Emulator;
use cjh_emulator::Millis;
use common::{create, create_body, describe, ok, status};
use serde_json::json;

const T0: Millis = Millis(1_700_000_000_250);

fn manual() -> Emulator {
    Emulator::builder().manual_clock_at(T0).build()
}

fn advance(emulator: &Emulator, millis: u64) {
    emulator
        .advance_clock(Duration::from_millis(millis))
        .unwrap();
}

#[test]
fn a_new_job_is_starting_with_no_start_time_and_its_creation_to_the_millisecond() {
    let emulator = manual();
    create(&emulator, "job");
    let job = describe(&emulator, "job");
    assert_eq!(job["CompilationJobStatus"], "STARTING");
    assert_eq!(job["CreationTime"], json!(1_700_000_000.25));
    assert_eq!(job["LastModifiedTime"], json!(1_700_000_000));
    for absent in [
        "CompilationStartTime",
        "CompilationEndTime",
        "InferenceImage",
        "FailureReason",
        "ModelArtifacts",
    ] {
        assert!(job.get(absent).is_none(), "{absent} in {job}");
    }
}

#[test]
fn a_job_compiles_after_one_second_and_completes_three_seconds_later() {
    let emulator = manual();
    create(&emulator, "job");
    advance(&emulator, 999);
    assert_eq!(status(&emulator, "job"), "STARTING");
    advance(&emulator, 1);
    let running = describe(&emulator, "job");
    assert_eq!(running["CompilationJobStatus"], "INPROGRESS");
    assert_eq!(running["CompilationStartTime"], json!(1_700_000_001));
    assert_eq!(running["LastModifiedTime"], json!(1_700_000_001));
    assert!(
        running["InferenceImage"]
            .as_str()
            .unwrap()
            .ends_with("/pytorch-neo:latest")
    );

    advance(&emulator, 2_999);
    assert_eq!(status(&emulator, "job"), "INPROGRESS");
    advance(&emulator, 1);
    let done = describe(&emulator, "job");
    assert_eq!(done["CompilationJobStatus"], "COMPLETED");
    assert_eq!(done["CompilationEndTime"], json!(1_700_000_004));
    assert_eq!(done["LastModifiedTime"], json!(1_700_000_004));
    assert_eq!(
        done["ModelArtifacts"]["S3ModelArtifacts"],
        "s3://bucket/out/resnet-ml_c5.tar.gz"
    );
    let digest = done["ModelDigests"]["ArtifactDigest"].as_str().unwrap();
    assert!(
        !digest.is_empty()
            && digest
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == ':')
    );
    assert!(done.get("FailureReason").is_none());
    // DataInputConfig was given, so nothing was derived.
    assert!(done.get("DerivedInformation").is_none());
}

#[test]
fn a_completed_job_without_data_input_config_shows_derived_information() {
    let emulator = manual();
    let mut body = create_body("job");
    body["InputConfig"]
        .as_object_mut()
        .unwrap()
        .remove("DataInputConfig");
    ok(&emulator, "CreateCompilationJob", &body);
    advance(&emulator, 4_000);
    let done = describe(&emulator, "job");
    assert_eq!(done["CompilationJobStatus"], "COMPLETED");
    assert!(done["DerivedInformation"]["DerivedDataInputConfig"].is_string());
}

#[test]
fn a_job_that_outlasts_its_max_runtime_fails_with_a_timeout_when_the_runtime_ends() {
    let emulator = Emulator::builder()
        .manual_clock_at(T0)
        .compiling_secs(10.0)
        .build();
    let mut body = create_body("slow");
    body["StoppingCondition"] = json!({ "MaxRuntimeInSeconds": 2 });
    ok(&emulator, "CreateCompilationJob", &body);
    advance(&emulator, 2_999);
    assert_eq!(status(&emulator, "slow"), "INPROGRESS");
    advance(&emulator, 1);
    let failed = describe(&emulator, "slow");
    assert_eq!(failed["CompilationJobStatus"], "FAILED");
    assert_eq!(
        failed["FailureReason"],
        "ClientError: TimeOut: Compilation job exceeded the MaxRuntimeInSeconds of 2 seconds."
    );
}

#[test]
fn outcome_rules_can_be_switched_off() {
    let emulator = Emulator::builder()
        .manual_clock_at(T0)
        .fail_unless_tar_gz(false)
        .build();
    let mut body = create_body("csv");
    body["InputConfig"]["S3Uri"] = json!("s3://bucket/train.csv");
    ok(&emulator, "CreateCompilationJob", &body);
    advance(&emulator, 4_000);
    assert_eq!(status(&emulator, "csv"), "COMPLETED");
}

#[test]
fn fractional_durations_are_honoured_to_the_millisecond() {
    let emulator = Emulator::builder()
        .manual_clock_at(T0)
        .starting_secs(0.25)
        .compiling_secs(0.5)
        .build();
    create(&emulator, "quick");
    advance(&emulator, 249);
    assert_eq!(status(&emulator, "quick"), "STARTING");
    advance(&emulator, 1);
    assert_eq!(status(&emulator, "quick"), "INPROGRESS");
    advance(&emulator, 500);
    assert_eq!(status(&emulator, "quick"), "COMPLETED");
}

#[test]
fn one_advance_past_several_steps_applies_them_all_in_order() {
    let emulator = manual();
    create(&emulator, "job");
    advance(&emulator, 60_000);
    let done = describe(&emulator, "job");
    assert_eq!(done["CompilationJobStatus"], "COMPLETED");
    assert_eq!(done["CompilationStartTime"], json!(1_700_000_001));
    assert_eq!(done["CompilationEndTime"], json!(1_700_000_004));
}

#[test]
fn stopping_a_starting_job_never_gives_it_a_start_time() {
    let emulator = manual();
    create(&emulator, "job");
    advance(&emulator, 500);
    ok(&emulator, "StopCompilationJob", &common::named("job"));
    let stopping = describe(&emulator, "job");
    assert_eq!(stopping["CompilationJobStatus"], "STOPPING");
    assert!(stopping.get("CompilationStartTime").is_none());
    advance(&emulator, 1_000);
    let stopped = describe(&emulator, "job");
    assert_eq!(stopped["CompilationJobStatus"], "STOPPED");
    assert_eq!(stopped["CompilationEndTime"], json!(1_700_000_001));
    assert!(stopped.get("CompilationStartTime").is_none());
    assert!(stopped.get("ModelArtifacts").is_none());
}

#[test]
fn stopping_a_compiling_job_cancels_its_outcome() {
    let emulator = manual();
    create(&emulator, "job");
    advance(&emulator, 2_000);
    ok(&emulator, "StopCompilationJob", &common::named("job"));
    advance(&emulator, 10_000);
    let stopped = describe(&emulator, "job");
    assert_eq!(stopped["CompilationJobStatus"], "STOPPED");
    assert_eq!(stopped["CompilationStartTime"], json!(1_700_000_001));
    assert_eq!(stopped["CompilationEndTime"], json!(1_700_000_003));
    assert_eq!(stopped["LastModifiedTime"], json!(1_700_000_003));
}

#[tokio::test]
async fn the_system_clock_moves_jobs_in_real_time() {
    let emulator = Emulator::builder()
        .starting_secs(0.05)
        .compiling_secs(0.05)
        .build();
    create(&emulator, "live");
    assert!(emulator.advance_clock(Duration::from_secs(1)).is_err());
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(status(&emulator, "live"), "COMPLETED");
}
