#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Many clients at once on the real server over loopback: writers create, stop and delete
//! jobs while readers walk ListCompilationJobs page by page in several orders, for a few
//! seconds of wall-clock lifecycle.
//!
//! Afterwards every acknowledged Create that was not deleted is present exactly once
//! (Describe and full walks), and none deleted is. During the run, every walk keeps the
//! list engine's rule (see `list_properties.rs`): a job that existed for the whole walk
//! (its Create acknowledged before the walk began, no Delete sent before it ended) is
//! listed exactly once, and no walk lists a name twice. SortBy=Status is left out: a job
//! whose status changes mid-walk may legitimately be missed or seen twice there.
//! Everything runs under one timeout, so a deadlock fails the test instead of hanging it.

mod common;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use cjh_emulator::Emulator;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};

const WRITERS: usize = 8;
const READERS: usize = 4;
/// How long writers keep creating.
const RUN_FOR: Duration = Duration::from_secs(3);
/// Jobs one writer creates at most, so walks of one job a page stay short.
const JOBS_PER_WRITER: usize = 150;
/// The whole test, deadlock or not.
const OVERALL_TIMEOUT: Duration = Duration::from_secs(90);
/// The orders walked: every order whose key never changes.
const ORDERS: [(&str, &str); 4] = [
    ("CreationTime", "Ascending"),
    ("CreationTime", "Descending"),
    ("Name", "Ascending"),
    ("Name", "Descending"),
];
const PAGE_SIZES: [u64; 5] = [1, 2, 3, 5, 8];

type HttpClient = Client<HttpConnector, Full<Bytes>>;

/// One AWS JSON 1.1 call; the status and parsed body. A transport error fails the test:
/// every request must be answered.
async fn call(client: &HttpClient, url: &str, operation: &str, body: &Value) -> (u16, Value) {
    let request = http::Request::post(url)
        .header("x-amz-target", format!("SageMaker.{operation}"))
        .header("content-type", "application/x-amz-json-1.1")
        .body(Full::new(Bytes::from(body.to_string())))
        .unwrap();
    let response = client
        .request(request)
        .await
        .unwrap_or_else(|e| panic!("{operation} got no answer: {e}"));
    let status = response.status().as_u16();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let value = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap()
    };
    (status, value)
}

/// What writers have done, as acknowledged by the server.
#[derive(Debug, Default)]
struct Ledger {
    /// Creates answered 200, recorded after the answer.
    created: Mutex<Vec<String>>,
    /// Deletes about to be sent, recorded before the request goes out.
    delete_sent: Mutex<HashSet<String>>,
    /// Deletes answered 200.
    deleted: Mutex<HashSet<String>>,
}

impl Ledger {
    fn created(&self) -> Vec<String> {
        self.created.lock().unwrap().clone()
    }

    fn delete_sent(&self) -> HashSet<String> {
        self.delete_sent.lock().unwrap().clone()
    }
}

/// A small xorshift generator, one per task, for choices that need no quality.
struct Choices(u64);

impl Choices {
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        items[(self.0 % items.len() as u64) as usize]
    }
}

fn is_terminal(status: &str) -> bool {
    matches!(status, "COMPLETED" | "FAILED" | "STOPPED")
}

