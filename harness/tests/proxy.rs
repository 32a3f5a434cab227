//! `cjh proxy` as a process, in front of `cjh serve --auth sigv4` holding keys the client
//! does not have: only the proxy's re-signing can get a request accepted.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod process;
mod proxying;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use aws_credential_types::Credentials;
use cjh::exchange::{Body, Request};
use cjh::recording::{Recording, secrets};
use cjh::targets::{Signer, Target, UrlTarget};
use process::Running;
use proxying::{Dir, Keys, keyed_proxy, sigv4_server};
use serde_json::{Value, json};

/// The key the server accepts and only the proxy holds.
const REAL_KEY: &str = "AKIAPROXYTESTREALKEY";
const REAL_SECRET: &str = "proxy-test-real-secret-key-0000000000000";
/// An account id that is not a documentation example, so scrubbing must change it.
const ACCOUNT: &str = "210987654321";

/// The key the server accepts and only the proxy holds.
const REAL: Keys = Keys {
    id: REAL_KEY,
    secret: REAL_SECRET,
};

/// `cjh serve --auth sigv4` accepting only the real key, for the account above.
fn server(dir: &Dir) -> Running {
    server_for(dir, ACCOUNT, &[])
}

/// The same for `account`, with more flags.
fn server_for(dir: &Dir, account: &str, extra: &[&str]) -> Running {
    sigv4_server(dir, REAL, account, extra)
}

/// `cjh proxy` to `upstream`, with the real key in its environment and nothing else.
fn proxy(upstream: &str, record: &Path, extra: &[&str]) -> Running {
    keyed_proxy(upstream, record, REAL, extra, &[])
}

/// A client that signs with keys no server knows.
fn client(url: &str) -> UrlTarget {
    let credentials = Credentials::new(
        "AKIACLIENTHASNOREALKEY",
        "client-secret-that-nobody-accepts-000000",
        None,
        None,
        "test",
    );
    UrlTarget::new(url, Some(Signer::new(credentials, "us-east-1"))).unwrap()
}

async fn call(target: &UrlTarget, operation: &str, body: &Value) -> (u16, Value) {
    let request = Request::aws_json(
        Some(&format!("SageMaker.{operation}")),
        Body::Json(body.clone()),
    );
    let exchange = target.send(request).await.unwrap();
    let answer = serde_json::from_slice(&exchange.response.body.to_bytes()).unwrap_or(Value::Null);
    (exchange.response.status, answer)
}

fn create_body(name: &str) -> Value {
    json!({
        "CompilationJobName": name,
        "RoleArn": format!("arn:aws:iam::{ACCOUNT}:role/service-role/ProxyTestRole"),
        "InputConfig": {"S3Uri": "s3://cjh-models/model.tar.gz", "Framework": "PYTORCH",
                        "DataInputConfig": "{\"input0\":[1,3,224,224]}"},
        "OutputConfig": {"S3OutputLocation": "s3://cjh-models/out/", "TargetDevice": "ml_c5"},
        "StoppingCondition": {"MaxRuntimeInSeconds": 900},
    })
}

#[tokio::test]
async fn a_client_without_the_servers_keys_is_accepted_through_the_proxy_and_recorded_scrubbed() {
    let dir = Dir::new();
    let server = server(&dir);
    let record = dir.path("app.jsonl");
    let mut proxy = proxy(server.url(), &record, &[]);

    let (status, direct) = call(&client(server.url()), "ListCompilationJobs", &json!({})).await;
    assert_eq!(
        status, 403,
        "the server took the client's own keys: {direct}"
    );

    let through = client(proxy.url());
    let (status, created) = call(&through, "CreateCompilationJob", &create_body("proxied")).await;
    assert_eq!(status, 200, "{created}");
    assert_eq!(
        created["CompilationJobArn"],
        format!("arn:aws:sagemaker:us-east-1:{ACCOUNT}:compilation-job/proxied")
    );
    let (status, described) = call(
        &through,
        "DescribeCompilationJob",
        &json!({"CompilationJobName": "proxied"}),
    )
    .await;
    assert_eq!(status, 200, "{described}");
    let (status, missing) = call(
        &through,
        "DescribeCompilationJob",
        &json!({"CompilationJobName": "never-made"}),
    )
    .await;
    assert_eq!(status, 400, "the upstream's error is passed on: {missing}");

    let stopped = proxy.signal_and_wait("-TERM");
    assert!(stopped.success(), "cjh proxy exited with {stopped}");
    let recording = Recording::load(&record).unwrap();
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
            "DescribeCompilationJob"
        ]
    );
    assert_eq!(recording.exchanges[2].response.status, 400);
    assert_eq!(recording.scenario, "app");
    let text = std::fs::read_to_string(&record).unwrap();
    for secret in [
        ACCOUNT,
        REAL_KEY,
        REAL_SECRET,
        "ProxyTestRole",
        "AKIACLIENTHASNOREALKEY",
    ] {
        assert!(
            !text.contains(secret),
            "{secret} reached the recording:\n{text}"
        );
    }
    assert!(text.contains("arn:aws:sagemaker:us-east-1:000000000000:compilation-job/proxied"));
    // The scan sees these keys where they are (the server's file), and not in the recording.
    let keys = dir.path("credentials.toml");
    let in_keys = secrets::scan_text(&keys, &std::fs::read_to_string(&keys).unwrap());
    assert_eq!(in_keys.len(), 3, "{in_keys:?}");
    let findings = secrets::scan_text(&record, &text);
    assert!(findings.is_empty(), "{findings:?}");
}

