//! Binary bodies through a mock server: a recorded request that is not UTF-8 matches only
//! the same bytes, and its recorded binary answer comes back byte for byte, where a
//! lossy text recording would have mangled both.

use super::*;

use cjh::exchange::{Body, Headers, Request, Response};
use cjh::recording::{FORMAT, RecordedExchange, Recording, Source, VERSION};
use cjh::targets::{Target, UrlTarget};

const ASKED: &[u8] = &[0x00, 0xff, 0xfe, 0x01];
const ANSWERED: &[u8] = &[0x1f, 0x8b, 0x08, 0x00, 0x80, 0x81];

fn recording() -> Recording {
    Recording {
        format: FORMAT.to_owned(),
        version: VERSION,
        scenario: "wire/binary".to_owned(),
        provenance: hand_made::provenance(Source::Url, "http://127.0.0.1:1", "cjhtest"),
        exchanges: vec![RecordedExchange {
            operation: "ListCompilationJobs".to_owned(),
            request: Request::aws_json(
                Some("SageMaker.ListCompilationJobs"),
                Body::from_bytes(ASKED),
            ),
            response: Response {
                status: 200,
                headers: Headers::new().with("content-type", "application/octet-stream"),
                body: Body::from_bytes(ANSWERED),
            },
            reconstructed: false,
            sent_at: None,
        }],
    }
}

#[tokio::test]
async fn a_binary_request_gets_its_recorded_binary_answer_byte_for_byte() {
    let server = cjh::mock::start(&[recording()]).await;
    let client = UrlTarget::new(&server.uri(), None).unwrap();

    let same = client
        .send(Request::aws_json(
            Some("SageMaker.ListCompilationJobs"),
            Body::from_bytes(ASKED),
        ))
        .await
        .unwrap()
        .response;
    let other = client
        .send(Request::aws_json(
            Some("SageMaker.ListCompilationJobs"),
            Body::from_bytes(&[0x00, 0xff]),
        ))
        .await
        .unwrap()
        .response;

    assert_eq!(same.status, 200);
    assert_eq!(same.body.to_bytes(), ANSWERED);
    assert_eq!(other.status, cjh::mock::UNRECORDED_STATUS);
    let message = other.body.json().unwrap()["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(message.contains("bytes that are not UTF-8"), "{message}");
}
