//! The committed recordings: each belongs to a scenario, reads as format version 2, says
//! it came from the emulator (no machine here reaches AWS), and is exactly what
//! recording the corpus again on the emulator produces, but for the time it was made.
//!
//! `recordings/real-aws/` is the exception: real AWS answers imported from Cloud
//! Custodian's placebo data (`cjh import`), with no scenario of their own. They are
//! read and format-checked with the rest, and held to what an import says it is.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use cjh::record::{EMULATOR_PREFIX, RecordOptions, RecordTarget, record};
use cjh::recording::{Recording, RecordingError, Source, recording_path};
use cjh::scenario::Profile;
use cjh::scenario::discover;
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The folder of imported real-AWS recordings, which pair with no scenario.
const REAL_AWS: &str = "real-aws";

/// The committed recordings of scenarios (everything but `real-aws/`).
fn committed() -> Vec<(PathBuf, Recording)> {
    every_committed()
        .into_iter()
        .filter(|(path, _)| !path.starts_with(root().join("recordings").join(REAL_AWS)))
        .collect()
}

/// The imported real-AWS recordings.
fn imported() -> Vec<(PathBuf, Recording)> {
    every_committed()
        .into_iter()
        .filter(|(path, _)| path.starts_with(root().join("recordings").join(REAL_AWS)))
        .collect()
}

/// Every committed recording, `real-aws/` included.
fn every_committed() -> Vec<(PathBuf, Recording)> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(root().join("recordings"))
        .into_iter()
        .filter_map(Result::ok)
        .map(walkdir::DirEntry::into_path)
        .filter(|p| p.extension().is_some_and(|e| e == "json" || e == "jsonl"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let recording = Recording::load(&p).unwrap_or_else(|e| panic!("{e}"));
            (p, recording)
        })
        .collect()
}

/// The recording without the time it was made.
fn stable(recording: &Recording) -> Value {
    let mut value = serde_json::to_value(recording).unwrap();
    value["provenance"]["recorded_at"] = Value::Null;
    value
}

#[test]
fn every_scenario_has_a_recording_and_every_recording_a_scenario() {
    let (scenarios, errors) = discover(&root().join("scenarios"));
    assert!(errors.is_empty(), "{errors:?}");
    let recordings = root().join("recordings");
    let missing: Vec<&str> = scenarios
        .iter()
        .filter(|s| !recording_path(&recordings, &s.id).exists())
        .map(|s| s.id.as_str())
        .collect();
    assert!(
        missing.is_empty(),
        "scenarios without a recording (run `cargo xtask record`): {missing:?}"
    );
    let ids: Vec<&str> = scenarios.iter().map(|s| s.id.as_str()).collect();
    let stray: Vec<String> = committed()
        .into_iter()
        .filter(|(_, r)| !ids.contains(&r.scenario.as_str()))
        .map(|(p, _)| p.display().to_string())
        .collect();
    assert!(stray.is_empty(), "recordings without a scenario: {stray:?}");
}

#[test]
fn every_committed_recording_says_it_came_from_the_emulator_and_is_paired_by_path() {
    let recordings = root().join("recordings");
    for (path, recording) in committed() {
        assert_eq!(
            recording.provenance.source,
            Source::Emulator,
            "{}",
            path.display()
        );
        assert_eq!(recording.provenance.endpoint, "emulator");
        assert_eq!(recording.provenance.prefix, EMULATOR_PREFIX);
        assert_eq!(recording_path(&recordings, &recording.scenario), path);
        assert!(!recording.provenance.scrubbing.is_empty());
        assert!(!recording.exchanges.is_empty(), "{}", path.display());
    }
}

