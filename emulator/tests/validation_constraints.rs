//! Every constraint the model states for the five inputs, on both sides of each bound,
//! with the exact `ValidationException` message written out by hand.
//!
//! The single-member cases live in `tests/validation/*.toml`, one file per operation (Create
//! is split by input area), so `validation_coverage/` can check them against the model.
//! Each case starts from a valid body, removes and sets members, and then expects either
//! the exact message, another ValidationException from the service logic, or a success.
//! The cases that combine several violations are the functions at the end of this file.
//! Every case is a test of its own (libtest-mimic), `<file>::<case name>` or
//! `several::<function>`, so a failure names the case.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::PathBuf;
use std::time::Duration;

use cjh_emulator::Emulator;
use cjh_emulator::Millis;
use libtest_mimic::{Arguments, Failed, Trial};
use serde::Deserialize;
use serde_json::{Value, json};

/// One data file: an operation and its cases.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    operation: String,
    case: Vec<Case>,
}

/// One case; see the header of `tests/validation/create_names.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    covers: Vec<String>,
    #[serde(default)]
    remove: Vec<String>,
    #[serde(default)]
    set: Option<toml::Table>,
    error: Option<String>,
    other_error: Option<String>,
}

fn base(operation: &str) -> Value {
    match operation {
        "CreateCompilationJob" => common::minimal_create_body("job-1"),
        "ListCompilationJobs" => json!({}),
        _ => json!({"CompilationJobName": "job-1"}),
    }
}

/// Expands `<<S*N>>` (S repeated N times) in a string.
fn expand_text(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("<<") {
        let Some(len) = rest[start..].find(">>") else {
            break;
        };
        let inner = &rest[start + 2..start + len];
        let Some((unit, times)) = inner.rsplit_once('*') else {
            break;
        };
        let times: usize = times.parse().expect("a repeat count after '*'");
        out.push_str(&rest[..start]);
        out.push_str(&unit.repeat(times));
        rest = &rest[start + len + 2..];
    }
    out.push_str(rest);
    out
}

/// Expands templates in strings and `{ repeat = X, times = N }` tables into N copies of X.
fn expand(value: Value) -> Value {
    match value {
        Value::String(text) => Value::String(expand_text(&text)),
        Value::Array(items) => Value::Array(items.into_iter().map(expand).collect()),
        Value::Object(map) if map.len() == 2 && map.contains_key("repeat") => {
            let times = map["times"].as_u64().expect("times is a count") as usize;
            let item = expand(map["repeat"].clone());
            Value::Array(vec![item; times])
        }
        Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, expand(v))).collect()),
        other => other,
    }
}

/// Deep-merges `patch` into `target`: objects merge member by member, anything else replaces.
fn merge(target: &mut Value, patch: Value) {
    match (target, patch) {
        (Value::Object(target), Value::Object(patch)) => {
            for (key, value) in patch {
                match target.get_mut(&key) {
                    Some(existing) if existing.is_object() && value.is_object() => {
                        merge(existing, value);
                    }
                    _ => {
                        target.insert(key, value);
                    }
                }
            }
        }
        (target, patch) => *target = patch,
    }
}

/// Removes the member at a dotted path of wire names.
fn remove(body: &mut Value, path: &str) {
    let mut segments: Vec<&str> = path.split('.').collect();
    let last = segments.pop().expect("a non-empty path");
    let mut node = body;
    for segment in segments {
        node = node.get_mut(segment).expect("the path to remove exists");
    }
    let removed = node.as_object_mut().and_then(|o| o.remove(last));
    assert!(removed.is_some(), "nothing to remove at {path}");
}

/// The request body of a case.
fn body_of(operation: &str, case: &Case) -> Value {
    let mut body = base(operation);
    for path in &case.remove {
        remove(&mut body, path);
    }
    if let Some(set) = &case.set {
        let patch = serde_json::to_value(set).expect("TOML converts to JSON");
        merge(&mut body, expand(patch));
    }
    body
}

