//! Helpers shared by the real-client tests.
//!
//! - [`Server`]: a `cjh serve --clock manual` child on a free port, killed when
//!   the test ends, pass or fail, so no emulator outlives its test.
//! - [`post_json`]: a dependency-free HTTP/1.1 POST for the `/_cjh/...`
//!   control endpoints, which no AWS client can call.
//! - [`client_program`]: the path of an external client taken from the
//!   environment `cargo xtask test` prepares, failing loudly when it is absent.
//! - [`venv::pinned_tool`]: a Python tool in a venv of its own, from a pinned requirements file.

// Each test crate includes this module and uses a different subset of it.
#![allow(dead_code)]

use std::error::Error;
use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

pub(crate) mod venv;

/// Result type of the tests: any error fails the test with its message.
pub(crate) type TestResult<T = ()> = Result<T, Box<dyn Error>>;

/// How long `cjh serve` may take to print its listening line.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(20);

/// The line prefix `cjh serve` prints once it accepts connections.
const LISTENING_PREFIX: &str = "listening on ";

/// The hint every "client unavailable" failure carries.
pub(crate) const RUN_XTASK_HINT: &str = "run the tests with `cargo xtask test`, which installs the pinned boto3 and AWS CLI into target/cjh-venv and sets CJH_PYTHON and CJH_AWS_CLI";

/// Returns the program named by the environment variable `var`, failing (not
/// skipping) when it is unset or not a file: a silently skipped client test
/// would hide exactly the regressions these tests exist to catch.
pub(crate) fn client_program(var: &str) -> TestResult<PathBuf> {
    let Some(value) = std::env::var_os(var) else {
        return Err(format!("{var} is not set; {RUN_XTASK_HINT}").into());
    };
    let path = PathBuf::from(value);
    if !path.is_file() {
        return Err(format!("{var}={} is not a file; {RUN_XTASK_HINT}", path.display()).into());
    }
    Ok(path)
}

/// The whole environment for a client process: `PATH` and `HOME` from ours,
/// plus dummy credentials and a region, with config files pointed at paths
/// that do not exist. Use it after `Command::env_clear`, so the host's
/// `~/.aws`, `AWS_PROFILE`, `AWS_ENDPOINT_URL` or proxy settings cannot
/// change what the client sends.
pub(crate) fn sealed_aws_environment() -> Vec<(OsString, OsString)> {
    let mut env: Vec<(OsString, OsString)> = ["PATH", "HOME"]
        .into_iter()
        .filter_map(|name| std::env::var_os(name).map(|value| (name.into(), value)))
        .collect();
    let missing = std::env::temp_dir().join("cjh-test-no-such-dir");
    env.extend([
        ("AWS_ACCESS_KEY_ID".into(), "AKIDCJHTEST".into()),
        ("AWS_SECRET_ACCESS_KEY".into(), "cjh-test-secret".into()),
        ("AWS_DEFAULT_REGION".into(), "us-east-1".into()),
        (
            "AWS_CONFIG_FILE".into(),
            missing.join("config").into_os_string(),
        ),
        (
            "AWS_SHARED_CREDENTIALS_FILE".into(),
            missing.join("credentials").into_os_string(),
        ),
        // Keep the IMDS credential probe from ever leaving the machine.
        ("AWS_EC2_METADATA_DISABLED".into(), "true".into()),
        ("PYTHONDONTWRITEBYTECODE".into(), "1".into()),
    ]);
    env
}

/// A running `cjh serve` process; dropping it kills the process.
#[derive(Debug)]
pub(crate) struct Server {
    child: Child,
    url: String,
    port: u16,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    /// Starts `cjh serve --port 0 --clock manual` and waits for its listening line.
    pub(crate) fn start() -> TestResult<Self> {
        Self::start_with(&[])
    }

    /// As [`Server::start`], with more flags of `cjh serve`.
    pub(crate) fn start_with(flags: &[&str]) -> TestResult<Self> {
        let mut all = vec!["--clock", "manual"];
        all.extend_from_slice(flags);
        Self::start_on_its_own_clock(&all)
    }

