//! The scrubbing rules, one test each, on recordings shaped like real ones.

use std::path::Path;

use serde_json::{Value, json};

use super::*;
use crate::exchange::{Body, Headers, Request, Response};
use crate::recording::secrets::scan_text;
use crate::recording::{Provenance, RecordedExchange, Source};

/// A real-looking account id (not one of the documentation examples).
const ACCOUNT: &str = "644160558196";

/// A real-looking access key id, built at run time so no source file holds one.
fn access_key() -> String {
    ["AKIA", "Z7Q4", "M2XW", "9KDL", "P3RT"].concat()
}

fn secret_key() -> String {
    ["wJalrXUtnFEMI", "/K7MDENG/bPxRfiCY", "1234567890"].concat()
}

fn session_token() -> String {
    [
        "IQoJb3JpZ2lu",
        "ZWMQ8//////////wEaCXVzLWVhc3QtMSJH",
        "MEUCIQDx",
    ]
    .concat()
}

/// The profile of a run against a real account.
fn real_profile() -> Profile {
    Profile {
        role: format!(
            "arn:aws:iam::{ACCOUNT}:role/service-role/AmazonSageMaker-ExecutionRole-20240319T150889"
        ),
        model: "s3://acme-ml-prod/models/resnet50.tar.gz".to_owned(),
        failing_model: "s3://acme-ml-prod/models/train.csv".to_owned(),
        output: "s3://acme-ml-prod/compiled/".to_owned(),
        wait_timeout_secs: 1800,
    }
}

fn headers(pairs: &[(&str, &str)]) -> Headers {
    pairs.iter().copied().collect()
}

fn exchange(operation: &str, request: Value, status: u16, response: Value) -> RecordedExchange {
    RecordedExchange {
        operation: operation.to_owned(),
        request: Request {
            method: "POST".to_owned(),
            path: "/".to_owned(),
            headers: headers(&[
                ("content-type", "application/x-amz-json-1.1"),
                ("x-amz-target", &format!("SageMaker.{operation}")),
                (
                    "authorization",
                    &format!(
                        "AWS4-HMAC-SHA256 Credential={}/20240416/us-east-1/sagemaker/aws4_request, SignedHeaders=host, Signature={}",
                        access_key(),
                        "ab".repeat(32)
                    ),
                ),
                ("x-amz-security-token", &session_token()),
                ("x-amz-date", "20240416T132949Z"),
            ]),
            body: Body::Json(request),
        },
        response: Response {
            status,
            headers: headers(&[
                ("content-type", "application/x-amz-json-1.1"),
                ("x-amzn-requestid", "5f0e1c2a-3b4d-4e5f-8a9b-644160558196"),
                ("set-cookie", "session=abc"),
            ]),
            body: Body::Json(response),
        },
        reconstructed: false,
        sent_at: None,
    }
}

fn recording(exchanges: Vec<RecordedExchange>) -> Recording {
    Recording {
        format: crate::recording::FORMAT.to_owned(),
        version: crate::recording::VERSION,
        scenario: "lifecycle/a-job-that-fails".to_owned(),
        provenance: Provenance {
            source: Source::Aws,
            endpoint: "https://api.sagemaker.us-east-1.amazonaws.com".to_owned(),
            region: "us-east-1".to_owned(),
            recorded_at: "2024-04-16T13:29:49Z".to_owned(),
            cjh_version: "0.1.0".to_owned(),
            model_version: "botocore 1.44.8, sagemaker 2017-07-24".to_owned(),
            prefix: "cjh1a2b3c4d".to_owned(),
            scrubbing: Vec::new(),
            imported_from: None,
        },
        exchanges,
    }
}

fn create_request(profile: &Profile, model: &str) -> Value {
    json!({
        "CompilationJobName": "cjh1a2b3c4d-alpha",
        "RoleArn": profile.role,
        "InputConfig": {"S3Uri": model, "Framework": "PYTORCH"},
        "OutputConfig": {"S3OutputLocation": profile.output, "TargetDevice": "ml_c5"},
        "StoppingCondition": {"MaxRuntimeInSeconds": 900},
    })
}

