//! `cjh run --jobs N` against `cjh serve` over HTTP: with a region per worker the
//! scenarios run side by side, each alone in one region; without, they still pass, the
//! ones that list jobs running alone; either way the results come back in corpus order.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::Command;

use cjh::baseline::ResultsFile;
use serde_json::Value;
use support::Server;

const FILTER: &str = "validation/";
const REGIONS: &str = "us-east-2,us-west-1,eu-west-1";

fn results_path(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("cjh-jobs-{name}-{}.json", uuid::Uuid::new_v4()))
}

/// Runs the filtered corpus on `url` with more flags; the results file.
fn run(url: &str, name: &str, flags: &[&str]) -> ResultsFile {
    let path = results_path(name);
    let scenarios = concat!(env!("CARGO_MANIFEST_DIR"), "/../scenarios");
    let output = Command::new(env!("CARGO_BIN_EXE_cjh"))
        .args([
            "run",
            "--scenarios",
            scenarios,
            "--target",
            url,
            "--filter",
            FILTER,
        ])
        .arg("--results")
        .arg(&path)
        .args(flags)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let file = ResultsFile::read(&path).unwrap();
    let _ = std::fs::remove_file(&path);
    file
}

/// The API requests the server saw, with the region each went to.
fn journal(server: &Server) -> Vec<Value> {
    let url = format!("{}/_cjh/requests", server.url());
    let body = ureq_get(&url);
    let value: Value = serde_json::from_str(&body).unwrap();
    value["requests"].as_array().cloned().unwrap_or_default()
}

/// A GET over plain HTTP/1.1 on loopback.
fn ureq_get(url: &str) -> String {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_once('/').unwrap();
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    write!(
        stream,
        "GET /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (_, body) = response.split_once("\r\n\r\n").unwrap();
    body.to_owned()
}

#[test]
fn workers_in_regions_of_their_own_run_every_scenario_and_keep_corpus_order() {
    let server = Server::start_on_its_own_clock(&["--journal-size", "100000"]).unwrap();
    let parallel = run(
        server.url(),
        "regions",
        &["--jobs", "3", "--regions", REGIONS],
    );
    let order: Vec<&str> = parallel
        .results
        .iter()
        .map(|r| r.scenario.as_str())
        .collect();
    let mut sorted = order.clone();
    sorted.sort_unstable();
    assert_eq!(order, sorted, "results in corpus order");
    assert!(order.len() >= 3, "{order:?}");

    // Every request went to one of the workers' regions, each scenario's (named by
    // its jobs' prefix) to one region only, and more than one region was used.
    let mut regions_of_run: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let allowed: BTreeSet<&str> = REGIONS.split(',').collect();
    let prefix = regex::Regex::new("cjh[0-9a-f]{8}").unwrap();
    for request in journal(&server) {
        let region = request["region"].as_str().unwrap_or_default().to_owned();
        assert!(allowed.contains(region.as_str()), "{request}");
        let body = request["request_body"].as_str().unwrap_or_default();
        if let Some(found) = prefix.find(body) {
            regions_of_run
                .entry(found.as_str().to_owned())
                .or_default()
                .insert(region);
        }
    }
    assert!(
        !regions_of_run.is_empty(),
        "the journal names the runs' jobs"
    );
    for (run, regions) in &regions_of_run {
        assert_eq!(regions.len(), 1, "{run} ran in {regions:?}");
    }
    let used: BTreeSet<&String> = regions_of_run.values().flatten().collect();
    assert!(used.len() >= 2, "{regions_of_run:?}");
}

#[test]
fn shared_workers_run_the_listing_scenarios_alone_and_answer_as_a_serial_run() {
    let server = Server::start_on_its_own_clock(&[]).unwrap();
    let serial = run(server.url(), "serial", &[]);
    let parallel = run(server.url(), "shared", &["--jobs", "3"]);
    let outcomes = |file: &ResultsFile| {
        file.results
            .iter()
            .map(|r| (r.scenario.clone(), r.outcome))
            .collect::<Vec<_>>()
    };
    assert_eq!(outcomes(&parallel), outcomes(&serial));
}
