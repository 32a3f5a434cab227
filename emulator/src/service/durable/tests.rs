//! The state directory through the service: a reopened service holds exactly the jobs a
//! service that never stopped holds, across compactions, resets, torn tails and refusals.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Value, json};

use crate::api::{ApiError, Operation};

use super::super::{CallContext, Clock, ClockMode, Millis, Service, Settings, StateError};

const START: Millis = Millis(1_700_000_000_000);

/// A directory removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        let dir = std::env::temp_dir().join(format!("cjh-state-{}", uuid::Uuid::new_v4()));
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn settings(dir: Option<&Path>) -> Settings {
    Settings {
        clock: ClockMode::Manual,
        state_dir: dir.map(Path::to_owned),
        ..Settings::default()
    }
}

/// Opens the directory with a manual clock that would start elsewhere if not restored.
fn open(dir: &Path) -> Service {
    let (service, notices) =
        Service::open(settings(Some(dir)), Clock::manual_at(Millis(5))).unwrap();
    assert!(notices.is_empty(), "{notices:?}");
    service
}

fn region(name: &str) -> CallContext {
    CallContext {
        region: Some(name.into()),
        account: None,
    }
}

fn call(
    service: &Service,
    context: &CallContext,
    operation: Operation,
    body: Value,
) -> Result<Option<Value>, ApiError> {
    service.handle(context, operation, &body)
}

fn create(service: &Service, context: &CallContext, name: &str, uri: &str) {
    let body = json!({
        "CompilationJobName": name,
        "RoleArn": "arn:aws:iam::123456789012:role/service-role/Role",
        "InputConfig": { "S3Uri": uri, "Framework": "PYTORCH", "FrameworkVersion": "2.0",
                         "DataInputConfig": "{\"input0\": [1, 3, 224, 224]}" },
        "OutputConfig": { "S3OutputLocation": "s3://bucket/out/", "TargetDevice": "ml_c5" },
        "StoppingCondition": { "MaxRuntimeInSeconds": 900 },
        "Tags": [{ "Key": "team", "Value": "ml" }],
        "UnknownMember": "x".repeat(1000),
    });
    call(service, context, Operation::CreateCompilationJob, body).unwrap();
}

fn by_name(
    service: &Service,
    context: &CallContext,
    operation: Operation,
    name: &str,
) -> Result<Option<Value>, ApiError> {
    call(
        service,
        context,
        operation,
        json!({ "CompilationJobName": name }),
    )
}

fn advance(service: &Service, millis: u64) {
    service
        .advance_clock(Duration::from_millis(millis))
        .unwrap();
}

/// Every job as List walks it (all pages) and as Describe shows it, in two regions.
fn everything(service: &Service) -> Vec<Value> {
    let mut out = Vec::new();
    for context in [CallContext::default(), region("eu-west-1")] {
        let mut token: Option<String> = None;
        loop {
            let mut body = json!({ "SortBy": "Name", "MaxResults": 7 });
            if let Some(token) = &token {
                body["NextToken"] = json!(token);
            }
            let page = call(service, &context, Operation::ListCompilationJobs, body)
                .unwrap()
                .unwrap();
            for summary in page["CompilationJobSummaries"].as_array().unwrap() {
                out.push(summary.clone());
                let name = summary["CompilationJobName"].as_str().unwrap();
                out.push(
                    by_name(service, &context, Operation::DescribeCompilationJob, name)
                        .unwrap()
                        .unwrap(),
                );
            }
            match page.get("NextToken").and_then(Value::as_str) {
                Some(next) => token = Some(next.to_owned()),
                None => break,
            }
        }
    }
    out
}

/// Creates, stops, deletes and clock moves, in two regions, with every kind of outcome.
fn drive(service: &Service) {
    let eu = region("eu-west-1");
    for i in 0..30 {
        let uri = if i % 4 == 3 {
            "s3://bucket/model.zip"
        } else {
            "s3://bucket/model.tar.gz"
        };
        create(
            service,
            &CallContext::default(),
            &format!("Job-{i:02}"),
            uri,
        );
        if i % 5 == 0 {
            create(service, &eu, &format!("eu-{i}"), uri);
        }
        advance(service, 317);
        // Jobs 2 and 16 are STARTING when stopped, 5 and 19 INPROGRESS.
        let stop = match i {
            2 => Some(2),
            9 => Some(5),
            16 => Some(16),
            23 => Some(19),
            _ => None,
        };
        if let Some(job) = stop {
            let name = format!("job-{job:02}");
            by_name(
                service,
                &CallContext::default(),
                Operation::StopCompilationJob,
                &name,
            )
            .unwrap();
        }
    }
    by_name(service, &eu, Operation::StopCompilationJob, "eu-25").unwrap();
    advance(service, 10_000);
    for name in ["Job-00", "job-03", "JOB-09"] {
        by_name(
            service,
            &CallContext::default(),
            Operation::DeleteCompilationJob,
            name,
        )
        .unwrap();
    }
    // A deleted name is free again.
    create(
        service,
        &CallContext::default(),
        "job-03",
        "s3://bucket/again.tar.gz",
    );
    advance(service, 1_500);
}

