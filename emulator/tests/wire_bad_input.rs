//! Bad input at the wire: bodies that are not JSON, not an object or of the wrong types,
//! unknown or missing targets, odd bytes, and bodies over the size limit. Each gets an
//! AWS-shaped 4xx answer (fidelity rows F19 and F20), never a 500, and leaves the emulator
//! serving with its state unchanged.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use cjh_emulator::Emulator;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const CREATE: &str = "SageMaker.CreateCompilationJob";
const LIST: &str = "SageMaker.ListCompilationJobs";

/// A Create body for `job-2` with one member replaced by raw JSON text.
fn create_with(member: &str, raw: &str) -> Vec<u8> {
    let mut body = common::minimal_create_body("job-2");
    body[member] = json!("@@");
    body.to_string().replace("\"@@\"", raw).into_bytes()
}

/// What a bad request must get: the code, and the message or its start.
enum Expect {
    Exactly(&'static str, String),
    StartsWith(&'static str, &'static str),
}

struct BadRequest {
    what: &'static str,
    target: Option<&'static str>,
    body: Vec<u8>,
    expect: Expect,
}

fn bad(
    what: &'static str,
    target: Option<&'static str>,
    body: Vec<u8>,
    expect: Expect,
) -> BadRequest {
    BadRequest {
        what,
        target,
        body,
        expect,
    }
}

fn serialization(message: &str) -> Expect {
    Expect::Exactly("SerializationException", message.to_owned())
}

fn bad_requests() -> Vec<BadRequest> {
    use Expect::{Exactly, StartsWith};
    const SER: &str = "SerializationException";
    const VAL: &str = "ValidationException";
    const UNKNOWN: &str = "UnknownOperationException";
    const NOT_JSON: &str = "Request body is not valid JSON: ";
    let long_name = "n".repeat(8192);
    let mut duplicate = common::minimal_create_body("job-2").to_string();
    duplicate.insert_str(duplicate.len() - 1, ",\"CompilationJobName\":\"bad_name\"");
    let body_is = |found: &str| {
        serialization(&format!(
            "Expected an object as the request body, found {found}."
        ))
    };
    let list = |body: &str| body.as_bytes().to_vec();
    Vec::from([
        bad(
            "malformed JSON",
            Some(CREATE),
            list(r#"{"CompilationJobName": job-2}"#),
            StartsWith(SER, NOT_JSON),
        ),
        bad(
            "truncated JSON",
            Some(CREATE),
            list(r#"{"CompilationJobName": "job-2", "RoleArn": "#),
            StartsWith(SER, NOT_JSON),
        ),
        bad("a JSON array as the body", Some(CREATE), list("[]"), body_is("a list")),
        bad("a JSON string as the body", Some(CREATE), list(r#""job-2""#), body_is("a string")),
        bad("a JSON number as the body", Some(CREATE), list("42"), body_is("the number 42")),
        bad("JSON null as the body", Some(LIST), list("null"), body_is("null")),
        bad(
            "a string for MaxResults",
            Some(LIST),
            list(r#"{"MaxResults": "10"}"#),
            serialization("Expected an integer at 'maxResults', found a string."),
        ),
        bad(
            "a fractional MaxResults",
            Some(LIST),
            list(r#"{"MaxResults": 1.5}"#),
            serialization("Expected an integer at 'maxResults', found the number 1.5."),
        ),
        bad(
            "MaxResults of 2^40",
            Some(LIST),
            list(r#"{"MaxResults": 1099511627776}"#),
            serialization("Expected an integer at 'maxResults', found the number 1099511627776."),
        ),
        bad(
            "a number for CompilationJobName",
            Some(CREATE),
            create_with("CompilationJobName", "42"),
            serialization("Expected a string at 'compilationJobName', found the number 42."),
        ),
        bad(
            "an object for Tags",
            Some(CREATE),
            create_with("Tags", r#"{"Key": "k", "Value": "v"}"#),
            serialization("Expected a list at 'tags', found an object."),
        ),
        bad(
            "a boolean for a tag key",
            Some(CREATE),
            create_with("Tags", r#"[{"Key": true, "Value": "v"}]"#),
            serialization("Expected a string at 'tags.1.member.key', found a boolean."),
        ),
        bad(
            "a number inside a list of strings",
            Some(CREATE),
            create_with("VpcConfig", r#"{"SecurityGroupIds": ["sg-1", 7], "Subnets": ["s"]}"#),
            serialization(
                "Expected a string at 'vpcConfig.securityGroupIds.2.member', found the number 7.",
            ),
        ),
        bad(
            "a string for a timestamp",
            Some(LIST),
            list(r#"{"CreationTimeAfter": "yesterday"}"#),
            serialization(
                "Expected a timestamp in epoch seconds at 'creationTimeAfter', found a string.",
            ),
        ),
        bad(
            "an empty body for Create",
            Some(CREATE),
            Vec::new(),
            Exactly(
                VAL,
                "4 validation errors detected: \
                 Value null at 'compilationJobName' failed to satisfy constraint: Member must not be null; \
                 Value null at 'roleArn' failed to satisfy constraint: Member must not be null; \
                 Value null at 'outputConfig' failed to satisfy constraint: Member must not be null; \
                 Value null at 'stoppingCondition' failed to satisfy constraint: Member must not be null"
                    .to_owned(),
            ),
        ),
        bad(
            "no X-Amz-Target",
            None,
            list("{}"),
            Exactly(UNKNOWN, "Missing X-Amz-Target header; expected SageMaker.<Operation>.".to_owned()),
        ),
        bad(
            "another SageMaker operation",
            Some("SageMaker.ListModels"),
            list("{}"),
            StartsWith(UNKNOWN, "The operation SageMaker.ListModels is not supported"),
        ),
        bad(
            "another service's target",
            Some("Foo.Bar"),
            list("{}"),
            Exactly(UNKNOWN, "Unknown operation target 'Foo.Bar'.".to_owned()),
        ),
        bad(
            "bytes that are not UTF-8",
            Some(CREATE),
            b"{\"CompilationJobName\": \"job-\xff\xfe\"}".to_vec(),
            StartsWith(SER, "Request body is not valid UTF-8"),
        ),
        bad(
            "a duplicate key whose last value is bad",
            Some(CREATE),
            duplicate.into_bytes(),
            Exactly(
                VAL,
                "1 validation error detected: Value 'bad_name' at 'compilationJobName' failed to \
                 satisfy constraint: Member must satisfy regular expression pattern: \
                 [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}"
                    .to_owned(),
            ),
        ),
        bad(
            "100000 nested brackets",
            Some(CREATE),
            "[".repeat(100_000).into_bytes(),
            StartsWith(SER, NOT_JSON),
        ),
        bad(
            "an 8 KB job name",
            Some(CREATE),
            common::minimal_create_body(&long_name).to_string().into_bytes(),
            Exactly(
                VAL,
                format!(
                    "2 validation errors detected: \
                     Value '{long_name}' at 'compilationJobName' failed to satisfy constraint: \
                     Member must have length less than or equal to 63; \
                     Value '{long_name}' at 'compilationJobName' failed to satisfy constraint: \
                     Member must satisfy regular expression pattern: [a-zA-Z0-9](-*[a-zA-Z0-9]){{0,62}}"
                ),
            ),
        ),
    ])
}

#[test]
fn every_bad_request_gets_an_aws_shaped_4xx_and_leaves_the_state_unchanged() {
    let emulator = Emulator::builder().build();
    let created = emulator.call(
        "CreateCompilationJob",
        &common::minimal_create_body("job-1"),
    );
    assert_eq!(created.status, 200, "{:?}", created.message());

    let requests = bad_requests();
    assert_eq!(requests.len(), 22);
    let mut failures = Vec::new();
    for request in &requests {
        let reply = emulator.call_raw(request.target, &request.body);
        let (code, fits) = match &request.expect {
            Expect::Exactly(code, message) => (*code, reply.message() == Some(message.as_str())),
            Expect::StartsWith(code, start) => {
                (*code, reply.message().is_some_and(|m| m.starts_with(start)))
            }
        };
        let shaped = reply.status == 400
            && reply.error_code() == Some(code)
            && reply.message().is_some_and(|m| !m.is_empty())
            && !reply.request_id.is_empty()
            && reply.body.as_object().is_some_and(|o| o.len() == 2);
        if !shaped || !fits {
            let shown: String = reply.body.to_string().chars().take(300).collect();
            failures.push(format!(
                "- {}: expected 400 {code}, got {} {shown}",
                request.what, reply.status
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} bad requests answered wrongly:\n{}",
        failures.len(),
        failures.join("\n")
    );

    let listed = emulator.call("ListCompilationJobs", &json!({}));
    assert_eq!(listed.status, 200);
    let names: Vec<&Value> = listed.body["CompilationJobSummaries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|summary| &summary["CompilationJobName"])
        .collect();
    assert_eq!(names, [&json!("job-1")]);
    let described = emulator.call(
        "DescribeCompilationJob",
        &json!({"CompilationJobName": "job-1"}),
    );
    assert_eq!(described.status, 200);
    assert_eq!(
        described.body["CompilationJobArn"],
        created.body["CompilationJobArn"]
    );
}

#[test]
fn an_empty_or_blank_body_reads_as_an_empty_object() {
    let emulator = Emulator::builder().build();
    for body in [&b""[..], b"  \r\n\t"] {
        let reply = emulator.call_raw(Some(LIST), body);
        assert_eq!(reply.status, 200, "{:?}", reply.message());
        assert_eq!(reply.body, json!({"CompilationJobSummaries": []}));
    }
}

#[test]
fn a_duplicate_key_takes_its_last_value() {
    // serde_json (like Jackson's default) keeps the last of duplicate keys.
    let emulator = Emulator::builder().build();
    let reply = emulator.call_raw(Some(LIST), br#"{"MaxResults": 0, "MaxResults": 5}"#);
    assert_eq!(reply.status, 200, "{:?}", reply.message());
}

// ---- Over the body limit, through the real HTTP server ----

/// A raw HTTP/1.1 POST to `/`; returns the status, the lower-cased headers and the body.
async fn post(addr: &str, target: &str, body: &[u8]) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let exchange = async {
        let mut stream = TcpStream::connect(addr).await.expect("connect");
        let head = format!(
            "POST / HTTP/1.1\r\nHost: {addr}\r\nX-Amz-Target: {target}\r\n\
             Content-Type: application/x-amz-json-1.1\r\nContent-Length: {}\r\n\
             Connection: close\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).await.expect("write head");
        stream.write_all(body).await.expect("write body");
        let mut raw = Vec::new();
        let mut buffer = [0_u8; 4096];
        // Read until the whole answer is in, by its Content-Length, or the server closes.
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => raw.extend_from_slice(&buffer[..n]),
            }
            if let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
                let length = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse::<usize>().ok());
                if length.is_some_and(|length| raw.len() >= end + 4 + length) {
                    break;
                }
            }
        }
        raw
    };
    let raw = tokio::time::timeout(Duration::from_secs(10), exchange)
        .await
        .expect("an answer within 10 s");
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete head");
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    (status, headers, raw[end + 4..].to_vec())
}

fn header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// A valid List body of exactly `size` bytes: `{}` padded with JSON whitespace.
fn padded_list_body(size: usize) -> Vec<u8> {
    format!("{{}}{}", " ".repeat(size - 2)).into_bytes()
}

#[tokio::test]
async fn a_body_over_the_limit_gets_413_and_the_server_keeps_serving() {
    let emulator = Emulator::builder().max_body_bytes(2048).build();
    let url = emulator.start().await.expect("the server starts");
    let addr = url.strip_prefix("http://").expect("an http URL").to_owned();

    let (status, headers, body) = post(&addr, LIST, &padded_list_body(4096)).await;
    assert_eq!(status, 413);
    assert!(
        header(&headers, "x-amzn-requestid").is_some_and(|id| !id.is_empty()),
        "{headers:?}"
    );
    assert_eq!(
        header(&headers, "content-type"),
        Some("application/x-amz-json-1.1")
    );
    assert_eq!(
        header(&headers, "x-amzn-errortype"),
        Some("RequestEntityTooLarge")
    );
    let error: Value = serde_json::from_slice(&body).expect("a JSON error body");
    assert_eq!(error["__type"], "RequestEntityTooLarge");
    assert!(
        error["Message"].as_str().is_some_and(|m| !m.is_empty()),
        "{error}"
    );

    // One byte over the limit is refused too; exactly at the limit is served.
    let (status, _, _) = post(&addr, LIST, &padded_list_body(2049)).await;
    assert_eq!(status, 413);
    let (status, headers, body) = post(&addr, LIST, &padded_list_body(2048)).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    assert!(header(&headers, "x-amzn-requestid").is_some());

    // The server still answers a following valid request, and nothing was created.
    let (status, _, body) = post(&addr, LIST, b"{}").await;
    assert_eq!(status, 200);
    let listed: Value = serde_json::from_slice(&body).expect("a JSON body");
    assert_eq!(listed, json!({"CompilationJobSummaries": []}));
    emulator.stop();
}

#[test]
fn whole_number_floats_are_read_as_integers() {
    // Validation accepts 5.0 and 1e2 where the model has an integer; the typed read must
    // agree instead of answering with serde's own text.
    let emulator = Emulator::builder().build();
    for body in [&br#"{"MaxResults": 5.0}"#[..], br#"{"MaxResults": 1e2}"#] {
        let reply = emulator.call_raw(Some(LIST), body);
        assert_eq!(reply.status, 200, "{}", reply.body);
    }
    let reply = emulator.call_raw(Some(LIST), br#"{"MaxResults": 0.0}"#);
    assert_eq!(
        reply.message(),
        Some(
            "1 validation error detected: Value '0' at 'maxResults' failed to satisfy \
             constraint: Member must have value greater than or equal to 1"
        )
    );

    let mut create = common::minimal_create_body("job-1");
    create["StoppingCondition"]["MaxRuntimeInSeconds"] = json!(900.0);
    let reply = emulator.call("CreateCompilationJob", &create);
    assert_eq!(reply.status, 200, "{}", reply.body);
    let described = emulator.call(
        "DescribeCompilationJob",
        &json!({"CompilationJobName": "job-1"}),
    );
    assert_eq!(
        described.body["StoppingCondition"],
        json!({"MaxRuntimeInSeconds": 900})
    );
}
