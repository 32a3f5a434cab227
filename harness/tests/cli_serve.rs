//! `cjh serve` as a process: the ready line, settings from a file and flags (lifecycle
//! presets and the default sort order among them), control
//! endpoints over HTTP, and a clean exit on SIGTERM, SIGINT and (with `--exit-with-stdin`)
//! the end of standard input.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

mod process;

use process::Running;

/// `cjh serve` with these flags.
fn spawn(args: &[&str]) -> Running {
    let mut all = vec!["serve"];
    all.extend_from_slice(args);
    Running::start(&all)
}

/// One HTTP/1.1 request; returns (status, lower-cased head, body).
fn request(
    addr: &str,
    method: &str,
    path: &str,
    target: Option<&str>,
    body: &str,
) -> (u16, String, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let target = target
        .map(|t| format!("X-Amz-Target: {t}\r\n"))
        .unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{target}Content-Type: application/x-amz-json-1.1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head.to_ascii_lowercase(), body.to_owned())
}

/// An AWS JSON 1.1 call.
fn aws(addr: &str, operation: &str, body: &str) -> (u16, String, String) {
    let target = format!("SageMaker.{operation}");
    request(addr, "POST", "/", Some(&target), body)
}

/// A control-endpoint call.
fn control(addr: &str, path: &str, body: &str) -> (u16, String, String) {
    request(addr, "POST", path, None, body)
}

