//! `cjh import --from dvr`, on traffic smithy-rs itself wrote and on cjh's own export.
//!
//! The Rust SDK, with `aws_smithy_http_client::test_util::dvr::RecordingClient` as its
//! HTTP client, makes a session against the in-process emulator over HTTP; the
//! client's own `dump_to_file` writes the traffic, which is imported. The recording
//! must hold the session (bodies joined from the client's streamed pieces) and answer
//! it again: the same SDK calls against `cjh::mock` must see the same answers. And a
//! recording exported with `cjh export dvr` must import back to the same exchanges,
//! with the source its docs name rather than the AWS host its URIs show.
//!
//! `RecordingClient` hands its inner connector a streamed copy of the request body
//! whose sender it drops right after the last piece, and hyper 1 takes the closed
//! channel as the end of the body before reading the piece still in it: the service
//! gets headers and no body. [`Whole`] reads that copy to its end before passing the
//! request on; what is recorded is untouched (the recorder reads the SDK's body
//! itself).

mod hand_made;

use std::path::{Path, PathBuf};

use aws_sdk_sagemaker::Client;
use aws_sdk_sagemaker::config::{BehaviorVersion, Credentials, Region, SharedHttpClient};
use aws_sdk_sagemaker::error::ProvideErrorMetadata;
use aws_sdk_sagemaker::types::{
    Framework, InputConfig, OutputConfig, StoppingCondition, TargetDevice,
};
use aws_smithy_http_client::Connector;
use aws_smithy_http_client::test_util::dvr::RecordingClient;
use aws_smithy_runtime_api::client::http::{
    HttpConnector, HttpConnectorFuture, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_types::body::SdkBody;
use cjh::export::dvr;
use cjh::import::{Format, ImportOptions, import};
use cjh::recording::{FORMAT, Recording, Source, VERSION};
use http_body_util::BodyExt;

type TestResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

const JOB: &str = "cjhimport-dvr";

/// The default profile's role, model and output: an import is scrubbed, and scrubbing
/// turns any other role or bucket into a placeholder the replay would not match.
static DEFAULT: std::sync::LazyLock<cjh::scenario::Profile> =
    std::sync::LazyLock::new(cjh::scenario::Profile::default);

fn work(name: &str) -> TestResult<PathBuf> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("import-dvr")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// A connector that reads the request body whole, then sends it with `inner`.
#[derive(Debug)]
struct Whole(SharedHttpConnector);

impl HttpConnector for Whole {
    fn call(&self, mut request: HttpRequest) -> HttpConnectorFuture {
        let inner = self.0.clone();
        HttpConnectorFuture::new(async move {
            let body = std::mem::replace(request.body_mut(), SdkBody::taken());
            let bytes = body
                .collect()
                .await
                .map_err(ConnectorError::user)?
                .to_bytes();
            *request.body_mut() = SdkBody::from(bytes);
            inner.call(request).await
        })
    }
}

fn client(endpoint: &str, http: SharedHttpClient) -> Client {
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
        .endpoint_url(endpoint)
        .http_client(http)
        .build();
    Client::from_conf(config)
}

/// Create, Describe, List, Stop, Describe, and a Describe of a job that does not
/// exist; returns what the SDK read from each answer.
async fn session(client: &Client) -> TestResult<Vec<String>> {
    let mut seen = Vec::new();
    client
        .create_compilation_job()
        .compilation_job_name(JOB)
        .role_arn(&DEFAULT.role)
        .input_config(
            InputConfig::builder()
                .s3_uri(&DEFAULT.model)
                .framework(Framework::Xgboost)
                .data_input_config(r#"{"data": [1, 4]}"#)
                .build(),
        )
        .output_config(
            OutputConfig::builder()
                .s3_output_location(&DEFAULT.output)
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
    let describe = || {
        client
            .describe_compilation_job()
            .compilation_job_name(JOB)
            .send()
    };
    seen.push(format!("{:?}", describe().await?.compilation_job_status()));
    let listed = client
        .list_compilation_jobs()
        .name_contains("cjhimport")
        .send()
        .await?;
    seen.push(format!(
        "{} listed",
        listed.compilation_job_summaries().len()
    ));
    client
        .stop_compilation_job()
        .compilation_job_name(JOB)
        .send()
        .await?;
    seen.push(format!("{:?}", describe().await?.compilation_job_status()));
    let missing = client
        .describe_compilation_job()
        .compilation_job_name("cjhimport-missing")
        .send()
        .await;
    seen.push(match missing {
        Ok(_) => "described a missing job".to_owned(),
        Err(error) => format!("{:?}", error.code()),
    });
    Ok(seen)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn traffic_written_by_smithy_rs_recording_client_imports_and_answers_the_sdk_again()
-> TestResult {
    // Arrange: the SDK through smithy-rs's RecordingClient against the emulator.
    let emulator = cjh_emulator::Emulator::builder()
        .clock(cjh_emulator::ClockMode::Manual)
        .build();
    let url = emulator.start().await?;
    let recorder = RecordingClient::new(Whole(SharedHttpConnector::new(
        Connector::builder().build_http(),
    )));
    let first = session(&client(&url, SharedHttpClient::new(recorder.clone()))).await?;
    let traffic = work("recording-client")?.join("traffic.json");
    recorder.dump_to_file(&traffic)?;

    // Act
    let recording = import(&ImportOptions::new(Format::Dvr, &traffic))?;

    // Assert
    let operations: Vec<&str> = recording
        .exchanges
        .iter()
        .map(|e| e.operation.as_str())
        .collect();
    assert_eq!(
        operations,
        [
            "CreateCompilationJob",
            "DescribeCompilationJob",
            "ListCompilationJobs",
            "StopCompilationJob",
            "DescribeCompilationJob",
            "DescribeCompilationJob"
        ]
    );
    assert_eq!(recording.provenance.source, Source::Url);
    assert_eq!(recording.provenance.region, "us-east-1");
    assert!(recording.exchanges.iter().all(|e| !e.reconstructed));
    let mock = cjh::mock::start(std::slice::from_ref(&recording)).await;
    let plain = aws_smithy_http_client::Builder::new().build_http();
    let again = session(&client(&mock.uri(), plain)).await;
    assert_eq!(again?, first);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cjh_dvr_export_imports_back_to_the_same_exchanges_and_source() -> TestResult {
    let emulator_recording = Recording {
        format: FORMAT.to_owned(),
        version: VERSION,
        scenario: "import/round-trip".to_owned(),
        provenance: hand_made::provenance(Source::Emulator, "emulator", "cjh"),
        exchanges: cjh::import::import(&ImportOptions::new(
            Format::Placebo,
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../emulator/tests/evidence/real-aws/cloud-custodian/test_sagemaker_compilation_job_stop"),
        ))?
        .exchanges
        .into_iter()
        .map(|mut e| {
            e.reconstructed = false;
            e
        })
        .collect(),
    };
    let dir = work("round-trip")?;
    let recording_file = dir.join("recording.jsonl");
    emulator_recording.write(&recording_file)?;
    let traffic = dir.join("traffic.json");
    dvr::export(&recording_file, None, &traffic)?;

    let back = import(&ImportOptions::new(Format::Dvr, &traffic))?;

    assert_eq!(back.exchanges, emulator_recording.exchanges);
    assert_eq!(
        back.provenance.source,
        Source::Emulator,
        "the export's docs say so"
    );
    assert_eq!(
        back.provenance.endpoint,
        "https://api.sagemaker.us-east-1.amazonaws.com"
    );
    Ok(())
}
