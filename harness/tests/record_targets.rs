//! Recording against a shared endpoint, as `cargo xtask record --target aws` does: every
//! request SigV4-signed by the harness and checked by an emulator with verification on
//! (so a wrong secret, region or service name fails the recording), an account that
//! already has jobs refused, the jobs a run made cleaned up, also on Ctrl-C, and the
//! recording replayable.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod process;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use aws_credential_types::Credentials;
use cjh::exchange::{Body, Request};
use cjh::record::{RecordError, RecordOptions, RecordTarget, record};
use cjh::recording::{Recording, Source, recording_path};
use cjh::runner::run;
use cjh::scenario::Profile;
use cjh::scenario::discover;
use cjh::targets::{ReplayTarget, Signer, Target, UrlTarget};
use cjh_emulator::{AuthMode, ClockMode, Credential};
use cjh_emulator::{Emulator, Settings};
use process::Running;
use serde_json::json;

const KEY: &str = "AKIDCJHRECORDTEST";
const SECRET: &str = "cjh-record-test-secret";
const ACCOUNT: &str = "246813579024";
const REGION: &str = "us-west-2";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cjh-{name}-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    dir
}

/// An emulator that checks SigV4 and serves one account in one region, with a lifecycle
/// slow enough that STARTING fixtures stay STARTING and a stop that ends quickly.
fn checking_emulator() -> Emulator {
    Emulator::builder()
        .settings(Settings {
            clock: ClockMode::System,
            starting_secs: 60.0,
            compiling_secs: 120.0,
            stopping_secs: 0.5,
            ..Settings::default()
        })
        .auth(AuthMode::Sigv4)
        .credential(Credential::new(KEY, SECRET, ACCOUNT))
        .region(REGION.to_owned())
        .pin_region(true)
        .build()
}

fn signer(secret: &str, region: &str) -> Signer {
    Signer::new(Credentials::new(KEY, secret, None, None, "test"), region)
}

fn options(url: &str, signer: Signer, scenario: &str, out: &Path) -> RecordOptions {
    RecordOptions {
        target: RecordTarget::Url(url.to_owned(), Some(signer)),
        scenarios: root().join("scenarios"),
        recordings: out.to_owned(),
        filter: Some(scenario.to_owned()),
        allow_foreign_jobs: false,
        profile: Profile {
            wait_timeout_secs: 20,
            ..Profile::default()
        },
    }
}

