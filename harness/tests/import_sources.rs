//! `cjh import`, each source proven on a file its real tool wrote.
//!
//! - VCR.py records a boto3 session against `cjh serve` (`clients/import_session.py
//!   --vcr`); mitmproxy's `mitmdump --set hardump=` records the same session as HAR,
//!   as a reverse proxy in front of `cjh serve`; smithy-rs's own `RecordingClient`
//!   records the Rust SDK's calls. Each file is imported, and the recording must hold
//!   the session and answer it again: the same client, pointed at `cjh::mock`, must
//!   see exactly what it saw the first time.
//! - The committed `recordings/real-aws/` files are what importing Cloud Custodian's
//!   placebo folders gives, with the order documented in their README.
//! - Bad input of every format is refused naming the file and the entry, and leaves
//!   no file behind (and an earlier one as it was).

mod support;

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use cjh::import::{Format, ImportOptions, import, import_to_file};
use cjh::recording::{Recording, Source};
use support::{Server, TestResult};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A fresh scratch folder for one test.
fn work(name: &str) -> TestResult<PathBuf> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("import-sources")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// Runs `clients/import_session.py URL [ARGS]` with the venv's Python and a sealed
/// environment; fails with the script's log.
fn boto3_session(url: &str, args: &[&Path]) -> TestResult {
    let python = support::client_program("CJH_PYTHON")?;
    let script = root().join("harness/tests/clients/import_session.py");
    let mut command = Command::new(&python);
    command.arg(&script).arg(url);
    if let Some(cassette) = args.first() {
        command.arg("--vcr").arg(cassette);
    }
    let output = command
        .env_clear()
        .envs(support::sealed_aws_environment())
        .output()?;
    if !output.status.success() {
        return Err(format!(
            "{} {} {url} exited with {}\n--- stdout ---\n{}--- stderr ---\n{}",
            python.display(),
            script.display(),
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr),
        )
        .into());
    }
    Ok(())
}

/// The operations of a recording, in order.
fn operations(recording: &Recording) -> Vec<&str> {
    recording
        .exchanges
        .iter()
        .map(|e| e.operation.as_str())
        .collect()
}

/// What `import_session.py` sends.
const SESSION: [&str; 6] = [
    "CreateCompilationJob",
    "DescribeCompilationJob",
    "ListCompilationJobs",
    "StopCompilationJob",
    "DescribeCompilationJob",
    "DescribeCompilationJob",
];

/// Checks an import of `import_session.py`'s traffic, then runs the session again
/// against a mock server answering from it.
fn check_session_and_replay(recording: &Recording) -> TestResult {
    assert_eq!(operations(recording), SESSION);
    assert_eq!(
        recording.provenance.source,
        Source::Url,
        "loopback is not AWS"
    );
    assert_eq!(
        recording.provenance.region, "us-east-1",
        "from the SigV4 scope"
    );
    assert!(
        recording
            .provenance
            .endpoint
            .starts_with("http://127.0.0.1:")
    );
    assert!(recording.exchanges.iter().all(|e| !e.reconstructed));
    let last = &recording.exchanges[5];
    assert_eq!(last.response.status, 400);
    let text = recording.to_text();
    assert!(!text.contains("AKIDCJHTEST"), "a credential was kept");
    assert!(!text.contains("authorization"), "a signature was kept");
    let runtime = tokio::runtime::Runtime::new()?;
    let mock = runtime.block_on(cjh::mock::start(std::slice::from_ref(recording)));
    boto3_session(&mock.uri(), &[])
}