#[test]
fn a_reopened_service_holds_the_jobs_of_one_that_never_stopped_across_compactions() {
    let dir = TempDir::new();
    let reference = Service::new(settings(None), Clock::manual_at(START));
    drive(&reference);
    {
        let (service, _) = Service::open(settings(Some(&dir.0)), Clock::manual_at(START)).unwrap();
        service.set_compact_floor(4096);
        drive(&service);
        assert_eq!(everything(&service), everything(&reference));
    }
    let journals: Vec<_> = std::fs::read_dir(&dir.0)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("journal-"))
        .collect();
    assert_eq!(journals.len(), 1, "{journals:?}");
    assert_ne!(journals[0], "journal-0", "the journal was compacted");
    for _ in 0..2 {
        let service = open(&dir.0);
        assert_eq!(service.clock().now(), reference.clock().now());
        assert_eq!(everything(&service), everything(&reference));
    }
    // Jobs mid-lifecycle go on as they would have.
    let service = open(&dir.0);
    create(
        &service,
        &CallContext::default(),
        "late",
        "s3://bucket/late.tar.gz",
    );
    create(
        &reference,
        &CallContext::default(),
        "late",
        "s3://bucket/late.tar.gz",
    );
    advance(&service, 2_000);
    advance(&reference, 2_000);
    assert_eq!(everything(&service), everything(&reference));
}

