//! How recorded exchanges are matched and answered, and what an unrecorded request gets.

use super::*;

#[tokio::test]
async fn identical_requests_are_answered_in_recorded_order_and_the_last_answer_repeats() {
    // Arrange
    let recording = lifecycle_recording().await;
    let server = cjh::mock::start(std::slice::from_ref(&recording)).await;
    let recorded_ids: Vec<&str> = recording.exchanges[1..4]
        .iter()
        .map(|e| e.response.headers["x-amzn-requestid"].as_str())
        .collect();

    // Act
    let polls: Vec<Answer> = (0..5)
        .map(|_| aws(&server.uri(), "DescribeCompilationJob", &named("poll")))
        .collect();

    // Assert
    let statuses: Vec<String> = polls.iter().map(status_of).collect();
    assert_eq!(
        statuses,
        [
            "STARTING",
            "INPROGRESS",
            "COMPLETED",
            "COMPLETED",
            "COMPLETED"
        ]
    );
    let ids: Vec<&str> = polls
        .iter()
        .map(|a| a.header("x-amzn-requestid").unwrap())
        .collect();
    assert_eq!(ids[..3], recorded_ids[..]);
    assert_eq!(
        ids[3], recorded_ids[2],
        "the last answer repeats as recorded"
    );
}

#[tokio::test]
async fn answers_carry_the_recorded_status_headers_and_body_bytes() {
    // Arrange
    let recording = lifecycle_recording().await;
    let server = cjh::mock::start(std::slice::from_ref(&recording)).await;
    let created = &recording.exchanges[0];

    // Act
    let answer = aws(
        &server.uri(),
        "CreateCompilationJob",
        &minimal_create_body("poll"),
    );

    // Assert
    assert_eq!(answer.status, created.response.status);
    assert_eq!(answer.body, created.response.body.to_bytes());
    assert_eq!(
        answer.header("content-type"),
        Some("application/x-amz-json-1.1")
    );
    assert_eq!(
        answer.header("x-amzn-requestid"),
        Some(created.response.headers["x-amzn-requestid"].as_str())
    );
}

#[tokio::test]
async fn a_recorded_error_is_replayed_as_recorded() {
    // Arrange
    let target = recorder();
    call(&target, "DescribeCompilationJob", &named("nobody")).await;
    let server = cjh::mock::start(&[recording("lifecycle/missing", target.exchanges())]).await;

    // Act
    let answer = aws(&server.uri(), "DescribeCompilationJob", &named("nobody"));

    // Assert
    assert_eq!(answer.status, 400);
    assert_eq!(answer.json()["__type"], "ValidationException");
}

// ---- matching -----------------------------------------------------------------------

#[tokio::test]
async fn volatile_headers_are_ignored_and_json_member_order_is_free() {
    // Arrange
    let recording = lifecycle_recording().await;
    let server = cjh::mock::start(&[recording]).await;
    let nonce = uuid::Uuid::new_v4().simple().to_string();
    let authorization = format!(
        "AWS4-HMAC-SHA256 Credential=AKID{}/20300101/eu-west-1/sagemaker/aws4_request, SignedHeaders=host;x-amz-date, Signature={nonce}",
        &nonce[..8]
    );

    // Act
    let answer = http(
        &server.uri(),
        "POST",
        "/",
        &[
            ("X-Amz-Target", "SageMaker.ListCompilationJobs"),
            ("Content-Type", "application/x-amz-json-1.0"),
            ("Authorization", &authorization),
            ("X-Amz-Date", "20300101T123456Z"),
            ("X-Amz-Security-Token", &nonce),
            ("X-Amz-Content-Sha256", &nonce),
            ("User-Agent", &format!("some-client/{nonce}")),
            ("amz-sdk-invocation-id", &nonce),
            ("amz-sdk-request", "attempt=2; max=3"),
        ],
        br#"{ "MaxResults": 5, "NameContains": "poll" }"#,
    );

    // Assert
    assert_eq!(
        answer.status,
        200,
        "{:?}",
        String::from_utf8_lossy(&answer.body)
    );
    assert_eq!(
        answer.json()["CompilationJobSummaries"][0]["CompilationJobName"],
        "poll"
    );
}

