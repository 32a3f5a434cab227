//! The emulator's answers held against real SageMaker responses for the same states
//! (tests/evidence/real-aws, recorded by cloud-custodian in us-east-1, April 2024):
//! the same members present and absent, the same timestamp precision, the same ARN form
//! and the same FailureReason wording.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

use cjh_emulator::Millis;
use cjh_emulator::{ClockMode, Emulator};
use serde_json::{Value, json};

fn evidence(test: &str, file: &str) -> Value {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "tests/evidence/real-aws/cloud-custodian",
        test,
        file,
    ]
    .iter()
    .collect();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut recorded: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(recorded["status_code"], 200);
    let data = recorded["data"].as_object_mut().unwrap();
    data.remove("ResponseMetadata");
    recorded["data"].take()
}

/// Every member path in a body; placebo datetimes count as leaves.
fn member_paths(value: &Value) -> BTreeSet<String> {
    fn walk(prefix: &str, value: &Value, out: &mut BTreeSet<String>) {
        if let Value::Object(map) = value {
            if map.get("__class__").and_then(Value::as_str) == Some("datetime") {
                return;
            }
            for (key, child) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                out.insert(path.clone());
                walk(&path, child, out);
            }
        }
        if let Value::Array(items) = value {
            for item in items {
                walk(&format!("{prefix}[]"), item, out);
            }
        }
    }
    let mut out = BTreeSet::new();
    walk("", value, &mut out);
    out
}

/// The precision a timestamp shows: "ms" when it has a sub-second part, else "s".
fn recorded_precision(value: &Value) -> &'static str {
    assert_eq!(value["__class__"], "datetime", "{value}");
    if value["microsecond"].as_u64().unwrap() == 0 {
        "s"
    } else {
        "ms"
    }
}

fn emulated_precision(value: &Value) -> &'static str {
    let seconds = value
        .as_f64()
        .unwrap_or_else(|| panic!("not a number: {value}"));
    let millis = (seconds * 1000.0).round() as i64;
    if millis % 1000 == 0 { "s" } else { "ms" }
}

fn assert_same_time_precision(recorded: &Value, emulated: &Value, members: &[&str]) {
    for member in members {
        assert_eq!(
            emulated_precision(&emulated[member]),
            recorded_precision(&recorded[member]),
            "precision of {member}"
        );
    }
}

/// The Create request the recorded job must have been made with, read back from its
/// Describe output.
fn create_request_like(recorded: &Value) -> Value {
    json!({
        "CompilationJobName": recorded["CompilationJobName"],
        "RoleArn": recorded["RoleArn"],
        "InputConfig": recorded["InputConfig"],
        "OutputConfig": recorded["OutputConfig"],
        "StoppingCondition": recorded["StoppingCondition"],
    })
}

/// A manual clock at a time with a millisecond part, as real CreationTimes have.
fn emulator() -> Emulator {
    Emulator::builder()
        .manual_clock_at(Millis(1_713_274_189_170))
        .account_id("644160558196".to_owned())
        .build()
}

fn ok(reply: cjh_emulator::Reply) -> Value {
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.body
}

fn describe(emulator: &Emulator, name: &str) -> Value {
    ok(emulator.call(
        "DescribeCompilationJob",
        &json!({ "CompilationJobName": name }),
    ))
}

fn only_summary(emulator: &Emulator) -> Value {
    let list = ok(emulator.call("ListCompilationJobs", &json!({})));
    let summaries = list["CompilationJobSummaries"].as_array().unwrap();
    assert_eq!(summaries.len(), 1, "{list}");
    assert!(
        list.get("NextToken").is_none(),
        "a single page carries no token"
    );
    summaries[0].clone()
}

