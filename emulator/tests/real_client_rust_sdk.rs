//! The official Rust SDK (`aws-sdk-sagemaker`) against the in-process emulator.
//!
//! These tests go through everything a Rust user's calls go through: the
//! SDK's serializers, SigV4 signer, response and error parsers, and its own
//! paginator. Each test owns one emulator with a manual clock, so job
//! lifecycles advance only when the test says so.

mod common;

use std::error::Error;
use std::time::Duration;

use aws_sdk_sagemaker::Client;
use aws_sdk_sagemaker::error::ProvideErrorMetadata;
use aws_sdk_sagemaker::operation::RequestId;
use aws_sdk_sagemaker::types::{CompilationJobStatus, Framework, InputConfig, TargetDevice};

type TestResult<T = ()> = Result<T, Box<dyn Error>>;

/// An input the emulator compiles successfully (it ends with `.tar.gz`).
const GOOD_MODEL: &str = "s3://bucket/model.tar.gz";
/// An input the emulator fails to compile.
const BAD_MODEL: &str = "s3://bucket/model.zip";

/// One emulator and an SDK client pointed at it.
struct Session {
    // Kept alive for the whole test: dropping it stops the server.
    emulator: cjh_emulator::Emulator,
    client: Client,
}

impl Session {
    async fn start() -> TestResult<Self> {
        Self::start_in("us-east-1").await
    }

    async fn start_in(region: &'static str) -> TestResult<Self> {
        let emulator = cjh_emulator::Emulator::builder()
            .clock(cjh_emulator::ClockMode::Manual)
            .build();
        let url = emulator.start().await?;
        let config = common::sdk_config(&url, region, "AKIDCJHTEST", "cjh-test-secret").build();
        Ok(Self {
            emulator,
            client: Client::from_conf(config),
        })
    }

    fn advance(&self, seconds: u64) -> TestResult {
        self.emulator.advance_clock(Duration::from_secs(seconds))?;
        Ok(())
    }

