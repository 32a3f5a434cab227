//! A user's round trip with aws-sdk-sagemaker, unchanged: the application's session runs
//! through `cjh proxy` in front of `cjh serve --auth sigv4` (keys only the proxy holds, an
//! account and a role that are not documentation examples), the recording is served by
//! `cjh mock`, the same session against the mock prints the same thing, and `cjh verify`
//! of the recording against the emulator passes; again with an HTTPS upstream behind a
//! loopback certificate, as AWS is. (The AWS CLI's round trip is proxy_round_trip_awscli.rs.)

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../emulator/tests/common/mod.rs"]
mod common;
mod process;
mod proxying;
mod support;

use std::path::Path;

use aws_sdk_sagemaker::Client;
use aws_sdk_sagemaker::error::ProvideErrorMetadata;
use aws_sdk_sagemaker::types::{
    Framework, InputConfig, OutputConfig, StoppingCondition, TargetDevice,
};
use cjh::recording::{Recording, secrets};
use cjh::targets::EmulatorTarget;
use cjh::verify::{VerifyTarget, verify};
use cjh_emulator::Settings;
use process::Running;
use proxying::https::https_emulator;
use proxying::{Dir, Keys, keyed_proxy, mock_of, sigv4_server};

const REAL_KEY: &str = "AKIAROUNDTRIPREALKEY";
const REAL_SECRET: &str = "round-trip-real-secret-key-000000000000";
const ACCOUNT: &str = "210987654321";
const REAL: Keys = Keys {
    id: REAL_KEY,
    secret: REAL_SECRET,
};
const ROLE: &str = "arn:aws:iam::210987654321:role/service-role/RoundTripRole";
const BUCKET: &str = "round-trip-models";

/// The SDK as an application configures it: keys of its own, which no server accepts.
fn client(url: &str) -> Client {
    let config = common::sdk_config(
        url,
        "us-east-1",
        "AKIAAPPLICATIONKEY00",
        "application-secret-nobody-accepts-00000",
    );
    Client::from_conf(config.build())
}

async fn create(client: &Client, name: &str) -> String {
    let created = client
        .create_compilation_job()
        .compilation_job_name(name)
        .role_arn(ROLE)
        .input_config(
            InputConfig::builder()
                .s3_uri(format!("s3://{BUCKET}/model.tar.gz"))
                .framework(Framework::Pytorch)
                .data_input_config(r#"{"input0":[1,3,224,224]}"#)
                .build(),
        )
        .output_config(
            OutputConfig::builder()
                .s3_output_location(format!("s3://{BUCKET}/out/"))
                .target_device(TargetDevice::MlC5)
                .build(),
        )
        .stopping_condition(
            StoppingCondition::builder()
                .max_runtime_in_seconds(900)
                .build(),
        )
        .send()
        .await;
    match created {
        Ok(out) => format!("created {}", job_of(out.compilation_job_arn())),
        Err(e) => format!("create {name}: {}", e.code().unwrap_or("?")),
    }
}

/// The part of an ARN after the account, which scrubbing leaves alone.
fn job_of(arn: Option<&str>) -> String {
    arn.and_then(|a| a.rsplit_once(':'))
        .map_or("?".to_owned(), |(_, job)| job.to_owned())
}

/// The application's session; it prints what it saw, one line per call.
async fn session(client: &Client) -> Vec<String> {
    let mut lines = vec![create(client, "alpha").await, create(client, "beta").await];
    let described = client
        .describe_compilation_job()
        .compilation_job_name("alpha")
        .send()
        .await
        .unwrap();
    lines.push(format!(
        "alpha is {:?}, model {}",
        described.compilation_job_status(),
        described
            .input_config()
            .and_then(|c| c.s3_uri())
            .unwrap_or("?")
            .rsplit('/')
            .next()
            .unwrap_or("?")
    ));
    let mut pages = client
        .list_compilation_jobs()
        .max_results(1)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.unwrap();
        let names: Vec<&str> = page
            .compilation_job_summaries()
            .iter()
            .filter_map(|s| s.compilation_job_name())
            .collect();
        lines.push(format!(
            "page {names:?}, more: {}",
            page.next_token().is_some()
        ));
    }
    client
        .stop_compilation_job()
        .compilation_job_name("alpha")
        .send()
        .await
        .unwrap();
    let stopped = client
        .describe_compilation_job()
        .compilation_job_name("alpha")
        .send()
        .await
        .unwrap();
    lines.push(format!(
        "alpha after stop is {:?}",
        stopped.compilation_job_status()
    ));
    let refused = client
        .delete_compilation_job()
        .compilation_job_name("beta")
        .send()
        .await
        .unwrap_err();
    lines.push(format!(
        "delete beta: {:?} {:?}",
        refused.code(),
        refused.message()
    ));
    let missing = client
        .describe_compilation_job()
        .compilation_job_name("gamma")
        .send()
        .await
        .unwrap_err();
    lines.push(format!(
        "describe gamma: {:?} {:?}",
        missing.code(),
        missing.message()
    ));
    lines
}

