use std::path::PathBuf;

use serde_json::json;

use super::*;

/// A fresh folder of placebo files, removed when dropped.
struct Folder(PathBuf);

impl Folder {
    fn new(name: &str, files: &[(&str, Value)]) -> Folder {
        let dir = std::env::temp_dir().join(format!("cjh-placebo-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap_or_default();
        for (file, value) in files {
            std::fs::write(dir.join(file), value.to_string()).unwrap_or_default();
        }
        Folder(dir)
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn datetime(second: u64, microsecond: u64) -> Value {
    json!({ "__class__": "datetime", "year": 2024, "month": 4, "day": 16,
            "hour": 13, "minute": 29, "second": second, "microsecond": microsecond })
}

fn ok(data: Value) -> Value {
    json!({ "status_code": 200, "data": data })
}

fn stop_session() -> Vec<(&'static str, Value)> {
    let job = |status: &str| {
        ok(json!({
            "CompilationJobName": "c7n-test-2",
            "CompilationJobArn": "arn:aws:sagemaker:us-east-1:644160558196:compilation-job/c7n-test-2",
            "CompilationJobStatus": status,
            "CreationTime": datetime(49, 170_000),
            "ResponseMetadata": {},
        }))
    };
    vec![
        (
            "api.sagemaker.DescribeCompilationJob_1.json",
            job("INPROGRESS"),
        ),
        (
            "api.sagemaker.DescribeCompilationJob_2.json",
            job("STOPPING"),
        ),
        (
            "api.sagemaker.ListCompilationJobs_1.json",
            ok(
                json!({ "CompilationJobSummaries": [{ "CompilationJobName": "c7n-test-2",
                        "LastModifiedTime": datetime(31, 0) }], "ResponseMetadata": {} }),
            ),
        ),
        (
            "api.sagemaker.StopCompilationJob_1.json",
            ok(json!({ "ResponseMetadata": {} })),
        ),
    ]
}

/// The message of an import that must fail.
fn refusal(result: Result<Draft, ImportError>) -> String {
    match result {
        Ok(draft) => panic!("imported {} exchanges", draft.exchanges.len()),
        Err(error) => error.to_string(),
    }
}

fn operations(draft: &Draft) -> Vec<String> {
    draft
        .exchanges
        .iter()
        .map(|e| {
            format!(
                "{} {}",
                e.operation,
                e.request.body.json().cloned().unwrap_or(Value::Null)
            )
        })
        .collect()
}

#[test]
fn a_stop_session_is_ordered_list_describe_stop_describe_with_rebuilt_requests() {
    let folder = Folder::new("stop", &stop_session());
    let draft = read(&folder.0, None, None).unwrap_or_default();
    assert_eq!(
        operations(&draft),
        [
            "ListCompilationJobs {}",
            r#"DescribeCompilationJob {"CompilationJobName":"c7n-test-2"}"#,
            r#"StopCompilationJob {"CompilationJobName":"c7n-test-2"}"#,
            r#"DescribeCompilationJob {"CompilationJobName":"c7n-test-2"}"#,
        ]
    );
    assert!(draft.exchanges.iter().all(|e| e.reconstructed));
    assert_eq!(draft.region.as_deref(), Some("us-east-1"));
    assert_eq!(
        draft.endpoint.as_deref(),
        Some("https://api.sagemaker.us-east-1.amazonaws.com")
    );
    assert_eq!(draft.source, None, "placebo cannot say it was AWS");
    let describe = &draft.exchanges[1];
    assert_eq!(
        describe.request.target(),
        Some("SageMaker.DescribeCompilationJob")
    );
    let body = describe.response.body.json().cloned().unwrap_or_default();
    assert_eq!(body["CreationTime"], json!(1_713_274_189.17));
    assert!(body.get("ResponseMetadata").is_none());
    let list = draft.exchanges[0]
        .response
        .body
        .json()
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        list["CompilationJobSummaries"][0]["LastModifiedTime"],
        json!(1_713_274_171_u64)
    );
    let stop = &draft.exchanges[2];
    assert!(stop.response.body.is_empty(), "{:?}", stop.response.body);
    assert_eq!(
        stop.response
            .headers
            .get("content-type")
            .map(String::as_str),
        Some("application/x-amz-json-1.1")
    );
}

#[test]
fn response_metadata_becomes_headers_and_an_error_its_wire_shape() {
    let folder = Folder::new(
        "headers",
        &[
            (
                "api.sagemaker.StopTransformJob_1.json",
                ok(json!({ "ResponseMetadata": {
                    "RequestId": "4866306a-94fd-4355-b4cd-9ef026c1ece3",
                    "HTTPStatusCode": 200,
                    "HTTPHeaders": {
                        "x-amzn-requestid": "4866306a-94fd-4355-b4cd-9ef026c1ece3",
                        "content-type": "application/x-amz-json-1.1",
                        "content-length": "0",
                        "date": "Mon, 29 Oct 2018 15:33:36 GMT"
                    } } })),
            ),
            (
                "api.sagemaker.DescribeModel_1.json",
                json!({ "status_code": 400, "data": {
                    "Error": { "Message": "Could not find model.", "Code": "ValidationException" },
                    "ResponseMetadata": { "RequestId": "r-1" } } }),
            ),
        ],
    );
    let draft = read(&folder.0, None, Some("eu-west-1")).unwrap_or_default();
    assert_eq!(draft.region.as_deref(), Some("eu-west-1"));
    let error = &draft.exchanges[0];
    assert_eq!(error.response.status, 400);
    assert_eq!(
        error.response.body.json(),
        Some(&json!({ "__type": "ValidationException", "Message": "Could not find model." }))
    );
    assert_eq!(error.response.request_id(), Some("r-1"));
    let stop = &draft.exchanges[1];
    assert!(stop.response.body.is_empty());
    assert_eq!(
        stop.response.headers.get("date").map(String::as_str),
        Some("Mon, 29 Oct 2018 15:33:36 GMT")
    );
    assert_eq!(draft.recorded_at.as_deref(), Some("2018-10-29T15:33:36Z"));
}

#[test]
fn an_explicit_order_is_followed_and_must_place_every_file_once() {
    let folder = Folder::new("order", &stop_session());
    let order: Vec<String> = [
        "ListCompilationJobs_1",
        "api.sagemaker.StopCompilationJob_1.json",
        "DescribeCompilationJob_1",
        "DescribeCompilationJob_2",
    ]
    .map(str::to_owned)
    .to_vec();
    let draft = read(&folder.0, Some(&order), None).unwrap_or_default();
    let names: Vec<&str> = draft
        .exchanges
        .iter()
        .map(|e| e.operation.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "ListCompilationJobs",
            "StopCompilationJob",
            "DescribeCompilationJob",
            "DescribeCompilationJob"
        ]
    );
    let short = &order[..3];
    let error = refusal(read(&folder.0, Some(short), None));
    assert!(
        error.contains("does not place api.sagemaker.DescribeCompilationJob_2.json"),
        "{error}"
    );
    let twice = [order.clone(), vec!["ListCompilationJobs_1".to_owned()]].concat();
    let error = refusal(read(&folder.0, Some(&twice), None));
    assert!(
        error.contains("ListCompilationJobs_1 names no file"),
        "{error}"
    );
}

#[test]
fn tagging_is_imported_with_its_own_target_and_an_unknown_service_is_skipped_with_a_note() {
    let folder = Folder::new(
        "services",
        &[
            (
                "tagging.TagResources_1.json",
                ok(json!({ "FailedResourcesMap": {}, "ResponseMetadata": {} })),
            ),
            (
                "ec2.DescribeInstances_1.json",
                ok(json!({ "Reservations": [] })),
            ),
        ],
    );
    let draft = read(&folder.0, None, Some("us-east-1")).unwrap_or_default();
    assert_eq!(draft.exchanges.len(), 1);
    assert_eq!(
        draft.exchanges[0].request.target(),
        Some("ResourceGroupsTaggingAPI_20170126.TagResources")
    );
    assert!(
        draft
            .imported_from
            .contains("skipped: ec2.DescribeInstances_1.json")
    );
    assert!(
        draft
            .imported_from
            .contains("sent as {}: tagging.TagResources_1.json")
    );
}

#[test]
fn bad_files_are_refused_naming_the_file_and_the_problem() {
    let cases: [(&str, Value, &str); 4] = [
        (
            "api.sagemaker.describe_1.json",
            json!({}),
            "not a placebo answer file name",
        ),
        (
            "api.sagemaker.ListCompilationJobs_1.json",
            json!({ "data": {} }),
            "no \"status_code\"",
        ),
        (
            "api.sagemaker.ListCompilationJobs_1.json",
            ok(json!({ "Body": { "__class__": "StreamingBody" } })),
            "data.Body: a serialized StreamingBody",
        ),
        (
            "api.sagemaker.ListCompilationJobs_1.json",
            ok(json!({ "At": { "__class__": "datetime", "year": 2024 } })),
            "data.At: a datetime without a whole-number \"month\"",
        ),
    ];
    for (index, (file, value, problem)) in cases.into_iter().enumerate() {
        let folder = Folder::new(&format!("bad{index}"), &[(file, value)]);
        let message = refusal(read(&folder.0, None, None));
        assert!(message.contains(file), "{message}");
        assert!(message.contains(problem), "{message}");
    }
    let folder = Folder::new("notjson", &[]);
    std::fs::write(folder.0.join("api.sagemaker.ListTags_1.json"), "{not json").unwrap_or_default();
    let message = refusal(read(&folder.0, None, None));
    assert!(
        message.contains("api.sagemaker.ListTags_1.json: not JSON"),
        "{message}"
    );
}