/// A run against a real account: a Create, and a Describe whose FailureReason quotes
/// a credential and the account.
fn real_recording() -> Recording {
    let profile = real_profile();
    let describe = json!({
        "CompilationJobName": "cjh1a2b3c4d-alpha",
        "CompilationJobArn": format!("arn:aws:sagemaker:us-east-1:{ACCOUNT}:compilation-job/cjh1a2b3c4d-alpha"),
        "CompilationJobStatus": "FAILED",
        "CreationTime": 1713274189.17,
        "RoleArn": profile.role,
        "InputConfig": {"S3Uri": profile.failing_model, "Framework": "PYTORCH"},
        "OutputConfig": {"S3OutputLocation": profile.output, "TargetDevice": "ml_c5"},
        "InferenceImage": format!("{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/neo:latest"),
        "FailureReason": format!(
            "ClientError: access denied for key {} (secret {}) with token {} in account {ACCOUNT} reading {}",
            access_key(), secret_key(), session_token(), profile.failing_model
        ),
    });
    recording(vec![
        exchange(
            "CreateCompilationJob",
            create_request(&profile, &profile.failing_model),
            200,
            json!({"CompilationJobArn": format!("arn:aws:sagemaker:us-east-1:{ACCOUNT}:compilation-job/cjh1a2b3c4d-alpha")}),
        ),
        exchange(
            "DescribeCompilationJob",
            json!({"CompilationJobName": "cjh1a2b3c4d-alpha"}),
            200,
            describe,
        ),
    ])
}

fn scrubbed_text(recording: &Recording) -> String {
    let mut recording = recording.clone();
    scrub(&mut recording, &real_profile());
    recording.to_text()
}

#[test]
fn only_the_kept_headers_survive() {
    let mut recording = real_recording();
    scrub(&mut recording, &real_profile());
    for exchange in &recording.exchanges {
        let request: Vec<&str> = exchange.request.headers.iter().map(|(n, _)| n).collect();
        let response: Vec<&str> = exchange.response.headers.iter().map(|(n, _)| n).collect();
        assert_eq!(request, ["content-type", "x-amz-date", "x-amz-target"]);
        assert_eq!(response, ["content-type", "x-amzn-requestid"]);
    }
    assert_eq!(
        recording.exchanges[0].response.headers["x-amzn-requestid"],
        "5f0e1c2a-3b4d-4e5f-8a9b-644160558196",
        "a request id is not an account id"
    );
}

#[test]
fn no_credential_survives_even_inside_a_failure_reason() {
    let text = scrubbed_text(&real_recording());
    for secret in [access_key(), secret_key(), session_token(), "ab".repeat(32)] {
        assert!(!text.contains(&secret), "{secret} survived:\n{text}");
    }
    assert!(
        text.contains(
            "key <access-key-id> (secret <secret-access-key>) with token <session-token>"
        )
    );
}

#[test]
fn a_scrubbed_recording_with_a_real_key_and_account_in_its_failure_reason_scans_clean() {
    let raw = real_recording().to_text();
    assert!(
        !scan_text(Path::new("raw.json"), &raw).is_empty(),
        "the unscrubbed recording must trip the scan"
    );
    let findings = scan_text(
        Path::new("scrubbed.json"),
        &scrubbed_text(&real_recording()),
    );
    assert!(findings.is_empty(), "{findings:?}");
}

#[test]
fn the_run_profile_becomes_the_default_profile_in_requests_and_responses() {
    let mut recording = real_recording();
    scrub(&mut recording, &real_profile());
    let default = Profile::default();
    assert_eq!(
        recording.exchanges[0].request.body.json().cloned(),
        Some(create_request(&default, &default.failing_model)),
        "a replay sends the default profile's values, so the request must hold exactly those"
    );
    let describe = recording.exchanges[1]
        .response
        .body
        .json()
        .cloned()
        .unwrap_or_default();
    assert_eq!(describe["RoleArn"], json!(default.role));
    assert_eq!(
        describe["InputConfig"]["S3Uri"],
        json!(default.failing_model)
    );
    let reason = describe["FailureReason"].as_str().unwrap_or_default();
    assert!(
        reason.ends_with(&format!("reading {}", default.failing_model)),
        "{reason}"
    );
}

#[test]
fn every_real_account_id_becomes_zeros_and_documentation_examples_stay() {
    let mut recording = recording(vec![exchange(
        "CreateCompilationJob",
        json!({"ModelPackageVersionArn": "arn:aws:sagemaker:us-east-1:123456789012:model-package/p/1"}),
        400,
        json!({
            "arn": format!("arn:aws:sagemaker:eu-west-1:{ACCOUNT}:compilation-job/x"),
            "iam": "arn:aws:iam::210987654321:role/cjh-role-1",
            "bare": format!("account {ACCOUNT}."),
            "image": format!("{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/neo"),
        }),
    )]);
    scrub(&mut recording, &Profile::default());
    let exchange = &recording.exchanges[0];
    assert_eq!(
        exchange.request.body.json().cloned(),
        Some(
            json!({"ModelPackageVersionArn": "arn:aws:sagemaker:us-east-1:123456789012:model-package/p/1"})
        )
    );
    assert_eq!(
        exchange.response.body.json().cloned(),
        Some(json!({
            "arn": "arn:aws:sagemaker:eu-west-1:000000000000:compilation-job/x",
            "iam": "arn:aws:iam::000000000000:role/cjh-role-1",
            "bare": "account 000000000000.",
            "image": "000000000000.dkr.ecr.us-east-1.amazonaws.com/neo",
        }))
    );
}