/// Where two long texts first differ, for readable failures.
fn difference(expected: &str, actual: &str) -> String {
    let at = expected
        .chars()
        .zip(actual.chars())
        .take_while(|(a, b)| a == b)
        .count();
    let near =
        |text: &str| -> String { text.chars().skip(at.saturating_sub(40)).take(120).collect() };
    format!(
        "messages differ at character {at}\n  expected ...{}\n  actual   ...{}",
        near(expected),
        near(actual)
    )
}

fn expect_rejection(
    emulator: &Emulator,
    operation: &str,
    body: &Value,
    expected: &str,
) -> Result<(), String> {
    let reply = emulator.call(operation, body);
    if reply.status != 400 || reply.error_code() != Some("ValidationException") {
        return Err(format!(
            "expected 400 ValidationException, got {} {:?}: {:?}",
            reply.status,
            reply.error_code(),
            reply.message()
        ));
    }
    match reply.message() {
        Some(message) if message == expected => Ok(()),
        Some(message) => Err(difference(expected, message)),
        None => Err("the error has no Message".to_owned()),
    }
}

fn expect_success(operation: &str, body: &Value) -> Result<(), String> {
    let emulator = Emulator::builder()
        .manual_clock_at(Millis(1_700_000_000_000))
        .build();
    if let Some(name) = body
        .get("CompilationJobName")
        .filter(|_| operation != "CreateCompilationJob")
    {
        // Describe, Stop and Delete succeed only for an existing job; Delete only once it
        // has finished.
        let mut create = common::minimal_create_body("job-1");
        create["CompilationJobName"] = name.clone();
        let created = emulator.call("CreateCompilationJob", &create);
        if created.status != 200 {
            return Err(format!("setup Create failed: {:?}", created.message()));
        }
        if operation == "DeleteCompilationJob" {
            emulator
                .advance_clock(Duration::from_secs(3600))
                .expect("a manual clock");
        }
    }
    let reply = emulator.call(operation, body);
    if reply.status != 200 {
        return Err(format!(
            "expected 200, got {} {:?}: {:?}",
            reply.status,
            reply.error_code(),
            reply.message()
        ));
    }
    let shaped = match operation {
        "CreateCompilationJob" => reply.body["CompilationJobArn"].is_string(),
        "ListCompilationJobs" => reply.body["CompilationJobSummaries"].is_array(),
        "DescribeCompilationJob" => reply.body["CompilationJobName"] == body["CompilationJobName"],
        _ => true,
    };
    if shaped {
        Ok(())
    } else {
        Err(format!("unexpected success body {}", reply.body))
    }
}

fn check(operation: &str, case: &Case) -> Result<(), String> {
    let body = body_of(operation, case);
    match (&case.error, &case.other_error) {
        (Some(error), None) => expect_rejection(
            &Emulator::builder().build(),
            operation,
            &body,
            &expand_text(error),
        ),
        (None, Some(other)) => {
            expect_rejection(&Emulator::builder().build(), operation, &body, other)
        }
        (None, None) => expect_success(operation, &body),
        (Some(_), Some(_)) => Err("a case has either error or other_error, not both".to_owned()),
    }
}

/// The data files, one per operation (Create split by input area).
const FILES: [&str; 9] = [
    "create_names.toml",
    "create_input_config.toml",
    "create_output_config.toml",
    "create_vpc_config.toml",
    "create_stopping_and_tags.toml",
    "describe.toml",
    "stop.toml",
    "delete.toml",
    "list.toml",
];

/// One trial per case of one data file, named `<file>::<case name>`; a file that cannot
/// be read is one failing trial.
fn trials_of(file: &'static str) -> Vec<Trial> {
    let stem = file.trim_end_matches(".toml");
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "validation", file]
        .iter()
        .collect();
    let cases = std::fs::read_to_string(&path)
        .map_err(|e| format!("{}: {e}", path.display()))
        .and_then(|text| toml::from_str::<CaseFile>(&text).map_err(|e| format!("{file}: {e}")))
        .and_then(|cases| {
            if cases.case.is_empty() {
                Err(format!("{file} has no cases"))
            } else {
                Ok(cases)
            }
        });
    let cases = match cases {
        Ok(cases) => cases,
        Err(problem) => {
            return vec![Trial::test(format!("{stem}::load"), move || {
                Err(problem.into())
            })];
        }
    };
    let operation = cases.operation;
    cases
        .case
        .into_iter()
        .map(|case| {
            let operation = operation.clone();
            Trial::test(
                format!("{stem}::{}", case.name.replace(' ', "_")),
                move || {
                    if case.name.is_empty() || (case.covers.is_empty() && case.error.is_some()) {
                        return Err(
                            "a case needs a name, and `covers` when it expects an error".into()
                        );
                    }
                    check(&operation, &case).map_err(Failed::from)
                },
            )
        })
        .collect()
}

