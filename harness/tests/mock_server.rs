#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Mock servers from recordings (`cjh::mock`, `cjh mock`, `ReplayTarget`): recordings are
//! made here, through a `RecordingTarget` around the in-process emulator, then served.

#[path = "../../emulator/tests/common/mod.rs"]
mod common;
mod process;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use cjh::compare::normalize;
use cjh::exchange::{Body, Exchange, Headers, Request, Response};
use cjh::recording::{
    FORMAT, Provenance, RecordedExchange, Recording, Source, VERSION, recording_path,
};
use cjh::runner::RunOutcome;
use cjh::scenario::Profile;
use cjh::scenario::{Scenario, discover};
use cjh::targets::RecordingTarget;
use cjh::targets::{EmulatorTarget, ReplayTarget, Target};
use serde_json::{Value, json};

use common::{minimal_create_body, named};
use process::Running;

const PREFIX: &str = "cjhrec";

// ---- making recordings -------------------------------------------------------------

fn provenance() -> Provenance {
    Provenance {
        source: Source::Emulator,
        endpoint: "emulator".to_owned(),
        region: "us-east-1".to_owned(),
        recorded_at: "2026-01-01T00:00:00Z".to_owned(),
        cjh_version: env!("CARGO_PKG_VERSION").to_owned(),
        model_version: "test".to_owned(),
        prefix: PREFIX.to_owned(),
        scrubbing: Vec::new(),
    }
}

fn recording(scenario: &str, exchanges: Vec<RecordedExchange>) -> Recording {
    Recording {
        format: FORMAT.to_owned(),
        version: VERSION,
        scenario: scenario.to_owned(),
        provenance: provenance(),
        exchanges,
    }
}

/// A fresh emulator (manual clock, scenario lifecycle: 60 s starting, 120 s compiling)
/// behind a recorder.
fn recorder() -> RecordingTarget {
    RecordingTarget::new(Box::new(EmulatorTarget::new(
        EmulatorTarget::scenario_settings(),
    )))
}

async fn call(target: &dyn Target, operation: &str, body: &Value) -> Exchange {
    target
        .send(Request::aws_json(
            Some(&format!("SageMaker.{operation}")),
            Body::Json(body.clone()),
        ))
        .await
        .unwrap()
}

fn advance(target: &RecordingTarget, secs: f64) {
    target.clock().unwrap().advance(secs);
}

/// A job created, then described while STARTING, INPROGRESS and COMPLETED, then listed
/// with MaxResults 5.
async fn lifecycle_recording() -> Recording {
    let target = recorder();
    call(
        &target,
        "CreateCompilationJob",
        &minimal_create_body("poll"),
    )
    .await;
    call(&target, "DescribeCompilationJob", &named("poll")).await;
    advance(&target, 60.0);
    call(&target, "DescribeCompilationJob", &named("poll")).await;
    advance(&target, 120.0);
    call(&target, "DescribeCompilationJob", &named("poll")).await;
    call(
        &target,
        "ListCompilationJobs",
        &json!({ "NameContains": "poll", "MaxResults": 5 }),
    )
    .await;
    recording("lifecycle/poll", target.exchanges())
}

// ---- talking HTTP by hand, to control every header ----------------------------------