/// The system clock with statuses that stay put for the session, as `server` has them.
fn still() -> Settings {
    Settings {
        starting_secs: 600.0,
        ..Settings::default()
    }
}

fn server(dir: &Dir) -> Running {
    // Statuses stay put for the session's few seconds on the system clock, so the
    // recorded Date headers and answer times agree, as they do on AWS.
    server_with(dir, &["--starting-secs", "600"])
}

fn server_with(dir: &Dir, extra: &[&str]) -> Running {
    sigv4_server(dir, REAL, ACCOUNT, extra)
}

fn proxy(upstream: &str, record: &Path) -> Running {
    proxy_with(upstream, record, &[])
}

fn proxy_with(upstream: &str, record: &Path, extra: &[&str]) -> Running {
    keyed_proxy(upstream, record, REAL, extra, &[])
}

#[tokio::test]
async fn the_rust_sdk_session_recorded_through_the_proxy_replays_the_same_from_cjh_mock_and_verifies()
 {
    let dir = Dir::new();
    let server = server(&dir);
    rust_sdk_round_trip(&dir, server.url(), &[]).await;
}

#[tokio::test]
async fn the_rust_sdk_round_trip_holds_with_an_https_upstream_behind_a_loopback_certificate() {
    let dir = Dir::new();
    let ca = dir.path("ca.pem");
    let upstream = https_emulator(&ca, REAL, ACCOUNT, still()).await;
    rust_sdk_round_trip(&dir, &upstream, &[("SSL_CERT_FILE", ca.to_str().unwrap())]).await;
}

/// The Rust SDK session through a proxy to `upstream`, then against `cjh mock` of the
/// recording; the recording scrubbed and verified against the emulator.
async fn rust_sdk_round_trip(dir: &Dir, upstream: &str, proxy_env: &[(&str, &str)]) {
    // Arrange
    let record = dir.path("app.jsonl");
    let mut proxy = keyed_proxy(upstream, &record, REAL, &[], proxy_env);

    // Act: the session through the proxy, then the same against the mock of its recording.
    let through_proxy = session(&client(proxy.url())).await;
    assert!(proxy.signal_and_wait("-TERM").success());
    let mock = mock_of(&record);
    let against_mock = session(&client(mock.url())).await;

    // Assert
    assert!(
        through_proxy[..3].iter().all(|l| !l.contains(": ")) && through_proxy.len() == 8,
        "the session did not run through the proxy: {through_proxy:#?}"
    );
    assert_eq!(against_mock, through_proxy);
    let text = std::fs::read_to_string(&record).unwrap();
    assert!(secrets::scan_text(&record, &text).is_empty());
    for kept_out in [
        ACCOUNT,
        "RoundTripRole",
        BUCKET,
        REAL_KEY,
        "AKIAAPPLICATIONKEY00",
    ] {
        assert!(!text.contains(kept_out), "{kept_out} is in the recording");
    }
    let recording = Recording::load(&record).unwrap();
    let emulator = VerifyTarget::Emulator(Box::new(EmulatorTarget::scenario_settings()));
    let verdict = verify(&recording, &emulator).await;
    assert!(verdict.passed(), "{}", verdict.render());
    assert_eq!(verdict.tally().0, (9, 9), "{}", verdict.render());
}