/// A test function as a trial named `several::<name>`.
macro_rules! several {
    ($($test:ident),* $(,)?) => {
        vec![$(Trial::test(concat!("several::", stringify!($test)), || {
            $test();
            Ok(())
        })),*]
    };
}

fn main() {
    let args = Arguments::from_args();
    let mut trials: Vec<Trial> = FILES.iter().flat_map(|file| trials_of(file)).collect();
    trials.extend(several![
        an_empty_create_reports_the_four_required_members_counted_and_in_model_order,
        violations_at_several_depths_are_listed_in_model_member_order_whatever_the_body_order,
        one_member_over_its_length_and_off_its_pattern_lists_the_length_first,
        both_members_of_one_tag_are_reported_key_before_value,
        an_explicit_null_is_reported_like_a_missing_member,
        several_list_filters_are_reported_in_model_member_order,
        length_counts_characters_not_bytes_even_outside_the_basic_plane,
        the_template_helper_expands_repeats_as_the_data_files_assume,
    ]);
    libtest_mimic::run(&args, trials).exit();
}

// ---- Several violations in one request ----

fn rejected_with(operation: &str, body: &Value, expected: &str) {
    let emulator = Emulator::builder().build();
    if let Err(problem) = expect_rejection(&emulator, operation, body, expected) {
        panic!("{problem}");
    }
    let listed = emulator.call("ListCompilationJobs", &json!({}));
    assert_eq!(
        listed.body["CompilationJobSummaries"],
        json!([]),
        "a rejected request created a job"
    );
}

fn an_empty_create_reports_the_four_required_members_counted_and_in_model_order() {
    rejected_with(
        "CreateCompilationJob",
        &json!({}),
        "4 validation errors detected: \
         Value null at 'compilationJobName' failed to satisfy constraint: Member must not be null; \
         Value null at 'roleArn' failed to satisfy constraint: Member must not be null; \
         Value null at 'outputConfig' failed to satisfy constraint: Member must not be null; \
         Value null at 'stoppingCondition' failed to satisfy constraint: Member must not be null",
    );
}

