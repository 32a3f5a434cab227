//! The WireMock export, proven with WireMock itself.
//!
//! Scenarios with fixtures that wait (so Describe is polled with identical requests and
//! changing answers) and list walks that follow NextTokens are run on the emulator
//! through a recorder; the recordings are exported as stub mappings, the WireMock
//! standalone server (the pinned npm package `cargo xtask test` installs, named by
//! `CJH_WIREMOCK`) serves them, and the same scenarios are run against it. Each
//! replayed transcript, normalized, must equal its recorded one: every request found a
//! stub, in recorded order, and every answer came back as recorded.

mod hand_made;
use std::fs::File;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use cjh::compare::{normalize, snapshot_diff};
use cjh::exchange::{Exchange, Request};
use cjh::export::wiremock;
use cjh::recording::{FORMAT, Recording, Source, VERSION};
use cjh::runner::{RunOutcome, run};
use cjh::scenario::Profile;
use cjh::scenario::{Scenario, discover};
use cjh::targets::RecordingTarget;
use cjh::targets::{BoxFuture, EmulatorTarget, Target, TargetError, UrlTarget, VirtualClock};

type TestResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

/// The scenarios replayed, each with its run prefix. Prefixes differ so the two
/// recordings never send the same request and can share one server.
const SCENARIOS: &[(&str, &str)] = &[
    // Three STOPPED fixtures (stop, then Describe polled until STOPPED), a walk through
    // empty pages that carry NextTokens, then a request identical to the walk's first.
    ("list-paging/status-filter-pages-can-be-empty", "cjhrec"),
    // Three COMPLETED fixtures (Describe polled until COMPLETED), then the first page's
    // NextToken sent again with another filter, and refused.
    (
        "list-tokens/token-reused-with-another-status-filter",
        "cjhrecb",
    ),
];

/// How long the JVM may take to start WireMock.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(90);

const HINT: &str = "run the tests with `cargo xtask test`, which installs the pinned WireMock (npm package `wiremock`) into target/cjh-npm and sets CJH_WIREMOCK";

/// The WireMock launcher, failing (never skipping) when the environment lacks it.
fn wiremock_launcher() -> TestResult<PathBuf> {
    let Some(value) = std::env::var_os("CJH_WIREMOCK") else {
        return Err(format!("CJH_WIREMOCK is not set; {HINT}").into());
    };
    let path = PathBuf::from(value);
    if !path.is_file() {
        return Err(format!("CJH_WIREMOCK={} is not a file; {HINT}", path.display()).into());
    }
    Ok(path)
}

/// A clock that moves nothing: the stubs answer in recorded order whatever the time, so
/// waits need no real sleeping, only the runner's "a clock exists" path.
#[derive(Debug)]
struct ScriptedClock;

impl VirtualClock for ScriptedClock {
    fn advance(&self, _secs: f64) {}
}

/// A URL target whose waits cost no time.
#[derive(Debug)]
struct Scripted {
    inner: UrlTarget,
    clock: ScriptedClock,
}

impl Target for Scripted {
    fn label(&self) -> String {
        self.inner.label()
    }

    fn send(&self, request: Request) -> BoxFuture<'_, Result<Exchange, TargetError>> {
        self.inner.send(request)
    }

    fn clock(&self) -> Option<&dyn VirtualClock> {
        Some(&self.clock)
    }
}

