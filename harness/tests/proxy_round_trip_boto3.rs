//! A user's round trip with boto3, unchanged: an application (tests/clients/boto3_app.py,
//! no emulator control) creates, waits, pages, stops and deletes through `cjh proxy` in
//! front of `cjh serve --auth sigv4` (keys only the proxy holds, an account, role and
//! bucket that are not documentation examples); the recording is served by `cjh mock`,
//! the same application against the mock prints the same lines but for what scrubbing
//! replaced, and `cjh verify` of the recording against the emulator passes. Once over
//! HTTP, once with an HTTPS upstream behind a loopback certificate, as AWS is.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod process;
mod proxying;
mod support;

use cjh::recording::{Recording, secrets};
use cjh::targets::EmulatorTarget;
use cjh::verify::{VerifyTarget, verify};
use cjh_emulator::Settings;
use proxying::https::https_emulator;
use proxying::{Dir, Keys, keyed_proxy, mock_of, sigv4_server};

const REAL: Keys = Keys {
    id: "AKIABOTOROUNDTRIPKEY",
    secret: "boto3-round-trip-real-secret-0000000000",
};
const ACCOUNT: &str = "321098765432";
const ROLE: &str = "arn:aws:iam::321098765432:role/service-role/Boto3AppRole";
const BUCKET: &str = "boto3-app-models";

/// Lifecycle seconds short enough for the application's wait to see every status. STARTING
/// outlasts the two-page list the application walks between creating beta and stopping
/// it, with room to spare: the proxy stamps each exchange when it sends it on, so on a
/// loaded machine a 1 s STARTING let the replayed clock put the Stop after STARTING
/// while the server had answered it inside.
const STARTING_SECS: &str = "3";
const COMPILING_SECS: &str = "1";

/// The application's printed lines, run with `CJH_PYTHON` and dummy keys only.
fn app(url: &str) -> Vec<String> {
    let python = support::client_program("CJH_PYTHON").unwrap();
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients/boto3_app.py");
    let output = std::process::Command::new(python)
        .arg(script)
        .args([url, ROLE, BUCKET])
        .env_clear()
        .envs(support::sealed_aws_environment())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the application failed against {url}:\n{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout.lines().map(str::to_owned).collect()
}

#[tokio::test]
async fn a_boto3_application_recorded_through_the_proxy_prints_the_same_from_cjh_mock_and_verifies()
{
    let dir = Dir::new();
    let server = sigv4_server(
        &dir,
        REAL,
        ACCOUNT,
        &[
            "--starting-secs",
            STARTING_SECS,
            "--compiling-secs",
            COMPILING_SECS,
        ],
    );
    round_trip(&dir, server.url(), &[]).await;
}

// Multi-threaded: the application runs as a blocking child process while the upstream
// serves on this runtime.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_round_trip_holds_with_an_https_upstream_behind_a_loopback_certificate() {
    let dir = Dir::new();
    let ca = dir.path("ca.pem");
    let upstream = https_emulator(&ca, REAL, ACCOUNT, lifecycle(Settings::default())).await;
    round_trip(&dir, &upstream, &[("SSL_CERT_FILE", ca.to_str().unwrap())]).await;
}

/// The server's lifecycle on `base`: the system clock for the HTTPS upstream, the
/// scenario runs' manual clock for verify's emulator, which follows the recording.
fn lifecycle(base: Settings) -> Settings {
    Settings {
        starting_secs: STARTING_SECS.parse().unwrap(),
        compiling_secs: COMPILING_SECS.parse().unwrap(),
        ..base
    }
}

/// The application through a proxy to `upstream` (with `proxy_env`), then against the
/// mock of its recording; the recording scrubbed and agreeing with the emulator.
async fn round_trip(dir: &Dir, upstream: &str, proxy_env: &[(&str, &str)]) {
    // Arrange
    let record = dir.path("boto3-app.jsonl");
    let mut proxy = keyed_proxy(upstream, &record, REAL, &[], proxy_env);

    // Act: the application through the proxy, then against the mock of its recording.
    let through_proxy = app(proxy.url());
    assert!(proxy.signal_and_wait("-TERM").success());
    let mock = mock_of(&record);
    let against_mock = app(mock.url());

    // Assert: the session really ran, with every status of the wait.
    assert_eq!(through_proxy[0], "created alpha");
    assert_eq!(through_proxy[2], "created beta");
    assert_eq!(
        through_proxy[1], "alpha went STARTING -> INPROGRESS -> COMPLETED",
        "{through_proxy:#?}"
    );
    assert!(
        through_proxy
            .iter()
            .any(|l| l == "page ['beta'], more: False"),
        "{through_proxy:#?}"
    );
    assert!(
        through_proxy
            .iter()
            .any(|l| l.starts_with("delete beta: ValidationException")),
        "{through_proxy:#?}"
    );
    // The mock answers what was recorded: the scrubbed role in error messages, if any.
    let scrubbed: Vec<String> = through_proxy
        .iter()
        .map(|l| l.replace(ACCOUNT, "000000000000"))
        .collect();
    assert_eq!(against_mock, scrubbed);
    let text = std::fs::read_to_string(&record).unwrap();
    assert!(secrets::scan_text(&record, &text).is_empty());
    for kept_out in [ACCOUNT, "Boto3AppRole", BUCKET, REAL.id] {
        assert!(!text.contains(kept_out), "{kept_out} is in the recording");
    }

    // And the emulator, given the server's durations, agrees with every recorded answer.
    let recording = Recording::load(&record).unwrap();
    let verdict = verify(
        &recording,
        &VerifyTarget::Emulator(Box::new(lifecycle(EmulatorTarget::scenario_settings()))),
    )
    .await;
    assert!(verdict.passed(), "{}", verdict.render());
    let (checked, total) = verdict.tally().0;
    assert_eq!(checked, total, "{}", verdict.render());
    assert_eq!(total, recording.exchanges.len(), "{}", verdict.render());
}