/// A settings file with this text, in a folder of its own named after `name`.
fn settings_file(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("cjh-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("settings.toml");
    std::fs::write(&file, text).unwrap();
    file
}

const CREATE: &str = r#"{"CompilationJobName":"cli-job","RoleArn":"arn:aws:iam::123456789012:role/r","InputConfig":{"S3Uri":"s3://b/m.tar.gz","Framework":"ONNX"},"OutputConfig":{"S3OutputLocation":"s3://b/o","TargetDevice":"ml_c5"},"StoppingCondition":{}}"#;
const DESCRIBE: &str = r#"{"CompilationJobName":"cli-job"}"#;

#[test]
fn serve_prints_its_loopback_address_and_answers_aws_json() {
    let server = spawn(&["--port", "0", "--clock", "manual"]);
    assert!(server.addr().starts_with("127.0.0.1:"), "{}", server.addr());
    let (status, head, body) = aws(server.addr(), "CreateCompilationJob", CREATE);
    assert_eq!(status, 200, "{body}");
    assert!(
        head.contains("content-type: application/x-amz-json-1.1"),
        "{head}"
    );
    assert!(head.contains("x-amzn-requestid: "), "{head}");
}

#[test]
fn the_control_endpoints_advance_the_manual_clock_and_reset_state() {
    let server = spawn(&["--port", "0", "--clock", "manual"]);
    let operation = "DescribeCompilationJob";
    aws(server.addr(), "CreateCompilationJob", CREATE);
    let (_, _, body) = aws(server.addr(), operation, DESCRIBE);
    assert!(
        body.contains(r#""CompilationJobStatus":"STARTING""#),
        "{body}"
    );
    let (status, _, _) = control(server.addr(), "/_cjh/clock/advance", r#"{"seconds": 4}"#);
    assert_eq!(status, 200);
    let (_, _, body) = aws(server.addr(), operation, DESCRIBE);
    assert!(
        body.contains(r#""CompilationJobStatus":"COMPLETED""#),
        "{body}"
    );
    let (status, _, _) = control(server.addr(), "/_cjh/reset", "");
    assert_eq!(status, 200);
    let (status, _, body) = aws(server.addr(), operation, DESCRIBE);
    assert_eq!(status, 400);
    assert!(
        body.contains("Could not find compilation job 'cli-job'."),
        "{body}"
    );
}

#[test]
fn advancing_the_system_clock_is_refused_with_an_aws_shaped_error() {
    let server = spawn(&["--port", "0"]);
    let (status, _, body) = control(server.addr(), "/_cjh/clock/advance", r#"{"seconds": 1}"#);
    assert_eq!(status, 400);
    assert!(
        body.starts_with(r#"{"__type":"ValidationException","Message":"Cannot advance"#),
        "{body}"
    );
}

#[test]
fn flags_override_the_settings_file() {
    let file = settings_file(
        "settings",
        "clock = \"manual\"\nnot_found = \"resource-not-found\"\nstarting_secs = 100\n",
    );
    let server = spawn(&[
        "--port",
        "0",
        "--settings",
        file.to_str().unwrap(),
        "--starting-secs",
        "0.5",
    ]);
    let (_, _, body) = aws(server.addr(), "DescribeCompilationJob", DESCRIBE);
    assert!(body.contains(r#""__type":"ResourceNotFound""#), "{body}");
    aws(server.addr(), "CreateCompilationJob", CREATE);
    control(server.addr(), "/_cjh/clock/advance", r#"{"seconds": 0.5}"#);
    let (_, _, body) = aws(server.addr(), "DescribeCompilationJob", DESCRIBE);
    assert!(
        body.contains(r#""CompilationJobStatus":"INPROGRESS""#),
        "{body}"
    );
}

#[test]
fn the_instant_lifecycle_finishes_a_job_by_the_next_request() {
    let server = spawn(&["--port", "0", "--lifecycle", "instant"]);
    let (status, _, _) = aws(server.addr(), "CreateCompilationJob", CREATE);
    assert_eq!(status, 200);
    let (_, _, body) = aws(server.addr(), "DescribeCompilationJob", DESCRIBE);
    assert!(
        body.contains(r#""CompilationJobStatus":"COMPLETED""#),
        "{body}"
    );
}

#[test]
fn a_lifecycle_preset_in_the_file_yields_to_a_duration_flag() {
    let file = settings_file("preset", "clock = \"manual\"\nlifecycle = \"realistic\"\n");
    let server = spawn(&[
        "--port",
        "0",
        "--settings",
        file.to_str().unwrap(),
        "--starting-secs",
        "5",
    ]);
    aws(server.addr(), "CreateCompilationJob", CREATE);
    let status_after = |secs: &str| {
        control(
            server.addr(),
            "/_cjh/clock/advance",
            &format!(r#"{{"seconds": {secs}}}"#),
        );
        let (_, _, body) = aws(server.addr(), "DescribeCompilationJob", DESCRIBE);
        let value: serde_json::Value = serde_json::from_str(&body).unwrap();
        value["CompilationJobStatus"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    // STARTING for the flag's 5 s, then compiling for the preset's 180 s.
    assert_eq!(status_after("5"), "INPROGRESS");
    assert_eq!(status_after("179"), "INPROGRESS");
    assert_eq!(status_after("1"), "COMPLETED");
}

#[test]
fn a_descending_default_sort_order_lists_newest_first_only_when_no_order_is_named() {
    let server = spawn(&[
        "--port",
        "0",
        "--clock",
        "manual",
        "--default-sort-order",
        "descending",
    ]);
    for name in ["older", "newer"] {
        let body = CREATE.replace("cli-job", name);
        assert_eq!(aws(server.addr(), "CreateCompilationJob", &body).0, 200);
        control(server.addr(), "/_cjh/clock/advance", r#"{"seconds": 1}"#);
    }
    let names = |request: &str| {
        let (_, _, body) = aws(server.addr(), "ListCompilationJobs", request);
        let value: serde_json::Value = serde_json::from_str(&body).unwrap();
        value["CompilationJobSummaries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["CompilationJobName"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(names("{}"), ["newer", "older"]);
    assert_eq!(names(r#"{"SortOrder":"Ascending"}"#), ["older", "newer"]);
}

#[test]
fn the_journal_keeps_as_many_requests_as_the_journal_size_flag_says_over_the_file() {
    let file = settings_file("journal", "journal_size = 1\njournal_bytes = 4096\n");
    let server = spawn(&[
        "--port",
        "0",
        "--settings",
        file.to_str().unwrap(),
        "--journal-size",
        "2",
    ]);
    for _ in 0..3 {
        aws(server.addr(), "DescribeCompilationJob", DESCRIBE);
    }
    let (status, _, body) = request(server.addr(), "GET", "/_cjh/requests", None, "");
    assert_eq!(status, 200, "{body}");
    let journal: serde_json::Value = serde_json::from_str(&body).unwrap();
    let sequences: Vec<u64> = journal["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["sequence"].as_u64().unwrap())
        .collect();
    assert_eq!(sequences, [2, 3]);
    let _ = std::fs::remove_dir_all(file.parent().unwrap());
}

#[test]
fn a_journal_bytes_flag_under_1024_stops_the_server_with_the_setting_named() {
    let output = Command::new(env!("CARGO_BIN_EXE_cjh"))
        .args(["serve", "--port", "0", "--journal-bytes", "100"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("journal_bytes"), "{stderr}");
}

#[test]
fn a_settings_file_with_an_unknown_key_stops_the_server_with_the_key_named() {
    let file = settings_file("bad-settings", "pagination = \"window\"\n");
    let output = Command::new(env!("CARGO_BIN_EXE_cjh"))
        .args(["serve", "--port", "0", "--settings", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("pagination") && stderr.contains("settings.toml"),
        "{stderr}"
    );
}

#[test]
fn sigterm_and_sigint_stop_the_server_cleanly() {
    for signal in ["-TERM", "-INT"] {
        let mut server = spawn(&["--port", "0"]);
        let status = server.signal_and_wait(signal);
        assert!(status.success(), "{signal}: {status}");
    }
}

#[test]
fn exit_with_stdin_stops_the_server_cleanly_once_its_standard_input_closes() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cjh"))
        .args(["serve", "--port", "0", "--exit-with-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim_end()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("unexpected ready line {line:?}"))
        .to_owned();
    // Serving while the pipe is open, whatever is written to it.
    child
        .stdin
        .as_mut()
        .unwrap()
        .write_all(b"ignored\n")
        .unwrap();
    let (status, _, body) = aws(&addr, "ListCompilationJobs", "{}");
    assert_eq!(status, 200, "{body}");

    drop(child.stdin.take());

    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("cjh serve --exit-with-stdin still runs 10 s after its stdin closed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status}");
}
