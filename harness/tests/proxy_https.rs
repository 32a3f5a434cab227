//! `cjh proxy` to an HTTPS upstream, as AWS is: the upstream here is the emulator behind
//! TLS with a loopback certificate (rcgen) and SigV4 checking on. The certificate is
//! checked: trusted through `SSL_CERT_FILE` the session works and is recorded; without it
//! the client gets an AWS-shaped 502 that names the certificate, and nothing is recorded.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod process;
mod proxying;

use std::path::Path;

use aws_credential_types::Credentials;
use cjh::exchange::{Body, Request};
use cjh::recording::Recording;
use cjh::targets::{Signer, Target, UrlTarget};
use cjh_emulator::Settings;
use process::Running;
use proxying::https::https_emulator;
use proxying::{Dir, Keys, keyed_proxy};
use serde_json::{Value, json};

const REAL_KEY: &str = "AKIAHTTPSTESTREALKEY";
const REAL_SECRET: &str = "https-test-real-secret-key-0000000000000";
const ACCOUNT: &str = "210987654321";

/// The emulator behind TLS on 127.0.0.1, its certificate written to `ca`; the URL.
async fn https_upstream(ca: &Path) -> String {
    let keys = Keys {
        id: REAL_KEY,
        secret: REAL_SECRET,
    };
    https_emulator(ca, keys, ACCOUNT, Settings::default()).await
}

fn proxy(upstream: &str, record: &Path, ca: Option<&Path>) -> Running {
    // Without a CA of its own the proxy would trust the host's roots, which do not hold
    // the loopback certificate either; a missing file keeps them out too.
    let missing = std::env::temp_dir().join("cjh-test-no-such-dir");
    let trusted = ca.unwrap_or(&missing).to_str().unwrap().to_owned();
    let keys = Keys {
        id: REAL_KEY,
        secret: REAL_SECRET,
    };
    keyed_proxy(upstream, record, keys, &[], &[("SSL_CERT_FILE", &trusted)])
}

async fn list(url: &str) -> (u16, Value) {
    let credentials = Credentials::new(
        "AKIACLIENTHASNOREALKEY",
        "client-secret-000000",
        None,
        None,
        "t",
    );
    let client = UrlTarget::new(url, Some(Signer::new(credentials, "us-east-1"))).unwrap();
    let request = Request::aws_json(Some("SageMaker.ListCompilationJobs"), Body::Json(json!({})));
    let exchange = client.send(request).await.unwrap();
    let body = serde_json::from_slice(&exchange.response.body.to_bytes()).unwrap_or(Value::Null);
    (exchange.response.status, body)
}

#[tokio::test]
async fn a_trusted_https_upstream_answers_through_the_proxy_and_is_recorded() {
    // Arrange
    let dir = Dir::new();
    let ca = dir.path("ca.pem");
    let upstream = https_upstream(&ca).await;
    let record = dir.path("app.jsonl");
    let mut proxy = proxy(&upstream, &record, Some(&ca));

    // Act
    let (status, body) = list(proxy.url()).await;

    // Assert
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["CompilationJobSummaries"], json!([]));
    assert!(proxy.signal_and_wait("-TERM").success());
    let recording = Recording::load(&record).unwrap();
    assert_eq!(recording.exchanges.len(), 1);
    assert_eq!(recording.provenance.endpoint, upstream);
}

#[tokio::test]
async fn an_https_upstream_with_an_untrusted_certificate_gets_the_client_a_502_naming_it() {
    // Arrange
    let dir = Dir::new();
    let upstream = https_upstream(&dir.path("ca.pem")).await;
    let record = dir.path("app.jsonl");
    let mut proxy = proxy(&upstream, &record, None);

    // Act
    let (status, body) = list(proxy.url()).await;

    // Assert
    assert_eq!(status, 502, "{body}");
    assert_eq!(body["__type"], "UpstreamUnreachable");
    let message = body["message"].as_str().unwrap().to_lowercase();
    assert!(message.contains("certificate"), "{message}");
    assert!(proxy.signal_and_wait("-TERM").success());
    assert!(Recording::load(&record).unwrap().exchanges.is_empty());
}
