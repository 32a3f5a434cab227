//! SigV4 checking (`auth = sigv4`, fidelity rows F21 and F22): signed requests pass and
//! land in their key's account, and every kind of bad signature gets AWS's 403 error.
//! Requests go over real HTTP to an in-process emulator, signed by the harness's own
//! `Signer`, by hand with aws-sigv4, or by aws-sdk-sagemaker; one test runs the binary.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;
use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};

use cjh::exchange::{Body, Request};
use cjh::targets::{Signer, Target, UrlTarget};
use cjh_emulator::Credential;

const KEY_ONE: &str = "AKIDACCOUNTONE";
const SECRET_ONE: &str = "secret-of-account-one";
const ACCOUNT_ONE: &str = "111122223333";
const KEY_TWO: &str = "AKIDACCOUNTTWO";
const SECRET_TWO: &str = "secret-of-account-two";
const ACCOUNT_TWO: &str = "444455556666";

const MISMATCH: &str = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

/// An emulator checking SigV4 with two keys in two accounts.
fn emulator() -> cjh_emulator::EmulatorBuilder {
    cjh_emulator::Emulator::builder()
        .auth(cjh_emulator::AuthMode::Sigv4)
        .credential(Credential::new(KEY_ONE, SECRET_ONE, ACCOUNT_ONE))
        .credential(Credential::new(KEY_TWO, SECRET_TWO, ACCOUNT_TWO))
}

fn signer(key: &str, secret: &str, region: &str) -> Signer {
    Signer::new(Credentials::new(key, secret, None, None, "test"), region)
}

fn target(url: &str, signer: Signer) -> UrlTarget {
    UrlTarget::new(url, Some(signer)).unwrap()
}

/// Status and JSON body of one call through a target.
async fn call(target: &UrlTarget, operation: &str, body: &Value) -> (u16, Value) {
    let response = target
        .send(Request::aws_json(
            Some(&format!("SageMaker.{operation}")),
            Body::from_bytes(body.to_string().as_bytes()),
        ))
        .await
        .unwrap()
        .response;
    (response.status, parse(&response.body.to_bytes()))
}

fn parse(body: &[u8]) -> Value {
    if body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(body).unwrap()
    }
}

use common::minimal_create_body as create_body;

fn assert_error(answer: &(u16, Value), code: &str, message: &str) {
    assert_eq!(answer.0, 403, "{answer:?}");
    assert_eq!(answer.1["__type"], code, "{answer:?}");
    assert_eq!(answer.1["Message"], message, "{answer:?}");
}

/// A request to `url` signed by hand with aws-sigv4: `sign_body` is what the signature
/// covers, `send_body` what is sent.
struct HandSigned<'a> {
    key: &'a str,
    secret: &'a str,
    region: &'a str,
    service: &'a str,
    time: SystemTime,
    sign_body: &'a [u8],
    send_body: &'a [u8],
}

impl HandSigned<'_> {
    fn valid(body: &[u8]) -> HandSigned<'_> {
        HandSigned {
            key: KEY_ONE,
            secret: SECRET_ONE,
            region: "us-east-1",
            service: "sagemaker",
            time: SystemTime::now(),
            sign_body: body,
            send_body: body,
        }
    }

    /// Sends to `operation`: a SageMaker operation's name, or a whole target such as
    /// `ResourceGroupsTaggingAPI_20170126.GetResources`.
    async fn send(&self, url: &str, operation: &str) -> (u16, Value) {
        let host = url.trim_start_matches("http://");
        let target = if operation.contains('.') {
            operation.to_owned()
        } else {
            format!("SageMaker.{operation}")
        };
        let mut request = http::Request::post(format!("{url}/"))
            .header("host", host)
            .header("content-type", "application/x-amz-json-1.1")
            .header("x-amz-target", target)
            .body(Full::new(Bytes::copy_from_slice(self.send_body)))
            .unwrap();
        let identity: Identity = Credentials::new(self.key, self.secret, None, None, "t").into();
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(self.region)
            .name(self.service)
            .time(self.time)
            .settings(SigningSettings::default())
            .build()
            .unwrap()
            .into();
        let headers: Vec<(String, String)> = request
            .headers()
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_str().unwrap().to_owned()))
            .collect();
        let signable = SignableRequest::new(
            "POST",
            request.uri().to_string(),
            headers.iter().map(|(n, v)| (n.as_str(), v.as_str())),
            SignableBody::Bytes(self.sign_body),
        )
        .unwrap();
        let (instructions, _) = sign(signable, &params).unwrap().into_parts();
        instructions.apply_to_request_http1x(&mut request);
        send(request).await
    }
}

