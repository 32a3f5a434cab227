//! The dvr export, proven with smithy-rs's own `ReplayingClient` and the Rust SDK.
//!
//! A session (Create, Describe, List, Stop, Describe, Delete) is recorded on the
//! emulator with the same members the SDK calls below send, exported with
//! `cjh::export::dvr`, and loaded with `ReplayingClient::from_file`. The SDK, given the
//! replayer as its HTTP client, makes the same calls: it must parse every recorded
//! answer, and the replayer's check of the requests it made against the recorded ones
//! (bodies as JSON, `x-amz-target`, `content-type`) must pass. A request the recording
//! does not hold must fail that check, so the check is not vacuous.

mod hand_made;
use std::path::{Path, PathBuf};

use aws_sdk_sagemaker::Client;
use aws_sdk_sagemaker::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_sagemaker::error::ProvideErrorMetadata;
use aws_sdk_sagemaker::operation::RequestId;
use aws_sdk_sagemaker::types::{
    CompilationJobStatus, Framework, InputConfig, OutputConfig, StoppingCondition, TargetDevice,
};
use aws_smithy_http_client::test_util::dvr::ReplayingClient;
use cjh::exchange::{Body, Request};
use cjh::export::dvr;
use cjh::recording::{FORMAT, Recording, Source, VERSION};
use cjh::targets::RecordingTarget;
use cjh::targets::{EmulatorTarget, Target};
use serde_json::{Value, json};

type TestResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

/// What the SDK is pointed at; the replayer answers without connecting anywhere.
const ENDPOINT: &str = "http://127.0.0.1:4566";
const JOB: &str = "cjhdvr-job";
const ROLE_ARN: &str = "arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole";
const MODEL: &str = "s3://bucket/model.tar.gz";
const OUTPUT: &str = "s3://bucket/out/";
const DATA_INPUT: &str = r#"{"data": [1, 4]}"#;
/// The media type the bodies are compared as (JSON).
const MEDIA_TYPE: &str = "application/x-amz-json-1.1";

/// The Create the SDK call below sends, as JSON.
fn create_body() -> Value {
    json!({
        "CompilationJobName": JOB,
        "RoleArn": ROLE_ARN,
        "InputConfig": { "S3Uri": MODEL, "DataInputConfig": DATA_INPUT, "Framework": "XGBOOST" },
        "OutputConfig": { "S3OutputLocation": OUTPUT, "TargetDevice": "ml_c5" },
        "StoppingCondition": { "MaxRuntimeInSeconds": 900 },
    })
}

/// Sends raw requests to an emulator through a recorder.
struct Session {
    target: RecordingTarget,
}

impl Session {
    fn new() -> Session {
        Session {
            target: RecordingTarget::new(Box::new(EmulatorTarget::new(
                EmulatorTarget::scenario_settings(),
            ))),
        }
    }

    async fn call(&self, operation: &str, body: Value) -> TestResult<(u16, Value)> {
        let response = self
            .target
            .send(Request::aws_json(
                Some(&format!("SageMaker.{operation}")),
                Body::from_bytes(body.to_string().as_bytes()),
            ))
            .await?
            .response;
        let answer = serde_json::from_slice(&response.body.to_bytes()).unwrap_or(Value::Null);
        Ok((response.status, answer))
    }

    fn advance(&self, secs: f64) -> TestResult {
        self.target
            .clock()
            .ok_or("the emulator target has no clock")?
            .advance(secs);
        Ok(())
    }

    /// Writes the recording and exports it as dvr traffic; returns the traffic file and
    /// the recording.
    fn export(&self, name: &str) -> TestResult<(PathBuf, Recording)> {
        let recording = Recording {
            format: FORMAT.to_owned(),
            version: VERSION,
            scenario: format!("sdk/{name}"),
            provenance: hand_made::provenance(Source::Emulator, "emulator", "cjhdvr"),
            exchanges: self.target.exchanges(),
        };
        let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("export-dvr");
        let recording_file = work.join(format!("{name}.recording.json"));
        let traffic_file = work.join(format!("{name}.dvr.json"));
        recording.write(&recording_file)?;
        dvr::export(&recording_file, Some(ENDPOINT), &traffic_file)?;
        Ok((traffic_file, recording))
    }
}

fn sdk_client(replayer: &ReplayingClient) -> Client {
    let config = aws_sdk_sagemaker::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            "AKIDCJHTEST",
            "cjh-test-secret",
            None,
            None,
            "cjh-test",
        ))
        .endpoint_url(ENDPOINT)
        .http_client(replayer.clone())
        .build();
    Client::from_conf(config)
}