/// A job name from the clock, as the SageMaker Python SDK's `name_from_base` makes one
/// (`compile-2026-12-02-19-40-12-345`): never the same twice.
fn name_from_clock() -> String {
    std::thread::sleep(std::time::Duration::from_millis(2));
    let now = humantime::format_rfc3339_millis(std::time::SystemTime::now()).to_string();
    format!(
        "compile-{}",
        now.trim_end_matches('Z').replace(['T', ':', '.'], "-")
    )
}

/// Compile and wait, as an application that names its job by the clock does it; the
/// lines say what it saw, its own name left out (each run has another).
async fn compile_and_wait(client: &Client) -> (String, Vec<String>) {
    let name = name_from_clock();
    let mut lines = vec![
        create(client, &name)
            .await
            .replace(&name.to_lowercase(), "<mine>"),
    ];
    let mut polls = 0;
    let status = loop {
        polls += 1;
        let described = client
            .describe_compilation_job()
            .compilation_job_name(&name)
            .send()
            .await
            .unwrap();
        let status = described
            .compilation_job_status()
            .unwrap()
            .as_str()
            .to_owned();
        if status == "COMPLETED" || status == "FAILED" || polls == 100 {
            let mine = described
                .compilation_job_arn()
                .is_some_and(|arn| arn.ends_with(&format!("/{}", name.to_lowercase())));
            lines.push(format!("the answer names my job: {mine}"));
            break status;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    };
    lines.push(format!("{status} after {polls} polls"));
    let listed = client.list_compilation_jobs().send().await.unwrap();
    let names: Vec<&str> = listed
        .compilation_job_summaries()
        .iter()
        .filter_map(|s| s.compilation_job_name())
        .collect();
    lines.push(format!("listed: {}", names == [name.as_str()]));
    (name, lines)
}

#[tokio::test]
async fn an_application_that_names_jobs_by_the_clock_replays_against_its_recording_by_correlation()
{
    // Arrange: the first run, recorded, on the system clock with short lifecycles.
    let dir = Dir::new();
    let server = server_with(&dir, &["--starting-secs", "0.5", "--compiling-secs", "1"]);
    let record = dir.path("app.jsonl");
    let mut proxy = proxy_with(
        server.url(),
        &record,
        &["--correlate", "CompilationJobName"],
    );
    let (recorded_name, recorded) = compile_and_wait(&client(proxy.url())).await;
    assert!(proxy.signal_and_wait("-TERM").success());
    let rules = std::fs::read_to_string(dir.path("app.rules.toml")).unwrap();
    assert!(
        rules.contains("correlate = [\"CompilationJobName\"]"),
        "{rules}"
    );

    // Act: a second run, with a new name, against the mock of the first.
    let mock = mock_of(&record);
    let (replayed_name, replayed) = compile_and_wait(&client(mock.url())).await;

    // Assert
    assert_ne!(replayed_name, recorded_name);
    assert_eq!(
        recorded[1..],
        [
            "the answer names my job: true".to_owned(),
            recorded[2].clone(),
            "listed: true".to_owned()
        ]
    );
    assert!(recorded[2].starts_with("COMPLETED after "), "{recorded:?}");
    assert_eq!(replayed, recorded, "the second run saw another service");
}

#[tokio::test]
async fn without_correlation_a_new_name_is_an_unrecorded_request() {
    // Arrange
    let dir = Dir::new();
    let server = server_with(&dir, &["--starting-secs", "600"]);
    let record = dir.path("app.jsonl");
    let mut proxy = proxy(server.url(), &record);
    let first = create(&client(proxy.url()), &name_from_clock()).await;
    assert!(proxy.signal_and_wait("-TERM").success());
    assert!(first.starts_with("created "), "{first}");

    // Act
    let mock = mock_of(&record);
    let second = create(&client(mock.url()), &name_from_clock()).await;

    // Assert
    assert!(second.ends_with(": UnrecordedRequestException"), "{second}");
}
