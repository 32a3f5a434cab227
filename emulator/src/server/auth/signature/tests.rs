//! Known answers from the AWS SigV4 test suite (as shipped in aws-sigv4's
//! `aws-signing-test-suite/v4`): credentials `AKIDEXAMPLE` /
//! `wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY`, 2015-08-30T12:36:00Z, us-east-1,
//! service `service`, empty body.
//!
//! Where the suite gives a canonical request but no signature, or for a case of cjh's
//! own, the expected signature is derived from the canonical request written out in
//! the test, so each case still states what the request must canonicalize to.

use std::time::{Duration, UNIX_EPOCH};

use sha2::{Digest, Sha256};

use super::*;

const KEY: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const AMZ_DATE: &str = "20150830T123600Z";
const EMPTY_HASH: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

fn scope() -> Scope {
    Scope {
        day: "20150830".to_owned(),
        region: "us-east-1".to_owned(),
        service: "service".to_owned(),
        terminator: "aws4_request".to_owned(),
    }
}

fn at() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_440_938_160)
}

/// A received request: `host` and `x-amz-date` as in the suite, then `extra` in order.
fn request(method: &str, uri: &str, extra: &[(&str, &str)]) -> Parts {
    let mut builder = http::Request::builder()
        .method(method)
        .uri(uri)
        .header("host", "example.amazonaws.com")
        .header("x-amz-date", AMZ_DATE);
    for (name, value) in extra {
        builder = builder.header(*name, *value);
    }
    builder.body(()).unwrap_or_default().into_parts().0
}

fn names(list: &str) -> Vec<String> {
    list.split(';').map(str::to_owned).collect()
}

/// What `verify` computes for `request` with the suite's key and scope.
fn expected(request: &Parts, signed: &str) -> Option<String> {
    let scope = scope();
    let signed = names(signed);
    expected_signature(
        request,
        Signing {
            access_key_id: KEY,
            secret: SECRET,
            scope: &scope,
            time: at(),
            signed_headers: &signed,
            payload_hash: EMPTY_HASH,
        },
    )
}

/// The signature of a canonical request written out, derived independently of the
/// signer's canonicalization: the string to sign, then the suite's key.
fn signature_of(canonical: &str) -> Option<String> {
    let hash = format!("{:x}", Sha256::digest(canonical.as_bytes()));
    let to_sign =
        format!("AWS4-HMAC-SHA256\n{AMZ_DATE}\n20150830/us-east-1/service/aws4_request\n{hash}");
    let key = v4::generate_signing_key(SECRET, at(), "us-east-1", "service");
    Some(v4::calculate_signature(key, to_sign.as_bytes()))
}

/// The canonical request of a `host;x-amz-date` request with an empty body.
fn plain(method: &str, path: &str, query: &str) -> String {
    format!(
        "{method}\n{path}\n{query}\nhost:example.amazonaws.com\nx-amz-date:{AMZ_DATE}\n\nhost;x-amz-date\n{EMPTY_HASH}"
    )
}

fn suite(signature: &str) -> Option<String> {
    Some(signature.to_owned())
}

