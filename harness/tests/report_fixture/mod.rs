//! A hand-built run for the report tests: two targets, every outcome, a vacuous target,
//! a scenario not run on one target, a long diff, and hostile text (markup, `]]>`, NUL
//! and other control characters, non-ASCII) where targets' answers end up.
//!
//! | scenario          | evidence   | operations                | emulator        | moto    |
//! |-------------------|------------|---------------------------|-----------------|---------|
//! | list/paging       | documented | List                      | pass            | fail    |
//! | list/empty        | documented | List                      | pass            | pass    |
//! | lifecycle/stop    | recorded   | Create, Stop, Describe    | pass            | known   |
//! | create/validation | documented | Create                    | unexpected pass | pending |
//! | delete/missing    | inferred   | Delete, Describe          | pass            | not run |
//! | odd/<b>&'"        | inferred   | List, Describe            | pass            | fail    |
//!
//! moto is also vacuous.

#![allow(dead_code, unreachable_pub)]

use cjh::report::{Divergence, Outcome, RunReport, ScenarioResult, Stage, Vacuity};
use cjh::scenario::EvidenceLevel;

/// The hostile scenario id.
pub const ODD: &str = "odd/<b>&'\"";
/// A message with markup that must never become markup.
pub const HOSTILE_MESSAGE: &str = "got <img src=\"https://evil.example/x.png\"> & ]]> with \u{0}NUL, \u{1b}[31mESC and Zürich ✓ 日本";
/// Lines in the long diff of the hostile scenario.
pub const LONG_DIFF_LINES: usize = 63;

/// The short diff of list/paging's step 2 on moto.
pub const PAGING_DIFF: &str = "--- snapshot\n+++ this run\n@@ -1,4 +1,4 @@\n {\n-  \"status\": 200,\n+  \"status\": 400,\n   \"names\": [\"alpha\"]\n }\n";

/// The whole run.
pub fn report() -> RunReport {
    let mut results = Vec::new();
    let mut both = |scenario: &str,
                    evidence: EvidenceLevel,
                    operations: &[&str],
                    on: &[(&str, Outcome, Vec<Divergence>, Option<&str>)]| {
        for (target, outcome, divergences, reason) in on {
            results.push(ScenarioResult {
                scenario: scenario.to_owned(),
                description: format!("What {scenario} shows.\nA second line."),
                evidence,
                operations: operations.iter().map(|&o| o.to_owned()).collect(),
                target: (*target).to_owned(),
                outcome: *outcome,
                divergences: divergences.clone(),
                baseline_reason: reason.map(str::to_owned),
                millis: 12.5,
                stage: if *outcome == Outcome::NotApplicable {
                    Stage::NotApplicable
                } else {
                    Stage::Steps
                },
                left_behind: Vec::new(),
            });
        }
    };
    both(
        "list/paging",
        EvidenceLevel::Documented,
        &["ListCompilationJobs"],
        &[
            ("emulator", Outcome::Pass, vec![], None),
            (
                "moto",
                Outcome::Fail,
                vec![
                    divergence(
                        Some(2),
                        &["expected names [alpha], got []"],
                        Some(PAGING_DIFF),
                    ),
                    divergence(Some(4), &["NextToken on the last page"], None),
                ],
                None,
            ),
        ],
    );
    both(
        "list/empty",
        EvidenceLevel::Documented,
        &["ListCompilationJobs"],
        &[
            ("emulator", Outcome::Pass, vec![], None),
            ("moto", Outcome::Pass, vec![], None),
        ],
    );
    let mut stuck = divergence(Some(3), &[], Some(PAGING_DIFF));
    stuck.known = Some("moto never leaves STARTING".to_owned());
    both(
        "lifecycle/stop",
        EvidenceLevel::Recorded,
        &[
            "CreateCompilationJob",
            "StopCompilationJob",
            "DescribeCompilationJob",
        ],
        &[
            ("emulator", Outcome::Pass, vec![], None),
            (
                "moto",
                Outcome::Known,
                vec![stuck],
                Some("moto never leaves STARTING"),
            ),
        ],
    );
    both(
        "create/validation",
        EvidenceLevel::Documented,
        &["CreateCompilationJob"],
        &[
            (
                "emulator",
                Outcome::UnexpectedPass,
                vec![],
                Some("the emulator used to accept an empty name"),
            ),
            (
                "moto",
                Outcome::Pending,
                vec![],
                Some("validation is not in moto yet"),
            ),
        ],
    );
    both(
        "delete/missing",
        EvidenceLevel::Inferred,
        &["DeleteCompilationJob", "DescribeCompilationJob"],
        &[("emulator", Outcome::Pass, vec![], None)],
    );
    both(
        ODD,
        EvidenceLevel::Inferred,
        &["ListCompilationJobs", "DescribeCompilationJob"],
        &[
            ("emulator", Outcome::Pass, vec![], None),
            (
                "moto",
                Outcome::Fail,
                vec![divergence(None, &[HOSTILE_MESSAGE], Some(&long_diff()))],
                None,
            ),
        ],
    );
    RunReport {
        targets: vec!["emulator".to_owned(), "moto".to_owned()],
        results,
        vacuous: vec![Vacuity {
            target: "moto".to_owned(),
            reason: "every request answered 400 <UnknownOperationException> & more".to_owned(),
        }],
        seconds: 1.25,
    }
}

/// A divergence that is not a known one.
pub fn divergence(step: Option<usize>, messages: &[&str], diff: Option<&str>) -> Divergence {
    Divergence {
        step,
        messages: messages.iter().map(|&m| m.to_owned()).collect(),
        diff: diff.map(str::to_owned),
        known: None,
    }
}

/// A diff of [`LONG_DIFF_LINES`] lines, with hostile text in it.
pub fn long_diff() -> String {
    let mut lines = vec![
        "--- snapshot".to_owned(),
        "+++ this run".to_owned(),
        "@@ -1,60 +1,60 @@".to_owned(),
        "-  \"message\": \"</script><script>alert(1)</script>\"".to_owned(),
        format!("+  \"message\": \"{HOSTILE_MESSAGE}\""),
    ];
    for i in 0..LONG_DIFF_LINES - lines.len() {
        let sign = [' ', '-', '+'][i % 3];
        lines.push(format!("{sign}  \"line\": {i}"));
    }
    lines.join("\n") + "\n"
}