#[test]
fn other_buckets_and_roles_get_stable_placeholders_in_first_seen_order() {
    let message = "cannot read s3://team-b-data/x.tar.gz or s3://team-a-data/y with arn:aws:iam::000000000000:role/ops/Deployer, nor s3://team-b-data/z as role/ops/Deployer (arn:aws:iam::000000000000:role/Other).";
    let mut recording = recording(vec![
        exchange(
            "DescribeCompilationJob",
            json!({}),
            400,
            json!({"Message": message}),
        ),
        exchange(
            "DescribeCompilationJob",
            json!({}),
            400,
            json!({"Message": "s3://team-a-data/ arn:aws:sts::000000000000:assumed-role/Other/jane@example.com"}),
        ),
    ]);
    scrub(&mut recording, &Profile::default());
    let messages: Vec<Value> = recording
        .exchanges
        .iter()
        .map(|e| e.response.body.json().cloned().unwrap_or_default()["Message"].clone())
        .collect();
    assert_eq!(
        messages,
        [
            json!(
                "cannot read s3://cjh-bucket-1/x.tar.gz or s3://cjh-bucket-2/y with arn:aws:iam::000000000000:role/cjh-role-1, nor s3://cjh-bucket-1/z as role/ops/Deployer (arn:aws:iam::000000000000:role/cjh-role-2)."
            ),
            json!(
                "s3://cjh-bucket-2/ arn:aws:sts::000000000000:assumed-role/cjh-role-2/cjh-session-1"
            ),
        ]
    );
}

#[test]
fn the_default_profile_values_are_left_as_they_are() {
    let default = Profile::default();
    let request = create_request(&default, &default.model);
    let mut recording = recording(vec![exchange(
        "CreateCompilationJob",
        request.clone(),
        200,
        json!({"CompilationJobArn": "arn:aws:sagemaker:us-east-1:000000000000:compilation-job/cjh1a2b3c4d-alpha"}),
    )]);
    let before = recording.exchanges[0].response.body.clone();
    scrub(&mut recording, &default);
    assert_eq!(
        recording.exchanges[0].request.body.json().cloned(),
        Some(request)
    );
    assert_eq!(recording.exchanges[0].response.body, before);
}

#[test]
fn the_default_role_uses_the_emulator_account() {
    assert!(
        Profile::default()
            .role
            .starts_with("arn:aws:iam::000000000000:role/"),
        "scrubbing and the emulator both use 000000000000"
    );
}

#[test]
fn a_body_that_is_not_json_is_scrubbed_too() {
    let mut recording = real_recording();
    recording.exchanges[1].response.body = Body::Text(format!(
        "<Error>Authorization: AWS4-HMAC-SHA256 Credential={}/x for arn:aws:iam::{ACCOUNT}:user/jane</Error>",
        access_key()
    ));
    scrub(&mut recording, &real_profile());
    assert_eq!(
        recording.exchanges[1].response.body,
        Body::Text("<Error>Authorization: <auth-header></Error>".to_owned())
    );
}

#[test]
fn a_credential_is_recognised_by_its_member_name_too() {
    let bearer = format!("Bearer {}", "t".repeat(24));
    let token = "Q".repeat(24);
    let mut recording = recording(vec![exchange(
        "DescribeCompilationJob",
        json!({}),
        400,
        json!({"Echo": {"Authorization": bearer, "SessionToken": token, "Name": "alpha"}}),
    )]);
    scrub(&mut recording, &Profile::default());
    assert_eq!(
        recording.exchanges[0].response.body.json().cloned(),
        Some(
            json!({"Echo": {"Authorization": "<auth-header>", "SessionToken": "<session-token>", "Name": "alpha"}})
        )
    );
    let findings = scan_text(Path::new("r.json"), &recording.to_text());
    assert!(findings.is_empty(), "{findings:?}");
}

#[test]
fn scrubbing_twice_changes_nothing() {
    let mut once = real_recording();
    scrub(&mut once, &real_profile());
    let mut twice = once.clone();
    scrub(&mut twice, &real_profile());
    assert_eq!(once, twice);
}

#[test]
fn every_rule_is_stated_in_words() {
    assert_eq!(RULES.len(), 6);
    for topic in [
        "headers",
        "credentials",
        "profile",
        "account ids",
        "buckets",
        "principals",
    ] {
        assert!(RULES.iter().any(|r| r.starts_with(topic)), "{topic}");
    }
}
