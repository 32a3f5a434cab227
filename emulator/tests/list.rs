//! ListCompilationJobs: filters, sort with total tie-breaking, both paging modes, and
//! page tokens (fidelity rows F1-F7, F17).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use cjh_emulator::Emulator;
use cjh_emulator::{Millis, Paging};
use common::{create, create_body, err, named, names, ok};
use serde_json::{Value, json};

const T0: Millis = Millis(1_700_000_000_000);

/// Five jobs one second apart: a1 COMPLETED, b2 FAILED, c3 STOPPED, d4 INPROGRESS,
/// e5 STARTING.
fn five(paging: Paging) -> Emulator {
    let emulator = Emulator::builder()
        .manual_clock_at(T0)
        .paging(paging)
        .build();
    let step = |ms| emulator.advance_clock(Duration::from_millis(ms)).unwrap();
    create(&emulator, "a1");
    step(1_000);
    let mut failing = create_body("b2");
    failing["InputConfig"]["S3Uri"] = json!("s3://bucket/train.csv");
    ok(&emulator, "CreateCompilationJob", &failing);
    step(1_000);
    create(&emulator, "c3");
    ok(&emulator, "StopCompilationJob", &named("c3"));
    step(3_000);
    create(&emulator, "d4");
    step(1_500);
    create(&emulator, "e5");
    emulator
}

fn list(emulator: &Emulator, request: Value) -> Value {
    ok(emulator, "ListCompilationJobs", &request)
}

/// Follows tokens to the end; returns the names of every page.
fn walk(emulator: &Emulator, request: Value) -> Vec<Vec<String>> {
    let mut pages = Vec::new();
    let mut request = request;
    loop {
        let page = list(emulator, request.clone());
        pages.push(names(&page));
        match page.get("NextToken") {
            Some(token) => {
                assert_ne!(Some(token), request.get("NextToken"), "a token was echoed");
                request["NextToken"] = token.clone();
            }
            None => return pages,
        }
        assert!(pages.len() < 100, "no end of pages");
    }
}

#[test]
fn the_default_is_creation_time_ascending_with_ten_per_page() {
    let emulator = Emulator::builder().manual_clock_at(T0).build();
    for i in 0..12 {
        create(&emulator, &format!("job-{i:02}"));
        emulator.advance_clock(Duration::from_millis(1)).unwrap();
    }
    let pages = walk(&emulator, json!({}));
    assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [10, 2]);
    assert_eq!(pages[0][0], "job-00");
    assert_eq!(pages[1], ["job-10", "job-11"]);
}

#[test]
fn every_sort_key_and_order_gives_its_documented_sequence() {
    let emulator = five(Paging::Window);
    let all = |sort_by: &str, order: &str| {
        walk(
            &emulator,
            json!({ "SortBy": sort_by, "SortOrder": order, "MaxResults": 2 }),
        )
        .concat()
    };
    assert_eq!(
        all("CreationTime", "Ascending"),
        ["a1", "b2", "c3", "d4", "e5"]
    );
    assert_eq!(
        all("CreationTime", "Descending"),
        ["e5", "d4", "c3", "b2", "a1"]
    );
    assert_eq!(all("Name", "Descending"), ["e5", "d4", "c3", "b2", "a1"]);
    // COMPLETED < FAILED < INPROGRESS < STARTING < STOPPED (c3 is STOPPED by now).
    assert_eq!(all("Status", "Ascending"), ["a1", "b2", "d4", "e5", "c3"]);
    assert_eq!(all("Status", "Descending"), ["c3", "e5", "d4", "b2", "a1"]);
}

#[test]
fn equal_creation_times_fall_back_to_name_order() {
    let emulator = Emulator::builder().manual_clock_at(T0).build();
    for name in ["zeta", "Alpha", "beta"] {
        create(&emulator, name);
    }
    let pages = walk(&emulator, json!({ "MaxResults": 1 }));
    assert_eq!(pages.concat(), ["Alpha", "beta", "zeta"]);
}

#[test]
fn window_paging_filters_each_window_so_pages_can_be_short_or_empty_with_a_token() {
    let emulator = five(Paging::Window);
    let pages = walk(
        &emulator,
        json!({ "StatusEquals": "STARTING", "MaxResults": 2 }),
    );
    assert_eq!(pages, [vec![], vec![], vec!["e5".to_owned()]]);
}

#[test]
fn filtered_paging_gives_full_pages_of_matching_jobs() {
    let emulator = five(Paging::Filtered);
    let pages = walk(&emulator, json!({ "NameContains": "3", "MaxResults": 1 }));
    assert_eq!(pages, [vec!["c3".to_owned()]]);
    let pages = walk(
        &emulator,
        json!({ "CreationTimeAfter": 1_700_000_001, "MaxResults": 2 }),
    );
    assert_eq!(
        pages,
        [
            vec!["b2".to_owned(), "c3".to_owned()],
            vec!["d4".to_owned(), "e5".to_owned()]
        ]
    );
}

