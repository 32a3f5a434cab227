//! The request journal over a real socket and in-process: what is kept of each API
//! request and its answer, the filters of `GET /_cjh/requests`, its bounds by count and
//! by bytes, `DELETE /_cjh/requests`, and what is never kept (control requests).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod raw_http;

use cjh_emulator::{Emulator, RequestFilter};
use raw_http::{Answer, Connection, addr_of};
use serde_json::{Value, json};

const LIST: &str = "ListCompilationJobs";
const DESCRIBE: &str = "DescribeCompilationJob";

/// An emulator started over HTTP, and a connection to it.
async fn served(emulator: &Emulator) -> Connection {
    Connection::open(&addr_of(&emulator.start().await.unwrap())).await
}

/// The entries `GET /_cjh/requests` with `query` answers.
async fn journal(connection: &mut Connection, query: &str) -> Vec<Value> {
    let answer = connection.get(&format!("/_cjh/requests{query}")).await;
    assert_eq!(answer.status, 200, "{answer:?}");
    answer.json()["requests"].as_array().unwrap().clone()
}

fn sequences(entries: &[Value]) -> Vec<u64> {
    entries
        .iter()
        .map(|entry| entry["sequence"].as_u64().unwrap())
        .collect()
}

fn describe_unknown(name: &str) -> String {
    json!({ "CompilationJobName": name }).to_string()
}

fn error_code(answer: &Answer) -> String {
    answer.error_code().unwrap_or_default()
}

#[tokio::test]
async fn an_api_request_is_kept_with_its_sender_bodies_and_answer() {
    let emulator = Emulator::builder().build();
    let mut connection = served(&emulator).await;
    let scope = "Authorization: AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-west-1/sagemaker/aws4_request, SignedHeaders=host, Signature=00\r\n";
    connection
        .send("/", Some(LIST), scope, b"{\"MaxResults\": 5}")
        .await;
    let answer = connection.answer().await.unwrap();
    assert_eq!(answer.status, 200);
    let entries = journal(&mut connection, "").await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    let entry = &entries[0];
    assert_eq!(entry["sequence"], 1);
    assert_eq!(entry["account"], "000000000000");
    assert_eq!(entry["region"], "eu-west-1");
    assert_eq!(entry["operation"], LIST);
    assert_eq!(entry["request_body"], "{\"MaxResults\": 5}");
    assert_eq!(entry["status"], 200);
    assert_eq!(entry["error_code"], Value::Null);
    assert_eq!(
        entry["response_body"].as_str().unwrap().as_bytes(),
        answer.body.as_slice()
    );
    assert!(entry["time"].as_f64().unwrap() > 1.6e9, "{entry}");
}

#[tokio::test]
async fn an_error_answer_is_kept_with_its_code() {
    let emulator = Emulator::builder().build();
    let mut connection = served(&emulator).await;
    let answer = connection
        .call(DESCRIBE, &describe_unknown("nowhere"))
        .await;
    assert_eq!(error_code(&answer), "ValidationException");
    let entries = journal(&mut connection, "").await;
    assert_eq!(entries[0]["status"], 400);
    assert_eq!(entries[0]["error_code"], "ValidationException");
    let body: Value = serde_json::from_str(entries[0]["response_body"].as_str().unwrap()).unwrap();
    assert_eq!(body["Message"], "Could not find compilation job 'nowhere'.");
}

#[tokio::test]
async fn a_body_over_the_limit_is_kept_with_its_413_and_no_request_body() {
    let emulator = Emulator::builder().max_body_bytes(1024).build();
    let mut connection = served(&emulator).await;
    let big = format!("{{\"NameContains\": \"{}\"}}", "x".repeat(2000));
    let answer = connection.call(LIST, &big).await;
    assert_eq!(answer.status, 413);
    let entries = journal(&mut connection, "").await;
    assert_eq!(entries[0]["status"], 413);
    assert_eq!(entries[0]["error_code"], "RequestEntityTooLarge");
    assert_eq!(entries[0]["request_body"], "");
}

#[tokio::test]
async fn control_requests_are_not_kept() {
    let emulator = Emulator::builder().build();
    let mut connection = served(&emulator).await;
    connection.call(LIST, "{}").await;
    assert_eq!(connection.get("/_cjh/health").await.status, 200);
    assert_eq!(connection.get("/_cjh/faults").await.status, 200);
    connection.send("/_cjh/reset", None, "", b"").await;
    assert_eq!(connection.answer().await.unwrap().status, 200);
    assert_eq!(connection.get("/_cjh/nothing-here").await.status, 400);
    journal(&mut connection, "").await;
    let entries = journal(&mut connection, "").await;
    assert_eq!(sequences(&entries), [1]);
    assert_eq!(entries[0]["operation"], LIST);
}

#[tokio::test]
async fn the_operation_filter_keeps_only_that_operation() {
    let emulator = Emulator::builder().build();
    let mut connection = served(&emulator).await;
    connection.call(LIST, "{}").await;
    connection.call(DESCRIBE, &describe_unknown("a")).await;
    connection.call(LIST, "{}").await;
    let entries = journal(&mut connection, "?operation=ListCompilationJobs").await;
    assert_eq!(sequences(&entries), [1, 3]);
}

#[tokio::test]
async fn the_status_filter_keeps_only_that_status() {
    let emulator = Emulator::builder().build();
    let mut connection = served(&emulator).await;
    connection.call(LIST, "{}").await;
    connection.call(DESCRIBE, &describe_unknown("a")).await;
    connection.call(LIST, "{\"MaxResults\": 0}").await;
    let entries = journal(&mut connection, "?status=400").await;
    assert_eq!(sequences(&entries), [2, 3]);
    let entries = journal(
        &mut connection,
        "?status=400&operation=DescribeCompilationJob",
    )
    .await;
    assert_eq!(sequences(&entries), [2]);
}