/// A WireMock standalone server in its own process group (the npm launcher runs `java`
/// as a child), killed as a group when dropped, pass or panic.
struct WireMock {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl WireMock {
    fn start(launcher: &Path, root: &Path) -> TestResult<WireMock> {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let log = root.join("wiremock.log");
        let output = File::create(&log)?;
        let child = Command::new(launcher)
            .args(["--port", &port.to_string(), "--bind-address", "127.0.0.1"])
            .arg("--root-dir")
            .arg(root)
            .arg("--disable-banner")
            .stdin(Stdio::null())
            .stdout(output.try_clone()?)
            .stderr(output)
            .process_group(0)
            .spawn()?;
        let mut server = WireMock { child, port, log };
        let started = Instant::now();
        loop {
            if get(port, "/__admin/health").is_ok_and(|(status, _)| status == 200) {
                return Ok(server);
            }
            if let Some(status) = server.child.try_wait()? {
                return Err(format!("WireMock exited with {status}:\n{}", server.log()).into());
            }
            if started.elapsed() > STARTUP_TIMEOUT {
                return Err(format!(
                    "WireMock did not answer /__admin/health within {STARTUP_TIMEOUT:?}:\n{}",
                    server.log()
                )
                .into());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// What WireMock says about requests no stub matched, for a failure message.
    fn unmatched(&self) -> String {
        get(self.port, "/__admin/requests/unmatched/near-misses")
            .map(|(_, body)| body.chars().take(4000).collect())
            .unwrap_or_default()
    }
}

impl Drop for WireMock {
    fn drop(&mut self) {
        // The group id is the launcher's pid (process_group(0)); java is in it too.
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A plain HTTP/1.1 GET on loopback: (status, body).
fn get(port: u16, path: &str) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )?;
    let mut text = String::new();
    stream.read_to_string(&mut text)?;
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    Ok((status, body))
}

fn scenario(id: &str) -> TestResult<Scenario> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
    let (scenarios, errors) = discover(&root);
    if !errors.is_empty() {
        return Err(format!("scenario errors: {errors:?}").into());
    }
    scenarios
        .into_iter()
        .find(|s| s.id == id)
        .ok_or_else(|| format!("scenario {id} is not in {}", root.display()).into())
}

fn passed(what: &str, outcome: &RunOutcome) -> TestResult {
    if outcome.failures.is_empty() {
        Ok(())
    } else {
        Err(format!("{what} failed: {:?}", outcome.failures).into())
    }
}

/// Runs a scenario on a fresh emulator through a recorder: the outcome and recording.
async fn record(scenario: &Scenario, prefix: &str) -> TestResult<(RunOutcome, Recording)> {
    let target = RecordingTarget::new(Box::new(EmulatorTarget::new(
        EmulatorTarget::scenario_settings(),
    )));
    let outcome = run(scenario, &target, &Profile::default(), prefix).await;
    passed(&format!("recording {}", scenario.id), &outcome)?;
    let recording = Recording {
        format: FORMAT.to_owned(),
        version: VERSION,
        scenario: scenario.id.clone(),
        provenance: hand_made::provenance(Source::Emulator, "emulator", prefix),
        exchanges: target.exchanges(),
    };
    Ok((outcome, recording))
}

#[test]
fn wiremock_serving_the_export_answers_a_rerun_of_each_scenario_as_recorded() -> TestResult {
    // Arrange: record, write the recordings into a folder, export the folder.
    let launcher = wiremock_launcher()?;
    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("export-wiremock");
    let _ = std::fs::remove_dir_all(&work);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let mut recorded = Vec::new();
    for (id, prefix) in SCENARIOS {
        let scenario = scenario(id)?;
        let (outcome, recording) = runtime.block_on(record(&scenario, prefix))?;
        let repeats = recording
            .exchanges
            .iter()
            .filter(|e| e.operation == "DescribeCompilationJob")
            .count();
        assert!(
            repeats > 3,
            "{id}: expected Describe polls, found {repeats}"
        );
        recording.write(&work.join("recordings").join(format!("{id}.json")))?;
        recorded.push((scenario, *prefix, outcome));
    }
    let root = work.join("wiremock");
    let export = wiremock::export(&work.join("recordings"), &root)?;
    assert_eq!(export.files.len(), SCENARIOS.len());
    assert!(export.sharing.is_empty(), "{:?}", export.sharing);
    let text = std::fs::read_to_string(&export.files[0])?;
    assert!(text.contains("\"newScenarioState\""), "no scenario chain");
    assert!(text.contains("\"NextToken\""), "no token was followed");

    // Act: serve the stubs with WireMock and run the scenarios against it.
    let server = WireMock::start(&launcher, &root)?;
    for (scenario, prefix, outcome) in &recorded {
        let target = Scripted {
            inner: UrlTarget::new(&server.url(), None)?,
            clock: ScriptedClock,
        };
        let replayed = runtime.block_on(run(scenario, &target, &Profile::default(), prefix));

        // Assert
        let expected = normalize(&outcome.transcript, &Profile::default());
        let actual = normalize(&replayed.transcript, &Profile::default());
        if let Some(divergence) = snapshot_diff(&expected, &actual).map(|d| d.first) {
            return Err(format!(
                "{}: the replay diverges at step {:?}:\n{}\nWireMock near misses:\n{}",
                scenario.id,
                divergence.step,
                divergence.diff,
                server.unmatched()
            )
            .into());
        }
        passed(&format!("replaying {}", scenario.id), &replayed)?;
        assert_eq!(
            replayed.transcript.exchanges.len(),
            outcome.transcript.exchanges.len()
        );
    }
    Ok(())
}
