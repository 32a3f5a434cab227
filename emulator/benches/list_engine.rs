//! ListCompilationJobs engine benchmark: page latency and memory per job at 1k, 10k, 100k
//! and 1M stored jobs, and a full walk of 100k jobs.
//!
//! `cargo bench -p cjh-emulator --bench list_engine` runs every size, each in a child process of
//! its own so resident memory is measured from a clean heap. `CJH_BENCH_SIZES=1000,10000`
//! limits the sizes. Pages are served in-process through the same path as HTTP requests
//! (JSON in, validation, engine, JSON out), without the network.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::process::Command;
use std::time::{Duration, Instant};

use cjh_emulator::Emulator;
use cjh_emulator::api::JobStatus;
use cjh_emulator::{Millis, Paging, Seed};
use serde_json::{Value, json};

const T0: i64 = 1_700_000_000_000;
const STATUSES: [JobStatus; 6] = JobStatus::ALL;

fn main() {
    match std::env::var("CJH_BENCH_CHILD") {
        Ok(size) => child(size.parse().unwrap()),
        Err(_) => parent(),
    }
}

fn parent() {
    let sizes: Vec<usize> = std::env::var("CJH_BENCH_SIZES")
        .unwrap_or_else(|_| "1000,10000,100000,1000000".to_owned())
        .split(',')
        .map(|s| s.trim().parse().unwrap())
        .collect();
    println!("| jobs | paging | query | MaxResults | first page p50 | page p50 | page p99 |");
    println!("|---:|---|---|---:|---:|---:|---:|");
    let mut memory = Vec::new();
    for size in sizes {
        let output = Command::new(std::env::current_exe().unwrap())
            .env("CJH_BENCH_CHILD", size.to_string())
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        for line in String::from_utf8_lossy(&output.stdout).lines() {
            match line.strip_prefix("memory ") {
                Some(rest) => memory.push(rest.to_owned()),
                None => println!("{line}"),
            }
        }
    }
    println!();
    println!("| jobs | resident after seeding | resident per job | seeding time |");
    println!("|---:|---:|---:|---:|");
    for line in memory {
        println!("{line}");
    }
}

fn child(size: usize) {
    let before = resident_bytes();
    let started = Instant::now();
    let window = seeded(size, Paging::Window);
    let seeding = started.elapsed();
    let after = resident_bytes();
    let per_job = (after.saturating_sub(before)) as f64 / size as f64;
    let filtered = seeded(size, Paging::Filtered);

    let queries: [(&str, Value); 3] = [
        ("all", json!({})),
        (
            "StatusEquals=COMPLETED",
            json!({ "StatusEquals": "COMPLETED" }),
        ),
        (
            "NameContains+SortBy=Name",
            json!({ "NameContains": "7", "SortBy": "Name" }),
        ),
    ];
    for (paging, emulator) in [("window", &window), ("filtered", &filtered)] {
        for (label, query) in &queries {
            for max in [10, 100] {
                let mut request = query.clone();
                request["MaxResults"] = json!(max);
                let (first, pages) = page_latencies(emulator, &request, 400);
                println!(
                    "| {size} | {paging} | {label} | {max} | {} | {} | {} |",
                    micros(first),
                    micros(percentile(&pages, 50)),
                    micros(percentile(&pages, 99)),
                );
            }
        }
    }
    if size == 100_000 {
        let started = Instant::now();
        let mut request = json!({ "MaxResults": 100 });
        let mut count = 0;
        loop {
            let reply = window.call("ListCompilationJobs", &request);
            count += reply.body["CompilationJobSummaries"]
                .as_array()
                .unwrap()
                .len();
            match reply.body.get("NextToken") {
                Some(token) => request["NextToken"] = token.clone(),
                None => break,
            }
        }
        assert_eq!(count, size);
        println!(
            "| {size} | window | full walk, {} pages | 100 | total {:.1} ms | | |",
            size / 100,
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
    println!(
        "memory | {size} | {:.1} MiB | {per_job:.0} B | {:.1} s |",
        after as f64 / 1048576.0,
        seeding.as_secs_f64()
    );
}

/// An emulator holding `size` jobs in every status, several per CreationTime.
fn seeded(size: usize, paging: Paging) -> Emulator {
    let emulator = Emulator::builder()
        .manual_clock_at(Millis(T0 + 10_000_000_000))
        .paging(paging)
        .starting_secs(1e7)
        .compiling_secs(1e7)
        .stopping_secs(1e7)
        .build();
    for i in 0..size {
        let created = T0 + (i as i64 / 3) * 1_000 + (i as i64 % 3) * 137;
        let status = STATUSES[i % STATUSES.len()];
        let name = format!("resnet50-job-{i:07}");
        let request = json!({
            "CompilationJobName": name,
            "RoleArn": "arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole-20240319T150889",
            "InputConfig": {
                "S3Uri": format!("s3://models-bucket/resnet50/{i}/model.tar.gz"),
                "DataInputConfig": "{\"input0\": [1, 3, 224, 224]}",
                "Framework": "PYTORCH",
                "FrameworkVersion": "2.0"
            },
            "OutputConfig": { "S3OutputLocation": "s3://models-bucket/compiled/", "TargetDevice": "ml_c5" },
            "StoppingCondition": { "MaxRuntimeInSeconds": 900 }
        });
        emulator
            .seed(Seed {
                request,
                status,
                creation_time: Millis(created),
                status_time: Millis(created + 60_000),
            })
            .unwrap();
    }
    emulator
}

/// The first page's latency, then latencies of pages taken along a walk.
fn page_latencies(
    emulator: &Emulator,
    request: &Value,
    samples: usize,
) -> (Duration, Vec<Duration>) {
    let time = |request: &Value| {
        let started = Instant::now();
        let reply = emulator.call("ListCompilationJobs", request);
        (started.elapsed(), reply)
    };
    let firsts: Vec<Duration> = (0..samples / 4).map(|_| time(request).0).collect();
    let mut pages = Vec::with_capacity(samples);
    let mut request = request.clone();
    while pages.len() < samples {
        let (elapsed, reply) = time(&request);
        pages.push(elapsed);
        match reply.body.get("NextToken") {
            Some(token) => request["NextToken"] = token.clone(),
            None => request
                .as_object_mut()
                .unwrap()
                .remove("NextToken")
                .map(|_| ())
                .unwrap_or(()),
        }
    }
    (percentile(&firsts, 50), pages)
}

fn percentile(samples: &[Duration], p: usize) -> Duration {
    let mut sorted = samples.to_vec();
    sorted.sort();
    sorted[(sorted.len() - 1) * p / 100]
}

fn micros(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6)
}

/// Resident set size from /proc/self/statm (pages of 4 KiB).
fn resident_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    pages * 4096
}
