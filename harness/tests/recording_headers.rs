#![allow(clippy::unwrap_used, clippy::expect_used)]
//! A recorder keeps the headers that were really sent and received, not ones it makes
//! up: a signed request over HTTP keeps its `x-amz-date` and the server's `date`, the
//! in-process emulator (no HTTP, so no date) keeps neither, credentials are never kept,
//! and with a writer each exchange is on disk as soon as it is answered.

mod hand_made;
use std::path::Path;

use aws_credential_types::Credentials;
use cjh::exchange::{Body, Request};
use cjh::recording::{Recording, RecordingWriter, Source};
use cjh::targets::{EmulatorTarget, RecordingTarget, Signer, Target, UrlTarget};
use cjh_emulator::{AuthMode, Credential, Emulator};
use serde_json::json;

const KEY: &str = "AKIDCJHHEADERTEST";
const SECRET: &str = "cjh-header-test-secret";

fn list() -> Request {
    Request::aws_json(
        Some("SageMaker.ListCompilationJobs"),
        Body::Json(json!({ "MaxResults": 5 })),
    )
}

fn names(headers: &cjh::exchange::Headers) -> Vec<&str> {
    headers.iter().map(|(name, _)| name).collect()
}

#[tokio::test]
async fn a_signed_request_over_http_is_recorded_with_its_real_date_headers_and_no_credentials() {
    let emulator = Emulator::builder()
        .auth(AuthMode::Sigv4)
        .credential(Credential::new(KEY, SECRET, "000000000000"))
        .build();
    let url = emulator.start().await.unwrap();
    let signer = Signer::new(
        Credentials::new(KEY, SECRET, None, None, "test"),
        "us-east-1",
    );
    let target = RecordingTarget::new(Box::new(UrlTarget::new(&url, Some(signer)).unwrap()));

    let sent = target.send(list()).await.unwrap();

    // What the target reports is what went on the wire, signature included.
    assert!(sent.request.headers.get("authorization").is_some());
    assert_eq!(sent.response.status, 200);
    let recorded = &target.exchanges()[0];
    assert_eq!(recorded.operation, "ListCompilationJobs");
    assert_eq!(
        names(&recorded.request.headers),
        ["content-type", "x-amz-date", "x-amz-target"]
    );
    assert_eq!(
        recorded.request.headers["x-amz-date"],
        sent.request.headers["x-amz-date"]
    );
    assert_eq!(
        names(&recorded.response.headers),
        ["content-type", "date", "x-amzn-requestid"]
    );
    assert_eq!(
        recorded.response.headers["date"],
        sent.response.headers["date"]
    );
}

#[tokio::test]
async fn the_in_process_emulator_is_recorded_without_a_date_so_re_recordings_are_identical() {
    let record = || async {
        let target = RecordingTarget::new(Box::new(EmulatorTarget::new(
            EmulatorTarget::scenario_settings(),
        )));
        target.send(list()).await.unwrap();
        target.exchanges()
    };
    let first = record().await;
    assert_eq!(
        names(&first[0].request.headers),
        ["content-type", "x-amz-target"]
    );
    assert_eq!(
        names(&first[0].response.headers),
        ["content-type", "x-amzn-requestid"]
    );
    assert_eq!(first, record().await);
}

#[tokio::test]
async fn a_recorder_with_a_writer_has_each_exchange_on_disk_as_soon_as_it_is_answered() {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("recording-headers-{}.jsonl", std::process::id()));
    let provenance = hand_made::provenance(Source::Emulator, "emulator", "cjhtest");
    let writer = RecordingWriter::create(&path, "area/live", &provenance).unwrap();
    let target = RecordingTarget::writing_to(
        Box::new(EmulatorTarget::new(EmulatorTarget::scenario_settings())),
        writer,
    );
    for count in 1..=3 {
        target.send(list()).await.unwrap();
        let on_disk = Recording::load(&path).unwrap();
        assert_eq!(on_disk.exchanges.len(), count);
        assert_eq!(on_disk.exchanges, target.exchanges());
    }
    target.finish().unwrap();
    std::fs::remove_file(&path).ok();
}
