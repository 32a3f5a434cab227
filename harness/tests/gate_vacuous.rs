//! A target that proves nothing is reported as vacuous and fails the gate (exit 3),
//! rather than counting as conforming: one that answers every request with the same
//! error, and one that returns only empty lists.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

use std::sync::atomic::{AtomicU64, Ordering};

use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cjh"))
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .arg("run")
        .args(args)
        .output()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_target_that_answers_every_request_with_one_error_is_vacuous() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_raw(
            r#"{"__type":"UnknownOperationException"}"#,
            "application/x-amz-json-1.1",
        ))
        .mount(&server)
        .await;
    let output = run(&[
        "--target",
        &server.uri(),
        "--filter",
        "list-filter/name-contains",
    ]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(3), "{text}");
    assert!(
        text.contains(&format!("VACUOUS {}: all ", server.uri()))
            && text.contains("answers were the error UnknownOperationException"),
        "{text}"
    );
}

/// Describes every job as STARTING, each answer a second later than the one before, so
/// fixtures get the rising times a scenario needs.
struct Starting(AtomicU64);

impl Respond for Starting {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let second = 1_767_225_600 + self.0.fetch_add(1, Ordering::Relaxed);
        let body = format!(
            r#"{{"CompilationJobStatus":"STARTING","CreationTime":{second}.25,"LastModifiedTime":{second}}}"#
        );
        ResponseTemplate::new(200).set_body_raw(body, "application/x-amz-json-1.1")
    }
}

/// A fake that creates jobs and describes every one as STARTING, but lists nothing and
/// cannot stop or delete.
async fn lists_nothing() -> MockServer {
    let server = MockServer::start().await;
    let json = "application/x-amz-json-1.1";
    let answers = [
        (
            "SageMaker.CreateCompilationJob",
            r#"{"CompilationJobArn":"arn:aws:sagemaker:us-east-1:000000000000:compilation-job/x"}"#,
        ),
        (
            "SageMaker.ListCompilationJobs",
            r#"{"CompilationJobSummaries":[]}"#,
        ),
    ];
    for (target, body) in answers {
        Mock::given(method("POST"))
            .and(header("x-amz-target", target))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body, json))
            .mount(&server)
            .await;
    }
    Mock::given(method("POST"))
        .and(header("x-amz-target", "SageMaker.DescribeCompilationJob"))
        .respond_with(Starting(AtomicU64::new(0)))
        .mount(&server)
        .await;
    server
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_target_that_lists_nothing_is_vacuous() {
    let server = lists_nothing().await;
    let output = run(&[
        "--target",
        &server.uri(),
        "--filter",
        "list-filter/name-contains",
    ]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(3), "{text}");
    assert!(
        text.contains("ListCompilationJobs answers were empty"),
        "{text}"
    );
    // It cannot stop a job, so every job it made is named as left behind, at once.
    assert!(text.contains("clean-up left"), "{text}");
}

#[test]
fn the_reference_emulator_is_not_vacuous() {
    let output = run(&["--filter", "list-filter/name-contains"]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(!text.contains("VACUOUS"), "{text}");
}

#[test]
fn a_run_of_error_scenarios_alone_is_not_vacuous() {
    // Every answer of these scenarios is an error, as the scenarios expect.
    let output = run(&["--filter", "create-validation/name-over-63"]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{text}");
}
