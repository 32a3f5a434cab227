#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `cjh serve --state-dir`: what was acknowledged survives kill -9, restarts keep jobs,
//! times, ARNs, the manual clock and page tokens, a torn last record is dropped with a
//! notice, and a damaged middle record stops the server from starting.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// A directory removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        let dir = std::env::temp_dir().join(format!("cjh-durable-{}", uuid::Uuid::new_v4()));
        TempDir(dir)
    }

    fn journal(&self) -> PathBuf {
        self.0.join("journal-0")
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A running `cjh serve`; killed (SIGKILL) when dropped.
struct Server {
    child: Child,
    addr: String,
    stderr: Arc<Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn command(dir: &Path, args: &[&str], compact_bytes: Option<u64>) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cjh"));
    command
        .args(["serve", "--port", "0", "--state-dir"])
        .arg(dir)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(bytes) = compact_bytes {
        command.env("CJH_STATE_COMPACT_BYTES", bytes.to_string());
    }
    command
}

/// Starts the server and waits for its ready line; its stderr is collected.
fn start(dir: &Path, args: &[&str], compact_bytes: Option<u64>) -> Server {
    let mut child = command(dir, args, compact_bytes).spawn().unwrap();
    let stderr = Arc::new(Mutex::new(String::new()));
    let mut pipe = child.stderr.take().unwrap();
    let sink = Arc::clone(&stderr);
    std::thread::spawn(move || {
        let mut buffer = [0; 4096];
        while let Ok(n @ 1..) = pipe.read(&mut buffer) {
            sink.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buffer[..n]));
        }
    });
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = match line.trim_end().strip_prefix("listening on http://") {
        Some(addr) => addr.to_owned(),
        None => {
            let _ = child.wait();
            panic!(
                "no ready line: {line:?}; stderr: {}",
                stderr.lock().unwrap()
            );
        }
    };
    Server {
        child,
        addr,
        stderr,
    }
}

impl Server {
    /// kill -9, and wait until the process is gone.
    fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// Waits up to 5 s for `text` on stderr; returns all of stderr.
    fn stderr_with(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let seen = self.stderr.lock().unwrap().clone();
            if seen.contains(text) || Instant::now() > deadline {
                return seen;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn call(&self, operation: &str, body: &Value) -> (u16, Value) {
        let target = format!("SageMaker.{operation}");
        post(&self.addr, "/", Some(&target), &body.to_string()).unwrap()
    }

    fn ok(&self, operation: &str, body: &Value) -> Value {
        let (status, answer) = self.call(operation, body);
        assert_eq!(status, 200, "{operation} {body}: {answer}");
        answer
    }

    fn control(&self, path: &str, body: &Value) -> Value {
        let (status, answer) = post(&self.addr, path, None, &body.to_string()).unwrap();
        assert_eq!(status, 200, "{path}: {answer}");
        answer
    }

    fn describe(&self, name: &str) -> Value {
        self.ok(
            "DescribeCompilationJob",
            &json!({ "CompilationJobName": name }),
        )
    }

    /// Every job a full List walk returns (CreationTime order, pages of 100), by name.
    fn walk(&self) -> BTreeMap<String, Value> {
        let mut jobs = BTreeMap::new();
        let mut body = json!({ "MaxResults": 100 });
        loop {
            let page = self.ok("ListCompilationJobs", &body);
            for summary in page["CompilationJobSummaries"].as_array().unwrap() {
                let name = summary["CompilationJobName"].as_str().unwrap().to_owned();
                assert!(jobs.insert(name, summary.clone()).is_none(), "listed twice");
            }
            match page.get("NextToken") {
                Some(token) => body["NextToken"] = token.clone(),
                None => return jobs,
            }
        }
    }
}

/// One HTTP/1.1 POST on a fresh connection; an error when the server is gone.
fn post(addr: &str, path: &str, target: Option<&str>, body: &str) -> std::io::Result<(u16, Value)> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(20)))?;
    let target = target
        .map(|t| format!("X-Amz-Target: {t}\r\n"))
        .unwrap_or_default();
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\n{target}Content-Type: application/x-amz-json-1.1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut raw = String::new();
    stream.read_to_string(&mut raw)?;
    let broken = || std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "incomplete answer");
    let (head, body) = raw.split_once("\r\n\r\n").ok_or_else(broken)?;
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(broken)?;
    let value = if body.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(body).map_err(|_| broken())?
    };
    Ok((status, value))
}

