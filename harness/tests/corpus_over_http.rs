//! The proof that the corpus holds on any target: the whole corpus against `cjh serve`
//! over HTTP, with the system clock and otherwise default settings, SigV4 checked by the
//! server and signed by the run, passes as it does in process (but the scenarios that
//! declare they need a virtual clock, reported as not applicable), and leaves the server
//! holding no job.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod process;

use std::path::Path;
use std::process::Command;

use aws_credential_types::Credentials;
use cjh::exchange::{Body, Request};
use cjh::scenario::discover;
use cjh::targets::{Signer, TargetSpec};
use process::Running;
use serde_json::json;

const KEY: &str = "AKIDCJHCORPUS";
const SECRET: &str = "corpus-secret-for-a-loopback-test";

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_whole_corpus_passes_against_cjh_serve_over_http_with_sigv4_and_leaves_no_job() {
    // Arrange
    let dir = std::env::temp_dir().join(format!("cjh-corpus-http-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let credentials = dir.join("credentials.toml");
    std::fs::write(
        &credentials,
        format!(
            "[[credential]]\naccess_key_id = \"{KEY}\"\nsecret_access_key = \"{SECRET}\"\naccount_id = \"111122223333\"\n"
        ),
    )
    .unwrap();
    let server = Running::start(&[
        "serve",
        "--port",
        "0",
        "--auth",
        "sigv4",
        "--credentials",
        credentials.to_str().unwrap(),
    ]);
    let (scenarios, errors) = discover(&root().join("scenarios"));
    assert!(errors.is_empty(), "{errors:?}");
    let virtual_only = scenarios
        .iter()
        .filter(|s| s.file.assumes.virtual_clock.is_some())
        .count();

    // Act
    let output = Command::new(env!("CARGO_BIN_EXE_cjh"))
        .current_dir(root())
        .args(["run", "--target", server.url(), "--sign"])
        .env("AWS_ACCESS_KEY_ID", KEY)
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_PROFILE")
        .env("AWS_CONFIG_FILE", dir.join("no-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("no-credentials"))
        .output()
        .unwrap();

    // Assert
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let summary = format!(
        "{}: {} passed, 0 failed; {} reached their steps, 0 blocked at fixtures, {virtual_only} not applicable",
        server.url(),
        scenarios.len() - virtual_only,
        scenarios.len() - virtual_only,
    );
    assert!(
        output.status.success() && stdout.contains(&summary),
        "expected `{summary}`\n{stdout}\n{stderr}"
    );
    assert!(!stdout.contains("left"), "{stdout}");
    let target = TargetSpec::parse(server.url())
        .unwrap()
        .signed(Signer::new(
            Credentials::new(KEY, SECRET, None, None, "test"),
            "us-east-1",
        ))
        .unwrap()
        .open()
        .unwrap();
    let listed = target
        .send(Request::aws_json(
            Some("SageMaker.ListCompilationJobs"),
            Body::Json(json!({ "MaxResults": 100 })),
        ))
        .await
        .unwrap()
        .response;
    assert_eq!(listed.status, 200);
    assert_eq!(
        listed.body.json().unwrap()["CompilationJobSummaries"],
        json!([]),
        "the server still holds jobs after the run"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