/// Sends a prepared request as it is.
async fn send(request: http::Request<Full<Bytes>>) -> (u16, Value) {
    let client = Client::builder(TokioExecutor::new()).build_http();
    let response = client.request(request).await.unwrap();
    let status = response.status().as_u16();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, parse(&body))
}

#[tokio::test]
async fn a_correctly_signed_request_succeeds_and_the_arn_carries_the_keys_account() {
    let emulator = emulator().build();
    let url = emulator.start().await.unwrap();
    let one = target(&url, signer(KEY_ONE, SECRET_ONE, "eu-west-1"));
    let (status, body) = call(&one, "CreateCompilationJob", &create_body("signed")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["CompilationJobArn"],
        "arn:aws:sagemaker:eu-west-1:111122223333:compilation-job/signed"
    );
}

#[tokio::test]
async fn a_wrong_secret_is_an_invalid_signature() {
    let emulator = emulator().build();
    let url = emulator.start().await.unwrap();
    let wrong = target(&url, signer(KEY_ONE, "not-the-secret", "us-east-1"));
    let answer = call(&wrong, "ListCompilationJobs", &json!({})).await;
    assert_error(&answer, "InvalidSignatureException", MISMATCH);
}

#[tokio::test]
async fn an_unsigned_request_is_missing_its_authentication_token() {
    let emulator = emulator().build();
    let url = emulator.start().await.unwrap();
    let request = http::Request::post(format!("{url}/"))
        .header("content-type", "application/x-amz-json-1.1")
        .header("x-amz-target", "SageMaker.ListCompilationJobs")
        .body(Full::new(Bytes::from_static(b"{}")))
        .unwrap();
    let answer = send(request).await;
    assert_error(
        &answer,
        "MissingAuthenticationTokenException",
        "Missing Authentication Token",
    );
}

#[tokio::test]
async fn an_unknown_access_key_is_an_unrecognized_client() {
    let emulator = emulator().build();
    let url = emulator.start().await.unwrap();
    let stranger = target(&url, signer("AKIDSTRANGER", SECRET_ONE, "us-east-1"));
    let answer = call(&stranger, "ListCompilationJobs", &json!({})).await;
    assert_error(
        &answer,
        "UnrecognizedClientException",
        "The security token included in the request is invalid.",
    );
}

#[tokio::test]
async fn a_signature_scoped_to_another_service_is_refused() {
    let emulator = emulator().build();
    let url = emulator.start().await.unwrap();
    let request = HandSigned {
        service: "s3",
        ..HandSigned::valid(b"{}")
    };
    let answer = request.send(&url, "ListCompilationJobs").await;
    assert_error(
        &answer,
        "InvalidSignatureException",
        "Credential should be scoped to correct service: 'sagemaker'. ",
    );
}

#[tokio::test]
async fn a_pinned_endpoint_refuses_a_scope_for_another_region() {
    let emulator = emulator()
        .region("us-west-2".to_owned())
        .pin_region(true)
        .build();
    let url = emulator.start().await.unwrap();
    let elsewhere = target(&url, signer(KEY_ONE, SECRET_ONE, "eu-west-1"));
    let answer = call(&elsewhere, "ListCompilationJobs", &json!({})).await;
    assert_error(
        &answer,
        "InvalidSignatureException",
        "Credential should be scoped to a valid region. ",
    );
    let home = target(&url, signer(KEY_ONE, SECRET_ONE, "us-west-2"));
    let (status, body) = call(&home, "ListCompilationJobs", &json!({})).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn a_signature_dated_ten_minutes_ago_has_expired() {
    let emulator = emulator().build();
    let url = emulator.start().await.unwrap();
    let request = HandSigned {
        time: SystemTime::now() - Duration::from_secs(600),
        ..HandSigned::valid(b"{}")
    };
    let (status, body) = request.send(&url, "ListCompilationJobs").await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["__type"], "InvalidSignatureException");
    let message = body["Message"].as_str().unwrap();
    assert!(
        message.starts_with("Signature expired: ")
            && message.contains(" is now earlier than ")
            && message.ends_with(" - 5 min.)"),
        "{message}"
    );
}

#[tokio::test]
async fn a_signature_dated_ten_minutes_ahead_is_not_yet_current() {
    let emulator = emulator().build();
    let url = emulator.start().await.unwrap();
    let request = HandSigned {
        time: SystemTime::now() + Duration::from_secs(600),
        ..HandSigned::valid(b"{}")
    };
    let (status, body) = request.send(&url, "ListCompilationJobs").await;
    assert_eq!(status, 403, "{body}");
    let message = body["Message"].as_str().unwrap();
    assert!(
        message.starts_with("Signature not yet current: ") && message.ends_with(" + 5 min.)"),
        "{message}"
    );
}

