//! The JUnit report: valid against the Jenkins xunit-plugin's `junit-10.xsd` (the schema
//! CI servers' JUnit readers follow), with hostile text escaped, the counts right, and
//! every divergence and its diff in the failure text. The checks read the file back with
//! xmllint, a real XML parser, rather than trusting string matches on markup.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod report_fixture;

use std::path::{Path, PathBuf};
use std::process::Command;

use report_fixture::{HOSTILE_MESSAGE, ODD, PAGING_DIFF, report};

/// The report written to a file of its own for `name`.
fn written(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report_junit");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.xml"));
    std::fs::write(&path, cjh::report::junit(&report())).unwrap();
    path
}

/// Runs xmllint; a missing xmllint fails the test, since skipping would hide a broken
/// report on exactly the machines that lack it.
fn xmllint(args: &[&str]) -> std::process::Output {
    Command::new("xmllint")
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "xmllint is needed to check the JUnit report ({e}); `.ci/run` installs it \
             (Debian package libxml2-utils: apt-get install -y libxml2-utils)"
            )
        })
}

/// The string value of an XPath expression over the report (xmllint adds a newline).
fn xpath(file: &Path, expression: &str) -> String {
    let output = xmllint(&["--xpath", expression, file.to_str().unwrap()]);
    assert!(
        output.status.success(),
        "xmllint --xpath {expression} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut value = String::from_utf8(output.stdout).unwrap();
    value.pop();
    value
}

#[test]
fn the_report_validates_against_the_jenkins_junit_schema() {
    let file = written("schema");
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/report/junit-10.xsd");
    let output = xmllint(&[
        "--noout",
        "--schema",
        schema.to_str().unwrap(),
        file.to_str().unwrap(),
    ]);
    assert!(
        output.status.success(),
        "{} does not validate:\n{}",
        file.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn suites_count_tests_failures_and_skips_per_target() {
    let file = written("counts");
    let count = |suite: &str, attribute: &str| {
        xpath(
            &file,
            &format!("string(/testsuites/testsuite[@name='{suite}']/@{attribute})"),
        )
    };
    // emulator: five passes and one unexpected pass.
    assert_eq!(count("emulator", "tests"), "6");
    assert_eq!(count("emulator", "failures"), "1");
    assert_eq!(count("emulator", "skipped"), "0");
    // moto: pass, known, pending, two failures, plus the vacuity case.
    assert_eq!(count("moto", "tests"), "6");
    assert_eq!(count("moto", "failures"), "3");
    assert_eq!(count("moto", "skipped"), "2");
    assert_eq!(count("moto", "errors"), "0");
    assert_eq!(xpath(&file, "string(/testsuites/@tests)"), "12");
    assert_eq!(xpath(&file, "string(/testsuites/@failures)"), "4");
    assert_eq!(xpath(&file, "count(//testcase[@classname='moto'])"), "6");
    assert_eq!(
        xpath(&file, "string(//testcase[@name='list/empty'][1]/@time)"),
        "0.013"
    );
}

#[test]
fn a_failing_case_carries_every_divergence_and_its_diff() {
    let file = written("failure");
    let case = "/testsuites/testsuite[@name='moto']/testcase[@name='list/paging']";
    assert_eq!(
        xpath(&file, &format!("string({case}/failure/@type)")),
        "divergence"
    );
    let message = xpath(&file, &format!("string({case}/failure/@message)"));
    assert_eq!(
        message,
        "step 2: expected names [alpha], got [] (and 1 more divergent place)"
    );
    let text = xpath(&file, &format!("string({case}/failure)"));
    assert!(
        text.contains("step 2:\n- expected names [alpha], got []\n"),
        "{text}"
    );
    assert!(
        text.contains(PAGING_DIFF),
        "the diff is not in the failure:\n{text}"
    );
    assert!(
        text.contains("step 4:\n- NextToken on the last page\n"),
        "{text}"
    );
}

#[test]
fn known_and_pending_results_are_skipped_with_their_reasons() {
    let file = written("skipped");
    let skipped = |scenario: &str| {
        xpath(
            &file,
            &format!("string(//testcase[@classname='moto'][@name='{scenario}']/skipped/@message)"),
        )
    };
    assert_eq!(
        skipped("lifecycle/stop"),
        "known divergence: moto never leaves STARTING"
    );
    assert_eq!(
        skipped("create/validation"),
        "pending: validation is not in moto yet"
    );
    let passed = "//testcase[@classname='moto'][@name='list/empty']";
    assert_eq!(xpath(&file, &format!("count({passed}/*)")), "0");
}

#[test]
fn an_unexpected_pass_fails_with_a_type_of_its_own() {
    let file = written("unexpected");
    let case = "//testcase[@classname='emulator'][@name='create/validation']/failure";
    assert_eq!(
        xpath(&file, &format!("string({case}/@type)")),
        "unexpected-pass"
    );
    let message = xpath(&file, &format!("string({case}/@message)"));
    assert!(message.contains("shrink the baseline"), "{message}");
    assert!(
        message.contains("the emulator used to accept an empty name"),
        "{message}"
    );
}

#[test]
fn a_vacuous_target_fails_a_case_of_its_own() {
    let file = written("vacuous");
    let case = "//testsuite[@name='moto']/testcase[@name='target-is-vacuous']/failure";
    assert_eq!(
        xpath(&file, &format!("string({case}/@message)")),
        "every request answered 400 <UnknownOperationException> & more"
    );
    assert_eq!(xpath(&file, &format!("string({case}/@type)")), "vacuous");
    let emulator = "count(//testsuite[@name='emulator']/testcase[@name='target-is-vacuous'])";
    assert_eq!(xpath(&file, emulator), "0");
}

#[test]
fn hostile_text_is_escaped_and_forbidden_characters_are_shown_not_sent() {
    let xml = cjh::report::junit(&report());
    let forbidden = xml
        .chars()
        .find(|&c| (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{fffe}');
    assert_eq!(
        forbidden, None,
        "a character XML 1.0 forbids is in the report"
    );
    assert!(!xml.contains("]]>"), "a raw ]]> is in the report");
    assert!(!xml.contains("<img"), "markup from a target became markup");

    // What a reader gets back: the same text, with NUL and ESC as control pictures.
    let file = written("hostile");
    let shown = HOSTILE_MESSAGE
        .replace('\u{0}', "\u{2400}")
        .replace('\u{1b}', "\u{241b}");
    // XPath 1.0 has no escapes: the id, which holds both quote kinds, is put together.
    assert_eq!(ODD, "odd/<b>&'\"");
    let names = xpath(
        &file,
        "count(//testcase[@name=concat('odd/<b>&', \"'\", '\"')])",
    );
    assert_eq!(
        names, "2",
        "the hostile scenario id does not read back as itself"
    );
    let text = xpath(
        &file,
        "string(//testcase[@classname='moto'][starts-with(@name, 'odd/')]/failure)",
    );
    assert!(text.contains(&shown), "{text}");
    assert!(text.contains("Zürich ✓ 日本"), "{text}");
}
