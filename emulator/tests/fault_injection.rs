//! Fault injection over a real socket: the same seed faults the same request numbers,
//! the observed fraction is the chosen one, a faulted request changes nothing, control
//! endpoints are never faulted, and the Rust SDK's standard retry gets through.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod raw_http;

use std::time::{Duration, Instant};

use aws_sdk_sagemaker::Client;
use aws_sdk_sagemaker::config::retry::RetryConfig;
use cjh_emulator::Emulator;
use cjh_emulator::FaultSettings;
use raw_http::{Connection, addr_of};
use serde_json::{Value, json};

const LIST: &str = "ListCompilationJobs";

fn throttling(fraction: f64, seed: u64) -> Emulator {
    Emulator::builder()
        .fault_throttling(fraction)
        .fault_seed(seed)
        .build()
}

/// Sends `count` List requests one after another; the numbers (from 1) of those answered
/// with an injected fault.
async fn faulted_numbers(emulator: &Emulator, count: u64) -> Vec<u64> {
    let addr = addr_of(&emulator.start().await.unwrap());
    let mut connection = Connection::open(&addr).await;
    let mut faulted = Vec::new();
    for number in 1..=count {
        let answer = connection.call(LIST, "{}").await;
        match answer.status {
            200 => {}
            400 => {
                assert_eq!(answer.error_code().as_deref(), Some("ThrottlingException"));
                assert_eq!(answer.json()["Message"], "Rate exceeded");
                assert_eq!(
                    answer.header("x-amzn-errortype"),
                    Some("ThrottlingException")
                );
                faulted.push(number);
            }
            other => panic!("unexpected status {other}: {answer:?}"),
        }
    }
    faulted
}

#[tokio::test]
async fn the_same_seed_faults_the_same_request_numbers_on_every_run() {
    let first = faulted_numbers(&throttling(0.3, 20_240_101), 200).await;
    let second = faulted_numbers(&throttling(0.3, 20_240_101), 200).await;
    assert!(!first.is_empty());
    assert_eq!(first, second);
    // The numbers are the pure function of the seed that the library exposes.
    let settings = FaultSettings {
        fault_throttling: 0.3,
        fault_seed: 20_240_101,
        ..FaultSettings::default()
    };
    let expected: Vec<u64> = (1..=200)
        .filter(|n| settings.decide(*n).0.is_some())
        .collect();
    assert_eq!(first, expected);
    // Another seed, other numbers.
    assert_ne!(first, faulted_numbers(&throttling(0.3, 7), 200).await);
}

#[tokio::test]
async fn the_observed_fraction_over_1000_requests_is_near_the_setting() {
    let emulator = throttling(0.3, 99);
    let faulted = faulted_numbers(&emulator, 1000).await;
    let fraction = faulted.len() as f64 / 1000.0;
    assert!((0.25..=0.35).contains(&fraction), "{fraction}");
    let stats = emulator.service().faults().stats();
    assert_eq!(stats.requests, 1000);
    assert_eq!(stats.throttled, faulted.len() as u64);
}

