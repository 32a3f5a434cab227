//! `cjh verify`: the committed recordings sent again to the emulator, the real SageMaker
//! answers held to the known-gaps list, a changed answer caught at its member, a URL
//! target cleaned up after, and the command's exit codes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod process;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use cjh::recording::Recording;
use cjh::targets::{EmulatorTarget, UrlTarget};
use cjh::verify::{Outcome, Verdict, VerifyTarget, verify};
use process::Running;
use serde::Deserialize;
use serde_json::json;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn emulator() -> VerifyTarget {
    VerifyTarget::Emulator(Box::new(EmulatorTarget::scenario_settings()))
}

async fn verify_all(folder: &str) -> Vec<Verdict> {
    let mut verdicts = Vec::new();
    for recording in Recording::load_all(&root().join(folder)).unwrap() {
        verdicts.push(verify(&recording, &emulator()).await);
    }
    verdicts
}

#[tokio::test]
async fn every_recording_made_on_the_emulator_agrees_with_the_emulator_again() {
    // Arrange
    let folders = std::fs::read_dir(root().join("recordings")).unwrap();
    let mut verdicts = Vec::new();
    for folder in folders {
        let folder = folder.unwrap().path();
        if folder.is_dir() && !folder.ends_with("real-aws") {
            let name = format!(
                "recordings/{}",
                folder.file_name().unwrap().to_string_lossy()
            );
            // Act
            verdicts.extend(verify_all(&name).await);
        }
    }

    // Assert
    assert!(verdicts.len() >= 100, "only {} recordings", verdicts.len());
    let failed: Vec<String> = verdicts
        .iter()
        .filter(|v| !v.passed())
        .map(Verdict::render)
        .collect();
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[tokio::test]
async fn a_lifecycle_recording_needs_the_clock_to_follow_it() {
    // A recording whose jobs change status: without its times the emulator's jobs would
    // stay STARTING, so agreement shows the clock moved with the recording.
    let path =
        root().join("recordings/lifecycle/a-starting-job-moves-to-inprogress-then-completed.jsonl");
    let recording = Recording::load(&path).unwrap();
    let statuses: Vec<&str> = recording
        .exchanges
        .iter()
        .filter_map(|e| {
            e.response
                .body
                .json()?
                .get("CompilationJobStatus")?
                .as_str()
        })
        .collect();
    assert!(statuses.contains(&"COMPLETED"), "{statuses:?}");

    let verdict = verify(&recording, &emulator()).await;

    assert!(verdict.passed(), "{}", verdict.render());
}

#[tokio::test]
async fn a_changed_status_in_a_recorded_answer_is_a_divergence_at_that_member() {
    // Arrange
    let path =
        root().join("recordings/lifecycle/a-starting-job-moves-to-inprogress-then-completed.jsonl");
    let mut recording = Recording::load(&path).unwrap();
    let (index, exchange) = recording
        .exchanges
        .iter_mut()
        .enumerate()
        .find(|(_, e)| {
            e.response
                .body
                .json()
                .is_some_and(|b| b.get("CompilationJobStatus") == Some(&json!("COMPLETED")))
        })
        .unwrap();
    if let cjh::exchange::Body::Json(body) = &mut exchange.response.body {
        body["CompilationJobStatus"] = json!("FAILED");
    }

    // Act
    let verdict = verify(&recording, &emulator()).await;

    // Assert
    assert!(!verdict.passed());
    let diverged: Vec<(usize, &Outcome)> = verdict
        .checked
        .iter()
        .filter(|c| c.outcome != Outcome::Agreed)
        .map(|c| (c.step, &c.outcome))
        .collect();
    assert_eq!(diverged.len(), 1, "{}", verdict.render());
    assert_eq!(diverged[0].0, index + 1);
    let Outcome::Diverged { at, diff } = diverged[0].1 else {
        panic!("{:?}", diverged[0].1)
    };
    assert_eq!(at, &["/body/CompilationJobStatus"]);
    assert!(
        diff.contains("-    \"CompilationJobStatus\": \"FAILED\""),
        "{diff}"
    );
}

#[derive(Debug, Deserialize)]
struct Gaps {
    gap: Vec<Gap>,
}

#[derive(Debug, Deserialize)]
struct Gap {
    recording: String,
    step: usize,
    at: Vec<String>,
    because: String,
}

/// What the README says of the real answers, from the verdicts.
fn readme_sentence(verdicts: &[Verdict]) -> String {
    let (mut agreed, mut checked, mut seeded, mut seeds) = (0, 0, 0, 0);
    for verdict in verdicts {
        let ((a, c), (sa, s)) = verdict.tally();
        (agreed, checked, seeded, seeds) = (agreed + a, checked + c, seeded + sa, seeds + s);
    }
    format!(
        "the emulator agrees with {agreed} of the {checked} real SageMaker answers it is checked against, and with {seeded} of the {seeds} that seeded jobs"
    )
}

#[tokio::test]
async fn the_real_aws_answers_differ_from_the_emulator_only_where_the_gaps_file_says() {
    // Arrange
    let text = std::fs::read_to_string(root().join("recordings/real-aws/known-gaps.toml")).unwrap();
    let gaps: Gaps = toml::from_str(&text).unwrap();
    let listed: BTreeMap<(String, usize), Vec<String>> = gaps
        .gap
        .iter()
        .map(|g| {
            assert!(
                g.because.starts_with('F') || g.because.contains("reconstructed"),
                "{g:?}"
            );
            ((g.recording.clone(), g.step), g.at.clone())
        })
        .collect();

    // Act
    let verdicts = verify_all("recordings/real-aws").await;

    // Assert
    assert_eq!(verdicts.len(), 3);
    let mut found = BTreeMap::new();
    for verdict in &verdicts {
        assert!(verdict.unseeded.is_empty(), "{}", verdict.render());
        for checked in &verdict.checked {
            match &checked.outcome {
                Outcome::Diverged { at, .. } => {
                    found.insert((verdict.scenario.clone(), checked.step), at.clone());
                }
                Outcome::Unanswered(problem) => panic!("step {}: {problem}", checked.step),
                Outcome::Agreed | Outcome::Skipped(_) => {}
            }
        }
    }
    let rendered: Vec<String> = verdicts.iter().map(Verdict::render).collect();
    assert_eq!(found, listed, "\n{}", rendered.join("\n"));
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let sentence = readme_sentence(&verdicts);
    assert!(
        readme.replace('\n', " ").contains(&sentence),
        "the README should say: {sentence}"
    );
}

#[tokio::test]
async fn on_a_url_target_jobs_get_a_run_prefix_and_are_removed_after() {
    // Arrange
    let server = Running::start(&["serve", "--port", "0"]);
    let path = root().join("recordings/lifecycle/delete-a-starting-job-is-refused.jsonl");
    let recording = Recording::load(&path).unwrap();
    let target = VerifyTarget::Url {
        target: Box::new(UrlTarget::new(server.url(), None).unwrap()),
        prefix: "cjh-verify-test01-".to_owned(),
        rules: cjh::mock::MatchRules::default(),
    };

    // Act
    let verdict = verify(&recording, &target).await;

    // Assert
    assert!(verdict.passed(), "{}", verdict.render());
    let look = UrlTarget::new(server.url(), None).unwrap();
    let request = cjh::exchange::Request::aws_json(
        Some("SageMaker.ListCompilationJobs"),
        cjh::exchange::Body::Json(json!({})),
    );
    let answer = cjh::targets::Target::send(&look, request).await.unwrap();
    let listed = answer.response.body.json().unwrap()["CompilationJobSummaries"].clone();
    assert_eq!(listed, json!([]), "verify left jobs behind");
}

fn cjh_verify(args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_cjh"))
        .arg("verify")
        .args(args)
        .current_dir(root())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.code().unwrap(), text)
}