/// The jobs the test key's account has, asked over signed HTTP.
async fn job_names(url: &str) -> Vec<String> {
    let target = UrlTarget::new(url, Some(signer(SECRET, REGION))).unwrap();
    let reply = target
        .send(Request::aws_json(
            Some("SageMaker.ListCompilationJobs"),
            Body::from_bytes(json!({ "MaxResults": 100 }).to_string().as_bytes()),
        ))
        .await
        .unwrap()
        .response;
    let body: serde_json::Value = serde_json::from_slice(&reply.body.to_bytes()).unwrap();
    body["CompilationJobSummaries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["CompilationJobName"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_recording_passes_verification_cleans_up_and_replays() {
    let emulator = checking_emulator();
    let url = emulator.start().await.unwrap();
    let out = temp("signed-recording");
    let scenario = "lifecycle/stop-a-starting-job";
    let summary = record(
        &options(&url, signer(SECRET, REGION), scenario, &out),
        |_| {},
    )
    .await
    .unwrap();
    assert!(summary.failed.is_empty(), "{:?}", summary.failed);
    assert!(summary.left_behind.is_empty(), "{:?}", summary.left_behind);
    assert_eq!(summary.written.len(), 1);

    // Every request was accepted: nothing answered 403.
    let recording = Recording::load(&recording_path(&out, scenario)).unwrap();
    assert_eq!(recording.provenance.source, Source::Url);
    assert_eq!(recording.provenance.region, REGION);
    assert!(
        recording.exchanges.iter().all(|e| e.response.status != 403),
        "a request was refused"
    );
    // The jobs were in the key's account, and the recording says 000000000000 instead.
    let text = std::fs::read_to_string(recording_path(&out, scenario)).unwrap();
    assert!(text.contains(":000000000000:compilation-job/"), "{text}");
    assert!(!text.contains(ACCOUNT));
    assert!(!text.contains(KEY) && !text.contains(SECRET));
    assert!(!text.to_lowercase().contains("authorization"));

    // The run stopped and deleted what it made.
    assert_eq!(job_names(&url).await, Vec::<String>::new());

    // The recording replays: same facts, answered only from the recording.
    let (scenarios, _) = discover(&root().join("scenarios"));
    let scenario = scenarios.iter().find(|s| s.id == scenario).unwrap();
    let replay = ReplayTarget::start(&recording).await.unwrap();
    let outcome = run(
        scenario,
        &replay,
        &Profile::default(),
        &recording.provenance.prefix,
    )
    .await;
    assert!(outcome.failures.is_empty(), "{:?}", outcome.failures);
    assert!(!outcome.transcript.exchanges.is_empty());
    std::fs::remove_dir_all(&out).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_secret_region_or_service_name_fails_the_recording() {
    let emulator = checking_emulator();
    let url = emulator.start().await.unwrap();
    let out = temp("wrong-signature");
    let scenario = "lifecycle/stop-a-starting-job";
    let wrong = [
        ("secret", signer("not-the-secret", REGION)),
        ("region", signer(SECRET, "eu-central-1")),
        ("service", signer(SECRET, REGION).with_signing_name("s3")),
    ];
    for (what, signer) in wrong {
        let error = record(&options(&url, signer, scenario, &out), |_| {})
            .await
            .unwrap_err();
        let message = error.to_string();
        assert!(
            matches!(error, RecordError::Target(_))
                && message.contains("InvalidSignatureException"),
            "wrong {what}: {message}"
        );
    }
    assert!(!out.exists(), "a refused recording wrote a file");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_that_already_has_jobs_is_refused_unless_allowed() {
    let emulator = checking_emulator();
    let url = emulator.start().await.unwrap();
    let mut body = json!({
        "CompilationJobName": "someone-elses-job",
        "RoleArn": Profile::default().role,
        "InputConfig": { "S3Uri": "s3://b/m.tar.gz", "DataInputConfig": "{}", "Framework": "PYTORCH" },
        "OutputConfig": { "S3OutputLocation": "s3://b/o/", "TargetDevice": "ml_c5" },
        "StoppingCondition": { "MaxRuntimeInSeconds": 900 }
    });
    // Made over HTTP with the same key, so it is in the same account.
    let other = UrlTarget::new(&url, Some(signer(SECRET, REGION))).unwrap();
    let reply = other
        .send(Request::aws_json(
            Some("SageMaker.CreateCompilationJob"),
            Body::from_bytes(body.to_string().as_bytes()),
        ))
        .await
        .unwrap()
        .response;
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body.to_bytes())
    );
    let out = temp("foreign-jobs");
    let scenario = "create-validation/missing-role-arn";
    let mut opts = options(&url, signer(SECRET, REGION), scenario, &out);
    let error = record(&opts, |_| {}).await.unwrap_err();
    assert!(
        matches!(&error, RecordError::ForeignJobs { count: 1, first } if first == &["someone-elses-job"]),
        "{error}"
    );
    assert!(error.to_string().contains("--allow-foreign-jobs"));
    opts.allow_foreign_jobs = true;
    let summary = record(&opts, |_| {}).await.unwrap();
    assert_eq!(summary.written.len(), 1);
    // Someone else's job is left alone.
    body = json!({ "CompilationJobName": "someone-elses-job" });
    let reply = other
        .send(Request::aws_json(
            Some("SageMaker.DescribeCompilationJob"),
            Body::from_bytes(body.to_string().as_bytes()),
        ))
        .await
        .unwrap()
        .response;
    assert_eq!(reply.status, 200);
    std::fs::remove_dir_all(&out).ok();
}

#[test]
fn ctrl_c_stops_and_deletes_the_jobs_made_so_far() {
    let cjh = env!("CARGO_BIN_EXE_cjh");
    let server = Running::start(&[
        "serve",
        "--port",
        "0",
        "--clock",
        "system",
        "--starting-secs",
        "600",
        "--stopping-secs",
        "0.5",
    ]);
    let url = server.url().to_owned();
    let out = temp("interrupted");
    let values = out.with_extension("toml");
    std::fs::write(&values, "wait_timeout_secs = 20\n").unwrap();
    // This scenario waits for INPROGRESS, which takes ten minutes here.
    let recorder = Command::new(cjh)
        .args(["record", "--target", &url, "--recordings"])
        .arg(&out)
        .arg("--values")
        .arg(&values)
        .args([
            "--scenario",
            "lifecycle/a-starting-job-moves-to-inprogress-then-completed",
            "--scenarios",
        ])
        .arg(root().join("scenarios"))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let list = |url: &str| -> serde_json::Value {
        let output = Command::new("curl")
            .args([
                "-s",
                "-X",
                "POST",
                url,
                "-H",
                "X-Amz-Target: SageMaker.ListCompilationJobs",
            ])
            .args(["-H", "Content-Type: application/x-amz-json-1.1", "-d", "{}"])
            .output()
            .unwrap();
        serde_json::from_slice(&output.stdout).unwrap()
    };
    // Wait until the fixture exists, then interrupt.
    let mut made = false;
    for _ in 0..100 {
        if list(&url)["CompilationJobSummaries"]
            .as_array()
            .is_some_and(|a| !a.is_empty())
        {
            made = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(made, "the recording never created its fixture");
    Command::new("kill")
        .args(["-INT", &recorder.id().to_string()])
        .status()
        .unwrap();
    let output = recorder.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("interrupted; cleaned up 1 job(s)"),
        "{stderr}"
    );
    assert_eq!(list(&url)["CompilationJobSummaries"], json!([]));
    std::fs::remove_file(&values).ok();
    std::fs::remove_dir_all(&out).ok();
}
