//! A page token is bound to the region that issued it, over a real socket: the same
//! listing query in another region refuses it as AWS refuses a token it cannot read. The
//! region is the one of the request's credential scope (unchecked with `auth = none`).
//! The account half, under `auth = sigv4`, is in `harness/tests/auth_sigv4/binary.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod raw_http;

use cjh_emulator::Emulator;
use raw_http::{Answer, Connection, addr_of};
use serde_json::{Value, json};

/// An Authorization header scoped to `region`; its signature is not checked.
fn scoped(region: &str) -> String {
    format!(
        "Authorization: AWS4-HMAC-SHA256 Credential=AKID/20240101/{region}/sagemaker/aws4_request, SignedHeaders=host, Signature=00\r\n"
    )
}

async fn call_in(
    connection: &mut Connection,
    region: &str,
    operation: &str,
    body: &Value,
) -> Answer {
    let body = body.to_string();
    connection
        .send("/", Some(operation), &scoped(region), body.as_bytes())
        .await;
    connection.answer().await.unwrap()
}

#[tokio::test]
async fn a_token_issued_in_one_region_is_invalid_in_another() {
    let emulator = Emulator::builder().build();
    let mut connection = Connection::open(&addr_of(&emulator.start().await.unwrap())).await;
    // Two jobs in each region, so the token would be a position in either listing.
    for region in ["us-east-1", "eu-west-1"] {
        for name in ["first", "second"] {
            let created = call_in(
                &mut connection,
                region,
                "CreateCompilationJob",
                &common::create_body(name),
            )
            .await;
            assert_eq!(created.status, 200, "{region} {name}: {:?}", created.json());
        }
    }
    let query = json!({ "MaxResults": 1 });
    let page = call_in(&mut connection, "us-east-1", "ListCompilationJobs", &query).await;
    let token = page.json()["NextToken"].clone();
    assert!(token.is_string(), "{:?}", page.json());
    let next = json!({ "MaxResults": 1, "NextToken": token });

    let elsewhere = call_in(&mut connection, "eu-west-1", "ListCompilationJobs", &next).await;
    assert_eq!(elsewhere.status, 400, "{:?}", elsewhere.json());
    assert_eq!(
        elsewhere.error_code().as_deref(),
        Some("ValidationException")
    );
    assert_eq!(elsewhere.json()["Message"], "Invalid pagination token");
    // The token itself is good where it was issued.
    let home = call_in(&mut connection, "us-east-1", "ListCompilationJobs", &next).await;
    assert_eq!(home.status, 200, "{:?}", home.json());
    assert_eq!(common::names(&home.json()), ["second"]);
}
