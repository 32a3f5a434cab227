#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The recording file format: version 2 (JSON Lines) written one flushed exchange at a
//! time and read back, a file cut short, version 1 still read, unknown versions
//! refused, and credentials never written.

mod hand_made;
use std::path::{Path, PathBuf};

use cjh::exchange::{Body, Headers, Request, Response};
use cjh::recording::{
    FORMAT, Provenance, RecordedExchange, Recording, RecordingError, RecordingWriter, Source,
    VERSION,
};
use cjh::scenario::Profile;
use serde_json::json;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A fresh file path under the test's temporary folder.
fn temp(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("recording-format");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}-{}.jsonl", std::process::id()));
    std::fs::remove_file(&path).ok();
    path
}

fn provenance() -> Provenance {
    hand_made::provenance(Source::Url, "http://127.0.0.1:5000", "cjhtest")
}

fn exchange(operation: &str, name: &str, status: u16) -> RecordedExchange {
    RecordedExchange {
        operation: operation.to_owned(),
        request: Request::aws_json(
            Some(&format!("SageMaker.{operation}")),
            Body::Json(json!({ "CompilationJobName": name })),
        ),
        response: Response {
            status,
            headers: Headers::new()
                .with("content-type", "application/x-amz-json-1.1")
                .with("x-amzn-requestid", format!("rid-{name}"))
                .with("date", "Thu, 01 Jan 2026 00:00:00 GMT"),
            body: Body::Json(json!({ "CompilationJobStatus": "STARTING" })),
        },
        reconstructed: false,
        sent_at: None,
    }
}

#[test]
fn exchanges_appended_one_at_a_time_read_back_after_each_append() {
    let path = temp("append");
    let mut writer = RecordingWriter::create(&path, "area/append", &provenance()).unwrap();
    // The header alone is already a recording, of nothing yet.
    assert!(Recording::load(&path).unwrap().exchanges.is_empty());
    let exchanges = [
        exchange("CreateCompilationJob", "a", 200),
        exchange("DescribeCompilationJob", "a", 200),
        exchange("DescribeCompilationJob", "missing", 400),
    ];
    for (count, exchange) in exchanges.iter().enumerate() {
        writer.append(exchange).unwrap();
        // Flushed: a reader sees it before the writer is dropped.
        let read = Recording::load(&path).unwrap();
        assert_eq!(read.exchanges.len(), count + 1);
        assert_eq!(read.exchanges[count], *exchange);
    }
    assert_eq!(writer.written(), 3);
    let read = Recording::load(&path).unwrap();
    assert_eq!(read.format, FORMAT);
    assert_eq!(read.version, VERSION);
    assert_eq!(read.scenario, "area/append");
    assert_eq!(read.provenance, provenance());
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        text.lines().count(),
        4,
        "a header line and one line per exchange"
    );
    assert!(text.ends_with('\n'));
}

#[test]
fn a_binary_body_survives_writing_and_reading_byte_for_byte() {
    let path = temp("binary");
    let mut binary = exchange("ListCompilationJobs", "b", 503);
    binary.response.body = Body::from_bytes(&[0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe]);
    let recording = Recording {
        format: FORMAT.to_owned(),
        version: VERSION,
        scenario: "area/binary".to_owned(),
        provenance: provenance(),
        exchanges: vec![binary],
    };
    recording.write(&path).unwrap();
    let back = Recording::load(&path).unwrap();
    assert_eq!(back, recording);
    assert_eq!(
        back.exchanges[0].response.body.to_bytes(),
        [0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe]
    );
}

#[test]
fn a_file_cut_after_any_complete_line_reads_as_the_exchanges_before_the_cut() {
    let path = temp("cut");
    let mut writer = RecordingWriter::create(&path, "area/cut", &provenance()).unwrap();
    for name in ["a", "b", "c"] {
        writer
            .append(&exchange("DescribeCompilationJob", name, 200))
            .unwrap();
    }
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    for kept in 1..=lines.len() {
        let cut = lines[..kept].concat();
        let read = Recording::parse(&cut, &path).unwrap();
        assert_eq!(read.exchanges.len(), kept - 1);
    }
}

#[test]
fn a_torn_last_line_is_refused_naming_the_file_and_the_line() {
    let path = temp("torn");
    let mut writer = RecordingWriter::create(&path, "area/torn", &provenance()).unwrap();
    writer
        .append(&exchange("CreateCompilationJob", "a", 200))
        .unwrap();
    writer
        .append(&exchange("DescribeCompilationJob", "a", 200))
        .unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    // The writer died half-way through the third exchange.
    let torn = format!(
        "{text}{}",
        r#"{"operation":"DescribeCompilationJob","request":{"me"#
    );
    std::fs::write(&path, &torn).unwrap();
    let error = Recording::load(&path).unwrap_err();
    assert!(
        matches!(&error, RecordingError::TornLine { line: 4, .. }),
        "{error}"
    );
    let message = error.to_string();
    assert!(
        message.contains(&format!("{}:4:", path.display())),
        "{message}"
    );
    assert!(message.contains("incomplete"), "{message}");
}

