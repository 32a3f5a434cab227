//! Hostile input against the real HTTP server over loopback: one test per corpus file
//! under `corpus/` (one family each), plus the wrong-type matrix generated from the
//! model. Every case must get the answer its file states (a well-formed AWS error, a 4xx
//! from the HTTP layer, a close, or for odd but valid reads a 200), never a 5xx, and
//! never hang; after every case the server must still answer a health check and hold
//! exactly the jobs seeded before. `docs/reliability.md` describes the corpus.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod case;
mod client;
#[path = "../common/mod.rs"]
mod common;
mod corpus;
mod run;
mod seeds;
mod server;
mod types;
mod verdict;

/// Every corpus file, each with its test below.
const FAMILIES: [&str; 17] = [
    "amz_target",
    "byte_order_marks",
    "chunked_encoding",
    "content_type",
    "deep_nesting",
    "duplicate_keys",
    "empty_bodies",
    "huge_names",
    "huge_numbers",
    "invalid_utf8",
    "methods_and_paths",
    "nan_like",
    "oversized_headers",
    "slow_bodies",
    "trailing_garbage",
    "truncated_bodies",
    "wrong_types",
];

#[tokio::test]
async fn x_amz_target_variations_are_unknown_operations() {
    run::family("amz_target").await;
}

#[tokio::test]
async fn byte_order_marks_before_the_json_are_refused() {
    run::family("byte_order_marks").await;
}

#[tokio::test]
async fn malformed_chunked_bodies_are_refused() {
    run::family("chunked_encoding").await;
}

#[tokio::test]
async fn a_wrong_or_missing_content_type_is_an_unknown_operation() {
    run::family("content_type").await;
}

#[tokio::test]
async fn ten_thousand_deep_nesting_is_refused_without_a_crash() {
    run::family("deep_nesting").await;
}

#[tokio::test]
async fn duplicate_json_keys_take_their_last_value() {
    run::family("duplicate_keys").await;
}

#[tokio::test]
async fn empty_and_blank_bodies_read_as_an_empty_object() {
    run::family("empty_bodies").await;
}

#[tokio::test]
async fn names_of_8_kb_and_1_mb_are_refused_by_validation_or_the_body_limit() {
    run::family("huge_names").await;
}

#[tokio::test]
async fn numbers_out_of_every_range_are_refused() {
    run::family("huge_numbers").await;
}

#[tokio::test]
async fn bytes_that_are_not_utf8_in_bodies_and_headers_are_refused() {
    run::family("invalid_utf8").await;
}

#[tokio::test]
async fn wrong_methods_and_paths_are_unknown_operations() {
    run::family("methods_and_paths").await;
}

#[tokio::test]
async fn nan_and_infinity_in_every_spelling_are_refused() {
    run::family("nan_like").await;
}

#[tokio::test]
async fn oversized_headers_are_refused_by_the_http_layer() {
    run::family("oversized_headers").await;
}

#[tokio::test]
async fn slow_requests_are_cut_off_by_the_read_timeout() {
    run::family("slow_bodies").await;
}

#[tokio::test]
async fn trailing_garbage_after_the_json_is_refused() {
    run::family("trailing_garbage").await;
}

#[tokio::test]
async fn truncated_bodies_are_refused_or_timed_out() {
    run::family("truncated_bodies").await;
}

#[tokio::test]
async fn every_member_of_every_input_refuses_every_wrong_json_type() {
    let cases = types::cases();
    assert!(cases.len() >= 200, "only {} generated cases", cases.len());
    run::cases_against_a_fresh_server("wrong_types", cases, false).await;
}

#[test]
fn every_corpus_file_has_its_test() {
    assert_eq!(corpus::stems(), FAMILIES, "add a test for each corpus file");
}

#[test]
fn the_corpus_holds_at_least_200_hand_made_requests() {
    let counts: Vec<(&str, usize)> = FAMILIES
        .iter()
        .filter(|stem| **stem != "wrong_types")
        .map(|stem| (*stem, corpus::load(stem).cases.len()))
        .collect();
    let total: usize = counts.iter().map(|(_, n)| n).sum();
    assert!(total >= 200, "{total} hand-made cases: {counts:?}");
}