    /// `cjh serve --port 0` with these flags only: on the system clock unless they say
    /// otherwise, for runs that wait for real time to pass.
    pub(crate) fn start_on_its_own_clock(flags: &[&str]) -> TestResult<Self> {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cjh"))
            .args(["serve", "--port", "0"])
            .args(flags)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let stderr = Arc::new(Mutex::new(String::new()));
        if let Some(pipe) = child.stderr.take() {
            let sink = Arc::clone(&stderr);
            thread::spawn(move || drain_into(pipe, &sink));
        }
        let first_line = match child.stdout.take() {
            Some(pipe) => first_line_then_drain(pipe),
            None => return Err("cjh serve has no stdout pipe".into()),
        };
        // Build the guard before waiting, so a startup failure still kills the child.
        let mut server = Self {
            child,
            url: String::new(),
            port: 0,
            stderr,
        };
        let line = match first_line.recv_timeout(STARTUP_TIMEOUT) {
            Ok(line) => line,
            Err(_) => {
                return Err(format!(
                    "cjh serve printed no listening line within {STARTUP_TIMEOUT:?}; stderr:\n{}",
                    server.stderr()
                )
                .into());
            }
        };
        let (url, port) = parse_listening_line(&line).ok_or_else(|| {
            format!(
                "expected `listening on http://127.0.0.1:PORT`, found {line:?}; stderr:\n{}",
                server.stderr()
            )
        })?;
        server.url = url;
        server.port = port;
        Ok(server)
    }

    /// The base URL, e.g. `http://127.0.0.1:40123`.
    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    /// Moves the emulator's manual clock forward.
    pub(crate) fn advance_clock(&self, seconds: u64) -> TestResult {
        let body = format!("{{\"seconds\": {seconds}}}");
        let (status, response) = post_json(self.port, "/_cjh/clock/advance", &body)?;
        if status != 200 {
            return Err(
                format!("clock advance: expected HTTP 200, found {status}: {response}").into(),
            );
        }
        Ok(())
    }

    /// Everything the server wrote to stderr so far, for failure messages.
    pub(crate) fn stderr(&self) -> String {
        self.stderr.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Errors are ignored: the process may already have exited.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Parses `listening on http://127.0.0.1:PORT` into the URL and the port.
pub(crate) fn parse_listening_line(line: &str) -> Option<(String, u16)> {
    let url = line.trim_end().strip_prefix(LISTENING_PREFIX)?;
    let port = url.strip_prefix("http://127.0.0.1:")?.parse().ok()?;
    Some((url.to_owned(), port))
}

/// Sends the first stdout line over a channel, then keeps reading so the
/// server never blocks on a full pipe.
fn first_line_then_drain(pipe: impl Read + Send + 'static) -> mpsc::Receiver<String> {
    let (sender, receiver) = mpsc::channel();
    thread::spawn(move || {
        let mut reader = BufReader::new(pipe);
        let mut line = String::new();
        if reader.read_line(&mut line).is_ok_and(|n| n > 0) {
            let _ = sender.send(line);
        }
        let _ = std::io::copy(&mut reader, &mut std::io::sink());
    });
    receiver
}

fn drain_into(pipe: impl Read, sink: &Mutex<String>) {
    for line in BufReader::new(pipe).lines() {
        let Ok(line) = line else { return };
        if let Ok(mut text) = sink.lock() {
            text.push_str(&line);
            text.push('\n');
        }
    }
}

/// POSTs `body` as JSON to `127.0.0.1:port` + `path` and returns the status
/// code and the response body. It speaks just enough HTTP/1.1
/// (`Connection: close`, read to EOF) for the emulator's control endpoints.
pub(crate) fn post_json(port: u16, path: &str, body: &str) -> TestResult<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes())?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| format!("not an HTTP response: {response:?}"))?;
    let body = response.split_once("\r\n\r\n").map_or("", |(_, body)| body);
    Ok((status, body.to_owned()))
}
