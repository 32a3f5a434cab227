#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `cjh serve --state-dir`: what was acknowledged survives kill -9, restarts keep jobs,
//! times, ARNs, the manual clock and page tokens, a torn write after the last commit
//! loses nothing, a damaged database stops the server from starting, and a full disk
//! is answered 500 without losing anything acknowledged; tags changed by either tag API
//! survive too.

mod state_dir;

use std::collections::{BTreeMap, BTreeSet};
use std::process::ExitStatus;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use state_dir::{Server, TempDir, command, create_body, post, start};

/// What the client knows of one create in the burst.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    /// The connection was refused: the server never saw it.
    NotSent,
    /// Sent, but no answer came: it may or may not have been written.
    Unanswered,
    /// Answered 200 with this ARN, and described with this CreationTime when the
    /// server lived long enough.
    Acknowledged(String, Option<Value>),
}

const TASKS: usize = 8;
const PER_TASK: usize = 100;

/// Runs the burst of creates, kills the server once `kill_after` are acknowledged, and
/// returns what each create's client saw.
fn burst_and_kill(server: Server, kill_after: usize) -> BTreeMap<String, Outcome> {
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let addr = server.addr.clone();
    let tasks: Vec<_> = (0..TASKS)
        .map(|task| {
            let (addr, acknowledged) = (addr.clone(), Arc::clone(&acknowledged));
            std::thread::spawn(move || {
                let mut seen = Vec::new();
                for i in 0..PER_TASK {
                    let name = format!("burst-{task}-{i:03}");
                    let target = Some("SageMaker.CreateCompilationJob");
                    let outcome = match post(&addr, "/", target, &create_body(&name).to_string()) {
                        Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                            Outcome::NotSent
                        }
                        Err(_) => Outcome::Unanswered,
                        Ok((200, answer)) => {
                            acknowledged.fetch_add(1, Ordering::SeqCst);
                            let arn = answer["CompilationJobArn"].as_str().unwrap().to_owned();
                            let body = json!({ "CompilationJobName": name }).to_string();
                            let described =
                                post(&addr, "/", Some("SageMaker.DescribeCompilationJob"), &body);
                            let time = described.ok().map(|(_, d)| d["CreationTime"].clone());
                            Outcome::Acknowledged(arn, time)
                        }
                        Ok((status, answer)) => panic!("{name}: {status} {answer}"),
                    };
                    seen.push((name, outcome));
                }
                seen
            })
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(60);
    while acknowledged.load(Ordering::SeqCst) < kill_after {
        assert!(Instant::now() < deadline, "the burst did not get going");
        std::thread::sleep(Duration::from_micros(200));
    }
    server.kill();
    tasks.into_iter().flat_map(|t| t.join().unwrap()).collect()
}

#[test]
fn every_acknowledged_create_survives_kill_9_in_the_middle_of_a_burst() {
    let dir = TempDir::new();
    let outcomes = burst_and_kill(start(&dir.0, &[]), 200);
    let acknowledged: BTreeMap<_, _> = outcomes
        .iter()
        .filter_map(|(name, o)| match o {
            Outcome::Acknowledged(arn, time) => Some((name.clone(), (arn.clone(), time.clone()))),
            _ => None,
        })
        .collect();
    assert!(acknowledged.len() >= 200);
    assert!(
        acknowledged.len() < TASKS * PER_TASK,
        "the kill came after the burst"
    );
    for round in 0..2 {
        let server = start(&dir.0, &[]);
        let stderr = server.stderr_with("jobs restored");
        assert!(
            stderr.contains("(journal_mode=wal, synchronous=FULL)"),
            "{stderr}"
        );
        for (name, (arn, time)) in &acknowledged {
            let job = server.describe(name);
            assert_eq!(&job["CompilationJobArn"], arn, "{name}");
            if let Some(time) = time {
                assert_eq!(&job["CreationTime"], time, "{name}");
            }
        }
        let listed = server.walk();
        let sent: BTreeSet<_> = outcomes
            .iter()
            .filter(|(_, o)| **o != Outcome::NotSent)
            .map(|(name, _)| name.clone())
            .collect();
        for (name, summary) in &listed {
            // Present only if sent, and then whole: Describe agrees with List.
            assert!(sent.contains(name), "{name} was never sent");
            let job = server.describe(name);
            // (The status moves on with the system clock between the two.)
            for key in ["CompilationJobArn", "CreationTime"] {
                assert_eq!(job[key], summary[key], "{name} {key}");
            }
        }
        for name in acknowledged.keys() {
            assert!(listed.contains_key(name), "{name} missing from the walk");
        }
        if round == 0 {
            let unanswered = outcomes
                .iter()
                .filter(|(_, o)| **o == Outcome::Unanswered)
                .count();
            let written_unanswered = listed.len() - acknowledged.len();
            eprintln!(
                "{} acknowledged, {unanswered} unanswered of which {written_unanswered} were written before the kill",
                acknowledged.len()
            );
        }
        server.kill();
    }
}

#[test]
fn stops_deletes_the_manual_clock_and_a_page_token_survive_two_kills() {
    let dir = TempDir::new();
    let args = ["--clock", "manual"];
    let server = start(&dir.0, &args);
    let names = ["a", "b", "c", "d", "e", "f"];
    for name in names {
        server.ok("CreateCompilationJob", &create_body(name));
        server.control("/_cjh/clock/advance", &json!({ "seconds": 0.25 }));
    }
    server.control("/_cjh/clock/advance", &json!({ "seconds": 1.5 }));
    server.ok("StopCompilationJob", &json!({ "CompilationJobName": "b" }));
    let now = server.control("/_cjh/clock/advance", &json!({ "seconds": 10 }))["now"].clone();
    server.ok(
        "DeleteCompilationJob",
        &json!({ "CompilationJobName": "c" }),
    );
    let first = server.ok("ListCompilationJobs", &json!({ "MaxResults": 2 }));
    let token = first["NextToken"].clone();
    let before = server.walk();
    assert_eq!(before["b"]["CompilationJobStatus"], "STOPPED");
    assert_eq!(before["a"]["CompilationJobStatus"], "COMPLETED");
    let described: Vec<_> = before.keys().map(|name| server.describe(name)).collect();
    server.kill();

    for _ in 0..2 {
        let server = start(&dir.0, &args);
        assert_eq!(
            server.control("/_cjh/clock/advance", &json!({ "seconds": 0 }))["now"],
            now
        );
        assert_eq!(server.walk(), before);
        let again: Vec<_> = before.keys().map(|name| server.describe(name)).collect();
        assert_eq!(again, described);
        let (status, _) = server.call(
            "DescribeCompilationJob",
            &json!({ "CompilationJobName": "c" }),
        );
        assert_eq!(status, 400, "the deleted job stays deleted");
        let next = server.ok(
            "ListCompilationJobs",
            &json!({ "MaxResults": 2, "NextToken": token }),
        );
        let page: Vec<_> = next["CompilationJobSummaries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["CompilationJobName"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(page, ["d", "e"]);
        server.kill();
    }
}

#[test]
fn a_reset_through_the_control_endpoint_empties_the_state_directory() {
    let dir = TempDir::new();
    let server = start(&dir.0, &[]);
    server.ok("CreateCompilationJob", &create_body("before-reset"));
    server.control("/_cjh/reset", &json!({}));
    server.ok("CreateCompilationJob", &create_body("after-reset"));
    server.kill();
    let server = start(&dir.0, &[]);
    let names: Vec<_> = server.walk().into_keys().collect();
    assert_eq!(names, ["after-reset"]);
}

fn three_jobs(dir: &TempDir) {
    let server = start(&dir.0, &[]);
    for name in ["one", "two", "three"] {
        server.ok("CreateCompilationJob", &create_body(name));
    }
    server.kill();
}

#[test]
fn a_torn_write_after_the_last_commit_loses_nothing() {
    let dir = TempDir::new();
    three_jobs(&dir);
    // Killed, so the commits are still in the WAL; garbage after its last frame is what a
    // write cut short by a crash can leave.
    let wal = dir.0.join("state.sqlite3-wal");
    let mut torn = std::fs::read(&wal).unwrap();
    assert!(!torn.is_empty(), "the kill left the commits in the WAL");
    torn.extend(std::iter::repeat_n(0x5A, 3000));
    std::fs::write(&wal, &torn).unwrap();
    let server = start(&dir.0, &[]);
    let names: Vec<_> = server.walk().into_keys().collect();
    assert_eq!(names, ["one", "three", "two"]);
    server.ok("CreateCompilationJob", &create_body("four"));
    server.kill();
    let server = start(&dir.0, &[]);
    assert_eq!(server.walk().len(), 4);
}

#[test]
fn a_damaged_database_stops_the_server_from_starting_naming_the_file() {
    let dir = TempDir::new();
    three_jobs(&dir);
    // Moves the WAL into the database file, as a clean close would.
    let connection = rusqlite::Connection::open(dir.database()).unwrap();
    connection
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    drop(connection);
    let mut bytes = std::fs::read(dir.database()).unwrap();
    let job = bytes
        .windows(22)
        .position(|w| w == br#"{"CompilationJobName":"#)
        .unwrap();
    let page = job / 4096 * 4096;
    bytes[page..page + 12].fill(0xEE);
    std::fs::write(dir.database(), bytes).unwrap();
    let output = command(&dir.0, &[]).output().unwrap();
    let status: ExitStatus = output.status;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(output.stdout.is_empty(), "it must not report ready");
    assert!(
        stderr.contains("state.sqlite3") && stderr.contains("damaged"),
        "{stderr}"
    );
    assert!(stderr.contains("refusing to start"), "{stderr}");
}

#[tokio::test]
async fn the_in_process_emulator_keeps_its_jobs_too_and_refuses_a_directory_in_use() {
    let dir = TempDir::new();
    let build = || {
        cjh_emulator::Emulator::builder()
            .clock(cjh_emulator::ClockMode::Manual)
            .state_dir(Some(dir.0.clone()))
    };
    let first = build().try_build().unwrap();
    let created = first.call("CreateCompilationJob", &create_body("in-process"));
    assert_eq!(created.status, 200, "{:?}", created.body);
    first.advance_clock(Duration::from_secs(2)).unwrap();
    let before = first.call(
        "DescribeCompilationJob",
        &json!({ "CompilationJobName": "in-process" }),
    );

    // While `first` holds the directory, a second emulator on it refuses everything.
    assert!(build().try_build().is_err());
    let second = build().build();
    assert!(matches!(
        second.start().await,
        Err(cjh_emulator::StartError::State(_))
    ));
    let refused = second.call("ListCompilationJobs", &json!({}));
    assert_eq!(refused.status, 500);
    assert_eq!(refused.error_code(), Some("InternalFailure"));
    // The library prints nothing: the problem comes back to the program to show.
    assert!(
        matches!(second.notices(), [problem] if problem.contains("in use by another cjh process")),
        "{:?}",
        second.notices()
    );
    assert!(
        matches!(first.notices(), [restored] if restored.contains("0 jobs restored")),
        "{:?}",
        first.notices()
    );
    drop((first, second));

    let again = build().try_build().unwrap();
    let after = again.call(
        "DescribeCompilationJob",
        &json!({ "CompilationJobName": "in-process" }),
    );
    assert_eq!(after.body, before.body);
    assert_eq!(after.body["CompilationJobStatus"], "INPROGRESS");
}

#[test]
fn tags_changed_through_both_apis_survive_kill_9() {
    let dir = TempDir::new();
    let server = start(&dir.0, &["--clock", "manual"]);
    let mut body = create_body("tagged");
    body["Tags"] = json!([{ "Key": "team", "Value": "ml" }]);
    let arn = server.ok("CreateCompilationJob", &body)["CompilationJobArn"].clone();
    let owner = json!({ "ResourceArn": arn, "Tags": [{ "Key": "owner", "Value": "a" }] });
    server.ok("AddTags", &owner);
    let tagged = json!({ "ResourceARNList": [arn], "Tags": { "env": "ci" } });
    let (status, answer) = post(
        &server.addr,
        "/",
        Some("ResourceGroupsTaggingAPI_20170126.TagResources"),
        &tagged.to_string(),
    )
    .unwrap();
    assert_eq!((status, answer), (200, json!({ "FailedResourcesMap": {} })));
    server.ok(
        "DeleteTags",
        &json!({ "ResourceArn": arn, "TagKeys": ["team"] }),
    );
    let before = server.ok("ListTags", &json!({ "ResourceArn": arn }));
    assert_eq!(
        before["Tags"],
        json!([{ "Key": "owner", "Value": "a" }, { "Key": "env", "Value": "ci" }])
    );
    server.kill();

    let server = start(&dir.0, &["--clock", "manual"]);
    assert_eq!(
        server.ok("ListTags", &json!({ "ResourceArn": arn })),
        before
    );
    let (status, listed) = post(
        &server.addr,
        "/",
        Some("ResourceGroupsTaggingAPI_20170126.GetResources"),
        "{}",
    )
    .unwrap();
    assert_eq!(status, 200);
    assert_eq!(
        listed["ResourceTagMappingList"],
        json!([{ "ResourceARN": arn, "Tags": before["Tags"] }])
    );
    server.kill();
}
