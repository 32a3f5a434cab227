//! The URL target: a scenario run over HTTP against `cjh serve`-style endpoints,
//! unsigned, and SigV4-signed for a region the server then files the jobs under.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use aws_credential_types::Credentials;
use cjh::runner::{judge, run};
use cjh::scenario::Profile;
use cjh::scenario::load;
use cjh::targets::{Signer, TargetSpec};
use cjh_emulator::Emulator;

fn scenario() -> cjh::scenario::Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/two-starting-jobs.toml");
    load(&path, "data/two-starting-jobs".to_owned()).unwrap()
}

/// A server whose jobs stay STARTING for the whole test.
async fn server() -> (Emulator, String) {
    let emulator = Emulator::builder().starting_secs(600.0).build();
    let url = emulator.start().await.unwrap();
    (emulator, url)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scenario_over_http_on_a_real_clock_gives_the_snapshot_of_the_virtual_clock() {
    let (_emulator, url) = server().await;
    let over_http = judge(
        &scenario(),
        &TargetSpec::parse(&url).unwrap(),
        &Profile::default(),
    )
    .await;
    assert!(over_http.failures.is_empty(), "{:?}", over_http.failures);
    let in_process = judge(
        &scenario(),
        &TargetSpec::parse("emulator").unwrap(),
        &Profile::default(),
    )
    .await;
    assert!(in_process.failures.is_empty(), "{:?}", in_process.failures);
    // In real time the two jobs are usually created within one second, so their
    // LastModifiedTimes are equal, where the virtual clock puts them a second apart:
    // times are named by job and member, so the snapshots are the same all the same.
    assert_eq!(over_http.snapshot, in_process.snapshot);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_requests_carry_the_region_the_server_files_jobs_under() {
    let (emulator, url) = server().await;
    let credentials = Credentials::new("AKIDCJHTEST", "secret", None, None, "test");
    let spec = TargetSpec::parse(&url)
        .unwrap()
        .signed(Signer::new(credentials, "eu-west-1"))
        .unwrap();
    let target = spec.open().unwrap();
    let outcome = run(
        &scenario(),
        target.as_ref(),
        &Profile::default(),
        "cjhsigned",
    )
    .await;
    assert!(outcome.failures.is_empty(), "{:?}", outcome.failures);
    let describe = outcome.transcript.exchanges.last().unwrap();
    let arn = describe.response.json().unwrap()["CompilationJobArn"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        arn,
        "arn:aws:sagemaker:eu-west-1:000000000000:compilation-job/cjhsigned-alpha"
    );
    // Unsigned calls land in the default region, where these jobs are not.
    let reply = emulator.call(
        "DescribeCompilationJob",
        &serde_json::json!({ "CompilationJobName": "cjhsigned-alpha" }),
    );
    assert_eq!(reply.error_code(), Some("ValidationException"));
}

#[tokio::test]
async fn an_unreachable_endpoint_fails_the_scenario_with_the_reason() {
    let spec = TargetSpec::parse("http://127.0.0.1:9").unwrap();
    let verdict = judge(&scenario(), &spec, &Profile::default()).await;
    assert!(!verdict.passed());
    assert_eq!(verdict.failures[0].step, None);
    assert!(
        verdict.failures[0].message.contains("http://127.0.0.1:9"),
        "{:?}",
        verdict.failures
    );
}