fn create_body(name: &str) -> Value {
    json!({
        "CompilationJobName": name,
        "RoleArn": "arn:aws:iam::123456789012:role/service-role/Role",
        "InputConfig": { "S3Uri": format!("s3://bucket/{name}.tar.gz"), "Framework": "PYTORCH",
                         "FrameworkVersion": "2.0", "DataInputConfig": "{\"input0\": [1, 3, 224, 224]}" },
        "OutputConfig": { "S3OutputLocation": "s3://bucket/out/", "TargetDevice": "ml_c5" },
        "StoppingCondition": { "MaxRuntimeInSeconds": 900 }
    })
}

/// What the client knows of one create in the burst.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    /// The connection was refused: the server never saw it.
    NotSent,
    /// Sent, but no answer came: it may or may not have been written.
    Unanswered,
    /// Answered 200 with this ARN, and described with this CreationTime when the
    /// server lived long enough.
    Acknowledged(String, Option<Value>),
}

const TASKS: usize = 8;
const PER_TASK: usize = 100;

/// Runs the burst of creates, kills the server once `kill_after` are acknowledged, and
/// returns what each create's client saw.
fn burst_and_kill(server: Server, kill_after: usize) -> BTreeMap<String, Outcome> {
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let addr = server.addr.clone();
    let tasks: Vec<_> = (0..TASKS)
        .map(|task| {
            let (addr, acknowledged) = (addr.clone(), Arc::clone(&acknowledged));
            std::thread::spawn(move || {
                let mut seen = Vec::new();
                for i in 0..PER_TASK {
                    let name = format!("burst-{task}-{i:03}");
                    let target = Some("SageMaker.CreateCompilationJob");
                    let outcome = match post(&addr, "/", target, &create_body(&name).to_string()) {
                        Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                            Outcome::NotSent
                        }
                        Err(_) => Outcome::Unanswered,
                        Ok((200, answer)) => {
                            acknowledged.fetch_add(1, Ordering::SeqCst);
                            let arn = answer["CompilationJobArn"].as_str().unwrap().to_owned();
                            let body = json!({ "CompilationJobName": name }).to_string();
                            let described =
                                post(&addr, "/", Some("SageMaker.DescribeCompilationJob"), &body);
                            let time = described.ok().map(|(_, d)| d["CreationTime"].clone());
                            Outcome::Acknowledged(arn, time)
                        }
                        Ok((status, answer)) => panic!("{name}: {status} {answer}"),
                    };
                    seen.push((name, outcome));
                }
                seen
            })
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(60);
    while acknowledged.load(Ordering::SeqCst) < kill_after {
        assert!(Instant::now() < deadline, "the burst did not get going");
        std::thread::sleep(Duration::from_micros(200));
    }
    server.kill();
    tasks.into_iter().flat_map(|t| t.join().unwrap()).collect()
}

#[test]
fn every_acknowledged_create_survives_kill_9_in_the_middle_of_a_burst() {
    let dir = TempDir::new();
    // A small compaction floor, so snapshots are taken (and interrupted) during the burst.
    let compact = Some(32 * 1024);
    let outcomes = burst_and_kill(start(&dir.0, &[], compact), 200);
    let acknowledged: BTreeMap<_, _> = outcomes
        .iter()
        .filter_map(|(name, o)| match o {
            Outcome::Acknowledged(arn, time) => Some((name.clone(), (arn.clone(), time.clone()))),
            _ => None,
        })
        .collect();
    assert!(acknowledged.len() >= 200);
    assert!(
        acknowledged.len() < TASKS * PER_TASK,
        "the kill came after the burst"
    );
    let journals: Vec<_> = std::fs::read_dir(&dir.0)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("journal-"))
        .collect();
    assert!(
        journals.iter().all(|name| name != "journal-0"),
        "the burst went through at least one compaction: {journals:?}"
    );

    for round in 0..2 {
        let server = start(&dir.0, &[], compact);
        for (name, (arn, time)) in &acknowledged {
            let job = server.describe(name);
            assert_eq!(&job["CompilationJobArn"], arn, "{name}");
            if let Some(time) = time {
                assert_eq!(&job["CreationTime"], time, "{name}");
            }
        }
        let listed = server.walk();
        let sent: BTreeSet<_> = outcomes
            .iter()
            .filter(|(_, o)| **o != Outcome::NotSent)
            .map(|(name, _)| name.clone())
            .collect();
        for (name, summary) in &listed {
            // Present only if sent, and then whole: Describe agrees with List.
            assert!(sent.contains(name), "{name} was never sent");
            let job = server.describe(name);
            // (The status moves on with the system clock between the two.)
            for key in ["CompilationJobArn", "CreationTime"] {
                assert_eq!(job[key], summary[key], "{name} {key}");
            }
        }
        for name in acknowledged.keys() {
            assert!(listed.contains_key(name), "{name} missing from the walk");
        }
        if round == 0 {
            let unanswered = outcomes
                .iter()
                .filter(|(_, o)| **o == Outcome::Unanswered)
                .count();
            let written_unanswered = listed.len() - acknowledged.len();
            eprintln!(
                "{} acknowledged, {unanswered} unanswered of which {written_unanswered} were written before the kill",
                acknowledged.len()
            );
        }
        server.kill();
    }
}

