//! The SageMaker Python SDK's compile-and-wait path, replayed by correlation: a first run of
//! tests/clients/sagemaker_app.py (`Model.compile`, which names its job with the SDK's
//! `name_from_base` and waits with `Session.wait_for_compilation_job`) goes through
//! `cjh proxy --correlate CompilationJobName` in front of `cjh serve --auth sigv4`; a second
//! run, a new process with a new job name, against `cjh mock` of that recording sees its own
//! name in every answer and prints the same lines. The SDK comes from
//! tests/clients/sagemaker-requirements.txt, in a venv of its own under target/.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod process;
mod proxying;
mod support;

use std::path::{Path, PathBuf};

use proxying::{Dir, Keys, keyed_proxy, mock_of, sigv4_server};

const REAL: Keys = Keys {
    id: "AKIASAGEMAKERSDKKEY0",
    secret: "sagemaker-sdk-round-trip-secret-0000000",
};
const ACCOUNT: &str = "432109876543";
const ROLE: &str = "arn:aws:iam::432109876543:role/service-role/NeoAppRole";
const BUCKET: &str = "neo-app-models";

fn python() -> PathBuf {
    let requirements =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients/sagemaker-requirements.txt");
    support::venv::pinned_tool("cjh-sagemaker-venv", &requirements, "bin/python").unwrap()
}

/// One run of the application: the job name it chose (it says so on stderr) and its
/// stdout lines.
fn app(python: &Path, url: &str) -> (String, Vec<String>) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients/sagemaker_app.py");
    let output = std::process::Command::new(python)
        .arg(script)
        .args([url, ROLE, BUCKET])
        .env_clear()
        .envs(support::sealed_aws_environment())
        .env("SAGEMAKER_SUPPRESS_V2_WARNING", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        output.status.success(),
        "the application failed against {url}:\n{stdout}{stderr}"
    );
    let name = stderr
        .lines()
        .find_map(|l| l.strip_prefix("job name: "))
        .unwrap_or_else(|| panic!("no job name in {stderr}"))
        .to_owned();
    let lines = stdout
        .lines()
        .filter(|l| !l.starts_with("sagemaker.config INFO"))
        .map(str::to_owned)
        .collect();
    (name, lines)
}

/// The job names a recording's Create requests carry.
fn created_names(record: &Path) -> Vec<String> {
    let recording = cjh::recording::Recording::load(record).unwrap();
    recording
        .exchanges
        .iter()
        .filter(|e| e.operation == "CreateCompilationJob")
        .filter_map(|e| {
            e.request
                .body
                .json()?
                .get("CompilationJobName")?
                .as_str()
                .map(str::to_owned)
        })
        .collect()
}

#[test]
fn the_sagemaker_sdk_compile_and_wait_replays_against_its_recording_with_a_new_job_name() {
    // Arrange: the first run, recorded, on the system clock with short lifecycles.
    let python = python();
    let dir = Dir::new();
    let server = sigv4_server(
        &dir,
        REAL,
        ACCOUNT,
        &["--starting-secs", "1", "--compiling-secs", "1"],
    );
    let record = dir.path("neo-app.jsonl");
    let mut proxy = keyed_proxy(
        server.url(),
        &record,
        REAL,
        &["--correlate", "CompilationJobName"],
        &[],
    );
    let (first_name, recorded) = app(&python, proxy.url());
    assert!(proxy.signal_and_wait("-TERM").success());
    let recorded_names = created_names(&record);

    // Act: a second process against the mock of the first run.
    let mock = mock_of(&record);
    let (second_name, replayed) = app(&python, mock.url());

    // Assert
    assert_eq!(recorded_names, std::slice::from_ref(&first_name));
    assert!(first_name.starts_with("cjh-app-"), "{first_name}");
    assert_ne!(
        second_name, first_name,
        "name_from_base gave the same name twice"
    );
    assert_eq!(
        recorded[1..],
        [
            "compiled model: model-ml_c5.tar.gz",
            "inference image set: True",
            "the answer names my job: True",
            "status: COMPLETED",
            "framework: PYTORCH",
        ],
        "{recorded:#?}"
    );
    assert!(
        recorded[0].ends_with('!'),
        "the SDK's wait line: {recorded:?}"
    );
    assert_eq!(replayed, recorded, "the second run saw another service");
    let text = std::fs::read_to_string(&record).unwrap();
    assert!(cjh::recording::secrets::scan_text(&record, &text).is_empty());
    for kept_out in [ACCOUNT, "NeoAppRole", BUCKET, REAL.id] {
        assert!(!text.contains(kept_out), "{kept_out} is in the recording");
    }
}
