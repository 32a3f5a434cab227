//! Tags over a real socket: SageMaker's AddTags, ListTags and DeleteTags on compilation
//! jobs, with the model's validation and the not-found answer for an unknown ARN, and
//! the Resource Groups Tagging API's GetResources, TagResources and UntagResources on
//! the same endpoint (its own `X-Amz-Target` prefix), as Cloud Custodian calls them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod raw_http;

use std::time::Duration;

use cjh_emulator::{Emulator, Millis, NotFound};
use raw_http::{Answer, Connection, addr_of};
use serde_json::{Value, json};

const TAGGING: &str = "ResourceGroupsTaggingAPI_20170126";
const ARN: &str = "arn:aws:sagemaker:us-east-1:000000000000:compilation-job/";

/// Calls `target` (a whole `X-Amz-Target`) with `body`.
async fn call(connection: &mut Connection, target: &str, body: &Value) -> Answer {
    let header = format!("X-Amz-Target: {target}\r\n");
    connection
        .send("/", None, &header, body.to_string().as_bytes())
        .await;
    connection.answer().await.unwrap()
}

async fn sagemaker(connection: &mut Connection, operation: &str, body: &Value) -> Answer {
    call(connection, &format!("SageMaker.{operation}"), body).await
}

async fn tagging(connection: &mut Connection, operation: &str, body: &Value) -> Answer {
    call(connection, &format!("{TAGGING}.{operation}"), body).await
}

async fn ok(connection: &mut Connection, operation: &str, body: &Value) -> Value {
    let answer = sagemaker(connection, operation, body).await;
    assert_eq!(answer.status, 200, "{operation}: {:?}", answer.json());
    answer.json()
}

fn tags(pairs: &[(&str, &str)]) -> Value {
    pairs
        .iter()
        .map(|(k, v)| json!({"Key": k, "Value": v}))
        .collect()
}

async fn create_tagged(connection: &mut Connection, name: &str, with: &[(&str, &str)]) {
    let mut body = common::create_body(name);
    body["Tags"] = tags(with);
    ok(connection, "CreateCompilationJob", &body).await;
}

async fn started(emulator: &Emulator) -> Connection {
    Connection::open(&addr_of(&emulator.start().await.unwrap())).await
}

fn manual() -> Emulator {
    Emulator::builder()
        .manual_clock_at(Millis(1_700_000_000_000))
        .build()
}

#[tokio::test]
async fn create_tags_are_listed_then_added_overwritten_and_deleted_by_key() {
    let emulator = manual();
    let mut c = started(&emulator).await;
    create_tagged(&mut c, "job", &[("team", "ml")]).await;
    let arn = json!(format!("{ARN}job"));
    let listed = ok(&mut c, "ListTags", &json!({"ResourceArn": arn})).await;
    assert_eq!(listed, json!({"Tags": tags(&[("team", "ml")])}));

    let added = json!({"ResourceArn": arn, "Tags": tags(&[("team", "cv"), ("owner", "a")])});
    let answer = sagemaker(&mut c, "AddTags", &added).await;
    assert_eq!(
        answer.json(),
        json!({"Tags": tags(&[("team", "cv"), ("owner", "a")])})
    );
    let listed = ok(&mut c, "ListTags", &json!({"ResourceArn": arn})).await;
    assert_eq!(listed["Tags"], tags(&[("team", "cv"), ("owner", "a")]));

    let deleted = json!({"ResourceArn": arn, "TagKeys": ["team", "absent"]});
    let answer = sagemaker(&mut c, "DeleteTags", &deleted).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body, b"{}");
    let listed = ok(&mut c, "ListTags", &json!({"ResourceArn": arn})).await;
    assert_eq!(listed, json!({"Tags": tags(&[("owner", "a")])}));
}