/// Creates jobs; stops some at once, stops others and keeps them, and deletes half once
/// they are terminal. Only this writer touches its jobs, so once Describe shows a
/// terminal status its Delete must succeed.
async fn writer(id: usize, client: HttpClient, url: String, ledger: Arc<Ledger>) {
    let deadline = Instant::now() + RUN_FOR;
    let mut to_delete: Vec<String> = Vec::new();
    let mut k = 0;
    while Instant::now() < deadline && k < JOBS_PER_WRITER {
        k += 1;
        let name = format!("w{id}-job-{k}");
        let (status, body) = call(
            &client,
            &url,
            "CreateCompilationJob",
            &common::create_body(&name),
        )
        .await;
        assert_eq!(status, 200, "create {name}: {body}");
        ledger.created.lock().unwrap().push(name.clone());
        if k % 4 == 1 || k % 4 == 3 {
            let (status, body) = call(
                &client,
                &url,
                "StopCompilationJob",
                &json!({ "CompilationJobName": name }),
            )
            .await;
            // A job that already finished cannot be stopped; that is its only refusal.
            assert!(
                status == 200
                    || body["Message"]
                        .as_str()
                        .is_some_and(|m| m.contains("status")),
                "stop {name}: {status} {body}"
            );
        }
        if k % 4 == 1 || k % 4 == 2 {
            to_delete.push(name);
        }
        delete_terminal(&client, &url, &ledger, &mut to_delete).await;
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // Finish the deletions this writer promised.
    let finish_by = Instant::now() + Duration::from_secs(20);
    while !to_delete.is_empty() {
        assert!(
            Instant::now() < finish_by,
            "jobs never ended: {to_delete:?}"
        );
        delete_terminal(&client, &url, &ledger, &mut to_delete).await;
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Deletes every job of `names` that has reached a terminal status.
async fn delete_terminal(client: &HttpClient, url: &str, ledger: &Ledger, names: &mut Vec<String>) {
    let mut waiting = Vec::new();
    for name in names.drain(..) {
        let by_name = json!({ "CompilationJobName": name });
        let (status, body) = call(client, url, "DescribeCompilationJob", &by_name).await;
        assert_eq!(status, 200, "describe {name}: {body}");
        if !is_terminal(body["CompilationJobStatus"].as_str().unwrap_or_default()) {
            waiting.push(name);
            continue;
        }
        ledger.delete_sent.lock().unwrap().insert(name.clone());
        let (status, body) = call(client, url, "DeleteCompilationJob", &by_name).await;
        assert_eq!(status, 200, "delete {name}: {body}");
        ledger.deleted.lock().unwrap().insert(name);
    }
    *names = waiting;
}

/// Walks every page of one query; the names in the order listed.
async fn walk(
    client: &HttpClient,
    url: &str,
    (sort_by, order): (&str, &str),
    page_size: u64,
) -> Vec<String> {
    let mut names = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut request = json!({ "SortBy": sort_by, "SortOrder": order, "MaxResults": page_size });
        if let Some(token) = &token {
            request["NextToken"] = json!(token);
        }
        let (status, body) = call(client, url, "ListCompilationJobs", &request).await;
        assert_eq!(status, 200, "list {request}: {body}");
        let page = body["CompilationJobSummaries"].as_array().unwrap();
        assert!(page.len() as u64 <= page_size, "{body}");
        names.extend(
            page.iter()
                .map(|s| s["CompilationJobName"].as_str().unwrap().to_owned()),
        );
        match body["NextToken"].as_str() {
            Some(next) => token = Some(next.to_owned()),
            None => return names,
        }
    }
}

/// Walks in random orders and page sizes until the writers are done, checking each walk.
async fn reader(
    id: u64,
    client: HttpClient,
    url: String,
    ledger: Arc<Ledger>,
    done: Arc<AtomicBool>,
    walks: Arc<AtomicU64>,
    checked: Arc<AtomicU64>,
) {
    let mut choices = Choices(0x9E37_79B9_7F4A_7C15 ^ (id + 1));
    while !done.load(Ordering::SeqCst) {
        let order = choices.pick(&ORDERS);
        let page_size = choices.pick(&PAGE_SIZES);
        let before: Vec<String> = ledger.created();
        let listed = walk(&client, &url, order, page_size).await;
        let deleted = ledger.delete_sent();

        let mut seen: HashMap<&str, usize> = HashMap::new();
        for name in &listed {
            *seen.entry(name).or_default() += 1;
        }
        let twice: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
        assert!(
            twice.is_empty(),
            "{order:?} by {page_size}: listed twice: {twice:?}"
        );
        let missed: Vec<_> = before
            .iter()
            .filter(|name| !deleted.contains(*name) && !seen.contains_key(name.as_str()))
            .collect();
        assert!(
            missed.is_empty(),
            "{order:?} by {page_size}: jobs that existed for the whole walk were missed: {missed:?}"
        );
        let stable = before
            .iter()
            .filter(|name| !deleted.contains(*name))
            .count();
        checked.fetch_add(stable as u64, Ordering::SeqCst);
        walks.fetch_add(1, Ordering::SeqCst);
    }
}

async fn run() {
    let emulator = Emulator::builder()
        .starting_secs(0.05)
        .compiling_secs(0.1)
        .stopping_secs(0.05)
        .build();
    let url = emulator.start().await.unwrap();
    let client: HttpClient = Client::builder(TokioExecutor::new()).build_http();
    let ledger = Arc::new(Ledger::default());
    let done = Arc::new(AtomicBool::new(false));
    let walks = Arc::new(AtomicU64::new(0));
    let checked = Arc::new(AtomicU64::new(0));

    let writers: Vec<_> = (0..WRITERS)
        .map(|id| tokio::spawn(writer(id, client.clone(), url.clone(), Arc::clone(&ledger))))
        .collect();
    let readers: Vec<_> = (0..READERS as u64)
        .map(|id| {
            tokio::spawn(reader(
                id,
                client.clone(),
                url.clone(),
                Arc::clone(&ledger),
                Arc::clone(&done),
                Arc::clone(&walks),
                Arc::clone(&checked),
            ))
        })
        .collect();
    for task in writers {
        task.await.unwrap();
    }
    done.store(true, Ordering::SeqCst);
    for task in readers {
        task.await.unwrap();
    }

    let created = ledger.created();
    let deleted = ledger.deleted.lock().unwrap().clone();
    let unique: HashSet<&String> = created.iter().collect();
    assert_eq!(
        unique.len(),
        created.len(),
        "a create was acknowledged twice"
    );
    assert!(created.len() >= WRITERS * 10, "only {} jobs", created.len());
    assert!(!deleted.is_empty());
    assert!(
        walks.load(Ordering::SeqCst) >= READERS as u64,
        "too few walks"
    );
    assert!(
        checked.load(Ordering::SeqCst) > 0,
        "no walk had a job to check"
    );

    // Describe: every kept job is there, every deleted one is gone.
    for name in &created {
        let (status, body) = call(
            &client,
            &url,
            "DescribeCompilationJob",
            &json!({ "CompilationJobName": name }),
        )
        .await;
        if deleted.contains(name) {
            assert_eq!(status, 400, "deleted {name} is still there: {body}");
            assert!(
                body["Message"]
                    .as_str()
                    .is_some_and(|m| m.contains("Could not find")),
                "{body}"
            );
        } else {
            assert_eq!(status, 200, "acknowledged {name} is lost: {body}");
        }
    }
    // Full walks: exactly the kept jobs, each once, in every order.
    let mut kept: Vec<String> = created
        .iter()
        .filter(|name| !deleted.contains(*name))
        .cloned()
        .collect();
    kept.sort();
    for order in ORDERS {
        let mut listed = walk(&client, &url, order, 100).await;
        listed.sort();
        assert_eq!(listed, kept, "{order:?}");
    }
    println!(
        "{} jobs created, {} deleted; {} walks checked {} listings of jobs that existed throughout",
        created.len(),
        deleted.len(),
        walks.load(Ordering::SeqCst),
        checked.load(Ordering::SeqCst)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn writers_and_readers_at_once_lose_nothing_and_list_each_job_once() {
    tokio::time::timeout(OVERALL_TIMEOUT, run())
        .await
        .expect("the run finished in time (no deadlock)");
}