#[tokio::test]
async fn since_keeps_only_the_requests_after_that_sequence_number() {
    let emulator = Emulator::builder().build();
    let mut connection = served(&emulator).await;
    for _ in 0..4 {
        connection.call(LIST, "{}").await;
    }
    assert_eq!(
        sequences(&journal(&mut connection, "?since=2").await),
        [3, 4]
    );
    assert!(journal(&mut connection, "?since=4").await.is_empty());
}

#[tokio::test]
async fn an_unknown_or_malformed_filter_is_refused_by_name() {
    let emulator = Emulator::builder().build();
    let mut connection = served(&emulator).await;
    for (query, named) in [
        ("?operaton=List", "operaton"),
        ("?status=bad", "status"),
        ("?since=x", "since"),
    ] {
        let answer = connection.get(&format!("/_cjh/requests{query}")).await;
        assert_eq!(error_code(&answer), "ValidationException", "{query}");
        let message = answer.json()["Message"].as_str().unwrap().to_owned();
        assert!(message.contains(named), "{query}: {message}");
    }
}

#[tokio::test]
async fn past_the_journal_size_the_oldest_requests_are_evicted() {
    let emulator = Emulator::builder().journal_size(3).build();
    let mut connection = served(&emulator).await;
    for _ in 0..5 {
        connection.call(LIST, "{}").await;
    }
    assert_eq!(sequences(&journal(&mut connection, "").await), [3, 4, 5]);
}

#[tokio::test]
async fn past_the_journal_bytes_the_oldest_requests_are_evicted() {
    let emulator = Emulator::builder().journal_bytes(1024).build();
    let mut connection = served(&emulator).await;
    // Padded with JSON whitespace, so that two entries fit in 1024 bytes and three do not.
    let body = format!("{{\"CompilationJobName\":{}\"gone\"}}", " ".repeat(300));
    for _ in 0..5 {
        connection.call(DESCRIBE, &body).await;
    }
    let entries = journal(&mut connection, "").await;
    let size = |entry: &Value| {
        entry["request_body"].as_str().unwrap().len()
            + entry["response_body"].as_str().unwrap().len()
    };
    let each = size(&entries[0]);
    assert!(2 * each <= 1024 && 3 * each > 1024, "{each}");
    assert_eq!(sequences(&entries), [4, 5]);
}

#[tokio::test]
async fn delete_clears_the_journal_and_numbering_goes_on() {
    let emulator = Emulator::builder().build();
    let mut connection = served(&emulator).await;
    connection.call(LIST, "{}").await;
    connection.call(LIST, "{}").await;
    let answer = connection.delete("/_cjh/requests").await;
    assert_eq!(answer.json(), json!({ "cleared": 2 }));
    assert!(journal(&mut connection, "").await.is_empty());
    connection.call(LIST, "{}").await;
    assert_eq!(sequences(&journal(&mut connection, "").await), [3]);
}

#[tokio::test]
async fn reset_forgets_the_jobs_but_not_the_journal() {
    let emulator = Emulator::builder().build();
    let mut connection = served(&emulator).await;
    connection.call(LIST, "{}").await;
    connection.send("/_cjh/reset", None, "", b"").await;
    assert_eq!(connection.answer().await.unwrap().status, 200);
    assert_eq!(sequences(&journal(&mut connection, "").await), [1]);
}

#[tokio::test]
async fn in_process_calls_are_kept_and_read_back_the_same_way_as_over_http() {
    let emulator = Emulator::builder().build();
    let mut connection = served(&emulator).await;
    common::create(&emulator, "in-process");
    connection
        .call(DESCRIBE, &describe_unknown("in-process"))
        .await;
    emulator.call(DESCRIBE, &json!({ "CompilationJobName": "missing" }));
    let all = emulator.requests();
    assert_eq!(all.len(), 3);
    assert_eq!(all[0].operation.as_deref(), Some("CreateCompilationJob"));
    assert_eq!(
        all[0].request_json().unwrap()["CompilationJobName"],
        "in-process"
    );
    assert!(all[0].response_json().unwrap()["CompilationJobArn"].is_string());
    assert_eq!(all[0].account, "000000000000");
    assert_eq!(all[0].region, "us-east-1");
    let over_http: Vec<Value> = all.iter().map(|entry| entry.to_json()).collect();
    assert_eq!(journal(&mut connection, "").await, over_http);
    let failed = emulator.requests_matching(&RequestFilter::default().status(400));
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].sequence, 3);
    assert_eq!(failed[0].error_code, Some("ValidationException"));
    let later = emulator.requests_matching(&RequestFilter::default().since(1).operation(DESCRIBE));
    assert_eq!(later.len(), 2);
    emulator.clear_requests();
    assert!(emulator.requests().is_empty());
}

#[tokio::test]
async fn a_journal_size_of_zero_keeps_nothing() {
    let emulator = Emulator::builder().journal_size(0).build();
    let mut connection = served(&emulator).await;
    connection.call(LIST, "{}").await;
    emulator.call(LIST, &json!({}));
    assert!(journal(&mut connection, "").await.is_empty());
}

#[tokio::test]
async fn a_journal_of_fewer_than_1024_bytes_does_not_start() {
    let emulator = Emulator::builder().journal_bytes(1000).build();
    let error = emulator.start().await.err().map(|e| e.to_string());
    assert!(
        error
            .as_deref()
            .unwrap_or_default()
            .contains("journal_bytes"),
        "{error:?}"
    );
}