#[test]
fn a_vcr_cassette_of_a_boto3_session_imports_and_answers_the_session_again() -> TestResult {
    // Arrange: VCR.py records the session against a fresh emulator.
    let dir = work("vcr")?;
    let cassette = dir.join("session.yaml");
    let server = Server::start()?;
    boto3_session(server.url(), &[&cassette])?;
    let text = std::fs::read_to_string(&cassette)?;
    assert!(
        text.contains("!!binary"),
        "VCR.py wrote botocore's bytes as !!binary"
    );

    // Act
    let out = dir.join("session.jsonl");
    let recording = import_to_file(&ImportOptions::new(Format::Vcr, &cassette), &out)?;

    // Assert
    assert_eq!(Recording::load(&out)?, recording);
    assert_eq!(recording.scenario, "imported/session");
    check_session_and_replay(&recording)
}

/// `mitmdump` of the pinned mitmproxy, in its own venv under target/ (see
/// `data/import/har-tool-requirements.txt`), installed when the file changed.
fn mitmdump() -> TestResult<PathBuf> {
    let requirements = root().join("harness/tests/data/import/har-tool-requirements.txt");
    support::venv::pinned_tool("cjh-har-venv", &requirements, "bin/mitmdump")
}

/// A `mitmdump` child, stopped with SIGTERM (so it writes its HAR) and then killed
/// when dropped, pass or fail.
struct Proxy(Child);