#[test]
fn a_failed_job_is_described_with_the_members_precision_arn_and_reason_real_aws_shows() {
    let recorded = evidence(
        "test_sagemaker_compilation_job_query",
        "api.sagemaker.DescribeCompilationJob_1.json",
    );
    let emulator = emulator();
    let created = ok(emulator.call("CreateCompilationJob", &create_request_like(&recorded)));
    assert_eq!(created["CompilationJobArn"], recorded["CompilationJobArn"]);

    emulator.advance_clock(Duration::from_secs(10)).unwrap();
    let emulated = describe(&emulator, "c7n-test-1");

    assert_eq!(emulated["CompilationJobStatus"], "FAILED");
    assert_eq!(member_paths(&emulated), member_paths(&recorded));
    assert_eq!(emulated["FailureReason"], recorded["FailureReason"]);
    assert_eq!(emulated["CompilationJobArn"], recorded["CompilationJobArn"]);
    assert_eq!(emulated["InferenceImage"], recorded["InferenceImage"]);
    for echoed in [
        "RoleArn",
        "InputConfig",
        "OutputConfig",
        "StoppingCondition",
    ] {
        assert_eq!(emulated[echoed], recorded[echoed], "{echoed}");
    }
    assert_same_time_precision(
        &recorded,
        &emulated,
        &[
            "CreationTime",
            "CompilationStartTime",
            "CompilationEndTime",
            "LastModifiedTime",
        ],
    );
    // Real: a failed job's end time is its last status change.
    assert_eq!(emulated["CompilationEndTime"], emulated["LastModifiedTime"]);
}

#[test]
fn a_failed_job_is_listed_with_the_summary_members_real_aws_shows() {
    let recorded_list = evidence(
        "test_sagemaker_compilation_job_query",
        "api.sagemaker.ListCompilationJobs_1.json",
    );
    let recorded_describe = evidence(
        "test_sagemaker_compilation_job_query",
        "api.sagemaker.DescribeCompilationJob_1.json",
    );
    let recorded = &recorded_list["CompilationJobSummaries"][0];
    let emulator = emulator();
    ok(emulator.call(
        "CreateCompilationJob",
        &create_request_like(&recorded_describe),
    ));
    emulator.advance_clock(Duration::from_secs(10)).unwrap();

    let emulated = only_summary(&emulator);
    assert_eq!(member_paths(&emulated), member_paths(recorded));
    assert_eq!(
        emulated["CompilationJobStatus"],
        recorded["CompilationJobStatus"]
    );
    assert_eq!(
        emulated["CompilationTargetDevice"],
        recorded["CompilationTargetDevice"]
    );
    assert_same_time_precision(
        recorded,
        &emulated,
        &[
            "CreationTime",
            "CompilationStartTime",
            "CompilationEndTime",
            "LastModifiedTime",
        ],
    );
}

#[test]
fn an_inprogress_job_then_stopped_matches_the_real_describe_list_and_stop_answers() {
    let dir = "test_sagemaker_compilation_job_stop";
    let recorded_running = evidence(dir, "api.sagemaker.DescribeCompilationJob_1.json");
    let recorded_list = evidence(dir, "api.sagemaker.ListCompilationJobs_1.json");
    let recorded_stop = evidence(dir, "api.sagemaker.StopCompilationJob_1.json");
    let recorded_stopping = evidence(dir, "api.sagemaker.DescribeCompilationJob_2.json");

    let emulator = emulator();
    ok(emulator.call(
        "CreateCompilationJob",
        &create_request_like(&recorded_running),
    ));
    emulator
        .advance_clock(Duration::from_millis(1_500))
        .unwrap();

    let running = describe(&emulator, "c7n-test-2");
    assert_eq!(running["CompilationJobStatus"], "INPROGRESS");
    assert_eq!(member_paths(&running), member_paths(&recorded_running));
    assert_same_time_precision(
        &recorded_running,
        &running,
        &["CreationTime", "CompilationStartTime", "LastModifiedTime"],
    );
    // Real: while compiling, the last status change is the start.
    assert_eq!(running["LastModifiedTime"], running["CompilationStartTime"]);

    let summary = only_summary(&emulator);
    let recorded_summary = &recorded_list["CompilationJobSummaries"][0];
    assert_eq!(member_paths(&summary), member_paths(recorded_summary));

    emulator.advance_clock(Duration::from_millis(600)).unwrap();
    let stop_time = emulator.now();
    let stop = emulator.call(
        "StopCompilationJob",
        &json!({ "CompilationJobName": "c7n-test-2" }),
    );
    assert_eq!(stop.status, 200);
    // Real: an empty result (placebo keeps only ResponseMetadata, stripped here).
    assert_eq!(recorded_stop, json!({}));
    assert_eq!(stop.body, Value::Null, "Stop answers with an empty body");

    let stopping = describe(&emulator, "c7n-test-2");
    assert_eq!(
        stopping["CompilationJobStatus"],
        recorded_stopping["CompilationJobStatus"]
    );
    assert_eq!(member_paths(&stopping), member_paths(&recorded_stopping));
    assert_same_time_precision(
        &recorded_stopping,
        &stopping,
        &["CreationTime", "CompilationStartTime", "LastModifiedTime"],
    );
    // Real: Stop leaves the start time and moves LastModifiedTime to the stop call.
    assert_eq!(
        stopping["CompilationStartTime"],
        running["CompilationStartTime"]
    );
    assert_eq!(
        stopping["LastModifiedTime"],
        stop_time.whole_second().to_json()
    );
}

