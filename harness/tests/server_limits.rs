//! The server's limits over a real socket: head size and header count, connections at
//! once and the request rate, each answered in AWS's JSON 1.1 form, and what a client
//! sees past hyper's own limits.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../emulator/tests/common/mod.rs"]
mod common;
#[path = "../../emulator/tests/raw_http/mod.rs"]
mod raw_http;

use std::time::Duration;

use aws_sdk_sagemaker::error::ProvideErrorMetadata;
use aws_sdk_sagemaker::types::{Framework, InputConfig};
use cjh_emulator::Emulator;
use raw_http::{Connection, addr_of, call};
use serde_json::json;

const LIST: &str = "ListCompilationJobs";

/// Asserts the AWS JSON 1.1 error form: status, code in body and header, content type,
/// request id and a message.
fn assert_aws_error(answer: &raw_http::Answer, status: u16, code: &str) {
    assert_eq!(answer.status, status, "{answer:?}");
    assert_eq!(answer.error_code().as_deref(), Some(code), "{answer:?}");
    assert_eq!(answer.header("x-amzn-errortype"), Some(code));
    assert_eq!(
        answer.header("content-type"),
        Some("application/x-amz-json-1.1")
    );
    assert!(
        answer
            .header("x-amzn-requestid")
            .is_some_and(|id| !id.is_empty())
    );
    assert!(
        answer.json()["Message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{answer:?}"
    );
}

#[tokio::test]
async fn a_head_over_the_limit_gets_an_aws_shaped_431_and_the_connection_stays_usable() {
    let emulator = Emulator::builder().max_header_bytes(2048).build();
    let addr = addr_of(&emulator.start().await.unwrap());
    let mut connection = Connection::open(&addr).await;
    let pad = format!("X-Pad: {}\r\n", "a".repeat(3000));
    connection.send("/", Some(LIST), &pad, b"{}").await;
    let answer = connection.answer().await.unwrap();
    assert_aws_error(&answer, 431, "RequestHeaderFieldsTooLarge");
    // The request was whole, so the connection goes on.
    assert_eq!(connection.call(LIST, "{}").await.status, 200);
}

#[tokio::test]
async fn too_many_header_fields_get_an_aws_shaped_431() {
    let emulator = Emulator::builder().max_headers(16).build();
    let addr = addr_of(&emulator.start().await.unwrap());
    let extra: String = (0..20).map(|i| format!("X-Field-{i}: v\r\n")).collect();
    let mut connection = Connection::open(&addr).await;
    connection.send("/", Some(LIST), &extra, b"{}").await;
    let answer = connection.answer().await.unwrap();
    assert_aws_error(&answer, 431, "RequestHeaderFieldsTooLarge");
    assert!(
        answer.json()["Message"]
            .as_str()
            .unwrap()
            .contains("the limit is 16"),
        "{answer:?}"
    );
}

#[tokio::test]
async fn past_hyper_s_own_limits_the_client_gets_a_bare_431_and_a_closed_connection() {
    // hyper's limits sit 4x above the settings: 8192 bytes and 64 fields here.
    let emulator = Emulator::builder()
        .max_header_bytes(2048)
        .max_headers(16)
        .build();
    let addr = addr_of(&emulator.start().await.unwrap());
    let huge = format!("X-Pad: {}\r\n", "a".repeat(10_000));
    let many: String = (0..80).map(|i| format!("X-Field-{i}: v\r\n")).collect();
    for extra in [huge, many] {
        let mut connection = Connection::open(&addr).await;
        connection.send("/", Some(LIST), &extra, b"{}").await;
        let answer = connection.answer().await.unwrap();
        assert_eq!(answer.status, 431);
        assert!(answer.body.is_empty(), "{answer:?}");
        assert_eq!(answer.header("content-length"), Some("0"));
        assert_eq!(answer.header("x-amzn-requestid"), None);
        assert_eq!(answer.header("content-type"), None);
        assert!(connection.is_closed().await);
    }
    // The server itself goes on serving.
    assert_eq!(call(&addr, LIST, "{}").await.status, 200);
}

#[tokio::test]
async fn a_connection_over_the_limit_gets_one_503_then_is_closed() {
    let emulator = Emulator::builder().max_connections(2).build();
    let addr = addr_of(&emulator.start().await.unwrap());
    // Two connections hold both slots; each has been served, so each was accepted.
    let mut first = Connection::open(&addr).await;
    let mut second = Connection::open(&addr).await;
    assert_eq!(first.call(LIST, "{}").await.status, 200);
    assert_eq!(second.call(LIST, "{}").await.status, 200);

    let mut third = Connection::open(&addr).await;
    third
        .send(
            "/",
            Some("CreateCompilationJob"),
            "",
            common::create_body("over-the-limit").to_string().as_bytes(),
        )
        .await;
    let answer = third.answer().await.unwrap();
    assert_aws_error(&answer, 503, "ServiceUnavailable");
    assert_eq!(answer.header("connection"), Some("close"));
    assert!(third.is_closed().await);
    // The refused request did nothing.
    let reply = emulator.call(LIST, &json!({}));
    assert_eq!(reply.body["CompilationJobSummaries"], json!([]));

    // The held connections still work; once one closes, a new connection is served.
    assert_eq!(first.call(LIST, "{}").await.status, 200);
    drop(second);
    let mut served = false;
    for _ in 0..100 {
        if call(&addr, LIST, "{}").await.status == 200 {
            served = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(served, "a freed slot is used again");
}

#[tokio::test]
async fn over_the_rate_requests_get_400_throttling_rate_exceeded_per_account_and_region() {
    // Two tokens a second, three at once: a quick burst of four has one throttled.
    let emulator = Emulator::builder()
        .request_rate(Some(2.0))
        .request_burst(Some(3))
        .build();
    let addr = addr_of(&emulator.start().await.unwrap());
    let mut connection = Connection::open(&addr).await;
    let statuses = [
        connection.call(LIST, "{}").await.status,
        connection.call(LIST, "{}").await.status,
        connection.call(LIST, "{}").await.status,
    ];
    assert_eq!(statuses, [200, 200, 200]);
    let throttled = connection.call(LIST, "{}").await;
    assert_aws_error(&throttled, 400, "ThrottlingException");
    assert_eq!(throttled.json()["Message"], "Rate exceeded");

    // Another region has its own bucket.
    let scope = "Authorization: AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-west-1/sagemaker/aws4_request, SignedHeaders=host, Signature=00\r\n";
    connection.send("/", Some(LIST), scope, b"{}").await;
    assert_eq!(connection.answer().await.unwrap().status, 200);

    // Control endpoints are never throttled.
    for _ in 0..5 {
        assert_eq!(connection.get("/_cjh/health").await.status, 200);
    }

    // Half a second refills one token.
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(connection.call(LIST, "{}").await.status, 200);
}

#[tokio::test]
async fn the_limits_are_refused_when_out_of_range() {
    for builder in [
        Emulator::builder().max_connections(0),
        Emulator::builder().max_header_bytes(100),
        Emulator::builder().max_headers(2),
        Emulator::builder().request_rate(Some(0.0)),
        Emulator::builder().request_burst(Some(5)),
        Emulator::builder().fault_throttling(1.5),
        Emulator::builder()
            .fault_throttling(0.6)
            .fault_internal_failure(0.6),
    ] {
        assert!(builder.build().start().await.is_err());
    }
}

/// `cjh serve` with these arguments; killed on drop.
struct Served {
    child: std::process::Child,
    addr: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(args: &[&str]) -> Served {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_cjh"))
        .args(["serve", "--port", "0"])
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim_end()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("unexpected ready line {line:?}"))
        .to_owned();
    Served { child, addr }
}

#[tokio::test]
async fn cjh_serve_takes_the_limits_and_faults_as_flags_and_settings_keys() {
    let served = serve(&[
        "--request-rate",
        "0.01",
        "--request-burst",
        "2",
        "--max-headers",
        "16",
    ]);
    let mut connection = Connection::open(&served.addr).await;
    assert_eq!(connection.call(LIST, "{}").await.status, 200);
    assert_eq!(connection.call(LIST, "{}").await.status, 200);
    let answer = connection.call(LIST, "{}").await;
    assert_aws_error(&answer, 400, "ThrottlingException");
    let extra: String = (0..20).map(|i| format!("X-Field-{i}: v\r\n")).collect();
    connection.send("/", Some(LIST), &extra, b"{}").await;
    assert_eq!(connection.answer().await.unwrap().status, 431);

    let dir = std::env::temp_dir().join(format!("cjh-limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("settings.toml");
    std::fs::write(
        &file,
        "max_connections = 50\nmax_header_bytes = 4096\nmax_headers = 50\nrequest_rate = 1000.0\nrequest_burst = 1000\nfault_throttling = 0.0\nfault_internal_failure = 1.0\nfault_latency = 0.0\nfault_latency_ms = 10\nfault_seed = 3\n",
    )
    .unwrap();
    let served = serve(&["--settings", file.to_str().unwrap()]);
    let answer = call(&served.addr, LIST, "{}").await;
    assert_aws_error(&answer, 500, "InternalFailure");
    // A flag overrides the file.
    let served = serve(&[
        "--settings",
        file.to_str().unwrap(),
        "--fault-internal-failure",
        "0",
    ]);
    assert_eq!(call(&served.addr, LIST, "{}").await.status, 200);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rust_sdk_reads_the_413_for_a_body_over_the_limit_even_while_still_sending() {
    let emulator = Emulator::builder().max_body_bytes(1024).build();
    let url = emulator.start().await.unwrap();
    let config = common::sdk_config(&url, "us-east-1", "AKIDCJHTEST", "secret").build();
    let client = aws_sdk_sagemaker::Client::from_conf(config);
    // Just over the limit, and 200 times over it: the server stops reading at the limit.
    for size in [1500, 200_000] {
        let error = common::sdk_create(&client, "too-big")
            .input_config(
                InputConfig::builder()
                    .s3_uri("s3://bucket/model.tar.gz")
                    .framework(Framework::Xgboost)
                    .data_input_config("x".repeat(size))
                    .build(),
            )
            .send()
            .await
            .expect_err("a body over the limit is refused");
        assert_eq!(error.code(), Some("RequestEntityTooLarge"), "{size}");
        assert_eq!(error.raw_response().map(|r| r.status().as_u16()), Some(413));
    }
    let listed = emulator.call(LIST, &json!({}));
    assert_eq!(listed.body["CompilationJobSummaries"], json!([]));
}