    async fn create(&self, name: &str, s3_uri: &str) -> TestResult<String> {
        let output = common::sdk_create(&self.client, name)
            .input_config(
                InputConfig::builder()
                    .s3_uri(s3_uri)
                    .framework(Framework::Xgboost)
                    .data_input_config(r#"{"data": [1, 4]}"#)
                    .build(),
            )
            .send()
            .await?;
        Ok(output.compilation_job_arn().unwrap_or_default().to_owned())
    }

    async fn status(&self, name: &str) -> TestResult<CompilationJobStatus> {
        let output = self
            .client
            .describe_compilation_job()
            .compilation_job_name(name)
            .send()
            .await?;
        output
            .compilation_job_status()
            .cloned()
            .ok_or_else(|| format!("describe {name}: no CompilationJobStatus").into())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_starts_then_runs_then_completes_or_fails_by_its_input_uri() -> TestResult {
    // Arrange
    let session = Session::start().await?;
    let arn = session.create("sdk-good", GOOD_MODEL).await?;
    session.create("sdk-bad", BAD_MODEL).await?;

    // Act and assert, one clock step at a time
    assert_eq!(
        arn,
        "arn:aws:sagemaker:us-east-1:000000000000:compilation-job/sdk-good"
    );
    let described = session
        .client
        .describe_compilation_job()
        .compilation_job_name("sdk-good")
        .send()
        .await?;
    assert_eq!(described.compilation_job_name(), Some("sdk-good"));
    assert_eq!(described.compilation_job_arn(), Some(arn.as_str()));
    assert_eq!(
        described.compilation_job_status(),
        Some(&CompilationJobStatus::Starting)
    );
    assert_eq!(
        described.input_config().and_then(|c| c.s3_uri()),
        Some(GOOD_MODEL)
    );
    assert_eq!(
        described.output_config().and_then(|c| c.target_device()),
        Some(&TargetDevice::MlC5)
    );

    session.advance(1)?;
    assert_eq!(
        session.status("sdk-good").await?,
        CompilationJobStatus::Inprogress
    );
    assert_eq!(
        session.status("sdk-bad").await?,
        CompilationJobStatus::Inprogress
    );

    session.advance(2)?;
    assert_eq!(
        session.status("sdk-good").await?,
        CompilationJobStatus::Inprogress
    );

    session.advance(1)?;
    assert_eq!(
        session.status("sdk-good").await?,
        CompilationJobStatus::Completed
    );
    assert_eq!(
        session.status("sdk-bad").await?,
        CompilationJobStatus::Failed
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_job_arn_carries_the_region_of_the_request_signature() -> TestResult {
    let session = Session::start_in("eu-west-1").await?;

    let arn = session.create("Sdk-Mixed-Case", GOOD_MODEL).await?;

    assert_eq!(
        arn,
        "arn:aws:sagemaker:eu-west-1:000000000000:compilation-job/sdk-mixed-case"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sdk_paginator_lists_every_job_in_creation_order_over_two_pages() -> TestResult {
    // Arrange: distinct creation times, so the order does not rest on tie-breaking
    let session = Session::start().await?;
    for name in ["sdk-list-1", "sdk-list-2", "sdk-list-3"] {
        session.create(name, GOOD_MODEL).await?;
        session.advance(1)?;
    }

    // Act
    let pages = session
        .client
        .list_compilation_jobs()
        .into_paginator()
        .page_size(2)
        .send()
        .try_collect()
        .await?;

    // Assert
    let page_sizes: Vec<usize> = pages
        .iter()
        .map(|p| p.compilation_job_summaries().len())
        .collect();
    assert_eq!(page_sizes, [2, 1]);
    assert!(pages[0].next_token().is_some_and(|t| !t.is_empty()));
    assert_eq!(
        pages[1].next_token(),
        None,
        "the last page must not carry a NextToken"
    );
    let names: Vec<&str> = pages
        .iter()
        .flat_map(|p| p.compilation_job_summaries())
        .filter_map(|s| s.compilation_job_name())
        .collect();
    assert_eq!(names, ["sdk-list-1", "sdk-list-2", "sdk-list-3"]);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stopping_a_running_job_shows_stopping_then_stopped() -> TestResult {
    let session = Session::start().await?;
    session.create("sdk-stop", GOOD_MODEL).await?;
    session.advance(1)?;
    assert_eq!(
        session.status("sdk-stop").await?,
        CompilationJobStatus::Inprogress
    );

    session
        .client
        .stop_compilation_job()
        .compilation_job_name("sdk-stop")
        .send()
        .await?;

    assert_eq!(
        session.status("sdk-stop").await?,
        CompilationJobStatus::Stopping
    );
    session.advance(1)?;
    assert_eq!(
        session.status("sdk-stop").await?,
        CompilationJobStatus::Stopped
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_job_cannot_be_deleted() -> TestResult {
    let session = Session::start().await?;
    session.create("sdk-busy", GOOD_MODEL).await?;

    let result = session
        .client
        .delete_compilation_job()
        .compilation_job_name("sdk-busy")
        .send()
        .await;

    let Err(err) = result else {
        return Err("deleting a STARTING job succeeded; expected ValidationException".into());
    };
    let service_error = err
        .as_service_error()
        .ok_or_else(|| format!("not a service error: {err:?}"))?;
    assert_eq!(service_error.code(), Some("ValidationException"));
    assert_eq!(
        session.status("sdk-busy").await?,
        CompilationJobStatus::Starting
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_job_is_gone_and_describing_it_is_a_validation_exception() -> TestResult {
    // Arrange
    let session = Session::start().await?;
    session.create("sdk-delete", GOOD_MODEL).await?;
    session.advance(4)?;
    assert_eq!(
        session.status("sdk-delete").await?,
        CompilationJobStatus::Completed
    );

    // Act
    session
        .client
        .delete_compilation_job()
        .compilation_job_name("sdk-delete")
        .send()
        .await?;
    let result = session
        .client
        .describe_compilation_job()
        .compilation_job_name("sdk-delete")
        .send()
        .await;

    // Assert
    let Err(err) = result else {
        return Err("describing a deleted job succeeded; expected ValidationException".into());
    };
    let service_error = err
        .as_service_error()
        .ok_or_else(|| format!("not a service error: {err:?}"))?;
    assert_eq!(service_error.code(), Some("ValidationException"));
    assert_eq!(
        service_error.message(),
        Some("Could not find compilation job 'sdk-delete'.")
    );
    assert!(service_error.request_id().is_some_and(|id| !id.is_empty()));
    let listed = session.client.list_compilation_jobs().send().await?;
    assert!(listed.compilation_job_summaries().is_empty());
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn max_results_over_100_is_a_validation_exception_with_the_exact_message() -> TestResult {
    let session = Session::start().await?;

    // The SDK validates neither min nor max, so 1000 reaches the emulator.
    let result = session
        .client
        .list_compilation_jobs()
        .max_results(1000)
        .send()
        .await;

    let Err(err) = result else {
        return Err("MaxResults=1000 succeeded; expected ValidationException".into());
    };
    let service_error = err
        .as_service_error()
        .ok_or_else(|| format!("not a service error: {err:?}"))?;
    assert_eq!(service_error.code(), Some("ValidationException"));
    assert_eq!(
        service_error.message(),
        Some(
            "1 validation error detected: Value '1000' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100"
        )
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reset_forgets_every_job() -> TestResult {
    let session = Session::start().await?;
    session.create("sdk-reset", GOOD_MODEL).await?;

    session.emulator.reset();

    let listed = session.client.list_compilation_jobs().send().await?;
    assert!(listed.compilation_job_summaries().is_empty());
    // The name is free again, so creating it anew must succeed.
    session.create("sdk-reset", GOOD_MODEL).await?;
    Ok(())
}
