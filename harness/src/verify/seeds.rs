//! Jobs a recording reads but never creates (a placebo session starts mid-life), placed
//! in the emulator before the first exchange with what a Create would have said (the
//! job's inputs, from its first recorded Describe) and its recorded status and times,
//! and nothing else: everything the emulator derives (the ARN, a FailureReason, model
//! artifacts, summaries, what a Stop does) is then compared like any other answer.

use std::collections::BTreeSet;

use cjh_emulator::api::JobStatus;
use cjh_emulator::{Millis, Seed};
use serde_json::{Map, Value};

use crate::recording::RecordedExchange;

use super::timeline::{job_in, job_name};

/// The members of a Describe answer that a Create request holds.
const CREATE_MEMBERS: [&str; 6] = [
    "CompilationJobName",
    "RoleArn",
    "InputConfig",
    "OutputConfig",
    "StoppingCondition",
    "VpcConfig",
];

/// A job to seed, and the exchange its inputs came from.
#[derive(Debug, Clone)]
pub(super) struct Planned {
    pub(super) name: String,
    pub(super) seed: Seed,
    /// The Describe whose answer gave the inputs.
    pub(super) source: usize,
}

/// A job the recording reads that cannot be seeded, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unseeded {
    /// The job.
    pub name: String,
    /// Why.
    pub why: String,
}

/// The seeds a recording needs, and the jobs that need one but cannot have it.
pub(super) fn plan(exchanges: &[RecordedExchange]) -> (Vec<Planned>, Vec<Unseeded>) {
    let created: BTreeSet<&str> = exchanges
        .iter()
        .filter(|e| e.operation == "CreateCompilationJob")
        .filter_map(job_name)
        .collect();
    let mut read: Vec<String> = Vec::new();
    for exchange in exchanges {
        for name in names_in(exchange) {
            if !created.contains(name.as_str()) && !read.contains(&name) {
                read.push(name);
            }
        }
    }
    let mut planned = Vec::new();
    let mut unseeded = Vec::new();
    for name in read {
        match seed_for(exchanges, &name) {
            Ok((seed, source)) => planned.push(Planned { name, seed, source }),
            Err(why) => unseeded.push(Unseeded { name, why }),
        }
    }
    (planned, unseeded)
}

fn seed_for(exchanges: &[RecordedExchange], name: &str) -> Result<(Seed, usize), String> {
    let (source, described) = exchanges
        .iter()
        .enumerate()
        .filter(|(_, e)| e.operation == "DescribeCompilationJob" && e.response.status == 200)
        .find_map(|(i, e)| Some((i, job_in(e, name)?)))
        .ok_or("no recorded Describe gives its inputs")?;
    let first = exchanges
        .iter()
        .find_map(|e| job_in(e, name))
        .ok_or("no answer shows it")?;
    let request: Map<String, Value> = CREATE_MEMBERS
        .iter()
        .filter_map(|m| Some(((*m).to_owned(), described.get(*m)?.clone())))
        .collect();
    let status: JobStatus = first
        .get("CompilationJobStatus")
        .cloned()
        .and_then(|s| serde_json::from_value(s).ok())
        .ok_or("its first answer has no status")?;
    let seconds = |member: &str| first.get(member).and_then(Value::as_f64);
    let creation = seconds("CreationTime").ok_or("its first answer has no CreationTime")?;
    let modified = seconds("LastModifiedTime").unwrap_or(creation);
    let millis = |s: f64| Millis((s * 1000.0).round() as i64);
    let seed = Seed {
        request: Value::Object(request),
        status,
        creation_time: millis(creation),
        status_time: millis(modified.max(creation)),
    };
    Ok((seed, source))
}

/// Every job an answer shows, and the one its request names.
fn names_in(exchange: &RecordedExchange) -> Vec<String> {
    let mut names = Vec::new();
    let Some(body) = exchange.response.body.json() else {
        return names;
    };
    if exchange.response.status == 200
        && let Some(name) = body.get("CompilationJobName").and_then(Value::as_str)
    {
        names.push(name.to_owned());
    }
    if let Some(summaries) = body
        .get("CompilationJobSummaries")
        .and_then(Value::as_array)
    {
        names.extend(
            summaries
                .iter()
                .filter_map(|s| s.get("CompilationJobName")?.as_str().map(str::to_owned)),
        );
    }
    names
}
