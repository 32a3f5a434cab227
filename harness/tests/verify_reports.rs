//! `cjh verify` writes the reports `cjh run` writes and holds a URL target to a baseline
//! the same way: a listed divergence passes, an unlisted one fails, a listed one that no
//! longer happens fails, and `--update-baseline` rewrites the file to what happened.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod process;

use std::path::{Path, PathBuf};
use std::process::Command;

use cjh::exchange::Body;
use cjh::recording::Recording;
use process::Running;
use serde_json::json;

const SCENARIO: &str = "lifecycle/describe-an-unknown-job";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A folder of its own, removed when the test ends.
struct Dir(PathBuf);

impl Dir {
    fn new() -> Dir {
        let dir =
            std::env::temp_dir().join(format!("cjh-verify-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        Dir(dir)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The corpus recording of an unknown job's Describe, with the third answer's message
/// changed: exchange 3 diverges on every target, the others agree.
fn altered(dir: &Dir) -> PathBuf {
    let source = root().join(format!("recordings/{SCENARIO}.jsonl"));
    let mut recording = Recording::load(&source).unwrap();
    let Body::Json(body) = &mut recording.exchanges[2].response.body else {
        panic!("exchange 3 has no JSON answer")
    };
    body["Message"] = json!("Not the recorded wording.");
    let path = dir.0.join("altered.jsonl");
    std::fs::write(&path, recording.to_text()).unwrap();
    path
}

fn baseline(dir: &Dir, steps: &[usize]) -> PathBuf {
    let text: String = steps
        .iter()
        .map(|step| {
            format!(
                "[[divergence]]\nscenario = \"{SCENARIO}\"\nstep = {step}\nreason = \"the test changed this answer\"\n\n"
            )
        })
        .collect();
    let path = dir.0.join("baseline.toml");
    std::fs::write(&path, text).unwrap();
    path
}

fn cjh_verify(recording: &Path, args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_cjh"))
        .arg("verify")
        .arg("--recording")
        .arg(recording)
        .args(args)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.code().unwrap(), text)
}

#[test]
fn a_divergent_exchange_is_a_failing_step_in_the_junit_and_markdown_reports() {
    // Arrange
    let dir = Dir::new();
    let recording = altered(&dir);
    let (junit, markdown) = (dir.0.join("verify.xml"), dir.0.join("verify.md"));

    // Act
    let (code, out) = cjh_verify(
        &recording,
        &[
            "--junit",
            junit.to_str().unwrap(),
            "--markdown",
            markdown.to_str().unwrap(),
        ],
    );

    // Assert
    assert_eq!(code, 1, "{out}");
    let junit = std::fs::read_to_string(junit).unwrap();
    assert!(junit.contains(&format!("name=\"{SCENARIO}\"")), "{junit}");
    assert!(junit.contains("<failure"), "{junit}");
    assert!(
        junit.contains("DescribeCompilationJob diverges at /body/Message"),
        "{junit}"
    );
    let markdown = std::fs::read_to_string(markdown).unwrap();
    assert!(markdown.contains(SCENARIO), "{markdown}");
    assert!(markdown.contains("step 3"), "{markdown}");
}

#[test]
fn on_a_url_target_a_listed_divergence_passes_and_an_unlisted_one_fails() {
    // Arrange
    let dir = Dir::new();
    let recording = altered(&dir);
    let server = Running::start(&["serve", "--port", "0"]);
    let url = ["--target", server.url()];

    // Act
    let (unlisted, out_unlisted) = cjh_verify(&recording, &url);
    let listed_file = baseline(&dir, &[3]);
    let (listed, out_listed) = cjh_verify(
        &recording,
        &[&url[..], &["--baseline", listed_file.to_str().unwrap()]].concat(),
    );

    // Assert
    assert_eq!(unlisted, 1, "{out_unlisted}");
    assert_eq!(listed, 0, "{out_listed}");
    assert!(
        out_listed.contains(&format!("{SCENARIO}: known under the baseline")),
        "{out_listed}"
    );
}

#[test]
fn on_a_url_target_a_listed_divergence_that_no_longer_happens_fails_until_the_baseline_is_updated()
{
    // Arrange
    let dir = Dir::new();
    let recording = altered(&dir);
    let server = Running::start(&["serve", "--port", "0"]);
    let stale = baseline(&dir, &[2, 3]);
    let args = [
        "--target",
        server.url(),
        "--baseline",
        stale.to_str().unwrap(),
    ];

    // Act
    let (before, out_before) = cjh_verify(&recording, &args);
    let (update, out_update) =
        cjh_verify(&recording, &[&args[..], &["--update-baseline"]].concat());
    let (after, out_after) = cjh_verify(&recording, &args);

    // Assert
    assert_eq!(before, 1, "{out_before}");
    assert!(out_before.contains("UNEXPECTED PASS"), "{out_before}");
    assert_eq!(update, 0, "{out_update}");
    let rewritten = std::fs::read_to_string(&stale).unwrap();
    assert!(rewritten.contains("step = 3"), "{rewritten}");
    assert!(!rewritten.contains("step = 2"), "{rewritten}");
    assert!(
        rewritten.contains("the test changed this answer"),
        "{rewritten}"
    );
    assert_eq!(after, 0, "{out_after}");
}

#[test]
fn the_baseline_does_not_apply_to_the_emulator_target() {
    // Arrange
    let dir = Dir::new();
    let recording = altered(&dir);
    let listed = baseline(&dir, &[3]);

    // Act
    let (code, out) = cjh_verify(&recording, &["--baseline", listed.to_str().unwrap()]);

    // Assert: the emulator's gaps belong in a known-gaps file, not a peer's baseline.
    assert_eq!(code, 1, "{out}");
    let (update, out) = cjh_verify(
        &recording,
        &["--baseline", listed.to_str().unwrap(), "--update-baseline"],
    );
    assert_eq!(update, 2, "{out}");
    assert!(out.contains("needs a URL target"), "{out}");
}