#[tokio::test]
async fn a_request_recorded_without_x_amz_target_matches_only_requests_without_one() {
    // Arrange
    let target = recorder();
    target
        .send(Request::aws_json(None, Body::from_bytes(b"{}")))
        .await
        .unwrap();
    call(&target, "DescribeCompilationJob", &named("nobody")).await;
    let recorded = target.exchanges();
    let server = cjh::mock::start(&[recording("wire/no-target", recorded.clone())]).await;

    // Act
    let without = http(&server.uri(), "POST", "/", &[], b"{}");
    let with = aws(&server.uri(), "ListCompilationJobs", &json!({}));
    let describe_without = http(
        &server.uri(),
        "POST",
        "/",
        &[],
        named("nobody").to_string().as_bytes(),
    );

    // Assert
    assert_eq!(without.status, recorded[0].response.status);
    assert_eq!(without.body, recorded[0].response.body.to_bytes());
    let message = unrecorded_message(&with);
    assert!(
        message.contains(
            "other operation: recorded no X-Amz-Target, got SageMaker.ListCompilationJobs"
        ),
        "{message}"
    );
    let message = unrecorded_message(&describe_without);
    assert!(message.contains("without X-Amz-Target"), "{message}");
}

// ---- unmatched requests -------------------------------------------------------------

#[tokio::test]
async fn an_unrecorded_request_gets_a_404_naming_the_closest_exchange_and_the_differing_path() {
    // Arrange
    let recording = lifecycle_recording().await;
    let server = cjh::mock::start(&[recording]).await;

    // Act
    let answer = aws(
        &server.uri(),
        "ListCompilationJobs",
        &json!({ "NameContains": "poll", "MaxResults": 10 }),
    );

    // Assert
    let message = unrecorded_message(&answer);
    let lines: Vec<&str> = message.lines().collect();
    assert_eq!(
        lines[0],
        "No recorded request matches this SageMaker.ListCompilationJobs request. Closest recorded requests:"
    );
    assert_eq!(
        lines[1],
        "- lifecycle/poll exchanges[4] (ListCompilationJobs): /MaxResults: recorded 5, got 10"
    );
    assert_eq!(lines.len(), 4, "three closest at most: {message}");
    assert!(lines[2].contains("other operation"), "{message}");
}

#[tokio::test]
async fn the_closest_requests_are_ranked_by_operation_then_by_how_few_paths_differ() {
    // Arrange
    let recording = lifecycle_recording().await;
    let server = cjh::mock::start(&[recording]).await;

    // Act
    let answer = aws(
        &server.uri(),
        "DescribeCompilationJob",
        &json!({ "CompilationJobName": "pol", "Extra": [1] }),
    );

    // Assert
    let message = unrecorded_message(&answer);
    let lines: Vec<&str> = message.lines().collect();
    assert_eq!(
        lines[1],
        "- lifecycle/poll exchanges[1] (DescribeCompilationJob, recorded 3 times): /CompilationJobName: recorded \"poll\", got \"pol\"; /Extra: recorded absent, got [1]"
    );
    assert!(
        lines[2].starts_with("- lifecycle/poll exchanges["),
        "{message}"
    );
    assert!(
        lines[2].contains("other operation: recorded SageMaker."),
        "{message}"
    );
}

#[tokio::test]
async fn a_request_on_another_path_or_method_or_with_a_non_json_body_still_gets_the_aws_shaped_404()
{
    // Arrange
    let recording = lifecycle_recording().await;
    let server = cjh::mock::start(&[recording]).await;

    // Act
    let get = http(&server.uri(), "GET", "/health", &[], b"");
    let text = http(
        &server.uri(),
        "POST",
        "/",
        &[("X-Amz-Target", "SageMaker.DescribeCompilationJob")],
        b"{not json",
    );

    // Assert
    let message = unrecorded_message(&get);
    assert!(
        message.starts_with(
            "No recorded request matches GET /health: recordings hold only POST / requests."
        ),
        "{message}"
    );
    let message = unrecorded_message(&text);
    assert!(
        message.contains("body: recorded JSON, got text \"{not json\""),
        "{message}"
    );
}

#[tokio::test]
async fn a_mock_of_no_recordings_answers_everything_with_the_404() {
    let server = cjh::mock::start(&[]).await;

    let message = unrecorded_message(&aws(&server.uri(), "ListCompilationJobs", &json!({})));

    assert!(message.ends_with("Nothing is recorded."), "{message}");
}

// ---- bodies that are not JSON -------------------------------------------------------

