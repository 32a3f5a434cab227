//! A deliberately broken emulator setting makes the affected scenario fail, and the
//! failure says which step diverged and shows the difference.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use cjh::compare::snapshot_diff;
use cjh::runner::judge;
use cjh::scenario::Profile;
use cjh::scenario::load;
use cjh::targets::{EmulatorTarget, TargetSpec};
use cjh_emulator::Paging;

fn scenario() -> cjh::scenario::Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/window-short-pages.toml");
    load(&path, "data/window-short-pages".to_owned()).unwrap()
}

#[tokio::test]
async fn filtered_paging_breaks_a_window_paging_scenario_with_a_readable_diff() {
    let scenario = scenario();
    let faithful = TargetSpec::parse("emulator").unwrap();
    let good = judge(&scenario, &faithful, &Profile::default()).await;
    assert!(good.failures.is_empty(), "{:?}", good.failures);

    let mut settings = EmulatorTarget::scenario_settings();
    settings.paging = Paging::Filtered;
    let broken = judge(
        &scenario,
        &TargetSpec::Emulator(Box::new(settings)),
        &Profile::default(),
    )
    .await;

    assert_eq!(broken.failures.len(), 1, "{:?}", broken.failures);
    assert_eq!(broken.failures[0].step, Some(1));
    assert_eq!(
        broken.failures[0].message,
        r#"pages: expected [[], [], ["gamma"]], got [["gamma"]]"#
    );
    let divergence = snapshot_diff(&good.snapshot, &broken.snapshot)
        .unwrap()
        .first;
    assert_eq!(divergence.step, Some(1));
    assert!(
        divergence.diff.starts_with("--- snapshot\n+++ this run\n"),
        "{}",
        divergence.diff
    );
    // The first page was empty with a token; filtered paging answers gamma at once.
    for line in [
        "-    \"CompilationJobSummaries\": [],",
        "-    \"NextToken\": \"<token:1>\"",
        "+        \"CompilationJobName\": \"gamma\",",
    ] {
        assert!(
            divergence.diff.contains(line),
            "no {line:?} in:\n{}",
            divergence.diff
        );
    }
}

#[tokio::test]
async fn the_same_scenario_passes_twice_on_the_faithful_emulator_with_equal_snapshots() {
    let scenario = scenario();
    let spec = TargetSpec::parse("emulator").unwrap();
    let first = judge(&scenario, &spec, &Profile::default()).await;
    let second = judge(&scenario, &spec, &Profile::default()).await;
    assert!(first.failures.is_empty() && second.failures.is_empty());
    assert_eq!(
        first.snapshot, second.snapshot,
        "normalization hides every run-specific value"
    );
}