#[tokio::test]
async fn freshness_is_judged_by_the_wall_clock_not_the_emulators_manual_clock() {
    let emulator = emulator().clock(cjh_emulator::ClockMode::Manual).build();
    let url = emulator.start().await.unwrap();
    emulator
        .advance_clock(Duration::from_secs(6 * 3600))
        .unwrap();
    let one = target(&url, signer(KEY_ONE, SECRET_ONE, "us-east-1"));
    let (status, body) = call(&one, "ListCompilationJobs", &json!({})).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn a_body_changed_after_signing_is_an_invalid_signature() {
    let emulator = emulator().build();
    let url = emulator.start().await.unwrap();
    let signed_body = create_body("original").to_string();
    let sent_body = create_body("tampered").to_string();
    let request = HandSigned {
        sign_body: signed_body.as_bytes(),
        send_body: sent_body.as_bytes(),
        ..HandSigned::valid(b"")
    };
    let answer = request.send(&url, "CreateCompilationJob").await;
    assert_error(&answer, "InvalidSignatureException", MISMATCH);
    let intact = HandSigned::valid(sent_body.as_bytes());
    let (status, body) = intact.send(&url, "CreateCompilationJob").await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn two_keys_in_two_accounts_see_separate_jobs() {
    let emulator = emulator().build();
    let url = emulator.start().await.unwrap();
    let one = target(&url, signer(KEY_ONE, SECRET_ONE, "us-east-1"));
    let two = target(&url, signer(KEY_TWO, SECRET_TWO, "us-east-1"));
    // The same name in both accounts: no clash, each ARN in its own account.
    for (client, account) in [(&one, ACCOUNT_ONE), (&two, ACCOUNT_TWO)] {
        let (status, body) = call(client, "CreateCompilationJob", &create_body("shared")).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            body["CompilationJobArn"],
            format!("arn:aws:sagemaker:us-east-1:{account}:compilation-job/shared")
        );
    }
    let (_, only_one) = call(&one, "CreateCompilationJob", &create_body("only-one")).await;
    assert!(only_one["CompilationJobArn"].is_string(), "{only_one}");
    let names = |body: &Value| -> Vec<String> {
        let mut names: Vec<String> = body["CompilationJobSummaries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["CompilationJobName"].as_str().unwrap().to_owned())
            .collect();
        names.sort();
        names
    };
    let (_, listed_one) = call(&one, "ListCompilationJobs", &json!({})).await;
    let (_, listed_two) = call(&two, "ListCompilationJobs", &json!({})).await;
    assert_eq!(names(&listed_one), ["only-one", "shared"]);
    assert_eq!(names(&listed_two), ["shared"]);
    let (status, _) = call(
        &two,
        "DescribeCompilationJob",
        &json!({"CompilationJobName": "only-one"}),
    )
    .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn a_signed_session_token_is_accepted() {
    let emulator = emulator().build();
    let url = emulator.start().await.unwrap();
    let credentials = Credentials::new(
        KEY_ONE,
        SECRET_ONE,
        Some("session-token".to_owned()),
        None,
        "test",
    );
    let with_token = target(&url, Signer::new(credentials, "us-east-1"));
    let (status, body) = call(&with_token, "ListCompilationJobs", &json!({})).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn in_process_calls_and_control_endpoints_skip_signature_checks() {
    let emulator = emulator().build();
    let url = emulator.start().await.unwrap();
    let reply = emulator.call("ListCompilationJobs", &json!({}));
    assert_eq!(reply.status, 200, "{reply:?}");
    let health = http::Request::get(format!("{url}/_cjh/health"))
        .body(Full::new(Bytes::new()))
        .unwrap();
    let (status, body) = send(health).await;
    assert_eq!((status, body), (200, json!({"status": "ok"})));
}

#[tokio::test]
async fn sigv4_without_any_credential_does_not_start() {
    let emulator = cjh_emulator::Emulator::builder()
        .auth(cjh_emulator::AuthMode::Sigv4)
        .build();
    let error = emulator.start().await.err().map(|e| e.to_string());
    assert!(
        error.as_deref().unwrap_or_default().contains("credential"),
        "{error:?}"
    );
}

#[path = "../../../emulator/tests/common/mod.rs"]
mod common;
#[path = "../process/mod.rs"]
mod process;

use process::Running;

mod rust_sdk;
mod tagging;

mod binary;

mod control;