fn violations_at_several_depths_are_listed_in_model_member_order_whatever_the_body_order() {
    // Members appear in the body in reverse model order; the message follows the model,
    // depth first (targetPlatform.os comes before the later sibling kmsKeyId).
    let body = json!({
        "Tags": [{"Key": "ok", "Value": "ok"}, {"Key": "", "Value": "v"}],
        "StoppingCondition": {"MaxRuntimeInSeconds": 0},
        "VpcConfig": {"Subnets": [], "SecurityGroupIds": ["sg-1"]},
        "OutputConfig": {
            "KmsKeyId": "bad key",
            "TargetPlatform": {"Arch": "ARM64"},
            "S3OutputLocation": "s3://bucket/out/"
        },
        "InputConfig": {"Framework": "CAFFE", "S3Uri": "s3://bucket/model.tar.gz"},
        "RoleArn": "arn:aws:iam::123456789012:role/Role",
        "CompilationJobName": "job_1"
    });
    rejected_with(
        "CreateCompilationJob",
        &body,
        "7 validation errors detected: \
         Value 'job_1' at 'compilationJobName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}; \
         Value 'CAFFE' at 'inputConfig.framework' failed to satisfy constraint: Member must satisfy enum value set: [TENSORFLOW, KERAS, MXNET, ONNX, PYTORCH, XGBOOST, TFLITE, DARKNET, SKLEARN]; \
         Value null at 'outputConfig.targetPlatform.os' failed to satisfy constraint: Member must not be null; \
         Value 'bad key' at 'outputConfig.kmsKeyId' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9:/_-]*; \
         Value '[]' at 'vpcConfig.subnets' failed to satisfy constraint: Member must have length greater than or equal to 1; \
         Value '0' at 'stoppingCondition.maxRuntimeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 1; \
         Value '' at 'tags.2.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
}

fn one_member_over_its_length_and_off_its_pattern_lists_the_length_first() {
    let mut body = common::minimal_create_body("job-1");
    body["CompilationJobName"] = json!(format!("job_{}", "a".repeat(60)));
    let name = format!("job_{}", "a".repeat(60));
    rejected_with(
        "CreateCompilationJob",
        &body,
        &format!(
            "2 validation errors detected: \
             Value '{name}' at 'compilationJobName' failed to satisfy constraint: Member must have length less than or equal to 63; \
             Value '{name}' at 'compilationJobName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9](-*[a-zA-Z0-9]){{0,62}}"
        ),
    );
}

fn both_members_of_one_tag_are_reported_key_before_value() {
    let mut body = common::minimal_create_body("job-1");
    body["Tags"] = json!([{"Value": "x!", "Key": "k!"}]);
    rejected_with(
        "CreateCompilationJob",
        &body,
        "2 validation errors detected: \
         Value 'k!' at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: ([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*); \
         Value 'x!' at 'tags.1.member.value' failed to satisfy constraint: Member must satisfy regular expression pattern: ([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)",
    );
}

fn an_explicit_null_is_reported_like_a_missing_member() {
    let mut body = common::minimal_create_body("job-1");
    body["RoleArn"] = Value::Null;
    body["InputConfig"]["Framework"] = Value::Null;
    rejected_with(
        "CreateCompilationJob",
        &body,
        "2 validation errors detected: \
         Value null at 'roleArn' failed to satisfy constraint: Member must not be null; \
         Value null at 'inputConfig.framework' failed to satisfy constraint: Member must not be null",
    );
}

fn several_list_filters_are_reported_in_model_member_order() {
    rejected_with(
        "ListCompilationJobs",
        &json!({"SortOrder": "Up", "NameContains": "a b", "MaxResults": 0, "SortBy": "Name"}),
        "3 validation errors detected: \
         Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1; \
         Value 'a b' at 'nameContains' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9\\-]+; \
         Value 'Up' at 'sortOrder' failed to satisfy constraint: Member must satisfy enum value set: [Ascending, Descending]",
    );
}

fn length_counts_characters_not_bytes_even_outside_the_basic_plane() {
    // U+1D518 is a letter (\p{L}) of four UTF-8 bytes and two UTF-16 units.
    let emulator = Emulator::builder().build();
    let mut body = common::minimal_create_body("job-1");
    body["Tags"] = json!([{"Key": "k", "Value": "\u{1D518}".repeat(256)}]);
    let reply = emulator.call("CreateCompilationJob", &body);
    assert_eq!(reply.status, 200, "{:?}", reply.message());

    let value = "\u{1D518}".repeat(257);
    body["Tags"] = json!([{"Key": "k", "Value": value}]);
    if let Err(problem) = expect_rejection(
        &emulator,
        "CreateCompilationJob",
        &body,
        &format!(
            "1 validation error detected: Value '{value}' at 'tags.1.member.value' failed to \
             satisfy constraint: Member must have length less than or equal to 256"
        ),
    ) {
        panic!("{problem}");
    }
}

fn the_template_helper_expands_repeats_as_the_data_files_assume() {
    assert_eq!(expand_text("a<<-*3>>b<<xy*2>>"), "a---bxyxy");
    assert_eq!(expand_text("[<<s, *2>>s]"), "[s, s, s]");
    assert_eq!(expand_text("<<日*3>>").chars().count(), 3);
    let repeated = expand(json!({"repeat": {"Key": "k"}, "times": 2}));
    assert_eq!(repeated, json!([{"Key": "k"}, {"Key": "k"}]));
    let mut body = json!({"A": {"B": 1, "C": 2}});
    merge(&mut body, json!({"A": {"B": 3}}));
    assert_eq!(body, json!({"A": {"B": 3, "C": 2}}));
}
