//! Property tests of ListCompilationJobs against a deliberately naive reference model
//! written here, apart from the engine: random job sets (equal CreationTimes, names that
//! differ only in case, every status), random queries, both paging modes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::{BTreeSet, HashSet};

use cjh_emulator::Emulator;
use cjh_emulator::api::JobStatus;
use cjh_emulator::{Millis, Paging, Seed};
use proptest::prelude::*;
use serde_json::{Value, json};

const T0: i64 = 1_700_000_000_000;
const STATUSES: [JobStatus; 6] = JobStatus::ALL;

/// A job as the reference model sees it.
#[derive(Debug, Clone)]
struct RefJob {
    name: String,
    created: i64,
    status: JobStatus,
    /// When it entered its status (ms).
    status_at: i64,
}

impl RefJob {
    /// LastModifiedTime as the seed contract defines it: whole seconds, of the creation
    /// for STARTING and of the status time otherwise.
    fn last_modified(&self) -> i64 {
        let t = if self.status == JobStatus::Starting {
            self.created
        } else {
            self.status_at
        };
        t.div_euclid(1000) * 1000
    }
}

#[derive(Debug, Clone)]
struct RefQuery {
    created_after: Option<i64>,
    created_before: Option<i64>,
    modified_after: Option<i64>,
    modified_before: Option<i64>,
    name_contains: Option<String>,
    status: Option<JobStatus>,
    sort_by: &'static str,
    descending: bool,
    max_results: usize,
}

/// The whole sorted list, unfiltered.
fn reference_sorted(jobs: &[RefJob], query: &RefQuery) -> Vec<RefJob> {
    let mut sorted = jobs.to_vec();
    sorted.sort_by(|a, b| match query.sort_by {
        "Name" => a.name.as_bytes().cmp(b.name.as_bytes()),
        "Status" => (a.status.as_str(), a.created, a.name.as_bytes()).cmp(&(
            b.status.as_str(),
            b.created,
            b.name.as_bytes(),
        )),
        _ => (a.created, a.name.as_bytes()).cmp(&(b.created, b.name.as_bytes())),
    });
    if query.descending {
        sorted.reverse();
    }
    sorted
}

fn reference_matches(job: &RefJob, q: &RefQuery) -> bool {
    q.created_after.is_none_or(|t| job.created >= t)
        && q.created_before.is_none_or(|t| job.created < t)
        && q.modified_after.is_none_or(|t| job.last_modified() >= t)
        && q.modified_before.is_none_or(|t| job.last_modified() < t)
        && q.name_contains
            .as_ref()
            .is_none_or(|n| job.name.to_lowercase().contains(&n.to_lowercase()))
        && q.status.is_none_or(|s| s == job.status)
}

/// The pages the reference expects in each paging mode.
fn reference_pages(jobs: &[RefJob], q: &RefQuery, paging: Paging) -> Vec<Vec<String>> {
    let sorted = reference_sorted(jobs, q);
    let pages: Vec<Vec<String>> = match paging {
        Paging::Window => sorted
            .chunks(q.max_results)
            .map(|w| {
                w.iter()
                    .filter(|j| reference_matches(j, q))
                    .map(|j| j.name.clone())
                    .collect()
            })
            .collect(),
        Paging::Filtered => {
            let matching: Vec<String> = sorted
                .iter()
                .filter(|j| reference_matches(j, q))
                .map(|j| j.name.clone())
                .collect();
            matching
                .chunks(q.max_results)
                .map(<[String]>::to_vec)
                .collect()
        }
    };
    if pages.is_empty() {
        vec![vec![]]
    } else {
        pages
    }
}

fn request_of(q: &RefQuery) -> Value {
    let mut r = json!({ "SortBy": q.sort_by, "MaxResults": q.max_results });
    r["SortOrder"] = json!(if q.descending {
        "Descending"
    } else {
        "Ascending"
    });
    let secs = |ms: i64| json!(ms as f64 / 1000.0);
    for (key, value) in [
        ("CreationTimeAfter", q.created_after),
        ("CreationTimeBefore", q.created_before),
        ("LastModifiedTimeAfter", q.modified_after),
        ("LastModifiedTimeBefore", q.modified_before),
    ] {
        if let Some(ms) = value {
            r[key] = secs(ms);
        }
    }
    if let Some(n) = &q.name_contains {
        r["NameContains"] = json!(n);
    }
    if let Some(s) = q.status {
        r["StatusEquals"] = json!(s.as_str());
    }
    r
}

/// An emulator whose clock never moves jobs on: durations far beyond the seeds' times.
fn frozen(paging: Paging) -> Emulator {
    Emulator::builder()
        .manual_clock_at(Millis(T0))
        .paging(paging)
        .starting_secs(1e6)
        .compiling_secs(1e6)
        .stopping_secs(1e6)
        .build()
}

fn seed(emulator: &Emulator, job: &RefJob) {
    emulator
        .seed(Seed {
            request: common::create_body(&job.name),
            status: job.status,
            creation_time: Millis(job.created),
            status_time: Millis(job.status_at),
        })
        .unwrap();
}

/// Walks every page, checking the invariants every walk must keep.
fn walk(emulator: &Emulator, request: Value, max: usize) -> Vec<Vec<String>> {
    let mut pages = Vec::new();
    let mut request = request;
    loop {
        let page = common::ok(emulator, "ListCompilationJobs", &request);
        let names = common::names(&page);
        assert!(names.len() <= max, "page longer than MaxResults");
        pages.push(names);
        match page.get("NextToken") {
            Some(token) => {
                assert_ne!(Some(token), request.get("NextToken"), "token echoed");
                request["NextToken"] = token.clone();
            }
            None => return pages,
        }
        assert!(pages.len() <= 10_000, "no end of pages");
    }
}

