//! The Markdown report, as a pull-request comment: the per-target lines, the evidence
//! counts and the conformance table exactly; each failure's first divergent step with
//! its diff, capped; known and pending results collapsed; and no target text turned
//! into markup.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod report_fixture;

use cjh::report::{Outcome, markdown};
use report_fixture::{LONG_DIFF_LINES, PAGING_DIFF, divergence, long_diff, report};

/// The lines of `text` from the one equal to `first`, as many as `count`.
fn lines_from<'a>(text: &'a str, first: &str, count: usize) -> Vec<&'a str> {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|l| *l == first)
        .unwrap_or_else(|| panic!("no line {first:?} in:\n{text}"));
    lines[start..(start + count).min(lines.len())].to_vec()
}

#[test]
fn the_conformance_table_counts_outright_passes_per_operation_and_target() {
    let text = markdown(&report());
    assert_eq!(
        lines_from(&text, "| Operation | emulator | moto |", 7),
        [
            "| Operation | emulator | moto |",
            "|---|---:|---:|",
            "| CreateCompilationJob | 1/2 | 0/2 |",
            "| DescribeCompilationJob | 3/3 | 0/2 |",
            "| ListCompilationJobs | 3/3 | 1/3 |",
            "| StopCompilationJob | 1/1 | 0/1 |",
            "| DeleteCompilationJob | 1/1 | — |",
        ]
    );
}

#[test]
fn the_summary_has_a_title_a_line_per_target_and_the_evidence_counts() {
    let text = markdown(&report());
    assert!(
        text.starts_with("## cjh contract run: ❌ 3 failing\n"),
        "{text}"
    );
    assert!(text.contains(
        "\n- **emulator**: 5 passed, 0 known, 0 pending, 0 failed, 1 unexpectedly passing, 0 not applicable (6 scenarios; \
         6 reached their steps, 0 blocked at fixtures, 0 not applicable)\n"
    ));
    assert!(text.contains(
        "\n- **moto**: ⚠️ vacuous: every request answered 400 \\<UnknownOperationException\\> \\& more; \
         1 passed, 1 known, 1 pending, 2 failed, 0 unexpectedly passing, 0 not applicable (5 scenarios; \
         5 reached their steps, 0 blocked at fixtures, 0 not applicable)\n"
    ));
    assert!(text.contains("\nEvidence: 1 recorded, 3 documented, 2 inferred (6 scenarios).\n"));
}

#[test]
fn each_failure_shows_its_first_divergent_step_with_messages_and_diff() {
    let text = markdown(&report());
    let paging = format!(
        "#### `list/paging` on **moto**: failed\n\n\
         Step 2 (first of 2 divergent places):\n\n\
         - expected names \\[alpha\\], got \\[\\]\n\n\
         ```diff\n{PAGING_DIFF}```\n"
    );
    assert!(text.contains(&paging), "{text}");
    assert!(
        !text.contains("NextToken on the last page"),
        "only the first step is shown"
    );
    assert!(text.contains(
        "#### `create/validation` on **emulator**: unexpectedly passing\n\n\
         The baseline lists a divergence here (the emulator used to accept an empty name) \
         that no longer happens: shrink the baseline.\n"
    ));
    assert!(
        text.contains("#### `odd/<b>&'\"` on **moto**: failed\n"),
        "{text}"
    );
}

#[test]
fn a_long_diff_is_capped_at_forty_lines_with_the_rest_counted() {
    let text = markdown(&report());
    let diff = long_diff();
    let shown: Vec<&str> = diff.lines().take(40).collect();
    let start = text
        .find("```diff\n--- snapshot\n+++ this run\n@@ -1,60")
        .unwrap();
    let block = &text[start..];
    let block = &block[..block[8..].find("```").unwrap() + 8];
    let expected = format!(
        "```diff\n{}\n… {} more lines\n",
        shown
            .join("\n")
            .replace('\u{0}', "\u{2400}")
            .replace('\u{1b}', "\u{241b}"),
        LONG_DIFF_LINES - 40
    );
    assert_eq!(block, expected);
}