#[test]
fn the_command_exits_0_when_all_agree_1_on_a_divergence_and_2_on_a_bad_file() {
    let (agreeing, out) = cjh_verify(&[
        "--recording",
        "recordings/real-aws/test_sagemaker_compilation_job_stop.jsonl",
    ]);
    assert_eq!(agreeing, 0, "{out}");
    assert!(
        out.contains("3/3 exchanges agree; seed sources 1/1"),
        "{out}"
    );

    let (diverging, out) = cjh_verify(&[
        "--recording",
        "recordings/real-aws/test_sagemaker_compilation_job_tag.jsonl",
    ]);
    assert_eq!(diverging, 1, "{out}");
    assert!(out.contains("step 5 ListTags diverges at"), "{out}");

    let (bad, out) = cjh_verify(&["--recording", "README.md"]);
    assert_eq!(bad, 2, "{out}");
}

/// The recording's creates and its List by the kestrel jobs' shared name, then `rules`,
/// verified on a server that also holds another run's kestrel job.
async fn kestrel_list_beside_another_runs_job(rules: &str) -> Verdict {
    let path = root().join("recordings/list-filter/name-contains-matches-a-substring.jsonl");
    let mut recording = Recording::load(&path).unwrap();
    recording.exchanges.retain(|e| {
        e.operation == "CreateCompilationJob"
            || e.request.body.json().and_then(|b| b.get("NameContains"))
                == Some(&json!("cjhrecorded-kestrel"))
    });
    let server = Running::start(&["serve", "--port", "0"]);
    let mut foreign = recording.exchanges[0].request.clone();
    if let cjh::exchange::Body::Json(body) = &mut foreign.body {
        body["CompilationJobName"] = json!("another-run-cjhrecorded-kestrel-x");
    }
    let other = UrlTarget::new(server.url(), None).unwrap();
    let made = cjh::targets::Target::send(&other, foreign).await.unwrap();
    assert_eq!(made.response.status, 200);
    let target = VerifyTarget::Url {
        target: Box::new(UrlTarget::new(server.url(), None).unwrap()),
        prefix: "cjh-verify-test02-".to_owned(),
        rules: toml::from_str(rules).unwrap(),
    };
    verify(&recording, &target).await
}

#[tokio::test]
async fn on_a_url_target_a_correlated_member_gets_the_run_prefix_and_keeps_other_runs_out() {
    // Act
    let exact = kestrel_list_beside_another_runs_job("").await;
    let correlated = kestrel_list_beside_another_runs_job(
        "[operation.ListCompilationJobs]\ncorrelate = [\"NameContains\"]",
    )
    .await;

    // Assert: the recorded filter finds the other run's job too; prefixed, only its own.
    assert!(!exact.passed(), "{}", exact.render());
    assert!(
        exact.render().contains("another-run-cjhrecorded-kestrel-x"),
        "{}",
        exact.render()
    );
    assert!(correlated.passed(), "{}", correlated.render());
}