fn job_set() -> impl Strategy<Value = Vec<RefJob>> {
    // Names from a small alphabet so substrings collide; case flips make names that differ
    // from others only in case impossible (names are unique regardless of case), but
    // give mixed-case names to sort by bytes.
    let job = (
        "[a-c]{1,3}",
        prop::collection::vec(any::<bool>(), 3),
        0i64..8,
        0usize..6,
        0i64..4000,
    );
    prop::collection::vec(job, 0..40).prop_map(|raw| {
        let mut seen = HashSet::new();
        raw.into_iter()
            .enumerate()
            .filter_map(|(i, (base, flips, created_step, status, offset))| {
                let base = format!("{base}{}", i % 3);
                if !seen.insert(base.clone()) {
                    return None;
                }
                let name: String = base
                    .chars()
                    .zip(flips.iter().chain(std::iter::repeat(&false)))
                    .map(|(c, &up)| if up { c.to_ascii_uppercase() } else { c })
                    .collect();
                // Steps of 500 ms over 4 s: many equal creation times.
                let created = T0 + created_step * 500;
                Some(RefJob {
                    name,
                    created,
                    status: STATUSES[status],
                    status_at: created + offset,
                })
            })
            .collect()
    })
}

fn query() -> impl Strategy<Value = RefQuery> {
    let time = || prop::option::weighted(0.3, (0i64..9000).prop_map(|d| T0 + d));
    (
        (time(), time(), time(), time()),
        prop::option::weighted(0.3, "[a-cA-C0-2]{1,2}"),
        prop::option::weighted(0.3, 0usize..6),
        prop::sample::select(vec!["CreationTime", "Name", "Status"]),
        any::<bool>(),
        1usize..8,
    )
        .prop_map(
            |((ca, cb, ma, mb), name, status, sort_by, descending, max_results)| RefQuery {
                created_after: ca,
                created_before: cb,
                modified_after: ma,
                modified_before: mb,
                name_contains: name,
                status: status.map(|s| STATUSES[s]),
                sort_by,
                descending,
                max_results,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn pages_equal_the_reference_in_both_paging_modes(jobs in job_set(), q in query()) {
        for paging in [Paging::Window, Paging::Filtered] {
            let emulator = frozen(paging);
            for job in &jobs {
                seed(&emulator, job);
            }
            let pages = walk(&emulator, request_of(&q), q.max_results);
            let expected = reference_pages(&jobs, &q, paging);
            prop_assert_eq!(&pages, &expected, "{:?} paging", paging);
            let all: Vec<&String> = pages.iter().flatten().collect();
            let unique: BTreeSet<&String> = all.iter().copied().collect();
            prop_assert_eq!(all.len(), unique.len(), "a job was listed twice");
        }
    }

    #[test]
    fn a_walk_returns_every_job_that_lives_through_it_exactly_once(
        jobs in job_set(),
        q in query(),
        churn in prop::collection::vec((any::<bool>(), any::<prop::sample::Index>(), 0i64..8, "[d-f]{1,4}"), 0..30),
        paging in prop::sample::select(vec![Paging::Window, Paging::Filtered]),
    ) {
        // Every seed COMPLETED, so any job can be deleted mid-walk.
        let jobs: Vec<RefJob> = jobs
            .into_iter()
            .map(|j| RefJob { status: JobStatus::Completed, ..j })
            .collect();
        let q = RefQuery { status: None, modified_after: None, modified_before: None, ..q };
        let emulator = frozen(paging);
        for job in &jobs {
            seed(&emulator, job);
        }
        let mut alive: Vec<String> = jobs.iter().map(|j| j.name.clone()).collect();
        let mut deleted = HashSet::new();
        let mut created_names: HashSet<String> = HashSet::new();
        let mut churn = churn.into_iter();
        let mut seen: Vec<String> = Vec::new();
        let mut request = request_of(&q);
        loop {
            let page = common::ok(&emulator, "ListCompilationJobs", &request);
            for name in common::names(&page) {
                prop_assert!(!deleted.contains(&name), "{} listed after its deletion", name);
                seen.push(name);
            }
            let Some(token) = page.get("NextToken").cloned() else { break };
            request["NextToken"] = token;
            // Between pages: delete a job, or create one anywhere in the order.
            if let Some((delete, pick, step, base)) = churn.next() {
                if delete && !alive.is_empty() {
                    let name = alive.remove(pick.index(alive.len()));
                    common::ok(&emulator, "DeleteCompilationJob", &common::named(&name));
                    deleted.insert(name);
                } else if created_names.insert(base.clone()) {
                    // Churn names ([d-f]) never collide with the seeded ones ([a-c]).
                    let created = T0 + step * 500;
                    seed(&emulator, &RefJob { name: base.clone(), created, status: JobStatus::Completed, status_at: created });
                }
            }
        }
        let unique: HashSet<&String> = seen.iter().collect();
        prop_assert_eq!(unique.len(), seen.len(), "a job was listed twice: {:?}", seen);
        for job in jobs.iter().filter(|j| alive.contains(&j.name) && reference_matches(j, &q)) {
            prop_assert!(seen.contains(&job.name), "{} lived through the walk but was skipped", job.name);
        }
    }
}