#[test]
fn time_filters_include_the_after_bound_and_exclude_the_before_bound() {
    let emulator = five(Paging::Filtered);
    let page = list(
        &emulator,
        json!({ "CreationTimeAfter": 1_700_000_001, "CreationTimeBefore": 1_700_000_005 }),
    );
    assert_eq!(names(&page), ["b2", "c3"]);
    // c3 was STOPPED at second 3; d4 started and e5 was created within second 6.
    let page = list(
        &emulator,
        json!({ "LastModifiedTimeBefore": 1_700_000_003.5 }),
    );
    assert_eq!(names(&page), ["c3"]);
    let page = list(&emulator, json!({ "LastModifiedTimeAfter": 1_700_000_006 }));
    assert_eq!(names(&page), ["d4", "e5"]);
}

#[test]
fn name_contains_ignores_case() {
    let emulator = Emulator::builder().manual_clock_at(T0).build();
    create(&emulator, "Resnet-Edge");
    create(&emulator, "bert");
    assert_eq!(
        names(&list(&emulator, json!({ "NameContains": "rESNET" }))),
        ["Resnet-Edge"]
    );
}

#[test]
fn a_token_only_works_for_the_query_that_made_it() {
    let emulator = five(Paging::Window);
    let first = list(&emulator, json!({ "MaxResults": 1 }));
    let token = first["NextToken"].clone();
    let message = err(
        &emulator,
        "ListCompilationJobs",
        &json!({ "MaxResults": 1, "SortBy": "Name", "NextToken": token }),
        "ValidationException",
    );
    assert_eq!(message, "Invalid pagination token");
    // The page size may change between pages.
    let second = list(&emulator, json!({ "MaxResults": 3, "NextToken": token }));
    assert_eq!(names(&second), ["b2", "c3", "d4"]);
}

#[test]
fn garbled_truncated_and_foreign_tokens_are_invalid() {
    let emulator = five(Paging::Window);
    let token = list(&emulator, json!({ "MaxResults": 1 }))["NextToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let other_server = five(Paging::Window);
    for bad in [
        "garbage".to_owned(),
        token[..token.len() / 2].to_owned(),
        token.replace('A', "B"),
    ] {
        let message = err(
            &emulator,
            "ListCompilationJobs",
            &json!({ "NextToken": bad }),
            "ValidationException",
        );
        assert_eq!(message, "Invalid pagination token");
    }
    let message = err(
        &other_server,
        "ListCompilationJobs",
        &json!({ "MaxResults": 1, "NextToken": token }),
        "ValidationException",
    );
    assert_eq!(message, "Invalid pagination token");
}

#[test]
fn tokens_from_a_server_with_the_same_key_stay_valid() {
    let make = || {
        Emulator::builder()
            .manual_clock_at(T0)
            .token_key(Some("shared".to_owned()))
            .build()
    };
    let (first, second) = (make(), make());
    for emulator in [&first, &second] {
        create(emulator, "a");
        create(emulator, "b");
    }
    let token = list(&first, json!({ "MaxResults": 1 }))["NextToken"].clone();
    assert_eq!(
        names(&list(
            &second,
            json!({ "MaxResults": 1, "NextToken": token })
        )),
        ["b"]
    );
}

#[test]
fn a_walk_returns_each_surviving_job_once_while_others_are_created_and_deleted() {
    let emulator = five(Paging::Window);
    emulator.advance_clock(Duration::from_secs(10)).unwrap();
    let first = list(&emulator, json!({ "MaxResults": 2 }));
    assert_eq!(names(&first), ["a1", "b2"]);
    ok(&emulator, "DeleteCompilationJob", &named("a1"));
    ok(&emulator, "DeleteCompilationJob", &named("c3"));
    create(&emulator, "f6");
    let rest = walk(
        &emulator,
        json!({ "MaxResults": 2, "NextToken": first["NextToken"] }),
    );
    assert_eq!(rest.concat(), ["d4", "e5", "f6"]);
}

#[test]
fn a_token_over_the_model_limit_fails_its_length_constraint() {
    let emulator = five(Paging::Window);
    let long = "A".repeat(8193);
    let message = err(
        &emulator,
        "ListCompilationJobs",
        &json!({ "NextToken": long }),
        "ValidationException",
    );
    assert_eq!(
        message,
        format!(
            "1 validation error detected: Value '{long}' at 'nextToken' failed to satisfy constraint: Member must have length less than or equal to 8192"
        )
    );
    let at_limit = "A".repeat(8192);
    let message = err(
        &emulator,
        "ListCompilationJobs",
        &json!({ "NextToken": at_limit }),
        "ValidationException",
    );
    assert_eq!(message, "Invalid pagination token");
}

#[test]
fn a_window_that_ends_exactly_at_the_last_job_carries_no_token() {
    let emulator = five(Paging::Window);
    let pages = walk(&emulator, json!({ "MaxResults": 5 }));
    assert_eq!(pages, [vec!["a1", "b2", "c3", "d4", "e5"]]);
    let pages = walk(&emulator, json!({ "MaxResults": 100 }));
    assert_eq!(pages.len(), 1);
}