impl Proxy {
    fn stop(&mut self) -> TestResult {
        Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status()?;
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if self.0.try_wait()?.is_some() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Err("mitmdump did not stop within 30 s of SIGTERM".into())
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn a_har_written_by_mitmproxy_imports_and_answers_the_session_again() -> TestResult {
    // Arrange: mitmdump, as a reverse proxy in front of a fresh emulator, writes the
    // session's HAR.
    let mitmdump = mitmdump()?;
    let dir = work("har")?;
    let har = dir.join("session.har");
    let server = Server::start()?;
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let mut proxy = Proxy(
        Command::new(&mitmdump)
            .arg("--mode")
            .arg(format!("reverse:{}", server.url()))
            .args([
                "--listen-host",
                "127.0.0.1",
                "--listen-port",
                &port.to_string(),
            ])
            .arg("--set")
            .arg(format!("hardump={}", har.display()))
            .arg("--set")
            .arg(format!("confdir={}", dir.join("mitmproxy").display()))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?,
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline || proxy.0.try_wait()?.is_some() {
            return Err("mitmdump did not start listening within 60 s".into());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    boto3_session(&format!("http://127.0.0.1:{port}"), &[])?;
    proxy.stop()?;

    // Act
    let recording = import(&ImportOptions::new(Format::Har, &har))?;

    // Assert
    let from = recording
        .provenance
        .imported_from
        .clone()
        .unwrap_or_default();
    assert!(from.contains("written by mitmproxy 11.0.2"), "{from}");
    check_session_and_replay(&recording)
}

/// The placebo folders behind `recordings/real-aws/`, and the `--order` each was
/// imported with (none: the default order is the test's), as its README says.
const REAL_AWS: [(&str, &str, &[&str]); 3] = [
    (
        "emulator/tests/evidence/real-aws/cloud-custodian",
        "test_sagemaker_compilation_job_query",
        &[],
    ),
    (
        "emulator/tests/evidence/real-aws/cloud-custodian",
        "test_sagemaker_compilation_job_stop",
        &[],
    ),
    (
        "harness/tests/data/import/placebo",
        "test_sagemaker_compilation_job_tag",
        &[
            "ListCompilationJobs_1",
            "DescribeCompilationJob_1",
            "tagging.GetResources_1",
            "tagging.TagResources_1",
            "ListTags_1",
            "ListCompilationJobs_2",
            "DescribeCompilationJob_2",
            "tagging.GetResources_2",
            "tagging.UntagResources_1",
            "ListTags_2",
        ],
    ),
];

#[test]
fn the_real_aws_recordings_are_what_importing_the_custodian_placebo_folders_gives() -> TestResult {
    for (folder, name, order) in REAL_AWS {
        let options = ImportOptions {
            scenario: Some(format!("real-aws/{name}")),
            source: Some(Source::Aws),
            order: (!order.is_empty()).then(|| order.iter().map(|s| (*s).to_owned()).collect()),
            ..ImportOptions::new(Format::Placebo, root().join(folder).join(name))
        };
        let mut imported = import(&options)?;
        let mut committed =
            Recording::load(&root().join(format!("recordings/real-aws/{name}.jsonl")))?;
        imported.provenance.recorded_at = String::new();
        committed.provenance.recorded_at = String::new();
        assert_eq!(
            imported, committed,
            "re-import {name} (see recordings/real-aws/README.md)"
        );
    }
    // The stop session reads as the test ran it.
    let stop = Recording::load(
        &root().join("recordings/real-aws/test_sagemaker_compilation_job_stop.jsonl"),
    )?;
    assert_eq!(
        operations(&stop),
        [
            "ListCompilationJobs",
            "DescribeCompilationJob",
            "StopCompilationJob",
            "DescribeCompilationJob"
        ]
    );
    Ok(())
}

/// Runs `cjh import` and returns its exit code and stderr.
fn cjh_import(args: &[&std::ffi::OsStr]) -> TestResult<(Option<i32>, String)> {
    let output = Command::new(env!("CARGO_BIN_EXE_cjh"))
        .arg("import")
        .args(args)
        .output()?;
    Ok((
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    ))
}

#[test]
fn bad_input_of_every_format_is_refused_naming_file_and_entry_and_nothing_is_written() -> TestResult
{
    let dir = work("bad")?;
    let placebo = dir.join("placebo");
    std::fs::create_dir_all(&placebo)?;
    std::fs::write(
        placebo.join("api.sagemaker.ListCompilationJobs_1.json"),
        r#"{"status_code": 200, "data": {"ResponseMetadata": {}}}"#,
    )?;
    std::fs::write(
        placebo.join("api.sagemaker.DescribeCompilationJob_1.json"),
        "{",
    )?;
    let vcr = dir.join("bad.yaml");
    std::fs::write(
        &vcr,
        "interactions:\n- request: {method: POST, uri: 'http://127.0.0.1:1/', body: '{}'}\n  response: {status: {message: OK}}\n",
    )?;
    let har = dir.join("bad.har");
    std::fs::write(
        &har,
        r#"{"log": {"entries": [{"request": {"method": "POST"}, "response": {"status": 200}}]}}"#,
    )?;
    let dvr = dir.join("bad.json");
    std::fs::write(
        &dvr,
        r#"{"docs": null, "version": "V0", "events": [{"connection_id": 0, "action": {"Eof": {"ok": true, "direction": "Request"}}}]}"#,
    )?;
    let cases: [(&str, &Path, &str); 4] = [
        (
            "placebo",
            &placebo,
            "api.sagemaker.DescribeCompilationJob_1.json: not JSON",
        ),
        (
            "vcr",
            &vcr,
            "interactions[0]: response.status has no \"code\"",
        ),
        ("har", &har, "log.entries[0]: no request.url string"),
        (
            "dvr",
            &dvr,
            "events[0] (connection 0): an event before the connection's request",
        ),
    ];
    let out = dir.join("out.jsonl");
    std::fs::write(&out, "an earlier file\n")?;
    for (format, input, problem) in cases {
        let (code, stderr) = cjh_import(&[
            "--from".as_ref(),
            format.as_ref(),
            input.as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
            "--region".as_ref(),
            "us-east-1".as_ref(),
        ])?;
        assert_eq!(code, Some(1), "{format}: {stderr}");
        assert!(
            stderr.contains(&input.display().to_string()),
            "{format}: {stderr}"
        );
        assert!(stderr.contains(problem), "{format}: {stderr}");
        assert_eq!(
            std::fs::read_to_string(&out)?,
            "an earlier file\n",
            "{format}"
        );
    }
    let left: Vec<_> = std::fs::read_dir(&dir)?
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .filter(|n| n.to_string_lossy().contains(".tmp"))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
    Ok(())
}