#[test]
fn get_vanilla_gives_the_suites_canonical_request_and_signature() {
    let request = request("GET", "/", &[]);
    let signature = expected(&request, "host;x-amz-date");
    assert_eq!(signature, signature_of(&plain("GET", "/", "")));
    assert_eq!(
        signature,
        suite("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
    );
}

#[test]
fn get_header_value_trim_collapses_inner_spaces_and_matches_the_suite() {
    let extra = [("my-header1", " value1"), ("my-header2", "\"a   b   c\"")];
    let request = request("GET", "/", &extra);
    assert_eq!(
        expected(&request, "host;my-header1;my-header2;x-amz-date"),
        suite("acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736")
    );
}

#[test]
fn get_vanilla_query_order_key_case_sorts_parameters_and_matches_the_suite() {
    let request = request("GET", "/?Param2=value2&Param1=value1", &[]);
    assert_eq!(
        expected(&request, "host;x-amz-date"),
        suite("b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")
    );
}

#[test]
fn get_vanilla_with_session_token_signs_the_token_header() {
    let token = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";
    let request = request("GET", "/", &[("x-amz-security-token", token)]);
    assert_eq!(
        expected(&request, "host;x-amz-date;x-amz-security-token"),
        suite("07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8")
    );
}

#[test]
fn repeated_headers_join_with_commas_in_arrival_order() {
    let extra = [
        ("my-header1", "value4"),
        ("my-header1", "value1"),
        ("my-header1", "value3"),
        ("my-header1", "value2"),
    ];
    let request = request("GET", "/", &extra);
    // The suite's get-header-value-order.
    assert_eq!(
        expected(&request, "host;my-header1;x-amz-date"),
        suite("08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01")
    );
    let request = self::request("POST", "/", &[("my-header", "b"), ("my-header", "  a  ")]);
    let canonical = format!("POST\n/\n\nmy-header:b,a\n\nmy-header\n{EMPTY_HASH}");
    assert_eq!(expected(&request, "my-header"), signature_of(&canonical));
}

#[test]
fn the_path_is_normalized_then_encoded_once_more() {
    let cases = [
        (
            "/test/@connections/JBDvjfGEIAMCERw%3D",
            "/test/%40connections/JBDvjfGEIAMCERw%253D",
        ),
        ("/a/./b/../c//d/", "/a/c/d/"),
        ("/..", "/"),
        ("//example//", "/example/"),
    ];
    for (path, canonical) in cases {
        let request = request("GET", path, &[]);
        assert_eq!(
            expected(&request, "host;x-amz-date"),
            signature_of(&plain("GET", canonical, "")),
            "{path}"
        );
    }
}

#[test]
fn a_request_without_a_path_signs_the_root() {
    let request = request("GET", "example.amazonaws.com:443", &[]);
    assert_eq!(
        expected(&request, "host;x-amz-date"),
        signature_of(&plain("GET", "/", ""))
    );
}

#[test]
fn query_values_are_decoded_then_strictly_reencoded() {
    let cases = [
        ("/?b=x+y&a=%2f&c", "a=%2F&b=x%20y&c="),
        ("/?k=50%", "k=50%25"),
        ("/?", ""),
    ];
    for (uri, canonical) in cases {
        let request = request("GET", uri, &[]);
        assert_eq!(
            expected(&request, "host;x-amz-date"),
            signature_of(&plain("GET", "/", canonical)),
            "{uri}"
        );
    }
}

#[test]
fn only_the_headers_the_client_signed_are_signed_user_agent_included() {
    let extra = [("user-agent", "aws-cli/2"), ("x-amz-target", "SageMaker.X")];
    let request = request("POST", "/", &extra);
    let canonical = format!(
        "POST\n/\n\nhost:example.amazonaws.com\nuser-agent:aws-cli/2\n\nhost;user-agent\n{EMPTY_HASH}"
    );
    assert_eq!(
        expected(&request, "host;user-agent"),
        signature_of(&canonical)
    );
}

#[test]
fn a_signed_header_the_request_lacks_reads_as_empty() {
    let request = request("GET", "/", &[]);
    let canonical = format!(
        "GET\n/\n\nhost:example.amazonaws.com\nmy-header:\nx-amz-date:{AMZ_DATE}\n\nhost;my-header;x-amz-date\n{EMPTY_HASH}"
    );
    assert_eq!(
        expected(&request, "host;my-header;x-amz-date"),
        signature_of(&canonical)
    );
}

#[test]
fn a_signed_name_that_is_no_header_name_has_no_signature() {
    let request = request("GET", "/", &[]);
    assert_eq!(expected(&request, "host;bad header;x-amz-date"), None);
}

#[test]
fn signatures_compare_equal_only_when_every_byte_matches() {
    assert!(same_signature("abcd", "abcd"));
    assert!(!same_signature("abcd", "abce"));
    assert!(!same_signature("abcd", "abc"));
}