/// A `credential_process` profile whose keys expire in two minutes (inside the proxy's
/// refresh window), counting its runs in `runs.log`.
fn short_lived_process_profile(dir: &Dir) -> PathBuf {
    let runs = dir.path("runs.log");
    let expiry =
        humantime::format_rfc3339_seconds(std::time::SystemTime::now() + Duration::from_secs(120));
    let script = dir.path("process.sh");
    std::fs::write(
        &script,
        format!(
            "echo run >> '{}'\necho '{{\"Version\":1,\"AccessKeyId\":\"{REAL_KEY}\",\"SecretAccessKey\":\"{REAL_SECRET}\",\"SessionToken\":\"short\",\"Expiration\":\"{expiry}\"}}'\n",
            runs.display()
        ),
    )
    .unwrap();
    let config = dir.path("config");
    std::fs::write(
        &config,
        format!(
            "[profile short]\ncredential_process = sh {}\n",
            script.display()
        ),
    )
    .unwrap();
    config
}

#[tokio::test]
async fn credentials_about_to_expire_are_fetched_again_for_the_next_request() {
    // Arrange
    let dir = Dir::new();
    let server = server(&dir);
    let config = short_lived_process_profile(&dir);
    let record = dir.path("app.jsonl");
    let missing = std::env::temp_dir().join("cjh-test-no-such-dir");
    let mut proxy = Running::start_with_env(
        &[
            "proxy",
            "--upstream",
            server.url(),
            "--record",
            record.to_str().unwrap(),
            "--port",
            "0",
            "--profile",
            "short",
        ],
        &[
            ("AWS_CONFIG_FILE", config.to_str().unwrap()),
            ("AWS_SHARED_CREDENTIALS_FILE", missing.to_str().unwrap()),
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ],
    );
    let runs = || {
        std::fs::read_to_string(dir.path("runs.log"))
            .unwrap_or_default()
            .lines()
            .count()
    };
    let at_start = runs();

    // Act
    let through = client(proxy.url());
    let (first, _) = call(&through, "ListCompilationJobs", &json!({})).await;
    let (second, _) = call(&through, "ListCompilationJobs", &json!({})).await;

    // Assert
    assert_eq!(
        (first, second),
        (200, 200),
        "the server refused the process's keys"
    );
    assert_eq!(at_start, 1, "the profile is resolved once at start");
    assert_eq!(
        runs(),
        3,
        "each request inside the refresh window ran the process again"
    );
    assert!(proxy.signal_and_wait("-TERM").success());
}

#[tokio::test]
async fn an_upstream_that_refuses_connections_gets_the_client_an_aws_shaped_502() {
    let dir = Dir::new();
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let upstream = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let proxy = proxy(&upstream, &dir.path("refused.jsonl"), &[]);
    let started = Instant::now();
    let (status, answer) = call(&client(proxy.url()), "ListCompilationJobs", &json!({})).await;
    assert_eq!(status, 502, "{answer}");
    assert_eq!(answer["__type"], "UpstreamUnreachable");
    let message = answer["message"].as_str().unwrap();
    assert!(message.contains(&upstream), "{message}");
    assert!(started.elapsed() < Duration::from_secs(15));
}

