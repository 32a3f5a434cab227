//! Tags in the state directory: changes by the tag operations survive a reopen, and a
//! database of schema version 1 (before the `tags` column) is migrated, its jobs
//! keeping the tags their Create gave them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use serde_json::{Value, json};

use crate::api::Operation;

use super::super::CallContext;
use super::tests::{TempDir, call, create, open};

fn arn_of(service: &super::super::Service, name: &str) -> String {
    let described = call(
        service,
        &CallContext::default(),
        Operation::DescribeCompilationJob,
        json!({ "CompilationJobName": name }),
    )
    .unwrap()
    .unwrap();
    described["CompilationJobArn"].as_str().unwrap().to_owned()
}

fn tags_of(service: &super::super::Service, arn: &str) -> Value {
    let listed = call(
        service,
        &CallContext::default(),
        Operation::ListTags,
        json!({ "ResourceArn": arn }),
    )
    .unwrap()
    .unwrap();
    listed["Tags"].clone()
}

fn tag(service: &super::super::Service, operation: Operation, body: Value) {
    call(service, &CallContext::default(), operation, body).unwrap();
}

#[test]
fn tags_added_and_deleted_survive_a_reopen() {
    let dir = TempDir::new();
    let service = open(&dir.0);
    create(
        &service,
        &CallContext::default(),
        "tagged",
        "s3://b/m.tar.gz",
    );
    let arn = arn_of(&service, "tagged");
    tag(
        &service,
        Operation::AddTags,
        json!({ "ResourceArn": arn, "Tags": [{"Key": "owner", "Value": "a"}, {"Key": "team", "Value": "cv"}] }),
    );
    tag(
        &service,
        Operation::DeleteTags,
        json!({ "ResourceArn": arn, "TagKeys": ["owner"] }),
    );
    tag(
        &service,
        Operation::TagResources,
        json!({ "ResourceARNList": [arn], "Tags": {"env": "ci"} }),
    );
    let before = tags_of(&service, &arn);
    assert_eq!(
        before,
        json!([{"Key": "team", "Value": "cv"}, {"Key": "env", "Value": "ci"}])
    );
    drop(service);
    let reopened = open(&dir.0);
    assert_eq!(tags_of(&reopened, &arn), before);
}

/// Turns a version-2 database back into the version-1 form: no `tags` column.
fn downgrade_to_version_1(dir: &Path) {
    let connection = rusqlite::Connection::open(dir.join("state.sqlite3")).unwrap();
    connection
        .execute_batch("ALTER TABLE jobs DROP COLUMN tags; PRAGMA user_version = 1;")
        .unwrap();
}

#[test]
fn a_version_1_database_is_migrated_and_keeps_the_tags_of_its_requests() {
    let dir = TempDir::new();
    let service = open(&dir.0);
    create(&service, &CallContext::default(), "old", "s3://b/m.tar.gz");
    let arn = arn_of(&service, "old");
    drop(service);
    downgrade_to_version_1(&dir.0);

    let migrated = open(&dir.0);
    assert_eq!(
        tags_of(&migrated, &arn),
        json!([{"Key": "team", "Value": "ml"}])
    );
    tag(
        &migrated,
        Operation::AddTags,
        json!({ "ResourceArn": arn, "Tags": [{"Key": "team", "Value": "cv"}] }),
    );
    drop(migrated);
    let version: i64 = rusqlite::Connection::open(dir.0.join("state.sqlite3"))
        .unwrap()
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .unwrap();
    assert_eq!(version, 2);
    let reopened = open(&dir.0);
    assert_eq!(
        tags_of(&reopened, &arn),
        json!([{"Key": "team", "Value": "cv"}])
    );
}