#[test]
fn divergences_are_grouped_by_cause_with_the_most_places_first() {
    let text = markdown(&report());
    let table = lines_from(&text, "### Divergences by cause", 4);
    assert_eq!(table[2], "| cause | places | where |", "{text}");
    let rows: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("### Divergences by cause"))
        .skip(4)
        .take_while(|l| l.starts_with('|'))
        .collect();
    let unexplained = rows
        .iter()
        .find(|r| r.starts_with("| not in the baseline |"))
        .unwrap_or_else(|| panic!("{rows:?}"));
    assert!(
        unexplained.contains("`list/paging` step 2 on moto"),
        "{unexplained}"
    );
    assert!(
        rows.iter()
            .any(|r| r.starts_with("| moto never leaves STARTING | 1 |")),
        "{rows:?}"
    );
    let counts: Vec<usize> = rows
        .iter()
        .map(|r| r.split('|').nth(2).unwrap().trim().parse().unwrap())
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
}

#[test]
fn known_and_pending_results_are_collapsed_with_their_reasons() {
    let text = markdown(&report());
    assert!(
        text.contains(
            "<details>\n<summary>Known divergences (1)</summary>\n\n\
         - `lifecycle/stop` on **moto**: step 3: moto never leaves STARTING\n\n</details>\n"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "<details>\n<summary>Pending scenarios (1)</summary>\n\n\
         - `create/validation` on **moto**: validation is not in moto yet\n\n</details>\n"
        ),
        "{text}"
    );
}

/// `text` without its fenced code blocks and code spans, where markup is shown as
/// written anyway.
fn prose_of(text: &str) -> String {
    let code_span = regex::Regex::new("`[^`]*`").unwrap();
    let mut inside = false;
    let mut kept = String::new();
    for line in text.lines() {
        if line.starts_with("```") {
            inside = !inside;
        } else if !inside {
            kept.push_str(&code_span.replace_all(line, "CODE"));
            kept.push('\n');
        }
    }
    kept
}

#[test]
fn target_text_never_becomes_markup_or_raw_control_characters() {
    let text = markdown(&report());
    let prose = prose_of(&text);
    let raw_tag = regex::Regex::new(r"(^|[^\\])<[A-Za-z]").unwrap();
    let raw: Vec<&str> = prose
        .lines()
        .filter(|l| {
            raw_tag.is_match(l)
                && !l.starts_with("<details>")
                && !l.starts_with("<summary>")
                && !l.starts_with("</details>")
        })
        .collect();
    assert!(raw.is_empty(), "target text became markup: {raw:?}");
    assert!(prose.contains(
        "\n- got \\<img src=\"https://evil.example/x.png\"\\> \\& \\]\\]\\> with \u{2400}NUL, \u{241b}\\[31mESC and Zürich ✓ 日本\n"
    ), "{prose}");
    assert!(
        !text.chars().any(|c| c < ' ' && c != '\n'),
        "a control character is in the comment"
    );
}

#[test]
fn many_failures_are_counted_past_the_cap_so_the_comment_stays_short() {
    let mut run = report();
    let template = run.results[1].clone();
    run.results = (0..30)
        .map(|i| {
            let mut result = template.clone();
            result.scenario = format!("many/case-{i}");
            result.outcome = Outcome::Fail;
            result.divergences = vec![divergence(Some(1), &["broken"], Some(&long_diff()))];
            result
        })
        .collect();
    let text = markdown(&run);
    assert_eq!(text.matches("\n#### ").count(), 25);
    assert!(text.contains("\n… and 5 more failing results: see the JUnit or HTML report.\n"));
    assert!(
        text.len() < 60_000,
        "{} bytes is too long for a comment",
        text.len()
    );
}