#[test]
fn a_complete_line_that_is_not_an_exchange_is_refused_naming_the_line() {
    let path = temp("bad-line");
    let mut writer = RecordingWriter::create(&path, "area/bad", &provenance()).unwrap();
    writer
        .append(&exchange("CreateCompilationJob", "a", 200))
        .unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let error = Recording::parse(&format!("{text}{{\"operation\": 1}}\n"), &path).unwrap_err();
    assert!(
        matches!(&error, RecordingError::BadLine { line: 3, .. }),
        "{error}"
    );
}

#[test]
fn a_version_1_recording_is_still_read_as_the_same_exchanges_its_re_recording_has() {
    let v1 = root().join("harness/tests/data/recordings/v1-max-results-zero.json");
    let old = Recording::load(&v1).unwrap();
    assert_eq!(old.version, 1);
    let id = "list-validation/max-results-zero-is-below-the-minimum";
    assert_eq!(old.scenario, id);
    let new = Recording::load(&root().join(format!("recordings/{id}.jsonl"))).unwrap();
    assert_eq!(new.version, 2);
    assert_eq!(old.exchanges, new.exchanges);
    assert!(
        old.exchanges
            .iter()
            .all(|e| e.request.method == "POST" && e.request.path == "/")
    );
}

#[test]
fn a_version_1_recording_is_found_by_load_all_beside_version_2_ones() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("recording-format-mixed");
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(
        root().join("harness/tests/data/recordings/v1-max-results-zero.json"),
        dir.join("old.json"),
    )
    .unwrap();
    let recording = Recording {
        format: FORMAT.to_owned(),
        version: VERSION,
        scenario: "area/new".to_owned(),
        provenance: provenance(),
        exchanges: vec![exchange("CreateCompilationJob", "a", 200)],
    };
    recording.write(&dir.join("new.jsonl")).unwrap();
    let all = Recording::load_all(&dir).unwrap();
    let versions: Vec<u32> = all.iter().map(|r| r.version).collect();
    assert_eq!(versions, [2, 1], "sorted by path: new.jsonl, old.json");
}

#[test]
fn an_unknown_version_is_refused_naming_the_file_and_the_version() {
    let path = Path::new("recordings/area/future.jsonl");
    let header = json!({
        "format": FORMAT,
        "version": 7,
        "scenario": "area/future",
        "provenance": provenance(),
        "something": "new",
    });
    let text = format!("{header}\n{{\"whatever\": true}}\n");
    let error = Recording::parse(&text, path).unwrap_err();
    assert!(
        matches!(&error, RecordingError::UnsupportedVersion { found, .. } if found == "7"),
        "{error}"
    );
    let message = error.to_string();
    assert!(
        message.contains("recordings/area/future.jsonl"),
        "{message}"
    );
    assert!(message.contains("version 7 is not supported"), "{message}");
}

#[test]
fn credential_headers_are_never_written_and_kept_ones_are() {
    let path = temp("credentials");
    let mut sent = exchange("CreateCompilationJob", "a", 200);
    sent.request.headers = Headers::new()
        .with("Content-Type", "application/x-amz-json-1.1")
        .with("X-Amz-Target", "SageMaker.CreateCompilationJob")
        .with("X-Amz-Date", "20260101T000000Z")
        .with(
            "Authorization",
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/sagemaker/aws4_request, SignedHeaders=host, Signature=abc",
        )
        .with("X-Amz-Security-Token", "FwoGZXIvYXdzEXAMPLETOKEN")
        .with("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
        .with("Host", "api.sagemaker.us-east-1.amazonaws.com")
        .with("User-Agent", "aws-sdk-rust");
    sent.response.headers.insert("set-cookie", "session=secret");
    sent.response.headers.insert("x-amzn-errortype", "None");
    for scrubbed in [false, true] {
        let mut writer = if scrubbed {
            RecordingWriter::create_scrubbed(&path, "area/c", &provenance(), &Profile::default())
        } else {
            RecordingWriter::create(&path, "area/c", &provenance())
        }
        .unwrap();
        writer.append(&sent).unwrap();
        drop(writer);
        let text = std::fs::read_to_string(&path).unwrap().to_lowercase();
        for never in [
            "authorization",
            "akidexample",
            "x-amz-security-token",
            "fwogzxivyxdz",
            "x-amz-content-sha256",
            "user-agent",
            "set-cookie",
            "\"host\"",
        ] {
            assert!(!text.contains(never), "{never} written: {text}");
        }
        let read = Recording::load(&path).unwrap();
        let request: Vec<&str> = read.exchanges[0]
            .request
            .headers
            .iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(request, ["content-type", "x-amz-date", "x-amz-target"]);
        let response: Vec<&str> = read.exchanges[0]
            .response
            .headers
            .iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(response, ["content-type", "date", "x-amzn-requestid"]);
    }
}

#[test]
fn a_recording_that_cannot_be_read_or_written_is_named_in_the_error() {
    let missing = temp("missing");
    let error = Recording::load_all(&missing).unwrap_err();
    assert!(matches!(error, RecordingError::Io(_)), "{error}");
    assert!(
        error.to_string().contains(&missing.display().to_string()),
        "{error}"
    );
    // A file where the recording's folder should be: creating the folder fails.
    let blocker = temp("blocker");
    std::fs::write(&blocker, "").unwrap();
    let inside = blocker.join("x.jsonl");
    let error = RecordingWriter::create(&inside, "a/b", &provenance());
    let error = error.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(error.contains(&blocker.display().to_string()), "{error}");
}
