//! What makes one snapshot hold on every target: times named by job and member, time
//! facts checked where the scenario depends on them, fixtures a real clock can make,
//! scenarios that assume a virtual clock reported as not applicable elsewhere, and
//! clean-up that leaves a shared target as it found it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use cjh::runner::{Reach, judge, run, sweep};
use cjh::scenario::{Profile, Scenario, parse};
use cjh::targets::TargetSpec;
use cjh_emulator::Emulator;
use serde_json::{Value, json};

/// A scenario file from the keys and tables that matter to a test, under the header they
/// all share.
fn full(body: &str) -> String {
    format!(
        "format = 1\ndescription = \"A scenario of this test.\"\nevidence = {{ level = \"documented\", source = \"this test\" }}\n{body}"
    )
}

fn scenario(body: &str) -> Scenario {
    Scenario {
        id: "data/inline".to_owned(),
        path: "inline.toml".into(),
        file: parse("inline.toml", &full(body)).unwrap(),
    }
}

/// Runs a scenario on a fresh in-process emulator.
async fn in_process(body: &str) -> cjh::runner::Verdict {
    judge(
        &scenario(body),
        &TargetSpec::parse("emulator").unwrap(),
        &Profile::default(),
    )
    .await
}

/// Creates a job by its name straight on the emulator, as another client would.
fn create(emulator: &Emulator, name: &str) {
    let profile = Profile::default();
    let body = json!({
        "CompilationJobName": name,
        "RoleArn": profile.role,
        "InputConfig": { "S3Uri": profile.model, "DataInputConfig": "{}", "Framework": "XGBOOST" },
        "OutputConfig": { "S3OutputLocation": profile.output, "TargetDevice": "ml_c5" },
        "StoppingCondition": { "MaxRuntimeInSeconds": 900 },
    });
    assert_eq!(emulator.call("CreateCompilationJob", &body).status, 200);
}

/// A real-clock server with short lifecycles, so stops settle within a second or two.
async fn server() -> (Emulator, String) {
    let emulator = Emulator::builder()
        .starting_secs(30.0)
        .stopping_secs(0.5)
        .build();
    let url = emulator.start().await.unwrap();
    (emulator, url)
}