#[test]
fn the_manual_clock_mode_from_settings_also_reproduces_the_failed_state() {
    let recorded = evidence(
        "test_sagemaker_compilation_job_query",
        "api.sagemaker.DescribeCompilationJob_1.json",
    );
    let emulator = Emulator::builder().clock(ClockMode::Manual).build();
    ok(emulator.call("CreateCompilationJob", &create_request_like(&recorded)));
    emulator.advance_clock(Duration::from_secs(4)).unwrap();
    let emulated = describe(&emulator, "c7n-test-1");
    assert_eq!(emulated["CompilationJobStatus"], "FAILED");
    assert_eq!(member_paths(&emulated), member_paths(&recorded));
}

#[test]
fn a_third_inprogress_job_is_described_and_listed_as_real_aws_shows_and_tagging_leaves_its_times() {
    let dir = "test_sagemaker_compilation_job_tag";
    let recorded_before = evidence(dir, "api.sagemaker.DescribeCompilationJob_1.json");
    let recorded_after = evidence(dir, "api.sagemaker.DescribeCompilationJob_2.json");
    let recorded_list = evidence(dir, "api.sagemaker.ListCompilationJobs_1.json");
    let recorded_tags = evidence(dir, "api.sagemaker.ListTags_1.json");

    let emulator = emulator();
    ok(emulator.call(
        "CreateCompilationJob",
        &create_request_like(&recorded_before),
    ));
    emulator
        .advance_clock(Duration::from_millis(1_500))
        .unwrap();

    let before = describe(&emulator, "c7n-test-3");
    assert_eq!(before["CompilationJobStatus"], "INPROGRESS");
    assert_eq!(member_paths(&before), member_paths(&recorded_before));
    assert_same_time_precision(
        &recorded_before,
        &before,
        &["CreationTime", "CompilationStartTime", "LastModifiedTime"],
    );
    assert_eq!(
        before["CompilationJobArn"],
        recorded_before["CompilationJobArn"]
    );

    // Custodian listed with StatusEquals=INPROGRESS and no MaxResults: one page, no
    // NextToken key at all.
    let list = ok(emulator.call(
        "ListCompilationJobs",
        &json!({ "StatusEquals": "INPROGRESS" }),
    ));
    assert!(recorded_list.get("NextToken").is_none());
    assert!(list.get("NextToken").is_none(), "{list}");
    let summary = &list["CompilationJobSummaries"][0];
    let recorded_summary = &recorded_list["CompilationJobSummaries"][0];
    assert_eq!(member_paths(summary), member_paths(recorded_summary));
    assert_eq!(
        summary["CompilationTargetDevice"],
        recorded_summary["CompilationTargetDevice"]
    );

    // Real: tagging the job changes neither its status nor LastModifiedTime.
    let arn = before["CompilationJobArn"].clone();
    emulator.advance_clock(Duration::from_secs(2)).unwrap();
    ok(emulator.call(
        "AddTags",
        &json!({ "ResourceArn": arn, "Tags": recorded_tags["Tags"] }),
    ));
    let tags = ok(emulator.call("ListTags", &json!({ "ResourceArn": arn })));
    assert_eq!(tags["Tags"], recorded_tags["Tags"]);
    let after = describe(&emulator, "c7n-test-3");
    assert_eq!(
        recorded_after["LastModifiedTime"],
        recorded_before["LastModifiedTime"]
    );
    assert_eq!(after["LastModifiedTime"], before["LastModifiedTime"]);
    assert_eq!(member_paths(&after), member_paths(&recorded_after));
}