#[tokio::test]
async fn an_upstream_that_never_answers_gets_the_client_a_504_at_the_timeout() {
    let dir = Dir::new();
    // Accepts connections (the kernel's backlog) and never answers.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let upstream = format!("http://{}", silent.local_addr().unwrap());
    let record = dir.path("silent.jsonl");
    let proxy = proxy(&upstream, &record, &["--upstream-timeout-secs", "0.5"]);
    let started = Instant::now();
    let (status, answer) = call(&client(proxy.url()), "ListCompilationJobs", &json!({})).await;
    assert_eq!(status, 504, "{answer}");
    assert_eq!(answer["__type"], "UpstreamTimeout");
    assert!(started.elapsed() < Duration::from_secs(10));
    let recording = Recording::load(&record).unwrap();
    assert!(
        recording.exchanges.is_empty(),
        "the proxy's own answer was recorded as the upstream's"
    );
    drop(silent);
}

#[tokio::test]
async fn a_killed_proxy_leaves_every_answered_exchange_on_disk() {
    let dir = Dir::new();
    let server = server(&dir);
    let record = dir.path("killed.jsonl");
    let mut proxy = proxy(server.url(), &record, &[]);
    let through = client(proxy.url());
    for _ in 0..2 {
        let (status, answer) = call(&through, "ListCompilationJobs", &json!({})).await;
        assert_eq!(status, 200, "{answer}");
    }
    let killed = proxy.signal_and_wait("-KILL");
    assert!(!killed.success());
    assert_eq!(Recording::load(&record).unwrap().exchanges.len(), 2);
}

#[test]
fn a_non_loopback_address_is_refused_without_the_flag_that_names_the_risk() {
    let dir = Dir::new();
    let output = Command::new(env!("CARGO_BIN_EXE_cjh"))
        .args([
            "proxy",
            "--upstream",
            "http://127.0.0.1:9",
            "--host",
            "0.0.0.0",
            "--port",
            "0",
        ])
        .arg("--record")
        .arg(dir.path("never.jsonl"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--share-my-credentials-with-the-network"),
        "{stderr}"
    );
    assert!(!dir.path("never.jsonl").exists());
}

/// boto3's whole session (create, wait on the clock, list with paging, stop, delete,
/// errors) through the proxy, with keys the server does not know; the recording then
/// holds every call the script made.
#[test]
fn boto3_runs_its_whole_session_through_the_proxy_with_keys_only_the_proxy_can_sign() {
    let python = std::env::var_os("CJH_PYTHON")
        .expect("CJH_PYTHON is not set: run the tests with `cargo xtask test`");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients/boto3_session.py");
    let dir = Dir::new();
    // The clock moves go to the server itself, with its control token: the proxy signs
    // what it forwards, so a bearer token would not pass through it.
    let server = server_for(
        &dir,
        "000000000000",
        &["--clock", "manual", "--control-token", "proxy-test-token"],
    );
    let record = dir.path("boto3.jsonl");
    let mut proxy = proxy(server.url(), &record, &[]);
    let missing = std::env::temp_dir().join("cjh-test-no-such-dir");
    let output = Command::new(&python)
        .arg(&script)
        .arg(proxy.url())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("AWS_ACCESS_KEY_ID", "AKIACLIENTHASNOREALKEY")
        .env(
            "AWS_SECRET_ACCESS_KEY",
            "client-secret-that-nobody-accepts-000000",
        )
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", &missing)
        .env("AWS_SHARED_CREDENTIALS_FILE", &missing)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("CJH_CONTROL_URL", server.url())
        .env("CJH_CONTROL_TOKEN", "proxy-test-token")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "boto3 through the proxy failed\n--- stdout ---\n{}--- stderr ---\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(proxy.signal_and_wait("-INT").success());
    let recording = Recording::load(&record).unwrap();
    let operations: std::collections::BTreeSet<&str> = recording
        .exchanges
        .iter()
        .map(|e| e.operation.as_str())
        .collect();
    for operation in [
        "CreateCompilationJob",
        "DescribeCompilationJob",
        "ListCompilationJobs",
        "StopCompilationJob",
        "DeleteCompilationJob",
    ] {
        assert!(
            operations.contains(operation),
            "{operation} not recorded: {operations:?}"
        );
    }
    let text = std::fs::read_to_string(&record).unwrap();
    assert!(secrets::scan_text(&record, &text).is_empty());
    assert!(!text.contains("AKIACLIENTHASNOREALKEY") && !text.contains(REAL_KEY));
}
