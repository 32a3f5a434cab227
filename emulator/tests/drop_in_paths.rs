//! moto's and LocalStack's control paths over a real socket, so that a suite written
//! against either runs unchanged: their resets forget every job as `POST /_cjh/reset`
//! does, LocalStack's health lists `sagemaker` as running, and like every control path
//! they are never journaled, faulted or signature-checked.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod raw_http;

use cjh_emulator::{AuthMode, Credential, Emulator};
use raw_http::{Connection, addr_of};
use serde_json::json;

const DESCRIBE: &str = "DescribeCompilationJob";

async fn served(emulator: &Emulator) -> Connection {
    Connection::open(&addr_of(&emulator.start().await.unwrap())).await
}

/// Creates a job, posts to `path`, and checks the answer is the reset's and the job gone.
async fn resets_jobs(path: &str) {
    let emulator = Emulator::builder().build();
    let mut connection = served(&emulator).await;
    common::create(&emulator, "kept-until-reset");
    let body = common::named("kept-until-reset").to_string();
    assert_eq!(connection.call(DESCRIBE, &body).await.status, 200);
    connection.send(path, None, "", b"").await;
    let answer = connection.answer().await.unwrap();
    assert_eq!(answer.status, 200, "{path}: {answer:?}");
    assert_eq!(answer.json(), json!({ "reset": true }), "{path}");
    let after = connection.call(DESCRIBE, &body).await;
    assert_eq!(after.status, 400, "{path}");
    assert_eq!(
        after.json()["Message"],
        "Could not find compilation job 'kept-until-reset'."
    );
}

#[tokio::test]
async fn post_moto_api_reset_forgets_every_job_as_cjh_reset_does() {
    resets_jobs("/moto-api/reset").await;
}

#[tokio::test]
async fn post_localstack_state_reset_forgets_every_job_as_cjh_reset_does() {
    resets_jobs("/_localstack/state/reset").await;
}

#[tokio::test]
async fn localstack_health_lists_sagemaker_as_running() {
    let emulator = Emulator::builder().build();
    let mut connection = served(&emulator).await;
    let answer = connection.get("/_localstack/health").await;
    assert_eq!(answer.status, 200);
    let health = answer.json();
    assert_eq!(health["services"], json!({ "sagemaker": "running" }));
    assert_eq!(health["edition"], "community");
    assert!(health["version"].is_string(), "{health}");
}

#[tokio::test]
async fn the_drop_in_paths_are_never_journaled_or_faulted() {
    let emulator = Emulator::builder().fault_internal_failure(1.0).build();
    let mut connection = served(&emulator).await;
    assert_eq!(connection.get("/_localstack/health").await.status, 200);
    for path in ["/moto-api/reset", "/_localstack/state/reset"] {
        connection.send(path, None, "", b"").await;
        assert_eq!(connection.answer().await.unwrap().status, 200, "{path}");
    }
    assert!(emulator.requests().is_empty());
}

#[tokio::test]
async fn the_drop_in_paths_need_no_signature_under_sigv4_but_the_control_token() {
    let emulator = Emulator::builder()
        .auth(AuthMode::Sigv4)
        .credential(Credential::new("AKIDONE", "secret", "111122223333"))
        .control_token(Some("tok".into()))
        .build();
    let mut connection = served(&emulator).await;
    assert_eq!(connection.get("/_localstack/health").await.status, 200);
    connection.send("/moto-api/reset", None, "", b"").await;
    assert_eq!(connection.answer().await.unwrap().status, 403, "no token");
    let bearer = "Authorization: Bearer tok\r\n";
    connection.send("/moto-api/reset", None, bearer, b"").await;
    assert_eq!(connection.answer().await.unwrap().status, 200);
    // An API request without a signature is refused, so the paths above were exempt.
    let refused = connection.call("ListCompilationJobs", "{}").await;
    assert_eq!(refused.status, 403);
}