#[test]
fn recording_the_corpus_again_on_the_emulator_changes_only_the_recording_time() {
    let out = std::env::temp_dir().join(format!("cjh-rerecord-{}", std::process::id()));
    let options = RecordOptions {
        target: RecordTarget::Emulator,
        scenarios: root().join("scenarios"),
        recordings: out.clone(),
        filter: None,
        allow_foreign_jobs: false,
        profile: Profile::default(),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let summary = runtime.block_on(record(&options, |_| {})).unwrap();
    assert!(summary.failed.is_empty(), "{:?}", summary.failed);
    assert!(
        summary.proposed.is_empty(),
        "recording proposed snapshot changes: {:?}",
        summary.proposed
    );
    let mut differing = Vec::new();
    for (path, old) in committed() {
        let new = Recording::load(&recording_path(&out, &old.scenario)).unwrap();
        if stable(&old) != stable(&new) {
            differing.push(path.display().to_string());
        }
    }
    std::fs::remove_dir_all(&out).ok();
    assert_eq!(summary.written.len(), committed().len());
    assert!(
        differing.is_empty(),
        "these recordings are stale (run `cargo xtask record`): {differing:?}"
    );
}

#[test]
fn a_recording_of_another_version_is_refused_with_its_version_named() {
    let (path, recording) = committed().into_iter().next().unwrap();
    let mut value = serde_json::to_value(&recording).unwrap();
    value["version"] = Value::from(3);
    let error = Recording::parse(&value.to_string(), &path).unwrap_err();
    assert!(
        matches!(&error, RecordingError::UnsupportedVersion { found, .. } if found == "3"),
        "{error}"
    );
    let message = error.to_string();
    assert!(message.contains("version 3 is not supported"), "{message}");
    assert!(message.contains(&path.display().to_string()), "{message}");
}

#[test]
fn a_file_that_is_not_a_recording_is_refused_as_such() {
    let path = Path::new("x.json");
    let error = Recording::parse(r#"{"version": 1}"#, path).unwrap_err();
    assert!(error.to_string().contains("not a cjh recording"), "{error}");
    let error = Recording::parse("not json", path).unwrap_err();
    assert!(matches!(error, RecordingError::Malformed { .. }), "{error}");
}

#[test]
fn a_recording_survives_writing_and_reading_unchanged() {
    let (_, recording) = committed().into_iter().next().unwrap();
    let path = std::env::temp_dir().join(format!("cjh-roundtrip-{}.json", std::process::id()));
    recording.write(&path).unwrap();
    let back = Recording::load(&path).unwrap();
    std::fs::remove_file(&path).ok();
    assert_eq!(back, recording);
}

#[test]
fn recording_proposes_a_changed_snapshot_for_review_and_never_accepts_it() {
    let id = "list-paging/max-results-two-splits-five-jobs-into-three-pages";
    let work = std::env::temp_dir().join(format!("cjh-propose-{}", std::process::id()));
    std::fs::remove_dir_all(&work).ok();
    let scenarios = work.join("scenarios");
    std::fs::create_dir_all(scenarios.join("list-paging")).unwrap();
    let source = root().join("scenarios").join(id);
    let copy = scenarios.join(id);
    std::fs::copy(source.with_extension("toml"), copy.with_extension("toml")).unwrap();
    // A snapshot that no longer matches what the emulator answers.
    let committed = std::fs::read_to_string(source.with_extension("snap")).unwrap();
    let stale = committed.replacen("\"page\": 3", "\"page\": 4", 1);
    assert_ne!(stale, committed);
    std::fs::write(copy.with_extension("snap"), &stale).unwrap();
    let options = RecordOptions {
        target: RecordTarget::Emulator,
        scenarios: scenarios.clone(),
        recordings: work.join("recordings"),
        filter: None,
        allow_foreign_jobs: false,
        profile: Profile::default(),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let summary = runtime.block_on(record(&options, |_| {})).unwrap();
    let proposal = copy.with_extension("snap.new");
    assert_eq!(summary.proposed, vec![proposal.clone()]);
    // The snapshot on disk is untouched; the proposal holds what was recorded.
    assert_eq!(
        std::fs::read_to_string(copy.with_extension("snap")).unwrap(),
        stale
    );
    let proposed = std::fs::read_to_string(&proposal).unwrap();
    let body = |text: &str| text.splitn(3, "---\n").nth(2).unwrap().trim().to_owned();
    assert_eq!(body(&proposed), body(&committed));
    std::fs::remove_dir_all(&work).ok();
}

#[test]
fn every_committed_recording_is_a_version_2_json_lines_file() {
    for (path, recording) in every_committed() {
        assert_eq!(recording.version, 2, "{}", path.display());
        assert!(
            path.extension().is_some_and(|e| e == "jsonl"),
            "{}",
            path.display()
        );
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), recording.exchanges.len() + 1);
    }
}

#[test]
fn the_real_aws_recordings_say_they_are_aws_imported_and_reconstructed() {
    let recordings = root().join("recordings");
    let imported = imported();
    assert_eq!(imported.len(), 3, "{imported:?}");
    for (path, recording) in imported {
        let shown = path.display().to_string();
        assert_eq!(recording.provenance.source, Source::Aws, "{shown}");
        assert_eq!(recording_path(&recordings, &recording.scenario), path);
        let from = recording
            .provenance
            .imported_from
            .as_deref()
            .unwrap_or_default();
        assert!(from.starts_with("placebo folder "), "{shown}: {from}");
        assert!(!recording.provenance.scrubbing.is_empty(), "{shown}");
        assert!(!recording.exchanges.is_empty(), "{shown}");
        assert!(
            recording.exchanges.iter().all(|e| e.reconstructed),
            "{shown}"
        );
    }
}
