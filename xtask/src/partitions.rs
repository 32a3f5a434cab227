//! The check that nextest's `--partition count:1/2` and `count:2/2` split the scenario
//! tests without gap or overlap, so a CI that shards the corpus over two machines runs
//! every scenario exactly once. The scenario test binary lists one test per scenario and
//! target, generated at run time, which is what could go wrong.

use std::collections::BTreeSet;
use std::process::Command;

use serde_json::Value;

use crate::error::XtaskError;
use crate::process;
use crate::workspace::Workspace;

/// Whether cargo-nextest is installed; the check needs it and is skipped, said so,
/// without it.
pub(crate) fn nextest_available(workspace: &Workspace) -> bool {
    process::succeeds_quietly(Command::new(workspace.cargo()).args(["nextest", "--version"]))
}

/// Lists the scenario tests whole and in two partitions and checks the split.
pub(crate) fn check(workspace: &Workspace) -> Result<(usize, usize), XtaskError> {
    let all = list(workspace, None)?;
    let one = list(workspace, Some(1))?;
    let two = list(workspace, Some(2))?;
    split_problem(&all, &one, &two).map_or(Ok((one.len(), two.len())), |problem| {
        Err(XtaskError::Partition { problem })
    })
}

/// What is wrong with a split of `all` into `one` and `two`, if anything.
fn split_problem(
    all: &BTreeSet<String>,
    one: &BTreeSet<String>,
    two: &BTreeSet<String>,
) -> Option<String> {
    if let Some(both) = one.intersection(two).next() {
        return Some(format!("{both} is in both partitions"));
    }
    let joined: BTreeSet<String> = one.union(two).cloned().collect();
    if let Some(lost) = all.difference(&joined).next() {
        return Some(format!("{lost} is in neither partition"));
    }
    None
}

fn list(workspace: &Workspace, part: Option<u8>) -> Result<BTreeSet<String>, XtaskError> {
    let mut command = Command::new(workspace.cargo());
    command.current_dir(workspace.root()).args([
        "nextest",
        "list",
        "-p",
        "cjh",
        "--test",
        "scenarios",
        "--message-format",
        "json",
    ]);
    if let Some(part) = part {
        command.args(["--partition", &format!("count:{part}/2")]);
    }
    let shown = process::display(&command);
    let output = command.output().map_err(|source| XtaskError::Spawn {
        command: shown.clone(),
        source,
    })?;
    if !output.status.success() {
        return Err(XtaskError::Failed {
            command: shown,
            status: output.status,
        });
    }
    let listing: Value =
        serde_json::from_slice(&output.stdout).map_err(|e| XtaskError::Partition {
            problem: format!("`{shown}` printed no JSON listing: {e}"),
        })?;
    Ok(matching_tests(&listing, part.is_some()))
}

/// The test names of a nextest listing; with `only_matching`, those the partition kept.
fn matching_tests(listing: &Value, only_matching: bool) -> BTreeSet<String> {
    let suites = listing["rust-suites"].as_object().into_iter().flatten();
    suites
        .flat_map(|(_, suite)| suite["testcases"].as_object().into_iter().flatten())
        .filter(|(_, case)| !only_matching || case["filter-match"]["status"] == "matches")
        .map(|(name, _)| name.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    #[test]
    fn a_split_without_gap_or_overlap_is_accepted() {
        assert_eq!(
            split_problem(&set(&["a", "b"]), &set(&["a"]), &set(&["b"])),
            None
        );
    }

    #[test]
    fn a_test_in_both_partitions_is_named() {
        let problem = split_problem(&set(&["a", "b"]), &set(&["a", "b"]), &set(&["b"]));
        assert_eq!(problem.as_deref(), Some("b is in both partitions"));
    }

    #[test]
    fn a_test_in_neither_partition_is_named() {
        let problem = split_problem(&set(&["a", "b"]), &set(&["a"]), &set(&[]));
        assert_eq!(problem.as_deref(), Some("b is in neither partition"));
    }

    #[test]
    fn only_the_tests_a_partition_kept_are_read_from_its_listing() {
        let listing = serde_json::json!({"rust-suites": {"cjh::scenarios": {"testcases": {
            "emulator::a": {"filter-match": {"status": "matches"}},
            "emulator::b": {"filter-match": {"status": "mismatch"}}
        }}}});
        assert_eq!(matching_tests(&listing, true), set(&["emulator::a"]));
        assert_eq!(
            matching_tests(&listing, false),
            set(&["emulator::a", "emulator::b"])
        );
    }
}
