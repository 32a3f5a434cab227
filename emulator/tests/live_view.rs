//! The live view over a real socket: `GET /_cjh/` answers one HTML page with every
//! account's and region's jobs (status as Describe answers it, times, failure reason,
//! tags) and the latest journaled requests, escapes what requests put in it, reloads
//! itself unless told not to, and answers no other method.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod raw_http;

use std::time::Duration;

use cjh_emulator::{ClockMode, Emulator, HTML_CONTENT_TYPE, UNTAR_FAILURE};
use common::create_body;
use raw_http::{Answer, Connection, addr_of};
use serde_json::{Value, json};

/// The Authorization header line of a request scoped to `region` (unchecked without
/// SigV4, but it picks the partition).
fn scoped(region: &str) -> String {
    format!(
        "Authorization: AWS4-HMAC-SHA256 Credential=AKID/20240101/{region}/sagemaker/aws4_request, SignedHeaders=host, Signature=00\r\n"
    )
}

/// Creates `body`'s job in `region`, asserting success.
async fn create_in(connection: &mut Connection, region: &str, body: &Value) {
    let body = body.to_string();
    connection
        .send(
            "/",
            Some("CreateCompilationJob"),
            &scoped(region),
            body.as_bytes(),
        )
        .await;
    let answer = connection.answer().await.unwrap();
    assert_eq!(answer.status, 200, "{answer:?}");
}

fn tagged(mut body: Value, key: &str, value: &str) -> Value {
    body["Tags"] = json!([{ "Key": key, "Value": value }]);
    body
}

fn text(answer: &Answer) -> String {
    String::from_utf8(answer.body.clone()).unwrap()
}

/// An emulator on a manual clock with: `vision-resnet` COMPLETED and `broken-zip` FAILED
/// in us-east-1, `audio-net` STARTING in eu-west-1, and a failed Describe.
async fn populated() -> (Emulator, Connection) {
    let emulator = Emulator::builder().clock(ClockMode::Manual).build();
    let url = emulator.start().await.unwrap();
    let mut connection = Connection::open(&addr_of(&url)).await;
    let done = tagged(create_body("vision-resnet"), "team", "vision");
    create_in(&mut connection, "us-east-1", &done).await;
    let mut broken = create_body("broken-zip");
    broken["InputConfig"]["S3Uri"] = json!("s3://bucket/models/resnet.zip");
    create_in(&mut connection, "us-east-1", &broken).await;
    emulator.advance_clock(Duration::from_secs(60)).unwrap();
    let starting = tagged(create_body("audio-net"), "team", "audio");
    create_in(&mut connection, "eu-west-1", &starting).await;
    let missing = json!({ "CompilationJobName": "no-such-job" }).to_string();
    let answer = connection.call("DescribeCompilationJob", &missing).await;
    assert_eq!(answer.status, 400, "{answer:?}");
    (emulator, connection)
}

#[tokio::test]
async fn the_page_is_html_with_every_regions_jobs_their_statuses_and_tags() {
    let (_emulator, mut connection) = populated().await;
    let answer = connection.get("/_cjh/").await;
    assert_eq!(answer.status, 200, "{answer:?}");
    assert_eq!(answer.header("content-type"), Some(HTML_CONTENT_TYPE));
    let page = text(&answer);
    assert!(page.starts_with("<!DOCTYPE html>"), "{page}");
    for heading in [
        "Account <code>000000000000</code> · region <code>eu-west-1</code>",
        "Account <code>000000000000</code> · region <code>us-east-1</code>",
    ] {
        assert!(page.contains(heading), "no heading {heading}: {page}");
    }
    assert!(
        page.find("region <code>eu-west-1</code>") < page.find("region <code>us-east-1</code>"),
        "partitions in order"
    );
    for (name, status) in [
        ("vision-resnet", "COMPLETED"),
        ("broken-zip", "FAILED"),
        ("audio-net", "STARTING"),
    ] {
        let row = page
            .split("<tr>")
            .find(|row| row.contains(&format!("<code>{name}</code>")))
            .unwrap_or_else(|| panic!("no row for {name}: {page}"));
        assert!(
            row.contains(&format!("<span class=\"status {status}\">{status}</span>")),
            "{name} is not {status}: {row}"
        );
    }
    assert!(
        page.contains("<span class=\"tag\">team=vision</span>"),
        "{page}"
    );
    assert!(
        page.contains("<span class=\"tag\">team=audio</span>"),
        "{page}"
    );
    // The untar failure's own text, with its stray `')`.
    let reason = UNTAR_FAILURE.split("  ").next().unwrap();
    assert!(page.contains(reason), "no failure reason: {page}");
}

