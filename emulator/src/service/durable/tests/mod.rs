//! The state directory through the service: a reopened service holds exactly the jobs a
//! service that never stopped holds, from a clean close or a crash image, and damage,
//! other settings and a directory in use are refused.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod refusals;

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Value, json};

use crate::api::{ApiError, Operation};

use super::super::{CallContext, Clock, ClockMode, Millis, Service, Settings, StateError};

const START: Millis = Millis(1_700_000_000_000);

/// A directory removed when dropped.
pub(super) struct TempDir(pub(super) PathBuf);

impl TempDir {
    pub(super) fn new() -> TempDir {
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
pub(super) fn open(dir: &Path) -> Service {
    let (service, notices) =
        Service::open(settings(Some(dir)), Clock::manual_at(Millis(5))).unwrap();
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(
        notices[0].contains("(journal_mode=wal, synchronous=FULL)"),
        "{notices:?}"
    );
    service
}

fn region(name: &str) -> CallContext {
    CallContext {
        region: Some(name.into()),
        account: None,
    }
}

pub(super) fn call(
    service: &Service,
    context: &CallContext,
    operation: Operation,
    body: Value,
) -> Result<Option<Value>, ApiError> {
    service.handle(context, operation, &body)
}

pub(super) fn create(service: &Service, context: &CallContext, name: &str, uri: &str) {
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
fn a_reopened_service_holds_the_jobs_of_one_that_never_stopped() {
    let dir = TempDir::new();
    let reference = Service::new(settings(None), Clock::manual_at(START));
    drive(&reference);
    {
        let (service, _) = Service::open(settings(Some(&dir.0)), Clock::manual_at(START)).unwrap();
        drive(&service);
        assert_eq!(everything(&service), everything(&reference));
    }
    for _ in 0..2 {
        let service = open(&dir.0);
        assert_eq!(service.clock().now(), reference.clock().now());
        assert_eq!(everything(&service), everything(&reference));
    }
    // Jobs mid-lifecycle go on as they would have.
    let service = open(&dir.0);
    for s in [&service, &reference] {
        create(
            s,
            &CallContext::default(),
            "late",
            "s3://bucket/late.tar.gz",
        );
        advance(s, 2_000);
    }
    assert_eq!(everything(&service), everything(&reference));
}

/// The database and its WAL, as a crash would leave them: copied while the service
/// that wrote them still runs, so nothing was checkpointed or closed.
fn crash_image(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for name in [DATABASE, "state.sqlite3-wal"] {
        std::fs::copy(from.join(name), to.join(name)).unwrap();
    }
}

const DATABASE: &str = "state.sqlite3";

#[test]
fn a_crash_image_with_a_torn_last_write_restores_every_committed_change() {
    let (dir, image) = (TempDir::new(), TempDir::new());
    let reference = Service::new(settings(None), Clock::manual_at(START));
    drive(&reference);
    let (service, _) = Service::open(settings(Some(&dir.0)), Clock::manual_at(START)).unwrap();
    drive(&service);
    crash_image(&dir.0, &image.0);
    // A write cut short after the last commit: part of a WAL frame that never finished.
    let wal = image.0.join("state.sqlite3-wal");
    let mut bytes = std::fs::read(&wal).unwrap();
    assert!(
        bytes.len() > 4096,
        "the changes are in the WAL, not yet checkpointed"
    );
    bytes.extend(std::iter::repeat_n(0xA5, 1500));
    std::fs::write(&wal, bytes).unwrap();
    let restored = open(&image.0);
    assert_eq!(restored.clock().now(), reference.clock().now());
    assert_eq!(everything(&restored), everything(&reference));
    // It takes new changes cleanly, and keeps them.
    create(
        &restored,
        &CallContext::default(),
        "after",
        "s3://b/m.tar.gz",
    );
    drop(restored);
    let again = open(&image.0);
    assert!(
        by_name(
            &again,
            &CallContext::default(),
            Operation::DescribeCompilationJob,
            "after"
        )
        .is_ok()
    );
}

#[test]
fn a_page_token_from_before_a_reopen_continues_the_walk_and_the_database_is_private() {
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
        #[cfg(unix)]
        for name in [DATABASE, "state.sqlite3-wal", "state.sqlite3-shm", "lock"] {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.0.join(name))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{name}");
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

#[test]
fn the_connection_runs_in_wal_mode_with_synchronous_full_and_a_reader_sees_the_jobs() {
    let dir = TempDir::new();
    // `open` holds the start notice to the journal mode and `synchronous` level read back
    // from the writer's connection.
    let service = open(&dir.0);
    create(&service, &CallContext::default(), "seen", "s3://b/m.tar.gz");
    // Another process's reader, as the sqlite3 command line would open it, while the
    // service holds the directory.
    let reader = rusqlite::Connection::open_with_flags(
        dir.0.join(DATABASE),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    let (name, request): (String, String) = reader
        .query_row("SELECT name, request FROM jobs", [], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .unwrap();
    assert_eq!(name, "seen");
    assert!(
        request.contains("\"S3Uri\":\"s3://b/m.tar.gz\""),
        "{request}"
    );
    assert!(!request.contains("UnknownMember"), "{request}");
    let mode: String = reader
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}