fn job_names(emulator: &Emulator) -> Vec<String> {
    let reply = emulator.call("ListCompilationJobs", &json!({ "MaxResults": 100 }));
    reply.body["CompilationJobSummaries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["CompilationJobName"].as_str().unwrap().to_owned())
        .collect()
}

const FIVE_JOBS: &str = r#"
subject = "paging"
distinct_times = ["LastModifiedTime"]

[[fixture]]
name = "alpha"
status = "STARTING"

[[fixture]]
name = "beta"
status = "STARTING"

[[fixture]]
name = "gamma"
status = "STARTING"

[[step]]
paginate = "ListCompilationJobs"
request = { SortBy = "CreationTime", SortOrder = "Ascending", NameContains = "${prefix}", CreationTimeAfter = "${alpha.CreationTime-0.001}" }
expect.names = ["alpha", "beta", "gamma"]
expect.times = ["CompilationJobSummaries.0.CreationTime < CompilationJobSummaries.1.CreationTime", "CompilationJobSummaries.1.LastModifiedTime < CompilationJobSummaries.2.LastModifiedTime"]
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn snapshots_name_times_by_job_and_member_and_requests_by_their_reference() {
    let verdict = in_process(FIVE_JOBS).await;
    assert!(verdict.failures.is_empty(), "{:?}", verdict.failures);
    let snapshot: Value = serde_json::from_str(&verdict.snapshot).unwrap();
    let page = &snapshot["steps"][0];
    assert_eq!(
        page["request"]["CreationTimeAfter"],
        "<alpha.CreationTime-0.001>"
    );
    let second = &page["response"]["CompilationJobSummaries"][1];
    assert_eq!(second["CreationTime"], "<beta.CreationTime>");
    assert_eq!(second["LastModifiedTime"], "<beta.LastModifiedTime>");
    assert!(!verdict.snapshot.contains("<time"), "{}", verdict.snapshot);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fixtures_on_a_real_clock_get_rising_times_where_the_scenario_needs_them() {
    let (_emulator, url) = server().await;
    let on_http = judge(
        &scenario(FIVE_JOBS),
        &TargetSpec::parse(&url).unwrap(),
        &Profile::default(),
    )
    .await;
    assert_eq!(on_http.reach, Reach::Steps);
    assert!(on_http.failures.is_empty(), "{:?}", on_http.failures);
    let on_virtual_clock = in_process(FIVE_JOBS).await;
    assert_eq!(on_http.snapshot, on_virtual_clock.snapshot);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_time_fact_that_does_not_hold_fails_its_step_with_both_times() {
    let text = r#"
subject = "paging"

[[fixture]]
name = "alpha"
status = "STARTING"

[[step]]
call = "DescribeCompilationJob"
request = { CompilationJobName = "${alpha}" }
expect.times = ["CreationTime < ${alpha.CreationTime}"]
"#;
    let verdict = in_process(text).await;
    assert_eq!(verdict.failures.len(), 1, "{:?}", verdict.failures);
    assert_eq!(verdict.failures[0].step, Some(1));
    assert!(
        verdict.failures[0]
            .message
            .starts_with("times: expected CreationTime < ${alpha.CreationTime}, got "),
        "{}",
        verdict.failures[0].message
    );
}

#[test]
fn sharing_a_creation_time_without_assuming_a_virtual_clock_is_refused() {
    let text = r#"
subject = "paging"

[[fixture]]
name = "alpha"
status = "STARTING"

[[fixture]]
name = "beta"
status = "STARTING"
same_time_as_previous = true

[[step]]
call = "ListCompilationJobs"
"#;
    let error = parse("ties.toml", &full(text)).unwrap_err().to_string();
    assert!(error.contains("assumes.virtual_clock"), "{error}");
    let declared = text.replace(
        "[[fixture]]\nname = \"alpha\"",
        "assumes = { virtual_clock = \"alpha and beta share a millisecond\" }\n\n[[fixture]]\nname = \"alpha\"",
    );
    assert!(parse("ties.toml", &full(&declared)).is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scenario_assuming_a_virtual_clock_is_not_applicable_on_a_real_clock() {
    let text = r#"
subject = "paging"
assumes = { virtual_clock = "alpha and beta share a millisecond" }

[[fixture]]
name = "alpha"
status = "STARTING"

[[fixture]]
name = "beta"
status = "STARTING"
same_time_as_previous = true

[[step]]
call = "ListCompilationJobs"
"#;
    let (emulator, url) = server().await;
    let verdict = judge(
        &scenario(text),
        &TargetSpec::parse(&url).unwrap(),
        &Profile::default(),
    )
    .await;
    assert_eq!(
        verdict.reach,
        Reach::NotApplicable("assumes a virtual clock: alpha and beta share a millisecond".into())
    );
    assert!(!verdict.passed());
    assert!(verdict.failures.is_empty() && verdict.snapshot_diff.is_none());
    assert!(job_names(&emulator).is_empty(), "nothing was sent");
}

const STOPPED_JOB: &str = r#"
subject = "paging"

[[fixture]]
name = "alpha"
status = "STOPPING"

[[step]]
call = "CreateCompilationJob"
request = { CompilationJobName = "${prefix}-made-by-a-step", RoleArn = "${profile.role}", InputConfig = { S3Uri = "${profile.model}", DataInputConfig = "{}", Framework = "XGBOOST" }, OutputConfig = { S3OutputLocation = "${profile.output}", TargetDevice = "ml_c5" }, StoppingCondition = { MaxRuntimeInSeconds = 900 } }

[[step]]
call = "StopCompilationJob"
request = { CompilationJobName = "${prefix}-made-by-a-step" }
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clean_up_waits_for_stopping_jobs_and_leaves_the_shared_target_empty() {
    let (emulator, url) = server().await;
    let target = TargetSpec::parse(&url).unwrap().open().unwrap();
    let outcome = run(
        &scenario(STOPPED_JOB),
        target.as_ref(),
        &Profile::default(),
        "cjhclean",
    )
    .await;
    assert!(outcome.failures.is_empty(), "{:?}", outcome.failures);
    assert!(outcome.left_behind.is_empty(), "{:?}", outcome.left_behind);
    assert_eq!(job_names(&emulator), Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_that_never_settles_is_named_as_left_behind() {
    // Stopping takes a minute here and the profile allows one second.
    let emulator = Emulator::builder().stopping_secs(60.0).build();
    let url = emulator.start().await.unwrap();
    let target = TargetSpec::parse(&url).unwrap().open().unwrap();
    let profile = Profile {
        wait_timeout_secs: 1,
        ..Profile::default()
    };
    let outcome = run(&scenario(STOPPED_JOB), target.as_ref(), &profile, "cjhslow").await;
    assert_eq!(outcome.left_behind.len(), 2, "{:?}", outcome.left_behind);
    assert!(
        outcome.left_behind[0].starts_with("cjhslow-alpha (still STOPPING after 1 s)"),
        "{:?}",
        outcome.left_behind
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sweep_removes_the_jobs_of_a_prefix_and_no_other() {
    let (emulator, url) = server().await;
    let target = TargetSpec::parse(&url).unwrap().open().unwrap();
    for name in ["cjhold-a", "cjhold-b", "someone-else"] {
        create(&emulator, name);
    }
    let swept = sweep(target.as_ref(), "cjhold", Duration::from_secs(30))
        .await
        .unwrap();
    assert_eq!(swept.removed, ["cjhold-a", "cjhold-b"]);
    assert!(swept.left_behind.is_empty());
    assert_eq!(job_names(&emulator), ["someone-else"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scenario_assuming_its_own_account_waits_for_no_one_and_is_blocked_when_the_account_holds_jobs()
 {
    let text = r#"
subject = "paging"
assumes = { own_account = "pages are counted exactly" }

[[fixture]]
name = "alpha"
status = "STARTING"

[[step]]
paginate = "ListCompilationJobs"
expect.names = ["alpha"]
"#;
    let (emulator, url) = server().await;
    let spec = TargetSpec::parse(&url).unwrap();
    let alone = judge(&scenario(text), &spec, &Profile::default()).await;
    assert!(
        alone.passed() || alone.failures.is_empty(),
        "{:?}",
        alone.failures
    );
    assert_eq!(alone.reach, Reach::Steps);
    create(&emulator, "someone-else");
    let crowded = judge(&scenario(text), &spec, &Profile::default()).await;
    assert_eq!(crowded.reach, Reach::Fixtures);
    assert_eq!(
        crowded.failures[0].message,
        "assumes an account to itself (pages are counted exactly), but it holds 1 jobs (first: someone-else)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scenario_whose_subject_is_not_the_status_leaves_statuses_out_of_its_snapshot() {
    let text = r#"
subject = "sort"

[[fixture]]
name = "alpha"
status = "ANY"

[[step]]
paginate = "ListCompilationJobs"
request = { NameContains = "${prefix}" }
expect.names = ["alpha"]
"#;
    let verdict = in_process(text).await;
    assert!(verdict.failures.is_empty(), "{:?}", verdict.failures);
    let snapshot: Value = serde_json::from_str(&verdict.snapshot).unwrap();
    assert_eq!(snapshot["fixtures"], json!([{ "name": "alpha" }]));
    let summary = &snapshot["steps"][0]["response"]["CompilationJobSummaries"][0];
    assert_eq!(summary["CompilationJobStatus"], "<status>");
    // The same scenario filtering by status shows them, but for a job asked for in any
    // status.
    let by_status = text
        .replace(
            "request = { NameContains = \"${prefix}\" }",
            "request = { NameContains = \"${prefix}\", StatusEquals = \"STARTING\" }",
        )
        .replace("status = \"ANY\"", "status = \"STARTING\"");
    let verdict = in_process(&by_status).await;
    let snapshot: Value = serde_json::from_str(&verdict.snapshot).unwrap();
    assert_eq!(
        snapshot["fixtures"],
        json!([{ "name": "alpha", "status": "STARTING" }])
    );
}