fn request_id(recording: &Recording, index: usize) -> Option<&str> {
    recording
        .exchanges
        .get(index)?
        .response
        .headers
        .get("x-amzn-requestid")
        .map(String::as_str)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sdk_replays_a_recorded_session_from_the_dvr_export() -> TestResult {
    // Arrange: record the session on the emulator.
    let session = Session::new();
    let name = json!({ "CompilationJobName": JOB });
    let mut answers = vec![
        session.call("CreateCompilationJob", create_body()).await?,
        session.call("DescribeCompilationJob", name.clone()).await?,
        session
            .call("ListCompilationJobs", json!({ "NameContains": "cjhdvr" }))
            .await?,
        session.call("StopCompilationJob", name.clone()).await?,
    ];
    session.advance(3600.0)?;
    answers.push(session.call("DescribeCompilationJob", name.clone()).await?);
    answers.push(session.call("DeleteCompilationJob", name).await?);
    for (status, body) in &answers {
        assert_eq!(*status, 200, "{body}");
    }
    let (traffic, recording) = session.export("session")?;
    let replayer = ReplayingClient::from_file(&traffic)?;
    let client = sdk_client(&replayer);

    // Act: the same calls through the SDK.
    let created = client
        .create_compilation_job()
        .compilation_job_name(JOB)
        .role_arn(ROLE_ARN)
        .input_config(
            InputConfig::builder()
                .s3_uri(MODEL)
                .data_input_config(DATA_INPUT)
                .framework(Framework::Xgboost)
                .build(),
        )
        .output_config(
            OutputConfig::builder()
                .s3_output_location(OUTPUT)
                .target_device(TargetDevice::MlC5)
                .build(),
        )
        .stopping_condition(
            StoppingCondition::builder()
                .max_runtime_in_seconds(900)
                .build(),
        )
        .send()
        .await?;
    let starting = client
        .describe_compilation_job()
        .compilation_job_name(JOB)
        .send()
        .await?;
    let listed = client
        .list_compilation_jobs()
        .name_contains("cjhdvr")
        .send()
        .await?;
    client
        .stop_compilation_job()
        .compilation_job_name(JOB)
        .send()
        .await?;
    let stopped = client
        .describe_compilation_job()
        .compilation_job_name(JOB)
        .send()
        .await?;
    client
        .delete_compilation_job()
        .compilation_job_name(JOB)
        .send()
        .await?;

    // Assert: the SDK parsed the recorded answers ...
    let arn = "arn:aws:sagemaker:us-east-1:000000000000:compilation-job/cjhdvr-job";
    assert_eq!(created.compilation_job_arn(), Some(arn));
    assert_eq!(
        starting.compilation_job_status(),
        Some(&CompilationJobStatus::Starting)
    );
    assert_eq!(starting.compilation_job_arn(), Some(arn));
    assert_eq!(starting.request_id(), request_id(&recording, 1));
    let names: Vec<Option<&str>> = listed
        .compilation_job_summaries()
        .iter()
        .map(|s| s.compilation_job_name())
        .collect();
    assert_eq!(names, [Some(JOB)]);
    assert_eq!(
        stopped.compilation_job_status(),
        Some(&CompilationJobStatus::Stopped)
    );
    // ... and sent what the recording holds, request by request.
    replayer
        .validate_body_and_headers(Some(&["x-amz-target", "content-type"]), MEDIA_TYPE)
        .await
        .map_err(|e| format!("the SDK's requests differ from the recorded ones: {e}"))?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_the_recording_does_not_hold_fails_the_replayers_check() -> TestResult {
    // Arrange: a recorded Describe of an unknown job (an error answer).
    let session = Session::new();
    let (status, _) = session
        .call(
            "DescribeCompilationJob",
            json!({ "CompilationJobName": "cjhdvr-missing" }),
        )
        .await?;
    assert_eq!(status, 400);
    let (traffic, _) = session.export("unknown-job")?;
    let replayer = ReplayingClient::from_file(&traffic)?;

    // Act: the SDK asks for another job.
    let error = sdk_client(&replayer)
        .describe_compilation_job()
        .compilation_job_name("cjhdvr-other")
        .send()
        .await
        .err()
        .ok_or("the recorded error answer parsed as a success")?;
    let checked = replayer
        .validate_body_and_headers(Some(&["x-amz-target", "content-type"]), MEDIA_TYPE)
        .await;

    // Assert: the recorded error is what the SDK saw, and the check catches the body.
    assert_eq!(error.code(), Some("ValidationException"));
    assert_eq!(
        error.message(),
        Some("Could not find compilation job 'cjhdvr-missing'.")
    );
    assert!(
        checked.is_err(),
        "a Describe of another job passed the replayer's check"
    );
    Ok(())
}
