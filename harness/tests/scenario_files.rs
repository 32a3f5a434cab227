//! Scenario files that are wrong are refused before anything runs, with the file, the
//! line and the problem in the message.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use cjh::scenario::{ScenarioError, parse};

const GOOD: &str = r#"format = 1
description = "d"
subject = "paging"
evidence = { level = "inferred", source = "s" }

[[fixture]]
name = "alpha"
status = "COMPLETED"

[[step]]
id = "first"
call = "ListCompilationJobs"
request = { MaxResults = 1 }

[[step]]
call = "ListCompilationJobs"
request = { NextToken = "${first.NextToken}", NameContains = "${alpha}" }
expect.names = ["alpha"]
"#;

fn error_of(text: &str) -> String {
    match parse("scenarios/x/bad.toml", text) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(error) => error.to_string(),
    }
}

#[test]
fn a_good_file_is_accepted() {
    let file = parse("good.toml", GOOD).unwrap();
    assert_eq!(file.steps.len(), 2);
    assert_eq!(file.fixtures[0].name, "alpha");
}

#[test]
fn bad_toml_is_refused_with_file_and_line() {
    let message = error_of(&GOOD.replace("status = \"COMPLETED\"", "status = COMPLETED"));
    assert!(message.starts_with("scenarios/x/bad.toml: "), "{message}");
    assert!(message.contains("line 8"), "{message}");
}

#[test]
fn an_unknown_key_is_refused_with_its_name_and_line() {
    let message = error_of(&GOOD.replace("id = \"first\"", "id = \"first\"\nretries = 3"));
    assert!(message.contains("scenarios/x/bad.toml"), "{message}");
    assert!(message.contains("retries"), "{message}");
    assert!(message.contains("line 12"), "{message}");
}

#[test]
fn a_reference_to_a_missing_step_is_refused_with_its_line() {
    let message = error_of(&GOOD.replace("${first.NextToken}", "${second.NextToken}"));
    assert_eq!(
        message,
        "scenarios/x/bad.toml:17: reference '${second.NextToken}': 'second' is neither a fixture nor an earlier step with an id"
    );
}

#[test]
fn a_reference_to_a_later_step_is_refused() {
    let text = GOOD.replace("id = \"first\"\n", "").replace(
        "expect.names = [\"alpha\"]",
        "id = \"first\"\nexpect.names = [\"alpha\"]",
    );
    let message = error_of(&text);
    assert!(
        message.contains(":16: reference '${first.NextToken}'"),
        "{message}"
    );
}

#[test]
fn a_missing_fixture_in_expectations_or_waits_is_refused() {
    let message =
        error_of(&GOOD.replace("expect.names = [\"alpha\"]", "expect.names = [\"beta\"]"));
    assert!(
        message.contains(":18: expected name 'beta' is not a fixture"),
        "{message}"
    );
    let message = error_of(&format!(
        "{GOOD}\n[[step]]\nwait = {{ fixture = \"beta\", status = \"STOPPED\" }}\n"
    ));
    assert!(
        message.contains(":20: wait names fixture 'beta'"),
        "{message}"
    );
}

#[test]
fn a_step_must_be_exactly_one_kind() {
    let message = error_of(&GOOD.replace(
        "call = \"ListCompilationJobs\"\nrequest = { MaxResults = 1 }",
        "call = \"ListCompilationJobs\"\npaginate = \"ListCompilationJobs\"",
    ));
    assert!(
        message.contains(":10: step 1 needs exactly one of call, paginate and wait"),
        "{message}"
    );
}

#[test]
fn another_format_version_is_refused() {
    let message = error_of(&GOOD.replace("format = 1", "format = 2"));
    assert!(
        message.contains(":1: format 2 is not supported"),
        "{message}"
    );
}

#[test]
fn errors_are_typed_by_kind() {
    let parse_error = parse("f.toml", "format = ").err();
    assert!(matches!(parse_error, Some(ScenarioError::Parse { .. })));
    let invalid = parse("f.toml", &GOOD.replace("format = 1", "format = 9")).err();
    assert!(matches!(
        invalid,
        Some(ScenarioError::Invalid { line: 1, .. })
    ));
}

#[test]
fn the_example_in_the_scenarios_readme_is_a_valid_scenario() {
    let readme = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../scenarios/README.md"
    ))
    .unwrap();
    let start = readme.find("```toml\n").unwrap() + "```toml\n".len();
    let end = start + readme[start..].find("```").unwrap();
    let file = parse("scenarios/README.md", &readme[start..end]).unwrap();
    assert_eq!(file.fixtures.len(), 3);
}

#[test]
fn sharing_a_creation_time_with_a_fixture_that_was_waited_for_is_refused() {
    let text = GOOD.replace(
        "status = \"COMPLETED\"\n",
        "status = \"COMPLETED\"\n\n[[fixture]]\nname = \"beta\"\nstatus = \"STARTING\"\nsame_time_as_previous = true\n",
    );
    let message = error_of(&text);
    assert!(
        message.contains(":10: fixture 'beta' cannot share the previous fixture's CreationTime"),
        "{message}"
    );
}

#[test]
fn a_wait_step_with_expectations_is_refused() {
    let text = format!(
        "{GOOD}\n[[step]]\nwait = {{ fixture = \"alpha\", status = \"COMPLETED\" }}\nexpect.status = 200\n"
    );
    let message = error_of(&text);
    assert!(
        message.contains(":20: a wait step sends nothing"),
        "{message}"
    );
}

#[test]
fn an_unknown_operation_is_refused_with_its_line() {
    let message = error_of(&GOOD.replace(
        "call = \"ListCompilationJobs\"\nrequest = { MaxResults = 1 }",
        "call = \"ListCompilationJob\"\nrequest = { MaxResults = 1 }",
    ));
    assert_eq!(
        message,
        "scenarios/x/bad.toml:10: unknown operation ListCompilationJob"
    );
}

#[test]
fn steps_are_typed_with_their_lines() {
    let file = parse("good.toml", GOOD).unwrap();
    let lines: Vec<usize> = file.steps.iter().map(|s| s.line()).collect();
    assert_eq!(lines, [10, 15]);
    assert!(
        matches!(&file.steps[0], cjh::scenario::Step::Call(call) if call.id.as_deref() == Some("first"))
    );
    assert_eq!(
        file.steps[1].operation().map(|op| op.name()),
        Some("ListCompilationJobs")
    );
}