#[tokio::test]
async fn fifty_tags_come_in_one_page_and_page_bounds_and_tokens_are_checked() {
    let emulator = manual();
    let mut c = started(&emulator).await;
    create_tagged(&mut c, "full", &[]).await;
    let arn = format!("{ARN}full");
    let keys: Vec<String> = (0..50).map(|i| format!("k{i:02}")).collect();
    let fifty: Vec<(&str, &str)> = keys.iter().map(|k| (k.as_str(), "v")).collect();
    ok(
        &mut c,
        "AddTags",
        &json!({"ResourceArn": arn, "Tags": tags(&fifty)}),
    )
    .await;
    let page = ok(
        &mut c,
        "ListTags",
        &json!({"ResourceArn": arn, "MaxResults": 50}),
    )
    .await;
    assert_eq!(page["Tags"].as_array().unwrap().len(), 50);
    assert!(page.get("NextToken").is_none(), "{page}");

    let small = sagemaker(
        &mut c,
        "ListTags",
        &json!({"ResourceArn": arn, "MaxResults": 49}),
    )
    .await;
    assert_eq!(small.error_code().as_deref(), Some("ValidationException"));
    assert!(
        small.json()["Message"]
            .as_str()
            .unwrap()
            .contains("Member must have value greater than or equal to 50"),
        "{:?}",
        small.json()
    );
    let forged = json!({"ResourceArn": arn, "NextToken": "AAAA"});
    let answer = sagemaker(&mut c, "ListTags", &forged).await;
    assert_eq!(answer.json()["Message"], "Invalid pagination token");
    let empty = json!({"ResourceArn": arn, "NextToken": ""});
    assert_eq!(sagemaker(&mut c, "ListTags", &empty).await.status, 200);

    // A fifty-first key is over the per-resource limit; a known key is not.
    let more = json!({"ResourceArn": arn, "Tags": tags(&[("k00", "w"), ("extra", "v")])});
    let over = sagemaker(&mut c, "AddTags", &more).await;
    assert_eq!(over.error_code().as_deref(), Some("ValidationException"));
    assert!(
        over.json()["Message"]
            .as_str()
            .unwrap()
            .contains("at most 50 tags")
    );
    let known = json!({"ResourceArn": arn, "Tags": tags(&[("k00", "w")])});
    assert_eq!(sagemaker(&mut c, "AddTags", &known).await.status, 200);
}

#[tokio::test]
async fn tags_are_validated_against_the_model() {
    let emulator = manual();
    let mut c = started(&emulator).await;
    create_tagged(&mut c, "checked", &[]).await;
    let arn = format!("{ARN}checked");
    let long_key = "k".repeat(129);
    let keys: Vec<String> = (0..51).map(|i| format!("k{i}")).collect();
    let fifty_one: Vec<(&str, &str)> = keys.iter().map(|k| (k.as_str(), "v")).collect();
    let cases = [
        (
            tags(&[("bad*key", "v")]),
            "Member must satisfy regular expression pattern",
        ),
        (
            tags(&[(long_key.as_str(), "v")]),
            "Member must have length less than or equal to 128",
        ),
        (
            tags(&fifty_one),
            "Member must have length less than or equal to 50",
        ),
    ];
    for (list, phrase) in cases {
        let answer = sagemaker(
            &mut c,
            "AddTags",
            &json!({"ResourceArn": arn, "Tags": list}),
        )
        .await;
        assert_eq!(answer.status, 400);
        assert_eq!(answer.error_code().as_deref(), Some("ValidationException"));
        let message = answer.json()["Message"].as_str().unwrap().to_owned();
        assert!(message.contains(phrase), "{message}");
    }
    let no_keys = sagemaker(
        &mut c,
        "DeleteTags",
        &json!({"ResourceArn": arn, "TagKeys": []}),
    )
    .await;
    assert_eq!(no_keys.error_code().as_deref(), Some("ValidationException"));
    let not_arn = sagemaker(&mut c, "ListTags", &json!({"ResourceArn": "job"})).await;
    assert!(
        not_arn.json()["Message"]
            .as_str()
            .unwrap()
            .contains("resourceArn")
    );
}