#[test]
fn a_page_token_from_before_a_reopen_continues_the_walk_and_the_key_file_is_private() {
    let dir = TempDir::new();
    let first_page = |service: &Service| {
        call(
            service,
            &CallContext::default(),
            Operation::ListCompilationJobs,
            json!({ "MaxResults": 2 }),
        )
        .unwrap()
        .unwrap()
    };
    let token = {
        let service = open(&dir.0);
        for i in 0..5 {
            create(
                &service,
                &CallContext::default(),
                &format!("j{i}"),
                "s3://b/m.tar.gz",
            );
            advance(&service, 1);
        }
        first_page(&service)["NextToken"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let service = open(&dir.0);
    let next = call(
        &service,
        &CallContext::default(),
        Operation::ListCompilationJobs,
        json!({ "MaxResults": 2, "NextToken": token }),
    )
    .unwrap()
    .unwrap();
    let names: Vec<_> = next["CompilationJobSummaries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["CompilationJobName"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["j2", "j3"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.0.join("token-key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn reset_forgets_the_jobs_on_disk_but_keeps_the_clock() {
    let dir = TempDir::new();
    let now = {
        let service = open(&dir.0);
        create(&service, &CallContext::default(), "gone", "s3://b/m.tar.gz");
        advance(&service, 2_500);
        service.try_reset().unwrap();
        create(&service, &CallContext::default(), "kept", "s3://b/m.tar.gz");
        service.clock().now()
    };
    let service = open(&dir.0);
    assert_eq!(service.clock().now(), now);
    let page = call(
        &service,
        &CallContext::default(),
        Operation::ListCompilationJobs,
        json!({}),
    )
    .unwrap()
    .unwrap();
    assert_eq!(page["CompilationJobSummaries"].as_array().unwrap().len(), 1);
    assert_eq!(
        page["CompilationJobSummaries"][0]["CompilationJobName"],
        "kept"
    );
}

fn journal_of(dir: &Path) -> PathBuf {
    dir.join("journal-0")
}

#[test]
fn a_torn_last_record_is_dropped_and_reported_and_the_records_before_it_restored() {
    let dir = TempDir::new();
    {
        let service = open(&dir.0);
        for name in ["a", "b", "c"] {
            create(&service, &CallContext::default(), name, "s3://b/m.tar.gz");
        }
    }
    let journal = journal_of(&dir.0);
    let whole = std::fs::metadata(&journal).unwrap().len();
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(&journal)
        .unwrap();
    file.set_len(whole - 5).unwrap();
    drop(file);
    let (service, notices) =
        Service::open(settings(Some(&dir.0)), Clock::manual_at(START)).unwrap();
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(
        notices[0].contains("torn record") && notices[0].contains("journal-0"),
        "{}",
        notices[0]
    );
    let names = |service: &Service| {
        let page = call(
            service,
            &CallContext::default(),
            Operation::ListCompilationJobs,
            json!({}),
        )
        .unwrap()
        .unwrap();
        page["CompilationJobSummaries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["CompilationJobName"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&service), ["a", "b"]);
    // The journal was cut back to its last good record, so it takes new records cleanly.
    create(&service, &CallContext::default(), "d", "s3://b/m.tar.gz");
    drop(service);
    assert_eq!(names(&open(&dir.0)), ["a", "b", "d"]);
}

#[test]
fn a_damaged_middle_record_refuses_to_open_naming_the_file_and_offset() {
    let dir = TempDir::new();
    {
        let service = open(&dir.0);
        for name in ["a", "b", "c"] {
            create(&service, &CallContext::default(), name, "s3://b/m.tar.gz");
        }
    }
    let journal = journal_of(&dir.0);
    let mut bytes = std::fs::read(&journal).unwrap();
    let at = bytes.windows(5).position(|w| w == b"\"op\":").unwrap() + 40;
    bytes[at] ^= 0x20;
    std::fs::write(&journal, bytes).unwrap();
    let error = Service::open(settings(Some(&dir.0)), Clock::manual_at(START)).unwrap_err();
    let text = error.to_string();
    assert!(matches!(error, StateError::Damaged { .. }), "{text}");
    assert!(
        text.contains("journal-0") && text.contains("corrupt record at byte"),
        "{text}"
    );
    assert!(text.contains("refusing to start"), "{text}");
}

#[test]
fn other_lifecycle_settings_are_refused_naming_the_setting() {
    let dir = TempDir::new();
    drop(open(&dir.0));
    let changed = Settings {
        compiling_secs: 5.0,
        ..settings(Some(&dir.0))
    };
    let error = Service::open(changed, Clock::manual_at(START)).unwrap_err();
    assert!(
        matches!(
            error,
            StateError::SettingChanged {
                name: "compiling_secs",
                ..
            }
        ),
        "{error}"
    );
    let system = Settings {
        clock: ClockMode::System,
        ..settings(Some(&dir.0))
    };
    let error = Service::open(system, Clock::new(ClockMode::System)).unwrap_err();
    assert!(error.to_string().contains("clock = \"manual\""), "{error}");
}

#[test]
fn a_directory_in_use_is_refused_and_a_service_that_cannot_open_it_answers_nothing() {
    let dir = TempDir::new();
    let _holder = open(&dir.0);
    let error = Service::open(settings(Some(&dir.0)), Clock::manual_at(START)).unwrap_err();
    assert!(matches!(error, StateError::Locked { .. }), "{error}");
    let unavailable = Service::open_or_unavailable(settings(Some(&dir.0)), Clock::manual_at(START));
    let refused = call(
        &unavailable,
        &CallContext::default(),
        Operation::ListCompilationJobs,
        json!({}),
    )
    .unwrap_err();
    assert_eq!(refused.code, crate::api::ErrorCode::InternalFailure);
    assert!(
        refused.message.contains("in use by another cjh process"),
        "{}",
        refused.message
    );
    assert!(unavailable.state_error().is_some());
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

#[test]
fn a_crash_in_the_middle_of_a_compaction_loses_nothing_and_a_missing_journal_is_damage() {
    let (dir, copy) = (TempDir::new(), TempDir::new());
    let reference = Service::new(settings(None), Clock::manual_at(START));
    {
        let (service, _) = Service::open(settings(Some(&dir.0)), Clock::manual_at(START)).unwrap();
        service.set_compact_floor(2048);
        let held = service.durable().unwrap().hold_snapshots();
        for i in 0..12 {
            for s in [&service, &reference] {
                create(
                    s,
                    &CallContext::default(),
                    &format!("m{i}"),
                    "s3://b/m.tar.gz",
                );
                advance(s, 700);
            }
        }
        by_name(
            &service,
            &CallContext::default(),
            Operation::StopCompilationJob,
            "m11",
        )
        .unwrap();
        by_name(
            &reference,
            &CallContext::default(),
            Operation::StopCompilationJob,
            "m11",
        )
        .unwrap();
        // The new journal is started; the fold waits: the crash image has both journals.
        copy_dir(&dir.0, &copy.0);
        drop(held);
    }
    assert!(copy.0.join("journal-0").exists() && copy.0.join("journal-1").exists());
    assert_eq!(everything(&open(&copy.0)), everything(&reference));
    assert_eq!(everything(&open(&dir.0)), everything(&reference));
    assert!(
        !dir.0.join("journal-0").exists(),
        "folded away once the compaction ran"
    );

    std::fs::remove_file(copy.0.join("journal-0")).unwrap();
    let error = Service::open(settings(Some(&copy.0)), Clock::manual_at(START)).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("journal-0, which comes before it, is missing"),
        "{error}"
    );
}