#[tokio::test]
async fn the_page_lists_the_journaled_requests_newest_first_with_their_error_codes() {
    let (_emulator, mut connection) = populated().await;
    let page = text(&connection.get("/_cjh/?refresh=0").await);
    let requests = &page[page.find("Latest requests").unwrap()..];
    let describe = requests
        .find("<code>DescribeCompilationJob</code>")
        .unwrap();
    let create = requests.find("<code>CreateCompilationJob</code>").unwrap();
    assert!(
        describe < create,
        "the newest request comes first: {requests}"
    );
    let failed = requests
        .split("<tr")
        .find(|row| row.contains("DescribeCompilationJob"))
        .unwrap();
    assert!(failed.contains("class=\"error\""), "{failed}");
    assert!(
        failed.contains(">400<") && failed.contains(">ValidationException<"),
        "{failed}"
    );
    assert!(failed.contains(">4<"), "the fourth request: {failed}");
    assert!(requests.contains("<code>eu-west-1</code>"), "{requests}");
}

/// Tag values and job names cannot carry markup (their model patterns refuse `<`, `>`
/// and `&`; `live::jobs`'s unit tests show them escaped anyway), but an operation name is
/// whatever `X-Amz-Target` says, and the journal keeps it as sent.
#[tokio::test]
async fn what_requests_put_on_the_page_is_escaped() {
    let emulator = Emulator::builder().build();
    let url = emulator.start().await.unwrap();
    let mut connection = Connection::open(&addr_of(&url)).await;
    let hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>";
    connection.send("/", Some(hostile), "", b"{}").await;
    let refused = connection.answer().await.unwrap();
    assert_eq!(
        refused.error_code().as_deref(),
        Some("UnknownOperationException")
    );
    let page = text(&connection.get("/_cjh/").await);
    assert!(
        page.contains(
            "<code>&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;</code>"
        ),
        "{page}"
    );
    assert!(
        !page.contains("<script") && !page.contains("<img"),
        "{page}"
    );
}

#[tokio::test]
async fn the_page_reloads_every_two_seconds_unless_refresh_says_otherwise() {
    let emulator = Emulator::builder().build();
    let mut connection = Connection::open(&addr_of(&emulator.start().await.unwrap())).await;
    let default = text(&connection.get("/_cjh/").await);
    assert!(
        default.contains("<meta http-equiv=\"refresh\" content=\"2\">"),
        "{default}"
    );
    let slower = text(&connection.get("/_cjh/?refresh=15").await);
    assert!(slower.contains("content=\"15\""), "{slower}");
    let paused = text(&connection.get("/_cjh/?refresh=0").await);
    assert!(!paused.contains("http-equiv=\"refresh\""), "{paused}");
    assert!(paused.contains("No jobs yet"), "{paused}");
    let refused = connection.get("/_cjh/?refresh=soon").await;
    assert_eq!(refused.status, 400);
    assert_eq!(refused.error_code().as_deref(), Some("ValidationException"));
}

#[tokio::test]
async fn the_page_fetches_nothing_from_anywhere() {
    let (_emulator, mut connection) = populated().await;
    let page = text(&connection.get("/_cjh/").await);
    for outside in [
        "<script", "<link", "<img", "src=", "@import", "url(", "http://", "https://",
    ] {
        // The failure reason carries SageMaker's troubleshooting URL as text; no
        // attribute points anywhere.
        let found = page.matches(outside).count();
        let in_reason = if outside == "https://" { 1 } else { 0 };
        assert_eq!(found, in_reason, "{outside} in {page}");
    }
    assert!(
        page.contains("content=\"default-src 'none'; style-src 'unsafe-inline'\""),
        "{page}"
    );
}

#[tokio::test]
async fn a_method_other_than_get_is_an_unknown_control_endpoint() {
    let emulator = Emulator::builder().build();
    let mut connection = Connection::open(&addr_of(&emulator.start().await.unwrap())).await;
    connection.send("/_cjh/", None, "", b"{}").await;
    let posted = connection.answer().await.unwrap();
    let deleted = connection.delete("/_cjh/").await;
    for answer in [posted, deleted] {
        assert_eq!(answer.status, 400, "{answer:?}");
        assert_eq!(
            answer.error_code().as_deref(),
            Some("UnknownOperationException")
        );
        let message = answer.json()["Message"].as_str().unwrap().to_owned();
        assert!(message.contains("there are GET /_cjh/, "), "{message}");
    }
}