#[tokio::test]
async fn an_arn_of_no_job_gets_the_not_found_answer_in_force() {
    let emulator = manual();
    let mut c = started(&emulator).await;
    create_tagged(&mut c, "here", &[("a", "b")]).await;
    let missing = sagemaker(
        &mut c,
        "ListTags",
        &json!({"ResourceArn": format!("{ARN}gone")}),
    )
    .await;
    assert_eq!(missing.error_code().as_deref(), Some("ValidationException"));
    assert_eq!(
        missing.json()["Message"],
        "Could not find compilation job 'gone'."
    );
    // The job's own ARN in another region names nothing there.
    let elsewhere = "arn:aws:sagemaker:eu-west-1:000000000000:compilation-job/here";
    let answer = sagemaker(&mut c, "ListTags", &json!({"ResourceArn": elsewhere})).await;
    assert_eq!(
        answer.json()["Message"],
        format!("Could not find resource '{elsewhere}'.")
    );

    let modeled = Emulator::builder()
        .not_found(NotFound::ResourceNotFound)
        .build();
    let mut c = started(&modeled).await;
    let body = json!({"ResourceArn": format!("{ARN}gone"), "Tags": tags(&[("a", "b")])});
    let answer = sagemaker(&mut c, "AddTags", &body).await;
    assert_eq!(answer.error_code().as_deref(), Some("ResourceNotFound"));
}

#[tokio::test]
async fn a_deleted_jobs_tags_are_gone_with_it() {
    let emulator = manual();
    let mut c = started(&emulator).await;
    create_tagged(&mut c, "brief", &[("keep", "no")]).await;
    emulator.advance_clock(Duration::from_secs(3600)).unwrap();
    ok(&mut c, "DeleteCompilationJob", &common::named("brief")).await;
    let arn = format!("{ARN}brief");
    let gone = sagemaker(&mut c, "ListTags", &json!({"ResourceArn": arn})).await;
    assert_eq!(gone.status, 400);
    let listed = tagging(&mut c, "GetResources", &json!({})).await;
    assert_eq!(listed.json()["ResourceTagMappingList"], json!([]));
    // A new job of the same name starts with only its own tags.
    create_tagged(&mut c, "brief", &[]).await;
    let listed = ok(&mut c, "ListTags", &json!({"ResourceArn": arn})).await;
    assert_eq!(listed, json!({"Tags": []}));
}

