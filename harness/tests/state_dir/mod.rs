//! `cjh serve --state-dir` as a child process, for the tests of durable state: a
//! temporary directory, the server (killed with SIGKILL when dropped), and plain HTTP
//! calls that report a server gone as an error rather than a panic.

// Each test crate includes this module and uses a different subset of it.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// A directory removed when dropped.
pub(crate) struct TempDir(pub(crate) PathBuf);

impl TempDir {
    pub(crate) fn new() -> TempDir {
        let dir = std::env::temp_dir().join(format!("cjh-durable-{}", uuid::Uuid::new_v4()));
        TempDir(dir)
    }

    pub(crate) fn database(&self) -> PathBuf {
        self.0.join("state.sqlite3")
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A running `cjh serve`; killed (SIGKILL) when dropped.
pub(crate) struct Server {
    pub(crate) child: Child,
    pub(crate) addr: String,
    stderr: Arc<Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn command(dir: &Path, args: &[&str]) -> Command {
    command_in(Command::new(env!("CARGO_BIN_EXE_cjh")), dir, args)
}

/// `cjh serve` on `dir` with `args`, run by `program` (the binary, or a wrapper that
/// runs it).
pub(crate) fn command_in(mut command: Command, dir: &Path, args: &[&str]) -> Command {
    command
        .args(["serve", "--port", "0", "--state-dir"])
        .arg(dir)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Starts the server and waits for its ready line; its stderr is collected.
pub(crate) fn start(dir: &Path, args: &[&str]) -> Server {
    spawn(command(dir, args))
}

pub(crate) fn spawn(mut command: Command) -> Server {
    let mut child = command.spawn().unwrap();
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
    pub(crate) fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// Waits up to 5 s for `text` on stderr; returns all of stderr.
    pub(crate) fn stderr_with(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let seen = self.stderr.lock().unwrap().clone();
            if seen.contains(text) || Instant::now() > deadline {
                return seen;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub(crate) fn call(&self, operation: &str, body: &Value) -> (u16, Value) {
        let target = format!("SageMaker.{operation}");
        post(&self.addr, "/", Some(&target), &body.to_string()).unwrap()
    }

    pub(crate) fn ok(&self, operation: &str, body: &Value) -> Value {
        let (status, answer) = self.call(operation, body);
        assert_eq!(status, 200, "{operation} {body}: {answer}");
        answer
    }

    pub(crate) fn control(&self, path: &str, body: &Value) -> Value {
        let (status, answer) = post(&self.addr, path, None, &body.to_string()).unwrap();
        assert_eq!(status, 200, "{path}: {answer}");
        answer
    }

    pub(crate) fn describe(&self, name: &str) -> Value {
        self.ok(
            "DescribeCompilationJob",
            &json!({ "CompilationJobName": name }),
        )
    }

    /// Every job a full List walk returns (CreationTime order, pages of 100), by name.
    pub(crate) fn walk(&self) -> BTreeMap<String, Value> {
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
pub(crate) fn post(
    addr: &str,
    path: &str,
    target: Option<&str>,
    body: &str,
) -> std::io::Result<(u16, Value)> {
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

pub(crate) fn create_body(name: &str) -> Value {
    json!({
        "CompilationJobName": name,
        "RoleArn": "arn:aws:iam::123456789012:role/service-role/Role",
        "InputConfig": { "S3Uri": format!("s3://bucket/{name}.tar.gz"), "Framework": "PYTORCH",
                         "FrameworkVersion": "2.0", "DataInputConfig": "{\"input0\": [1, 3, 224, 224]}" },
        "OutputConfig": { "S3OutputLocation": "s3://bucket/out/", "TargetDevice": "ml_c5" },
        "StoppingCondition": { "MaxRuntimeInSeconds": 900 }
    })
}