#[derive(Debug)]
struct Answer {
    status: u16,
    /// Names in lower case.
    headers: BTreeMap<String, String>,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", String::from_utf8_lossy(&self.body)))
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

fn http(uri: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Answer {
    let addr = uri.strip_prefix("http://").unwrap();
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8(raw[..split].to_vec()).unwrap();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    Answer {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

/// An AWS JSON 1.1 call with only the headers the protocol needs.
fn aws(uri: &str, operation: &str, body: &Value) -> Answer {
    let target = format!("SageMaker.{operation}");
    http(
        uri,
        "POST",
        "/",
        &[
            ("X-Amz-Target", &target),
            ("Content-Type", "application/x-amz-json-1.1"),
        ],
        body.to_string().as_bytes(),
    )
}

fn status_of(answer: &Answer) -> String {
    answer.json()["CompilationJobStatus"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Asserts the AWS-shaped answer to an unrecorded request; returns its message.
fn unrecorded_message(answer: &Answer) -> String {
    assert_eq!(answer.status, cjh::mock::UNRECORDED_STATUS);
    assert_eq!(answer.status, 404);
    assert_eq!(
        answer.header("content-type"),
        Some("application/x-amz-json-1.1")
    );
    assert_eq!(
        answer.header("x-amzn-errortype"),
        Some("UnrecordedRequestException")
    );
    assert!(
        answer
            .header("x-amzn-requestid")
            .is_some_and(|id| id.len() == 36),
        "{:?}",
        answer.headers
    );
    let body = answer.json();
    assert_eq!(body["__type"], cjh::mock::UNRECORDED_ERROR);
    body["message"].as_str().unwrap().to_owned()
}

// ---- ordering -----------------------------------------------------------------------

#[tokio::test]
async fn identical_requests_are_answered_in_recorded_order_and_the_last_answer_repeats() {
    // Arrange
    let recording = lifecycle_recording().await;
    let server = cjh::mock::start(std::slice::from_ref(&recording)).await;
    let recorded_ids: Vec<&str> = recording.exchanges[1..4]
        .iter()
        .map(|e| e.response.headers["x-amzn-requestid"].as_str())
        .collect();

    // Act
    let polls: Vec<Answer> = (0..5)
        .map(|_| aws(&server.uri(), "DescribeCompilationJob", &named("poll")))
        .collect();

    // Assert
    let statuses: Vec<String> = polls.iter().map(status_of).collect();
    assert_eq!(
        statuses,
        [
            "STARTING",
            "INPROGRESS",
            "COMPLETED",
            "COMPLETED",
            "COMPLETED"
        ]
    );
    let ids: Vec<&str> = polls
        .iter()
        .map(|a| a.header("x-amzn-requestid").unwrap())
        .collect();
    assert_eq!(ids[..3], recorded_ids[..]);
    assert_eq!(
        ids[3], recorded_ids[2],
        "the last answer repeats as recorded"
    );
}

#[tokio::test]
async fn answers_carry_the_recorded_status_headers_and_body_bytes() {
    // Arrange
    let recording = lifecycle_recording().await;
    let server = cjh::mock::start(std::slice::from_ref(&recording)).await;
    let created = &recording.exchanges[0];

    // Act
    let answer = aws(
        &server.uri(),
        "CreateCompilationJob",
        &minimal_create_body("poll"),
    );

    // Assert
    assert_eq!(answer.status, created.response.status);
    assert_eq!(answer.body, created.response.body.to_bytes());
    assert_eq!(
        answer.header("content-type"),
        Some("application/x-amz-json-1.1")
    );
    assert_eq!(
        answer.header("x-amzn-requestid"),
        Some(created.response.headers["x-amzn-requestid"].as_str())
    );
}

#[tokio::test]
async fn a_recorded_error_is_replayed_as_recorded() {
    // Arrange
    let target = recorder();
    call(&target, "DescribeCompilationJob", &named("nobody")).await;
    let server = cjh::mock::start(&[recording("lifecycle/missing", target.exchanges())]).await;

    // Act
    let answer = aws(&server.uri(), "DescribeCompilationJob", &named("nobody"));

    // Assert
    assert_eq!(answer.status, 400);
    assert_eq!(answer.json()["__type"], "ValidationException");
}

// ---- matching -----------------------------------------------------------------------

#[tokio::test]
async fn volatile_headers_are_ignored_and_json_member_order_is_free() {
    // Arrange
    let recording = lifecycle_recording().await;
    let server = cjh::mock::start(&[recording]).await;
    let nonce = uuid::Uuid::new_v4().simple().to_string();
    let authorization = format!(
        "AWS4-HMAC-SHA256 Credential=AKID{}/20300101/eu-west-1/sagemaker/aws4_request, SignedHeaders=host;x-amz-date, Signature={nonce}",
        &nonce[..8]
    );

    // Act
    let answer = http(
        &server.uri(),
        "POST",
        "/",
        &[
            ("X-Amz-Target", "SageMaker.ListCompilationJobs"),
            ("Content-Type", "application/x-amz-json-1.0"),
            ("Authorization", &authorization),
            ("X-Amz-Date", "20300101T123456Z"),
            ("X-Amz-Security-Token", &nonce),
            ("X-Amz-Content-Sha256", &nonce),
            ("User-Agent", &format!("some-client/{nonce}")),
            ("amz-sdk-invocation-id", &nonce),
            ("amz-sdk-request", "attempt=2; max=3"),
        ],
        br#"{ "MaxResults": 5, "NameContains": "poll" }"#,
    );

    // Assert
    assert_eq!(
        answer.status,
        200,
        "{:?}",
        String::from_utf8_lossy(&answer.body)
    );
    assert_eq!(
        answer.json()["CompilationJobSummaries"][0]["CompilationJobName"],
        "poll"
    );
}

#[tokio::test]
async fn a_request_recorded_without_x_amz_target_matches_only_requests_without_one() {
    // Arrange
    let target = recorder();
    target
        .send(Request::aws_json(None, Body::from_bytes(b"{}")))
        .await
        .unwrap();
    call(&target, "DescribeCompilationJob", &named("nobody")).await;
    let recorded = target.exchanges();
    let server = cjh::mock::start(&[recording("wire/no-target", recorded.clone())]).await;

    // Act
    let without = http(&server.uri(), "POST", "/", &[], b"{}");
    let with = aws(&server.uri(), "ListCompilationJobs", &json!({}));
    let describe_without = http(
        &server.uri(),
        "POST",
        "/",
        &[],
        named("nobody").to_string().as_bytes(),
    );

    // Assert
    assert_eq!(without.status, recorded[0].response.status);
    assert_eq!(without.body, recorded[0].response.body.to_bytes());
    let message = unrecorded_message(&with);
    assert!(
        message.contains(
            "other operation: recorded no X-Amz-Target, got SageMaker.ListCompilationJobs"
        ),
        "{message}"
    );
    let message = unrecorded_message(&describe_without);
    assert!(message.contains("without X-Amz-Target"), "{message}");
}

// ---- unmatched requests -------------------------------------------------------------

#[tokio::test]
async fn an_unrecorded_request_gets_a_404_naming_the_closest_exchange_and_the_differing_path() {
    // Arrange
    let recording = lifecycle_recording().await;
    let server = cjh::mock::start(&[recording]).await;

    // Act
    let answer = aws(
        &server.uri(),
        "ListCompilationJobs",
        &json!({ "NameContains": "poll", "MaxResults": 10 }),
    );

    // Assert
    let message = unrecorded_message(&answer);
    let lines: Vec<&str> = message.lines().collect();
    assert_eq!(
        lines[0],
        "No recorded request matches this SageMaker.ListCompilationJobs request. Closest recorded requests:"
    );
    assert_eq!(
        lines[1],
        "- lifecycle/poll exchanges[4] (ListCompilationJobs): /MaxResults: recorded 5, got 10"
    );
    assert_eq!(lines.len(), 4, "three closest at most: {message}");
    assert!(lines[2].contains("other operation"), "{message}");
}

#[tokio::test]
async fn the_closest_requests_are_ranked_by_operation_then_by_how_few_paths_differ() {
    // Arrange
    let recording = lifecycle_recording().await;
    let server = cjh::mock::start(&[recording]).await;

    // Act
    let answer = aws(
        &server.uri(),
        "DescribeCompilationJob",
        &json!({ "CompilationJobName": "pol", "Extra": [1] }),
    );

    // Assert
    let message = unrecorded_message(&answer);
    let lines: Vec<&str> = message.lines().collect();
    assert_eq!(
        lines[1],
        "- lifecycle/poll exchanges[1] (DescribeCompilationJob, recorded 3 times): /CompilationJobName: recorded \"poll\", got \"pol\"; /Extra: recorded absent, got [1]"
    );
    assert!(
        lines[2].starts_with("- lifecycle/poll exchanges["),
        "{message}"
    );
    assert!(
        lines[2].contains("other operation: recorded SageMaker."),
        "{message}"
    );
}

#[tokio::test]
async fn a_request_on_another_path_or_method_or_with_a_non_json_body_still_gets_the_aws_shaped_404()
{
    // Arrange
    let recording = lifecycle_recording().await;
    let server = cjh::mock::start(&[recording]).await;

    // Act
    let get = http(&server.uri(), "GET", "/health", &[], b"");
    let text = http(
        &server.uri(),
        "POST",
        "/",
        &[("X-Amz-Target", "SageMaker.DescribeCompilationJob")],
        b"{not json",
    );

    // Assert
    let message = unrecorded_message(&get);
    assert!(
        message.starts_with(
            "No recorded request matches GET /health: recordings hold only POST / requests."
        ),
        "{message}"
    );
    let message = unrecorded_message(&text);
    assert!(
        message.contains("body: recorded JSON, got text \"{not json\""),
        "{message}"
    );
}

#[tokio::test]
async fn a_mock_of_no_recordings_answers_everything_with_the_404() {
    let server = cjh::mock::start(&[]).await;

    let message = unrecorded_message(&aws(&server.uri(), "ListCompilationJobs", &json!({})));

    assert!(message.ends_with("Nothing is recorded."), "{message}");
}

// ---- bodies that are not JSON -------------------------------------------------------

#[tokio::test]
async fn a_non_json_recorded_body_is_replayed_byte_for_byte() {
    // Arrange: what a proxy in front of a service might have answered
    let page = "<html>\n <body>Service Unavailable \u{2014} try later</body>\n</html>\n";
    let exchange = RecordedExchange {
        operation: "ListCompilationJobs".to_owned(),
        request: Request {
            method: "POST".to_owned(),
            path: "/".to_owned(),
            headers: Headers::new().with("x-amz-target", "SageMaker.ListCompilationJobs"),
            body: Body::from_bytes(b"MaxResults=5"),
        },
        response: Response {
            status: 503,
            headers: Headers::new().with("content-type", "text/html; charset=utf-8"),
            body: Body::from_bytes(page.as_bytes()),
        },
    };
    assert!(matches!(exchange.response.body, Body::Text(_)));
    let server = cjh::mock::start(&[recording("wire/proxy-page", vec![exchange])]).await;

    // Act
    let answer = http(
        &server.uri(),
        "POST",
        "/",
        &[("X-Amz-Target", "SageMaker.ListCompilationJobs")],
        b"MaxResults=5",
    );
    let other_text = http(
        &server.uri(),
        "POST",
        "/",
        &[("X-Amz-Target", "SageMaker.ListCompilationJobs")],
        b"MaxResults=6",
    );

    // Assert
    assert_eq!(answer.status, 503);
    assert_eq!(answer.body, page.as_bytes());
    assert_eq!(
        answer.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let message = unrecorded_message(&other_text);
    assert!(
        message.contains("body: recorded text \"MaxResults=5\", got text \"MaxResults=6\""),
        "{message}"
    );
}

// ---- mounting beside mocks of one's own ---------------------------------------------

#[tokio::test]
async fn mocks_of_ones_own_on_the_same_server_take_precedence_over_the_recording() {
    // Arrange
    let recording = lifecycle_recording().await;
    let server = cjh::mock::MockServer::start().await;
    cjh::mock::mount(&server, &[recording]).await;
    wiremock::Mock::given(wiremock::matchers::header(
        "x-amz-target",
        "SageMaker.ListCompilationJobs",
    ))
    .respond_with(wiremock::ResponseTemplate::new(200).set_body_string("{\"mine\":true}"))
    .mount(&server)
    .await;

    // Act
    let listed = aws(
        &server.uri(),
        "ListCompilationJobs",
        &json!({ "NameContains": "poll", "MaxResults": 5 }),
    );
    let described = aws(&server.uri(), "DescribeCompilationJob", &named("poll"));

    // Assert
    assert_eq!(listed.json(), json!({ "mine": true }));
    assert_eq!(status_of(&described), "STARTING");
}

// ---- scenarios replayed -------------------------------------------------------------

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios")
}

async fn record_scenario(scenario: &Scenario) -> (Recording, RunOutcome) {
    let target = recorder();
    let outcome = cjh::runner::run(scenario, &target, &Profile::default(), PREFIX).await;
    (recording(&scenario.id, target.exchanges()), outcome)
}

fn failures(outcome: &RunOutcome) -> Vec<String> {
    outcome
        .failures
        .iter()
        .map(|f| format!("{:?}: {}", f.step, f.message))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_scenario_replayed_from_its_recording_gives_the_transcript_it_was_recorded_with() {
    // Arrange
    let (scenarios, errors) = discover(&corpus());
    assert!(errors.is_empty(), "{errors:?}");
    assert!(scenarios.len() > 20, "the corpus is missing");
    let profile = Profile::default();
    let mut broken = Vec::new();
    for scenario in &scenarios {
        let (recording, recorded) = record_scenario(scenario).await;

        // Act
        let replay = ReplayTarget::start(&recording).await.unwrap();
        let seen = RecordingTarget::new(Box::new(replay));
        let replayed = cjh::runner::run(scenario, &seen, &profile, PREFIX).await;

        // Assert (collected, so one run names every scenario that breaks)
        let expected = normalize(&recorded.transcript, &profile);
        let actual = normalize(&replayed.transcript, &profile);
        if seen.exchanges() != recording.exchanges {
            broken.push(format!("{}: the replay sent other requests", scenario.id));
        } else if expected != actual || failures(&recorded) != failures(&replayed) {
            broken.push(format!(
                "{}: {}",
                scenario.id,
                cjh::compare::diverges(&expected, &actual).map_or_else(
                    || format!("{:?}", failures(&replayed)),
                    |d| format!("{d:?}")
                )
            ));
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[tokio::test]
async fn a_replay_sends_exactly_the_recorded_requests_without_sleeping_or_cleaning_up() {
    // Arrange: a scenario with two waits, so the recording holds repeated polls
    let (scenarios, _) = discover(&corpus());
    let scenario = scenarios
        .iter()
        .find(|s| s.id == "lifecycle/a-starting-job-moves-to-inprogress-then-completed")
        .unwrap();
    let (recording, _) = record_scenario(scenario).await;
    let replay = ReplayTarget::start(&recording).await.unwrap();
    let label = replay.label();
    let seen = RecordingTarget::new(Box::new(replay));

    // Act
    let started = Instant::now();
    let outcome = cjh::runner::run(scenario, &seen, &Profile::default(), PREFIX).await;

    // Assert
    assert_eq!(label, format!("replay:{}", scenario.id));
    assert!(outcome.failures.is_empty(), "{:?}", outcome.failures);
    let polls = recording
        .exchanges
        .iter()
        .filter(|e| e.operation == "DescribeCompilationJob")
        .count();
    assert!(polls > 3, "the waits polled: {polls}");
    assert_eq!(seen.exchanges(), recording.exchanges);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "no real-time waiting: {:?}",
        started.elapsed()
    );
}

// ---- a real client ------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rust_sdk_works_against_a_mock_from_a_recording() {
    use aws_sdk_sagemaker::error::ProvideErrorMetadata;
    use aws_sdk_sagemaker::types::{
        CompilationJobStatus, Framework, InputConfig, OutputConfig, StoppingCondition, TargetDevice,
    };

    // Arrange: the requests the SDK will send, recorded from the emulator
    let recording = lifecycle_recording().await;
    let server = cjh::mock::start(&[recording]).await;
    let config = common::sdk_config(&server.uri(), "eu-west-1", "AKIDMOCK", "secret").build();
    let client = aws_sdk_sagemaker::Client::from_conf(config);
    let body = minimal_create_body("poll");
    let text = |pointer: &str| body.pointer(pointer).unwrap().as_str().unwrap().to_owned();

    // Act
    let created = client
        .create_compilation_job()
        .compilation_job_name("poll")
        .role_arn(text("/RoleArn"))
        .input_config(
            InputConfig::builder()
                .s3_uri(text("/InputConfig/S3Uri"))
                .framework(Framework::Xgboost)
                .data_input_config(text("/InputConfig/DataInputConfig"))
                .build(),
        )
        .output_config(
            OutputConfig::builder()
                .s3_output_location(text("/OutputConfig/S3OutputLocation"))
                .target_device(TargetDevice::MlC5)
                .build(),
        )
        .stopping_condition(
            StoppingCondition::builder()
                .max_runtime_in_seconds(900)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let described = client
            .describe_compilation_job()
            .compilation_job_name("poll")
            .send()
            .await
            .unwrap();
        statuses.push(described.compilation_job_status().cloned().unwrap());
    }
    let missing = client
        .describe_compilation_job()
        .compilation_job_name("other")
        .send()
        .await
        .unwrap_err();

    // Assert
    assert_eq!(
        created.compilation_job_arn(),
        Some("arn:aws:sagemaker:us-east-1:000000000000:compilation-job/poll")
    );
    assert_eq!(
        statuses,
        [
            CompilationJobStatus::Starting,
            CompilationJobStatus::Inprogress,
            CompilationJobStatus::Completed,
            CompilationJobStatus::Completed
        ]
    );
    assert_eq!(missing.code(), Some("UnrecordedRequestException"));
    assert!(
        missing
            .message()
            .unwrap()
            .contains("/CompilationJobName: recorded \"poll\", got \"other\""),
        "{missing:?}"
    );
}

// ---- `cjh mock` ---------------------------------------------------------------------

#[tokio::test]
async fn cjh_mock_serves_a_folder_of_recordings_and_exits_on_sigterm() {
    // Arrange: two recordings written as files under a folder
    let dir = std::env::temp_dir().join(format!("cjh-mock-{}", uuid::Uuid::new_v4().simple()));
    let first = lifecycle_recording().await;
    let target = recorder();
    call(&target, "DescribeCompilationJob", &named("nobody")).await;
    let second = recording("lifecycle/missing", target.exchanges());
    first.write(&recording_path(&dir, &first.scenario)).unwrap();
    second
        .write(&recording_path(&dir, &second.scenario))
        .unwrap();
    let mut mock = Running::start(&[
        "mock",
        "--recording",
        dir.to_str().unwrap(),
        "--port",
        "0",
        "--host",
        "127.0.0.1",
    ]);
    let uri = mock.url().to_owned();

    // Act
    let polled = aws(&uri, "DescribeCompilationJob", &named("poll"));
    let missing = aws(&uri, "DescribeCompilationJob", &named("nobody"));
    let status = mock.signal_and_wait("-TERM");
    let _ = std::fs::remove_dir_all(&dir);

    // Assert
    assert!(uri.starts_with("http://127.0.0.1:"), "{uri}");
    assert_eq!(status_of(&polled), "STARTING");
    assert_eq!(missing.status, 400);
    assert_eq!(missing.json()["__type"], "ValidationException");
    assert!(status.success(), "{status}");
}

#[test]
fn cjh_mock_refuses_a_folder_without_recordings() {
    let dir = std::env::temp_dir().join(format!("cjh-mock-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();

    let output = Command::new(env!("CARGO_BIN_EXE_cjh"))
        .args(["mock", "--port", "0", "--recording"])
        .arg(&dir)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);

    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no recordings found"), "{stderr}");
}
