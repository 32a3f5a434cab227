#![allow(clippy::unwrap_used)]

use serde_json::json;

use super::{Viewer, differences};
use crate::exchange::{Body, Headers, Response};

fn answer(status: u16, body: serde_json::Value) -> Response {
    Response {
        status,
        headers: Headers::new(),
        body: Body::Json(body),
    }
}

#[test]
fn times_tokens_accounts_and_namespaces_are_neutral_but_present() {
    let mut viewer = Viewer::new("");
    let first = viewer.view(&answer(
        200,
        json!({"CompilationJobSummaries": [{"CreationTime": 1713274835.546,
               "CompilationJobArn": "arn:aws:sagemaker:us-east-1:123456789012:compilation-job/a"}],
               "NextToken": "abc"}),
    ));
    let error = viewer.view(&answer(
        400,
        json!({"__type": "com.amazonaws.sagemaker#ValidationException", "message": "m"}),
    ));

    assert_eq!(
        first,
        json!({"status": 200, "body": {"CompilationJobSummaries": [{"CreationTime": "<time>",
               "CompilationJobArn": "arn:aws:sagemaker:<region>:<account>:compilation-job/a"}],
               "NextToken": "<token:1>"}})
    );
    assert_eq!(error["body"]["__type"], "ValidationException");
}

#[test]
fn an_artifact_digest_is_compared_by_presence_not_value() {
    let mut viewer = Viewer::new("");
    let with = viewer.view(&answer(
        200,
        json!({"ModelDigests": {"ArtifactDigest": "102a53126ddb59d5"}}),
    ));
    let without = viewer.view(&answer(200, json!({"ModelDigests": {}})));

    assert_eq!(with["body"]["ModelDigests"]["ArtifactDigest"], "<digest>");
    assert_eq!(
        differences(&with, &without),
        vec!["/body/ModelDigests/ArtifactDigest".to_owned()]
    );
}

#[test]
fn a_run_prefix_is_removed_from_every_string() {
    let mut viewer = Viewer::new("cjh-verify-1a2b3c-");
    let view = viewer.view(&answer(
        200,
        json!({"CompilationJobName": "cjh-verify-1a2b3c-alpha"}),
    ));
    assert_eq!(view["body"]["CompilationJobName"], "alpha");
}

#[test]
fn differences_name_each_member_that_differs_or_is_missing() {
    let recorded = json!({"status": 200, "body": {"A": 1, "B": {"C": "x"}, "D": [1, 2]}});
    let actual = json!({"status": 200, "body": {"A": 1, "B": {"C": "y"}, "E": true, "D": [1]}});
    assert_eq!(
        differences(&recorded, &actual),
        ["/body/B/C", "/body/D", "/body/E"]
    );
}
