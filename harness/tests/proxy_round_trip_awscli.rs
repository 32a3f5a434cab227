//! The AWS CLI's round trip, unchanged: its session (creates, describe, its own paging,
//! stop, errors) through `cjh proxy` in front of a SigV4-checking upstream (keys only the
//! proxy holds, an account, role and bucket that are not documentation examples), then
//! against `cjh mock` of the recording, prints the same, but for the account, role and
//! bucket, which the mock answers scrubbed. Once over HTTP, once with an HTTPS upstream
//! behind a loopback certificate.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod process;
mod proxying;
mod support;

use cjh::recording::secrets;
use cjh_emulator::Settings;
use proxying::https::https_emulator;
use proxying::{Dir, Keys, keyed_proxy, mock_of, sigv4_server};

const REAL: Keys = Keys {
    id: "AKIAAWSCLIROUNDTRIP0",
    secret: "aws-cli-round-trip-real-secret-00000000",
};
const ACCOUNT: &str = "210987654321";
const ROLE: &str = "arn:aws:iam::210987654321:role/service-role/RoundTripRole";
const BUCKET: &str = "round-trip-models";

/// Statuses that stay put for the session's few seconds on the system clock.
const STARTING_SECS: f64 = 600.0;

/// `aws sagemaker ARGS --endpoint-url URL`, with dummy keys only: exit code and output.
fn aws(url: &str, args: &[&str]) -> String {
    let program = support::client_program("CJH_AWS_CLI").unwrap();
    let output = std::process::Command::new(program)
        .arg("sagemaker")
        .args(args)
        .args(["--endpoint-url", url, "--output", "json"])
        .env_clear()
        .envs(support::sealed_aws_environment())
        .output()
        .unwrap();
    format!(
        "exit {}\n{}{}",
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The AWS CLI's session: creates, describe, the CLI's own paging, stop, errors.
fn cli_session(url: &str) -> Vec<String> {
    let input = |name: &str| {
        serde_json::json!({
            "CompilationJobName": name,
            "RoleArn": ROLE,
            "InputConfig": {"S3Uri": format!("s3://{BUCKET}/model.tar.gz"), "Framework": "PYTORCH",
                            "DataInputConfig": "{\"input0\":[1,3,224,224]}"},
            "OutputConfig": {"S3OutputLocation": format!("s3://{BUCKET}/out/"), "TargetDevice": "ml_c5"},
            "StoppingCondition": {"MaxRuntimeInSeconds": 900},
        })
        .to_string()
    };
    let (alpha, beta) = (input("alpha"), input("beta"));
    vec![
        aws(url, &["create-compilation-job", "--cli-input-json", &alpha]),
        aws(url, &["create-compilation-job", "--cli-input-json", &beta]),
        aws(
            url,
            &[
                "describe-compilation-job",
                "--compilation-job-name",
                "alpha",
                "--query",
                "[CompilationJobStatus, InputConfig.S3Uri, RoleArn]",
            ],
        ),
        aws(
            url,
            &[
                "list-compilation-jobs",
                "--page-size",
                "1",
                "--query",
                "CompilationJobSummaries[].CompilationJobName",
            ],
        ),
        aws(
            url,
            &["stop-compilation-job", "--compilation-job-name", "alpha"],
        ),
        aws(
            url,
            &[
                "describe-compilation-job",
                "--compilation-job-name",
                "alpha",
                "--query",
                "CompilationJobStatus",
            ],
        ),
        aws(
            url,
            &["delete-compilation-job", "--compilation-job-name", "beta"],
        ),
        aws(
            url,
            &[
                "describe-compilation-job",
                "--compilation-job-name",
                "gamma",
            ],
        ),
    ]
}

#[test]
fn the_aws_cli_session_recorded_through_the_proxy_prints_the_same_from_cjh_mock() {
    let dir = Dir::new();
    let server = sigv4_server(
        &dir,
        REAL,
        ACCOUNT,
        &["--starting-secs", &STARTING_SECS.to_string()],
    );
    cli_round_trip(&dir, server.url(), &[]);
}

// Multi-threaded: the CLI runs as a blocking child process while the upstream serves on
// this runtime.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_aws_cli_round_trip_holds_with_an_https_upstream_behind_a_loopback_certificate() {
    let dir = Dir::new();
    let ca = dir.path("ca.pem");
    let settings = Settings {
        starting_secs: STARTING_SECS,
        ..Settings::default()
    };
    let upstream = https_emulator(&ca, REAL, ACCOUNT, settings).await;
    cli_round_trip(&dir, &upstream, &[("SSL_CERT_FILE", ca.to_str().unwrap())]);
}

/// The CLI session through a proxy to `upstream`, then against `cjh mock` of the
/// recording, which answers the scrubbed values.
fn cli_round_trip(dir: &Dir, upstream: &str, proxy_env: &[(&str, &str)]) {
    // Arrange
    let record = dir.path("cli.jsonl");
    let mut proxy = keyed_proxy(upstream, &record, REAL, &[], proxy_env);

    // Act
    let through_proxy = cli_session(proxy.url());
    assert!(proxy.signal_and_wait("-TERM").success());
    let mock = mock_of(&record);
    let against_mock = cli_session(mock.url());

    // Assert
    assert!(through_proxy[0].starts_with("exit 0"), "{through_proxy:#?}");
    assert!(
        through_proxy[3].contains("\"alpha\"") && through_proxy[3].contains("\"beta\""),
        "{}",
        through_proxy[3]
    );
    assert!(
        through_proxy[6].contains("ValidationException"),
        "{}",
        through_proxy[6]
    );
    // The mock answers what was recorded: the scrubbed account, role and bucket.
    let scrubbed: Vec<String> = through_proxy
        .iter()
        .map(|out| {
            out.replace(ACCOUNT, "000000000000")
                .replace("service-role/RoundTripRole", "cjh-role-1")
                .replace(BUCKET, "cjh-bucket-1")
        })
        .collect();
    assert_eq!(against_mock, scrubbed);
    let text = std::fs::read_to_string(&record).unwrap();
    assert!(secrets::scan_text(&record, &text).is_empty());
    assert!(!text.contains(ACCOUNT) && !text.contains("RoundTripRole"));
}
