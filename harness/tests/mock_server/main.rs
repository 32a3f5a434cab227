#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Mock servers from recordings (`cjh::mock`, `cjh mock`, `ReplayTarget`): recordings are
//! made here, through a `RecordingTarget` around the in-process emulator, then served.

#[path = "../../../emulator/tests/common/mod.rs"]
mod common;
#[path = "../hand_made/mod.rs"]
mod hand_made;
#[path = "../process/mod.rs"]
mod process;

mod binary;
mod clients;
mod matching;
mod replay;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use cjh::compare::normalize;
use cjh::exchange::{Body, Exchange, Headers, Request, Response};
use cjh::recording::{
    FORMAT, Provenance, RecordedExchange, Recording, Source, VERSION, recording_path,
};
use cjh::runner::RunOutcome;
use cjh::scenario::Profile;
use cjh::scenario::{Scenario, discover};
use cjh::targets::RecordingTarget;
use cjh::targets::{EmulatorTarget, ReplayTarget, Target};
use serde_json::{Value, json};

use common::{minimal_create_body, named};
use process::Running;

const PREFIX: &str = "cjhrec";

// ---- making recordings -------------------------------------------------------------

fn provenance() -> Provenance {
    hand_made::provenance(Source::Emulator, "emulator", PREFIX)
}

fn recording(scenario: &str, exchanges: Vec<RecordedExchange>) -> Recording {
    Recording {
        format: FORMAT.to_owned(),
        version: VERSION,
        scenario: scenario.to_owned(),
        provenance: provenance(),
        exchanges,
    }
}

/// A fresh emulator (manual clock, scenario lifecycle: 60 s starting, 120 s compiling)
/// behind a recorder.
fn recorder() -> RecordingTarget {
    RecordingTarget::new(Box::new(EmulatorTarget::new(
        EmulatorTarget::scenario_settings(),
    )))
}

async fn call(target: &dyn Target, operation: &str, body: &Value) -> Exchange {
    target
        .send(Request::aws_json(
            Some(&format!("SageMaker.{operation}")),
            Body::Json(body.clone()),
        ))
        .await
        .unwrap()
}

fn advance(target: &RecordingTarget, secs: f64) {
    target.clock().unwrap().advance(secs);
}

/// A job created, then described while STARTING, INPROGRESS and COMPLETED, then listed
/// with MaxResults 5.
async fn lifecycle_recording() -> Recording {
    let target = recorder();
    call(
        &target,
        "CreateCompilationJob",
        &minimal_create_body("poll"),
    )
    .await;
    call(&target, "DescribeCompilationJob", &named("poll")).await;
    advance(&target, 60.0);
    call(&target, "DescribeCompilationJob", &named("poll")).await;
    advance(&target, 120.0);
    call(&target, "DescribeCompilationJob", &named("poll")).await;
    call(
        &target,
        "ListCompilationJobs",
        &json!({ "NameContains": "poll", "MaxResults": 5 }),
    )
    .await;
    recording("lifecycle/poll", target.exchanges())
}

// ---- talking HTTP by hand, to control every header ----------------------------------

#[derive(Debug)]
struct Answer {
    status: u16,
    /// Names in lower case.
    headers: BTreeMap<String, String>,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", String::from_utf8_lossy(&self.body)))
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

fn http(uri: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Answer {
    let addr = uri.strip_prefix("http://").unwrap();
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8(raw[..split].to_vec()).unwrap();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    Answer {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

/// An AWS JSON 1.1 call with only the headers the protocol needs.
fn aws(uri: &str, operation: &str, body: &Value) -> Answer {
    let target = format!("SageMaker.{operation}");
    http(
        uri,
        "POST",
        "/",
        &[
            ("X-Amz-Target", &target),
            ("Content-Type", "application/x-amz-json-1.1"),
        ],
        body.to_string().as_bytes(),
    )
}

fn status_of(answer: &Answer) -> String {
    answer.json()["CompilationJobStatus"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Asserts the AWS-shaped answer to an unrecorded request; returns its message.
fn unrecorded_message(answer: &Answer) -> String {
    assert_eq!(answer.status, cjh::mock::UNRECORDED_STATUS);
    assert_eq!(answer.status, 404);
    assert_eq!(
        answer.header("content-type"),
        Some("application/x-amz-json-1.1")
    );
    assert_eq!(
        answer.header("x-amzn-errortype"),
        Some("UnrecordedRequestException")
    );
    assert!(
        answer
            .header("x-amzn-requestid")
            .is_some_and(|id| id.len() == 36),
        "{:?}",
        answer.headers
    );
    let body = answer.json();
    assert_eq!(body["__type"], cjh::mock::UNRECORDED_ERROR);
    body["message"].as_str().unwrap().to_owned()
}
