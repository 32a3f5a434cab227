//! The scenario corpus as tests: one test per scenario per target
//! (`emulator::list-paging/window-short-pages`), so `cargo test NAME` and nextest's
//! filtering and partitioning work. A scenario passes when its hand-written facts and
//! the walk invariants hold and its normalized transcript matches the insta snapshot
//! beside it (a new or changed one is written as `.snap.new` for `cargo insta review`,
//! except on CI). Every scenario with a recording also runs against a mock server made
//! from it (`replay::<area>/<name>`), with the recording's name prefix so requests match,
//! and must pass the same way. Three corpus-wide checks come with it: every snapshot
//! belongs to a scenario, `scenarios/schema.json` matches the format, and at most five
//! scenarios assume a virtual clock.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use cjh::recording::{Recording, recording_path};
use cjh::runner::{judge, judge_on};
use cjh::scenario::Profile;
use cjh::scenario::{Scenario, discover, json_schema};
use cjh::targets::{ReplayTarget, TargetSpec};
use libtest_mimic::{Arguments, Failed, Trial};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios")
}

fn main() {
    let args = Arguments::from_args();
    let root = corpus();
    let (scenarios, errors) = discover(&root);
    let mut trials: Vec<Trial> = Vec::new();
    for error in errors {
        let message = error.to_string();
        trials.push(Trial::test(format!("load::{message:.60}"), move || {
            Err(message.into())
        }));
    }
    let spec = TargetSpec::parse("emulator").unwrap();
    for scenario in scenarios.clone() {
        let spec = spec.clone();
        trials.push(Trial::test(
            format!("emulator::{}", scenario.id),
            move || run_one(&scenario, &spec),
        ));
    }
    let recordings = root.join("../recordings");
    for scenario in scenarios.clone() {
        let path = recording_path(&recordings, &scenario.id);
        if path.exists() {
            trials.push(Trial::test(format!("replay::{}", scenario.id), move || {
                replay_one(&scenario, &path)
            }));
        }
    }
    let ids: Vec<PathBuf> = scenarios.iter().map(|s| s.path.clone()).collect();
    let orphan_root = root.clone();
    trials.push(Trial::test(
        "corpus::every-snapshot-belongs-to-a-scenario",
        move || orphans(&orphan_root, &ids),
    ));
    let virtual_only: Vec<String> = scenarios
        .iter()
        .filter(|s| s.file.assumes.virtual_clock.is_some())
        .map(|s| s.id.clone())
        .collect();
    trials.push(Trial::test(
        "corpus::at-most-five-scenarios-need-a-virtual-clock",
        move || {
            // Each one is a scenario no target but the emulator can judge.
            if virtual_only.len() <= 5 {
                Ok(())
            } else {
                Err(format!(
                    "{} scenarios assume a virtual clock: {virtual_only:?}",
                    virtual_only.len()
                )
                .into())
            }
        },
    ));
    let schema_root = root.clone();
    trials.push(Trial::test("corpus::schema-json-matches-the-format", move || {
        let committed = std::fs::read_to_string(schema_root.join("schema.json")).unwrap_or_default();
        if committed == json_schema() {
            Ok(())
        } else {
            Err("scenarios/schema.json is stale: regenerate it with `cargo run -p cjh -- schema > scenarios/schema.json`".into())
        }
    }));
    libtest_mimic::run(&args, trials).exit();
}

fn run_one(scenario: &Scenario, spec: &TargetSpec) -> Result<(), Failed> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let verdict = runtime.block_on(judge(scenario, spec, &Profile::default()));
    let mut report = String::new();
    for failure in &verdict.failures {
        let place = failure
            .step
            .map_or("fixtures".to_owned(), |s| format!("step {s}"));
        report.push_str(&format!("{place}: {}\n", failure.message));
    }
    if !report.is_empty() {
        return Err(format!("{}:\n{report}", scenario.path.display()).into());
    }
    // The snapshot through insta, so a new or changed one can be reviewed and accepted.
    let dir = scenario.path.parent().unwrap().to_owned();
    let name = scenario
        .path
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(dir);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_input_file(&scenario.path);
    let snapshot = verdict.snapshot.clone();
    let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
        settings.bind(|| insta::assert_snapshot!(name, snapshot));
    }));
    checked.map_err(|_| {
        let diff = verdict
            .snapshot_diff
            .as_ref()
            .map(|d| {
                let d = &d.first;
                let step = d
                    .step
                    .map_or("fixtures".to_owned(), |s| format!("step {s}"));
                format!("first divergence at {step}:\n{}", d.diff)
            })
            .unwrap_or_else(|| "no committed snapshot yet".to_owned());
        Failed::from(format!(
            "{}: snapshot mismatch; {diff}",
            scenario.path.display()
        ))
    })
}

/// The scenario against a mock server made from its recording: its facts, invariants
/// and snapshot must hold exactly as on the target that was recorded.
fn replay_one(scenario: &Scenario, recording: &Path) -> Result<(), Failed> {
    let recording = Recording::load(recording).map_err(|e| e.to_string())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let verdict = runtime.block_on(async {
        let target = ReplayTarget::start(&recording).await?;
        let prefix = recording.provenance.prefix.clone();
        Ok::<_, cjh::targets::TargetError>(
            judge_on(scenario, &target, &Profile::default(), &prefix).await,
        )
    });
    let verdict = verdict.map_err(|e| e.to_string())?;
    let mut report = String::new();
    for failure in &verdict.failures {
        let place = failure
            .step
            .map_or("fixtures".to_owned(), |s| format!("step {s}"));
        report.push_str(&format!("{place}: {}\n", failure.message));
    }
    if let Some(divergence) = verdict.snapshot_diff.as_ref().map(|d| &d.first) {
        let step = divergence
            .step
            .map_or("fixtures".to_owned(), |s| format!("step {s}"));
        report.push_str(&format!(
            "snapshot differs, first at {step}:\n{}\n",
            divergence.diff
        ));
    }
    if verdict.snapshot_missing {
        report.push_str("the scenario has no committed snapshot\n");
    }
    if report.is_empty() {
        Ok(())
    } else {
        Err(format!("{} (replayed):\n{report}", scenario.path.display()).into())
    }
}

fn orphans(root: &Path, scenarios: &[PathBuf]) -> Result<(), Failed> {
    let mut stray = Vec::new();
    for entry in walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path();
        let name = path.to_string_lossy();
        if name.ends_with(".snap") && !scenarios.contains(&path.with_extension("toml")) {
            stray.push(path.display().to_string());
        }
    }
    if stray.is_empty() {
        Ok(())
    } else {
        Err(format!("snapshots without a scenario: {}", stray.join(", ")).into())
    }
}
