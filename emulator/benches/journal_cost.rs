//! What the request journal costs a request: the same requests through the whole HTTP
//! request path (`Emulator::handle`: head, body, routing, service, encoding, and the
//! journal), with the journal at its default bounds and with `journal_size = 0`.
//!
//! `cargo bench -p cjh-emulator --bench journal_cost` prints, per request kind, the
//! median and mean time of a request with and without the journal, in blocks that
//! alternate so that drift in the machine falls on both, and the difference of the
//! medians; the journal is full (and evicting) for every measured request. `CJH_BENCH_REQUESTS` sets the requests per
//! block (default 20000).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::time::{Duration, Instant};

use bytes::Bytes;
use cjh_emulator::api::JobStatus;
use cjh_emulator::{Emulator, Millis, Seed};
use serde_json::json;

const T0: i64 = 1_700_000_000_000;
const BLOCKS: usize = 6;

fn main() {
    let requests: usize = std::env::var("CJH_BENCH_REQUESTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(20_000);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let on = seeded(Emulator::builder());
    let off = seeded(Emulator::builder().journal_size(0));
    let kinds = [
        (
            "Describe",
            "DescribeCompilationJob",
            json!({ "CompilationJobName": "job-00042" }).to_string(),
        ),
        (
            "List, 10 jobs",
            "ListCompilationJobs",
            json!({ "MaxResults": 10 }).to_string(),
        ),
        (
            "List, 100 jobs",
            "ListCompilationJobs",
            json!({ "MaxResults": 100 }).to_string(),
        ),
    ];
    println!("| request | journal | p50 | mean | journal's cost (p50) |");
    println!("|---|---|---:|---:|---:|");
    for (label, operation, body) in kinds {
        let (mut with, mut without) = (Vec::new(), Vec::new());
        // Warm up, and fill the journal so that every measured request evicts one.
        runtime.block_on(run(&on, operation, &body, 10_000));
        runtime.block_on(run(&off, operation, &body, 1_000));
        for _ in 0..BLOCKS {
            with.extend(runtime.block_on(run(&on, operation, &body, requests)));
            without.extend(runtime.block_on(run(&off, operation, &body, requests)));
        }
        let (with_p50, with_mean) = summary(&mut with);
        let (without_p50, without_mean) = summary(&mut without);
        // The median, not the mean: a shared machine's stalls land in the mean's tail.
        let cost = with_p50.as_nanos() as f64 - without_p50.as_nanos() as f64;
        let share = 100.0 * cost / without_p50.as_nanos() as f64;
        println!(
            "| {label} | on | {with_p50:.1?} | {with_mean:.1?} | {cost:.0} ns ({share:.1}%) |"
        );
        println!("| {label} | off | {without_p50:.1?} | {without_mean:.1?} | |");
    }
    println!();
    println!(
        "journal after the run: {} entries kept",
        on.requests().len()
    );
}

/// An emulator with 200 completed jobs.
fn seeded(builder: cjh_emulator::EmulatorBuilder) -> Emulator {
    let emulator = builder.build();
    for i in 0..200 {
        let at = Millis(T0 + i64::from(i) * 1000);
        let request = json!({
            "CompilationJobName": format!("job-{i:05}"),
            "RoleArn": "arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole",
            "InputConfig": {
                "S3Uri": "s3://models-bucket/resnet50.tar.gz",
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
                status: JobStatus::Completed,
                creation_time: at,
                status_time: Millis(at.0 + 60_000),
            })
            .unwrap();
    }
    emulator
}

/// The time of each of `count` requests.
async fn run(emulator: &Emulator, operation: &str, body: &str, count: usize) -> Vec<Duration> {
    let body = Bytes::copy_from_slice(body.as_bytes());
    let mut times = Vec::with_capacity(count);
    for _ in 0..count {
        let request = http::Request::post("/")
            .header("content-type", "application/x-amz-json-1.1")
            .header("x-amz-target", format!("SageMaker.{operation}"))
            .body(body.clone())
            .unwrap();
        let started = Instant::now();
        let response = emulator.handle(request).await;
        times.push(started.elapsed());
        assert_eq!(response.status(), 200);
    }
    times
}

fn summary(times: &mut [Duration]) -> (Duration, Duration) {
    times.sort_unstable();
    let mean = times.iter().sum::<Duration>() / times.len() as u32;
    (times[times.len() / 2], mean)
}
