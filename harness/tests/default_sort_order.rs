//! Which scenarios read the default SortOrder (F7): the corpus run on an emulator that
//! lists newest first when no SortOrder is named diverges in exactly the scenarios that
//! declare `assumes.default_order`, so the declaration can be neither missing nor stale.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::Path;

use cjh::runner::judge;
use cjh::scenario::{Profile, discover};
use cjh::targets::{EmulatorTarget, TargetSpec};
use cjh_emulator::{DefaultSortOrder, Settings};

#[tokio::test(flavor = "current_thread")]
async fn newest_first_by_default_changes_exactly_the_scenarios_that_assume_the_default_order() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
    let (scenarios, errors) = discover(&root);
    assert!(errors.is_empty(), "{errors:?}");
    let spec = TargetSpec::Emulator(Box::new(Settings {
        default_sort_order: DefaultSortOrder::Descending,
        ..EmulatorTarget::scenario_settings()
    }));
    let mut diverged = BTreeSet::new();
    for scenario in &scenarios {
        let verdict = judge(scenario, &spec, &Profile::default()).await;
        if !verdict.passed() {
            diverged.insert(scenario.id.clone());
        }
    }
    let declared: BTreeSet<String> = scenarios
        .iter()
        .filter(|s| s.file.assumes.default_order.is_some())
        .map(|s| s.id.clone())
        .collect();
    let undeclared: Vec<&String> = diverged.difference(&declared).collect();
    let stale: Vec<&String> = declared.difference(&diverged).collect();
    assert!(
        undeclared.is_empty() && stale.is_empty(),
        "diverge under descending but do not declare assumes.default_order: {undeclared:?}\n\
         declare it but hold under descending: {stale:?}"
    );
    assert!(
        declared.len() >= 3,
        "the corpus reads the default order somewhere: {declared:?}"
    );
}
