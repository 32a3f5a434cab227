//! Real clients against mock servers: the Rust SDK, and the `cjh mock` binary.

use super::*;

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