#[tokio::test]
async fn get_resources_filters_by_type_and_tags_and_pages_to_an_empty_token() {
    let emulator = manual();
    let mut c = started(&emulator).await;
    create_tagged(&mut c, "a-cv", &[("team", "cv"), ("env", "ci")]).await;
    create_tagged(&mut c, "b-ml", &[("team", "ml")]).await;
    create_tagged(&mut c, "c-nlp", &[("team", "nlp"), ("env", "prod")]).await;
    create_tagged(&mut c, "d-untagged", &[]).await;
    let arns = |answer: &Answer| -> Vec<String> {
        answer.json()["ResourceTagMappingList"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                m["ResourceARN"]
                    .as_str()
                    .unwrap()
                    .trim_start_matches(ARN)
                    .to_owned()
            })
            .collect()
    };
    let all = tagging(&mut c, "GetResources", &json!({})).await;
    assert_eq!(all.status, 200);
    assert_eq!(arns(&all), ["a-cv", "b-ml", "c-nlp"]);
    assert_eq!(all.json()["PaginationToken"], "");
    assert_eq!(
        all.json()["ResourceTagMappingList"][1]["Tags"],
        tags(&[("team", "ml")])
    );

    for (types, expected) in [
        (json!(["sagemaker"]), 3),
        (json!(["sagemaker:compilation-job"]), 3),
        (json!(["sagemaker:training-job"]), 0),
        (json!(["ec2:instance"]), 0),
    ] {
        let body = json!({"ResourceTypeFilters": types});
        let answer = tagging(&mut c, "GetResources", &body).await;
        assert_eq!(arns(&answer).len(), expected, "{types}");
    }
    let any_of = json!({"TagFilters": [{"Key": "team", "Values": ["cv", "nlp"]}]});
    assert_eq!(
        arns(&tagging(&mut c, "GetResources", &any_of).await),
        ["a-cv", "c-nlp"]
    );
    let any_value = json!({"TagFilters": [{"Key": "env"}, {"Key": "team", "Values": ["nlp"]}]});
    assert_eq!(
        arns(&tagging(&mut c, "GetResources", &any_value).await),
        ["c-nlp"]
    );

    let mut seen = Vec::new();
    let mut body = json!({"ResourcesPerPage": 2});
    let mut pages = 0;
    loop {
        let page = tagging(&mut c, "GetResources", &body).await;
        pages += 1;
        seen.extend(arns(&page));
        let token = page.json()["PaginationToken"].as_str().unwrap().to_owned();
        if token.is_empty() {
            break;
        }
        body["PaginationToken"] = json!(token);
    }
    assert_eq!(
        (pages, seen),
        (2, vec!["a-cv".into(), "b-ml".into(), "c-nlp".into()])
    );

    let bad = tagging(&mut c, "GetResources", &json!({"PaginationToken": "nope"})).await;
    assert_eq!(
        bad.error_code().as_deref(),
        Some("InvalidParameterException")
    );
    let big = tagging(&mut c, "GetResources", &json!({"ResourcesPerPage": 101})).await;
    assert_eq!(
        big.error_code().as_deref(),
        Some("InvalidParameterException")
    );
}

#[tokio::test]
async fn tag_and_untag_resources_change_jobs_and_report_unknown_arns() {
    let emulator = manual();
    let mut c = started(&emulator).await;
    create_tagged(&mut c, "job", &[]).await;
    let arn = format!("{ARN}job");
    let unknown = format!("{ARN}nobody");
    let body = json!({"ResourceARNList": [arn, unknown], "Tags": {"JobTag": "JobTagValue"}});
    let answer = tagging(&mut c, "TagResources", &body).await;
    assert_eq!(answer.status, 200);
    let failed = &answer.json()["FailedResourcesMap"];
    assert_eq!(failed.as_object().unwrap().len(), 1, "{failed}");
    assert_eq!(failed[&unknown]["StatusCode"], 400);
    assert_eq!(failed[&unknown]["ErrorCode"], "InvalidParameterException");
    let listed = ok(&mut c, "ListTags", &json!({"ResourceArn": arn})).await;
    assert_eq!(listed["Tags"], tags(&[("JobTag", "JobTagValue")]));

    let refused = json!({"ResourceARNList": [arn], "Tags": {"bad*key": "v"}});
    let answer = tagging(&mut c, "TagResources", &refused).await;
    assert_eq!(
        answer.json()["FailedResourcesMap"][&arn]["ErrorCode"],
        "InvalidParameterException"
    );

    let body = json!({"ResourceARNList": [arn], "TagKeys": ["JobTag"]});
    let answer = tagging(&mut c, "UntagResources", &body).await;
    assert_eq!(answer.json(), json!({"FailedResourcesMap": {}}));
    let listed = ok(&mut c, "ListTags", &json!({"ResourceArn": arn})).await;
    assert_eq!(listed, json!({"Tags": []}));

    let empty = tagging(&mut c, "TagResources", &json!({})).await;
    assert_eq!(
        empty.error_code().as_deref(),
        Some("InvalidParameterException")
    );
    let crossed = call(&mut c, "SageMaker.GetResources", &json!({})).await;
    assert_eq!(
        crossed.error_code().as_deref(),
        Some("UnknownOperationException")
    );
}