#[test]
fn stops_deletes_the_manual_clock_and_a_page_token_survive_two_kills() {
    let dir = TempDir::new();
    let args = ["--clock", "manual"];
    let server = start(&dir.0, &args, None);
    let names = ["a", "b", "c", "d", "e", "f"];
    for name in names {
        server.ok("CreateCompilationJob", &create_body(name));
        server.control("/_cjh/clock/advance", &json!({ "seconds": 0.25 }));
    }
    server.control("/_cjh/clock/advance", &json!({ "seconds": 1.5 }));
    server.ok("StopCompilationJob", &json!({ "CompilationJobName": "b" }));
    let now = server.control("/_cjh/clock/advance", &json!({ "seconds": 10 }))["now"].clone();
    server.ok(
        "DeleteCompilationJob",
        &json!({ "CompilationJobName": "c" }),
    );
    let first = server.ok("ListCompilationJobs", &json!({ "MaxResults": 2 }));
    let token = first["NextToken"].clone();
    let before = server.walk();
    assert_eq!(before["b"]["CompilationJobStatus"], "STOPPED");
    assert_eq!(before["a"]["CompilationJobStatus"], "COMPLETED");
    let described: Vec<_> = before.keys().map(|name| server.describe(name)).collect();
    server.kill();

    for _ in 0..2 {
        let server = start(&dir.0, &args, None);
        assert_eq!(
            server.control("/_cjh/clock/advance", &json!({ "seconds": 0 }))["now"],
            now
        );
        assert_eq!(server.walk(), before);
        let again: Vec<_> = before.keys().map(|name| server.describe(name)).collect();
        assert_eq!(again, described);
        let (status, _) = server.call(
            "DescribeCompilationJob",
            &json!({ "CompilationJobName": "c" }),
        );
        assert_eq!(status, 400, "the deleted job stays deleted");
        let next = server.ok(
            "ListCompilationJobs",
            &json!({ "MaxResults": 2, "NextToken": token }),
        );
        let page: Vec<_> = next["CompilationJobSummaries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["CompilationJobName"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(page, ["d", "e"]);
        server.kill();
    }
}

#[test]
fn a_reset_through_the_control_endpoint_empties_the_state_directory() {
    let dir = TempDir::new();
    let server = start(&dir.0, &[], None);
    server.ok("CreateCompilationJob", &create_body("before-reset"));
    server.control("/_cjh/reset", &json!({}));
    server.ok("CreateCompilationJob", &create_body("after-reset"));
    server.kill();
    let server = start(&dir.0, &[], None);
    let names: Vec<_> = server.walk().into_keys().collect();
    assert_eq!(names, ["after-reset"]);
}

fn three_jobs(dir: &TempDir) {
    let server = start(&dir.0, &[], None);
    for name in ["one", "two", "three"] {
        server.ok("CreateCompilationJob", &create_body(name));
    }
    server.kill();
}

#[test]
fn a_torn_last_record_is_reported_on_stderr_and_the_server_starts_with_the_rest() {
    let dir = TempDir::new();
    three_jobs(&dir);
    // Garbage after the last record, as a write cut short can leave.
    let whole = std::fs::read(dir.journal()).unwrap();
    let mut torn = whole.clone();
    torn.extend_from_slice(b"\x40\x01\x00\x00partial record");
    std::fs::write(dir.journal(), &torn).unwrap();
    let server = start(&dir.0, &[], None);
    let stderr = server.stderr_with("torn record");
    assert!(
        stderr.contains("torn record") && stderr.contains("journal-0"),
        "{stderr}"
    );
    assert_eq!(server.walk().len(), 3);
    server.kill();
    assert_eq!(
        std::fs::read(dir.journal()).unwrap(),
        whole,
        "cut back to the last good record"
    );

    // The last record itself cut short: the job it held is gone, the others are not.
    std::fs::write(dir.journal(), &whole[..whole.len() - 7]).unwrap();
    let server = start(&dir.0, &[], None);
    assert!(server.stderr_with("torn record").contains("torn record"));
    let names: Vec<_> = server.walk().into_keys().collect();
    assert_eq!(names, ["one", "two"]);
}

#[test]
fn a_damaged_middle_record_stops_the_server_from_starting_with_the_file_and_offset() {
    let dir = TempDir::new();
    three_jobs(&dir);
    let mut bytes = std::fs::read(dir.journal()).unwrap();
    let first = bytes.windows(8).position(|w| w == b"\"create\"").unwrap();
    bytes[first + 20] ^= 0x01;
    std::fs::write(dir.journal(), bytes).unwrap();
    let output = command(&dir.0, &[], None).output().unwrap();
    let status: ExitStatus = output.status;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(output.stdout.is_empty(), "it must not report ready");
    assert!(
        stderr.contains("journal-0") && stderr.contains("corrupt record at byte"),
        "{stderr}"
    );
    assert!(stderr.contains("refusing to start"), "{stderr}");
}

#[tokio::test]
async fn the_in_process_emulator_keeps_its_jobs_too_and_refuses_a_directory_in_use() {
    let dir = TempDir::new();
    let build = || {
        cjh_emulator::Emulator::builder()
            .clock(cjh_emulator::ClockMode::Manual)
            .state_dir(Some(dir.0.clone()))
    };
    let first = build().try_build().unwrap();
    let created = first.call("CreateCompilationJob", &create_body("in-process"));
    assert_eq!(created.status, 200, "{:?}", created.body);
    first.advance_clock(Duration::from_secs(2)).unwrap();
    let before = first.call(
        "DescribeCompilationJob",
        &json!({ "CompilationJobName": "in-process" }),
    );

    // While `first` holds the directory, a second emulator on it refuses everything.
    assert!(build().try_build().is_err());
    let second = build().build();
    assert!(matches!(
        second.start().await,
        Err(cjh_emulator::StartError::State(_))
    ));
    let refused = second.call("ListCompilationJobs", &json!({}));
    assert_eq!(refused.status, 500);
    assert_eq!(refused.error_code(), Some("InternalFailure"));
    drop((first, second));

    let again = build().try_build().unwrap();
    let after = again.call(
        "DescribeCompilationJob",
        &json!({ "CompilationJobName": "in-process" }),
    );
    assert_eq!(after.body, before.body);
    assert_eq!(after.body["CompilationJobStatus"], "INPROGRESS");
}