#[tokio::test]
async fn an_injected_internal_failure_is_a_500_in_aws_form() {
    let emulator = Emulator::builder().fault_internal_failure(1.0).build();
    let addr = addr_of(&emulator.start().await.unwrap());
    let answer = raw_http::call(&addr, LIST, "{}").await;
    assert_eq!(answer.status, 500);
    assert_eq!(answer.error_code().as_deref(), Some("InternalFailure"));
    assert_eq!(answer.header("x-amzn-errortype"), Some("InternalFailure"));
    assert_eq!(
        answer.header("content-type"),
        Some("application/x-amz-json-1.1")
    );
    assert!(answer.header("x-amzn-requestid").is_some());
    assert!(
        answer.json()["Message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
}

#[tokio::test]
async fn a_faulted_create_leaves_no_job() {
    let emulator = Emulator::builder()
        .fault_throttling(0.3)
        .fault_internal_failure(0.2)
        .fault_seed(5)
        .build();
    let addr = addr_of(&emulator.start().await.unwrap());
    let mut connection = Connection::open(&addr).await;
    let mut created = Vec::new();
    let mut faulted = Vec::new();
    for i in 0..60 {
        let name = format!("faulted-{i}");
        let answer = connection
            .call(
                "CreateCompilationJob",
                &common::create_body(&name).to_string(),
            )
            .await;
        match answer.status {
            200 => created.push(name),
            400 | 500 => faulted.push(name),
            other => panic!("unexpected status {other}: {answer:?}"),
        }
    }
    assert!(!created.is_empty() && !faulted.is_empty());
    // In-process calls are never faulted: they show the store as it is.
    for name in &faulted {
        let reply = emulator.call(
            "DescribeCompilationJob",
            &json!({ "CompilationJobName": name }),
        );
        assert_eq!(reply.error_code(), Some("ValidationException"), "{name}");
    }
    for name in &created {
        let reply = emulator.call(
            "DescribeCompilationJob",
            &json!({ "CompilationJobName": name }),
        );
        assert_eq!(reply.status, 200, "{name}");
    }
    let listed = emulator.call(LIST, &json!({ "MaxResults": 100 }));
    let count = listed.body["CompilationJobSummaries"]
        .as_array()
        .map_or(0, Vec::len);
    assert_eq!(count, created.len());
}

#[tokio::test]
async fn control_endpoints_are_never_faulted_and_faults_change_at_runtime() {
    let emulator = throttling(1.0, 1);
    let addr = addr_of(&emulator.start().await.unwrap());
    let mut connection = Connection::open(&addr).await;
    assert_eq!(connection.call(LIST, "{}").await.status, 400);
    for _ in 0..10 {
        assert_eq!(connection.get("/_cjh/health").await.status, 200);
    }
    // Turn throttling off: keys left out are off, and numbering restarts.
    let body = br#"{"fault_internal_failure": 0.5, "fault_seed": 3}"#;
    connection.send("/_cjh/faults", None, "", body).await;
    let answer = connection.answer().await.unwrap();
    assert_eq!(answer.status, 200, "{answer:?}");
    assert_eq!(answer.json()["faults"]["fault_throttling"], json!(0.0));
    assert_eq!(answer.json()["stats"]["requests"], json!(0));
    let statuses: Vec<u16> = {
        let mut statuses = Vec::new();
        for _ in 0..40 {
            statuses.push(connection.call(LIST, "{}").await.status);
        }
        statuses
    };
    assert!(statuses.iter().all(|s| *s == 200 || *s == 500));
    assert!(statuses.contains(&200) && statuses.contains(&500));
    // The counts are readable.
    let stats: Value = connection.get("/_cjh/faults").await.json();
    assert_eq!(stats["stats"]["requests"], json!(40));
    // Out-of-range values are refused, and the faults in force stay.
    connection
        .send("/_cjh/faults", None, "", br#"{"fault_throttling": 2}"#)
        .await;
    let refused = connection.answer().await.unwrap();
    assert_eq!(refused.status, 400);
    assert_eq!(refused.error_code().as_deref(), Some("ValidationException"));
    connection
        .send("/_cjh/faults", None, "", br#"{"fault_bogus": 1}"#)
        .await;
    assert_eq!(connection.answer().await.unwrap().status, 400);
    assert_eq!(
        emulator
            .service()
            .faults()
            .settings()
            .fault_internal_failure,
        0.5
    );
}

#[tokio::test]
async fn injected_latency_delays_the_answer() {
    let emulator = Emulator::builder()
        .fault_latency(1.0)
        .fault_latency_ms(300)
        .build();
    let addr = addr_of(&emulator.start().await.unwrap());
    let mut connection = Connection::open(&addr).await;
    let started = Instant::now();
    assert_eq!(connection.call(LIST, "{}").await.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
    // Control endpoints are not delayed.
    let started = Instant::now();
    assert_eq!(connection.get("/_cjh/health").await.status, 200);
    assert!(started.elapsed() < Duration::from_millis(300));
}

/// The Rust SDK's standard retry strategy, with short backoffs so the test is fast.
fn sdk_client(url: String) -> Client {
    let config = common::sdk_config(&url, "us-east-1", "AKIDCJHTEST", "secret")
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(10)
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(20)),
        )
        .build();
    Client::from_conf(config)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rust_sdk_s_standard_retry_gets_through_half_the_requests_throttled() {
    let emulator = throttling(0.5, 11);
    let client = sdk_client(emulator.start().await.unwrap());
    let names: Vec<String> = (0..12).map(|i| format!("retried-{i}")).collect();
    for name in &names {
        common::sdk_create(&client, name)
            .send()
            .await
            .unwrap_or_else(|e| panic!("create {name}: {e:?}"));
        let described = client
            .describe_compilation_job()
            .compilation_job_name(name)
            .send()
            .await
            .unwrap();
        assert_eq!(described.compilation_job_name(), Some(name.as_str()));
    }
    let mut listed = Vec::new();
    let mut pages = client
        .list_compilation_jobs()
        .max_results(5)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        for summary in page.unwrap().compilation_job_summaries() {
            listed.push(
                summary
                    .compilation_job_name()
                    .unwrap_or_default()
                    .to_owned(),
            );
        }
    }
    // Every create landed exactly once: a throttled attempt did nothing, so its retry
    // never met a job of the same name.
    listed.sort();
    let mut expected = names.clone();
    expected.sort();
    assert_eq!(listed, expected);
    let stats = emulator.service().faults().stats();
    println!("{stats:?}");
    assert!(stats.throttled >= 10, "{stats:?}");
    assert_eq!(stats.requests - stats.throttled, 12 + 12 + 3);
}
