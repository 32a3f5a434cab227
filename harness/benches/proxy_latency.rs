//! What `cjh proxy` adds to a request on loopback.
//!
//! `cargo bench -p cjh --bench proxy_latency` starts the emulator on a loopback port and a
//! proxy in front of it (both in this process, release build), then sends the same
//! signed DescribeCompilationJob over one keep-alive connection, alternating direct and
//! through the proxy so both see the same machine load, and prints p50 and p99 of each
//! and the difference of the medians. Bounded: `CJH_BENCH_REQUESTS` pairs (2000 by
//! default), after 200 warm-up pairs. The proxy re-signs (HMAC-SHA256 over the request),
//! forwards, waits, and appends the exchange to a recording (one flushed write), so
//! every part of its path is timed.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use cjh::exchange::{Body, Request};
use cjh::proxy::{Proxy, ProxyConfig, Upstream};
use cjh::targets::{Signer, Target, UrlTarget};
use cjh_emulator::Emulator;
use serde_json::json;

const WARM_UP: usize = 200;

fn credentials() -> Credentials {
    Credentials::new("AKIDBENCHPROXY", "bench-secret", None, None, "bench")
}

fn describe() -> Request {
    Request::aws_json(
        Some("SageMaker.DescribeCompilationJob"),
        Body::Json(json!({"CompilationJobName": "bench-job"})),
    )
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

fn micros(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let requests: usize = std::env::var("CJH_BENCH_REQUESTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000)
        .clamp(10, 100_000);
    let emulator = Emulator::builder().port(0).build();
    let bound = emulator.bind().await.unwrap();
    let upstream = bound.url().to_owned();
    tokio::spawn(bound.serve_until(std::future::pending()));

    let record = std::env::temp_dir().join(format!("cjh-bench-proxy-{}.jsonl", std::process::id()));
    let config = ProxyConfig {
        upstream: Upstream::parse(&upstream).unwrap(),
        region: "us-east-1".to_owned(),
        record: record.clone(),
        name: "bench".to_owned(),
        host: IpAddr::V4(Ipv4Addr::LOCALHOST),
        port: 0,
        upstream_timeout: Duration::from_secs(10),
    };
    let proxy = Proxy::bind(&config, SharedCredentialsProvider::new(credentials()))
        .await
        .unwrap();
    let proxy_url = proxy.url().to_owned();
    tokio::spawn(proxy.serve_until(std::future::pending()));

    let direct = UrlTarget::new(&upstream, Some(Signer::new(credentials(), "us-east-1"))).unwrap();
    let through =
        UrlTarget::new(&proxy_url, Some(Signer::new(credentials(), "us-east-1"))).unwrap();
    let mut times = [Vec::with_capacity(requests), Vec::with_capacity(requests)];
    for round in 0..WARM_UP + requests {
        for (which, target) in [&direct, &through].into_iter().enumerate() {
            let started = Instant::now();
            let exchange = target.send(describe()).await.unwrap();
            let took = started.elapsed();
            assert_eq!(exchange.response.status, 400, "an unknown job's answer");
            if round >= WARM_UP {
                times[which].push(took);
            }
        }
    }
    let _ = std::fs::remove_file(&record);
    for list in &mut times {
        list.sort();
    }
    let [direct, through] = times;
    println!("{requests} requests each, after {WARM_UP} warm-up pairs, one keep-alive connection");
    println!("| path | p50 | p99 |");
    println!("|---|---:|---:|");
    for (label, list) in [("direct", &direct), ("through cjh proxy", &through)] {
        println!(
            "| {label} | {} | {} |",
            micros(percentile(list, 0.5)),
            micros(percentile(list, 0.99))
        );
    }
    let added = percentile(&through, 0.5).saturating_sub(percentile(&direct, 0.5));
    println!("added by the proxy at p50: {}", micros(added));
}