#[tokio::test]
async fn a_non_json_recorded_body_is_replayed_byte_for_byte() {
    // Arrange: what a proxy in front of a service might have answered
    let page = "<html>\n <body>Service Unavailable \u{2014} try later</body>\n</html>\n";
    let exchange = RecordedExchange {
        operation: "ListCompilationJobs".to_owned(),
        request: Request {
            method: "POST".to_owned(),
            path: "/".to_owned(),
            headers: Headers::new().with("x-amz-target", "SageMaker.ListCompilationJobs"),
            body: Body::from_bytes(b"MaxResults=5"),
        },
        response: Response {
            status: 503,
            headers: Headers::new().with("content-type", "text/html; charset=utf-8"),
            body: Body::from_bytes(page.as_bytes()),
        },
        reconstructed: false,
        sent_at: None,
    };
    assert!(matches!(exchange.response.body, Body::Text(_)));
    let server = cjh::mock::start(&[recording("wire/proxy-page", vec![exchange])]).await;

    // Act
    let answer = http(
        &server.uri(),
        "POST",
        "/",
        &[("X-Amz-Target", "SageMaker.ListCompilationJobs")],
        b"MaxResults=5",
    );
    let other_text = http(
        &server.uri(),
        "POST",
        "/",
        &[("X-Amz-Target", "SageMaker.ListCompilationJobs")],
        b"MaxResults=6",
    );

    // Assert
    assert_eq!(answer.status, 503);
    assert_eq!(answer.body, page.as_bytes());
    assert_eq!(
        answer.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let message = unrecorded_message(&other_text);
    assert!(
        message.contains("body: recorded text \"MaxResults=5\", got text \"MaxResults=6\""),
        "{message}"
    );
}

// ---- mounting beside mocks of one's own ---------------------------------------------

#[tokio::test]
async fn mocks_of_ones_own_on_the_same_server_take_precedence_over_the_recording() {
    // Arrange
    let recording = lifecycle_recording().await;
    let server = cjh::mock::MockServer::start().await;
    cjh::mock::mount(&server, &[recording]).await;
    wiremock::Mock::given(wiremock::matchers::header(
        "x-amz-target",
        "SageMaker.ListCompilationJobs",
    ))
    .respond_with(wiremock::ResponseTemplate::new(200).set_body_string("{\"mine\":true}"))
    .mount(&server)
    .await;

    // Act
    let listed = aws(
        &server.uri(),
        "ListCompilationJobs",
        &json!({ "NameContains": "poll", "MaxResults": 5 }),
    );
    let described = aws(&server.uri(), "DescribeCompilationJob", &named("poll"));

    // Assert
    assert_eq!(listed.json(), json!({ "mine": true }));
    assert_eq!(status_of(&described), "STARTING");
}

#[tokio::test]
async fn a_request_with_the_applications_own_account_role_and_bucket_matches_its_scrubbed_recording()
 {
    // Arrange: what an application sent through the proxy, scrubbed as the proxy writes it.
    let sent = json!({
        "CompilationJobName": "mine",
        "RoleArn": "arn:aws:iam::210987654321:role/service-role/MyAppRole",
        "InputConfig": {"S3Uri": "s3://my-app-models/model.tar.gz", "Framework": "PYTORCH",
                        "DataInputConfig": "{\"input0\":[1,3,224,224]}"},
        "OutputConfig": {"S3OutputLocation": "s3://my-app-models/out/", "TargetDevice": "ml_c5"},
        "StoppingCondition": {"MaxRuntimeInSeconds": 900},
    });
    let target = recorder();
    call(&target, "CreateCompilationJob", &sent).await;
    let mut recorded = recording("app/mine", target.exchanges());
    cjh::recording::scrub::scrub(&mut recorded, &cjh::scenario::Profile::default());
    // As `cjh proxy` and `cjh record` say in the provenance: the mock scrubs what comes in.
    recorded.provenance.scrubbing = cjh::recording::scrub::RULES
        .iter()
        .map(|r| (*r).to_owned())
        .collect();
    let text = serde_json::to_string(&recorded.exchanges[0].request.body.json()).unwrap();
    assert!(
        !text.contains("210987654321")
            && !text.contains("MyAppRole")
            && !text.contains("my-app-models"),
        "the recording is scrubbed: {text}"
    );
    let server = cjh::mock::start(&[recorded]).await;

    // Act: the same application, unchanged, against the mock.
    let answer = aws(&server.uri(), "CreateCompilationJob", &sent);
    let other = aws(
        &server.uri(),
        "CreateCompilationJob",
        &json!({"CompilationJobName": "someone-else"}),
    );

    // Assert
    assert_eq!(
        answer.status,
        200,
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
    assert_eq!(other.status, cjh::mock::UNRECORDED_STATUS);
}
